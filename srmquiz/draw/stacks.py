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
from typing import TYPE_CHECKING, Any

from srmquiz.core.matrix import Matrix, Owner
from srmquiz.core.palette import EDGE, FAINT, INK, ORANGE, SKY_BLUE, WHITE
from srmquiz.core.pictures import StackPicture
from srmquiz.core.wording import Wording
from srmquiz.draw.render import figure_bytes, new_figure, plain_text, stored_png

if TYPE_CHECKING:
    from matplotlib.axes import Axes
    from matplotlib.figure import Figure
    from matplotlib.patches import Patch

STYLE: Mapping[Owner, Mapping[str, str]] = {
    Owner.AWS: {"color": ORANGE, "hatch": "//", "label": "AWS"},
    Owner.CUSTOMER: {"color": SKY_BLUE, "hatch": "..", "label": "Customer"},
}
UNKNOWN: Mapping[str, str] = {"color": WHITE, "hatch": "", "label": "?"}
"""A layer whose owner is not yet revealed (walkthroughs)."""
UNSTATED: Mapping[str, str] = {"color": WHITE, "hatch": "xx", "label": "not stated"}
"""A layer the service has but whose owner no source states: no owner colour, its own hatch,
and words (never "?", which means "not yet revealed")."""
ABSENT_TEXT = "not part of this service"
"""Small text in a comparison's blank slot: a layer another chosen service has."""
HIGHLIGHT = INK
TEXT = INK
WRAP = 18  # characters per line inside a box (leaves room for the owner label)
TITLE_WRAP = 34  # characters per title line: a long name never runs into the next stack
PER_ROW = 5
"""Stacks per row of a comparison; more services wrap to further rows."""


def _figure(ax: Axes | None, width: float, height: float) -> tuple[Figure, Axes]:
    if ax is not None:
        return ax.figure, ax  # type: ignore[return-value]
    fig = new_figure(width, height)
    return fig, fig.add_subplot()


def _box(
    ax: Axes,
    x: float,
    y: float,
    w: float,
    owner: Owner | None,
    *,
    gid: str,
    style: Mapping[str, str] = UNKNOWN,
) -> None:
    from matplotlib.patches import Rectangle

    if owner is None:
        halves = [(x, w, style)]
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


def _absent(ax: Axes, y: float, lid: str, fontsize: float) -> None:
    """A blank slot: a layer of another chosen service that this one does not have."""
    from matplotlib.patches import Rectangle

    ax.add_patch(
        Rectangle(
            (0.0, y),
            1.0,
            0.9,
            fill=False,
            edgecolor=FAINT,
            linestyle="--",
            linewidth=0.8,
            gid=f"absent:{lid}",
        )
    )
    ax.text(
        0.5,
        y + 0.45,
        ABSENT_TEXT,
        va="center",
        ha="center",
        fontsize=fontsize * 0.75,
        fontstyle="italic",
        color=EDGE,
        gid=f"absent:{lid}",
    )


def _label(ax: Axes, x: float, y: float, text: str, ha: str, gid: str, **style: Any) -> None:
    ax.text(
        x,
        y,
        text,
        va="center",
        ha=ha,
        color=TEXT,
        bbox={"facecolor": WHITE, "edgecolor": "none", "alpha": 0.85, "pad": 1.5},
        gid=gid,
        **style,
    )


def _revealed(matrix: Matrix, own: list[str], reveal: int | Iterable[str] | None) -> set[str]:
    if reveal is None:
        return set(own)
    if isinstance(reveal, int):
        return set(own[:reveal])
    revealed = set(reveal)
    for lid in revealed:
        matrix.layer(lid)
    return revealed


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
    rows: Sequence[str] | None = None,
) -> Figure:
    """Draw one service's layers (:meth:`Matrix.layers_of`) bottom to top.

    highlight: layer ids to outline (those the service has). reveal: show the owners of only
    the service's lowest `reveal` layers, or of the layer ids given (the rest as "?"), for
    walkthroughs. A layer whose owner no source states is drawn as "not stated" (white,
    cross-hatched), revealed or not: it hides no answer.
    attempt: a learner's owner label per stated layer (the cells of ``matrix.stack``, bottom
    to top, None = unanswered) to mark right (✓) or wrong (✗).
    rows: layer ids giving each row's height (a comparison aligns its stacks with the union
    of their layers); a row this service does not have is a blank slot. Default: its own.
    """
    svc = matrix.service(service)
    owner_label = Wording(matrix).label
    highlight = set(highlight)
    for lid in highlight:
        matrix.layer(lid)
    own = [la.id for la in matrix.layers_of(service)]
    rows = list(rows) if rows is not None else own
    for lid in rows:
        matrix.layer(lid)
    y_of = {lid: y for y, lid in enumerate(rows)}
    missing = [lid for lid in own if lid not in y_of]
    if missing:
        raise ValueError(f"rows leave out layers of {service}: {', '.join(missing)}")
    scale = 1.5 if presenter else 1.0
    fig, ax = _figure(ax, 6.4 * scale, 0.5 * scale * len(rows) + 1.2)
    fontsize = 9 * scale
    revealed = _revealed(matrix, own, reveal)
    marks: dict[str, str | None] = {}
    if attempt is not None:
        stack = matrix.stack(service)
        if len(attempt) != len(stack):
            raise ValueError(
                f"the attempt gives {len(attempt)} owners; {service} has {len(stack)} stated layers"
            )
        marks = {c.layer: given for c, given in zip(stack, attempt, strict=True)}
    for lid in rows:
        if lid not in own:
            _absent(ax, y_of[lid], lid, fontsize)
    for lid in own:
        layer = matrix.layer(lid)
        y = y_of[lid]
        stated = matrix.has(service, lid)
        cell = matrix.cells[(service, lid)] if stated else None
        if cell is None:
            owner, style, owner_text = None, UNSTATED, UNSTATED["label"]
        elif lid in revealed:
            owner, style, owner_text = cell.owner, UNKNOWN, owner_label(cell.owner)
        else:
            owner, style, owner_text = None, UNKNOWN, UNKNOWN["label"]
        _box(ax, 0.0, y, 1.0, owner, gid=f"layer:{lid}", style=style)
        label = "\n".join(textwrap.wrap(layer.name, WRAP))
        _label(ax, 0.03, y + 0.45, label, "left", f"name:{lid}", fontsize=fontsize)
        _label(
            ax,
            0.97,
            y + 0.45,
            owner_text,
            "right",
            f"owner:{lid}",
            fontsize=fontsize * (0.85 if cell is None else 1.0),
            fontweight="normal" if cell is None else "bold",
            fontstyle="italic" if cell is None else "normal",
        )
        if lid in highlight:
            from matplotlib.patches import Rectangle

            ax.add_patch(
                Rectangle(
                    (-0.02, y - 0.04),
                    1.04,
                    0.98,
                    fill=False,
                    edgecolor=HIGHLIGHT,
                    linewidth=3,
                    gid=f"highlight:{lid}",
                )
            )
        if cell is not None and lid in marks:
            given = marks[lid]
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
                gid=f"mark:{lid}:{'right' if right else 'wrong'}",
            )
    _bracket(ax, matrix, service, fontsize, revealed, y_of)
    right_edge = 1.45 if attempt is not None else 1.02
    ax.set_xlim(-0.42, right_edge)
    ax.set_ylim(-0.2, len(rows) + 0.1)
    ax.set_axis_off()
    category = matrix.categories[svc.category].short
    title = "\n".join(textwrap.wrap(f"{svc.name} ({category})", TITLE_WRAP))
    ax.set_title(title, fontsize=fontsize * 1.25, color=TEXT)
    if ax.figure is fig and len(fig.axes) == 1:
        _legend(fig, fontsize, unstated=bool(svc.unstated))
    return fig


def _bracket(
    ax: Axes,
    matrix: Matrix,
    service: str,
    fontsize: float,
    revealed: set[str],
    y_of: Mapping[str, int],
) -> None:
    """'Security of the cloud' beside the bottom run of AWS layers, 'in the cloud' above.

    Only layers already revealed count, so a walkthrough does not give answers away. The
    run ends at the last AWS layer below the first layer AWS does not hold; an unstated
    layer inside the run stays in it (AWS layers lie above it), and so does a shared layer
    below every AWS layer (Outposts: AWS's hardware on the customer's site). Heights come
    from `y_of`, so the brackets stay on their layers when a comparison leaves blank slots.
    """
    own = [la.id for la in matrix.layers_of(service)]
    stack = [c.layer for c in matrix.stack(service)]
    run = 0
    for i, lid in enumerate(own):
        cell = matrix.cells.get((service, lid))
        if cell is None:
            continue  # unstated: inside the run only if an AWS layer lies above it
        if lid not in revealed:
            break
        if cell.owner is Owner.AWS:
            run = i + 1
        elif not (cell.owner is Owner.SHARED and run == 0):
            break
    spans = [(own[:run], "Security OF\nthe cloud\n(AWS)")]
    if all(lid in revealed for lid in stack):  # while layers are hidden, it would give away
        spans.append((own[run:], "Security IN\nthe cloud"))
    for layers, text in spans:
        if not layers:
            continue
        lo, hi = y_of[layers[0]], y_of[layers[-1]] + 1
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


def legend_handles(*, unstated: bool) -> list[Patch]:
    """The owner key every drawing of cells shares: AWS, customer, shared (half and half)
    and, when a drawing has one, "not stated"."""
    from matplotlib.patches import Patch

    handles = [
        Patch(facecolor=s["color"], hatch=s["hatch"], edgecolor=EDGE, label=s["label"])
        for s in STYLE.values()
    ]
    handles.append(
        Patch(
            facecolor=STYLE[Owner.AWS]["color"],
            hatch=STYLE[Owner.AWS]["hatch"],
            edgecolor=EDGE,
            label="Shared: left half AWS, right half customer",
        )
    )
    if unstated:
        handles.append(
            Patch(
                facecolor=UNSTATED["color"],
                hatch=UNSTATED["hatch"],
                edgecolor=EDGE,
                label="Not stated: no source says who owns it",
            )
        )
    return handles


def _legend(fig: Figure, fontsize: float, *, unstated: bool = False, bottom: float = 0.1) -> None:
    handles = legend_handles(unstated=unstated)
    ncol = 4 if unstated else 3
    fig.legend(
        handles=handles, loc="lower center", ncol=ncol, fontsize=fontsize * 0.85, frameon=False
    )
    fig.subplots_adjust(bottom=bottom)


def comparison_rows(matrix: Matrix, services: Iterable[str]) -> list[str]:
    """The rows a comparison aligns its stacks on: every layer any of the services has
    (stated or not), in the matrix's order, bottom to top."""
    have = {la.id for sid in services for la in matrix.layers_of(sid)}
    return [lid for lid in matrix.layer_ids if lid in have]


def grid(count: int) -> tuple[int, int]:
    """(rows, columns) of stacks for a comparison of `count` services: one row up to
    :data:`PER_ROW`, then as many rows as needed with the stacks spread evenly."""
    nrows = max(1, -(-count // PER_ROW))
    return nrows, -(-count // nrows)


@plain_text
def draw_comparison(
    matrix: Matrix,
    services: Sequence[str] | None = None,
    *,
    highlight: Iterable[str] = (),
    presenter: bool = False,
) -> Figure:
    """Stacks side by side (every service by default): the customer's share shrinks.

    Rows are aligned on :func:`comparison_rows`, so a layer sits at the same height in
    every stack; a layer a service does not have is a blank slot. More than
    :data:`PER_ROW` services wrap to further rows of stacks.
    """
    ids = list(dict.fromkeys(services)) if services else matrix.service_ids
    for sid in ids:
        matrix.service(sid)
    highlight = tuple(highlight)
    rows = comparison_rows(matrix, ids)
    nrows, ncols = grid(len(ids))
    scale = 1.5 if presenter else 1.0
    stack_height = (0.5 * len(rows) + 1.6) * scale
    height = stack_height * nrows
    fig = new_figure(4.6 * ncols * scale, height)
    axes = fig.subplots(nrows, ncols, squeeze=False).flatten()
    for ax in axes[len(ids) :]:
        fig.delaxes(ax)
    for ax, sid in zip(axes, ids, strict=False):
        draw_stack(matrix, sid, highlight=highlight, presenter=presenter, ax=ax, rows=rows)
    unstated = any(matrix.service(sid).unstated for sid in ids)
    if nrows == 1:
        _legend(fig, 9 * scale, unstated=unstated)
    else:  # keep the legend and the top titles a fixed height, not a share of a tall page
        _legend(fig, 9 * scale, unstated=unstated, bottom=0.8 * scale / height)
        fig.subplots_adjust(top=1 - 0.8 * scale / height, hspace=0.25)
    return fig


# Matrices by content checksum: equal content draws the same picture, and unlike
# id() a checksum is never reused by a different matrix after garbage collection.
_MATRICES: dict[str, Matrix] = {}


@plain_text
def draw_picture(matrix: Matrix, picture: StackPicture, *, presenter: bool = False) -> Figure:
    """Draw what a :class:`StackPicture` describes: one stack, stacks side by side, or the
    spectrum of the services from the customer's largest share to the smallest."""
    if picture.spectrum:
        from srmquiz.draw.spectrum import draw_spectrum

        return draw_spectrum(matrix, picture.services, presenter=presenter)
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
    spectrum: bool,
    presenter: bool,
) -> bytes:
    picture = StackPicture(services, highlight, reveal, spectrum)
    key = (
        "stack",
        checksum,
        ",".join(services),
        ",".join(highlight),
        "all" if reveal is None else ",".join(reveal),
        f"spectrum={spectrum}",
        f"presenter={presenter}",
    )
    return stored_png(
        key,
        lambda: figure_bytes(draw_picture(_MATRICES[checksum], picture, presenter=presenter)),
    )


def picture_png(matrix: Matrix, picture: StackPicture, *, presenter: bool = False) -> bytes:
    """PNG bytes of a picture, cached per (content checksum, picture, presenter); a matrix
    without a checksum (made in code) is drawn every time.

    Unknown service or layer ids raise UnknownIdError here, not inside the cache.
    """
    for sid in picture.services:
        matrix.service(sid)
    for lid in (*picture.highlight, *(picture.reveal or ())):
        matrix.layer(lid)
    key = (
        tuple(picture.services),
        tuple(sorted(set(picture.highlight))),
        tuple(sorted(set(picture.reveal))) if picture.reveal is not None else None,
        picture.spectrum,
        presenter,
    )
    if not matrix.checksum:  # a matrix made in code: nothing tells it from another one
        return figure_bytes(draw_picture(matrix, StackPicture(*key[:4]), presenter=presenter))
    _MATRICES.setdefault(matrix.checksum, matrix)
    return _cached_png(matrix.checksum, *key)


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
