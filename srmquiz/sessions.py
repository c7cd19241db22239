"""Classroom sessions: short codes that fix a quiz, result files, and collecting them.

A session code such as ``SRM-7K2Q-M4XA`` carries the whole quiz in 40 bits: which
services and kinds, how many questions, the seed and the mode, plus a check character
(Luhn mod 32), so every student who types it gets the same questions in the same order
with the same choice order, and a mistyped code is caught instead of giving another quiz.
Codes use Crockford's base 32: no I, L, O or U; when typed, I and L read as 1, O as 0.
"""

from __future__ import annotations

import csv
import hashlib
import io
import json
import os
import statistics
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from srmquiz.matrix import Matrix
from srmquiz.questions import KINDS, Question, generate, pick

ALPHABET = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"
PREFIX = "SRM"
CODE_VERSION = 1
MAX_N = 64
MAX_SEED = 1023
MAX_SERVICES = 8
MODES = ("practice", "exam")
RESULT_SCHEMA = "srmquiz-result"
RESULT_VERSION = 1


class SessionCodeError(ValueError):
    """A code that does not decode (mistyped, or made for other content)."""


@dataclass(frozen=True, slots=True)
class Session:
    """What a session code fixes."""

    services: tuple[str, ...]
    kinds: tuple[str, ...]
    n: int
    seed: int
    mode: str = "practice"

    def questions(self, matrix: Matrix) -> list[Question]:
        """The quiz every student with this code gets: same questions, order and choices."""
        bank = generate(matrix, seed=self.seed, services=self.services, kinds=self.kinds)
        if not bank:
            raise ValueError("no questions match this session's services and kinds")
        return pick(bank, self.n, seed=self.seed)

    def describe(self, matrix: Matrix) -> str:
        names = ", ".join(matrix.service(s).name for s in self.services)
        kinds = "all kinds" if set(self.kinds) == set(KINDS) else ", ".join(self.kinds)
        return f"{self.n} questions on {names} ({kinds}), {self.mode} mode, seed {self.seed}"


def key_answer(question: Question) -> str:
    """The answer as an answer key prints it (build-the-stack: every layer, top first)."""
    if question.kind == "build-the-stack":
        return "; ".join(f"{p.name}: {p.answer}" for p in reversed(question.parts))
    return ", ".join(question.answer)


def _luhn32(values: Sequence[int]) -> int:
    """Luhn mod N check character: catches every single mistyped character."""
    factor, total = 2, 0
    for v in reversed(values):
        addend = factor * v
        total += addend // 32 + addend % 32
        factor = 1 if factor == 2 else 2
    return (32 - total % 32) % 32


def make_code(matrix: Matrix, session: Session) -> str:
    """Encode a session as SRM-XXXX-XXXX (checked against this matrix's services and kinds)."""
    ids = matrix.service_ids
    for sid in session.services:
        matrix.service(sid)
        if ids.index(sid) >= MAX_SERVICES:
            raise ValueError(
                f"session codes cover the first {MAX_SERVICES} services only, not {sid!r}"
            )
    for kind in session.kinds:
        if kind not in KINDS:
            raise ValueError(f"unknown kind {kind!r}; valid: {', '.join(KINDS)}")
    if not 1 <= session.n <= MAX_N:
        raise ValueError(f"a session has 1 to {MAX_N} questions, not {session.n}")
    if not 0 <= session.seed <= MAX_SEED:
        raise ValueError(f"a session seed is 0 to {MAX_SEED}, not {session.seed}")
    if session.mode not in MODES:
        raise ValueError(f"unknown mode {session.mode!r}; valid: {', '.join(MODES)}")
    session.questions(matrix)  # a code that gives no quiz is refused now, not in class
    services = sum(1 << ids.index(s) for s in session.services)
    kinds = sum(1 << KINDS.index(k) for k in session.kinds)
    bits = CODE_VERSION
    for value, width in (
        (services, 8),
        (kinds, 8),
        (session.n - 1, 6),
        (session.seed, 10),
        (MODES.index(session.mode), 1),
    ):
        bits = (bits << width) | value
    digits = [(bits >> (5 * i)) & 31 for i in reversed(range(7))]
    digits.append(_luhn32(digits))
    text = "".join(ALPHABET[d] for d in digits)
    return f"{PREFIX}-{text[:4]}-{text[4:]}"


def normalize(code: str) -> str:
    """Upper case, no spaces or dashes, I/L read as 1 and O as 0, the SRM prefix dropped."""
    text = "".join(code.split()).upper().replace("-", "")
    if text.startswith(PREFIX):
        text = text[len(PREFIX) :]
    return text.translate(str.maketrans("ILO", "110"))


def canonical(code: str) -> str:
    """A typed code as it is printed: SRM-XXXX-XXXX (after normalize)."""
    text = normalize(code)
    return f"{PREFIX}-{text[:4]}-{text[4:]}"


def parse_code(matrix: Matrix, code: str) -> Session:
    """Decode a session code, or raise SessionCodeError with one line saying what is wrong."""
    shown = code.strip() or "(empty)"
    text = normalize(code)
    if len(text) != 8:
        raise SessionCodeError(
            f"{shown!s} is not a session code: it has {len(text)} characters after SRM-, "
            "not 8 (like SRM-7K2Q-M4XA)"
        )
    bad = sorted({c for c in text if c not in ALPHABET})
    if bad:
        raise SessionCodeError(f"{shown}: {''.join(bad)!r} cannot appear in a session code")
    digits = [ALPHABET.index(c) for c in text]
    if _luhn32(digits[:7]) != digits[7]:
        raise SessionCodeError(
            f"{shown}: a character is mistyped (the check character does not match); "
            "compare it with the code on the board"
        )
    bits = 0
    for d in digits[:7]:
        bits = (bits << 5) | d
    fields = []
    for width in (1, 10, 6, 8, 8):  # read back from the low end
        fields.append(bits & ((1 << width) - 1))
        bits >>= width
    mode, seed, n, kinds, services = fields
    if bits != CODE_VERSION:
        raise SessionCodeError(f"{shown}: made by another version of srmquiz (code version {bits})")
    ids = matrix.service_ids
    chosen = tuple(ids[i] for i in range(min(len(ids), MAX_SERVICES)) if services >> i & 1)
    if services >> min(len(ids), MAX_SERVICES) or not chosen:
        raise SessionCodeError(f"{shown}: names services this content does not have")
    kind_ids = tuple(k for i, k in enumerate(KINDS) if kinds >> i & 1)
    if not kind_ids:
        raise SessionCodeError(f"{shown}: names no question kinds")
    return Session(chosen, kind_ids, n + 1, seed, MODES[mode])


def new_session(
    matrix: Matrix,
    services: Iterable[str] | None = None,
    *,
    kinds: Iterable[str] | None = None,
    n: int = 10,
    seed: int | None = None,
    mode: str = "practice",
) -> tuple[str, Session]:
    """An instructor's new session (a random seed unless one is given) and its code."""
    import secrets

    session = Session(
        tuple(services) if services is not None else tuple(matrix.service_ids[:MAX_SERVICES]),
        tuple(kinds) if kinds is not None else tuple(KINDS),
        n,
        seed if seed is not None else secrets.randbelow(MAX_SEED + 1),
        mode,
    )
    return make_code(matrix, session), session


# -- result documents -------------------------------------------------------------
def result_document(
    *,
    learner: str,
    code: str,
    matrix: Matrix,
    answers: Sequence[Any],
    questions: Sequence[Question],
    started_at: float,
    finished_at: float,
) -> dict[str, Any]:
    """The JSON a finished session quiz is saved as (schema-versioned, self-checking)."""
    from srmquiz import __version__

    by_id = {a.question.id: a for a in answers}
    items = []
    for q in questions:
        a = by_id.get(q.id)
        items.append(
            {
                "question_id": q.id,
                "kind": q.kind,
                "service": q.service,
                "layer": q.layer,
                "given": list(a.given) if a else None,
                "correct": bool(a and a.correct),
                "seconds": round(a.seconds, 3) if a else None,
            }
        )
    doc: dict[str, Any] = {
        "schema": RESULT_SCHEMA,
        "schema_version": RESULT_VERSION,
        "learner": learner,
        "code": code,
        "started_at": round(started_at, 3),
        "finished_at": round(finished_at, 3),
        "score": sum(i["correct"] for i in items),
        "total": len(items),
        "answers": items,
        "srmquiz_version": __version__,
        "content_checksum": matrix.checksum,
    }
    doc["document_checksum"] = _doc_checksum(doc)
    return doc


def _doc_checksum(doc: dict[str, Any]) -> str:
    body = {k: v for k, v in doc.items() if k != "document_checksum"}
    return hashlib.sha256(json.dumps(body, sort_keys=True).encode()).hexdigest()


def safe_name(text: str) -> str:
    keep = "".join(c if c.isalnum() or c in "-_" else "-" for c in text.strip())
    return "-".join(p for p in keep.split("-") if p)[:60] or "learner"


def export_result(doc: dict[str, Any], folder: str | os.PathLike[str]) -> Path:
    """Write a result file into folder; never overwrites (a second file gets -2, -3...)."""
    target = Path(folder)
    target.mkdir(parents=True, exist_ok=True)
    stem = f"{safe_name(doc['code'])}-{safe_name(doc['learner'])}"
    data = json.dumps(doc, indent=2, ensure_ascii=False) + "\n"
    n = 1
    while True:
        path = target / (f"{stem}.json" if n == 1 else f"{stem}-{n}.json")
        try:
            with open(path, "x", encoding="utf-8") as f:  # "x": fails rather than overwrite
                f.write(data)
            return path
        except FileExistsError:
            n += 1


def check_document(doc: Any) -> str | None:
    """Why a loaded JSON value is not a usable result (None when it is)."""
    if not isinstance(doc, dict):
        return f"expected a JSON object, got {type(doc).__name__}"
    if doc.get("schema") != RESULT_SCHEMA:
        return 'not an srmquiz result (no "schema": "srmquiz-result")'
    if doc.get("schema_version") != RESULT_VERSION:
        return f"result schema_version {doc.get('schema_version')!r} is not supported"
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
    for i, item in enumerate(doc["answers"]):
        if not isinstance(item, dict) or not isinstance(item.get("question_id"), str):
            return f"answers[{i}]: not an answer"
        if not isinstance(item.get("correct"), bool):
            return f"answers[{i}].correct: missing or not true/false"
    if doc["total"] != len(doc["answers"]):
        return f"total {doc['total']} does not match {len(doc['answers'])} answers"
    if doc["score"] != sum(item["correct"] for item in doc["answers"]):
        return "score does not match the answers"
    if doc.get("document_checksum") != _doc_checksum(doc):
        return "checksum does not match: the file was edited after it was saved"
    return None


# -- collecting -------------------------------------------------------------------
@dataclass
class Collected:
    """Results gathered for one session, and every file that was skipped, with why."""

    code: str | None
    results: list[dict[str, Any]] = field(default_factory=list)
    sources: list[str] = field(default_factory=list)
    skipped: list[str] = field(default_factory=list)
    """One line each: 'where: why'."""
    notes: list[str] = field(default_factory=list)
    """Kept, but worth knowing (results made from different content)."""

    # -- views ------------------------------------------------------------------
    def grades(self) -> list[dict[str, Any]]:
        return [
            {
                "learner": r["learner"],
                "score": r["score"],
                "total": r["total"],
                "percent": round(100 * r["score"] / r["total"]) if r["total"] else 0,
                "source": s,
            }
            for r, s in sorted(
                zip(self.results, self.sources, strict=True),
                key=lambda x: _natural(x[0]["learner"]),
            )
        ]

    def question_stats(self) -> list[dict[str, Any]]:
        """Per question: how many answered it, how many right, and the answers given."""
        stats: dict[str, dict[str, Any]] = {}
        for r in self.results:
            for item in r["answers"]:
                s = stats.setdefault(
                    item["question_id"],
                    {
                        "question_id": item["question_id"],
                        "service": item.get("service"),
                        "layer": item.get("layer"),
                        "asked": 0,
                        "right": 0,
                        "given": {},
                    },
                )
                s["asked"] += 1
                s["right"] += int(item["correct"])
                key = ", ".join(item["given"]) if item.get("given") else "(no answer)"
                s["given"][key] = s["given"].get(key, 0) + 1
        for s in stats.values():
            s["percent_right"] = round(100 * s["right"] / s["asked"]) if s["asked"] else 0
        return list(stats.values())

    def most_missed(self, k: int = 5) -> list[dict[str, Any]]:
        return sorted(self.question_stats(), key=lambda s: (s["percent_right"], -s["asked"]))[:k]

    def mistakes_by_cell(self) -> dict[tuple[str, str], tuple[int, int]]:
        """(service, layer) -> (wrong answers, answers) over every result."""
        cells: dict[tuple[str, str], list[int]] = {}
        for r in self.results:
            for item in r["answers"]:
                if item.get("service") and item.get("layer"):
                    c = cells.setdefault((item["service"], item["layer"]), [0, 0])
                    c[0] += int(not item["correct"])
                    c[1] += 1
        return {k: (v[0], v[1]) for k, v in cells.items()}

    def summary(self) -> dict[str, Any]:
        scores = [g["percent"] for g in self.grades()]
        return {
            "code": self.code,
            "students": len(self.results),
            "skipped": len(self.skipped),
            "mean_percent": round(statistics.mean(scores), 1) if scores else None,
            "median_percent": statistics.median(scores) if scores else None,
        }

    # -- output -----------------------------------------------------------------
    def to_table(self) -> str:
        lines = [f"Session {self.code or '(none)'}: {len(self.results)} results"]
        rows = [("Learner", "Score", "%")] + [
            (g["learner"], f"{g['score']}/{g['total']}", str(g["percent"])) for g in self.grades()
        ]
        width = max(len(r[0]) for r in rows)
        lines += [f"{r[0]:<{width}}  {r[1]:>6}  {r[2]:>4}" for r in rows]
        if self.results:
            s = self.summary()
            lines.append(f"Mean {s['mean_percent']}%, median {s['median_percent']}%")
        lines += [f"skipped: {line}" for line in self.skipped]
        lines += [f"note: {line}" for line in self.notes]
        return "\n".join(lines)

    def to_csv(self) -> str:
        buf = io.StringIO()
        writer = csv.writer(buf, lineterminator="\n")
        writer.writerow(["learner", "code", "score", "total", "percent"])
        for g in self.grades():
            writer.writerow([g["learner"], self.code, g["score"], g["total"], g["percent"]])
        return buf.getvalue()

    def to_json(self) -> str:
        return json.dumps(
            {
                "summary": self.summary(),
                "grades": self.grades(),
                "questions": self.question_stats(),
                "skipped": self.skipped,
                "notes": self.notes,
            },
            indent=2,
            ensure_ascii=False,
        )


def _natural(name: str) -> list[tuple[int, int | str]]:
    """Sort key: "Student 2" before "Student 10", case ignored."""
    import re

    return [(0, int(t)) if t.isdigit() else (1, t) for t in re.findall(r"\d+|\D+", name.casefold())]


def _load_file(path: Path) -> tuple[Any, str | None]:
    try:
        text = path.read_text(encoding="utf-8")
    except UnicodeDecodeError:
        return None, "not UTF-8 text"
    except OSError as exc:
        return None, f"cannot read: {exc.strerror}"
    try:
        return json.loads(text), None
    except json.JSONDecodeError as exc:
        return None, f"not valid JSON (line {exc.lineno}, column {exc.colno}: {exc.msg})"


def collect(
    paths: Iterable[str | os.PathLike[str]] = (),
    *,
    db: str | os.PathLike[str] | None = None,
    code: str | None = None,
    matrix: Matrix | None = None,
) -> Collected:
    """Gather results from files, folders (their *.json files) and a database.

    Malformed files, duplicates (the same learner twice in a session, or the same file
    twice) and results from another session are skipped and listed, never fatal. With no
    ``code`` the session with the most results is used. Results made from different
    content than ``matrix`` are reported too, but kept.
    """
    found: list[tuple[str, dict[str, Any]]] = []
    skipped: list[str] = []
    for raw in paths:
        p = Path(raw)
        if p.is_dir():
            files = sorted(p.glob("*.json"))
            if not files:
                skipped.append(f"{p}: no .json result files in this folder")
        elif p.exists():
            files = [p]
        else:
            skipped.append(f"{p}: no such file or folder")
            continue
        for f in files:
            doc, problem = _load_file(f)
            problem = problem or check_document(doc)
            if problem:
                skipped.append(f"{f}: {problem}")
            else:
                found.append((str(f), doc))
    if db is not None:
        from srmquiz.progress import ProgressError, Store

        try:
            with Store(db) as store:
                if store.notice:
                    skipped.append(store.notice)
                for i, doc in enumerate(store.results()):
                    problem = check_document(doc)
                    where = f"{db} (result {i + 1})"
                    if problem:
                        skipped.append(f"{where}: {problem}")
                    else:
                        found.append((where, doc))
        except ProgressError as exc:
            skipped.append(str(exc))
    wanted = None
    if code is not None:
        wanted = canonical(code)
    elif found:
        counts: dict[str, int] = {}
        for _, d in found:
            counts[d["code"]] = counts.get(d["code"], 0) + 1
        wanted = max(counts, key=lambda c: (counts[c], c))
    out = Collected(wanted, skipped=skipped)
    seen_learners: dict[str, str] = {}
    seen_docs: dict[str, str] = {}
    for where, doc in found:
        if doc["code"] != wanted:
            out.skipped.append(f"{where}: from another session ({doc['code']}, not {wanted})")
            continue
        if doc["document_checksum"] in seen_docs:
            out.skipped.append(f"{where}: duplicate of {seen_docs[doc['document_checksum']]}")
            continue
        key = doc["learner"].strip().casefold()
        if key in seen_learners:
            out.skipped.append(
                f"{where}: {doc['learner']} already has a result ({seen_learners[key]})"
            )
            continue
        if matrix is not None and doc["content_checksum"] != matrix.checksum:
            out.notes.append(f"{where}: made with different content (kept; questions may differ)")
        seen_docs[doc["document_checksum"]] = where
        seen_learners[key] = where
        out.results.append(doc)
        out.sources.append(where)
    return out
