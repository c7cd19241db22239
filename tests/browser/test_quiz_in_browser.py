"""The self-study quiz in a real browser: JupyterLab 4, Notebook 7 and Voila."""

from __future__ import annotations

import re
import shutil

import pytest

from srmquiz import generate, load_matrix
from srmquiz.core.bank import pick
from srmquiz.core.questions import Question

from .conftest import OUTPUT, when_still

FIRST_QUIZ_SEED = 423  # the seed of the first quiz in notebooks/01-self-study.ipynb
QUIZ_CELLS = 8  # quizzes in notebook 01: the first, five families, build-the-stack, exam
SERVERLESS_QUIZ = (
    4  # the serverless family's quiz: srmquiz.quiz(categories=["serverless"], n=6, seed=1)
)


def first_quiz_questions() -> list[Question]:
    return pick(generate(load_matrix(), seed=FIRST_QUIZ_SEED), 10, seed=FIRST_QUIZ_SEED)


def lab_path(notebook: str) -> str:
    """The notebook in a workspace of its own, so Lab does not reopen earlier tests' tabs."""
    workspace = re.sub(r"[^a-z0-9]+", "-", notebook.lower())
    return f"/lab/workspaces/{workspace}/tree/{notebook}"


def run_all(page) -> None:
    """Run every cell from the Run menu; ask again if a fresh kernel dropped the request.

    Started means a prompt shows a number or "*" (queued or running); a slow first import
    on a busy machine is not a reason to ask again.
    """
    page.locator(".jp-Notebook-ExecutionIndicator[data-status='idle']").first.wait_for(
        timeout=60_000
    )
    started = page.locator(".jp-InputPrompt").filter(has_text=re.compile(r"\[(\d+|\*)\]"))
    for _attempt in range(3):
        select_kernel_if_asked(page)
        try:
            page.locator("li.lm-MenuBar-item:has-text('Run')").first.click(timeout=10_000)
            page.locator("li.lm-Menu-item[data-command='runmenu:run-all']").click()
            started.first.wait_for(timeout=20_000)
            return
        except Exception:  # the first run of a fresh kernel can be dropped; ask again
            if not select_kernel_if_asked(page):
                page.keyboard.press("Escape")
    raise AssertionError("Run All did not start any cell")


def select_kernel_if_asked(page) -> bool:
    """A server still listing its kernels when a notebook opens makes Lab ask which kernel
    to start, sometimes after the kernel shows idle: take the one it proposes (python3)."""
    dialog = page.locator(".jp-Dialog", has_text="Select Kernel")
    if not dialog.count():
        return False
    dialog.locator("button.jp-mod-accept").click()
    dialog.wait_for(state="detached", timeout=10_000)
    return True


def exactly(text: str) -> re.Pattern[str]:
    """The whole text of a control ("AWS Lambda" must not find "AWS Lambda (container image)")."""
    return re.compile(rf"^\s*{re.escape(text)}\s*$")


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
        button = quiz.locator("button.widget-toggle-button", has_text=exactly(choice)).first
        when_still(button).click()


def assert_picture_shown(where) -> None:
    """A stack picture is on screen, really loaded, with its caption in words."""
    picture = where.locator(".srmq-picture:visible").first
    picture.wait_for()
    img = picture.locator("img")
    img.wait_for()
    assert img.evaluate("i => i.complete && i.naturalWidth > 300")
    assert "stack" in picture.inner_text() or "side by side" in picture.inner_text()


def check_first_quiz(page, shot: str) -> None:
    quiz = page.locator(".srmquiz").first
    quiz.wait_for(timeout=60_000)
    questions = first_quiz_questions()
    assert quiz.locator(".widget-label", has_text="Question 1 of 10").count() == 1
    answer(quiz, questions[0], right=True)
    feedback = quiz.locator(".srmq-verdict").first
    feedback.wait_for()
    assert "✓ Correct." in feedback.inner_text()
    if questions[0].kind != "build-the-stack" and (questions[0].service or questions[0].layer):
        assert_picture_shown(quiz)
    quiz.locator(".widget-label", has_text="Score: 1 of 1").wait_for()  # the kernel has it
    assert questions[0].explanation.split(".")[0] in quiz.inner_text()
    quiz.locator("button:has-text('Next')").click()
    quiz.locator(".widget-label", has_text="Question 2 of 10").wait_for()
    answer(quiz, questions[1], right=False)
    quiz.locator(".srmq-verdict", has_text="✗ Not quite.").first.wait_for()
    assert "Error displaying widget" not in page.content()
    OUTPUT.mkdir(exist_ok=True)
    quiz.screenshot(path=str(OUTPUT / f"{shot}.png"))  # kept for a person to look at


def test_self_study_quizzes_in_lab(page, jupyter_server):
    """Notebook 01 in JupyterLab: the first quiz's right and wrong answers, then the
    serverless family's quiz from first question to summary. (Notebook 7 renders the same
    widgets through the same widget manager; tests/browser/test_ux_quiz.py answers a quiz
    of every answer kind there.)"""
    # A copy: its own kernel and no outputs autosaved by another test.
    name = "lab-01-self-study.ipynb"
    shutil.copy(jupyter_server.root / "01-self-study.ipynb", jupyter_server.root / name)
    page.goto(jupyter_server.url(lab_path(name)))
    run_all(page)
    page.locator(".srmquiz").nth(QUIZ_CELLS - 1).wait_for(timeout=90_000)  # all rendered
    check_first_quiz(page, "quiz-lab")
    take_the_serverless_quiz(page)


def test_self_study_quiz_in_voila(page, voila_server):
    page.goto(voila_server.url("/voila/render/01-self-study.ipynb"))
    page.locator(".srmquiz").nth(QUIZ_CELLS - 1).wait_for(timeout=90_000)
    assert "srmquiz.quiz(" not in page.locator("body").inner_text()  # no code shown
    check_first_quiz(page, "quiz-voila")


def take_the_serverless_quiz(page) -> None:
    """The serverless family's quiz in notebook 01 (Lambda, zip and container image),
    answered from first question to summary by clicking, as a learner would."""
    matrix = load_matrix()
    chosen = matrix.select(categories=["serverless"])
    assert chosen == ["lambda", "lambda-container"]
    questions = pick(generate(matrix, seed=1, services=chosen), 6, seed=1)
    quiz = page.locator(".srmquiz").nth(SERVERLESS_QUIZ)
    quiz.wait_for(timeout=90_000)
    quiz.scroll_into_view_if_needed()
    for i, question in enumerate(questions, start=1):
        quiz.locator(".widget-label", has_text=f"Question {i} of 6").wait_for()
        assert question.prompt[:40] in quiz.inner_text()
        answer(quiz, question, right=True)
        quiz.locator(".srmq-verdict", has_text="✓ Correct.").first.wait_for()
        if question.kind != "build-the-stack" and question.service:
            assert_picture_shown(quiz)
        quiz.locator(".widget-label", has_text=f"Score: {i} of {i}").wait_for()
        quiz.locator("button", has_text="Finish" if i == 6 else "Next").first.click()
    quiz.locator(".widget-label", has_text="Score: 6 of 6").wait_for()
    assert "AWS Lambda" in quiz.inner_text()  # the summary names the services asked
    assert "Error displaying widget" not in page.content()


# The walkthrough is walked step by step in Voila here, and in JupyterLab as a presenter
# would (every step, tests/browser/test_ux_walkthrough.py); the axe audit also renders it
# in both. Notebook 7 shares JupyterLab's widget manager.
@pytest.mark.parametrize("front_end", ["voila"])
def test_walkthrough_steps_through_ec2_rds_and_s3(page, jupyter_server, voila_server, front_end):
    name = f"{front_end}-03-instructor-walkthrough.ipynb"
    if front_end == "voila":
        page.goto(voila_server.url("/voila/render/03-instructor-walkthrough.ipynb"))
    else:
        source = jupyter_server.root / "03-instructor-walkthrough.ipynb"
        shutil.copy(source, jupyter_server.root / name)
        path = lab_path(name) if front_end == "lab" else f"/notebooks/{name}"
        page.goto(jupyter_server.url(path))
        run_all(page)
    walk = page.locator(".srmquiz-walkthrough").first
    walk.wait_for(timeout=90_000)
    assert "Step 1 of" in walk.inner_text()
    next_button = walk.locator("button", has_text="Next ▶")
    next_button.click()
    walk.locator("h2", has_text="servers and the hypervisor").wait_for()
    assert_picture_shown(walk)
    walk.locator("select").select_option("Amazon EC2")
    walk.locator("h2", has_text="Amazon EC2 (IaaS)").wait_for()
    next_button.click()
    walk.locator("h2", has_text="Amazon EC2: Physical infrastructure").wait_for()
    assert walk.locator(".srmq-answer").count() == 0  # paused: ask the room first
    walk.locator("button", has_text="Reveal answer").click()
    walk.locator(".srmq-answer", has_text="AWS.").wait_for()
    next_button.click()
    walk.locator("h2", has_text="Amazon EC2: Global infrastructure").wait_for()
    walk.locator("button", has_text="Previous").click()
    walk.locator("h2", has_text="Amazon EC2: Physical infrastructure").wait_for()
    for section, title in [("Amazon RDS", "Amazon RDS (PaaS)"), ("Amazon S3", "Amazon S3 (")]:
        walk.locator("select").select_option(section)
        walk.locator("h2", has_text=title).wait_for()
        assert_picture_shown(walk)
    walk.locator("select").select_option("Comparison")
    walk.locator(".srmq-caption", has_text="Stacks side by side").wait_for()
    assert "Error displaying widget" not in page.content()
    OUTPUT.mkdir(exist_ok=True)
    walk.screenshot(path=str(OUTPUT / f"walkthrough-{front_end}.png"))
