"""Rendered pictures kept on disk between kernels, keyed by everything they depend on.

A picture depends on the content (its checksum), what is drawn, and the versions of
srmquiz and matplotlib: the file name is a hash of them all, so an edited content folder
or an upgrade draws afresh and nothing is ever stale. A new kernel (each Voila page is
one) then shows notebook 01's matrix picture without importing matplotlib.

The cache is a convenience, never a reason to fail: a folder that cannot be made or
written, or a file that is not a PNG (truncated, replaced, tampered with), means the
picture is drawn as if there were no cache (and a bad file is replaced). The folder is
``$SRMQUIZ_CACHE``, else ``$XDG_CACHE_HOME/srmquiz``, else ``~/.cache/srmquiz``; it holds
only these PNG files, which can be deleted at any time.
"""

from __future__ import annotations

import hashlib
import os
import tempfile
from collections.abc import Callable, Sequence
from importlib import metadata
from pathlib import Path

from srmquiz.core.version import __version__
from srmquiz.data.files import UnreadableFile, read_bounded

PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"
MAX_PNG_BYTES = 20_000_000
"""A cached file larger than this is not read (the matrix picture is about 300 kB)."""


def cache_dir() -> Path:
    """Where rendered pictures are kept (see the module's docstring)."""
    if os.environ.get("SRMQUIZ_CACHE"):
        return Path(os.environ["SRMQUIZ_CACHE"]).expanduser()
    base = os.environ.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
    return Path(base).expanduser() / "srmquiz"


def _matplotlib_version() -> str:
    try:
        return metadata.version("matplotlib")
    except metadata.PackageNotFoundError:
        return "none"


def cache_path(what: Sequence[str]) -> Path:
    """The file for a picture described by `what` (its name, content checksum, options)."""
    key = "\0".join([__version__, _matplotlib_version(), *what])
    digest = hashlib.sha256(key.encode()).hexdigest()[:32]
    return cache_dir() / f"{what[0]}-{digest}.png"


def cached_png(what: Sequence[str], draw: Callable[[], bytes]) -> bytes:
    """The PNG described by `what`, from the cache if it holds a PNG for it, else drawn
    by `draw()` and kept for the next kernel (if the cache folder can be written)."""
    store = DiskStore()
    found = store.get(what)
    if found is not None:
        return found
    png = draw()
    store.put(what, png)
    return png


def _keep(path: Path, png: bytes) -> None:
    """Write atomically (a reader never sees half a file); give up quietly on any error."""
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=".tmp-", suffix=".png")
        try:
            with os.fdopen(fd, "wb") as out:
                out.write(png)
            os.replace(tmp, path)
        except BaseException:
            os.unlink(tmp)
            raise
    except OSError:
        return


class DiskStore:
    """The cache folder as a store for drawing (see :func:`srmquiz.draw.render.use_store`)."""

    def get(self, key: Sequence[str]) -> bytes | None:
        """The PNG kept for `key`, or None (none kept, or the file is not a PNG)."""
        try:
            png = read_bounded(cache_path(key), MAX_PNG_BYTES)
        except (UnreadableFile, OSError):
            return None
        return png if png.startswith(PNG_SIGNATURE) else None

    def put(self, key: Sequence[str], png: bytes) -> None:
        """Keep `png` for the next kernel (quietly nothing if the folder cannot be written)."""
        _keep(cache_path(key), png)
