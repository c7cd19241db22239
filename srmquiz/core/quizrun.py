"""A quiz as it goes, apart from its widgets: rounds, position, score, mistakes and the rules.

Pure: :class:`~srmquiz.widgets.quiz.Quiz` renders a :class:`QuizRun` and asks it what a
click means. Practice and exam differ only through :class:`Rules` (:data:`PRACTICE`,
:data:`EXAM`): the first round of an exam follows exam rules, every review is practice.
Times are passed in (``time.monotonic()`` seconds in the widget), so every rule here can
be tested without a clock, a kernel or ipywidgets.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from enum import StrEnum
from typing import Literal

from srmquiz.core.questions import Answer, Question

MODES = ("practice", "exam")
"""The quiz modes, as ``mode=`` takes them (session codes number them in this order)."""

RACE_WINDOW_S = 0.15
"""An answer that reaches the kernel at most this long after a Next click came first in the
browser; a person who answers after pressing Next takes far longer than this to do so."""

RECHECK_AFTER_S = 0.3
"""How long after an early Next click (in a kernel) to look again for its answer."""

NextDecision = Literal["move", "stay", "warn"]
"""What an early Next click means once its answer had time to arrive."""


@dataclass(frozen=True, slots=True)
class Rules:
    """How a round treats answers and moves: the practice or the exam policy."""

    name: str
    """The mode's name: "practice" or "exam"."""
    feedback: bool
    """Feedback (and answers reported) as each question is answered; else after Submit."""
    keeps_first: bool
    """The first answer is scored and kept; else the latest replaces it until Submit."""
    next_needs_answer: bool
    """Next waits until the question is answered; else Previous/Next move freely."""
    submits: bool
    """The round ends with Submit; else Next past the last question finishes it."""


PRACTICE = Rules("practice", feedback=True, keeps_first=True, next_needs_answer=True, submits=False)
"""Feedback after each answer; the first answer counts; Next past the last one finishes."""

EXAM = Rules("exam", feedback=False, keeps_first=False, next_needs_answer=False, submits=True)
"""No feedback until a single Submit; answers may change until then."""


class Outcome(StrEnum):
    """What a Next, Previous or Submit did."""

    MOVED = "moved"
    """Another question is on screen."""
    FINISHED = "finished"
    """The round is over: show the results."""
    NEEDS_ANSWER = "needs-answer"
    """Next before the question on screen was answered (practice)."""
    UNANSWERED = "unanswered"
    """Submit with questions left blank: nothing handed in; the next Submit hands in."""
    NOTHING = "nothing"
    """Nothing to do (at an end, already finished, or not an exam round)."""


@dataclass(slots=True)
class Slot:
    """One question of a round and the answer kept for it."""

    question: Question
    """The question asked."""
    answer: Answer | None = None
    """The scored answer, or None while unanswered."""
    answered_at: float | None = None
    """When the kept answer arrived (the caller's clock), or None."""


@dataclass(slots=True, eq=False)
class Round:
    """One pass through a list of questions under one set of rules."""

    rules: Rules
    """Practice or exam: how answers count and how the round moves and ends."""
    slots: list[Slot]
    """One per question, in question order."""
    position: int = 0
    """Index of the question on screen."""
    finished: bool = False
    """The round is over (finished, handed in, or left behind): no answer counts any more."""
    warned: bool = False
    """Submit has already listed the unanswered questions once."""

    @classmethod
    def of(cls, questions: Sequence[Question], rules: Rules) -> Round:
        """Start a round of `questions` under `rules`."""
        if not questions:
            raise ValueError("a quiz needs at least one question")
        return cls(rules, [Slot(q) for q in questions])

    @property
    def questions(self) -> list[Question]:
        """The round's questions, in order."""
        return [s.question for s in self.slots]

    @property
    def answers(self) -> list[Answer]:
        """Kept answers, in question order (unanswered questions left out)."""
        return [s.answer for s in self.slots if s.answer is not None]

    @property
    def score(self) -> int:
        """Number of kept answers that are right."""
        return sum(a.correct for a in self.answers)

    @property
    def total(self) -> int:
        """Number of questions in the round."""
        return len(self.slots)

    @property
    def last(self) -> bool:
        """The question on screen is the round's last."""
        return self.position == len(self.slots) - 1

    def mistakes(self) -> list[Question]:
        """Return the questions answered wrongly or not at all."""
        return [s.question for s in self.slots if s.answer is None or not s.answer.correct]

    def unanswered(self) -> list[int]:
        """Return the numbers (from 1) of the questions not answered."""
        return [i + 1 for i, s in enumerate(self.slots) if s.answer is None]

    def answer(self, position: int, answer: Answer, at: float | None = None) -> bool:
        """Keep an answer under the rules; return False when it does not count."""
        slot = self.slots[position]
        if self.finished or (self.rules.keeps_first and slot.answer is not None):
            return False
        slot.answer, slot.answered_at = answer, at
        return True

    def clear(self, position: int) -> None:
        """Forget an answer taken back before Submit (an exam choice cleared to nothing)."""
        if not self.finished and not self.rules.keeps_first:
            self.slots[position] = Slot(self.slots[position].question)

    def move(self, step: int) -> Outcome:
        """Move `step` questions on (or back); past the last one, finish if the rules say so."""
        if self.finished:
            return Outcome.NOTHING
        if step > 0 and self.rules.next_needs_answer and self.slots[self.position].answer is None:
            return Outcome.NEEDS_ANSWER
        target = self.position + step
        if target >= len(self.slots):
            if self.rules.submits:
                return Outcome.NOTHING
            self.finished = True
            return Outcome.FINISHED
        if target < 0:
            return Outcome.NOTHING
        self.position = target
        return Outcome.MOVED

    def submit(self, *, force: bool = False) -> Outcome:
        """Hand the round in; the first time questions are blank, only say so (unless forced)."""
        if self.finished or not self.rules.submits:
            return Outcome.NOTHING
        if self.unanswered() and not (force or self.warned):
            self.warned = True
            return Outcome.UNANSWERED
        self.finished = True
        return Outcome.FINISHED


@dataclass(frozen=True, slots=True)
class EarlyNext:
    """A Next click on an unanswered question, to be looked at again shortly."""

    round: Round
    """The round on screen when Next was clicked."""
    position: int
    """The question on screen when Next was clicked."""
    clicked_at: float
    """When Next was clicked (the same clock as the answers' times)."""


def after_early_next(
    clicked_at: float, answered_at: float | None, window: float = RACE_WINDOW_S
) -> NextDecision:
    """Decide what an early Next meant: move on, stay on the feedback, or warn."""
    if answered_at is None:
        return "warn"  # really too early: nothing answered
    if answered_at - clicked_at <= window:
        return "move"  # the answer came first in the browser: do what Next meant
    return "stay"  # answered after pressing Next: let them read the feedback


def check_mode(mode: str) -> None:
    """Raise ValueError naming the valid modes unless `mode` is one."""
    if mode not in MODES:
        raise ValueError(f"unknown mode {mode!r}; valid: {', '.join(MODES)}")


class QuizRun:
    """A whole quiz without widgets: its rounds, the mode, and what each click means."""

    def __init__(self, questions: Sequence[Question], mode: str = "practice") -> None:
        check_mode(mode)
        self.mode = mode
        self.rounds: list[Round] = []
        self.restart(questions)

    @property
    def round(self) -> Round:
        """The current round (the last one started)."""
        return self.rounds[-1]

    @property
    def rules(self) -> Rules:
        """The rules of the current round."""
        return self.round.rules

    @property
    def first_round(self) -> bool:
        """The current round is the quiz itself, not a review of it."""
        return len(self.rounds) == 1

    @property
    def position(self) -> int:
        """Index of the question on screen."""
        return self.round.position

    @property
    def finished(self) -> bool:
        """The current round is over."""
        return self.round.finished

    @property
    def questions(self) -> list[Question]:
        """The current round's questions."""
        return self.round.questions

    @property
    def answers(self) -> list[Answer]:
        """Kept answers of the current round, in question order."""
        return self.round.answers

    @property
    def score(self) -> int:
        """Right answers in the current round."""
        return self.round.score

    @property
    def total(self) -> int:
        """Questions in the current round."""
        return self.round.total

    def mistakes(self) -> list[Question]:
        """Return the current round's questions answered wrongly or not at all."""
        return self.round.mistakes()

    def unanswered(self) -> list[int]:
        """Return the numbers (from 1) of the current round's unanswered questions."""
        return self.round.unanswered()

    def answer(self, position: int, answer: Answer, at: float | None = None) -> bool:
        """Keep an answer to the current round; return False when it does not count."""
        return self.round.answer(position, answer, at)

    def clear(self, position: int) -> None:
        """Forget an answer of the current round taken back before Submit."""
        self.round.clear(position)

    def move(self, step: int) -> Outcome:
        """Move `step` questions on (or back) in the current round."""
        return self.round.move(step)

    def advance(self) -> Outcome:
        """Go to the next question (Next)."""
        return self.move(+1)

    def back(self) -> Outcome:
        """Go to the previous question (Previous)."""
        return self.move(-1)

    def submit(self, *, force: bool = False) -> Outcome:
        """Hand in the current round (exam rules only)."""
        return self.round.submit(force=force)

    def review(self) -> bool:
        """Start a practice round of the mistakes of a finished round; False if there is none."""
        missed = self.mistakes() if self.finished else []
        if missed:
            self.rounds.append(Round.of(missed, PRACTICE))
        return bool(missed)

    def restart(self, questions: Sequence[Question]) -> None:
        """Start over with new questions: a first round, in exam rules when the mode is exam."""
        first = Round.of(questions, EXAM if self.mode == "exam" else PRACTICE)
        for left in self.rounds:
            left.finished = True  # a round left behind takes no more answers
        self.rounds = [first]

    def early_next(self, clicked_at: float) -> EarlyNext:
        """Note a Next click on the question on screen, to settle once its answer could arrive."""
        return EarlyNext(self.round, self.position, clicked_at)

    def settle(self, early: EarlyNext, window: float = RACE_WINDOW_S) -> NextDecision | None:
        """Decide an early Next; None when the quiz has moved on since the click."""
        r = self.round
        if r is not early.round or r.position != early.position or r.finished:
            return None
        return after_early_next(early.clicked_at, r.slots[early.position].answered_at, window)
