"""The instructor's side: the answer key, the class dashboard, the live view, the notebook."""

from __future__ import annotations

import html
import json

from srmquiz.core.review import Attempt
from srmquiz.core.sessions import (
    new_session,
)
from srmquiz.data.progress import Store
from srmquiz.notebook import answer_key, classroom, dashboard, live_view
from srmquiz.widgets.dashboard import LiveView
from tests.test_classroom import finish
from tests.test_collect import make_class
from tests.test_notebooks import run as run_notebook


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
