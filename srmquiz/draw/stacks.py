"""Layer stacks drawn with matplotlib: one service, a side-by-side comparison,
highlights, a partly revealed stack, and an answers overlay.

matplotlib is imported inside the functions, so ``import srmquiz`` stays light.
``draw_*`` functions return a Figure (never calling ``plt.show()``; ``draw_stack`` also
draws into a given ``ax=``); ``*_png`` functions return PNG bytes, cached where the same
picture comes back.
Owners are told apart by colour, hatch and a text label, so the drawing reads
in greyscale and for colour-blind readers (Okabe-Ito palette).
"""

from __future__ import annotations

import textwrap
from collections.abc import Iterable, Mapping, Sequence
from functools import lru_cache
from typing import TYPE_CHECKING

from srmquiz.core.matrix import Matrix, Owner
from srmquiz.core.palette import EDGE, INK, ORANGE, SKY_BLUE, WHITE
from srmquiz.core.pictures import StackPicture
from srmquiz.core.wording import Wording
from srmquiz.draw.render import figure_bytes, new_figure, plain_text

if TYPE_CHECKING:
    from matplotlib.axes import Axes
    from matplotlib.figure import Figure

STYLE: Mapping[Owner, Mapping[str, str]] = {
    Owner.AWS: {"color": ORANGE, "hatch": "//", "label": "AWS"},
    Owner.CUSTOMER: {"color": SKY_BLUE, "hatch": "..", "label": "Customer"},
}
UNKNOWN: Mapping[str, str] = {"color": WHITE, "hatch": "", "label": "?"}
HIGHLIGHT = INK
TEXT = INK
WRAP = 18  # characters per line inside a box (leaves room for the owner label)
TITLE_WRAP = 34  # characters per title line: a long name never runs into the next stack


def _figure(ax: Axes | None, width: float, height: float) -> tuple[Figure, Axes]:
    if ax is not None:
        return ax.figure, ax  # type: ignore[return-value]
    fig = new_figure(width, height)
    return fig, fig.add_subplot()


def _box(ax: Axes, x: float, y: float, w: float, owner: Owner | None, *, gid: str) -> None:
    from matplotlib.patches import Rectangle

    if owner is None:
        halves = [(x, w, UNKNOWN)]
    elif owner is Owner.SHARED:
        halves = [(x, w / 2, STYLE[Owner.AWS]), (x + w / 2, w / 2, STYLE[Owner.CUSTOMER])]
    else:
        halves = [(x, w, STYLE[owner])]
    for i, (hx, hw, st) in enumerate(halves):
        ax.add_patch(
            Rectangle(
                (hx, y),
                hw,
                0.9,
                facecolor=st["color"],
                hatch=st["hatch"],
                edgecolor=EDGE,
                linewidth=1,
                gid=f"{gid}:{i}",
            )
        )


@plain_text
def draw_stack(
    matrix: Matrix,
    service: str,
    *,
    highlight: Iterable[str] = (),
    reveal: int | Iterable[str] | None = None,
    attempt: Sequence[str | None] | None = None,
    presenter: bool = False,
    ax: Axes | None = None,
) -> Figure:
    """Draw one service's layers bottom to top.

    highlight: layer ids to outline. reveal: show the owners of only the lowest
    `reveal` layers, or of the layer ids given (the rest as "?"), for walkthroughs.
    attempt: a learner's owner label per layer (bottom to top, None = unanswered) to mark right (✓) or wrong (✗).
    """
    svc = matrix.service(service)
    owner_label = Wording(matrix).label
    highlight = set(highlight)
    for lid in highlight:
        matrix.layer(lid)
    scale = 1.5 if presenter else 1.0
    fig, ax = _figure(ax, 6.4 * scale, 0.5 * scale * len(matrix.layers) + 1.2)
    fontsize = 9 * scale
    if reveal is None:
        revealed = set(matrix.layer_ids)
    elif isinstance(reveal, int):
        revealed = set(matrix.layer_ids[:reveal])
    else:
        revealed = set(reveal)
        for lid in revealed:
            matrix.layer(lid)
    for cell in matrix.stack(service):
        layer = matrix.layer(cell.layer)
        y = layer.index
        shown = cell.layer in revealed
        owner = cell.owner if shown else None
        _box(ax, 0.0, y, 1.0, owner, gid=f"layer:{cell.layer}")
        label = "\n".join(textwrap.wrap(layer.name, WRAP))
        ax.text(
            0.03,
            y + 0.45,
            label,
            va="center",
            ha="left",
            fontsize=fontsize,
            color=TEXT,
            bbox={"facecolor": WHITE, "edgecolor": "none", "alpha": 0.85, "pad": 1.5},
            gid=f"name:{cell.layer}",
        )
        owner_text = owner_label(owner) if owner is not None else "?"
        ax.text(
            0.97,
            y + 0.45,
            owner_text,
            va="center",
            ha="right",
            fontsize=fontsize,
            fontweight="bold",
            color=TEXT,
            bbox={"facecolor": WHITE, "edgecolor": "none", "alpha": 0.85, "pad": 1.5},
            gid=f"owner:{cell.layer}",
        )
        if cell.layer in highlight:
            from matplotlib.patches import Rectangle

            ax.add_patch(
                Rectangle(
                    (-0.02, y - 0.04),
                    1.04,
                    0.98,
                    fill=False,
                    edgecolor=HIGHLIGHT,
                    linewidth=3,
                    gid=f"highlight:{cell.layer}",
                )
            )
        if attempt is not None:
            given = attempt[layer.index]
            right = given == owner_label(cell.owner)
            mark = "✓" if right else f"✗ {given or 'none'}"
            ax.text(
                1.04,
                y + 0.45,
                mark,
                va="center",
                ha="left",
                fontsize=fontsize,
                color=TEXT,
                gid=f"mark:{cell.layer}:{'right' if right else 'wrong'}",
            )
    _bracket(ax, matrix, service, fontsize, revealed)
    right_edge = 1.45 if attempt is not None else 1.02
    ax.set_xlim(-0.42, right_edge)
    ax.set_ylim(-0.2, len(matrix.layers) + 0.1)
    ax.set_axis_off()
    category = matrix.categories[svc.category].short
    title = "\n".join(textwrap.wrap(f"{svc.name} ({category})", TITLE_WRAP))
    ax.set_title(title, fontsize=fontsize * 1.25, color=TEXT)
    if ax.figure is fig and len(fig.axes) == 1:
        _legend(fig, fontsize)
    return fig


def _bracket(ax: Axes, matrix: Matrix, service: str, fontsize: float, revealed: set[str]) -> None:
    """'Security of the cloud' beside the bottom run of AWS layers, 'in the cloud' above.

    Only layers already revealed count, so a walkthrough does not give answers away.
    """
    stack = matrix.stack(service)
    run = 0
    while run < len(stack) and stack[run].owner is Owner.AWS and stack[run].layer in revealed:
        run += 1
    spans = [(0, run, "Security OF\nthe cloud\n(AWS)")]
    if all(c.layer in revealed for c in stack):  # while layers are hidden, it would give away
        spans.append((run, len(stack), "Security IN\nthe cloud"))
    for lo, hi, text in spans:
        if hi <= lo:
            continue
        ax.plot(
            [-0.05, -0.08, -0.08, -0.05],
            [lo + 0.02, lo + 0.02, hi - 0.12, hi - 0.12],
            color=TEXT,
            linewidth=1.2,
        )
        ax.text(
            -0.1,
            (lo + hi - 0.1) / 2,
            text,
            ha="right",
            va="center",
            fontsize=fontsize * 0.85,
            color=TEXT,
            gid=f"bracket:{text.split()[1].lower()}",
        )


def _legend(fig: Figure, fontsize: float) -> None:
    from matplotlib.patches import Patch

    handles = [
        Patch(facecolor=s["color"], hatch=s["hatch"], edgecolor=EDGE, label=s["label"])
        for s in STYLE.values()
    ]
    handles.append(
        Patch(
            facecolor=STYLE[Owner.AWS]["color"],
            hatch="//",
            edgecolor=EDGE,
            label="Shared: left half AWS, right half customer",
        )
    )
    fig.legend(handles=handles, loc="lower center", ncol=3, fontsize=fontsize * 0.85, frameon=False)
    fig.subplots_adjust(bottom=0.1)


@plain_text
def draw_comparison(
    matrix: Matrix,
    services: Sequence[str] | None = None,
    *,
    highlight: Iterable[str] = (),
    presenter: bool = False,
) -> Figure:
    """Stacks side by side (EC2 | RDS | S3 by default): the customer's share shrinks."""
    ids = list(services) if services else matrix.service_ids
    for sid in ids:
        matrix.service(sid)
    scale = 1.5 if presenter else 1.0
    fig = new_figure(4.6 * len(ids) * scale, (0.5 * len(matrix.layers) + 1.6) * scale)
    axes = fig.subplots(1, len(ids), squeeze=False)[0]
    for ax, sid in zip(axes, ids, strict=True):
        draw_stack(matrix, sid, highlight=highlight, presenter=presenter, ax=ax)
    _legend(fig, 9 * scale)
    return fig


# Matrices by content checksum: equal content draws the same picture, and unlike
# id() a checksum is never reused by a different matrix after garbage collection.
_MATRICES: dict[str, Matrix] = {}


@plain_text
def draw_picture(matrix: Matrix, picture: StackPicture, *, presenter: bool = False) -> Figure:
    """Draw what a :class:`StackPicture` describes: one stack, or stacks side by side."""
    if picture.comparison:
        return draw_comparison(
            matrix, picture.services, highlight=picture.highlight, presenter=presenter
        )
    return draw_stack(
        matrix,
        picture.services[0],
        highlight=picture.highlight,
        presenter=presenter,
        reveal=picture.reveal,
    )


@lru_cache(maxsize=256)
def _cached_png(
    checksum: str,
    services: tuple[str, ...],
    highlight: tuple[str, ...],
    reveal: tuple[str, ...] | None,
    presenter: bool,
) -> bytes:
    picture = StackPicture(services, highlight, reveal)
    return figure_bytes(draw_picture(_MATRICES[checksum], picture, presenter=presenter))


def picture_png(matrix: Matrix, picture: StackPicture, *, presenter: bool = False) -> bytes:
    """PNG bytes of a picture, cached per (content checksum, picture, presenter).

    Unknown service or layer ids raise UnknownIdError here, not inside the cache.
    """
    for sid in picture.services:
        matrix.service(sid)
    for lid in (*picture.highlight, *(picture.reveal or ())):
        matrix.layer(lid)
    _MATRICES.setdefault(matrix.checksum, matrix)
    return _cached_png(
        matrix.checksum,
        tuple(picture.services),
        tuple(sorted(set(picture.highlight))),
        tuple(sorted(set(picture.reveal))) if picture.reveal is not None else None,
        presenter,
    )


def clear_cache() -> None:
    """Forget every rendered picture (benchmarks measure a first draw with it)."""
    _cached_png.cache_clear()
    _MATRICES.clear()


def stack_png(
    matrix: Matrix,
    service: str,
    highlight: Iterable[str] = (),
    *,
    presenter: bool = False,
    reveal: Iterable[str] | None = None,
) -> bytes:
    """PNG bytes of a service's stack with layers outlined (cached, see picture_png).

    reveal: show the owners of these layer ids only (walkthroughs); None shows all.
    """
    shown = tuple(reveal) if reveal is not None else None
    return picture_png(
        matrix, StackPicture((service,), tuple(highlight), shown), presenter=presenter
    )


def comparison_png(
    matrix: Matrix,
    services: Sequence[str] | None = None,
    highlight: Iterable[str] = (),
    *,
    presenter: bool = False,
) -> bytes:
    """PNG bytes of stacks side by side (all services by default), cached like stack_png."""
    ids = tuple(services) if services else tuple(matrix.service_ids)
    return picture_png(matrix, StackPicture(ids, tuple(highlight)), presenter=presenter)


def attempt_png(matrix: Matrix, service: str, attempt: Sequence[str | None]) -> bytes:
    """PNG bytes of a learner's build-the-stack attempt: wrong layers outlined and marked.

    Not cached: every attempt is different. The figure is dropped once rendered.
    """
    label = Wording(matrix).label
    wrong = [
        cell.layer
        for cell, given in zip(matrix.stack(service), attempt, strict=True)
        if given != label(cell.owner)
    ]
    return figure_bytes(draw_stack(matrix, service, highlight=wrong, attempt=attempt))
