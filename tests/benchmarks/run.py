"""srmquiz benchmarks: what a learner waits for, measured (``make bench``).

Not part of the pass/fail suite: it prints a table, compares with the targets in the
README, and writes ``bench-output/bench.json``. Browser measurements need Debian's
chromium and Playwright; without them that part is reported as skipped.

    python -m tests.benchmarks.run [--quick] [--no-browser]
"""

from __future__ import annotations

import argparse
import contextlib
import gc
import json
import os
import platform
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

ROOT = Path(__file__).parents[2]
OUT = ROOT / "bench-output"

TARGETS = {
    "single_choice_p95_ms": 25.0,
    "check_button_p95_ms": 100.0,
    "import_ms": 150.0,
    "bank_200x30_s": 1.0,
}


def timed(fn: Callable[[], Any], repeat: int = 5) -> tuple[float, list[float]]:
    """Median seconds of `repeat` runs, and all of them."""
    runs = []
    for _ in range(repeat):
        t = time.perf_counter()
        fn()
        runs.append(time.perf_counter() - t)
    return statistics.median(runs), runs


def pct(values: list[float], p: float) -> float:
    ordered = sorted(values)
    k = max(0, min(len(ordered) - 1, round(p / 100 * (len(ordered) - 1))))
    return ordered[k]


# -- in-process measurements ---------------------------------------------------------
def bench_import() -> dict[str, Any]:
    code = (
        "import time, sys; t = time.perf_counter(); import srmquiz; "
        "print(time.perf_counter() - t, 'matplotlib' in sys.modules, 'ipywidgets' in sys.modules)"
    )
    runs, mpl, ipw = [], False, False
    for _ in range(7):
        out = subprocess.run(
            [sys.executable, "-X", "frozen_modules=off", "-c", code],
            capture_output=True,
            text=True,
            check=True,
            cwd=ROOT,
        ).stdout.split()
        runs.append(float(out[0]))
        mpl, ipw = mpl or out[1] == "True", ipw or out[2] == "True"
    return {
        "import_ms": round(1000 * statistics.median(runs), 1),
        "matplotlib_imported": mpl,
        "ipywidgets_imported": ipw,
    }


def bench_bank(quick: bool) -> dict[str, Any]:
    from srmquiz import generate, load_matrix

    from .synthetic import write_content

    matrix = load_matrix()
    shipped, _ = timed(lambda: generate(matrix, seed=1), 7)
    out: dict[str, Any] = {
        "bank_shipped_ms": round(1000 * shipped, 2),
        "bank_shipped_questions": len(generate(matrix, seed=1)),
    }
    sizes = (50, 100) if quick else (50, 100, 200)
    per_service = {}
    with tempfile.TemporaryDirectory() as tmp:
        for n in sizes:
            m = load_matrix(write_content(Path(tmp) / f"c{n}", n, 30))
            seconds, _ = timed(lambda m=m: generate(m, seed=1), 3)
            out[f"bank_{n}x30_s"] = round(seconds, 3)
            out[f"bank_{n}x30_questions"] = len(generate(m, seed=1))
            per_service[n] = seconds / n
    low, high = min(per_service.values()), max(per_service.values())
    out["bank_growth_per_service_ms"] = {str(k): round(1000 * v, 3) for k, v in per_service.items()}
    out["bank_growth_linear"] = high / low < 1.5  # time per service stays flat
    return out


def bench_quiz_and_pictures() -> dict[str, Any]:
    import ipywidgets as widgets

    from srmquiz import load_matrix
    from srmquiz.draw.stacks import clear_cache, stack_png
    from srmquiz.notebook import quiz

    matrix = load_matrix()
    clear_cache()
    t = time.perf_counter()
    first = quiz(n=10, seed=1, record=False)
    cold = time.perf_counter() - t
    warm, _ = timed(lambda: quiz(n=10, seed=1, record=False), 5)
    assert first.total == 10
    clear_cache()
    t = time.perf_counter()
    stack_png(matrix, "rds", ["iam"])
    picture_cold = time.perf_counter() - t
    picture_cached, _ = timed(lambda: stack_png(matrix, "rds", ["iam"]), 50)
    widgets.Widget.close_all()
    return {
        "quiz_build_cold_ms": round(1000 * cold, 1),
        "quiz_build_warm_ms": round(1000 * warm, 1),
        "picture_cold_ms": round(1000 * picture_cold, 1),
        "picture_cached_ms": round(1000 * picture_cached, 4),
    }


def rss_mb() -> float:
    with open("/proc/self/statm") as f:
        return int(f.read().split()[1]) * os.sysconf("SC_PAGE_SIZE") / 1e6


def bench_memory() -> dict[str, Any]:
    import ipywidgets as widgets

    from srmquiz import generate, load_matrix
    from srmquiz.widgets.quiz import Quiz
    from tests.test_quiz import answer

    matrix = load_matrix()
    bank = generate(matrix, seed=5)
    sizes = {}
    answered = 0
    while answered < 200:
        q = Quiz(bank[:10], matrix=matrix)
        for _ in range(10):
            answer(q, right=answered % 3 != 0)
            q.next_button.click()
            answered += 1
        q.close()
        widgets.Widget.close_all()
        bank = bank[10:] + bank[:10]
        if answered in (20, 100, 200):
            gc.collect()
            sizes[answered] = rss_mb()
    return {
        "rss_after_20_questions_mb": round(sizes[20], 1),
        "rss_after_200_questions_mb": round(sizes[200], 1),
        "rss_growth_20_to_200_mb": round(sizes[200] - sizes[20], 1),
        # by question 100 every picture is cached: from there on memory should stay flat
        "rss_growth_100_to_200_mb": round(sizes[200] - sizes[100], 1),
    }


def bench_notebooks() -> dict[str, Any]:
    import nbformat
    from nbclient import NotebookClient

    out = {}
    with tempfile.TemporaryDirectory() as tmp:
        env_db = os.environ.get("SRMQUIZ_DB")
        os.environ["SRMQUIZ_DB"] = str(Path(tmp) / "bench.sqlite3")
        try:
            for path in sorted((ROOT / "notebooks").glob("*.ipynb")):
                nb = nbformat.read(path, as_version=4)
                t = time.perf_counter()
                NotebookClient(
                    nb, timeout=300, kernel_name="python3", resources={"metadata": {"path": tmp}}
                ).execute()
                out[f"notebook_{path.stem}_s"] = round(time.perf_counter() - t, 2)
        finally:
            if env_db is None:
                os.environ.pop("SRMQUIZ_DB", None)
            else:
                os.environ["SRMQUIZ_DB"] = env_db
    return out


# -- in the browser ------------------------------------------------------------------
# Time from a click to the first frame after the watched element changed, in the page.
LATENCY_JS = """async ([click, watch]) => {
    return await new Promise((resolve, reject) => {
        let t0 = 0;
        const timer = setTimeout(() => { obs.disconnect(); reject(new Error("no change")); }, 5000);
        const obs = new MutationObserver(() => {
            obs.disconnect();
            clearTimeout(timer);
            requestAnimationFrame(() => resolve(performance.now() - t0));
        });
        obs.observe(watch, {subtree: true, childList: true, attributes: true, characterData: true});
        t0 = performance.now();
        click.click();
    });
}"""

BENCH_NOTEBOOK = [
    # 0: srmquiz single choice, 60 questions
    'import srmquiz\nsingle = srmquiz.quiz(kinds=["owner", "true-false", "always", "scenario"], '
    'n=60, seed=3, record=False, title="srmquiz single choice")\nsingle',
    # 1: srmquiz Check button (multi-select); three copies give enough answers
    "from ipywidgets import VBox\nmulti = [srmquiz.quiz(kinds=['which-are', 'compare'], n=None, "
    "seed=s, record=False, title=f'srmquiz check {s}') for s in range(3)]\nVBox(multi)",
    # 2: jupyterquiz, an equivalent 10-question quiz from the same bank
    """from jupyterquiz import display_quiz
from srmquiz import generate, load_matrix
from srmquiz.core.bank import pick
jq_questions = []
for q in pick(generate(load_matrix(), seed=3, kinds=["owner"]), 10, seed=3):
    jq_questions.append({
        "question": q.prompt,
        "type": "multiple_choice",
        "answers": [
            {"answer": c, "correct": c in q.answer, "feedback": q.explanation}
            for c in q.choices
        ],
    })
display_quiz(jq_questions, shuffle_answers=False)""",
    # 3: a bare ipywidgets quiz whose feedback comes from a kernel callback (the floor)
    """import ipywidgets as w
bare_choice = w.ToggleButtons(options=["AWS", "Customer", "Shared"], value=None)
bare_feedback = w.HTML("")
bare_feedback.add_class("bare-feedback")
def on_change(change):
    right = change["new"] == "Customer"
    bare_feedback.value = ("Correct: " if right else "Not quite: ") + str(change["new"])
bare_choice.observe(on_change, names="value")
w.VBox([w.HTML("Who patches the guest OS on Amazon EC2?"), bare_choice, bare_feedback])""",
]


def bench_browser(samples: int) -> dict[str, Any]:
    from nbformat.v4 import new_code_cell, new_notebook

    from tests.browser import conftest as bc
    from tests.browser.test_quiz_in_browser import lab_path, run_all

    if not Path(bc.CHROMIUM).exists():
        return {"browser_skipped": f"no chromium at {bc.CHROMIUM}"}
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        return {"browser_skipped": "playwright not installed"}
    try:
        import jupyterquiz  # noqa: F401
    except ImportError:
        return {"browser_skipped": "jupyterquiz not installed (pip install -e '.[bench]')"}
    import secrets

    import nbformat

    root = Path(tempfile.mkdtemp(prefix="srmquiz-bench-"))
    nb = new_notebook(
        cells=[new_code_cell(c) for c in BENCH_NOTEBOOK],
        metadata={"kernelspec": {"name": "python3", "display_name": "Python 3"}},
    )
    nbformat.write(nb, root / "bench.ipynb")
    settings = Path(tempfile.mkdtemp(prefix="srmquiz-bench-lab-"))
    (settings / "app").mkdir()
    (settings / "app" / "overrides.json").write_text(bc.OVERRIDES)
    port, token = bc.free_port(), secrets.token_hex(16)
    args = [
        sys.executable, "-m", "jupyter", "lab", "--no-browser", "--allow-root",
        "--ip=127.0.0.1", f"--port={port}", f"--IdentityProvider.token={token}",
        f"--ServerApp.root_dir={root}", f"--LabApp.workspaces_dir={settings / 'ws'}",
        f"--LabApp.user_settings_dir={settings / 'user'}",
        f"--LabApp.app_settings_dir={settings / 'app'}",
        "--LabApp.news_url=None",
        "--LabApp.check_for_updates_class=jupyterlab.NeverCheckForUpdate",
    ]  # fmt: skip
    base = f"http://127.0.0.1:{port}"
    server = bc.Server(base, token, root)
    results: dict[str, list[float]] = {}
    with (
        contextlib.contextmanager(bc.start_server)(
            args, f"{base}/api/status?token={token}", "bench-lab"
        ),
        sync_playwright() as p,
    ):
        browser = p.chromium.launch(executable_path=bc.CHROMIUM, headless=True, args=bc.LAUNCH_ARGS)
        page = browser.new_page(viewport={"width": 1400, "height": 1000})
        page.set_default_timeout(60_000)
        page.goto(server.url(lab_path("bench.ipynb")))
        run_all(page)
        page.locator(".bare-feedback").wait_for(state="attached", timeout=120_000)
        page.locator(".JCResponses, .Quiz").first.wait_for(state="attached")
        failures: dict[str, str] = {}
        for name, measure in [
            ("srmquiz_single", _single),
            ("srmquiz_check", _check),
            ("jupyterquiz", _jupyterquiz),
            ("kernel_round_trip", _bare),
        ]:
            try:  # one tool failing is reported, and the others are still measured
                results[name] = measure(page, samples)
            except Exception as exc:
                OUT.mkdir(exist_ok=True)
                page.screenshot(path=str(OUT / f"bench-failure-{name}.png"))
                failures[name] = str(exc).splitlines()[0]
        browser.close()
    out: dict[str, Any] = {f"{k}_failed": v for k, v in failures.items()}
    for name, values in results.items():
        out[f"{name}_n"] = len(values)
        out[f"{name}_p50_ms"] = round(pct(values, 50), 1)
        out[f"{name}_p95_ms"] = round(pct(values, 95), 1)
    return out


# A learner reads a new question before clicking; without this pause the click would
# land while the browser is still drawing the question that just arrived.
READING_MS = 300


def _latency(page, click, watch) -> float:  # type: ignore[no-untyped-def]
    return float(page.evaluate(LATENCY_JS, [click.element_handle(), watch.element_handle()]))


def _press_next(quiz, answered: int) -> None:  # type: ignore[no-untyped-def]
    """Next (or Finish on the last question) once the kernel has counted `answered` answers.

    Pressing it earlier races the answer to the kernel, as a learner never does.
    """
    import re

    counted = re.compile(rf"Score: \d+ of {answered}$")
    quiz.locator(".widget-label", has_text=counted).wait_for()
    quiz.locator("button", has_text="Next").or_(
        quiz.locator("button", has_text="Finish")
    ).first.click()


def _single(page, samples: int) -> list[float]:  # type: ignore[no-untyped-def]
    quiz = page.locator(".srmquiz", has_text="srmquiz single choice").first
    out = []
    for i in range(min(samples, 60)):
        quiz.locator(".widget-label", has_text=f"Question {i + 1} of 60").wait_for()
        page.wait_for_timeout(READING_MS)
        view_stack = quiz.locator(".srmq-feedback").first
        choice = quiz.locator("button.widget-toggle-button").first
        choice.scroll_into_view_if_needed()
        out.append(_latency(page, choice, view_stack))
        quiz.locator(".srmq-verdict:visible").first.wait_for()
        _press_next(quiz, i + 1)
    return out


def _check(page, samples: int) -> list[float]:  # type: ignore[no-untyped-def]
    out: list[float] = []
    for k in range(3):
        quiz = page.locator(".srmquiz", has_text=f"srmquiz check {k}").first
        total = int(
            quiz.locator(".widget-label", has_text="Question 1 of").inner_text().split()[-1]
        )
        for i in range(total):
            if len(out) >= samples:
                return out
            quiz.locator(".widget-label", has_text=f"Question {i + 1} of {total}").wait_for()
            page.wait_for_timeout(READING_MS)
            boxes = quiz.locator(".widget-checkbox input")
            if boxes.count() == 0:  # a one-answer compare question: not a Check button
                quiz.locator("button.widget-toggle-button").first.click()
                quiz.locator(".srmq-verdict:visible").first.wait_for()
                _press_next(quiz, i + 1)
                continue
            box = boxes.first
            box.scroll_into_view_if_needed()
            box.check()
            page.wait_for_timeout(60)  # the checkbox state reaches the kernel first
            check = quiz.locator("button", has_text="Check").first
            out.append(_latency(page, check, quiz.locator(".srmq-multi-feedback").first))
            quiz.locator(".srmq-verdict:visible").first.wait_for()
            _press_next(quiz, i + 1)
    return out


def _jupyterquiz(page, samples: int) -> list[float]:  # type: ignore[no-untyped-def]
    labels = page.locator("label.MCButton")
    labels.first.wait_for()
    wraps = page.locator(".Quiz")
    n = wraps.count()
    out = []
    for i in range(samples):
        wrap = wraps.nth(i % n)
        options = wrap.locator("label.MCButton")
        option = options.nth((i // n) % options.count())
        option.scroll_into_view_if_needed()
        out.append(_latency(page, option, wrap.locator(".Feedback, [id^=fb]").first))
    return out


def _bare(page, samples: int) -> list[float]:  # type: ignore[no-untyped-def]
    buttons = page.locator(".bare-feedback").locator("xpath=..").locator("button")
    feedback = page.locator(".bare-feedback").first
    out = []
    for i in range(samples):
        button = buttons.nth(i % 3)
        button.scroll_into_view_if_needed()
        out.append(_latency(page, button, feedback))
        page.wait_for_timeout(30)
    return out


# -- report --------------------------------------------------------------------------
ROWS = [
    ("import srmquiz (ms)", "import_ms", "import_ms"),
    ("matplotlib imported by `import srmquiz`", "matplotlib_imported", None),
    ("bank, shipped matrix (ms)", "bank_shipped_ms", None),
    ("bank, 50 services × 30 layers (s)", "bank_50x30_s", None),
    ("bank, 100 services × 30 layers (s)", "bank_100x30_s", None),
    ("bank, 200 services × 30 layers (s)", "bank_200x30_s", "bank_200x30_s"),
    ("bank growth is linear", "bank_growth_linear", None),
    ("build a 10-question quiz, cold (ms)", "quiz_build_cold_ms", None),
    ("build a 10-question quiz, warm (ms)", "quiz_build_warm_ms", None),
    ("feedback picture, cold (ms)", "picture_cold_ms", None),
    ("feedback picture, cached (ms)", "picture_cached_ms", None),
    ("memory growth, questions 20→200 (MB)", "rss_growth_20_to_200_mb", None),
    ("memory growth, questions 100→200 (MB)", "rss_growth_100_to_200_mb", None),
    ("srmquiz single choice click→feedback p50 (ms)", "srmquiz_single_p50_ms", None),
    (
        "srmquiz single choice click→feedback p95 (ms)",
        "srmquiz_single_p95_ms",
        "single_choice_p95_ms",
    ),
    ("srmquiz Check button click→feedback p50 (ms)", "srmquiz_check_p50_ms", None),
    ("srmquiz Check button click→feedback p95 (ms)", "srmquiz_check_p95_ms", "check_button_p95_ms"),
    ("jupyterquiz click→feedback p50 (ms)", "jupyterquiz_p50_ms", None),
    ("jupyterquiz click→feedback p95 (ms)", "jupyterquiz_p95_ms", None),
    ("bare ipywidgets kernel callback p50 (ms)", "kernel_round_trip_p50_ms", None),
    ("bare ipywidgets kernel callback p95 (ms)", "kernel_round_trip_p95_ms", None),
]


def report(results: dict[str, Any]) -> str:
    lines = [f"{'measure':<52} {'value':>10}  target"]
    for label, key, target in ROWS:
        if key not in results:
            continue
        value = results[key]
        goal = ""
        if target:
            limit = TARGETS[target]
            goal = f"≤ {limit:g}  {'met' if value <= limit else 'MISSED'}"
        elif key == "matplotlib_imported":
            goal = "no  " + ("met" if not value else "MISSED")
        lines.append(f"{label:<52} {value!s:>10}  {goal}")
    for key, value in results.items():
        if key.startswith("notebook_"):
            lines.append(f"{'execute ' + key[9:-2] + '.ipynb (s)':<52} {value!s:>10}")
    for key, value in results.items():
        if key.endswith("_failed"):
            lines.append(f"{key[:-7]}: FAILED ({value}); see bench-output/")
    if "browser_skipped" in results:
        lines.append(f"browser: skipped ({results['browser_skipped']})")
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="fewer sizes and samples")
    parser.add_argument("--no-browser", action="store_true", help="skip the browser part")
    parser.add_argument("--only", metavar="STEP", help="run one step: import, bank, quiz, ...")
    args = parser.parse_args(argv)
    os.environ.setdefault("SRMQUIZ_DB", str(Path(tempfile.mkdtemp()) / "bench.sqlite3"))
    results: dict[str, Any] = {
        "python": platform.python_version(),
        "machine": f"{platform.machine()}, {os.cpu_count()} cores",
        "when": time.strftime("%Y-%m-%d %H:%M"),
    }
    steps = [
        ("import", bench_import),
        ("bank", lambda: bench_bank(args.quick)),
        ("quiz and pictures", bench_quiz_and_pictures),
        ("memory", bench_memory),
        ("notebooks", bench_notebooks),
    ]
    if not args.no_browser:
        steps.append(("browser", lambda: bench_browser(20 if args.quick else 60)))
    for name, step in steps:
        if args.only and not name.startswith(args.only):
            continue
        print(f"… {name}", file=sys.stderr, flush=True)
        results.update(step())
    OUT.mkdir(exist_ok=True)
    (OUT / "bench.json").write_text(json.dumps(results, indent=2) + "\n")
    print(report(results))
    print(f"\nwrote {OUT / 'bench.json'}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
