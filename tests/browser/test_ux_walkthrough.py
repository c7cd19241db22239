"""The walkthrough on a projector: JupyterLab at 1280x720, left sidebar closed, presenter mode.

What a presenter does: scroll the stepper to the top of the notebook once, then only Next
and Reveal answer. On every step the title, the question for the room, the picture and,
after Reveal, the answer must be on screen without scrolling again.
"""

from __future__ import annotations

import html
import re

import srmquiz
from srmquiz.core.walkthrough import Tour
from srmquiz.widgets.html import picture_caption
from srmquiz.widgets.walkthrough import Walkthrough

from .conftest import OUTPUT
from .test_quiz_in_browser import lab_path, run_all

VIEWPORT = {"width": 1280, "height": 720}
SHOT_STEP = "Amazon EC2: Guest operating system"  # a "who owns this?" step for the README

SCROLLER = """el => {
    for (let p = el.parentElement; p; p = p.parentElement) {
        const s = getComputedStyle(p).overflowY;
        if ((s === "auto" || s === "scroll") && p.scrollHeight > p.clientHeight) return p;
    }
    return document.scrollingElement;
}"""
"""The element the notebook scrolls in (JupyterLab's notebook panel)."""

PANE = f"""el => {{
    const p = ({SCROLLER})(el), r = p.getBoundingClientRect();
    return {{top: Math.max(r.top, 0), bottom: Math.min(r.bottom, innerHeight),
             left: Math.max(r.left, 0), right: Math.min(r.right, innerWidth),
             scrollTop: p.scrollTop}};
}}"""
"""The visible part of the notebook's scroll pane, and how far it is scrolled."""


SCREEN = """([walk, want]) => {
    const one = sel => [...walk.querySelectorAll(sel)].find(e => e.offsetParent !== null);
    const text = e => (e ? e.innerText.replace(/\\s+/g, " ").trim() : null);
    const box = e => {
        if (!e) return null;
        const r = e.getBoundingClientRect();
        return {x: r.x, y: r.y, width: r.width, height: r.height};
    };
    const img = one(".srmq-picture img"), caption = one(".srmq-caption");
    const state = {
        position: text(one(".srmq-walk-position")), title: text(one("h2")),
        caption: text(caption), revealed: !!one(".srmq-answer"),
        loaded: !!img && img.complete && img.naturalWidth > 0,
    };
    const ready = state.position.startsWith(want.position) && state.title === want.title
        && state.revealed === want.revealed
        && (want.caption === null ? !img : state.caption === want.caption && state.loaded);
    if (!ready) return false;
    state.boxes = {title: box(one("h2")), "question for the room": box(one(".srmq-ask")),
                   answer: box(one(".srmq-answer")), picture: box(img), caption: box(caption),
                   source: box(one(".srmq-source"))};
    if (img) {  // the size the picture is drawn at (object-fit: contain keeps its aspect)
        const r = img.getBoundingClientRect(), ratio = img.naturalWidth / img.naturalHeight;
        state.shown = {width: Math.min(r.width, r.height * ratio),
                       height: Math.min(r.height, r.width / ratio), ratio: ratio};
        state.captionFont = parseFloat(getComputedStyle(caption).fontSize);
    }
    return state;
}"""
"""Once the step on screen is the one wanted (`want`: position, title, caption, revealed) and
its picture has loaded: where its parts are, the picture's drawn size, the caption's type."""


def visible_in(box: dict | None, pane: dict, what: str) -> None:
    assert box is not None, f"{what}: not rendered"
    assert box["height"] > 0, f"{what}: empty"
    assert pane["top"] - 1 <= box["y"], f"{what} starts above the pane: {box} vs {pane}"
    assert box["y"] + box["height"] <= pane["bottom"] + 1, f"{what} ends below: {box} vs {pane}"
    assert pane["left"] - 1 <= box["x"], f"{what} starts left of the pane: {box} vs {pane}"
    assert box["x"] + box["width"] <= pane["right"] + 1, f"{what} ends right: {box} vs {pane}"


def close_left_sidebar(page) -> None:
    """What a presenter does first: a click on the open sidebar tab (the file browser) folds it."""
    stack = page.locator("#jp-left-stack")
    stack.wait_for(timeout=30_000)
    page.locator(".jp-SideBar.jp-mod-left .lm-TabBar-tab.lm-mod-current").click()
    stack.wait_for(state="hidden", timeout=10_000)


def px(locator, prop: str) -> float:
    value = locator.evaluate(f"e => getComputedStyle(e).{prop}")
    return float(value.removesuffix("px"))


def caption_text(tour: Tour, matrix) -> str:
    """The words under the picture the step on screen should show."""
    assert tour.picture is not None
    words = html.unescape(re.sub(r"<[^>]+>", "", picture_caption(matrix, tour.picture, brief=True)))
    return " ".join(words.split())


def test_every_presenter_step_fits_1280x720_without_scrolling(browser, jupyter_server):
    made = srmquiz.walkthrough(presenter=True)
    assert isinstance(made, Walkthrough)
    tour = Tour(made.steps)  # the presenter's clicks, mirrored without drawing
    name = "presenter-03-instructor-walkthrough.ipynb"
    text = (jupyter_server.root / "03-instructor-walkthrough.ipynb").read_text()
    assert text.count("PRESENTER = False") == 1
    (jupyter_server.root / name).write_text(text.replace("PRESENTER = False", "PRESENTER = True"))
    context = browser.new_context(viewport=VIEWPORT)
    page = context.new_page()
    page.set_default_timeout(30_000)
    try:
        page.goto(jupyter_server.url(lab_path(name)))
        close_left_sidebar(page)
        run_all(page)
        walk = page.locator(".srmquiz-walkthrough").first
        walk.wait_for(timeout=90_000)
        # the code that starts it stays folded (the cell's "source_hidden" metadata)
        cell = page.locator(".jp-CodeCell", has=walk)
        assert cell.locator(".jp-InputPlaceholder").is_visible()
        assert not cell.locator(".jp-InputArea-editor").is_visible()
        # once: the stepper's top at the top of the pane (what a presenter scrolls to)
        walk.evaluate(
            f"el => {{ const p = ({SCROLLER})(el);"
            " p.scrollTop += el.getBoundingClientRect().top - p.getBoundingClientRect().top; }"
        )
        pane = walk.evaluate(PANE)
        assert pane["bottom"] - pane["top"] < 640  # Lab's chrome leaves about 600 px

        # controls and captions large enough for a room
        for control in ("button:has-text('Next')", "select", ".srmq-walk-position"):
            assert px(walk.locator(control).first, "fontSize") >= 18, control
        assert px(walk.locator("button:has-text('Next')"), "height") >= 40

        shot = False
        n = len(tour.steps)
        handle = walk.element_handle()
        for i, step in enumerate(tour.steps):
            assert tour.position == i
            for revealed in (False, True) if step.ask else (False,):
                if revealed:
                    walk.locator("button", has_text="Reveal answer").click()
                    tour.next()
                want = {
                    "position": f"Step {i + 1} of {n} ",
                    "title": step.title,
                    "revealed": revealed,
                    "caption": caption_text(tour, made.matrix) if tour.picture else None,
                }
                where = f"step {i + 1} ({step.title}){' revealed' if revealed else ''}"
                screen = page.wait_for_function(SCREEN, arg=[handle, want]).json_value()
                boxes = screen["boxes"]
                shown = ["title"]
                if step.ask:
                    shown.append("question for the room")
                if revealed:
                    shown.append("answer")
                if tour.picture is not None:
                    size = screen["shown"]
                    assert size["height"] >= 250, f"{where}: picture too small: {size}"
                    assert abs(size["width"] / size["height"] - size["ratio"]) < 0.02, (
                        f"{where}: picture stretched: {size}"
                    )
                    assert screen["captionFont"] >= 16, f"{where}: caption too small"
                    shown += ["picture", "caption"]
                if step.source:
                    shown.append("source")
                for what in shown:
                    visible_in(boxes[what], pane, f"{where}: {what}")
                assert walk.evaluate(PANE)["scrollTop"] == pane["scrollTop"], (
                    f"{where}: the notebook scrolled"
                )
                if revealed and step.title == SHOT_STEP:
                    OUTPUT.mkdir(exist_ok=True)
                    page.screenshot(path=str(OUTPUT / "presenter-step.png"))
                    shot = True
            if i + 1 < n:
                walk.locator("button", has_text="Next").click()
                tour.next()
        assert shot, f"no step titled {SHOT_STEP!r}"
        assert walk.locator("button", has_text="Next").is_disabled()
        assert "Error displaying widget" not in page.content()
    finally:
        context.close()
