"""The instructor's side: the answer key, the class dashboard, the live view, the notebook."""

from __future__ import annotations

import html
import json
import re

from srmquiz.core.review import Attempt
from srmquiz.core.sessions import (
    new_session,
)
from srmquiz.data.progress import Store
from srmquiz.notebook import answer_key, classroom, dashboard, live_view
from srmquiz.widgets.dashboard import LiveView
from tests.test_classroom import finish
from tests.test_collect import make_class, make_real_class
from tests.test_notebooks import run as run_notebook


def test_dashboard_saves_grades_without_overwriting(matrix, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    code, _ = new_session(matrix, n=5, seed=6)
    make_real_class(matrix, tmp_path / "results", code)
    board = dashboard([tmp_path / "results"])
    assert "Simulated" not in board.children[1].value  # a real class is never labelled so
    (tmp_path / "grades.csv").write_text("the instructor's own file\n")
    board.save_button.click()
    assert (tmp_path / "grades.csv").read_text() == "the instructor's own file\n"
    saved = (tmp_path / "grades-2.csv").read_text().splitlines()
    assert saved[0] == "learner,code,score,total,percent" and len(saved) == 4
    assert "grades-2.csv" in board.saved.value


def test_dashboard_with_nothing_usable_says_so(tmp_path):
    (tmp_path / "bad.json").write_text("{")
    board = dashboard([tmp_path])
    text = board.children[1].value
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


# -- #14 item 4: instructors read questions, not ids ------------------------------------
QUESTION_ID = re.compile(r"\b[a-z-]+:[a-z0-9-]+(:[a-z0-9-]+)?\b")
"""An internal question id ("which-are:rds:customer", "build-the-stack:ec2")."""


def board_text(board) -> str:
    """The dashboard's text as read on screen: markup and the stylesheet left out."""
    markup = " ".join(
        c.value for c in board.children[1:] if isinstance(getattr(c, "value", None), str)
    )
    return html.unescape(re.sub(r"<[^>]+>", " ", markup))


def test_the_dashboard_names_questions_by_number_and_text_never_by_id(matrix, tmp_path):
    code, session = new_session(matrix, n=10, seed=42)
    make_real_class(matrix, tmp_path, code)
    board = dashboard([tmp_path], code=code)
    text = board_text(board)
    assert not QUESTION_ID.search(text), QUESTION_ID.search(text)
    missed = board.collected.most_missed(1)[0].question_id
    number = [q.id for q in session.questions(matrix)].index(missed) + 1
    prompt = next(q.prompt for q in session.questions(matrix) if q.id == missed)
    assert f"Q{number} · {prompt[:40]}" in text
    assert board.save_button.description == "Save grades as CSV"
    assert board.save_button.layout.width == "auto"  # the label is never cut


def test_a_simulated_class_is_labelled_inside_the_dashboard_and_never_saved(
    matrix, tmp_path, monkeypatch
):
    monkeypatch.chdir(tmp_path)
    code, _ = new_session(matrix, n=5, seed=6)
    make_class(matrix, tmp_path / "demo", code)  # srmquiz.demo_class
    board = dashboard([tmp_path / "demo"], code=code)
    assert "Simulated class: these are not real students" in board.children[1].value
    assert board.save_button.disabled
    assert board.save_csv() is None and not list(tmp_path.glob("*.csv"))
    assert "simulated class" in board.saved.value and "role='alert'" in board.saved.value
    assert "simulated class" in board.grades_csv() and "learner," not in board.grades_csv()
    # one real result among them: still labelled, with how many are simulated
    make_real_class(matrix, tmp_path / "demo" / "real", code, students=1)
    mixed = dashboard([tmp_path / "demo", tmp_path / "demo" / "real"], code=code)
    assert "3 of 4 results are simulated" in mixed.children[1].value


def test_the_live_view_names_the_question_and_marks_the_right_answer(matrix, tmp_path):
    code, session = new_session(matrix, ["ec2"], kinds=["owner"], n=3, seed=9)
    q = session.questions(matrix)[1]
    wrong = next(c for c in q.choices if c not in q.answer)
    db = tmp_path / "class.db"
    with Store(db) as s:
        for learner, given in [("a", q.answer[0]), ("b", wrong), ("c", q.answer[0])]:
            s.record(Attempt(learner, q.id, (given,), q.grade(given), 10.0, session=code))
    text = live_view(code, db=db).view.value
    assert f"Q2 · {html.escape(q.prompt[:40])}" in text and q.id not in text
    assert f"✓ Right answer: <strong>{html.escape(q.answer[0])}</strong>" in text
    rows = re.findall(r"<tr><td>(.*?)</td>.*?</tr>", text)
    right_row = next(r for r in re.findall(r"<tr>.*?</tr>", text) if f"<td>{q.answer[0]}</td>" in r)
    assert "✓ right answer" in right_row and "2 of 3" in right_row
    assert len(rows) == 2


def test_the_answer_key_has_readable_why_said_once_and_stacks_per_layer(matrix):
    code, session = new_session(matrix, ["s3", "ec2"], kinds=["scenario", "build-the-stack"],
                                n=6, seed=1)  # fmt: skip
    key = answer_key(code).value
    assert "<table class='srmq-key'>" in key and ".srmq-key" in key  # bordered by the sheet
    assert "<small>" not in key
    whys = re.findall(r"<td style='text-align:left'>([^<]*)</td></tr>", key)
    assert len(whys) == 6
    for why in whys:
        sentences = [s.strip().lower() for s in re.split(r"(?<=[.!?])\s+", why) if s.strip()]
        assert len(sentences) == len(set(sentences)), why
    assert "<ul class='srmq-key-layers'><li>Customer data: <strong>Customer</strong></li>" in key
    assert "layers on Amazon EC2: AWS 4 layers; Customer 8 layers." in key  # no "0 shared"
    assert " 0 " not in key.split("</style>", 1)[1]


def test_a_build_the_stack_answer_is_told_by_layers_right_not_twelve_owners(matrix):
    """Review (user 3): the most-missed table listed "Customer, Customer, …" twelve times."""
    from srmquiz.widgets.dashboard import answers_given

    _code, session = new_session(matrix, ["ec2"], kinds=["build-the-stack"], n=1, seed=1)
    (q,) = session.questions(matrix)
    n = len(q.parts)
    right = [p.answer for p in q.parts]
    one_wrong = ["Shared" if right[0] != "Shared" else "AWS", *right[1:]]
    said = answers_given(q, [(", ".join(one_wrong), 2), (", ".join(right), 1)])
    assert said == f"{n - 1} of {n} layers right: 2; {n} of {n} layers right: 1"
    # any other question: its answers as given, most often first
    assert answers_given(None, [("AWS", 1), ("Shared", 3)]) == "Shared: 3; AWS: 1"
