"""What a learner sees of a quiz in a real browser, on a laptop screen (1366x768).

After an answer the verdict and the start of the explanation stay on screen, focus is on
the button Enter moves on with, the chosen answer stays visible once the buttons lock
(light and dark), pictures have a text alternative, labels and button names are whole,
and the summary has no empty band and no stretched tables. Screenshots of an answered
question in light and dark go to test-output/quiz-light.png and quiz-dark.png.
"""

from __future__ import annotations

import json
import re

import nbformat
import pytest
from nbformat.v4 import new_code_cell, new_notebook

from .conftest import OUTPUT
from .test_quiz_in_browser import lab_path, run_all

LAPTOP = {"width": 1366, "height": 768}

# Three one-question quizzes: select-all, build-the-stack (RDS: it has the longest layer
# name), single choice. One question each, so the button under the verdict is "Finish".
QUIZZES = [
    ("which-are", 'srmquiz.quiz(["rds"], kinds=["which-are"], n=1, seed=2, title="Select all")'),
    (
        "build-the-stack",
        'srmquiz.quiz(["rds"], kinds=["build-the-stack"], n=1, seed=1, title="Build")',
    ),
    ("owner", 'srmquiz.quiz(["ec2"], kinds=["owner"], n=1, seed=3, title="One choice")'),
]

# The visible part of the element's scrolling pane (Lab's notebook panel, or the page in
# Voila), and the element's box: the verdict must lie inside the first.
IN_VIEW = """el => {
    let pane = el.parentElement;
    while (pane && !(pane.scrollHeight > pane.clientHeight
                     && /(auto|scroll)/.test(getComputedStyle(pane).overflowY))) {
        pane = pane.parentElement;
    }
    const view = pane ? pane.getBoundingClientRect() : {top: 0, bottom: innerHeight};
    const top = Math.max(0, view.top), bottom = Math.min(innerHeight, view.bottom);
    const box = el.getBoundingClientRect();
    return {top, bottom, el_top: box.top, el_bottom: box.bottom};
}"""

FOCUSED = "() => (document.activeElement && document.activeElement.innerText || '').trim()"

STRETCH = """r => {
    const text = Math.max(...[...r.cells].map(c => {
        const range = document.createRange(); range.selectNodeContents(c);
        return range.getBoundingClientRect().height; }));
    return r.getBoundingClientRect().height - text;
}"""

SETTLED = "() => new Promise(r => requestAnimationFrame(() => requestAnimationFrame(r)))"


def write_notebook(root, name: str, cells: list[str]) -> None:
    nb = new_notebook(
        cells=[new_code_cell(c) for c in cells],
        metadata={"kernelspec": {"name": "python3", "display_name": "Python 3"}},
    )
    nbformat.write(nb, root / name)


def answer_by_clicking(quiz, kind: str) -> None:
    """Answer (some right, some wrong: the verdict's wording does not matter here)."""
    if kind == "which-are":
        quiz.locator(".widget-checkbox input").first.check()
        quiz.locator("button", has_text="Check").click()
    elif kind == "build-the-stack":
        rows = quiz.locator(".srmq-stack-rows .srmq-choices")  # a layer's owner buttons
        assert rows.count() >= 10
        for i in range(rows.count()):
            rows.nth(i).locator("button.widget-toggle-button").first.click()
        quiz.locator("button", has_text="Check").click()
    else:
        quiz.locator("button.widget-toggle-button").first.click()


def assert_verdict_in_view(page, quiz, where: str) -> None:
    """After an answer: the verdict and the start of the explanation on screen, with no
    scrolling, and focus on the button that Enter moves on with."""
    quiz.locator(".widget-label", has_text=re.compile(r"^Score: \d of 1$")).wait_for()
    page.wait_for_function(f"() => ({FOCUSED})() === 'Finish'", timeout=10_000)
    if quiz.locator(".srmq-picture").count():
        quiz.locator(".srmq-picture:visible img").first.wait_for()
    page.evaluate(SETTLED)
    verdict = quiz.locator(".srmq-verdict:visible").first
    box = verdict.evaluate(IN_VIEW)
    assert box["top"] <= box["el_top"] and box["el_bottom"] <= box["bottom"], (where, box)
    detail = quiz.locator(".srmq-detail:visible").first.evaluate(IN_VIEW)
    assert detail["el_top"] + 20 <= detail["bottom"], (where, "explanation below the fold", detail)


def contrast(fg: str, bg: str) -> float:
    def luminance(css: str) -> float:
        r, g, b = (int(float(x)) for x in re.findall(r"[\d.]+", css)[:3])

        def channel(c: int) -> float:
            s = c / 255
            return s / 12.92 if s <= 0.03928 else ((s + 0.055) / 1.055) ** 2.4

        return 0.2126 * channel(r) + 0.7152 * channel(g) + 0.0722 * channel(b)

    hi, lo = sorted((luminance(fg), luminance(bg)), reverse=True)
    return (hi + 0.05) / (lo + 0.05)


STYLE_OF = """el => { const s = getComputedStyle(el);
    return {color: s.color, background: s.backgroundColor, opacity: s.opacity,
            border: s.borderTopWidth, after: getComputedStyle(el, '::after').content}; }"""


def assert_chosen_answer_visible(quiz, theme: str) -> None:
    """The locked, chosen button: readable text, a thick border, "your answer" in words."""
    chosen = quiz.locator("button.widget-toggle-button.mod-active:disabled").first
    s = chosen.evaluate(STYLE_OF)
    assert s["opacity"] == "1", (theme, s)
    assert contrast(s["color"], s["background"]) >= 4.5, (theme, s)
    assert float(s["border"].removesuffix("px")) >= 2, (theme, s)
    assert "your answer" in s["after"], (theme, s)


def assert_disabled_buttons_readable(quiz, theme: str) -> None:
    for button in quiz.locator("button.jupyter-button:disabled").all():
        s = button.evaluate(STYLE_OF)
        if "rgba(0, 0, 0, 0)" in s["background"]:
            continue  # transparent: the card behind it is checked with the text
        assert contrast(s["color"], s["background"]) >= 4.5, (theme, button.inner_text(), s)


def switch_theme(page, theme: str) -> None:
    page.locator("li.lm-MenuBar-item", has_text="Settings").click()
    page.locator("li.lm-Menu-item", has_text="Theme").first.hover()
    page.get_by_role("menuitem", name=theme, exact=True).click()
    light = "true" if theme == "JupyterLab Light" else "false"
    page.wait_for_function(
        f"() => document.body.dataset.jpThemeLight === '{light}'", timeout=20_000
    )
    page.evaluate(SETTLED)


def test_the_verdict_stays_in_view_on_a_laptop_in_lab(browser, jupyter_server):
    context = browser.new_context(viewport=LAPTOP)
    page = context.new_page()
    page.set_default_timeout(30_000)
    name = "ux-quiz-laptop.ipynb"
    write_notebook(jupyter_server.root, name, ["import srmquiz"] + [s for _, s in QUIZZES])
    try:
        page.goto(jupyter_server.url(lab_path(name)))
        run_all(page)
        quizzes = page.locator(".srmquiz")
        quizzes.nth(len(QUIZZES) - 1).wait_for(timeout=90_000)
        for i, (kind, _source) in enumerate(QUIZZES):
            quiz = quizzes.nth(i)
            if kind == "build-the-stack":
                # every layer name whole: "Network & firewall configuration" not cut
                for label in quiz.locator(".srmq-layer-label .widget-html-content").all():
                    assert label.evaluate("e => e.scrollWidth <= e.clientWidth"), label.inner_text()
                assert quiz.locator(".srmq-layer-name", has_text="Network & firewall").count()
            answer_by_clicking(quiz, kind)
            assert_verdict_in_view(page, quiz, kind)
            assert quiz.locator(".srmq-verdict:visible[role=alert]").count() == 1
            if kind == "build-the-stack":
                quiz.screenshot(path=str(OUTPUT / "quiz-build-lab.png"))
            if kind == "owner":
                img = quiz.locator(".srmq-picture:visible img").first
                alt = img.get_attribute("alt") or ""
                assert "Amazon EC2 stack" in alt, alt  # the caption's words
                assert_chosen_answer_visible(quiz, "light")
                assert_disabled_buttons_readable(quiz, "light")
                # a visible focus ring on the control Enter goes on with
                page.keyboard.press("Tab")
                page.keyboard.press("Shift+Tab")
                ring = page.evaluate(
                    "(() => { const s = getComputedStyle(document.activeElement);"
                    " return [s.outlineStyle, s.outlineWidth]; })()"
                )
                assert ring[0] != "none" and float(ring[1].removesuffix("px")) >= 2, ring
                OUTPUT.mkdir(exist_ok=True)
                quiz.screenshot(path=str(OUTPUT / "quiz-light.png"))
                switch_theme(page, "JupyterLab Dark")
                try:
                    assert_chosen_answer_visible(quiz, "dark")
                    assert_disabled_buttons_readable(quiz, "dark")
                    plate = img.evaluate("i => getComputedStyle(i).filter")
                    assert "brightness" in plate  # dimmed on its light plate, no glare
                    quiz.screenshot(path=str(OUTPUT / "quiz-dark.png"))
                finally:
                    switch_theme(page, "JupyterLab Light")  # the server's settings are shared
                quiz.locator("button", has_text="Finish").click()  # the menu took focus
            else:  # Enter goes on: here, to the results
                page.keyboard.press("Enter")
            quiz.locator(".srmq-score", has_text="You scored").wait_for()
            # the summary: whole button labels, no empty band, tables not stretched
            for label in ("Review my mistakes", "New quiz"):
                button = quiz.locator("button", has_text=label)
                if button.count():
                    assert button.evaluate("b => b.scrollWidth <= b.clientWidth"), label
            assert quiz.locator(".srmq-view:visible").count() == 0
            # each row as tall as its text (plus padding), not stretched to match the
            # other table's rows
            rows = quiz.locator(".srmq-breakdown tbody tr").all()
            assert rows
            for row in rows:
                spare = row.evaluate(STRETCH)
                assert spare <= 12, (row.inner_text(), spare)
        assert "Error displaying widget" not in page.content()
    except Exception:
        page.screenshot(path=str(OUTPUT / "ux-quiz-lab-failed.png"))
        raise
    finally:
        context.close()


@pytest.mark.parametrize("front_end", ["notebook7", "voila"])
def test_the_verdict_stays_in_view_in_notebook7_and_voila(
    browser, jupyter_server, voila_server, front_end
):
    """One select-all question (the case the review measured at 480-660 px off screen)."""
    context = browser.new_context(viewport=LAPTOP)
    page = context.new_page()
    page.set_default_timeout(30_000)
    name = f"ux-quiz-{front_end}.ipynb"
    cells = ["import srmquiz", QUIZZES[0][1]]
    try:
        if front_end == "voila":
            write_notebook(voila_server.root, name, cells)
            page.goto(voila_server.url(f"/voila/render/{name}"))
        else:
            write_notebook(jupyter_server.root, name, cells)
            page.goto(jupyter_server.url(f"/notebooks/{name}"))
            run_all(page)
        quiz = page.locator(".srmquiz").first
        quiz.wait_for(timeout=90_000)
        answer_by_clicking(quiz, "which-are")
        assert_verdict_in_view(page, quiz, front_end)
        page.keyboard.press("Enter")
        quiz.locator(".srmq-score", has_text="You scored").wait_for()
        assert json.dumps("Error displaying widget") not in json.dumps(page.content())
    except Exception:
        page.screenshot(path=str(OUTPUT / f"ux-quiz-{front_end}-failed.png"))
        raise
    finally:
        context.close()
