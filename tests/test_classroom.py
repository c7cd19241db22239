"""The student's session: name and code, the quiz, the result kept in the database and as a file."""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from pathlib import Path

from srmquiz.core.results import ResultDocument
from srmquiz.core.sessions import (
    new_session,
)
from srmquiz.data.progress import Store
from srmquiz.data.results import collect
from srmquiz.notebook import classroom, dashboard, history, review
from srmquiz.widgets.classroom import Classroom
from srmquiz.widgets.dashboard import Dashboard
from tests.test_quiz import answer


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


def test_the_form_refuses_bad_input_with_a_message_and_starts_once(matrix, tmp_path, monkeypatch):
    monkeypatch.delenv("SRMQUIZ_LEARNER")  # nothing to prefill the name with
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


def test_collect_from_a_shared_database(matrix, tmp_path):
    code, _ = new_session(matrix, n=4, seed=5)
    db = tmp_path / "class.db"
    for name in ("Ana", "Bo"):
        room = classroom(name=name, code=code, results_dir=tmp_path / "r", db=db)
        finish(room, [True, False, True, True])
    got = collect(db=db, code=code)
    assert sorted(r.learner for r in got.results) == ["Ana", "Bo"]
    assert not got.skipped


def test_a_name_is_shown_as_text_never_markup(matrix, tmp_path):
    code, _ = new_session(matrix, n=2, seed=3)
    room = classroom(name="<b>Ana</b>", code=code, results_dir=tmp_path, db=tmp_path / "p.db")
    assert "Good luck, &lt;b&gt;Ana&lt;/b&gt;." in room.message.value
    room.code.value = "<i>x"
    assert "<b>" not in room.message.value


# -- #14 item 3: the classroom's answers are the learner's ---------------------------------
QUESTION_ID = re.compile(r"\b[a-z-]+:[a-z0-9-]+(:[a-z0-9-]+)?\b")
"""An internal question id ("which-are:rds:customer", "build-the-stack:ec2")."""


def html_text(box) -> str:
    """What the learner reads: every HTML child's text but the stylesheet's rules."""
    return " ".join(
        c.value
        for c in box.children
        if isinstance(getattr(c, "value", None), str)
        and "srmq-stylesheet" not in c.get_state()["_dom_classes"]
    )


def test_classroom_answers_show_in_the_typed_learners_history_and_review(matrix, tmp_path):
    db = tmp_path / "p.db"
    code, session = new_session(matrix, ["ec2"], kinds=["owner"], n=3, seed=1)
    room = classroom(results_dir=tmp_path / "results", db=db)
    assert room.name.value == "test-learner"  # prefilled from $SRMQUIZ_LEARNER
    room.name.value = "Dana Learner"  # typed otherwise
    room.code.value = code.lower()  # Enter in the code field starts
    assert room.quiz is not None and room.code.value == code
    first = room.quiz
    room.code.value = code + " "  # Enter again: still one quiz
    assert room.quiz is first
    finish(room, [True, False, True])
    text = html_text(history(db=db))  # no learner= : the name typed in this kernel
    assert "Record of <strong>Dana Learner</strong>" in text
    assert "3 answers" in text and "2 right" in text and code in text
    assert "srmquiz.history(learner=" in text  # how to see someone else's
    # questions are named by their text, never by an internal id
    prompts = [q.prompt for q in session.questions(matrix)]
    assert any(json.dumps(p)[1:30] in text for p in prompts)
    visible = re.sub(r"<[^>]+>", " ", text).replace("srmquiz.history", "")
    assert not QUESTION_ID.search(visible)
    again = review(db=db, n=3)
    assert "Review for Dana Learner: 1 due" in again.title.value
    missed = session.questions(matrix)[1].id
    assert again.questions[0].id == missed


RESTARTED = """
import sys
import srmquiz
room = srmquiz.classroom(results_dir=sys.argv[2], db=sys.argv[1])
print(room.name.value)
box = srmquiz.history(db=sys.argv[1])
text = " ".join(c.value for c in box.children if isinstance(getattr(c, "value", None), str))
print(text.replace("\\n", " "))
"""


def restarted(db: Path, tmp_path: Path) -> list[str]:
    """What a fresh kernel (no SRMQUIZ_LEARNER) shows: the prefilled name, the history."""
    env = {k: v for k, v in os.environ.items() if k not in ("SRMQUIZ_LEARNER", "JUPYTERHUB_USER")}
    out = subprocess.run(
        [sys.executable, "-c", RESTARTED, str(db), str(tmp_path / "r")],
        capture_output=True, text=True, check=True, env=env, cwd=Path(__file__).parents[1],
    )  # fmt: skip
    return out.stdout.splitlines()


def test_after_a_restart_the_last_classroom_name_is_prefilled_and_its_history_shown(
    matrix, tmp_path
):
    db = tmp_path / "p.db"
    code, _ = new_session(matrix, ["ec2"], kinds=["owner"], n=2, seed=1)
    room = classroom(name="Dana Learner", code=code, results_dir=tmp_path / "r", db=db)
    finish(room, [True, True])
    os.chmod(db, 0o600)
    name, text = restarted(db, tmp_path)
    assert name == "Dana Learner"
    assert "Record of <strong>Dana Learner</strong>" in text and "2 answers" in text
    os.chmod(db, 0o666)  # a class's shared file: another learner's name is not taken
    name, text = restarted(db, tmp_path)
    assert name == "" and "Dana Learner" not in text.split("also in this database")[0]
