"""Result files: export a finished session's document, collect a class's files and database.

Never overwrites: a second export for the same learner gets -2, -3, ...
"""

from __future__ import annotations

import json
import os
from collections.abc import Iterable
from pathlib import Path
from typing import Any

from srmquiz.core.matrix import Matrix
from srmquiz.core.results import Collected, check_document, safe_name
from srmquiz.core.sessions import canonical
from srmquiz.data.files import write_new


def export_result(doc: dict[str, Any], folder: str | os.PathLike[str]) -> Path:
    """Write a result file into folder; never overwrites (a second file gets -2, -3...)."""
    target = Path(folder)
    target.mkdir(parents=True, exist_ok=True)
    stem = f"{safe_name(doc['code'])}-{safe_name(doc['learner'])}"
    data = json.dumps(doc, indent=2, ensure_ascii=False) + "\n"
    return write_new(target / f"{stem}.json", data)


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
        from srmquiz.data.progress import ProgressError, Store

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
