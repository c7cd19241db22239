"""The spectrum picture: one bar per service, from IaaS (the customer holds most) to
serverless (AWS holds most), each split into the customer's, shared and AWS's layers.

The numbers come from :mod:`srmquiz.core.spectrum` (customer share =
``(customer + 0.5 * shared) / stated`` layers). matplotlib is imported inside the functions.
Owners are told apart by colour (Okabe-Ito), hatch and numbers written on the segments,
so the picture reads in greyscale and for colour-blind readers.
"""

from __future__ import annotations

import textwrap
from collections.abc import Iterable, Mapping
from typing import TYPE_CHECKING

from srmquiz.core.matrix import Matrix, Owner
from srmquiz.core.palette import BLUE, EDGE, INK, ORANGE, SKY_BLUE, WHITE
from srmquiz.core.pictures import StackPicture
from srmquiz.core.spectrum import Share, spectrum
from srmquiz.draw.render import new_figure, plain_text

if TYPE_CHECKING:
    from matplotlib.axes import Axes
    from matplotlib.figure import Figure

SEGMENTS: Mapping[Owner, Mapping[str, str]] = {
    Owner.CUSTOMER: {"color": SKY_BLUE, "hatch": "..", "label": "Customer"},
    Owner.SHARED: {"color": BLUE, "hatch": "\\\\", "label": "Shared (AWS and customer)"},
    Owner.AWS: {"color": ORANGE, "hatch": "//", "label": "AWS"},
}
"""Segments left to right: the customer's share reads from zero, as the spectrum orders it.
AWS and the customer look as in the stacks; shared has its own colour and hatch."""
NAME_WRAP = 30
"""Characters per line of a service name left of its bar."""
TITLE = "From IaaS to serverless: who holds each service's layers"
MIN_LABEL = 7.0
"""Narrowest segment (percent of the bar) that carries its number inside."""


def _bar(ax: Axes, y: float, item: Share, fontsize: float) -> None:
    left = 0.0
    for owner, style in SEGMENTS.items():
        width = 100 * item.fraction(owner)
        if not width:
            continue
        ax.barh(
            y,
            width,
            left=left,
            height=0.7,
            color=style["color"],
            hatch=style["hatch"],
            edgecolor=EDGE,
            gid=f"segment:{item.service}:{owner.value}",
        )
        if width >= MIN_LABEL:
            ax.text(
                left + width / 2,
                y,
                str(item.count(owner)),
                ha="center",
                va="center",
                fontsize=fontsize,
                fontweight="bold",
                color=INK,
                bbox={"facecolor": WHITE, "edgecolor": "none", "alpha": 0.85, "pad": 1.2},
                gid=f"count:{item.service}:{owner.value}",
            )
        left += width


@plain_text
def draw_spectrum(
    matrix: Matrix, services: Iterable[str] | None = None, *, presenter: bool = False
) -> Figure:
    """One horizontal bar per service (all by default), the customer's largest share on top.

    Each bar is split into the layers the customer holds, shares with AWS, and AWS holds,
    as a percentage of the service's stated layers, with the counts written on it; beside
    it, the service's category, its customer share and any layers no source states.
    """
    from matplotlib.patches import Patch

    items = spectrum(matrix, services)
    scale = 1.5 if presenter else 1.0
    fontsize = 9 * scale
    fig = new_figure(10 * scale, (0.5 * len(items) + 2.2) * scale)
    ax = fig.add_subplot()
    top = len(items) - 1
    for i, item in enumerate(items):
        y = top - i  # the largest customer share on top
        _bar(ax, y, item, fontsize * 0.9)
        svc = matrix.service(item.service)
        beside = (
            f"{matrix.categories[svc.category].short} · customer "
            f"{round(100 * item.customer_share)}%"
        )
        if item.unstated:
            beside += f" · {item.unstated} not stated"
        ax.text(
            101.5,
            y,
            beside,
            ha="left",
            va="center",
            fontsize=fontsize * 0.9,
            color=INK,
            gid=f"category:{item.service}",
        )
    ax.set_yticks([top - i for i in range(len(items))])
    ax.set_yticklabels(
        ["\n".join(textwrap.wrap(matrix.service(s.service).name, NAME_WRAP)) for s in items],
        fontsize=fontsize,
    )
    ax.set_ylim(-0.6, top + 0.6)
    ax.set_xlim(0, 100)
    ax.set_xticks(range(0, 101, 20))
    ax.tick_params(axis="x", labelsize=fontsize * 0.9)
    ax.tick_params(axis="y", length=0)
    ax.set_xlabel("Share of the service's stated layers (%)", fontsize=fontsize)
    for side in ("top", "right"):
        ax.spines[side].set_visible(False)
    ax.set_title(TITLE, fontsize=fontsize * 1.25, color=INK, pad=30 * scale)  # legend below it
    handles = [
        Patch(facecolor=s["color"], hatch=s["hatch"], edgecolor=EDGE, label=s["label"])
        for s in SEGMENTS.values()
    ]
    ax.legend(
        handles=handles,
        loc="lower center",
        bbox_to_anchor=(0.5, 1.0),
        ncol=3,
        fontsize=fontsize * 0.9,
        frameon=False,
    )
    fig.tight_layout()
    return fig


def spectrum_png(
    matrix: Matrix, services: Iterable[str] | None = None, *, presenter: bool = False
) -> bytes:
    """PNG bytes of :func:`draw_spectrum` (all services by default), cached with the other
    pictures by :func:`srmquiz.draw.stacks.picture_png`; unknown ids raise UnknownIdError."""
    from srmquiz.draw.stacks import picture_png

    chosen = tuple(dict.fromkeys(services)) if services is not None else tuple(matrix.service_ids)
    return picture_png(matrix, StackPicture(chosen, spectrum=True), presenter=presenter)
