"""Figures for every drawing: a white page (readable in light and dark notebook themes)
and rendering to PNG, SVG or PDF bytes off-screen, never through pyplot.

Every text is drawn as plain text: a label such as ``bad $x^$ math`` from a content
folder would otherwise be read as mathtext and make the drawing raise. :func:`plain_text`
wraps each drawing function, and :func:`figure_bytes` renders the same way.
"""

from __future__ import annotations

import functools
import io
from collections.abc import Callable, Sequence
from typing import TYPE_CHECKING, Any, ParamSpec, Protocol

from srmquiz.core.palette import WHITE

if TYPE_CHECKING:
    from matplotlib.figure import Figure

P = ParamSpec("P")


class PngStore(Protocol):
    """Somewhere rendered pictures outlive the kernel (see :func:`use_store`)."""

    def get(self, key: Sequence[str]) -> bytes | None:
        """The PNG kept under `key`, or None."""

    def put(self, key: Sequence[str], png: bytes) -> None:
        """Keep `png` under `key` (quietly, if it can)."""


_stores: list[PngStore] = []


def use_store(store: PngStore | None) -> None:
    """Keep rendered pictures in `store` from now on (None: in memory only).

    Drawing does no file work itself: the entry points hand it a store (a folder of PNG
    files, :class:`srmquiz.data.figcache.DiskStore`), so a new kernel, such as each Voila
    page, shows a picture drawn before without importing matplotlib.
    """
    _stores[:] = [store] if store is not None else []


def stored_png(key: Sequence[str], draw: Callable[[], bytes]) -> bytes:
    """The PNG kept under `key` in the store, else `draw()` (then kept there)."""
    if not _stores:
        return draw()
    found = _stores[0].get(key)
    if found is not None:
        return found
    png = draw()
    _stores[0].put(key, png)
    return png


def new_figure(width: float, height: float) -> Figure:
    """A blank figure of this size in inches, on a white page."""
    from matplotlib.figure import Figure

    fig = Figure(figsize=(width, height), dpi=100)
    fig.patch.set_facecolor(WHITE)
    return fig


def plain_text(draw: Callable[P, Figure]) -> Callable[P, Figure]:
    """Decorator for a drawing function: its texts (labels, titles, ticks, legends) are
    plain text, never mathtext, both while it draws and later when the figure renders."""

    @functools.wraps(draw)
    def drawing(*args: P.args, **kwargs: P.kwargs) -> Figure:
        from matplotlib import rc_context

        with rc_context({"text.parse_math": False}):
            return _no_mathtext(draw(*args, **kwargs))

    return drawing


def _no_mathtext(fig: Figure) -> Figure:
    from matplotlib.text import Text

    for text in fig.findobj(Text):
        text.set_parse_math(False)
    return fig


def figure_bytes(fig: Figure, fmt: str = "png") -> bytes:
    """Render a figure off-screen to PNG, SVG or PDF bytes (no date in SVG/PDF: stable bytes)."""
    from matplotlib import rc_context

    buf = io.BytesIO()
    meta: dict[str, Any] = {"Date": None} if fmt in ("svg", "pdf") else {}
    with rc_context({"text.parse_math": False}):
        _no_mathtext(fig).savefig(buf, format=fmt, bbox_inches="tight", metadata=meta or None)
    return buf.getvalue()
