"""Real-browser fixtures: Debian's chromium driven by Playwright against local servers.

Skipped, with one line saying why, where chromium or Playwright is missing.
"""

from __future__ import annotations

import os
import secrets
import shutil
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

ROOT = Path(__file__).parents[2]
SHIPPED_CONTENT = ROOT / "content"
CHROMIUM = os.environ.get("SRMQUIZ_CHROMIUM", "/usr/bin/chromium")
OUTPUT = ROOT / "test-output"
LAUNCH_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
OVERRIDES = (
    '{"@jupyterlab/apputils-extension:notification": {"fetchNews": "false", '
    '"checkForUpdates": false}, "@jupyterlab/notebook-extension:tracker": '
    '{"windowingMode": "none"}}'
)


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    reason = None
    if not Path(CHROMIUM).exists():
        reason = (
            f"browser tests skipped: no chromium at {CHROMIUM} "
            "(run `make test` as root to apt-get it, or `apt-get install chromium`)"
        )
    else:
        try:
            import playwright.sync_api  # noqa: F401
        except ImportError:
            reason = "browser tests skipped: playwright not installed (pip install -e '.[test]')"
    for item in items:
        if "tests/browser" in str(item.fspath):
            item.add_marker(pytest.mark.browser)
            if reason:
                item.add_marker(pytest.mark.skip(reason=reason))


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def wait_http(url: str, proc: subprocess.Popen[bytes], log: Path, timeout: float = 60) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise RuntimeError(f"server exited ({proc.returncode}); see {log}")
        try:
            with urllib.request.urlopen(url, timeout=2) as r:
                if r.status == 200:
                    return
        except OSError:
            time.sleep(0.3)
    raise RuntimeError(f"server not ready after {timeout}s: {url}; see {log}")


@dataclass
class Server:
    base: str
    token: str
    root: Path

    def url(self, path: str) -> str:
        sep = "&" if "?" in path else "?"
        return f"{self.base}{path}{sep}token={self.token}"


def _copy_notebooks() -> Path:
    root = Path(tempfile.mkdtemp(prefix="srmquiz-nb-"))
    for nb in (ROOT / "notebooks").glob("*.ipynb"):
        shutil.copy(nb, root / nb.name)
    return root


def start_server(args: list[str], ready: str, name: str) -> Iterator[subprocess.Popen[bytes]]:
    OUTPUT.mkdir(exist_ok=True)
    log = OUTPUT / f"{name}.log"
    with open(log, "wb") as fh:
        proc = subprocess.Popen(args, stdout=fh, stderr=subprocess.STDOUT, cwd=ROOT)
        try:
            wait_http(ready, proc, log)
            yield proc
        finally:
            proc.terminate()
            try:
                proc.wait(10)
            except subprocess.TimeoutExpired:
                proc.kill()


@pytest.fixture(scope="session")
def jupyter_server() -> Iterator[Server]:
    """JupyterLab (which also serves Notebook 7) on a free port, with a token."""
    port, token = free_port(), secrets.token_hex(16)
    root = _copy_notebooks()
    settings = Path(tempfile.mkdtemp(prefix="srmquiz-lab-"))
    (settings / "app").mkdir()
    (settings / "app" / "overrides.json").write_text(OVERRIDES)
    args = [
        sys.executable,
        "-m",
        "jupyter",
        "lab",
        "--no-browser",
        "--allow-root",
        "--ip=127.0.0.1",
        f"--port={port}",
        f"--IdentityProvider.token={token}",
        f"--ServerApp.root_dir={root}",
        f"--LabApp.workspaces_dir={settings / 'ws'}",
        f"--LabApp.user_settings_dir={settings / 'user'}",
        f"--LabApp.app_settings_dir={settings / 'app'}",
        "--LabApp.news_url=None",
        "--LabApp.check_for_updates_class=jupyterlab.NeverCheckForUpdate",
    ]
    base = f"http://127.0.0.1:{port}"
    yield from (
        Server(base, token, root)
        for _ in start_server(args, f"{base}/api/status?token={token}", "jupyterlab")
    )
    shutil.rmtree(root, ignore_errors=True)
    shutil.rmtree(settings, ignore_errors=True)


@pytest.fixture(scope="session")
def voila_server() -> Iterator[Server]:
    """Voila serving the notebooks folder (no code cells shown).

    Started in the checkout's top folder, as the README starts it, so Voila reads the
    repository's voila.json there: cells tagged ``jupyter-only`` are dropped."""
    port = free_port()
    root = _copy_notebooks()
    args = [
        sys.executable,
        "-m",
        "voila",
        str(root),  # the folder: every notebook at /voila/render/NAME
        "--no-browser",
        f"--port={port}",
        "--Voila.ip=127.0.0.1",
        "--show_tracebacks=True",
    ]
    base = f"http://127.0.0.1:{port}"
    # Every GET of the page starts a kernel: probe a static file for readiness.
    yield from (
        Server(base, "", root)
        for _ in start_server(args, f"{base}/voila/templates/lab/static/voila.js", "voila")
    )
    shutil.rmtree(root, ignore_errors=True)


@pytest.fixture(scope="session")
def browser():
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        b = p.chromium.launch(executable_path=CHROMIUM, headless=True, args=LAUNCH_ARGS)
        yield b
        b.close()


@pytest.fixture
def page(browser, request):
    context = browser.new_context(viewport={"width": 1400, "height": 1000})
    pg = context.new_page()
    pg.set_default_timeout(30_000)
    yield pg
    failed = getattr(request.node, "rep_call", None)
    if failed is not None and failed.failed:
        OUTPUT.mkdir(exist_ok=True)
        pg.screenshot(path=str(OUTPUT / f"{request.node.name}.png"), full_page=True)
    context.close()


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_makereport(item, call):
    outcome = yield
    rep = outcome.get_result()
    setattr(item, f"rep_{rep.when}", rep)


def when_still(locator, *, settle_ms: int = 150, timeout_s: float = 15):
    """The locator, once its element has stopped moving (same box twice, `settle_ms` apart).

    A widget's children render one by one, each replacing a placeholder, so a button can
    still move while the rest of its quiz appears; a click in that moment lands beside it
    (what a person would see as the button jumping away). Wait until it stays put.
    """
    deadline = time.monotonic() + timeout_s
    locator.wait_for()
    before = locator.bounding_box()
    while time.monotonic() < deadline:
        locator.page.wait_for_timeout(settle_ms)
        now = locator.bounding_box()
        if now == before:
            return locator
        before = now
    raise AssertionError(f"{locator} kept moving for {timeout_s} s")
