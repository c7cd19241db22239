"""Rendered pictures kept on disk between kernels (notebook 01's matrix picture)."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from srmquiz.data.figcache import PNG_SIGNATURE, cache_path, cached_png

PNG = PNG_SIGNATURE + b"picture"
ROOT = Path(__file__).parents[1]


@pytest.fixture
def cache(tmp_path, monkeypatch) -> Path:  # type: ignore[no-untyped-def]
    folder = tmp_path / "cache"
    monkeypatch.setenv("SRMQUIZ_CACHE", str(folder))
    return folder


def test_a_picture_is_drawn_once_then_read_by_the_next_kernel(cache):
    drawn = []

    def draw() -> bytes:
        drawn.append(1)
        return PNG

    assert cached_png(("matrix", "abc"), draw) == PNG
    assert cached_png(("matrix", "abc"), draw) == PNG
    assert len(drawn) == 1 and cache_path(("matrix", "abc")).read_bytes() == PNG
    # other content (another checksum) is another picture
    assert cache_path(("matrix", "abd")) != cache_path(("matrix", "abc"))
    cached_png(("matrix", "abd"), draw)
    assert len(drawn) == 2


def test_a_file_that_is_not_a_png_is_drawn_again_and_replaced(cache):
    path = cache_path(("matrix", "abc"))
    path.parent.mkdir(parents=True)
    path.write_bytes(b"<script>not a picture</script>")  # tampered, truncated, anything
    assert cached_png(("matrix", "abc"), lambda: PNG) == PNG
    assert path.read_bytes() == PNG
    os.mkfifo(path.with_name("fifo.png"))  # a FIFO is never opened (it would block)
    path.unlink()
    path.with_name("fifo.png").rename(path)
    assert cached_png(("matrix", "abc"), lambda: PNG) == PNG


def test_a_cache_that_cannot_be_written_only_means_drawing(tmp_path, monkeypatch):
    blocker = tmp_path / "a-file"
    blocker.write_text("not a folder")
    monkeypatch.setenv("SRMQUIZ_CACHE", str(blocker / "cache"))
    assert cached_png(("matrix", "abc"), lambda: PNG) == PNG
    assert blocker.read_text() == "not a folder"  # nothing of the user's touched


def two_kernels(code: str, cache: Path) -> list[list[str]]:
    """What `code` prints in two new Python processes, one after the other, sharing `cache`."""
    env = {**os.environ, "SRMQUIZ_CACHE": str(cache)}
    return [
        subprocess.run(
            [sys.executable, "-c", code], capture_output=True, text=True, env=env, cwd=ROOT
        ).stdout.split()
        for _ in range(2)
    ]


def test_a_new_kernel_shows_the_matrix_picture_without_matplotlib(cache):
    code = (
        "import sys, srmquiz; w = srmquiz.matrix_picture(); "
        "print('src=\"data:image/png;base64,iVBORw0KGgo' in w.children[-1].value, "
        "'matplotlib' in sys.modules)"
    )
    # drawn once; then only read
    assert two_kernels(code, cache) == [["True", "True"], ["True", "False"]]


def test_a_feedback_picture_drawn_in_one_kernel_is_read_by_the_next(cache):
    code = (
        "import sys, srmquiz.notebook, srmquiz; from srmquiz.draw.stacks import stack_png; "
        "png = stack_png(srmquiz.load_matrix(), 'rds', ['iam']); "
        "print(png.startswith(b'\\x89PNG'), 'matplotlib' in sys.modules)"
    )
    assert two_kernels(code, cache) == [["True", "True"], ["True", "False"]]
