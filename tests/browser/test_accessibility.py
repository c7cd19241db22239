"""axe-core audits of srmquiz's own output in JupyterLab and Voila (issue #14, item 7),
and Voila pages without Jupyter-only instructions (item 6).

One notebook of our own, written to the server's folder, carries notebook 01's prose and
matrix picture, then a quiz answered (feedback and picture showing), a build-the-stack
answered and checked, an exam submitted (review and summary), the walkthrough at a step
after Reveal, and the dashboard of a simulated class. It is loaded once in JupyterLab and
once in Voila; axe (axe-playwright-python, which ships axe-core's JavaScript, so offline)
audits each area of srmquiz's output on its own: JupyterLab's interface has findings that
are not ours. Each report goes to test-output/axe-FRONTEND-AREA.json, with a one-line
summary per page printed.
"""

from __future__ import annotations

import json
import re
import time
from collections.abc import Iterator
from dataclasses import dataclass, field

import nbformat
import pytest
from nbformat.v4 import new_code_cell, new_notebook

from .conftest import OUTPUT, ROOT
from .test_quiz_in_browser import lab_path, run_all

AUDIT = "axe-audit.ipynb"
AREAS = {
    "matrix": ".srmquiz-matrix",
    "quiz": ".srmquiz",
    "walkthrough": ".srmquiz-walkthrough",
    "dashboard": ".srmquiz-dashboard",
}
"""Each area of our output, by the class its top-level widget carries."""
BLOCKING = ("serious", "critical")
JUPYTER_ONLY = ("Run All", "Run →", "Change the family")
"""Words of notebook 01's jupyter-only cells: shown in JupyterLab, never in Voila."""

# What the notebook does after notebook 01's prose and matrix cell. Answers are given in
# the kernel, the way a click would (setting a value, clicking a button in Python).
AUDIT_CELLS = [
    '''import tempfile
from pathlib import Path

import srmquiz


def answer(view):
    """Answer the question a view shows with its first choice(s), and Check."""
    if hasattr(view, "rows"):  # build the stack: one owner per layer
        for toggle in view.rows.values():
            toggle.value = toggle.options[0]
    elif hasattr(view, "boxes"):  # select all that apply
        view.boxes[0].value = True
    else:
        view.choices.value = view.choices.options[0]
    if hasattr(view, "check") and not view.exam:
        view.check.click()''',
    """practice = srmquiz.quiz(["rds"], kinds=["owner"], n=3, seed=4, record=False)
answer(practice.view)  # feedback and the stack picture show
practice""",
    """build = srmquiz.quiz(["s3"], kinds=["build-the-stack"], n=1, seed=1, record=False)
answer(build.view)  # each row marked right or wrong, the learner's stack drawn
build""",
    """exam = srmquiz.quiz(
    ["ec2", "lambda"], kinds=["owner", "which-are", "true-false"], n=3, seed=2,
    mode="exam", record=False,
)
for _ in range(3):
    answer(exam.view)
    exam.next_button.click()
exam.submit_button.click()  # every question with its feedback, and the summary
assert exam.finished
exam""",
    """walk = srmquiz.walkthrough()
walk.goto(next(i for i, step in enumerate(walk.steps) if step.ask))
walk.next()  # Reveal answer
assert not walk.waiting
walk""",
    """CODE, _session = srmquiz.new_session(srmquiz.load_matrix(), n=6, seed=3)
demo = Path(tempfile.mkdtemp(prefix="srmquiz-axe-"))
srmquiz.demo_class(CODE, demo, students=6)
srmquiz.dashboard([demo], code=CODE)""",
]


def audit_notebook() -> nbformat.NotebookNode:
    """Notebook 01 without its quizzes (its prose, jupyter-only cells and the matrix
    picture), then the cells above."""
    source = nbformat.read(ROOT / "notebooks" / "01-self-study.ipynb", as_version=4)
    kept = [c for c in source.cells if not (c.cell_type == "code" and "srmquiz.quiz(" in c.source)]
    return new_notebook(
        cells=[*kept, *(new_code_cell(s) for s in AUDIT_CELLS)],
        metadata={"kernelspec": {"name": "python3", "display_name": "Python 3"}},
    )


@dataclass
class Audit:
    """What one page load found: axe's violations per area and the page's text."""

    front_end: str
    text: str = ""
    violations: dict[str, list[dict]] = field(default_factory=dict)

    def blocking(self, area: str) -> list[str]:
        """One line (rule, impact, element, what fails) per serious or critical violation of
        an element."""
        return [
            f"{v['id']} ({v['impact']}) at {node['target']}: "
            f"{node.get('failureSummary', '')} [{v['help']}]".replace("\n", " ")
            for v in self.violations[area]
            if v["impact"] in BLOCKING
            for node in v["nodes"]
        ]


def accept_kernel(page) -> None:
    """A fresh server may still be listing its kernels when the notebook opens: Lab then
    asks which kernel to start. Take the one it proposes (the notebook's python3)."""
    ready = ".jp-Notebook-ExecutionIndicator[data-status='idle'], .jp-Dialog"
    page.locator(ready).first.wait_for(timeout=60_000)
    dialog = page.locator(".jp-Dialog")
    if dialog.count():
        dialog.locator("button.jp-mod-accept").click()


def settle(page) -> None:
    """Wait until every area is on the page with what the audit needs to see."""
    for selector in AREAS.values():
        page.locator(selector).first.wait_for(timeout=90_000)
    quizzes = page.locator(AREAS["quiz"])
    quizzes.nth(2).wait_for(timeout=30_000)  # practice, build-the-stack, exam
    verdict = re.compile(r"Correct|Not quite")
    for i in range(3):
        quizzes.nth(i).filter(has_text=verdict).wait_for(timeout=30_000)
    # the answered question's picture and the revealed step's picture have loaded
    for where in (quizzes.first, page.locator(AREAS["walkthrough"]).first):
        where.locator("img:visible").first.wait_for(timeout=30_000)
    page.wait_for_function(
        """(selectors) => selectors.every(s => [...document.querySelectorAll(s + ' img')]
            .every(i => i.complete))""",
        arg=list(AREAS.values()),
        timeout=30_000,
    )


def audit(page, front_end: str) -> Audit:
    """Run axe on each area of our output; write its report; print one line for the page."""
    from axe_playwright_python.sync_playwright import Axe

    page.evaluate(Axe().axe_script)  # axe-core, once per page (it ships with the package)
    found = Audit(front_end, text=page.locator("body").inner_text())
    OUTPUT.mkdir(exist_ok=True)
    counts = []
    for area, selector in AREAS.items():
        report = page.evaluate(
            "(s) => axe.run({include: [s]}, {resultTypes: ['violations']})", selector
        )
        found.violations[area] = report["violations"]
        (OUTPUT / f"axe-{front_end}-{area}.json").write_text(
            json.dumps({k: report[k] for k in ("testEngine", "url", "violations")}, indent=1)
        )
        serious = sum(v["impact"] in BLOCKING for v in report["violations"])
        counts.append(f"{area} {len(report['violations'])} ({serious} serious or critical)")
    rules = sorted({v["id"] for vs in found.violations.values() for v in vs})
    print(f"\naxe {front_end}: violations {', '.join(counts)}; rules: {', '.join(rules) or 'none'}")
    return found


@pytest.fixture(scope="module")
def audits(browser, jupyter_server, voila_server) -> Iterator[dict[str, Audit]]:
    """Load the audit notebook once in JupyterLab and once in Voila; audit both."""
    nb = audit_notebook()
    found = {}
    for front_end, server in (("lab", jupyter_server), ("voila", voila_server)):
        nbformat.write(nb, server.root / AUDIT)
        context = browser.new_context(viewport={"width": 1400, "height": 1000})
        page = context.new_page()
        page.set_default_timeout(30_000)
        try:
            if front_end == "lab":
                page.goto(server.url(lab_path(AUDIT)))
                accept_kernel(page)
                run_all(page)
            else:
                # the page loads once every cell has run: a busy machine may take a while
                page.goto(server.url(f"/voila/render/{AUDIT}"), wait_until="commit")
            started = time.monotonic()
            settle(page)
            assert "Error displaying widget" not in page.content()
            settled = time.monotonic()
            found[front_end] = audit(page, front_end)
            print(
                f"({front_end}: ran {settled - started:.1f} s, audit {time.monotonic() - settled:.1f} s)"
            )
        except Exception:
            page.screenshot(path=str(OUTPUT / f"axe-{front_end}-failed.png"), full_page=True)
            raise
        finally:
            context.close()
    yield found


@pytest.mark.parametrize("front_end", ["lab", "voila"])
@pytest.mark.parametrize("area", list(AREAS))
def test_no_serious_or_critical_axe_violation_in_our_output(audits, front_end, area):
    problems = audits[front_end].blocking(area)
    assert not problems, "\n".join(problems)


def test_voila_shows_no_jupyter_only_instructions_and_lab_still_does(audits):
    lab, voila = audits["lab"].text, audits["voila"].text
    for words in JUPYTER_ONLY:
        assert words in lab, f"JupyterLab lost {words!r}"
        assert words not in voila, f"Voila still says {words!r}"
    assert "srmquiz matrix" in voila  # the prose around them is still there
    assert "Each quiz gives feedback" in voila
