"""A learner's record: whose it is, answers so far in words, the most recent ones, and a
heatmap of mistakes per service and layer."""

from __future__ import annotations

import time
from collections.abc import Mapping, Sequence

import ipywidgets as widgets

from srmquiz.core.matrix import Matrix
from srmquiz.core.results import NAME_WIDTH, question_name, shown
from srmquiz.core.review import MASTERED_BOX, Attempt, BoxState, mistakes_by_cell
from srmquiz.widgets.html import RIGHT_MARK, WRONG_MARK, alert_html, esc, heatmap_alt, png_image
from srmquiz.widgets.style import stylesheet

OTHERS_SHOWN = 5
"""Other learners of the database the history names at most."""


def _whose(who: str, others: Sequence[tuple[str, int]]) -> str:
    """Whose record this is, and how to see another one."""
    text = (
        f"<p class='srmq-whose'>Record of <strong>{esc(shown(who, NAME_WIDTH))}</strong>. "
        'Another learner\'s: <code>srmquiz.history(learner="…")</code>'
    )
    if others:
        names = ", ".join(
            f"{esc(shown(name, NAME_WIDTH))} ({n} answer{'s' if n != 1 else ''})"
            for name, n in others[:OTHERS_SHOWN]
        )
        more = len(others) - OTHERS_SHOWN
        text += f"; also in this database: {names}" + (f" and {more} more" if more > 0 else "")
    return text + ".</p>"


def _named(matrix: Matrix, attempt: Attempt, texts: Mapping[str, str]) -> str:
    """The question of an attempt in words: its text, else what it was about."""
    if attempt.question_id in texts:
        return question_name(attempt.question_id, texts, {})
    about = [
        matrix.service(attempt.service).name if attempt.service in matrix.service_ids else "",
        matrix.layer(attempt.layer).name if attempt.layer in matrix.layer_ids else "",
    ]
    words = ", ".join(a for a in about if a)
    kind = attempt.kind.replace("-", " ") if attempt.kind else "a"
    return f"{kind} question" + (f" on {words}" if words else "")


def history_widget(
    matrix: Matrix,
    who: str,
    attempts: list[Attempt],
    boxes: dict[str, BoxState],
    notice: str,
    *,
    texts: Mapping[str, str] | None = None,
    others: Sequence[tuple[str, int]] = (),
) -> widgets.VBox:
    """The learner's record in words, the most recent answers, and the mistakes heatmap.

    texts: question id -> question text (a question is named by its text, never its id);
    others: (learner, answers) of the other learners in the database; notice: one line
    about the progress database, or "".
    """
    from srmquiz.draw.charts import asked_services, heatmap_png, heatmap_width

    texts = texts or {}
    whose = _whose(who, others)
    if not attempts:
        text = f"<p>No answers kept yet for <strong>{esc(who)}</strong>. Take a quiz above.</p>"
        parts: list[widgets.Widget] = [widgets.HTML(whose + text)]
    else:
        right = sum(a.correct for a in attempts)
        first = time.strftime("%Y-%m-%d", time.localtime(attempts[0].answered_at))
        now = time.time()
        due = sum(1 for b in boxes.values() if b.due <= now)
        mastered = sum(1 for b in boxes.values() if b.box >= MASTERED_BOX)
        sessions = sorted({a.session for a in attempts if a.session})
        in_sessions = (
            f" Classroom session{'s' if len(sessions) != 1 else ''}: {esc(', '.join(sessions))}."
            if sessions
            else ""
        )
        text = (
            f"<p><strong>{esc(who)}</strong>: {len(attempts)} answer"
            f"{'s' if len(attempts) != 1 else ''} since {first}, "
            f"{right} right ({round(100 * right / len(attempts))}%). "
            f"{len(boxes)} different question{'s' if len(boxes) != 1 else ''} seen; "
            f"{mastered} answered right at least twice in a row; {due} due for review now."
            f"{in_sessions}</p>"
        )
        recent = "".join(
            f"<li>{f'{RIGHT_MARK} right' if a.correct else f'{WRONG_MARK} wrong'}: "
            f"{esc(_named(matrix, a, texts))}</li>"
            for a in attempts[-5:][::-1]
        )
        counts = mistakes_by_cell(attempts)
        values = {k: w / n for k, (w, n) in counts.items() if n}
        columns = asked_services(matrix, counts)
        png = heatmap_png(
            matrix,
            values,
            title="Your mistakes per service and layer (share of your answers wrong)",
            scale="mistakes",
            counts=counts,
            services=columns,
        )
        caption = widgets.HTML(
            "<p class='srmq-caption'>Each cell: the share of your answers on that service "
            "and layer that were wrong, and how many of how many; the stronger the colour, "
            "the more mistakes. A blank cell has not been asked yet; only the services "
            "you have answered on are drawn. "
            "<code>srmquiz.review()</code> asks what is due first.</p>"
        )
        parts = [
            widgets.HTML(whose + text + f"<p>Most recent:</p><ul>{recent}</ul>"),
            png_image(png, heatmap_width(columns), heatmap_alt(matrix, values, "your")),
            caption,
        ]
    if notice:
        parts.insert(0, widgets.HTML(alert_html(notice)))
    box = widgets.VBox([stylesheet(), *parts])
    box.add_class("srmquiz-history")
    box.add_class("srmq-card")
    return box
