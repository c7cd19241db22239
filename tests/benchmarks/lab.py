"""What a learner waits for before answering, measured in the page (``make bench``).

- Run All → first visible choice: a small notebook per case (srmquiz 10/40/126 questions
  and jupyterquiz showing the same number), a fresh kernel each run, so the imports are
  paid as on a learner's first Run All. t0 is the Run All click (taken in the page when
  the menu item is pressed), t1 the first animation frame with a choice on screen.
- Exam Submit → review: a 40-question exam answered by clicking, then t0 at the Submit
  click, t1 the first frame showing the first reviewed question's heading.
- Voila request → first visible choice of notebook 01 (from navigation start).
- The page at the start and end of the 60-answer click run: DOM nodes under the quiz and
  the JavaScript heap.

Every figure is a list of runs; run.py reports the median and the spread.
"""

from __future__ import annotations

import json
import time
import urllib.request
from collections.abc import Callable
from pathlib import Path
from typing import Any

SRMQUIZ_CHOICE = ".srmquiz button.widget-toggle-button, .srmquiz .widget-checkbox input"
JUPYTERQUIZ_CHOICE = ".MCButton"
SIZES = (10, 40, 126)
SEED = 7
EXAM_SIZE = 40

# Installed before the Run All click: each press on Run All is timed, and the first one
# starts a frame-by-frame look for a visible choice; the first frame that shows one is t1.
# t0 is the last press before t1 (one press, unless a fresh kernel dropped the first).
WATCH_RUN_ALL_JS = """([selector]) => {
    const state = {presses: [], t1: null};
    window.__srmqBench = state;
    const visible = () => {
        for (const e of document.querySelectorAll(selector)) {
            const r = e.getBoundingClientRect();
            if (r.width > 0 && r.height > 0) return true;
        }
        return false;
    };
    const look = () => {
        if (visible()) state.t1 = performance.now();
        else requestAnimationFrame(look);
    };
    // Lumino's menu takes pointerdown (which can suppress mousedown): either is a press
    const press = (e) => {
        if (!(e.target.closest && e.target.closest("[data-command='runmenu:run-all']"))) return;
        const now = performance.now();
        const last = state.presses[state.presses.length - 1];
        if (last !== undefined && now - last < 100) return;  // one press, two events
        state.presses.push(now);
        if (state.presses.length === 1) requestAnimationFrame(look);
    };
    for (const type of ["pointerdown", "mousedown"]) {
        document.addEventListener(type, press, true);
    }
}"""

# Click Submit, then look every frame for the review (or the "Submit anyway" warning).
SUBMIT_JS = """async ([button, selector]) => {
    return await new Promise((resolve, reject) => {
        const timer = setTimeout(() => reject(new Error("no review within 60 s")), 60000);
        const visible = () => {
            for (const e of document.querySelectorAll(selector)) {
                const r = e.getBoundingClientRect();
                if (r.width > 0 && r.height > 0) return true;
            }
            return false;
        };
        const t0 = performance.now();
        const look = () => {
            if (visible()) {
                clearTimeout(timer);
                resolve({ms: performance.now() - t0, warned: false});
            } else if (/Submit anyway/.test(button.innerText)) {
                clearTimeout(timer);
                resolve({ms: performance.now() - t0, warned: true});
            } else requestAnimationFrame(look);
        };
        button.click();
        requestAnimationFrame(look);
    });
}"""


# Installed in the page before its first script: the first frame with a visible choice.
def first_choice_script(selector: str) -> str:
    return f"""(() => {{
    window.__srmqFirst = null;
    const look = () => {{
        for (const e of document.querySelectorAll({json.dumps(selector)})) {{
            const r = e.getBoundingClientRect();
            if (r.width > 0 && r.height > 0) {{ window.__srmqFirst = performance.now(); return; }}
        }}
        requestAnimationFrame(look);
    }};
    requestAnimationFrame(look);
}})();"""


PAGE_MEMORY_JS = """(quiz) => {
    if (window.gc) window.gc();
    const heap = performance.memory ? performance.memory.usedJSHeapSize : null;
    return {nodes: quiz.querySelectorAll("*").length, heap: heap};
}"""


def jupyterquiz_questions(n: int) -> list[dict[str, Any]]:
    """`n` single-answer questions of our bank, as jupyterquiz takes them."""
    from srmquiz import generate, load_matrix
    from srmquiz.core.bank import pick

    bank = [
        q for q in generate(load_matrix(), seed=SEED) if not q.multi and q.kind != "build-the-stack"
    ]
    return [
        {
            "question": q.prompt,
            "type": "multiple_choice",
            "answers": [
                {"answer": c, "correct": c in q.answer, "feedback": q.explanation}
                for c in q.choices
            ],
        }
        for q in pick(bank, n, seed=SEED)
    ]


FLOOR_SOURCE = (
    "import ipywidgets as w\n"
    'box = w.VBox([w.ToggleButtons(options=["AWS", "Customer", "Shared"], value=None)])\n'
    'box.add_class("srmquiz")\nbox'
)
"""The floor: one bare ipywidgets question (its import paid by a fresh kernel too)."""


def case_source(tool: str, n: int) -> str:
    """The one cell a learner runs: imports included, so a fresh kernel pays them."""
    if tool == "ipywidgets":
        return FLOOR_SOURCE
    if tool == "srmquiz":
        return f"import srmquiz\nsrmquiz.quiz(n={n}, seed={SEED}, record=False)"
    # the questions as data, as a jupyterquiz notebook keeps them (built from our bank)
    data = json.dumps(jupyterquiz_questions(n), ensure_ascii=False)
    return (
        f"import json\nfrom jupyterquiz import display_quiz\nquestions = json.loads({data!r})\n"
        "display_quiz(questions, shuffle_answers=False)"
    )


def write_notebook(path: Path, source: str) -> None:
    import nbformat
    from nbformat.v4 import new_code_cell, new_notebook

    nb = new_notebook(
        cells=[new_code_cell(source)],
        metadata={"kernelspec": {"name": "python3", "display_name": "Python 3"}},
    )
    nbformat.write(nb, path)


def shut_down_kernels(server: Any) -> None:
    """Delete every session (and its kernel) on the Lab server: the next run starts fresh."""
    with urllib.request.urlopen(server.url("/api/sessions"), timeout=10) as r:
        sessions = json.load(r)
    for s in sessions:
        request = urllib.request.Request(server.url(f"/api/sessions/{s['id']}"), method="DELETE")
        with urllib.request.urlopen(request, timeout=30):
            pass


def open_notebook(context: Any, server: Any, name: str, selector: str) -> Any:
    """A new tab with the notebook open (its own workspace) and the Run All watch set."""
    from tests.browser.test_quiz_in_browser import lab_path

    page = context.new_page()
    page.set_default_timeout(60_000)
    page.goto(server.url(lab_path(name)))
    page.locator(".jp-Notebook").first.wait_for()
    page.evaluate(WATCH_RUN_ALL_JS, [selector])
    return page


def wait_kernel_idle(page: Any, server: Any, name: str, timeout_s: float = 90) -> None:
    """Until the notebook's kernel has started and the page shows it idle, as a learner
    waits for "Idle" before Run All. (The indicator can say idle before the kernel exists;
    a Run All then is dropped.)"""
    deadline = time.monotonic() + timeout_s
    while time.monotonic() < deadline:
        with urllib.request.urlopen(server.url("/api/sessions"), timeout=10) as r:
            states = [s["kernel"]["execution_state"] for s in json.load(r) if s["path"] == name]
        if states == ["idle"]:
            break
        time.sleep(0.2)
    else:
        raise TimeoutError(f"no idle kernel for {name} after {timeout_s:g} s")
    idle = page.locator(".jp-Notebook-ExecutionIndicator[data-status='idle']").first
    for _ in range(2):  # idle twice, a moment apart
        idle.wait_for(timeout=60_000)
        page.wait_for_timeout(250)


def run_all_to_choice(page: Any, server: Any, name: str) -> tuple[float, int]:
    """Seconds from the Run All click to the first frame with a visible choice, and how
    many Run All presses it took (more than one: a fresh kernel dropped the first)."""
    from tests.browser.test_quiz_in_browser import run_all

    wait_kernel_idle(page, server, name)
    run_all(page)
    page.wait_for_function("() => window.__srmqBench.t1 !== null", timeout=300_000)
    state = page.evaluate("() => window.__srmqBench")
    t1 = state["t1"]
    t0 = max(p for p in state["presses"] if p <= t1)
    return (t1 - t0) / 1000, len(state["presses"])


def bench_run_all(
    context: Any, server: Any, runs: int, fail: Callable[[str, Any, Exception], None]
) -> dict[str, Any]:
    """Run All → first visible choice, srmquiz and jupyterquiz, `runs` fresh kernels each."""
    from srmquiz import generate, load_matrix
    from srmquiz.core.bank import pick

    out: dict[str, Any] = {}
    real = {n: len(pick(generate(load_matrix(), seed=SEED), n, seed=SEED)) for n in SIZES}
    for n in SIZES:
        out[f"run_all_{n}_questions"] = real[n]
    for r in range(runs):  # runs outermost: a slow moment of the machine spreads over cases
        for n in SIZES:
            tools = (
                ("srmquiz", "jupyterquiz", "ipywidgets")
                if n == SIZES[0]
                else ("srmquiz", "jupyterquiz")
            )
            for tool in tools:
                key = f"run_all_{tool}_{n}_s"
                name = f"runall-{tool}-{n}-r{r}.ipynb"
                write_notebook(server.root / name, case_source(tool, real[n]))
                selector = JUPYTERQUIZ_CHOICE if tool == "jupyterquiz" else SRMQUIZ_CHOICE
                page = None
                try:
                    page = open_notebook(context, server, name, selector)
                    seconds, clicks = run_all_to_choice(page, server, name)
                    out.setdefault(f"{key}_runs", []).append(round(seconds, 3))
                    if clicks > 1:
                        out.setdefault(f"{key}_notes", []).append(
                            f"run {r + 1}: Run All pressed {clicks} times (timed from the last)"
                        )
                except Exception as exc:
                    fail(f"run_all_{tool}_{n}", page, exc)
                finally:
                    if page is not None:
                        page.close()
                    shut_down_kernels(server)
    return out


def _answer_exam_question(quiz: Any, k: int) -> None:
    """Answer the exam question on screen as a learner: the first choice of every
    choice group (a build-the-stack question has one per layer), or the first box."""
    from tests.browser.conftest import when_still

    groups = quiz.locator(".widget-toggle-buttons")
    if groups.count():
        for g in range(groups.count()):
            when_still(groups.nth(g).locator("button.widget-toggle-button").first).click()
    else:
        when_still(quiz.locator(".widget-checkbox input").first).check()
    quiz.locator(".widget-label", has_text=f"Answered: {k} of {EXAM_SIZE}").wait_for(timeout=30_000)


def exam_once(context: Any, server: Any, name: str) -> tuple[float, bool]:
    """One exam from Run All to the review: seconds from Submit to the first reviewed
    question's heading, and whether the "Submit anyway" warning came first."""
    from tests.browser.test_quiz_in_browser import exactly, run_all

    source = f"import srmquiz\nsrmquiz.quiz(n={EXAM_SIZE}, seed={SEED}, mode='exam', record=False)"
    write_notebook(server.root / name, source)
    page = open_notebook(context, server, name, SRMQUIZ_CHOICE)
    run_all(page)
    quiz = page.locator(".srmquiz").first
    quiz.wait_for(timeout=120_000)
    for k in range(1, EXAM_SIZE + 1):
        quiz.locator(".widget-label", has_text=f"Question {k} of {EXAM_SIZE}").wait_for()
        _answer_exam_question(quiz, k)
        if k < EXAM_SIZE:
            quiz.locator("button", has_text=exactly("Next")).click()
    submit = quiz.locator("button", has_text=exactly("Submit"))
    submit.scroll_into_view_if_needed()
    result = page.evaluate(SUBMIT_JS, [submit.element_handle(), ".srmquiz .srmq-number"])
    warned = bool(result["warned"])
    if warned:  # something was left unanswered: submit anyway, and time that click
        again = quiz.locator("button", has_text="Submit anyway")
        result = page.evaluate(SUBMIT_JS, [again.element_handle(), ".srmquiz .srmq-number"])
    return float(result["ms"]) / 1000, warned


def bench_exam(
    context: Any, server: Any, runs: int, fail: Callable[[str, Any, Exception], None]
) -> dict[str, Any]:
    out: dict[str, Any] = {}
    for r in range(runs):
        try:
            seconds, warned = exam_once(context, server, f"exam-{EXAM_SIZE}-r{r}.ipynb")
            out.setdefault("exam_submit_40_s_runs", []).append(round(seconds, 3))
            if warned:
                out.setdefault("exam_submit_40_s_notes", []).append(
                    f"run {r + 1}: 'Submit anyway' warning came first"
                )
        except Exception as exc:
            fail("exam_submit_40", context.pages[-1] if context.pages else None, exc)
        finally:
            for p in context.pages:
                p.close()
            shut_down_kernels(server)
    return out


def bench_voila(
    context: Any, base: str, runs: int, fail: Callable[[str, Any, Exception], None]
) -> dict[str, Any]:
    """Voila request → first visible choice of notebook 01 (from navigation start)."""
    name = next(p.name for p in sorted((Path(__file__).parents[2] / "notebooks").glob("01-*")))
    out: dict[str, Any] = {"voila_notebook": name}
    for r in range(runs):
        # notebook 01, and the floor: a notebook of one bare ipywidgets question
        for notebook, key in ((name, "voila_first_choice_s"), (FLOOR_NOTEBOOK, "voila_floor_s")):
            page = context.new_page()
            page.add_init_script(first_choice_script(SRMQUIZ_CHOICE))
            try:
                page.goto(f"{base}/voila/render/{notebook}", timeout=180_000)
                page.wait_for_function("() => window.__srmqFirst !== null", timeout=180_000)
                ms = float(page.evaluate("() => window.__srmqFirst"))
                out.setdefault(f"{key}_runs", []).append(round(ms / 1000, 3))
            except Exception as exc:
                fail(f"{key}_r{r}", page, exc)
            finally:
                page.close()
    return out


FLOOR_NOTEBOOK = "zz-floor.ipynb"
"""Written beside the notebooks in Voila's folder by the bench (see run._bench_voila)."""


def page_memory(quiz: Any) -> dict[str, Any]:
    """DOM nodes under the quiz and the page's JavaScript heap (after a GC where exposed)."""
    found = quiz.evaluate(PAGE_MEMORY_JS)
    heap = found["heap"]
    return {"nodes": int(found["nodes"]), "heap_mb": None if heap is None else heap / 1e6}
