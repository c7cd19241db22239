"""The feedback a quiz shows: verdicts, explanations, pictures and the summary, as HTML.

Builders only, no widgets: :mod:`srmquiz.widgets.quiz` puts their HTML on screen. Everything
that comes from content or a learner is escaped here.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from typing import Protocol

from srmquiz.core.matrix import Matrix
from srmquiz.core.pictures import question_picture
from srmquiz.core.questions import Answer, Question
from srmquiz.widgets.html import (
    RIGHT_MARK,
    WRONG_MARK,
    esc,
    picture_caption,
    sources_html,
    table_html,
    verdict_html,
)


class Answered(Protocol):
    """A question and the answer kept for it (a run's slot, or a question view)."""

    @property
    def question(self) -> Question:
        """The question asked."""
        ...

    @property
    def answer(self) -> Answer | None:
        """The scored answer, or None while unanswered."""
        ...


def explanation_html(matrix: Matrix | None, question: Question) -> str:
    """Build why the right answer is right, with its sources."""
    return f"<p>{esc(question.explanation)}</p>" + sources_html(
        matrix, question.sources, question.notes
    )


def feedback_picture(matrix: Matrix | None, question: Question) -> tuple[bytes, str] | None:
    """The stack picture for a question's feedback, and a caption that says what it shows.

    Rendered (and cached) only when the question is first shown.
    """
    picture = question_picture(matrix, question) if matrix is not None else None
    if matrix is None or picture is None:
        return None
    from srmquiz.draw.stacks import picture_png

    return picture_png(matrix, picture), picture_caption(matrix, picture)


def unanswered_html(matrix: Matrix | None, question: Question) -> str:
    """Exam review of a question left blank."""
    return unanswered_verdict_html(question) + explanation_html(matrix, question)


def unanswered_verdict_html(question: Question) -> str:
    """The verdict of a question left blank (exam review)."""
    detail = f"Not answered. The answer is <em>{esc(', '.join(question.answer))}</em>."
    return verdict_html(False, detail)


def single_verdict_html(question: Question, choice: str, *, announce: bool = False) -> str:
    """The verdict shown when `choice` is clicked: one line, right under the choices."""
    if choice in question.answer:
        return verdict_html(True, f"<em>{esc(choice)}</em> is right.", announce=announce)
    answer = esc(", ".join(question.answer))
    return verdict_html(False, f"The answer is <em>{answer}</em>.", announce=announce)


def single_detail_html(matrix: Matrix | None, question: Question, choice: str) -> str:
    """What follows the verdict when `choice` is clicked: why not, why, the sources."""
    reason = "" if choice in question.answer else question.why_wrong.get(choice, "")
    why = f"<p><strong>Why not {esc(choice)}:</strong> {esc(reason)}</p>" if reason else ""
    return why + explanation_html(matrix, question)


def single_pane_html(matrix: Matrix | None, question: Question, choice: str) -> str:
    """The whole feedback shown when `choice` is clicked (verdict, then detail)."""
    return single_verdict_html(question, choice) + single_detail_html(matrix, question, choice)


def multi_verdict_html(question: Question, given: Iterable[str], *, announce: bool = False) -> str:
    """The verdict of a select-all-that-apply answer."""
    correct = question.grade(set(given))
    detail = "" if correct else f"The answer is <em>{esc(', '.join(question.answer))}</em>."
    return verdict_html(correct, detail, announce=announce)


def multi_detail_html(matrix: Matrix | None, question: Question, given: Iterable[str]) -> str:
    """Choice by choice, what was right about a select-all answer, then why and sources."""
    chosen = set(given)
    rows = []
    for choice in question.choices:
        right = choice in question.answer
        picked = choice in chosen
        if picked == right:
            mark = f"{RIGHT_MARK} {'selected' if picked else 'left out'}, rightly"
        else:
            mark = f"{WRONG_MARK} {'selected, but it should not be' if picked else 'missed'}"
        reason = question.why_wrong.get(choice, "") if picked != right else ""
        note = f" <span class='srmq-why'>{esc(reason)}</span>" if reason else ""
        rows.append(f"<li><strong>{esc(choice)}</strong>: {mark}.{note}</li>")
    return (
        "<ul class='srmq-choice-notes'>"
        + "".join(rows)
        + "</ul>"
        + explanation_html(matrix, question)
    )


def multi_feedback_html(matrix: Matrix | None, question: Question, given: Iterable[str]) -> str:
    """Build the feedback for a select-all-that-apply answer, choice by choice."""
    chosen = list(given)
    return multi_verdict_html(question, chosen) + multi_detail_html(matrix, question, chosen)


def summary_html(matrix: Matrix | None, results: Sequence[Answered]) -> str:
    """Score plus a breakdown per service and per layer."""
    total = len(results)
    score = sum(1 for r in results if r.answer is not None and r.answer.correct)
    pct = round(100 * score / total) if total else 0
    missed = total - score
    lines = [
        f"<h4 class='srmq-score'>You scored {score} of {total} ({pct}%).</h4>",
        "<p>"
        + (
            "Every answer right."
            if not missed
            else f"{missed} to review: press <em>Review my mistakes</em> to try them again."
        )
        + "</p>",
    ]

    def table(title: str, key: Callable[[Question], list[str]], name: Callable[[str], str]) -> str:
        counts: dict[str, list[int]] = {}
        for r in results:
            for k in key(r.question):
                right, asked = counts.setdefault(k, [0, 0])
                counts[k] = [right + int(bool(r.answer and r.answer.correct)), asked + 1]
        if not counts:
            return ""
        order = (matrix.service_ids + matrix.layer_ids) if matrix is not None else []
        keys = sorted(counts, key=lambda k: order.index(k) if k in order else len(order))
        rows = [(esc(name(k)), f"{counts[k][0]} of {counts[k][1]}") for k in keys]
        return table_html([title, "Right"], rows, cls="srmq-breakdown", numeric=[1])

    def service_name(sid: str) -> str:
        return matrix.service(sid).name if matrix is not None else sid

    def layer_name(lid: str) -> str:
        return matrix.layer(lid).name if matrix is not None else lid

    t_services = table("Service", lambda q: [q.service] if q.service else [], service_name)
    t_layers = table("Layer", lambda q: [q.layer] if q.layer else [], layer_name)
    # two tables side by side, each its own height (aligned to the top, never stretched
    # so that rows of one line up with rows of the other)
    lines.append(f"<div class='srmq-breakdowns'>{t_services}{t_layers}</div>")
    return "".join(lines)
