"""Charts for progress and classes: service × layer heatmaps, score histograms, difficulty bars.

Like the stacks, these import matplotlib inside the functions and draw on a Figure
(no pyplot). Every cell and bar carries its number as text, so nothing depends on
reading a colour. A heatmap's colour map (:data:`HEAT_MAP`) runs from a pale yellow to a
strong dark red, so the prominent end is where the trouble is (many mistakes, little
mastered); it is a ColorBrewer scheme marked safe for colour-vision deficiencies, and its
lightness falls steadily, so it reads in greyscale too.
"""

from __future__ import annotations

import textwrap
from collections.abc import Iterable, Mapping, Sequence
from typing import TYPE_CHECKING, Any

from srmquiz.core.matrix import Matrix
from srmquiz.core.palette import BLUE, EDGE, FAINT, INK, SKY_BLUE, WHITE
from srmquiz.core.results import QuestionStat
from srmquiz.draw.render import figure_bytes, new_figure, plain_text

if TYPE_CHECKING:
    from matplotlib.axes import Axes
    from matplotlib.figure import Figure

HEAT_MAP = "YlOrRd"
"""Sequential colour map of heatmap cells: pale = few mistakes, strong dark red = many."""
HEAT_FLOOR = 0.08
"""Where on HEAT_MAP 0% mistakes falls: a faint tint, so a cell with answers never looks
like a blank one (not asked)."""
EMPTY_TEXT = "–"
"""A cell with no answers yet: no fill, only this dash."""
UNSTATED_HATCH = "\\\\"
"""A layer whose owner no source states (marked "not stated"): never asked or counted."""
UNSTATED_TEXT = "not stated"
COLUMN_WRAP = 16
"""Characters per line of a service name over a heatmap column (1.5 in wide)."""


def _marked(
    ax: Axes, x: int, y: int, key: str, kind: str, hatch: str, text: str, **style: Any
) -> None:
    """A white, hatched heatmap cell that holds no value, with words saying why."""
    from matplotlib.patches import Rectangle

    ax.add_patch(
        Rectangle(
            (x, y), 1, 1, facecolor=WHITE, hatch=hatch, edgecolor=FAINT, gid=f"cell:{key}:{kind}"
        )
    )
    ax.text(x + 0.5, y + 0.5, text, ha="center", va="center", gid=f"label:{key}", **style)


@plain_text
def heatmap(
    matrix: Matrix,
    values: Mapping[tuple[str, str], float | None],
    *,
    title: str,
    scale: str = "mastery",
    counts: Mapping[tuple[str, str], tuple[int, int]] | None = None,
    services: Sequence[str] | None = None,
) -> Figure:
    """Services across, layers up the side (data on top, like the stacks).

    scale="mistakes": 0..1 share wrong. scale="mastery": 0..1 share mastered, higher is
    better. Either way the strong colour is the trouble (many mistakes, little mastered).
    counts (optional): (numerator, denominator) per cell, printed under the percentage.
    services (optional): the columns to draw (default every service), in the matrix's order.
    Cells with no value (not asked) are left plainly blank: no fill, a dash. Only the matrix's cells are
    drawn with a value: a layer a service does not have is a plain blank (no number), one
    whose owner no source states is hatched and marked "not stated"; values given for
    either are ignored (never counted).
    """
    from matplotlib.patches import Rectangle

    services = (
        matrix.service_ids
        if services is None
        else [sid for sid in matrix.service_ids if sid in set(services)]
    )
    layers = matrix.layer_ids  # y grows upwards: data on top
    fig = new_figure(2.0 + 1.5 * len(services), 0.45 * len(layers) + 1.6)
    ax = fig.add_subplot()
    from matplotlib import colormaps

    cmap = colormaps[HEAT_MAP]
    for x, sid in enumerate(services):
        own = {la.id for la in matrix.layers_of(sid)}
        for y, lid in enumerate(layers):
            if lid not in own:  # the service has no such layer: a plain blank, no number
                ax.add_patch(
                    Rectangle(
                        (x, y),
                        1,
                        1,
                        facecolor=WHITE,
                        edgecolor=FAINT,
                        gid=f"cell:{sid}:{lid}:absent",
                    )
                )
                continue
            if not matrix.has(sid, lid):  # unstated: never asked, so never counted
                _marked(ax, x, y, f"{sid}:{lid}", "unstated", UNSTATED_HATCH, UNSTATED_TEXT,
                        fontsize=7, fontstyle="italic",
                        bbox={"facecolor": WHITE, "edgecolor": "none", "pad": 1})  # fmt: skip
                continue
            v = values.get((sid, lid))
            if v is None:  # not asked: plainly blank
                ax.add_patch(
                    Rectangle(
                        (x, y), 1, 1, fill=False, edgecolor=FAINT, gid=f"cell:{sid}:{lid}:empty"
                    )
                )
                ax.text(x + 0.5, y + 0.5, EMPTY_TEXT, ha="center", va="center", fontsize=9,
                        color=INK, gid=f"label:{sid}:{lid}")  # fmt: skip
                continue
            trouble = v if scale == "mistakes" else 1 - v
            colour = cmap(HEAT_FLOOR + (1 - HEAT_FLOOR) * trouble)
            ax.add_patch(
                Rectangle((x, y), 1, 1, facecolor=colour, edgecolor=WHITE, gid=f"cell:{sid}:{lid}")
            )
            r, g, b, _ = colour
            ink = INK if 0.299 * r + 0.587 * g + 0.114 * b > 0.5 else WHITE
            text = f"{round(100 * v)}%"
            if counts and (sid, lid) in counts:
                num, den = counts[(sid, lid)]
                text += f"\n{num}/{den}"
            ax.text(
                x + 0.5,
                y + 0.5,
                text,
                ha="center",
                va="center",
                fontsize=8,
                color=ink,
                gid=f"label:{sid}:{lid}",
            )
    ax.set_xlim(0, len(services))
    ax.set_ylim(0, len(layers))
    ax.set_xticks([i + 0.5 for i in range(len(services))])
    names = [textwrap.wrap(matrix.service(s).name, COLUMN_WRAP) or [""] for s in services]
    ax.set_xticklabels(["\n".join(lines) for lines in names])
    ax.xaxis.tick_top()
    ax.set_yticks([i + 0.5 for i in range(len(layers))])
    ax.set_yticklabels([matrix.layer(lid).name for lid in layers])
    ax.tick_params(length=0)
    for spine in ax.spines.values():
        spine.set_visible(False)
    ax.set_title(title, fontsize=10, pad=16 + 11 * max(len(lines) for lines in names))
    fig.tight_layout()
    return fig


def heatmap_png(
    matrix: Matrix,
    values: Mapping[tuple[str, str], float | None],
    *,
    title: str,
    scale: str = "mastery",
    counts: Mapping[tuple[str, str], tuple[int, int]] | None = None,
    services: Sequence[str] | None = None,
) -> bytes:
    """PNG bytes of :func:`heatmap`."""
    return figure_bytes(
        heatmap(matrix, values, title=title, scale=scale, counts=counts, services=services)
    )


def asked_services(matrix: Matrix, cells: Iterable[tuple[str, str]]) -> list[str]:
    """The services (in the matrix's order) that have a cell among ``cells``; all when none."""
    asked = {sid for sid, _layer in cells}
    return [sid for sid in matrix.service_ids if sid in asked] or matrix.service_ids


def heatmap_width(services: Sequence[str]) -> str:
    """The width a heatmap of these services is shown at: its own, so its text stays legible."""
    return f"{round(100 * (2.0 + 1.5 * len(services)))}px"


@plain_text
def score_histogram(percents: Sequence[float], *, title: str = "Scores") -> Figure:
    """How many students scored in each 10-point band, with the count on every bar."""

    fig = new_figure(6.4, 3.2)
    ax = fig.add_subplot()
    bands = [0] * 10
    for p in percents:
        bands[min(int(p // 10), 9)] += 1
    labels = [f"{10 * i}–{10 * i + 9}" if i < 9 else "90–100" for i in range(10)]
    bars = ax.bar(range(10), bands, color=BLUE, hatch="//", edgecolor=EDGE)
    for i, (bar, count) in enumerate(zip(bars, bands, strict=True)):
        bar.set_gid(f"band:{i}")
        if count:
            ax.text(bar.get_x() + bar.get_width() / 2, count, str(count), ha="center", va="bottom")
    ax.set_xticks(range(10))
    ax.set_xticklabels(labels, fontsize=8)
    ax.set_xlabel("Score (%)")
    ax.set_ylabel("Students")
    ax.set_ylim(0, max(bands + [1]) * 1.2)
    from matplotlib.ticker import MaxNLocator

    ax.yaxis.set_major_locator(MaxNLocator(integer=True))  # whole students only
    ax.set_title(title, fontsize=10)
    fig.tight_layout()
    return fig


BAR_LABEL_WIDTH = 60
"""Characters of a question's name beside its bar (longer ones end in "…")."""


@plain_text
def difficulty_bars(
    stats: Sequence[QuestionStat],
    *,
    title: str = "Per question",
    names: Mapping[str, str] | None = None,
) -> Figure:
    """Share of students right per question, hardest at the top, with the number on each bar.

    names: question id -> how the question is named beside its bar ("Q3 · Who patches…");
    a question without one is named by its id.
    """
    names = names or {}

    def name(question_id: str) -> str:
        text = names.get(question_id, question_id)
        return text if len(text) <= BAR_LABEL_WIDTH else text[: BAR_LABEL_WIDTH - 1] + "…"

    rows = sorted(stats, key=lambda s: (s.percent_right, s.question_id), reverse=True)
    fig = new_figure(9.0, 0.32 * len(rows) + 1.2)
    ax = fig.add_subplot()
    ys = range(len(rows))
    bars = ax.barh(
        list(ys),
        [s.percent_right for s in rows],
        color=SKY_BLUE,
        hatch="..",
        edgecolor=EDGE,
    )
    for bar, s in zip(bars, rows, strict=True):
        bar.set_gid(f"question:{s.question_id}")
        ax.text(
            bar.get_width() + 1,
            bar.get_y() + bar.get_height() / 2,
            f"{s.percent_right}% ({s.right}/{s.asked})",
            va="center",
            fontsize=8,
        )
    ax.set_yticks(list(ys))
    ax.set_yticklabels([name(s.question_id) for s in rows], fontsize=8)
    ax.set_xlim(0, 118)
    ax.set_xlabel("Answered right (%)")
    ax.set_title(title, fontsize=10)
    fig.tight_layout()
    return fig
