"""Classroom sessions: codes, the student's form, result files, collecting them, the dashboard."""

from __future__ import annotations

import html
import json
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from srmquiz.cli import main
from srmquiz.core.kinds import KINDS
from srmquiz.core.results import ResultDocument, doc_checksum
from srmquiz.core.review import Attempt
from srmquiz.core.sessions import (
    ALPHABET,
    Session,
    SessionCodeError,
    make_code,
    new_session,
    parse_code,
)
from srmquiz.data.progress import Store
from srmquiz.data.results import collect, export_result
from srmquiz.notebook import answer_key, classroom, dashboard, demo_class, live_view
from srmquiz.widgets.classroom import Classroom
from srmquiz.widgets.dashboard import Dashboard, LiveView
from tests.test_notebooks import run as run_notebook
from tests.test_ui import answer


@settings(max_examples=60, deadline=None)
@given(
    services=st.lists(st.sampled_from(["ec2", "rds", "s3"]), min_size=1, unique=True),
    kinds=st.lists(
        st.sampled_from(["owner", "true-false", "which-are", "scenario"]), min_size=1, unique=True
    ),
    n=st.integers(1, 64),
    seed=st.integers(0, 1023),
    mode=st.sampled_from(["practice", "exam"]),
)
def test_a_code_round_trips_what_it_fixes(matrix, services, kinds, n, seed, mode):
    # services and kinds come back in the matrix's / KINDS order
    session = Session(
        tuple(s for s in matrix.service_ids if s in services),
        tuple(k for k in KINDS if k in kinds),
        n,
        seed,
        mode,
    )
    code = make_code(matrix, session)
    assert code.startswith("SRM-") and len(code) == 13
    assert parse_code(matrix, code) == session


def test_typed_codes_are_forgiving_about_case_dashes_and_look_alikes(matrix):
    code, session = new_session(matrix, ["ec2"], n=5, seed=12)
    body = code[4:].replace("-", "")
    variants = [code.lower(), f"srm {body[:4]} {body[4:]}", body, f"  {code}  "]
    if "0" in body or "1" in body:
        variants.append(body.replace("0", "O").replace("1", "l"))
    for typed in variants:
        assert parse_code(matrix, typed) == session, typed


def test_every_single_mistyped_character_is_caught(matrix):
    code, _ = new_session(matrix, n=10, seed=700)
    body = code[4:].replace("-", "")
    for i in range(8):
        for c in ALPHABET:
            if c != body[i]:
                with pytest.raises(SessionCodeError, match="mistyped|another version|services"):
                    parse_code(matrix, body[:i] + c + body[i + 1 :])


@pytest.mark.parametrize(
    ("typed", "message"),
    [
        ("", "(empty) is not a session code: it has 0 characters"),
        ("SRM-7K2Q", "has 4 characters after SRM-, not 8"),
        ("SRM-7K2Q-M4X!", "'!' cannot appear in a session code"),
    ],
)
def test_malformed_codes_get_one_clear_line(matrix, typed, message):
    with pytest.raises(SessionCodeError) as err:
        parse_code(matrix, typed)
    assert message in str(err.value)
    assert "\n" not in str(err.value)


def finish(room: Classroom, right: list[bool]) -> None:
    quiz = room.quiz
    assert quiz is not None
    for ok in right:
        answer(quiz, right=ok)
        quiz.next_button.click()
    assert quiz.finished


def test_two_students_with_one_code_get_identical_quizzes_and_the_dashboard_sees_both(
    matrix, tmp_path
):
    code, _ = new_session(matrix, n=6, seed=31)
    folder = tmp_path / "results"
    ana = classroom(name="Ana", code=code, results_dir=folder, db=tmp_path / "ana.db")
    bo = classroom(name="Bo", code=code.lower(), results_dir=folder, db=tmp_path / "bo.db")
    assert isinstance(ana, Classroom) and isinstance(bo, Classroom)
    qa, qb = ana.quiz.questions, bo.quiz.questions
    assert [q.id for q in qa] == [q.id for q in qb]
    assert [q.choices for q in qa] == [q.choices for q in qb]  # same choice order too
    assert [q.prompt for q in qa] == [q.prompt for q in qb]
    finish(ana, [True] * 6)
    finish(bo, [True, False, True, False, False, True])
    files = sorted(p.name for p in folder.iterdir())
    assert files == [f"{code}-Ana.json", f"{code}-Bo.json"]
    assert "exported to" in ana.message.value and "Finished: 6 of 6" in ana.message.value
    doc = json.loads((folder / f"{code}-Bo.json").read_text())
    record = ResultDocument.from_dict(doc)  # loads and verifies (raises if it does not)
    assert record.to_dict() == doc and bo.result == record
    assert doc["score"] == 3 and doc["total"] == 6 and doc["code"] == code
    assert record.score == 3 and record.total == 6 and record.code == code
    assert doc["content_checksum"] == matrix.checksum and doc["srmquiz_version"]
    assert Store(tmp_path / "bo.db").results(code)[0]["score"] == 3  # kept in the store too
    board = dashboard([folder], code=code)
    assert isinstance(board, Dashboard)
    assert len(board.collected.results) == 2
    assert board.heatmap_values  # the heatmap of mistakes has cells
    wrong_cells = {k for k, v in board.heatmap_values.items() if v > 0}
    missed = {(q.service, q.layer) for q, ok in zip(qb, [1, 0, 1, 0, 0, 1], strict=True) if not ok}
    assert wrong_cells == {c for c in missed if None not in c}


def test_the_form_refuses_bad_input_with_a_message_and_starts_once(matrix, tmp_path):
    room = classroom(results_dir=tmp_path, db=tmp_path / "p.db")
    room.start_button.click()
    assert "Type your name first" in room.message.value and room.quiz is None
    room.name.value = "Ana"
    room.code.value = "SRM-7K2Q-M4XA"
    room.start_button.click()
    assert room.quiz is None
    assert "mistyped" in room.message.value or "not a session code" in room.message.value
    code, _ = new_session(matrix, n=3, seed=1)
    room.code.value = code
    room.start_button.click()
    first = room.quiz
    assert first is not None and room.start_button.disabled
    room.start()  # a double click or Enter again
    assert room.quiz is first


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


def test_collect_from_a_shared_database(matrix, tmp_path):
    code, _ = new_session(matrix, n=4, seed=5)
    db = tmp_path / "class.db"
    for name in ("Ana", "Bo"):
        room = classroom(name=name, code=code, results_dir=tmp_path / "r", db=db)
        finish(room, [True, False, True, True])
    got = collect(db=db, code=code)
    assert sorted(r.learner for r in got.results) == ["Ana", "Bo"]
    assert not got.skipped


def test_dashboard_saves_grades_without_overwriting(matrix, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    code, _ = new_session(matrix, n=5, seed=6)
    make_class(matrix, tmp_path / "results", code)
    board = dashboard([tmp_path / "results"])
    (tmp_path / "grades.csv").write_text("the instructor's own file\n")
    board.save_button.click()
    assert (tmp_path / "grades.csv").read_text() == "the instructor's own file\n"
    saved = (tmp_path / "grades-2.csv").read_text().splitlines()
    assert saved[0] == "learner,code,score,total,percent" and len(saved) == 4
    assert "grades-2.csv" in board.saved.value


def test_dashboard_with_nothing_usable_says_so(tmp_path):
    (tmp_path / "bad.json").write_text("{")
    board = dashboard([tmp_path])
    text = board.children[0].value
    assert "No results yet" in text and "bad.json" in text
    assert board.save_button.disabled


def test_answer_key_lists_each_question_in_student_order(matrix):
    code, session = new_session(matrix, n=5, seed=9)
    key = answer_key(code).value
    for q in session.questions(matrix):
        assert html.escape(q.prompt, quote=True) in key
    bad = answer_key("SRM-0000-0001").value
    assert "srmquiz could not start" in bad


def test_live_view_shows_how_the_room_answered_the_current_question(matrix, tmp_path):
    code, _ = new_session(matrix, n=5, seed=9)
    db = tmp_path / "class.db"
    with Store(db) as s:
        for learner, given, ok in [
            ("a", "AWS", True),
            ("b", "Customer", False),
            ("c", "AWS", True),
        ]:
            s.record(Attempt(learner, "owner:ec2:hypervisor", (given,), ok, 10.0, session=code))
        s.record(Attempt("z", "owner:ec2:iam", ("AWS",), False, 5.0, session="SRM-OTHR-0000"))
    view = live_view(code, db=db)
    assert isinstance(view, LiveView)
    text = view.view.value
    assert "owner:ec2:hypervisor" in text and "3 students answered; 2 right (67%)" in text
    assert "2 of 3" in text and "1 of 3" in text
    with Store(db) as s:
        s.record(Attempt("d", "owner:ec2:iam", ("Customer",), True, 20.0, session=code))
    view.refresh_button.click()
    assert "owner:ec2:iam" in view.view.value and "1 student answered;" in view.view.value


def test_the_dashboard_notebook_shows_the_heatmap_from_exported_files(matrix, tmp_path):
    code, _ = new_session(matrix, n=6, seed=42)  # the notebook's SEED = 42 makes this code
    folder = tmp_path / "results"
    for name in ("Ana", "Bo"):
        room = classroom(name=name, code=code, results_dir=folder, db=tmp_path / f"{name}.db")
        finish(room, [True, False, True, True, False, True])
    nb = run_notebook(
        "04-instructor-dashboard.ipynb",
        replace={'RESULTS = "results"': f"RESULTS = {str(folder)!r}", "n=10": "n=6"},
    )
    # outputs plus the widgets' state, which is where the dashboard's text lives
    text = json.dumps([c.get("outputs", []) for c in nb.cells]) + json.dumps(nb.metadata)
    assert "SIMULATED" not in text
    assert "Session " + code in text and "2 results" in text
    assert "Heatmap: each cell is the share of wrong answers" in text  # shown under the heatmap
    assert "Ana" in text and "Bo" in text


def test_live_view_auto_refresh_reads_again_until_unticked(matrix, tmp_path, monkeypatch):
    import threading

    code, _ = new_session(matrix, n=5, seed=9)
    view = live_view(code, db=tmp_path / "class.db")
    started: list[float] = []

    class FakeTimer:
        def __init__(self, interval, fn):
            started.append(interval)
            self.fn = fn
            self.daemon = False

        def start(self):
            pass

    monkeypatch.setattr(threading, "Timer", FakeTimer)
    view.auto.value = True
    assert started == [5.0] and "No answers yet" in view.view.value
    with Store(tmp_path / "class.db") as s:
        s.record(Attempt("a", "owner:ec2:iam", ("Customer",), True, 1.0, session=code))
    view.tick()  # what the timer calls
    assert "1 student answered;" in view.view.value and len(started) == 2
    view.auto.value = False
    view.tick()
    assert len(started) == 2  # unticked: no further reads


def test_grades_list_learners_in_natural_order(matrix, tmp_path):
    code, _ = new_session(matrix, n=3, seed=8)
    demo_class(code, tmp_path, students=11, seed=1)
    names = [g.learner for g in collect([tmp_path]).grades()]
    assert names[:3] == ["Demo student 1", "Demo student 2", "Demo student 3"]
    assert names[-2:] == ["Demo student 10", "Demo student 11"]
