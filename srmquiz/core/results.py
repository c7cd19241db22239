"""Result documents of finished session quizzes, and what a class's results add up to.

A finished session quiz is one :class:`ResultDocument`; its JSON form (:meth:`~ResultDocument.
to_dict`) is what result files and the progress database hold, and what other tools read.
:meth:`ResultDocument.from_dict` is the only way back: it upgrades older schema versions
(:data:`UPGRADES`) and then checks the document, refusing it with one line
(:class:`ResultError`) when it is not a usable result.

Pure: reading and writing the files is :mod:`srmquiz.data.results`.
"""

from __future__ import annotations

import csv
import dataclasses
import hashlib
import io
import json
import math
import re
import statistics
import unicodedata
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from srmquiz.core.matrix import Matrix
from srmquiz.core.questions import Answer, Question
from srmquiz.core.text import escaped
from srmquiz.core.version import __version__

RESULT_SCHEMA = "srmquiz-result"
RESULT_VERSION = 1
"""The schema version this srmquiz writes (and the newest it reads)."""

Upgrade = Callable[[dict[str, Any]], dict[str, Any]]
"""step(document at version N) -> the same document at version N + 1."""

UPGRADES: dict[int, Upgrade] = {}
"""Schema version N -> the step that turns a version-N document into version N + 1.

:meth:`ResultDocument.from_dict` applies the steps in order, from the document's version
up to :data:`RESULT_VERSION`, before it checks the document. A step gets a copy of the
document and returns the new one; ``schema_version`` is set and the document checksum
sealed again after each step, so a step only moves and converts fields. The checksum the
file was written with is verified before the first step.

Rule: never edit a released step (files written by that version exist and must keep
reading the same way); to change the format, raise RESULT_VERSION and add one step.
Version 1 is the first and only version so far, so there are no steps yet.
"""

CHECKSUM_MISMATCH = "checksum does not match: the file was edited after it was saved"

MAX_DEPTH = 16
"""Nesting a result may have (it has 4: document, answers, an answer, its given list)."""
MAX_ANSWERS = 64
"""A session has at most this many questions (:data:`srmquiz.core.sessions.MAX_N`)."""
NAME_WIDTH = 60
"""Characters of a name a table shows (longer ones end in "…")."""
LINE_BREAKS = "\n\r\v\f\x1c\x1d\x1e\x85\u2028\u2029"


class ResultError(ValueError):
    """A JSON value that is not a usable result document; the message is one line."""


@dataclass(frozen=True)
class AnswerItem:
    """One question of a finished session quiz, answered or not."""

    question_id: str
    """The question's stable id, e.g. "owner:ec2:guest-os"."""
    kind: str
    """The question's kind (one of :data:`srmquiz.core.kinds.KINDS`)."""
    service: str | None
    """Service id, or None for questions that span services."""
    layer: str | None
    """Layer id, or None for questions that span layers."""
    given: tuple[str, ...] | None
    """The learner's answer (choice texts), or None when the question was not answered."""
    correct: bool
    """True when the question was answered right."""
    seconds: float | None
    """Seconds taken to answer (rounded to milliseconds), or None when not answered."""

    @classmethod
    def of(cls, question: Question, answer: Answer | None) -> AnswerItem:
        """The item for a question and its answer (None: not answered)."""
        return cls(
            question_id=question.id,
            kind=question.kind,
            service=question.service,
            layer=question.layer,
            given=tuple(answer.given) if answer else None,
            correct=bool(answer and answer.correct),
            seconds=round(answer.seconds, 3) if answer else None,
        )

    def to_dict(self) -> dict[str, Any]:
        """The item as it appears in a result file's "answers" list."""
        return {
            "question_id": self.question_id,
            "kind": self.kind,
            "service": self.service,
            "layer": self.layer,
            "given": list(self.given) if self.given is not None else None,
            "correct": self.correct,
            "seconds": self.seconds,
        }

    @classmethod
    def from_dict(cls, item: dict[str, Any]) -> AnswerItem:
        """An item from a checked document (see :func:`_item_problem`)."""
        given = item.get("given")
        return cls(
            question_id=item["question_id"],
            kind=item["kind"],
            service=item.get("service"),
            layer=item.get("layer"),
            given=tuple(given) if given is not None else None,
            correct=item["correct"],
            seconds=item.get("seconds"),
        )


@dataclass(frozen=True)
class ResultDocument:
    """A finished session quiz: who, which session, when, every answer, and its checksums."""

    learner: str
    """The name the learner typed."""
    code: str
    """The session code, canonical (e.g. "SRM-85ZW-KGKJ")."""
    started_at: float
    """When the quiz started (Unix time, rounded to milliseconds)."""
    finished_at: float
    """When the last answer was given (Unix time, rounded to milliseconds)."""
    answers: tuple[AnswerItem, ...]
    """One item per question of the session, in the order they were asked."""
    srmquiz_version: str
    """The srmquiz version that wrote the document."""
    content_checksum: str
    """The checksum of the content (matrix) the questions were made from."""
    document_checksum: str
    """sha256 over everything else in the JSON form (see :func:`doc_checksum`)."""
    simulated: bool = False
    """True for a simulated learner (:func:`srmquiz.core.simulate.simulated_results`).

    Optional in the JSON form: written (as ``"simulated": true``) only when True and sealed
    by the checksum like every other field, so a real result, which never has it, is never
    taken for a simulated one."""

    @property
    def score(self) -> int:
        """Questions answered right."""
        return sum(item.correct for item in self.answers)

    @property
    def total(self) -> int:
        """Questions in the session."""
        return len(self.answers)

    @classmethod
    def build(
        cls,
        *,
        learner: str,
        code: str,
        matrix: Matrix,
        answers: Sequence[Answer],
        questions: Sequence[Question],
        started_at: float,
        finished_at: float,
        simulated: bool = False,
    ) -> ResultDocument:
        """The document of a finished session quiz, sealed with its checksum."""
        by_id = {a.question.id: a for a in answers}
        unsealed = cls(
            learner=learner,
            code=code,
            started_at=round(started_at, 3),
            finished_at=round(finished_at, 3),
            answers=tuple(AnswerItem.of(q, by_id.get(q.id)) for q in questions),
            srmquiz_version=__version__,
            content_checksum=matrix.checksum,
            document_checksum="",
            simulated=simulated,
        )
        return dataclasses.replace(unsealed, document_checksum=doc_checksum(unsealed.to_dict()))

    def to_dict(self) -> dict[str, Any]:
        """The JSON form result files hold; keys in this order, other tools read it.

        ``"simulated": true`` comes before the checksum, and only in a simulated result.
        """
        doc = {
            "schema": RESULT_SCHEMA,
            "schema_version": RESULT_VERSION,
            "learner": self.learner,
            "code": self.code,
            "started_at": self.started_at,
            "finished_at": self.finished_at,
            "score": self.score,
            "total": self.total,
            "answers": [item.to_dict() for item in self.answers],
            "srmquiz_version": self.srmquiz_version,
            "content_checksum": self.content_checksum,
        }
        if self.simulated:
            doc["simulated"] = True
        doc["document_checksum"] = self.document_checksum
        return doc

    @classmethod
    def from_dict(cls, obj: object) -> ResultDocument:
        """The document a loaded JSON value holds, upgraded to the current schema version.

        Raises :class:`ResultError` with one line saying why when it is not a usable
        result. Keys this version does not know are ignored.
        """
        if not isinstance(obj, dict):
            raise ResultError(f"expected a JSON object, got {type(obj).__name__}")
        if too_deep(obj, MAX_DEPTH):
            raise ResultError(f"nested deeper than {MAX_DEPTH} levels (a result has 4)")
        if obj.get("schema") != RESULT_SCHEMA:
            raise ResultError('not an srmquiz result (no "schema": "srmquiz-result")')
        doc = upgraded(obj)
        problem = _problem(doc)
        if problem:
            raise ResultError(problem)
        return cls(
            learner=doc["learner"],
            code=doc["code"],
            started_at=doc["started_at"],
            finished_at=doc["finished_at"],
            answers=tuple(AnswerItem.from_dict(item) for item in doc["answers"]),
            srmquiz_version=doc["srmquiz_version"],
            content_checksum=doc["content_checksum"],
            document_checksum=doc["document_checksum"],
            simulated=doc.get("simulated") is True,
        )


def doc_checksum(doc: dict[str, Any]) -> str:
    """The checksum a result document carries over everything else in it."""
    body = {k: v for k, v in doc.items() if k != "document_checksum"}
    return hashlib.sha256(json.dumps(body, sort_keys=True).encode()).hexdigest()


def upgraded(doc: dict[str, Any]) -> dict[str, Any]:
    """doc brought up to RESULT_VERSION by the steps in UPGRADES (doc itself when current).

    Raises ResultError when its version is newer, unknown, or has no way up, and when an
    older document's checksum does not match (it is verified before it is re-sealed).
    """
    version = doc.get("schema_version")
    if version == RESULT_VERSION:
        return doc
    unsupported = ResultError(f"result schema_version {version!r} is not supported")
    if not isinstance(version, int) or isinstance(version, bool) or version > RESULT_VERSION:
        raise unsupported
    if any(v not in UPGRADES for v in range(version, RESULT_VERSION)):
        raise unsupported
    if doc.get("document_checksum") != doc_checksum(doc):
        raise ResultError(CHECKSUM_MISMATCH)
    for v in range(version, RESULT_VERSION):
        try:
            step = UPGRADES[v](dict(doc))
        except (KeyError, IndexError, TypeError, ValueError) as exc:
            raise ResultError(f"cannot upgrade from schema_version {v}: {exc!r}") from exc
        doc = {**step, "schema_version": v + 1}
        doc["document_checksum"] = doc_checksum(doc)
    return doc


def _problem(doc: dict[str, Any]) -> str | None:
    """Why a current-version document is not usable (None when it is).

    The checks and messages of srmquiz 0.1 first, in its order, then what a typed record
    needs besides (fields srmquiz has always written, but 0.1 did not read).
    """
    for key, typ in (
        ("learner", str),
        ("code", str),
        ("answers", list),
        ("score", int),
        ("total", int),
        ("content_checksum", str),
    ):
        if not isinstance(doc.get(key), typ):
            return f"{key}: missing or not a {typ.__name__}"
    if len(doc["answers"]) > MAX_ANSWERS:
        return f"answers: {len(doc['answers'])}, but a session has at most {MAX_ANSWERS} questions"
    for i, item in enumerate(doc["answers"]):
        if not isinstance(item, dict) or not isinstance(item.get("question_id"), str):
            return f"answers[{i}]: not an answer"
        if not isinstance(item.get("correct"), bool):
            return f"answers[{i}].correct: missing or not true/false"
    if doc["total"] != len(doc["answers"]):
        return f"total {doc['total']} does not match {len(doc['answers'])} answers"
    if doc["score"] != sum(item["correct"] for item in doc["answers"]):
        return "score does not match the answers"
    if doc.get("document_checksum") != doc_checksum(doc):
        return CHECKSUM_MISMATCH
    for key in ("started_at", "finished_at"):
        if not _is_number(doc.get(key)):
            return f"{key}: missing or not a number"
    if not isinstance(doc.get("srmquiz_version"), str):
        return "srmquiz_version: missing or not a str"
    if "simulated" in doc and not isinstance(doc["simulated"], bool):
        return "simulated: not true/false"
    for i, item in enumerate(doc["answers"]):
        problem = _item_problem(item)
        if problem:
            return f"answers[{i}].{problem}"
    if not doc["answers"]:
        return "answers: none (a 0/0 result is not a result of any session)"
    return _learner_problem(doc["learner"])


def _learner_problem(name: str) -> str | None:
    """Why a learner name cannot be a row of the grades (None when it can).

    The name box of the classroom is one line, so a line break or another control
    character in a name comes from an edited file; in a table or an export it would
    forge rows or send commands to the terminal, so such a result is refused.
    """
    if not name.strip():
        return "learner: empty"
    if any(c in LINE_BREAKS for c in name):
        return "learner: contains a line break"
    bad = next((c for c in name if unicodedata.category(c) == "Cc"), None)
    if bad is not None:
        return f"learner: contains a control character ({shown(bad)})"
    return None


def _item_problem(item: dict[str, Any]) -> str | None:
    """Why an answer item (question_id and correct already checked) is not usable."""
    if not isinstance(item.get("kind"), str):
        return "kind: missing or not a str"
    for key in ("service", "layer"):
        if item.get(key) is not None and not isinstance(item[key], str):
            return f"{key}: not a str or null"
    given = item.get("given")
    if given is not None and not (
        isinstance(given, list) and all(isinstance(g, str) for g in given)
    ):
        return "given: not a list of texts or null"
    if given == []:
        return "given: empty (an unanswered question has null)"
    if item.get("seconds") is not None and not _is_number(item["seconds"]):
        return "seconds: not a number or null"
    return None


def _is_number(value: object) -> bool:
    if isinstance(value, float):
        return math.isfinite(value)
    return isinstance(value, int) and not isinstance(value, bool)


def too_deep(value: object, limit: int) -> bool:
    """True when lists and objects nest deeper than limit (checked without recursion)."""
    stack: list[tuple[object, int]] = [(value, 1)]
    while stack:
        v, depth = stack.pop()
        if isinstance(v, dict | list):
            if depth > limit:
                return True
            stack.extend((child, depth + 1) for child in (v.values() if isinstance(v, dict) else v))
    return False


# -- re-grading -----------------------------------------------------------------------
def regrade(doc: ResultDocument, questions: Sequence[Question]) -> ResultDocument:
    """doc with every answer graded again against the session's own questions.

    ``questions`` is the quiz the session code gives with this content. The document must
    answer exactly those questions, in that order, with answers that are among each
    question's choices; kind, service and layer come from the question, not the file.
    Raises :class:`ResultError` (one line) when the document does not earn what it claims.
    """
    code = doc.code
    by_id = {q.id for q in questions}
    for i, (item, q) in enumerate(zip(doc.answers, questions, strict=False)):
        if item.question_id != q.id:
            what = "asked in another order" if item.question_id in by_id else "not a question"
            raise ResultError(
                f"answers[{i}] is {shown(item.question_id, 60)!r}, {what} of session {code}"
            )
    if len(doc.answers) != len(questions):
        raise ResultError(
            f"has {len(doc.answers)} answers, but session {code} has {len(questions)} questions"
        )
    items = []
    for i, (item, q) in enumerate(zip(doc.answers, questions, strict=True)):
        problem = _given_problem(item.given, q)
        if problem:
            raise ResultError(f"answers[{i}].given {problem}")
        items.append(
            dataclasses.replace(
                item, kind=q.kind, service=q.service, layer=q.layer, correct=q.grade(item.given)
            )
        )
    earned = sum(item.correct for item in items)
    if earned != doc.score:
        raise ResultError(
            f"claims {doc.score}/{doc.total} but its answers earn {earned}/{len(questions)}"
        )
    for i, (old, new) in enumerate(zip(doc.answers, items, strict=True)):
        if old.correct != new.correct:
            said, earns = ("right", "wrong") if old.correct else ("wrong", "right")
            raise ResultError(f"answers[{i}] is marked {said}, but the answer given is {earns}")
    return dataclasses.replace(doc, answers=tuple(items))


def _given_problem(given: tuple[str, ...] | None, q: Question) -> str | None:
    """Why given cannot be an answer to q (None when it can, or when not answered)."""
    if given is None:
        return None
    foreign = next((g for g in given if g not in q.choices), None)
    if foreign is not None:
        return f"{shown(foreign, 60)!r} is not a choice of question {q.id}"
    if q.kind == "build-the-stack":
        if len(given) != len(q.parts):
            return f"has {len(given)} owners for a stack of {len(q.parts)} layers ({q.id})"
        return None
    if len(set(given)) != len(given):
        return f"names a choice twice ({q.id})"
    if not q.multi and len(given) != 1:
        return f"has {len(given)} choices for a one-choice question ({q.id})"
    return None


# -- names as text ----------------------------------------------------------------------
CONFUSABLES = str.maketrans(
    {
        # Cyrillic letters that look like Latin ones
        "а": "a", "в": "b", "с": "c", "ԁ": "d", "е": "e", "ё": "e", "һ": "h", "і": "i",
        "ї": "i", "ј": "j", "к": "k", "ӏ": "l", "м": "m", "н": "h", "о": "o", "р": "p",
        "ԛ": "q", "г": "r", "ѕ": "s", "т": "t", "ц": "u", "ѵ": "v", "ԝ": "w", "х": "x",
        "у": "y",
        # Greek letters that look like Latin ones (after casefold)
        "α": "a", "β": "b", "ε": "e", "η": "n", "ι": "i", "κ": "k", "μ": "u", "ν": "v",
        "ο": "o", "ρ": "p", "τ": "t", "υ": "u", "χ": "x", "γ": "y", "ζ": "z",
    }
)  # fmt: skip
"""Lower-case Cyrillic and Greek letters that look like Latin ones, mapped to those."""

LOOKALIKE_SCRIPTS = ("LATIN", "CYRILLIC", "GREEK")


def skeleton(name: str) -> str:
    """What a name looks like: NFKC, case folded, invisible characters dropped, Cyrillic and
    Greek look-alikes read as Latin, spaces collapsed. Two names with one skeleton are
    counted as one learner."""
    text = unicodedata.normalize("NFKC", name).casefold()
    text = "".join(_plain_digit(c) for c in text if unicodedata.category(c) != "Cf")
    return " ".join(text.translate(CONFUSABLES).split())


def _plain_digit(c: str) -> str:
    """A digit of any script as its ASCII digit ("١" -> "1"); other characters as they are."""
    value = unicodedata.decimal(c, None)
    return str(value) if value is not None else c


def _script(c: str) -> str | None:
    """The script a letter or digit belongs to ("LATIN", "ARABIC", ...); None for ASCII
    digits and other characters every script uses."""
    if not c.isalnum() or c.isascii() and c.isdigit():
        return None
    words = unicodedata.name(c, "").replace("-", " ").split()
    words = [w for w in words if w not in ("EXTENDED", "FULLWIDTH", "MATHEMATICAL")]
    return words[0] if words else None


def scripts(name: str) -> tuple[str, ...]:
    """The scripts a name mixes with a look-alike script, sorted; () when it does not.

    A name is suspect when its letters and digits come from more than one script and one
    of them is Latin, Cyrillic or Greek (an Arabic-Indic digit in a Latin name, a Cyrillic
    "а" among Latin letters). Names that mix only other scripts, as Japanese names mix
    kanji and kana, are not.
    """
    found = {s for s in map(_script, unicodedata.normalize("NFKC", name)) if s}
    if len(found) > 1 and found & set(LOOKALIKE_SCRIPTS):
        return tuple(sorted(found))
    return ()


def shown(text: str, limit: int | None = None, *, invisible: bool = True) -> str:
    """text as one safe line for a terminal or a list: control, invisible and direction
    characters written as escapes (a line break as \\n, ESC as \\x1b, a zero-width space as
    \\u200b), and shortened to limit characters plus "…" when longer. With invisible=False,
    zero-width and direction characters are kept (only control characters and line breaks
    are escaped)."""
    if limit is not None and len(text) > limit:
        text = text[:limit] + "…"
    return escaped(text, invisible=invisible)


QUESTION_WIDTH = 90
"""Characters of a question's text a dashboard, live view or history shows ("…" after)."""


def question_name(question_id: str, texts: Mapping[str, str], numbers: Mapping[str, int]) -> str:
    """How instructors and learners read a question: "Q3 · Who patches …" (its number in
    the session's answer key, then its text, shortened), or the text alone for a question
    outside the session; the id only when the text is not known (other content)."""
    text = texts.get(question_id)
    if text is None:
        return shown(question_id, QUESTION_WIDTH)
    short = shown(" ".join(text.split()), QUESTION_WIDTH)
    number = numbers.get(question_id)
    return f"Q{number} · {short}" if number is not None else short


FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def spreadsheet_safe(cell: object) -> object:
    """A CSV cell a spreadsheet will show as text: one that would start a formula (=, +, -,
    @, a tab or a carriage return, after optional spaces) gets a leading apostrophe."""
    if isinstance(cell, str) and cell.lstrip(" ").startswith(FORMULA_START):
        return "'" + cell
    return cell


def safe_name(text: str) -> str:
    """A learner's name or code made safe as part of a file name."""
    keep = "".join(c if c.isalnum() or c in "-_" else "-" for c in text.strip())
    return "-".join(p for p in keep.split("-") if p)[:60] or "learner"


# -- a class's results ----------------------------------------------------------------
@dataclass(frozen=True)
class Found:
    """A usable result document and where it came from."""

    document: ResultDocument
    source: str
    """A file's path, or "DATABASE (result N)"."""


@dataclass(frozen=True)
class Grade:
    """One learner's grade in a class."""

    learner: str
    score: int
    """Questions answered right."""
    total: int
    """Questions in the session."""
    source: str
    """Where the result came from (see :attr:`Found.source`)."""

    @property
    def percent(self) -> int:
        """The score as a whole percentage (0 when there were no questions)."""
        return round(100 * self.score / self.total) if self.total else 0

    def to_dict(self) -> dict[str, Any]:
        """This record as the JSON object other tools read."""
        return {
            "learner": self.learner,
            "score": self.score,
            "total": self.total,
            "percent": self.percent,
            "source": self.source,
        }


@dataclass(frozen=True)
class QuestionStat:
    """How a class did on one question."""

    question_id: str
    service: str | None
    """Service id, or None for questions that span services."""
    layer: str | None
    """Layer id, or None for questions that span layers."""
    asked: int
    """Results that include the question."""
    right: int
    """Of those, how many answered it right."""
    given: tuple[tuple[str, int], ...]
    """(answer given, how many gave it), in the order first seen; "(no answer)" for none."""

    @property
    def percent_right(self) -> int:
        """Share answered right, as a whole percentage (0 when nobody was asked)."""
        return round(100 * self.right / self.asked) if self.asked else 0

    def to_dict(self) -> dict[str, Any]:
        """This record as the JSON object other tools read."""
        return {
            "question_id": self.question_id,
            "service": self.service,
            "layer": self.layer,
            "asked": self.asked,
            "right": self.right,
            "given": dict(self.given),
            "percent_right": self.percent_right,
        }


@dataclass(frozen=True)
class ClassSummary:
    """A class's results in a few numbers."""

    code: str | None
    """The session, or None when nothing was found."""
    students: int
    """Results kept."""
    skipped: int
    """Files, folders and database rows skipped."""
    mean_percent: float | None
    """Mean of the grades' percentages (one decimal), None without results."""
    median_percent: float | None
    """Median of the grades' percentages, None without results."""

    def to_dict(self) -> dict[str, Any]:
        """This record as the JSON object other tools read."""
        return dataclasses.asdict(self)


@dataclass(frozen=True)
class Collected:
    """Results gathered for one session, and every file that was skipped, with why."""

    code: str | None
    """The session collected (None when no code was given and nothing was found)."""
    found: tuple[Found, ...] = ()
    """The results kept, in the order they were found."""
    skipped: tuple[str, ...] = ()
    """One line each: 'where: why'."""
    notes: tuple[str, ...] = ()
    """Kept, but worth knowing (look-alike names, a learner with several results)."""

    @property
    def results(self) -> list[ResultDocument]:
        """The collected documents, in the order they were found."""
        return [f.document for f in self.found]

    @property
    def simulated(self) -> int:
        """How many of the collected results are simulated (0 for a real class)."""
        return sum(f.document.simulated for f in self.found)

    @property
    def sources(self) -> list[str]:
        """Where each document came from, in the same order."""
        return [f.source for f in self.found]

    # -- views ------------------------------------------------------------------
    def grades(self) -> list[Grade]:
        """One per learner, in natural order of names ("Student 2" before "Student 10")."""
        return [
            Grade(f.document.learner, f.document.score, f.document.total, f.source)
            for f in sorted(self.found, key=lambda f: _natural(f.document.learner))
        ]

    def question_stats(self) -> list[QuestionStat]:
        """Per question: how many answered it, how many right, and the answers given."""
        first: dict[str, AnswerItem] = {}
        asked: dict[str, int] = {}
        right: dict[str, int] = {}
        given: dict[str, dict[str, int]] = {}
        for r in self.results:
            for item in r.answers:
                qid = item.question_id
                first.setdefault(qid, item)
                asked[qid] = asked.get(qid, 0) + 1
                right[qid] = right.get(qid, 0) + int(item.correct)
                key = ", ".join(item.given) if item.given else "(no answer)"
                counts = given.setdefault(qid, {})
                counts[key] = counts.get(key, 0) + 1
        return [
            QuestionStat(
                qid, item.service, item.layer, asked[qid], right[qid], tuple(given[qid].items())
            )
            for qid, item in first.items()
        ]

    def most_missed(self, k: int = 5) -> list[QuestionStat]:
        """The k questions answered right least often."""
        return sorted(self.question_stats(), key=lambda s: (s.percent_right, -s.asked))[:k]

    def mistakes_by_cell(self) -> dict[tuple[str, str], tuple[int, int]]:
        """(service, layer) -> (wrong answers, answers) over every result."""
        cells: dict[tuple[str, str], list[int]] = {}
        for r in self.results:
            for item in r.answers:
                if item.service and item.layer:
                    c = cells.setdefault((item.service, item.layer), [0, 0])
                    c[0] += int(not item.correct)
                    c[1] += 1
        return {k: (v[0], v[1]) for k, v in cells.items()}

    def summary(self) -> ClassSummary:
        """Class size, skips, mean and median percentage."""
        scores = [g.percent for g in self.grades()]
        return ClassSummary(
            code=self.code,
            students=len(self.found),
            skipped=len(self.skipped),
            mean_percent=round(statistics.mean(scores), 1) if scores else None,
            median_percent=statistics.median(scores) if scores else None,
        )

    # -- output -----------------------------------------------------------------
    def to_table(self) -> str:
        """Grades as a fixed-width table, then what was skipped and why."""
        lines = [f"Session {shown(self.code or '(none)', 60)}: {len(self.found)} results"]
        rows = [("Learner", "Score", "%")] + [
            (shown(g.learner, NAME_WIDTH), f"{g.score}/{g.total}", str(g.percent))
            for g in self.grades()
        ]
        width = max(len(r[0]) for r in rows)
        lines += [f"{r[0]:<{width}}  {r[1]:>6}  {r[2]:>4}" for r in rows]
        if self.found:
            s = self.summary()
            lines.append(f"Mean {s.mean_percent}%, median {s.median_percent}%")
        lines += [f"skipped: {shown(line)}" for line in self.skipped]
        lines += [f"note: {shown(line)}" for line in self.notes]
        return "\n".join(lines)

    def to_csv(self) -> str:
        """Grades as CSV: learner, code, score, total, percent.

        A cell a spreadsheet would run as a formula starts with an apostrophe
        (:func:`spreadsheet_safe`) and control characters are written as escapes (a
        collected name has none); names are otherwise written as they are.
        """
        buf = io.StringIO()
        writer = csv.writer(buf, lineterminator="\n")
        writer.writerow(["learner", "code", "score", "total", "percent"])
        for g in self.grades():
            row = [g.learner, self.code, g.score, g.total, g.percent]
            writer.writerow(
                [
                    spreadsheet_safe(shown(c, invisible=False) if isinstance(c, str) else c)
                    for c in row
                ]
            )
        return buf.getvalue()

    def to_json(self) -> str:
        """Summary, grades, per-question statistics and skips as JSON."""
        return json.dumps(
            {
                "summary": self.summary().to_dict(),
                "grades": [g.to_dict() for g in self.grades()],
                "questions": [s.to_dict() for s in self.question_stats()],
                "skipped": list(self.skipped),
                "notes": list(self.notes),
            },
            indent=2,
            ensure_ascii=False,
        )


def _natural(name: str) -> list[tuple[int, int | str]]:
    """Sort key: "Student 2" before "Student 10", case ignored."""
    return [(0, int(t)) if t.isdigit() else (1, t) for t in re.findall(r"\d+|\D+", name.casefold())]
