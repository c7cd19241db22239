"""Run fuzz cases in worker subprocesses and summarize them like the reliability review.

Each worker (:mod:`tests.fuzz.worker`) is reused across cases. A case that does not
answer within the time limit is a ``hang``: the worker is killed and a new one started;
a worker that dies (the kernel's OOM killer, a crash in C) is ``memory`` or ``crash``.
Every case is built in its own folder under one temporary directory, which is removed
at the end; the workers run there, with ``SRMQUIZ_DB`` pointing into it.
"""

from __future__ import annotations

import json
import os
import pwd
import queue
import select
import signal
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from tests.fuzz.cases import Case, remove_tree

ROOT = Path(__file__).parents[2]
SEVERITY = (
    "hang",
    "memory",
    "crash",
    "traceback",
    "silently accepted",
    "user file lost",
    "genuine lost",
    "quiz did not start",
    "dashboard refused",
    "unsafe output",
    "multi-line message",
    "long message",
    "control characters",
    "valid refused",
)
"""Failure kinds, worst first (the order the summary names them and picks examples)."""
TITLES = {
    "content": "1 Content fuzzing",
    "db": "3a Broken progress DB",
    "results": "4 Result files and `results collect`",
}
TOOLS = {
    "content": "folders × (`srmquiz validate`, `load_matrix` + `generate` + a drawing)",
    "db": "databases × (`Store`, `quiz()`, `history()`, `review()`)",
    "results": "files × (`collect` + table/CSV/JSON, some `dashboard()`)",
}
READY_TIMEOUT_S = 120.0
"""How long a new worker may take to import everything and draw once."""


@dataclass
class Outcome:
    """What happened to one case."""

    case: Case
    failures: list[dict[str, str]] = field(default_factory=list)
    accepted: bool = False
    seconds: float = 0.0
    skipped: str = ""
    """Why the case was not run (e.g. file modes mean nothing to root)."""


class Worker:
    """One worker subprocess: started, fed one case at a time, killed and restarted."""

    def __init__(self, home: Path, memory_bytes: int) -> None:
        self.home = home
        self.env = {
            **os.environ,
            "PYTHONPATH": str(ROOT),
            "SRMQUIZ_DB": str(home / "default-progress.sqlite3"),
            "SRMQUIZ_LEARNER": "fuzz",
            "SRMQUIZ_FUZZ_AS": str(memory_bytes),
            "OPENBLAS_NUM_THREADS": "1",
            "MPLBACKEND": "Agg",
        }
        self.env.pop("SRMQUIZ_CONTENT", None)
        self.proc: subprocess.Popen[bytes] | None = None
        self.log = home / f"worker-{id(self)}.log"

    def start(self) -> None:
        """Start the worker and wait until it is warm."""
        log = os.open(self.log, os.O_WRONLY | os.O_CREAT | os.O_APPEND)
        try:
            self.proc = subprocess.Popen(
                [sys.executable, "-m", "tests.fuzz.worker"],
                stdin=subprocess.PIPE,
                stdout=subprocess.PIPE,
                stderr=log,
                cwd=self.home,
                env=self.env,
            )
        finally:
            os.close(log)
        reply = self._read(READY_TIMEOUT_S)
        if not reply or not reply.get("ready"):
            raise RuntimeError(f"the fuzz worker did not start: {self.tail()}")

    def tail(self) -> str:
        """The end of the worker's stderr (why it did not start)."""
        return self.log.read_text(errors="replace")[-2000:] if self.log.exists() else ""

    def _read(self, timeout: float) -> dict[str, Any] | None:
        """One reply line, or None when none came in time or the worker died."""
        assert self.proc is not None and self.proc.stdout is not None
        ready, _, _ = select.select([self.proc.stdout], [], [], timeout)
        if not ready:
            return None
        line = self.proc.stdout.readline()
        return json.loads(line) if line else None

    def run(self, request: dict[str, Any], timeout: float) -> tuple[list[dict[str, str]], bool]:
        """(failures, accepted) for one request; a hang or a death restarts the worker."""
        if self.proc is None:
            self.start()
        assert self.proc is not None and self.proc.stdin is not None
        try:
            self.proc.stdin.write((json.dumps(request) + "\n").encode())
            self.proc.stdin.flush()
        except BrokenPipeError:
            pass
        reply = self._read(timeout)
        if reply is not None:
            failures = reply["failures"]
            if any(f["kind"] == "memory" for f in failures):
                self.stop()  # a fresh heap for the next case
            return failures, reply["accepted"]
        if self.proc.poll() is None:
            self.stop()
            return [{"kind": "hang", "detail": f"no answer within {timeout:g} s"}], False
        code = self.proc.returncode
        self.stop()
        if code == -signal.SIGKILL:
            return [{"kind": "memory", "detail": "worker killed (SIGKILL: out of memory)"}], False
        return [{"kind": "crash", "detail": f"worker died (exit code {code})"}], False

    def stop(self) -> None:
        """Kill the worker (if running); the next run starts a new one."""
        if self.proc is not None:
            if self.proc.poll() is None:
                self.proc.kill()
            self.proc.wait()
            for pipe in (self.proc.stdin, self.proc.stdout):
                if pipe is not None:
                    pipe.close()
            self.proc = None


@dataclass(frozen=True)
class Options:
    """How cases run: time limit, memory cap, workers, and the slower checks for all."""

    timeout: float = 10.0
    memory_bytes: int = 1536 * 2**20
    jobs: int = 2
    draw_all: bool = False
    """Draw a stack for every content case that loads (else only for label edits)."""
    dashboard_all: bool = False
    """Open the dashboard on every results case (else only where the review saw it fail)."""


def run_cases(cases: Sequence[Case], options: Options) -> list[Outcome]:
    """Run every case (in order of the list, results in the same order); never raises on
    a product failure. The temporary directory is removed before returning."""
    outcomes: list[Outcome | None] = [None] * len(cases)
    todo: queue.Queue[int] = queue.Queue()
    for i in range(len(cases)):
        todo.put(i)
    as_root = os.geteuid() == 0
    errors: list[BaseException] = []
    home = Path(tempfile.mkdtemp(prefix="srmquiz-fuzz-"))
    home.chmod(0o755)  # cases run as 'nobody' must reach their folder
    try:

        def serve() -> None:
            worker = Worker(home, options.memory_bytes)
            try:
                while True:
                    try:
                        i = todo.get_nowait()
                    except queue.Empty:
                        return
                    outcomes[i] = run_one(worker, cases[i], home / f"case-{i}", options, as_root)
            except BaseException as exc:  # a bug in the harness: re-raised below
                errors.append(exc)
            finally:
                worker.stop()

        threads = [threading.Thread(target=serve) for _ in range(max(1, options.jobs))]
        for t in threads:
            t.start()
        for t in threads:
            t.join()
        if errors:
            raise errors[0]
    finally:
        remove_tree(home)
    return [o for o in outcomes if o is not None]


def nobody_uid() -> int | None:
    """The uid of 'nobody', or None when this system has no such user."""
    try:
        return pwd.getpwnam("nobody").pw_uid
    except KeyError:
        return None


def run_one(worker: Worker, case: Case, folder: Path, options: Options, as_root: bool) -> Outcome:
    """Build one case, run it, remove its folder."""
    if case.unprivileged and as_root and nobody_uid() is None:
        return Outcome(case, skipped="running as root, which ignores file modes, and no 'nobody'")
    folder.mkdir()
    try:
        request = case.build(folder)
        request.update(kind=case.kind, expect=case.expect)
        if case.unprivileged and as_root:
            request["as_nobody"] = True  # the worker runs it as a user file modes apply to
        if options.draw_all:
            request["draw"] = True
        if options.dashboard_all and case.kind == "results":
            request["dashboard"] = True
        start = time.monotonic()
        failures, accepted = worker.run(request, options.timeout)
        return Outcome(case, failures, accepted, time.monotonic() - start)
    finally:
        remove_tree(folder)


# -- the summary ----------------------------------------------------------------------
def failure_counts(outcomes: Iterable[Outcome]) -> dict[str, int]:
    """Cases per failure kind (a case counts once per kind), worst kind first."""
    counts: dict[str, int] = {}
    for o in outcomes:
        for kind in {f["kind"] for f in o.failures}:
            counts[kind] = counts.get(kind, 0) + 1
    return {k: counts[k] for k in sorted(counts, key=rank)}


def rank(kind: str) -> int:
    """Position of a failure kind in SEVERITY (unknown kinds last)."""
    return SEVERITY.index(kind) if kind in SEVERITY else len(SEVERITY)


def worst(outcomes: Iterable[Outcome]) -> str:
    """The worst failure's example: case label, kind and detail."""
    found = [(rank(f["kind"]), o.case.label, f) for o in outcomes for f in o.failures]
    if not found:
        return "none"
    _, label, f = min(found, key=lambda t: t[0])
    return f"{label} → {f['kind']}: {f['detail']}"


def counts_text(outcomes: Sequence[Outcome]) -> str:
    """'N cases: 3 traceback, 1 hang' or '0'."""
    failed = sum(1 for o in outcomes if o.failures)
    if not failed:
        return "0"
    kinds = ", ".join(f"{n} {k}" for k, n in failure_counts(outcomes).items())
    return f"{failed} case{'s' if failed != 1 else ''}: {kinds}"


def cell(text: str) -> str:
    """Text safe inside a Markdown table cell."""
    return text.replace("|", "\\|").replace("\n", " ")


def summary(outcomes: Sequence[Outcome]) -> str:
    """The review's table (test | tried | failures | worst example), then one row per family."""
    ran = [o for o in outcomes if not o.skipped]
    lines = ["| test | tried | failures | worst example |", "|---|---|---|---|"]
    for kind, title in TITLES.items():
        mine = [o for o in ran if o.case.kind == kind]
        if mine:
            tried = f"{len(mine):,} {TOOLS[kind]}"
            lines.append(f"| {title} | {tried} | {cell(counts_text(mine))} | {cell(worst(mine))} |")
    lines += ["", "| family | tried | failures | worst example |", "|---|---|---|---|"]
    families: dict[tuple[str, str], list[Outcome]] = {}
    for o in ran:
        families.setdefault((o.case.kind, o.case.family), []).append(o)
    for (kind, family), mine in families.items():
        lines.append(
            f"| {kind}: {cell(family)} | {len(mine)} | {cell(counts_text(mine))} "
            f"| {cell(worst(mine))} |"
        )
    skipped = [o for o in outcomes if o.skipped]
    if skipped:
        lines += ["", f"Not run: {len(skipped)} case(s), {skipped[0].skipped}:"]
        lines += [f"- {o.case.label}" for o in skipped]
    return "\n".join(lines)


def failure_lines(outcomes: Sequence[Outcome]) -> list[str]:
    """One line per failed case: kind: family: label: detail (for assertion messages)."""
    return [
        f"{f['kind']}: {o.case.kind}/{o.case.family}: {o.case.label}: {f['detail']}"
        for o in outcomes
        for f in sorted(o.failures, key=lambda f: rank(f["kind"]))[:1]
    ]
