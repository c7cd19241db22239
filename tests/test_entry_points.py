"""Every notebook entry point: the call a user types, and one clear line when input is bad."""

from __future__ import annotations

import html

import ipywidgets as widgets
import pytest

import srmquiz
from srmquiz.notebook import quiz as make_quiz
from srmquiz.widgets.quiz import Quiz
from tests.test_quiz import answer

ENTRY_POINTS = {
    "quiz": lambda c: srmquiz.quiz(content=c),
    "review": lambda c: srmquiz.review(content=c),
    "history": lambda c: srmquiz.history(content=c),
    "classroom": lambda c: srmquiz.classroom(content=c),
    "walkthrough": lambda c: srmquiz.walkthrough(content=c),
    "answer_key": lambda c: srmquiz.answer_key("SRM-85ZW-KGKJ", content=c),
    "dashboard": lambda c: srmquiz.dashboard([], content=c),
    "live_view": lambda c: srmquiz.live_view("SRM-85ZW-KGKJ", content=c),
    "demo_class": lambda c: srmquiz.demo_class("SRM-85ZW-KGKJ", "unused", content=c),
}


def error_lines(made: object) -> list[str]:
    assert isinstance(made, widgets.HTML), made
    assert "srmquiz could not start" in made.value and "Traceback" not in made.value
    return [html.unescape(x.split("</div>")[0]) for x in made.value.split("<div>")[1:]]


@pytest.mark.parametrize("name", sorted(ENTRY_POINTS))
def test_every_entry_point_shows_broken_content_as_one_line_per_problem(tiny_dir, name):
    (tiny_dir / "matrix.toml").write_text("schema_version = 1\n[oops")
    (line,) = error_lines(ENTRY_POINTS[name](tiny_dir))
    assert line.startswith("content/matrix.toml: line 2, column 6: TOML syntax error")


@pytest.mark.parametrize("name", ["answer_key", "live_view", "demo_class"])
def test_a_mistyped_session_code_is_one_line(name):
    call = {
        "answer_key": lambda: srmquiz.answer_key("SRM-85ZW-KGKK"),
        "live_view": lambda: srmquiz.live_view("SRM-85ZW-KGKK"),
        "demo_class": lambda: srmquiz.demo_class("SRM-85ZW-KGKK", "unused"),
    }[name]
    (line,) = error_lines(call())
    assert line.startswith("SRM-85ZW-KGKK: a character is mistyped")


def test_entry_point_bad_input_is_one_clear_line(tiny_dir):
    bad = make_quiz(["ec3"])
    assert isinstance(bad, widgets.HTML)
    assert "unknown service &#x27;ec3&#x27;; valid: ec2, rds, s3" in bad.value
    assert "Traceback" not in bad.value
    (tiny_dir / "matrix.toml").write_text("schema_version = 1\n[oops")
    broken = make_quiz(content=tiny_dir)
    assert isinstance(broken, widgets.HTML) and "content/matrix.toml: line 2" in broken.value
    assert "unknown mode" in make_quiz(mode="test").value


def test_entry_point_options_and_new_quiz(matrix):
    quiz = make_quiz(["ec2"], kinds=["owner", "scenario"], n=4, seed=3)
    assert isinstance(quiz, Quiz) and quiz.total == 4
    assert {x.service for x in quiz.questions} == {"ec2"}
    assert {x.kind for x in quiz.questions} == {"owner", "scenario"}
    assert "seed 3" in quiz.title.value
    same = make_quiz(["ec2"], kinds=["owner", "scenario"], n=4, seed=3)
    assert [x.id for x in same.questions] == [x.id for x in quiz.questions]
    for _ in range(4):
        answer(quiz, right=False)
        quiz.next_button.click()
    quiz.new_button.click()
    assert not quiz.finished and quiz.total == 4 and quiz.progress.value == "Question 1 of 4"


def test_a_quiz_by_category_asks_about_that_category_s_services_only():
    # IaaS is EC2 and its variant on Outposts (#13), and nothing else
    quiz = make_quiz(categories=["iaas"], kinds=["owner"], n=5, seed=1, record=False)
    assert isinstance(quiz, Quiz) and {x.service for x in quiz.questions} == {"ec2", "ec2-outposts"}
    paas = {"rds", "aurora", "elastic-beanstalk", "elastic-beanstalk-manual", "rds-custom"}
    both = make_quiz(["s3"], categories=["paas"], kinds=["owner"], n=None, seed=1, record=False)
    assert {x.service for x in both.questions} == paas | {"s3"}
    wrong = make_quiz(categories=["faas"], record=False)
    assert (
        "unknown category 'faas'; valid: iaas, containers, paas, serverless, abstracted"
        in html.unescape(wrong.value)
    )


DB_ENTRY_POINTS = {
    "quiz": lambda db: srmquiz.quiz(["ec2"], n=1, db=db),
    "review": lambda db: srmquiz.review(["ec2"], n=1, db=db),
    "history": lambda db: srmquiz.history(db=db),
    "classroom": lambda db: srmquiz.classroom(name="Ana", code="SRM-85ZW-KGKJ", db=db),
    "live_view": lambda db: srmquiz.live_view("SRM-85ZW-KGKJ", db=db),
    "dashboard": lambda db: srmquiz.dashboard([], db=db),
}


@pytest.mark.parametrize("name", sorted(DB_ENTRY_POINTS))
@pytest.mark.parametrize("what", ["folder", "foreign", "newer"])
def test_every_entry_point_with_an_unusable_database_says_one_line(tmp_path, name, what):
    import sqlite3

    db = tmp_path / "p.db"
    if what == "folder":
        db.mkdir()
    else:
        conn = sqlite3.connect(db)
        conn.execute("PRAGMA user_version = 99" if what == "newer" else "PRAGMA user_version = 0")
        conn.execute(
            "CREATE TABLE invoices (id INTEGER)"
            if what == "foreign"
            else "CREATE TABLE attempts (x)"
        )
        conn.commit()
        conn.close()
    made = DB_ENTRY_POINTS[name](db)
    shown = html.unescape(getattr(made, "value", "") or "")
    assert "Traceback" not in shown
    if isinstance(made, widgets.HTML) and "srmquiz could not start" in made.value:
        (line,) = error_lines(made)
        assert line.startswith(f"{db}: ")
    readers = {"history", "live_view", "dashboard"}
    if name in readers or what != "foreign":  # only a quiz that saves moves a foreign file aside
        assert sorted(p.name for p in tmp_path.iterdir()) == ["p.db"]
