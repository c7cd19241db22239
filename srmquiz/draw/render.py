"""Figures for every drawing: a white page (readable in light and dark notebook themes)
and rendering to PNG, SVG or PDF bytes off-screen, never through pyplot."""

from __future__ import annotations

import io
from typing import TYPE_CHECKING, Any

from srmquiz.core.palette import WHITE

if TYPE_CHECKING:
    from matplotlib.figure import Figure


def new_figure(width: float, height: float) -> Figure:
    """A blank figure of this size in inches, on a white page."""
    from matplotlib.figure import Figure

    fig = Figure(figsize=(width, height), dpi=100)
    fig.patch.set_facecolor(WHITE)
    return fig


def figure_bytes(fig: Figure, fmt: str = "png") -> bytes:
    """Render a figure off-screen to PNG, SVG or PDF bytes (no date in SVG/PDF: stable bytes)."""
    buf = io.BytesIO()
    meta: dict[str, Any] = {"Date": None} if fmt in ("svg", "pdf") else {}
    fig.savefig(buf, format=fmt, bbox_inches="tight", metadata=meta or None)
    return buf.getvalue()
