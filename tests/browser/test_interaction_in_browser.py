"""More of what a learner does in JupyterLab, in a real browser: the keyboard alone,
build-the-stack, hostile content, and a classroom session."""

from __future__ import annotations

import json
import re
import shutil

import nbformat
from nbformat.v4 import new_code_cell, new_notebook

from srmquiz import generate, load_matrix
from srmquiz.core.bank import pick
from srmquiz.core.wording import Wording

from .conftest import OUTPUT, SHIPPED_CONTENT
from .test_quiz_in_browser import (
    FIRST_QUIZ_SEED,
    assert_picture_shown,
    first_quiz_questions,
    lab_path,
    run_all,
)


def open_notebook(page, server, source: str, name: str) -> None:
    """Write a one-cell (or more) notebook into the server's folder, open it in Lab, run it."""
    nb = new_notebook(
        cells=[new_code_cell(s) for s in source.split("\n# --- cell ---\n")],
        metadata={"kernelspec": {"name": "python3", "display_name": "Python 3"}},
    )
    nbformat.write(nb, server.root / name)
    page.goto(server.url(lab_path(name)))
    run_all(page)


FOCUSED_TEXT = """() => {
    const el = document.activeElement;
    if (!el) return "";
    if (el.type === "checkbox") return el.closest(".widget-checkbox")?.innerText || "";
    return el.innerText || "";
}"""


def focused_text(page) -> str:
    return page.evaluate(FOCUSED_TEXT).strip()


def tab_to(page, text: str, *, back: bool = False, limit: int = 30) -> None:
    """Press Tab (or Shift+Tab) until the focused control shows `text`."""
    for _ in range(limit):
        page.keyboard.press("Shift+Tab" if back else "Tab")
        if focused_text(page) == text:
            return
    raise AssertionError(f"Tab never reached {text!r} (last: {focused_text(page)!r})")


def wait_focus(page, text: str) -> None:
    page.wait_for_function(f"() => ({FOCUSED_TEXT})() === {json.dumps(text)}", timeout=10_000)


def test_keyboard_alone_answers_single_and_multi_select_questions(page, jupyter_server):
    # notebook 01's first quiz, on its own (the whole notebook runs in test_quiz_in_browser)
    first = f"srmquiz.quiz(n=10, seed={FIRST_QUIZ_SEED})"
    assert first in (jupyter_server.root / "01-self-study.ipynb").read_text()
    open_notebook(page, jupyter_server, f"import srmquiz\n{first}", "keyboard.ipynb")
    quiz = page.locator(".srmquiz").first
    quiz.wait_for(timeout=90_000)
    q1, q2 = first_quiz_questions()[:2]
    assert q1.kind == "true-false" and q2.multi  # what the keys below are written for
    # put the reading position at the quiz heading, then only keys from here on
    quiz.locator(".widget-label", has_text="Question 1 of 10").click()
    tab_to(page, q1.answer[0])
    page.keyboard.press("Space")
    quiz.locator(".srmq-verdict", has_text="✓ Correct.").first.wait_for()
    wait_focus(page, "Next")  # the answered buttons lock; focus moves on to Next
    page.keyboard.press("Enter")
    quiz.locator(".widget-label", has_text="Question 2 of 10").wait_for()
    assert focused_text(page) == "Next"
    page.keyboard.press("Enter")  # Next before answering explains instead of skipping
    quiz.locator(".srmq-notice", has_text="Choose an answer first").wait_for()
    tab_to(page, q2.choices[0], back=True)
    for i, choice in enumerate(q2.choices):
        if i:
            tab_to(page, choice)
        if choice in q2.answer:
            page.keyboard.press("Space")
    tab_to(page, "Check")
    page.keyboard.press("Enter")
    quiz.locator(".srmq-verdict", has_text="✓ Correct.").first.wait_for()
    quiz.locator(".widget-label", has_text="Score: 2 of 2").wait_for()
    wait_focus(page, "Next")
    # the focused control is visibly marked
    outline = page.evaluate("getComputedStyle(document.activeElement).outlineStyle")
    assert outline != "none"
    OUTPUT.mkdir(exist_ok=True)
    quiz.screenshot(path=str(OUTPUT / "keyboard-lab.png"))


def test_build_the_stack_in_the_browser(page, jupyter_server):
    matrix = load_matrix()
    open_notebook(
        page,
        jupyter_server,
        'import srmquiz\nsrmquiz.quiz(["s3"], kinds=["build-the-stack"], n=1, seed=1)',
        "build-the-stack.ipynb",
    )
    quiz = page.locator(".srmquiz").first
    quiz.wait_for(timeout=90_000)
    wrong_layer = "Guest operating system"
    for cell in matrix.stack("s3"):
        layer = matrix.layer(cell.layer).name
        owner = Wording(matrix).label(cell.owner)
        if layer == wrong_layer:
            owner = "Customer"
        quiz.locator(f"button[title='{layer}: {owner}']").click()
    quiz.locator("button", has_text="Check").click()
    verdict = quiz.locator(".srmq-verdict", has_text="✗ Not quite.").first
    verdict.wait_for()
    total = len(matrix.stack("s3"))  # the course's twelve layers of S3
    assert f"{total - 1} of {total} layers right." in verdict.inner_text()
    text = quiz.inner_text()
    assert "✗ Customer; it is AWS" in text
    assert text.count("✓ right") == total - 1
    assert_picture_shown(quiz)
    assert "(1 wrong)" in quiz.locator(".srmq-picture").first.inner_text()
    OUTPUT.mkdir(exist_ok=True)
    quiz.screenshot(path=str(OUTPUT / "build-the-stack-lab.png"))


XSS_EXPLANATION = (
    '<script>window.__srmq_xss = 1</script><img src=x onerror="window.__srmq_xss = 2">'
    " Patching the instance OS is yours."
)


def test_hostile_content_shows_as_text_and_runs_nothing(page, jupyter_server):
    content = jupyter_server.root / "hostile-content"
    shutil.copytree(SHIPPED_CONTENT, content, dirs_exist_ok=True)
    matrix_toml = content / "matrix.toml"
    text = matrix_toml.read_text()
    start = text.index("[services.ec2.cells.guest-os]")
    line = text.index("explanation = ", start)
    end = text.index("\n", line)
    matrix_toml.write_text(
        text[:line] + f"explanation = {json.dumps(XSS_EXPLANATION)}" + text[end:]
    )
    open_notebook(
        page,
        jupyter_server,
        "import srmquiz\n"
        'srmquiz.quiz(["ec2"], kinds=["owner"], n=12, seed=0, content="hostile-content", '
        'title="<img src=y onerror=\\"window.__srmq_xss = 3\\">Hostile")',
        "hostile.ipynb",
    )
    quiz = page.locator(".srmquiz").first
    quiz.wait_for(timeout=90_000)
    assert '<img src=y onerror="window.__srmq_xss = 3">Hostile' in quiz.inner_text()
    hostile = load_matrix(content)
    chosen = hostile.select(["ec2"])  # EC2 brings its variant, EC2 on Outposts, as quiz() does
    bank = generate(hostile, seed=0, services=chosen, kinds=["owner"])
    target = [q.id for q in pick(bank, 12, seed=0)].index("owner:ec2:guest-os")
    for i in range(target):  # answer (wrongly) until the guest-OS question
        quiz.locator("button.widget-toggle-button", has_text="AWS").first.click()
        quiz.locator(".srmq-verdict").first.wait_for()
        # the kernel has the answer once the score counts it (a Next racing its answer
        # is covered in tests/test_quiz.py)
        quiz.locator(".widget-label", has_text=re.compile(rf"^Score: \d+ of {i + 1}$")).wait_for()
        quiz.locator("button", has_text="Next").click()
        quiz.locator(".widget-label", has_text=f"Question {i + 2} of 12").wait_for()
    quiz.locator("button.widget-toggle-button", has_text="Customer").first.click()
    quiz.locator(".srmq-verdict").first.wait_for()
    shown = quiz.inner_text()
    assert "<script>window.__srmq_xss = 1</script>" in shown  # shown as text
    assert 'onerror="window.__srmq_xss = 2"' in shown
    page.wait_for_timeout(500)  # give a broken image time to fire onerror, if it existed
    assert page.evaluate("window.__srmq_xss === undefined")
    assert quiz.locator("script, img[src='x'], img[src='y']").count() == 0


EXAM_REVIEW = """import srmquiz
exam = srmquiz.quiz(["ec2"], kinds=["owner", "true-false"], n=3, seed=5, mode="exam", record=False)
for position in range(3):  # the first choice each time, as a hurried learner would
    exam.view.choices.value = exam.view.question.choices[0]
    exam.go(+1)
exam.submit_button.click()
exam"""


def test_an_exam_review_shows_one_question_at_a_time_and_pages(page, jupyter_server):
    open_notebook(page, jupyter_server, EXAM_REVIEW, "exam-review.ipynb")
    quiz = page.locator(".srmquiz").first
    quiz.locator(".srmq-number", has_text="Question 1 of 3").wait_for(timeout=90_000)
    assert quiz.locator(".srmq-view").count() == 1  # one question reviewed at a time
    jump = quiz.locator(".srmq-review-jump select")
    labels = [x.replace("\xa0", " ") for x in jump.locator("option").all_inner_texts()]
    assert [x.split(" · ")[0] for x in labels] == ["1", "2", "3"]
    assert all(x.split(" · ")[1] in ("right", "wrong") for x in labels)  # said in words
    quiz.locator(".srmq-number").click()  # the reading position, then only keys
    tab_to(page, "Next")
    page.keyboard.press("Enter")
    quiz.locator(".srmq-number", has_text="Question 2 of 3").wait_for()
    # "Go to" question 3 from the list (with the mouse: in Lab's command mode the arrow
    # keys on a focused list move between cells; Previous and Next are the keyboard's way)
    jump.select_option(index=2)
    quiz.locator(".srmq-number", has_text="Question 3 of 3").wait_for()
    assert quiz.locator(".srmq-view").count() == 1
    assert quiz.locator("button", has_text="Next").is_disabled()  # the last question
    assert re.search(r"✓ Correct\.|✗ Not quite\.", quiz.inner_text())
