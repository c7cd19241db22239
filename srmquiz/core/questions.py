"""The records of the question bank: a question, a build-the-stack part, an answer.

Records only. The kinds that make questions are in :mod:`srmquiz.core.kinds`;
:func:`srmquiz.core.bank.generate` builds the bank and :func:`srmquiz.core.bank.pick`
chooses a quiz from it.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field


@dataclass(frozen=True, slots=True)
class StackPart:
    """One layer of a build-the-stack question."""

    layer: str
    """Layer id."""
    name: str
    """Layer name shown to the learner."""
    answer: str
    """The right owner label ("AWS", "Customer", "Shared")."""
    explanation: str


@dataclass(frozen=True, slots=True)
class Question:
    """One question of the bank."""

    id: str
    """Stable id, e.g. "owner:ec2:guest-os"; does not depend on the seed."""
    kind: str
    """One of :data:`srmquiz.core.kinds.KINDS`."""
    prompt: str
    choices: tuple[str, ...]
    """Choice texts in display order (for build-the-stack: the owner labels)."""
    answer: tuple[str, ...]
    """The correct choice texts (for build-the-stack: one owner label per layer, bottom to top)."""
    explanation: str
    """Why the right answer is right."""
    service: str | None
    """Service id, or None for questions that span services."""
    layer: str | None
    """Layer id, or None for questions that span layers."""
    why_wrong: Mapping[str, str] = field(default_factory=dict)
    """For each choice that is not (or, when multi, is wrongly left out of) the answer: why."""
    sources: tuple[tuple[str, str], ...] = ()
    """(source id, where in it) pairs backing the answer."""
    parts: tuple[StackPart, ...] = ()
    """build-the-stack only: one part per layer, bottom to top."""
    title: str = ""
    """Scenario title, when there is one."""
    notes: tuple[str, ...] = ()
    """Remarks about the sources, shown with them, not in the explanation."""

    @property
    def multi(self) -> bool:
        """True when the learner may select several choices."""
        return self.kind in ("which-are", "compare") and (
            len(self.answer) != 1 or self.prompt.endswith("Select all that apply.")
        )

    def grade(self, given: str | Iterable[str] | None) -> bool:
        """True when the given answer is right (a choice, a set of choices, or per-layer owners)."""
        if given is None:
            return False
        if self.kind == "build-the-stack":
            return tuple(given) == self.answer
        if isinstance(given, str):
            given = (given,)
        return set(given) == set(self.answer)

    def to_dict(self) -> dict[str, object]:
        """The JSON shape of `srmquiz questions --json` (README, "Command line")."""
        return {
            "id": self.id,
            "kind": self.kind,
            "prompt": self.prompt,
            "choices": list(self.choices),
            "answer": list(self.answer),
            "explanation": self.explanation,
            "service": self.service,
            "layer": self.layer,
            "why_wrong": {c: self.why_wrong[c] for c in self.choices if c in self.why_wrong},
            "sources": [{"id": sid, "where": where} for sid, where in self.sources],
        }


@dataclass(frozen=True, slots=True)
class Answer:
    """A learner's scored answer to one question: the one record every answer starts as.

    The progress store keeps it as an :class:`~srmquiz.core.review.Attempt`; a classroom
    result document lists it as an answer item.
    """

    question: Question
    given: tuple[str, ...]
    """Chosen choice texts (build-the-stack: one owner label per layer, bottom to top)."""
    correct: bool
    seconds: float
    """Time from showing the question to answering it."""

    @classmethod
    def of(cls, question: Question, given: Iterable[str], seconds: float) -> Answer:
        """Grade what was given."""
        chosen = tuple(given)
        return cls(question, chosen, question.grade(chosen), seconds)
