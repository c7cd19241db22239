"""A learner's record: answers so far in words, the most recent ones, a mastery heatmap."""

from __future__ import annotations

import time

import ipywidgets as widgets

from srmquiz.core.matrix import Matrix
from srmquiz.core.review import MASTERED_BOX, Attempt, BoxState
from srmquiz.widgets.html import RIGHT_MARK, WRONG_MARK, alert_html, esc, png_image


def history_widget(
    matrix: Matrix,
    who: str,
    attempts: list[Attempt],
    boxes: dict[str, BoxState],
    counts: dict[tuple[str, str], tuple[int, int]],
    notice: str,
) -> widgets.VBox:
    """The learner's record in words, the most recent answers, and the mastery heatmap.

    counts: per (service, layer), (questions mastered, questions seen), as the store
    computes them; notice: one line about the progress database, or "".
    """
    from srmquiz.draw.charts import heatmap_png

    if not attempts:
        text = f"<p>No answers kept yet for <strong>{esc(who)}</strong>. Take a quiz above.</p>"
        parts: list[widgets.Widget] = [widgets.HTML(text)]
    else:
        right = sum(a.correct for a in attempts)
        first = time.strftime("%Y-%m-%d", time.localtime(attempts[0].answered_at))
        now = time.time()
        due = sum(1 for b in boxes.values() if b.due <= now)
        mastered = sum(1 for b in boxes.values() if b.box >= MASTERED_BOX)
        text = (
            f"<p><strong>{esc(who)}</strong>: {len(attempts)} answers since {first}, "
            f"{right} right ({round(100 * right / len(attempts))}%). "
            f"{len(boxes)} different questions seen; {mastered} answered right at least twice "
            f"in a row; {due} due for review now.</p>"
        )
        recent = "".join(
            f"<li>{f'{RIGHT_MARK} right' if a.correct else f'{WRONG_MARK} wrong'}: "
            f"{esc(a.question_id)}</li>"
            for a in attempts[-5:][::-1]
        )
        values = {k: (m / n if n else None) for k, (m, n) in counts.items()}
        png = heatmap_png(
            matrix,
            values,
            title="Mastery: questions answered right at least twice in a row",
            scale="mastery",
            counts={k: v for k, v in counts.items() if v[1]},
        )
        caption = widgets.HTML(
            "<p><small>Each cell: the percentage of that service and layer's questions "
            "you have mastered, and how many of how many; a dash means not asked yet. "
            "<code>srmquiz.review()</code> asks what is due first.</small></p>"
        )
        parts = [
            widgets.HTML(text + f"<p>Most recent:</p><ul>{recent}</ul>"),
            png_image(png),
            caption,
        ]
    if notice:
        parts.insert(0, widgets.HTML(alert_html(notice)))
    return widgets.VBox(parts)
