"""Result documents of finished session quizzes, and what a class's results add up to.

Pure: reading and writing the files is :mod:`srmquiz.data.results`.
"""

from __future__ import annotations

import csv
import hashlib
import io
import json
import re
import statistics
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from srmquiz.core.matrix import Matrix
from srmquiz.core.questions import Answer, Question
from srmquiz.core.version import __version__

RESULT_SCHEMA = "srmquiz-result"
RESULT_VERSION = 1


def result_document(
    *,
    learner: str,
    code: str,
    matrix: Matrix,
    answers: Sequence[Answer],
    questions: Sequence[Question],
    started_at: float,
    finished_at: float,
) -> dict[str, Any]:
    """The JSON a finished session quiz is saved as (schema-versioned, self-checking)."""
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
    doc["document_checksum"] = doc_checksum(doc)
    return doc


def doc_checksum(doc: dict[str, Any]) -> str:
    """The checksum a result document carries over everything else in it."""
    body = {k: v for k, v in doc.items() if k != "document_checksum"}
    return hashlib.sha256(json.dumps(body, sort_keys=True).encode()).hexdigest()


def safe_name(text: str) -> str:
    keep = "".join(c if c.isalnum() or c in "-_" else "-" for c in text.strip())
    return "-".join(p for p in keep.split("-") if p)[:60] or "learner"


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
    if doc.get("document_checksum") != doc_checksum(doc):
        return "checksum does not match: the file was edited after it was saved"
    return None


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
    return [(0, int(t)) if t.isdigit() else (1, t) for t in re.findall(r"\d+|\D+", name.casefold())]
