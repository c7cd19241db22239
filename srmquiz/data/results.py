"""Result files: export a finished session's document, collect a class's files and database.

Never overwrites: a second export for the same learner gets -2, -3, ...

Collecting trusts no file: each is read only when it is a regular file of at most
:data:`MAX_BYTES`, nested no deeper than :data:`~srmquiz.core.results.MAX_DEPTH`, and every
result is graded again against its session's own questions
(:func:`~srmquiz.core.results.regrade`). Whatever goes wrong with one file skips that file
with one line saying why; the others are collected.
"""

from __future__ import annotations

import json
import os
import re
from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import Any

from srmquiz.core.matrix import Matrix
from srmquiz.core.questions import Question
from srmquiz.core.results import (
    MAX_DEPTH,
    Collected,
    Found,
    ResultDocument,
    ResultError,
    regrade,
    safe_name,
    scripts,
    shown,
    skeleton,
)
from srmquiz.core.sessions import SessionCodeError, canonical, parse_code
from srmquiz.core.text import one_line
from srmquiz.data.files import UnreadableFile, read_bounded, write_new

Gathered = tuple[list[Found], list[str]]
"""(usable results with where each came from, one 'where: why' line per thing skipped)."""

MAX_BYTES = 1_000_000
"""The largest result file read (a 64-question result is a few KB)."""


def export_result(doc: ResultDocument, folder: str | os.PathLike[str]) -> Path:
    """Write a result file into folder; never overwrites (a second file gets -2, -3...)."""
    target = Path(folder)
    target.mkdir(parents=True, exist_ok=True)
    stem = f"{safe_name(doc.code)}-{safe_name(doc.learner)}"
    data = json.dumps(doc.to_dict(), indent=2, ensure_ascii=False) + "\n"
    return write_new(target / f"{stem}.json", data)


def load_result(path: str | os.PathLike[str]) -> ResultDocument:
    """The result document in a file; ResultError (one line) when it is not a usable one."""
    return ResultDocument.from_dict(_load_json(Path(path)))


def _read_bytes(path: Path) -> bytes:
    """At most MAX_BYTES of a regular file; never opens a pipe or a device (ResultError)."""
    try:
        return read_bounded(path, MAX_BYTES)
    except UnreadableFile as exc:
        raise ResultError(f"{exc}; not read") from None


_STRING = re.compile(r'"(?:[^"\\]|\\.)*"')
_BRACKET = re.compile(r"[\[\]{}]")


def json_depth(text: str) -> int:
    """How deeply lists and objects nest in JSON text (strings ignored), without parsing it."""
    depth = deepest = 0
    for m in _BRACKET.finditer(_STRING.sub("", text)):
        depth += 1 if m.group() in "[{" else -1
        deepest = max(deepest, depth)
    return deepest


def _load_json(path: Path) -> Any:
    data = _read_bytes(path)
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError:
        raise ResultError("not UTF-8 text") from None
    if json_depth(text) > MAX_DEPTH:
        raise ResultError(f"nested deeper than {MAX_DEPTH} levels (a result has 4)")
    try:
        return json.loads(text)
    except json.JSONDecodeError as exc:
        raise ResultError(
            f"not valid JSON (line {exc.lineno}, column {exc.colno}: {exc.msg})"
        ) from None
    except (RecursionError, MemoryError):
        raise ResultError("not a result: too large or too deeply nested to read") from None
    except ValueError as exc:  # e.g. a number of more than 4300 digits
        raise ResultError(f"not valid JSON ({shown(str(exc), 80)})") from None


def _why(exc: BaseException) -> str:
    """An unexpected exception as the reason of a skipped line."""
    if isinstance(exc, ResultError | SessionCodeError):
        return str(exc)
    if isinstance(exc, RecursionError | MemoryError):
        return "not a result: too large or too deeply nested to read"
    return f"cannot be read as a result ({type(exc).__name__}: {shown(str(exc), 80)})"


def collect(
    paths: Iterable[str | os.PathLike[str]] = (),
    *,
    db: str | os.PathLike[str] | None = None,
    code: str | None = None,
    matrix: Matrix | None = None,
) -> Collected:
    """Gather results from files, folders (their *.json files) and a database.

    Every result is graded again against its session's questions made from ``matrix``
    (None: the content :func:`srmquiz.data.content.load_matrix` finds). Malformed files,
    results that claim more than their answers earn, results made with other content,
    results from another session and exact copies are skipped, one line each, never
    fatal. One learner with several results (names compared by what they look like)
    keeps the best, with a note. With no ``code`` the session with the most results is
    used.
    """
    if matrix is None:
        from srmquiz.data.content import load_matrix

        matrix = load_matrix()
    found, skipped = gather_paths(paths)
    if db is not None:
        try:
            from_db, db_skipped = gather_database(db)
        except Exception as exc:  # one unreadable database is one line, like a file
            from_db, db_skipped = [], [f"{db}: {_why(exc)}"]
        found += from_db
        skipped += db_skipped
    wanted = canonical(code) if code is not None else choose_session(found)
    graded, ungraded = regrade_all(found, wanted, matrix)
    kept, dropped, notes = deduplicate(graded, wanted, matrix)
    lines = [shown(line) for line in skipped + ungraded + dropped]
    return Collected(wanted, tuple(kept), tuple(lines), tuple(shown(n) for n in notes))


def gather_paths(paths: Iterable[str | os.PathLike[str]]) -> Gathered:
    """The result files given, and every *.json file in the folders given."""
    found: list[Found] = []
    skipped: list[str] = []
    for raw in paths:
        p = Path(raw)
        try:
            if p.is_dir():
                files = sorted(p.glob("*.json"))
                if not files:
                    skipped.append(f"{p}: no .json result files in this folder")
            elif p.exists() or p.is_symlink():
                files = [p]
            else:
                skipped.append(f"{p}: no such file or folder")
                continue
        except Exception as exc:  # e.g. an unreadable folder
            skipped.append(f"{p}: {_why(exc)}")
            continue
        for f in files:
            try:
                found.append(Found(load_result(f), str(f)))
            except Exception as exc:  # every problem of one file skips that file only
                skipped.append(f"{f}: {_why(exc)}")
    return found, skipped


def gather_database(db: str | os.PathLike[str]) -> Gathered:
    """The results saved in a progress database (an unusable database is one skipped line).

    The file is only read: opened read-only, never created, migrated, repaired or renamed,
    no folder made and no -wal/-shm file left behind (see srmquiz.data.progress).
    """
    import sqlite3

    from srmquiz.data.progress import ProgressError, Store

    found: list[Found] = []
    skipped: list[str] = []
    shown = one_line(str(db))
    try:
        with Store(db, readonly=True) as store:
            for i, text in enumerate(store.result_texts()):
                where = f"{shown} (result {i + 1})"
                try:
                    found.append(Found(ResultDocument.from_dict(json.loads(text)), where))
                except ResultError as exc:
                    skipped.append(f"{where}: {exc}")
                except (ValueError, TypeError, RecursionError) as exc:
                    skipped.append(f"{where}: not a result document ({one_line(str(exc), 80)})")
    except ProgressError as exc:
        skipped.append(str(exc))
    except sqlite3.Error as exc:
        skipped.append(f"{shown}: cannot read it ({one_line(str(exc), 120)})")
    return found, skipped


def choose_session(found: Sequence[Found]) -> str | None:
    """The session with the most results (ties: the later code), None when nothing was found."""
    counts: dict[str, int] = {}
    for f in found:
        counts[f.document.code] = counts.get(f.document.code, 0) + 1
    return max(counts, key=lambda c: (counts[c], c)) if counts else None


def regrade_all(
    found: Iterable[Found], code: str | None, matrix: Matrix
) -> tuple[list[Found], list[str]]:
    """(results of session ``code`` graded again, one skipped line per other result).

    A result is skipped when it is from another session, was made with other content
    (it can only be graded with that content), its code does not decode, or its answers
    do not earn what it claims (:func:`~srmquiz.core.results.regrade`).
    """
    graded: list[Found] = []
    skipped: list[str] = []
    quizzes: dict[str, list[Question] | str] = {}
    for f in found:
        doc, where = f.document, f.source
        if doc.code != code:
            skipped.append(f"{where}: from another session ({doc.code}, not {code})")
            continue
        if doc.content_checksum != matrix.checksum:
            skipped.append(
                f"{where}: made with other content (checksum {shown(doc.content_checksum, 12)}, "
                f"this content is {matrix.checksum[:12]}…); collect it with that content "
                "(srmquiz --content DIR, or dashboard(content=DIR))"
            )
            continue
        if doc.code not in quizzes:
            quizzes[doc.code] = _session_questions(matrix, doc.code)
        questions = quizzes[doc.code]
        if isinstance(questions, str):
            skipped.append(f"{where}: {questions}")
            continue
        try:
            graded.append(Found(regrade(doc, questions), where))
        except Exception as exc:
            skipped.append(f"{where}: {_why(exc)}")
    return graded, skipped


def _session_questions(matrix: Matrix, code: str) -> list[Question] | str:
    """The questions of session code with this content, or why there are none."""
    try:
        return parse_code(matrix, code).questions(matrix)
    except SessionCodeError as exc:
        return str(exc)
    except Exception as exc:
        return f"session {shown(code, 20)} gives no quiz with this content ({_why(exc)})"


def deduplicate(
    found: Iterable[Found], code: str | None, matrix: Matrix | None = None
) -> tuple[list[Found], list[str], list[str]]:
    """(kept, skipped lines, notes): one result per learner of session ``code``.

    Results from another session are skipped; so are exact copies of a document
    ("duplicate of FILE", the first one stays). Names that look alike (the same
    :func:`~srmquiz.core.results.skeleton`: case, invisible characters and Cyrillic or
    Greek look-alike letters aside) are one learner. A learner with several different
    results keeps the one with the highest score (ties: the earliest finished, then the
    first found): files carry no signature, so the collector cannot tell a retake from a
    file handed in under someone else's name, and this way nobody can lower a classmate's
    grade. Each such learner gets a note, and so does a name that mixes scripts where one
    is Latin, Cyrillic or Greek (see :func:`~srmquiz.core.results.scripts`). ``matrix`` is
    not used (kept for callers of earlier versions).
    """
    del matrix
    skipped: list[str] = []
    seen_docs: dict[str, str] = {}
    groups: dict[str, list[tuple[int, Found]]] = {}
    for n, f in enumerate(found):
        doc, where = f.document, f.source
        if doc.code != code:
            skipped.append(f"{where}: from another session ({doc.code}, not {code})")
            continue
        if doc.document_checksum in seen_docs:
            skipped.append(f"{where}: duplicate of {seen_docs[doc.document_checksum]}")
            continue
        seen_docs[doc.document_checksum] = where
        groups.setdefault(skeleton(doc.learner), []).append((n, f))
    kept: list[tuple[int, Found]] = []
    notes: list[str] = []
    for group in groups.values():
        best_n, best = min(group, key=lambda nf: _rank(nf[1].document, nf[0]))
        kept.append((best_n, best))
        b = best.document
        for _n, f in group:
            if f is not best:
                d = f.document
                skipped.append(
                    f"{f.source}: {shown(d.learner, 60)} already has a result: kept "
                    f"{best.source} ({b.score}/{b.total}) over this one ({d.score}/{d.total})"
                )
        names = {_same_text(f.document.learner) for _n, f in group}
        if len(names) > 1:
            listed = ", ".join(f"{shown(f.document.learner, 60)!r} ({f.source})" for _n, f in group)
            notes.append(
                f"look-alike names {listed} are counted as one learner; kept the best "
                f"result ({best.source}) — check with the learner"
            )
        elif len(group) > 1:
            others = ", ".join(f.source for _n, f in group if f is not best)
            notes.append(
                f"{shown(b.learner, 60)} has {len(group)} results; kept the best one "
                f"({best.source}) over {others} — a second result under one name is a "
                "retake or someone else's file: check with the learner"
            )
        mixed = scripts(b.learner)
        if len(mixed) > 1:
            notes.append(
                f"{best.source}: the name {shown(b.learner, 60)!r} mixes "
                f"{' and '.join(s.title() for s in mixed)} script (it looks like "
                f"{skeleton(b.learner)!r}) — check with the learner"
            )
        elif shown(b.learner) != b.learner:
            notes.append(
                f"{best.source}: the name {shown(b.learner, 60)!r} contains invisible "
                "characters — check with the learner"
            )
    kept.sort(key=lambda nf: nf[0])
    return [f for _n, f in kept], skipped, notes


def _same_text(name: str) -> str:
    """A name as the same name: case and runs of spaces aside."""
    return " ".join(name.casefold().split())


def _rank(doc: ResultDocument, n: int) -> tuple[int, float, int]:
    """Sort key of one learner's results: best score first, then earliest finished."""
    return (-doc.score, doc.finished_at, n)
