"""The whole responsibility matrix as one picture: services across, layers down.

The same conventions as the stacks (:mod:`srmquiz.draw.stacks`) and the text table
(:mod:`srmquiz.core.table`): the customer's data on top, like AWS's diagram; per cell the
owner by colour (Okabe-Ito) AND hatching AND a word, a shared cell as the stacks draw it
(left half AWS, right half customer) with the word "Shared"; "-" where a service lacks
the layer; white, cross-hatched "not stated" where no source states the owner. More
services than :data:`PER_BLOCK` are drawn in blocks, one under the other, each with its
own layer names, so the picture stays readable at a notebook's width.

matplotlib is imported inside the functions; :func:`matrix_png` caches the PNG per
content checksum, like :func:`srmquiz.draw.stacks.picture_png`.
"""

from __future__ import annotations

import textwrap
from functools import lru_cache
from typing import TYPE_CHECKING

from srmquiz.core.matrix import Matrix, Owner, Service
from srmquiz.core.palette import EDGE, INK, WHITE
from srmquiz.core.table import ABSENT
from srmquiz.core.wording import Wording
from srmquiz.draw.render import figure_bytes, new_figure, plain_text
from srmquiz.draw.stacks import STYLE, UNSTATED, legend_handles

if TYPE_CHECKING:
    from matplotlib.axes import Axes
    from matplotlib.figure import Figure

PER_BLOCK = 7
"""Services per block: seven columns fit a notebook's width at a readable size."""
COL_W = 1.15
"""Width of one service's column, inches."""
LABEL_W = 2.0
"""Width of the layer names' column, inches."""
ROW_H = 0.36
"""Height of one layer's row, inches."""
HEAD_H = 0.95
"""Height of a block's column headings (service name and category), inches."""
GAP_H = 0.3
"""Space between two blocks, inches."""
LEGEND_H = 0.55
"""Height kept for the legend at the bottom, inches."""
FONT = 8.5
"""Type size of the cells' words and the names, points."""
SERVICE_WRAP = 14
"""A column heading wraps at this many characters."""
LAYER_WRAP = 22
"""A layer name wraps at this many characters."""


def blocks(services: list[Service]) -> list[list[Service]]:
    """The services split into blocks of at most :data:`PER_BLOCK`, as even as possible."""
    count = max(1, -(-len(services) // PER_BLOCK))
    size = -(-len(services) // count) if services else 0
    return [services[i : i + size] for i in range(0, len(services), size)] if size else []


def cell_text(matrix: Matrix, service: str, layer: str) -> str:
    """The word in a cell: the owner's label, "not stated", or "-" for a layer the service
    does not have (the same words as :func:`srmquiz.core.table.matrix_table`)."""
    if matrix.has(service, layer):
        return Wording(matrix).label(matrix.cell(service, layer).owner)
    return UNSTATED["label"] if matrix.unstated_reason(service, layer) else ABSENT


def _cell(ax: Axes, matrix: Matrix, sid: str, lid: str, x: float, y: float) -> None:
    from matplotlib.patches import Rectangle

    text = cell_text(matrix, sid, lid)
    gid = f"{sid}:{lid}"
    if matrix.has(sid, lid):
        owner = matrix.cell(sid, lid).owner
        if owner is Owner.SHARED:
            halves = [(x, 0.5, STYLE[Owner.AWS]), (x + 0.5, 0.5, STYLE[Owner.CUSTOMER])]
        else:
            halves = [(x, 1.0, STYLE[owner])]
        weight, slant, size = "bold", "normal", FONT
    elif text == ABSENT:
        halves = []
        weight, slant, size = "normal", "normal", FONT
    else:
        halves = [(x, 1.0, UNSTATED)]
        weight, slant, size = "normal", "italic", FONT * 0.9
    for i, (hx, hw, st) in enumerate(halves):
        ax.add_patch(
            Rectangle(
                (hx + 0.03 if i == 0 else hx, y + 0.06),
                hw - 0.03 if len(halves) == 2 else hw - 0.06,
                0.88,
                facecolor=st["color"],
                hatch=st["hatch"],
                edgecolor=EDGE,
                linewidth=0.8,
                gid=f"cell:{gid}:{i}",
            )
        )
    ax.text(
        x + 0.5,
        y + 0.5,
        text,
        ha="center",
        va="center",
        color=INK,
        bbox=(
            {"facecolor": WHITE, "edgecolor": "none", "alpha": 0.85, "pad": 1.2} if halves else None
        ),
        gid=f"owner:{gid}",
        fontweight=weight,
        fontstyle=slant,
        fontsize=size,
    )


def _block(ax: Axes, matrix: Matrix, services: list[Service], columns: int) -> None:
    layers = list(reversed(matrix.layers))  # the customer's data on top
    rows = len(layers)
    for col, svc in enumerate(services):
        category = matrix.categories[svc.category].short
        heading = "\n".join([*textwrap.wrap(svc.name, SERVICE_WRAP), f"({category})"])
        ax.text(
            col + 0.5,
            rows + 0.12,
            heading,
            ha="center",
            va="bottom",
            fontsize=FONT,
            color=INK,
            linespacing=1.1,
            gid=f"service:{svc.id}",
        )
        for row, layer in enumerate(layers):
            _cell(ax, matrix, svc.id, layer.id, col, rows - 1 - row)
    for row, layer in enumerate(layers):
        ax.text(
            -0.08,
            rows - 1 - row + 0.5,
            "\n".join(textwrap.wrap(layer.name, LAYER_WRAP)),
            ha="right",
            va="center",
            fontsize=FONT,
            color=INK,
            linespacing=1.0,
            gid=f"layer:{layer.id}",
        )
    ax.set_xlim(-LABEL_W / COL_W, columns)
    ax.set_ylim(0, rows + HEAD_H / ROW_H)
    ax.set_axis_off()


def _legend(fig: Figure, unstated: bool, absent: bool, bottom: float) -> None:
    from matplotlib.patches import Patch

    handles = legend_handles(unstated=unstated)
    if absent:
        handles.append(
            Patch(
                facecolor=WHITE, edgecolor="none", label=f"{ABSENT}  the service has no such layer"
            )
        )
    fig.legend(
        handles=handles,
        loc="lower center",
        bbox_to_anchor=(0.5, bottom),
        ncol=3,
        fontsize=FONT,
        frameon=False,
    )


@plain_text
def draw_matrix(matrix: Matrix) -> Figure:
    """The whole matrix: one column per service, one row per layer (data on top), in
    blocks of at most :data:`PER_BLOCK` services; a legend at the bottom."""
    parts = blocks(list(matrix.services))
    columns = max((len(b) for b in parts), default=1)
    rows = len(matrix.layers)
    block_h = rows * ROW_H + HEAD_H
    width = LABEL_W + columns * COL_W + 0.2
    height = len(parts) * block_h + (len(parts) - 1) * GAP_H + LEGEND_H
    fig = new_figure(width, height)
    for i, part in enumerate(parts):
        top = height - i * (block_h + GAP_H)
        ax = fig.add_axes(
            (0.1 / width, (top - block_h) / height, (width - 0.2) / width, block_h / height)
        )
        _block(ax, matrix, part, columns)
    cells = [(s.id, la.id) for s in matrix.services for la in matrix.layers]
    texts = {cell_text(matrix, s, la) for s, la in cells}
    _legend(fig, UNSTATED["label"] in texts, ABSENT in texts, 0.0)
    return fig


# Matrices by content checksum (as in stacks.py): equal content draws the same picture.
_MATRICES: dict[str, Matrix] = {}


@lru_cache(maxsize=8)
def _cached_png(checksum: str) -> bytes:
    return figure_bytes(draw_matrix(_MATRICES[checksum]))


def matrix_png(matrix: Matrix) -> bytes:
    """PNG bytes of :func:`draw_matrix`, cached per content checksum (a matrix made in code,
    without a checksum, is drawn every time)."""
    if not matrix.checksum:
        return figure_bytes(draw_matrix(matrix))
    _MATRICES.setdefault(matrix.checksum, matrix)
    return _cached_png(matrix.checksum)


def clear_cache() -> None:
    """Forget the rendered matrix pictures (benchmarks measure a first draw with it)."""
    _cached_png.cache_clear()
    _MATRICES.clear()


def matrix_alt(matrix: Matrix) -> str:
    """A text alternative for the picture: what it shows, and each service's count of
    layers per owner (the full table is ``srmquiz matrix`` in a terminal)."""
    label = Wording(matrix).label
    parts = []
    for svc in matrix.services:
        counts = [
            f"{label(owner)} {n}"
            for owner in Owner
            if (n := sum(1 for c in matrix.stack(svc.id) if c.owner is owner))
        ]
        parts.append(f"{svc.name}: {', '.join(counts)}")
    return (
        f"The responsibility matrix: {len(matrix.services)} services across, "
        f"{len(matrix.layers)} layers down, each cell naming its owner. Layers per owner: "
        + "; ".join(parts)
        + "."
    )
