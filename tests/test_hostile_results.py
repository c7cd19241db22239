"""Hostile result files (review section 4): collecting never crashes, hangs or trusts a claim.

Each test names the finding it guards. Files are built from a real session of the shipped
content, then broken, forged or renamed the way the reliability review did.
"""

from __future__ import annotations

import csv
import io
import json
import os
import threading
from pathlib import Path
from typing import Any

import pytest

from srmquiz.cli import main
from srmquiz.core.questions import Answer, Question
from srmquiz.core.results import (
    AnswerItem,
    Collected,
    Found,
    ResultDocument,
    doc_checksum,
    shown,
    skeleton,
    spreadsheet_safe,
)
from srmquiz.core.sessions import new_session
from srmquiz.data.results import MAX_BYTES, collect
from srmquiz.notebook import dashboard
from srmquiz.widgets.dashboard import Dashboard

FORMULAS = ['=HYPERLINK("http://x","y")', "+cmd|' /C calc'!A0", "-2+3+cmd", "@SUM(1+1)"]


@pytest.fixture(scope="module")
def session(matrix) -> tuple[str, list[Question]]:
    code, s = new_session(matrix, n=10, seed=77)
    return code, s.questions(matrix)


def wrong(q: Question) -> tuple[str, ...]:
    if q.kind == "build-the-stack":
        return tuple("Customer" if a != "Customer" else "AWS" for a in q.answer)
    return (next(c for c in q.choices if c not in q.answer),)


def result(
    matrix, session, learner: str, right: int, *, finished: float = 1_700_000_600
) -> dict[str, Any]:
    """A genuine result: the first `right` questions answered right, the rest wrong."""
    code, questions = session
    answers = [
        Answer.of(q, q.answer if i < right else wrong(q), 5.0) for i, q in enumerate(questions)
    ]
    doc = ResultDocument.build(
        learner=learner,
        code=code,
        matrix=matrix,
        answers=answers,
        questions=questions,
        started_at=finished - 300,
        finished_at=finished,
    )
    return doc.to_dict()


def resealed(doc: dict[str, Any]) -> dict[str, Any]:
    """What anyone can do: the checksum has no key, so an edited file is sealed again."""
    return {**doc, "document_checksum": doc_checksum(doc)}


def write(folder: Path, name: str, doc: object) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / name
    path.write_text(doc if isinstance(doc, str) else json.dumps(doc), encoding="utf-8")
    return path


def reasons(got: Collected) -> dict[str, str]:
    """File name -> the reason it was skipped."""
    out = {}
    for line in got.skipped:
        where, why = line.split(": ", 1)
        out[Path(where).name] = why
    return out


def class_folder(matrix, session, folder: Path) -> None:
    write(folder, "ana.json", result(matrix, session, "Ana", 7))
    write(folder, "bo.json", result(matrix, session, "Bo", 4))


# -- one file never fails the folder ------------------------------------------------
def test_a_deeply_nested_file_is_one_skipped_line_and_the_rest_are_collected(
    matrix, session, tmp_path
):
    class_folder(matrix, session, tmp_path)
    write(tmp_path, "deep-list.json", "[" * 100_000 + "]" * 100_000)
    deep_given = result(matrix, session, "Cy", 3)
    deep_given["answers"][0]["given"] = json.loads("[" * 200 + "]" * 200)
    write(tmp_path, "deep-given.json", json.dumps(deep_given))
    got = collect([tmp_path], matrix=matrix)
    assert sorted(r.learner for r in got.results) == ["Ana", "Bo"]
    why = reasons(got)
    assert why["deep-list.json"] == "nested deeper than 16 levels (a result has 4)"
    assert why["deep-given.json"] == "nested deeper than 16 levels (a result has 4)"
    board = dashboard([tmp_path])  # crashed with RecursionError before
    assert isinstance(board, Dashboard) and "deep-list.json" in board.children[1].value


def test_special_and_huge_files_are_refused_without_reading_them(matrix, session, tmp_path):
    class_folder(matrix, session, tmp_path)
    os.mkfifo(tmp_path / "pipe.json")  # reading it waits for a writer forever
    (tmp_path / "zero.json").symlink_to("/dev/zero")  # endless: a MemoryError before
    (tmp_path / "loop.json").symlink_to(tmp_path / "loop.json")
    (tmp_path / "folder.json").mkdir()
    write(tmp_path, "huge.json", " " * MAX_BYTES + "{}")
    done: list[Collected] = []
    worker = threading.Thread(target=lambda: done.append(collect([tmp_path], matrix=matrix)))
    worker.daemon = True
    worker.start()
    worker.join(120)  # a guard against hanging the suite, not a speed check
    assert done, "collect hung on a named pipe or an endless file"
    got = done[0]
    assert sorted(r.learner for r in got.results) == ["Ana", "Bo"]
    why = reasons(got)
    assert why["pipe.json"] == "is a named pipe (FIFO), not a regular file; not read"
    assert why["zero.json"] == "is a device, not a regular file; not read"
    assert why["folder.json"] == "is a folder, not a regular file; not read"
    assert why["loop.json"] == "symlink loop (or too many levels of symlinks); not read"
    assert why["huge.json"].endswith("bytes, more than the 1,000,000-byte limit; not read")


@pytest.mark.parametrize(
    ("name", "change", "reason"),
    [
        (
            "given-numbers",
            lambda d: d["answers"][0].update(given=[1, 2]),
            "answers[0].given: not a list of texts or null",
        ),
        (
            "service-list",
            lambda d: d["answers"][0].update(service=["ec2", "s3"]),
            "answers[0].service: not a str or null",
        ),
        ("finished-nan", lambda d: d.update(finished_at=float("nan")), "finished_at: missing"),
        (
            "a-hundred",  # 20,000 answers are refused as larger than 1 MB
            lambda d: d.update(answers=d["answers"] * 10, total=100, score=50),
            "answers: 100, but a session has at most 64 questions",
        ),
        (
            "zero-of-zero",
            lambda d: d.update(answers=[], total=0, score=0),
            "answers: none (a 0/0 result is not a result of any session)",
        ),
        ("empty-name", lambda d: d.update(learner="  "), "learner: empty"),
    ],
)
def test_odd_values_are_one_skipped_line_in_every_output_format(
    matrix, session, tmp_path, capsys, name, change, reason
):
    class_folder(matrix, session, tmp_path)
    doc = result(matrix, session, "Odd", 5)
    change(doc)
    write(tmp_path, f"{name}.json", resealed(doc))
    got = collect([tmp_path], matrix=matrix)
    assert sorted(r.learner for r in got.results) == ["Ana", "Bo"]
    assert reasons(got)[f"{name}.json"].startswith(reason)
    for fmt in ("table", "csv", "json"):
        assert main(["results", "collect", str(tmp_path), "--format", fmt]) == 0
        out, err = capsys.readouterr()
        assert f"{name}.json" in out + err and "Traceback" not in out + err
    assert main(["results", "collect", str(tmp_path), "--format", "json"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert data["summary"]["students"] == 2 and len(data["skipped"]) == 1
    assert isinstance(dashboard([tmp_path]), Dashboard)


def test_with_no_usable_result_the_command_exits_1(matrix, session, tmp_path, capsys):
    empty = {**result(matrix, session, "Z", 0), "answers": [], "score": 0, "total": 0}
    write(tmp_path, "empty.json", resealed(empty))
    assert main(["results", "collect", str(tmp_path)]) == 1
    assert "0/0 result" in capsys.readouterr().out


# -- re-grading -----------------------------------------------------------------------
def test_a_resealed_all_right_file_is_skipped_with_what_it_claims_and_earns(
    matrix, session, tmp_path
):
    class_folder(matrix, session, tmp_path)
    forged = result(matrix, session, "Mallory", 3)
    for item in forged["answers"]:
        item["correct"] = True
    forged["score"] = 10
    write(tmp_path, "forged.json", resealed(forged))
    got = collect([tmp_path], matrix=matrix)
    assert "Mallory" not in [r.learner for r in got.results]
    assert reasons(got)["forged.json"] == "claims 10/10 but its answers earn 3/10"


def test_swapped_right_and_wrong_marks_with_the_same_score_are_caught(matrix, session, tmp_path):
    swapped = result(matrix, session, "Sam", 3)  # questions 0-2 right, 3-9 wrong
    swapped["answers"][0]["correct"] = False
    swapped["answers"][9]["correct"] = True
    write(tmp_path, "swapped.json", resealed(swapped))
    got = collect([tmp_path], matrix=matrix)
    assert (
        reasons(got)["swapped.json"] == "answers[0] is marked wrong, but the answer given is right"
    )


def test_invented_questions_are_not_questions_of_the_session(matrix, session, tmp_path):
    code, _ = session
    class_folder(matrix, session, tmp_path)
    item = {"kind": "owner", "service": "ec2", "layer": "iam", "given": ["AWS"]}
    item.update(correct=True, seconds=1.0)
    for name, n in (("ten.json", 10), ("thousand.json", 1000)):
        doc = result(matrix, session, name, 0)
        doc["answers"] = [{"question_id": f"invented:{i}", **item} for i in range(n)]
        doc.update(score=n, total=n)
        write(tmp_path, name, resealed(doc))
    short = result(matrix, session, "Short", 2)
    short["answers"] = short["answers"][:5]
    short.update(total=5)
    write(tmp_path, "short.json", resealed(short))
    got = collect([tmp_path], matrix=matrix)
    why = reasons(got)
    assert why["ten.json"] == f"answers[0] is 'invented:0', not a question of session {code}"
    assert why["thousand.json"] == "answers: 1000, but a session has at most 64 questions"
    assert why["short.json"] == f"has 5 answers, but session {code} has 10 questions"
    assert sorted(r.learner for r in got.results) == ["Ana", "Bo"]


def test_answers_must_be_among_the_choices_and_fit_the_question(matrix, session, tmp_path):
    _, questions = session
    stack = next(i for i, q in enumerate(questions) if q.kind == "build-the-stack")
    single = next(i for i, q in enumerate(questions) if not q.multi and q.kind != "build-the-stack")
    base = result(matrix, session, "Eve", 10)
    banana = json.loads(json.dumps(base))
    banana["answers"][single]["given"] = ["Banana"]
    write(tmp_path, "banana.json", resealed(banana))
    two = json.loads(json.dumps(base))
    two["answers"][single]["given"] = list(questions[single].choices[:2])
    two["answers"][single]["correct"] = False
    write(tmp_path, "two.json", resealed({**two, "score": 9}))
    stack_doc = json.loads(json.dumps(base))
    stack_doc["answers"][stack]["given"] = ["AWS"]
    stack_doc["answers"][stack]["correct"] = False
    write(tmp_path, "stack.json", resealed({**stack_doc, "score": 9}))
    got = collect([tmp_path], matrix=matrix)
    why = reasons(got)
    assert why["banana.json"] == (
        f"answers[{single}].given 'Banana' is not a choice of question {questions[single].id}"
    )
    assert why["two.json"].startswith(f"answers[{single}].given has 2 choices for a one-choice")
    assert why["stack.json"].startswith(f"answers[{stack}].given has 1 owners for a stack of")
    assert not got.results


def test_kind_service_and_layer_come_from_the_session_not_the_file(matrix, session, tmp_path):
    _, questions = session
    i = next(i for i, q in enumerate(questions) if q.service and q.layer)
    doc = result(matrix, session, "Ana", 0)
    doc["answers"][i].update(service="s3" if questions[i].service != "s3" else "ec2", kind="x")
    write(tmp_path, "moved.json", resealed(doc))
    got = collect([tmp_path], matrix=matrix)
    item = got.results[0].answers[i]
    assert (item.kind, item.service, item.layer) == (
        questions[i].kind,
        questions[i].service,
        questions[i].layer,
    )


def test_other_content_and_undecodable_codes_are_skipped_with_what_to_do(matrix, session, tmp_path):
    code, _ = session
    class_folder(matrix, session, tmp_path)
    other = result(matrix, session, "Old", 5)
    write(tmp_path, "old.json", resealed({**other, "content_checksum": "f" * 64}))
    got = collect([tmp_path], matrix=matrix)
    assert reasons(got)["old.json"].startswith("made with other content (checksum ffffffffffff")
    assert "collect it with that content (srmquiz --content DIR" in reasons(got)["old.json"]
    assert not got.notes  # no longer kept with a note
    bad = resealed({**result(matrix, session, "Cy", 5), "code": "SRM-0000-0001"})
    write(tmp_path / "b", "bad-code.json", bad)
    got = collect([tmp_path / "b"], code="SRM-0000-0001", matrix=matrix)
    assert "check character does not match" in reasons(got)["bad-code.json"]


# -- duplicates and look-alike names --------------------------------------------------
def test_a_file_in_a_classmates_name_does_not_replace_her_result(matrix, session, tmp_path):
    write(tmp_path, "ana.json", result(matrix, session, "Ana", 7, finished=1_700_000_900))
    write(tmp_path, "0-first.json", result(matrix, session, "ana", 1, finished=1_700_000_100))
    (tmp_path / "copy.json").write_bytes((tmp_path / "ana.json").read_bytes())
    got = collect([tmp_path], matrix=matrix)
    assert [(g.learner, g.score) for g in got.grades()] == [("Ana", 7)]
    why = reasons(got)
    assert why["0-first.json"] == (
        f"ana already has a result: kept {tmp_path / 'ana.json'} (7/10) over this one (1/10)"
    )
    assert why["copy.json"] == f"duplicate of {tmp_path / 'ana.json'}"
    assert got.notes == (
        f"Ana has 2 results; kept the best one ({tmp_path / 'ana.json'}) over "
        f"{tmp_path / '0-first.json'} — a second result under one name is a retake or "
        "someone else's file: check with the learner",
    )


def test_equal_scores_keep_the_earliest_finished(matrix, session, tmp_path):
    write(tmp_path, "a.json", result(matrix, session, "Bo", 5, finished=1_700_000_900))
    write(tmp_path, "b.json", result(matrix, session, "Bo", 5, finished=1_700_000_100))
    got = collect([tmp_path], matrix=matrix)
    assert got.sources == [str(tmp_path / "b.json")]


def test_look_alike_names_are_one_learner_with_a_note(matrix, session, tmp_path):
    write(tmp_path, "ana.json", result(matrix, session, "Ana Silva", 6))
    write(tmp_path, "cyrillic.json", result(matrix, session, "Аna Silva", 2))  # А is Cyrillic
    write(tmp_path, "zero-width.json", result(matrix, session, "Ana\u200b Silva", 1))
    write(tmp_path, "mixed.json", result(matrix, session, "Bоb", 4))  # о is Cyrillic
    got = collect([tmp_path], matrix=matrix)
    assert sorted((g.learner, g.score) for g in got.grades()) == [("Ana Silva", 6), ("Bоb", 4)]
    why = reasons(got)
    assert why["cyrillic.json"].endswith("(6/10) over this one (2/10)")
    assert why["zero-width.json"].startswith("Ana\\u200b Silva already has a result")
    look = next(n for n in got.notes if n.startswith("look-alike names"))
    assert "cyrillic.json" in look and "zero-width.json" in look and "ana.json" in look
    assert "counted as one learner" in look
    mixed = next(n for n in got.notes if "mixed.json" in n)
    assert "mixes Cyrillic and Latin script (it looks like 'bob')" in mixed
    assert skeleton("Аna\u200b  SILVA") == skeleton("ana silva") == "ana silva"


# -- output a terminal, a spreadsheet or a table cannot be fooled by ------------------
def test_csv_cells_a_spreadsheet_would_run_start_with_an_apostrophe(matrix, session, tmp_path):
    for i, name in enumerate(FORMULAS):
        write(tmp_path, f"f{i}.json", result(matrix, session, name, i))
    write(tmp_path, "tab.json", result(matrix, session, "\t=1+1", 5))
    got = collect([tmp_path], matrix=matrix)
    assert len(got.results) == len(FORMULAS)  # the tab is a control character: refused
    assert reasons(got)["tab.json"] == "learner: contains a control character (\\t)"
    # a Collected made some other way (the database, a test) is written safely too
    docs = [ResultDocument.from_dict(result(matrix, session, n, 1)) for n in ["Ana"]]
    odd = [AnswerItem("q", "owner", None, None, ("AWS",), True, 1.0)]
    extra = [
        Found(ResultDocument(n, got.code or "", 0, 1, tuple(odd), "0", "c", str(i)), f"x{i}")
        for i, n in enumerate(["\t=1+1", "  =2+2", "\r@x", "-1"])
    ]
    for text in (got.to_csv(), Collected(got.code, tuple(extra), ()).to_csv()):
        rows = list(csv.reader(io.StringIO(text)))
        cells = [cell for row in rows[1:] for cell in row]
        assert not any(c.lstrip(" ").startswith(("=", "+", "-", "@", "\t", "\r")) for c in cells)
    assert docs and spreadsheet_safe("Ana") == "Ana" and spreadsheet_safe(7) == 7
    assert spreadsheet_safe("=1+1") == "'=1+1"


def test_names_cannot_forge_table_rows_or_reach_the_terminal_raw(matrix, session, tmp_path):
    write(tmp_path, "ana.json", result(matrix, session, "Ana", 7))
    write(tmp_path, "zed.json", result(matrix, session, "Zed\nForged-Row 10/10 100", 1))
    write(tmp_path, "esc.json", result(matrix, session, "Eve\x1b[2J", 1))
    write(tmp_path, "evil\nForged 10-10 100\x1b[31m.json", "{")
    got = collect([tmp_path], matrix=matrix)
    why = reasons(got)
    assert why["zed.json"] == "learner: contains a line break"
    assert why["esc.json"] == "learner: contains a control character (\\x1b)"
    table = got.to_table()
    lines = table.splitlines()
    # title, header, one row per learner, the mean, then one line per skip and note
    assert len(lines) == 3 + len(got.results) + len(got.skipped) + len(got.notes)
    assert "\x1b" not in table and "Forged" not in "".join(lines[:4])
    assert any("evil\\nForged 10-10 100\\x1b[31m.json" in line for line in lines)
    assert len(got.to_csv().splitlines()) == len(got.results) + 1
    # a Collected made some other way shows names escaped, one row each
    item = AnswerItem("q", "owner", None, None, ("AWS",), True, 1.0)
    doc = ResultDocument("Zed\nForged 1/1 100\u202e", "C", 0, 1, (item,), "0", "c", "x")
    direct = Collected("C", (Found(doc, "f"),), ()).to_table().splitlines()
    assert len(direct) == 4 and "Zed\\nForged 1/1 100\\u202e" in direct[2]
    assert shown("a\x1b\u200bb", 2) == "a\\x1b…"


# -- the dashboard renders whatever it is given ---------------------------------------
def test_the_dashboard_renders_the_hostile_class(matrix, session, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    folder = tmp_path / "results"
    class_folder(matrix, session, folder)
    write(folder, "deep.json", "[" * 50_000 + "]" * 50_000)
    write(folder, "zed.json", result(matrix, session, "Zed\nForged", 1))
    write(folder, "cyr.json", result(matrix, session, "Аna", 2))
    write(folder, "f.json", result(matrix, session, FORMULAS[0], 3))
    board = dashboard([folder])
    text = board.children[1].value
    assert "3 results" in text and "deep.json" in text and "look-alike names" in text
    assert board.save_csv() is not None
    saved = list(csv.reader(io.StringIO((tmp_path / "grades.csv").read_text())))
    assert len(saved) == 4 and all(not c.startswith("=") for row in saved for c in row)


def test_the_dashboard_survives_a_collected_no_collector_would_make(matrix):
    # a mathtext question id, a service the content lacks, 20,000 questions: each used to
    # crash or freeze the dashboard; it now draws what it can and says what it could not
    items = tuple(
        AnswerItem(f"q{i} $x^$", "owner", "nope", "guest-os", ("AWS",), i % 2 == 0, 1.0)
        for i in range(20_000)
    )
    doc = ResultDocument("Ana\x1b", "C", 0, 1, items, "0", "c", "x")
    board = Dashboard(matrix, Collected("C", (Found(doc, "f"),), ("a\nb",), ("n\x1b",)))
    html = "".join(
        w.value for w in board.children if isinstance(w.value if hasattr(w, "value") else 0, str)
    )
    assert "Ana\\x1b" in html and "a\\nb" in html and "n\\x1b" in html
    assert "\x1b" not in html


def test_a_digit_of_another_script_is_a_look_alike(matrix, session, tmp_path):
    write(tmp_path, "ana.json", result(matrix, session, "Student 1", 7))
    write(tmp_path, "zz.json", result(matrix, session, "Student \u0661", 3))  # Arabic-Indic one
    got = collect([tmp_path], matrix=matrix)
    assert [(g.learner, g.score) for g in got.grades()] == [("Student 1", 7)]
    assert any("look-alike names" in note and "zz.json" in note for note in got.notes)


def test_a_name_mixing_latin_with_another_scripts_digits_is_flagged(matrix, session, tmp_path):
    write(tmp_path, "only.json", result(matrix, session, "Demo student \u0661", 5))
    got = collect([tmp_path], matrix=matrix)
    assert [g.score for g in got.grades()] == [5]
    assert got.notes == (
        f"{tmp_path / 'only.json'}: the name 'Demo student \u0661' mixes Arabic and Latin "
        "script (it looks like 'demo student 1') — check with the learner",
    )


def test_names_that_mix_only_other_scripts_are_not_flagged(matrix, session, tmp_path):
    write(tmp_path, "jp.json", result(matrix, session, "山田はなこ", 5))  # kanji and kana
    assert collect([tmp_path], matrix=matrix).notes == ()
