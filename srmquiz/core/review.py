"""Spaced review: the attempt record, Leitner boxes and the order questions come back in.

Pure: the progress store (:mod:`srmquiz.data.progress`) keeps attempts and boxes; the
rule that moves a question between boxes lives here, once.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from srmquiz.core.questions import Answer

DAY_S = 86_400.0
# Leitner boxes: a right answer moves a question up one box, a wrong one back to box 1.
# The interval is how long a question in that box waits before it is due again.
BOX_INTERVALS_S = {1: 0.0, 2: DAY_S, 3: 3 * DAY_S, 4: 7 * DAY_S, 5: 21 * DAY_S}
TOP_BOX = max(BOX_INTERVALS_S)
MASTERED_BOX = 3
"""A question in this box or higher was answered right at least twice in a row."""


@dataclass(frozen=True, slots=True)
class Attempt:
    """One answer as the progress store keeps it."""

    learner: str
    question_id: str
    given: tuple[str, ...]
    """Chosen choice texts (build-the-stack: one owner label per layer, bottom to top)."""
    correct: bool
    answered_at: float
    """Seconds since the epoch."""
    session: str = ""
    """The session code, or "" outside a classroom session."""
    kind: str = ""
    service: str | None = None
    layer: str | None = None
    seconds: float | None = None
    """Time from showing the question to answering it."""

    @classmethod
    def from_answer(
        cls, answer: Answer, *, learner: str, answered_at: float, session: str = ""
    ) -> Attempt:
        """The attempt to keep for a learner's answer."""
        q = answer.question
        return cls(
            learner=learner,
            question_id=q.id,
            given=answer.given,
            correct=answer.correct,
            answered_at=answered_at,
            session=session,
            kind=q.kind,
            service=q.service,
            layer=q.layer,
            seconds=answer.seconds,
        )


@dataclass(frozen=True, slots=True)
class BoxState:
    """Where one question stands for one learner."""

    question_id: str
    box: int
    """1 (ask again now) to TOP_BOX."""
    due: float
    """When it is due again (seconds since the epoch)."""
    seen: int
    right: int


def next_box(state: BoxState | None, question_id: str, correct: bool, at: float) -> BoxState:
    """The box after an answer: up one when right, back to box 1 when wrong."""
    box, seen, right = (state.box, state.seen, state.right) if state else (1, 0, 0)
    box = min(box + 1, TOP_BOX) if correct else 1
    return BoxState(question_id, box, at + BOX_INTERVALS_S[box], seen + 1, right + int(correct))


def review_order(question_ids: Sequence[str], boxes: dict[str, BoxState], now: float) -> list[str]:
    """Due questions first (lowest box, longest overdue), then new ones, then the rest by due date."""
    due = sorted(
        (q for q in question_ids if q in boxes and boxes[q].due <= now),
        key=lambda q: (boxes[q].box, boxes[q].due),
    )
    new = [q for q in question_ids if q not in boxes]
    later = sorted(
        (q for q in question_ids if q in boxes and boxes[q].due > now), key=lambda q: boxes[q].due
    )
    return due + new + later


def mistakes_by_cell(attempts: Iterable[Attempt]) -> dict[tuple[str, str], tuple[int, int]]:
    """(service, layer) -> (wrong answers, answers) over the attempts about one cell."""
    cells: dict[tuple[str, str], list[int]] = {}
    for a in attempts:
        if a.service and a.layer:
            c = cells.setdefault((a.service, a.layer), [0, 0])
            c[0] += int(not a.correct)
            c[1] += 1
    return {k: (v[0], v[1]) for k, v in cells.items()}
