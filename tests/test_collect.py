"""Result files: exported without overwriting, collected with every skipped file named."""

from __future__ import annotations

import json
from pathlib import Path

from srmquiz.cli import main
from srmquiz.core.results import ResultDocument, doc_checksum
from srmquiz.core.sessions import (
    new_session,
)
from srmquiz.data.results import collect, export_result
from srmquiz.notebook import demo_class


def test_results_are_exported_without_overwriting(matrix, tmp_path):
    doc = ResultDocument.build(
        learner="Ana / ../etc",
        code="SRM-AAAA-AAAA",
        matrix=matrix,
        answers=[],
        questions=[],
        started_at=1.0,
        finished_at=2.0,
    )
    first = export_result(doc, tmp_path)
    second = export_result(doc, tmp_path)
    assert first.parent == tmp_path and second.parent == tmp_path  # no path tricks
    assert first.name == "SRM-AAAA-AAAA-Ana-etc.json" and second.name.endswith("-2.json")
    assert json.loads(first.read_text()) == doc.to_dict()
    assert first.read_bytes() == second.read_bytes()


def make_class(matrix, folder: Path, code: str, students: int = 3) -> list[Path]:
    return demo_class(code, folder, students=students, seed=4)


def make_real_class(matrix, folder: Path, code: str, students: int = 3) -> list[Path]:
    """Result files as real students' would be: the demo class without its "simulated" mark."""
    from srmquiz.core.sessions import parse_code
    from srmquiz.core.simulate import simulated_results
    from srmquiz.data.results import export_result

    paths = []
    for doc in simulated_results(matrix, code, parse_code(matrix, code), students=students, seed=4):
        body = doc.to_dict()
        body.pop("simulated", None)
        body["learner"] = doc.learner.replace("Demo student", "Student")
        body["document_checksum"] = doc_checksum(body)
        paths.append(export_result(ResultDocument.from_dict(body), folder))
    return paths


def test_collect_skips_broken_duplicated_and_foreign_files_by_name(matrix, tmp_path, capsys):
    code, _ = new_session(matrix, n=5, seed=2)
    other, _ = new_session(matrix, n=5, seed=3)
    folder = tmp_path / "in"
    files = make_class(matrix, folder, code)
    make_class(matrix, tmp_path / "other", other, students=1)
    (tmp_path / "other" / f"{other}-Demo-student-1.json").rename(folder / "foreign.json")
    (folder / "copy.json").write_bytes(files[0].read_bytes())
    (folder / "broken.json").write_text('{"schema": "srmquiz-result", ')
    (folder / "list.json").write_text("[1, 2]")
    edited = json.loads(files[1].read_text())
    edited["score"] = edited["total"]
    edited["answers"] = [dict(a, correct=True) for a in edited["answers"]]
    (folder / "edited.json").write_text(json.dumps(edited))
    again = json.loads(files[2].read_text())
    again["started_at"] += 1
    again["document_checksum"] = doc_checksum(again)
    (folder / "zz-second-try.json").write_text(json.dumps(again))
    (folder / "latin1.json").write_bytes(b'{"learner": "J\xf6rg"}')
    got = collect([folder, tmp_path / "missing"], code=code, matrix=matrix)
    assert len(got.results) == 3
    reasons = {Path(line.split(": ", 1)[0]).name: line for line in got.skipped}
    assert "not valid JSON (line 1" in reasons["broken.json"]
    assert "expected a JSON object, got list" in reasons["list.json"]
    assert "duplicate of" in reasons["copy.json"]
    assert f"from another session ({other}, not {code})" in reasons["foreign.json"]
    assert "checksum does not match" in reasons["edited.json"]
    assert "already has a result" in reasons["zz-second-try.json"]
    assert "not UTF-8" in reasons["latin1.json"]
    assert "no such file or folder" in reasons["missing"]
    # the same from the command line, in each format, never a traceback
    assert main(["results", "collect", str(folder), "--code", code]) == 0
    out = capsys.readouterr().out
    assert "Demo student 1" in out and "skipped:" in out and "broken.json" in out
    assert main(["results", "collect", str(folder), "--format", "csv"]) == 0
    out, err = capsys.readouterr()
    assert out.splitlines()[0] == "learner,code,score,total,percent" and len(out.splitlines()) == 4
    assert "skipped" in err and "foreign.json" in err
    assert main(["results", "collect", str(folder), "--format", "json"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert data["summary"]["students"] == 3 and len(data["skipped"]) == 7
    assert main(["results", "collect", str(tmp_path / "empty-nothing")]) == 1


def test_grades_list_learners_in_natural_order(matrix, tmp_path):
    code, _ = new_session(matrix, n=3, seed=8)
    demo_class(code, tmp_path, students=11, seed=1)
    names = [g.learner for g in collect([tmp_path]).grades()]
    assert names[:3] == ["Demo student 1", "Demo student 2", "Demo student 3"]
    assert names[-2:] == ["Demo student 10", "Demo student 11"]
