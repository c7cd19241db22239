"""Result files: export a finished session's document, collect a class's files and database.

Never overwrites: a second export for the same learner gets -2, -3, ...
"""

from __future__ import annotations

import json
import os
from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import Any

from srmquiz.core.matrix import Matrix
from srmquiz.core.results import Collected, Found, ResultDocument, ResultError, safe_name
from srmquiz.core.sessions import canonical
from srmquiz.data.files import write_new

Gathered = tuple[list[Found], list[str]]
"""(usable results with where each came from, one 'where: why' line per thing skipped)."""


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


def _load_json(path: Path) -> Any:
    try:
        text = path.read_text(encoding="utf-8")
    except UnicodeDecodeError:
        raise ResultError("not UTF-8 text") from None
    except OSError as exc:
        raise ResultError(f"cannot read: {exc.strerror}") from None
    try:
        return json.loads(text)
    except json.JSONDecodeError as exc:
        raise ResultError(
            f"not valid JSON (line {exc.lineno}, column {exc.colno}: {exc.msg})"
        ) from None


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
    found, skipped = gather_paths(paths)
    if db is not None:
        from_db, db_skipped = gather_database(db)
        found += from_db
        skipped += db_skipped
    wanted = canonical(code) if code is not None else choose_session(found)
    kept, dropped, notes = deduplicate(found, wanted, matrix)
    return Collected(wanted, tuple(kept), tuple(skipped + dropped), tuple(notes))


def gather_paths(paths: Iterable[str | os.PathLike[str]]) -> Gathered:
    """The result files given, and every *.json file in the folders given."""
    found: list[Found] = []
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
            try:
                found.append(Found(load_result(f), str(f)))
            except ResultError as exc:
                skipped.append(f"{f}: {exc}")
    return found, skipped


def gather_database(db: str | os.PathLike[str]) -> Gathered:
    """The results saved in a progress database (an unusable database is one skipped line).

    The file is only read: opened read-only, never created, migrated, repaired or renamed,
    no folder made and no -wal/-shm file left behind (see srmquiz.data.progress).
    """
    import sqlite3

    from srmquiz.data.progress import ProgressError, Store, one_line

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


def deduplicate(
    found: Iterable[Found], code: str | None, matrix: Matrix | None
) -> tuple[list[Found], list[str], list[str]]:
    """(kept, skipped lines, notes): one result per learner of session ``code``.

    The first wins: a later copy of the same document, a second result of the same
    learner (names compared without case) and results from another session are skipped.
    Results made from content other than ``matrix`` are kept with a note.
    """
    kept: list[Found] = []
    skipped: list[str] = []
    notes: list[str] = []
    seen_learners: dict[str, str] = {}
    seen_docs: dict[str, str] = {}
    for f in found:
        doc, where = f.document, f.source
        if doc.code != code:
            skipped.append(f"{where}: from another session ({doc.code}, not {code})")
            continue
        if doc.document_checksum in seen_docs:
            skipped.append(f"{where}: duplicate of {seen_docs[doc.document_checksum]}")
            continue
        key = doc.learner.strip().casefold()
        if key in seen_learners:
            skipped.append(f"{where}: {doc.learner} already has a result ({seen_learners[key]})")
            continue
        if matrix is not None and doc.content_checksum != matrix.checksum:
            notes.append(f"{where}: made with different content (kept; questions may differ)")
        seen_docs[doc.document_checksum] = where
        seen_learners[key] = where
        kept.append(f)
    return kept, skipped, notes
