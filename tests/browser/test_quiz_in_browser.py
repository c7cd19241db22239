"""The self-study quiz in a real browser: JupyterLab 4, Notebook 7 and Voila."""

from __future__ import annotations

import shutil

import pytest

from srmquiz import generate, load_matrix
from srmquiz.questions import Question, pick

from .conftest import OUTPUT

FIRST_QUIZ_SEED = 2024  # the seed of the first quiz in notebooks/01-self-study.ipynb


def first_quiz_questions() -> list[Question]:
    return pick(generate(load_matrix(), seed=FIRST_QUIZ_SEED), 10, seed=FIRST_QUIZ_SEED)


def run_all(page) -> None:
    """Run every cell from the Run menu; retry once if the kernel was not ready to take it."""
    page.locator(".jp-Notebook-ExecutionIndicator[data-status='idle']").wait_for(timeout=60_000)
    started = page.locator(".jp-InputPrompt", has_text="[1]")
    for _attempt in range(3):
        page.locator("li.lm-MenuBar-item:has-text('Run')").first.click()
        page.locator("li.lm-Menu-item[data-command='runmenu:run-all']").click()
        try:
            started.first.wait_for(timeout=20_000)
            return
        except Exception:  # the first run of a fresh kernel can be dropped; ask again
            page.keyboard.press("Escape")
    raise AssertionError("Run All did not start any cell")


def answer(quiz, question: Question, right: bool) -> None:
    """Answer the visible question of one quiz the way a learner would: by clicking."""
    if question.kind == "build-the-stack":
        for part in question.parts:
            owner = part.answer if right else ("Customer" if part.answer == "AWS" else "AWS")
            quiz.locator(f"button[title='{part.name}: {owner}']").click()
        quiz.locator("button:has-text('Check')").click()
    elif question.multi:
        for choice in question.choices:
            if (choice in question.answer) == right:
                quiz.locator(".widget-checkbox", has_text=choice).locator("input").check()
        quiz.locator("button:has-text('Check')").click()
    else:
        choice = (
            question.answer[0]
            if right
            else next(c for c in question.choices if c not in question.answer)
        )
        quiz.locator("button.widget-toggle-button", has_text=choice).first.click()


def check_first_quiz(page, shot: str) -> None:
    quiz = page.locator(".srmquiz").first
    quiz.wait_for(timeout=60_000)
    questions = first_quiz_questions()
    assert quiz.locator(".widget-label", has_text="Question 1 of 10").count() == 1
    answer(quiz, questions[0], right=True)
    feedback = quiz.locator(".srmq-verdict").first
    feedback.wait_for()
    assert "✓ Correct." in feedback.inner_text()
    text = quiz.inner_text()
    assert questions[0].explanation.split(".")[0] in text
    assert "Score: 1 of 1" in text or questions[0].kind == "build-the-stack"
    quiz.locator("button:has-text('Next')").click()
    quiz.locator(".widget-label", has_text="Question 2 of 10").wait_for()
    answer(quiz, questions[1], right=False)
    quiz.locator(".srmq-verdict", has_text="✗ Not quite.").first.wait_for()
    assert "Error displaying widget" not in page.content()
    OUTPUT.mkdir(exist_ok=True)
    quiz.screenshot(path=str(OUTPUT / f"{shot}.png"))  # kept for a person to look at


@pytest.mark.parametrize("front_end", ["lab", "notebook7"])
def test_self_study_quiz_in_jupyter(page, jupyter_server, front_end):
    # A copy per front end: its own kernel and no outputs autosaved by another test.
    name = f"{front_end}-01-self-study.ipynb"
    shutil.copy(jupyter_server.root / "01-self-study.ipynb", jupyter_server.root / name)
    path = f"/lab/tree/{name}" if front_end == "lab" else f"/notebooks/{name}"
    page.goto(jupyter_server.url(path))
    run_all(page)
    page.locator(".srmquiz").nth(5).wait_for(timeout=90_000)  # every quiz cell rendered
    check_first_quiz(page, f"quiz-{front_end}")


def test_self_study_quiz_in_voila(page, voila_server):
    page.goto(voila_server.url("/"))
    page.locator(".srmquiz").nth(5).wait_for(timeout=90_000)
    assert "srmquiz.quiz(" not in page.locator("body").inner_text()  # no code shown
    check_first_quiz(page, "quiz-voila")
