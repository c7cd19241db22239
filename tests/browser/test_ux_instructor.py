"""Issue #14, items 3 and 4 in a real browser (JupyterLab): a classroom learner's answers
show in their history, and instructors read questions, never internal ids."""

from __future__ import annotations

import os
import re
import shutil
import time

from srmquiz import load_matrix
from srmquiz.core.results import ResultDocument, doc_checksum
from srmquiz.core.review import Attempt
from srmquiz.core.sessions import new_session
from srmquiz.core.simulate import simulated_results
from srmquiz.data.progress import Store
from srmquiz.data.results import export_result

from .conftest import OUTPUT, when_still
from .test_quiz_in_browser import lab_path, run_all

QUESTION_ID = re.compile(r"\b[a-z-]+:[a-z0-9-]+(:[a-z0-9-]+)?\b")
"""An internal question id ("which-are:rds:customer", "build-the-stack:ec2")."""
HISTORY_CELL = 5  # notebooks/02-classroom.ipynb: the cell with srmquiz.history()


def open_and_run(page, server, notebook: str) -> None:
    """Open a notebook in Lab and run all; a busy server's "Select Kernel" dialog (asked when
    the kernel list arrives late) is answered with the notebook's own kernel."""
    dialog = page.locator(".jp-Dialog", has_text="Select Kernel")
    page.add_locator_handler(
        dialog, lambda d: d.locator("button", has_text=re.compile(r"^\s*Select\s*$")).click()
    )
    page.goto(server.url(lab_path(notebook)))
    run_all(page)


def test_a_classroom_answer_shows_in_the_learners_history(page, jupyter_server):
    matrix = load_matrix()
    code, session = new_session(matrix, ["s3"], kinds=["owner"], n=2, seed=14)
    questions = session.questions(matrix)
    name = "ux-02-classroom.ipynb"
    shutil.copy(jupyter_server.root / "02-classroom.ipynb", jupyter_server.root / name)
    open_and_run(page, jupyter_server, name)
    room = page.locator(".srmquiz-classroom").first
    room.wait_for(timeout=90_000)
    room.locator("input").nth(0).fill("Dana Learner")
    typo = code[:-1] + ("X" if code[-1] != "X" else "Y")  # one character wrong
    room.locator("input").nth(1).fill(typo)
    room.locator("button", has_text="Start").click()
    room.locator("[role=alert]", has_text="mistyped").wait_for()  # named, no other quiz
    room.locator("input").nth(1).fill(code.lower())  # case and spaces are tolerated
    room.locator("input").nth(1).press("Enter")  # Enter in the code field starts
    quiz = room.locator(".srmquiz")
    quiz.wait_for()
    for i, q in enumerate(questions):
        quiz.locator(".widget-label", has_text=f"Question {i + 1} of 2").wait_for()
        choice = q.answer[0] if i == 0 else next(c for c in q.choices if c not in q.answer)
        when_still(quiz.locator("button.widget-toggle-button", has_text=choice).first).click()
        quiz.locator(".widget-label", has_text=f"Score: 1 of {i + 1}").wait_for()
        quiz.locator("button", has_text="Next").or_(
            quiz.locator("button", has_text="Finish")
        ).first.click()
    room.locator("p", has_text="Finished: 1 of 2").wait_for()
    assert "could not save" not in room.inner_text()  # the kernel's threads share the store
    assert (jupyter_server.root / "results" / f"{code}-Dana-Learner.json").exists()
    # run the history cell again, as the notebook says
    cell = page.locator(".jp-Notebook .jp-Cell").nth(HISTORY_CELL)
    assert "srmquiz.history()" in cell.locator(".jp-InputArea").inner_text()
    cell.locator(".jp-InputArea-editor").click()
    page.keyboard.press("Shift+Enter")
    record = cell.locator(".srmquiz-history", has_text="Dana Learner")
    record.wait_for(timeout=30_000)
    text = record.inner_text()
    assert "Record of Dana Learner" in text and "2 answers" in text and code in text
    assert questions[1].prompt[:40] in text  # named by its text
    assert not QUESTION_ID.search(text.replace("srmquiz.history", ""))


def real_results(folder, code: str, names: list[str]) -> None:
    """Result files as students' kernels write them (the simulated answers, unmarked)."""
    matrix = load_matrix()
    from srmquiz.core.sessions import parse_code

    docs = simulated_results(matrix, code, parse_code(matrix, code), students=len(names), seed=3)
    for name, doc in zip(names, docs, strict=True):
        body = doc.to_dict()
        body.pop("simulated", None)
        body["learner"] = name
        body["document_checksum"] = doc_checksum(body)
        export_result(ResultDocument.from_dict(body), folder)


def test_the_dashboard_names_questions_and_the_live_view_marks_the_right_answer(
    page, jupyter_server
):
    matrix = load_matrix()
    code, session = new_session(matrix, n=10, seed=42, mode="practice")  # notebook 04's code
    questions = session.questions(matrix)
    folder = jupyter_server.root / "instr"
    folder.mkdir(exist_ok=True)
    shutil.copy(jupyter_server.root / "04-instructor-dashboard.ipynb", folder / "dash.ipynb")
    real_results(folder / "results", code, ["Ana", "Ben", "Chen"])
    live = questions[4]  # the room is on question 5
    wrong = next(c for c in live.choices if c not in live.answer)
    with Store(os.environ["SRMQUIZ_DB"]) as store:  # the kernels' progress database
        for learner, given in (("Ana", live.answer), ("Ben", (wrong,)), ("Chen", live.answer)):
            store.record(
                Attempt(learner, live.id, tuple(given), live.grade(given), time.time(), code)
            )
    open_and_run(page, jupyter_server, "instr/dash.ipynb")
    board = page.locator(".srmquiz-dashboard").first
    board.wait_for(timeout=90_000)
    board.locator("img").nth(2).wait_for()  # the heatmap is drawn
    text = board.inner_text()
    assert "3 results" in text and "Simulated" not in text
    assert not QUESTION_ID.search(text), QUESTION_ID.search(text)
    assert "Q1 · " in text and questions[0].prompt[:40] in text.replace("\n", " ")
    assert "Save grades as CSV" in board.locator("button.srmq-save").inner_text()
    OUTPUT.mkdir(exist_ok=True)
    box = board.bounding_box()
    assert box is not None
    page.set_viewport_size({"width": 1400, "height": int(box["height"]) + 300})  # all of it
    board.scroll_into_view_if_needed()
    board.screenshot(path=str(OUTPUT / "dashboard.png"))
    view = page.locator(".srmquiz-live").first
    view.locator("h4", has_text="Q5 · ").wait_for()
    said = view.inner_text()
    assert live.prompt[:40] in said and live.id not in said
    assert f"✓ Right answer: {', '.join(live.answer)}" in said
    assert "✓ right answer" in said and "✗ wrong" in said
