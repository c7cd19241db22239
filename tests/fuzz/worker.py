"""The fuzz worker: runs the product on one case at a time and reports what went wrong.

Started by :mod:`tests.fuzz.runner` as ``python -m tests.fuzz.worker``, reused across
cases. It caps its own address space (``SRMQUIZ_FUZZ_AS`` bytes, default 1.5 GB), warms up
(imports, one drawing) and says ``{"ready": true}``; then it reads one JSON request per
line on stdin and answers one JSON line ``{"failures": [...], "accepted": bool}`` on the
protocol pipe (its original stdout; the product's own prints go to stderr). A case that
does not answer in time is the runner's to kill.

What is a failure, per kind of case:

- everywhere: an exception other than the documented error of the entry point
  (``traceback``), a MemoryError (``memory``), an error, skip or notice line that spans
  lines, holds control characters or runs past :data:`MAX_LINE` characters;
- content: ``srmquiz validate DIR`` (exit code 1, no traceback), ``validate(DIR)``,
  ``load_matrix(DIR)``, then ``generate`` and one stack drawing when it loads; an
  ``invalid`` case accepted, a ``valid`` one refused;
- results: ``collect([DIR])`` must never raise, keep both genuine files, keep no
  ``invalid`` file (nor a ``suspect`` one without a line naming it), and its table, CSV
  and JSON must be safe (no forged rows or escape sequences; no formula cells);
- db: ``Store(path)`` and ``quiz()``, ``history()``, ``review()`` on it: the quiz always
  starts, every message is one line, and the bytes of an unreadable file survive.
"""

from __future__ import annotations

import contextlib
import csv
import hashlib
import html
import io
import json
import os
import re
import resource
import sqlite3
import sys
import traceback
import unicodedata
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any, TypeVar

MAX_LINE = 500
"""Longest acceptable message line, once the case folder's path is written as <dir>: room
for a path and a list of valid ids, none for a repeated multi-megabyte value."""
DEFAULT_AS = 1536 * 2**20
FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
"""A CSV cell starting with one of these is a formula in spreadsheets."""
T = TypeVar("T")


def bad_chars(text: str, allow: str = "") -> list[str]:
    """Control and line-separator characters in text (except those allowed), escaped."""
    found = {
        c
        for c in text
        if c not in allow and (unicodedata.category(c) == "Cc" or c in "\u2028\u2029\u0085")
    }
    return sorted(repr(c) for c in found)


class Report:
    """The failures of one case."""

    def __init__(self, request: dict[str, Any]) -> None:
        self.request = request
        self.folder = str(Path(request.get("dir") or request.get("db") or "/").parent)
        self.failures: list[dict[str, str]] = []
        self.accepted = False

    def shown(self, text: str, limit: int = 160) -> str:
        """Text for the report: the case folder as <dir>, escaped, shortened."""
        text = text.replace(self.folder, "<dir>")
        text = text.encode("unicode_escape").decode("ascii") if bad_chars(text) else text
        return text if len(text) <= limit else text[: limit - 1] + "…"

    def fail(self, kind: str, detail: str) -> None:
        """Record one failure (kinds: see tests.fuzz.runner.SEVERITY)."""
        self.failures.append({"kind": kind, "detail": self.shown(detail)})

    def lines(self, where: str, lines: list[str]) -> None:
        """Every message must be one short line without control characters."""
        for line in lines:
            if "\n" in line or "\r" in line:
                self.fail("multi-line message", f"{where}: {line.count(chr(10)) + 1} lines: {line}")
            elif bad_chars(line):
                self.fail("control characters", f"{where}: {', '.join(bad_chars(line))}: {line}")
            if len(line.replace(self.folder, "<dir>")) > MAX_LINE:
                self.fail("long message", f"{where}: {len(line):,} characters: {line}")

    def guard(
        self, where: str, fn: Callable[[], T], allowed: tuple[type[BaseException], ...] = ()
    ) -> T | None:
        """fn(), or None when it raised: an allowed exception is re-raised for the caller,
        MemoryError is a ``memory`` failure, anything else a ``traceback``."""
        try:
            return fn()
        except allowed:
            raise
        except MemoryError:
            self.fail("memory", f"{where}: MemoryError")
        except Exception as exc:
            self.fail("traceback", f"{where}: {describe(exc)}")
        return None


def describe(exc: BaseException) -> str:
    """'Type: first line of the message (file:line of the innermost srmquiz frame)'."""
    first = next((line.strip() for line in str(exc).splitlines() if line.strip()), "")
    frames = [f for f in traceback.extract_tb(exc.__traceback__) if "srmquiz" in f.filename]
    where = ""
    if frames:
        f = frames[-1]
        where = f" at {f.filename.split('srmquiz/')[-1]}:{f.lineno}"
    return f"{type(exc).__name__}: {first[:100]}{where}"


# -- content ------------------------------------------------------------------------
def run_content(req: dict[str, Any], rep: Report) -> None:
    """srmquiz validate, validate(), load_matrix(), generate() and a drawing."""
    from srmquiz.cli import main as cli
    from srmquiz.core.bank import generate
    from srmquiz.data.content import ContentError, load_matrix, validate
    from srmquiz.draw.stacks import stack_png

    folder = req["dir"]
    out, err = io.StringIO(), io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        rc = rep.guard("srmquiz validate", lambda: cli(["validate", folder]))
    printed = out.getvalue() + err.getvalue()
    if "Traceback" in printed:
        rep.fail("traceback", f"srmquiz validate printed a traceback: {printed[-120:]}")
    if rc not in (0, 1, None):
        rep.fail("traceback", f"srmquiz validate exited {rc} (expected 0 or 1)")
    problems = rep.guard("validate()", lambda: validate(folder)) or []
    rep.lines("validate", problems)
    matrix = None
    try:
        matrix = rep.guard("load_matrix", lambda: load_matrix(folder), (ContentError,))
    except ContentError as exc:
        rep.lines("load_matrix", exc.problems)
    expect = req["expect"]
    loader_counts = not req.get("walkthrough_only")
    rep.accepted = rc == 0 and (matrix is not None or not loader_counts)
    if expect == "invalid":
        who = [
            name
            for name, ok in (
                ("validate", rc == 0),
                ("load_matrix", matrix is not None and loader_counts),
            )
            if ok
        ]
        if who:
            rep.fail("silently accepted", f"{' and '.join(who)} accepted it")
    if expect == "valid" and (rc != 0 or matrix is None):
        first = problems[0] if problems else printed.strip()[:120]
        rep.fail("valid refused", first)
    if matrix is None:
        return
    bank = rep.guard("generate", lambda: generate(matrix, seed=0))
    if bank is not None and not bank:
        rep.fail("traceback", "generate made no questions from content that loads")
    if req.get("draw") and matrix.service_ids:
        sid, lid = matrix.service_ids[0], matrix.layer_ids[:1]
        rep.guard("stack_png", lambda: stack_png(matrix, sid, lid))


# -- result files -------------------------------------------------------------------
SHIPPED_MATRIX: Any = None


def run_results(req: dict[str, Any], rep: Report) -> None:
    """collect() a folder with two genuine files and a hostile one; its three outputs."""
    from srmquiz.data.results import collect

    folder, hostile = req["dir"], req["hostile"]
    col = rep.guard("collect", lambda: collect([folder], matrix=SHIPPED_MATRIX))
    if col is None:
        return
    rep.lines("skipped", list(col.skipped))
    rep.lines("note", list(col.notes))
    kept = dict(zip(col.sources, col.results, strict=True))
    rep.accepted = hostile in kept
    said = [line for line in (*col.skipped, *col.notes) if Path(hostile).name in line]
    if hostile in kept:
        doc = kept[hostile]
        what = f"kept as {doc.learner!r} {doc.score}/{doc.total}"
        if req["expect"] == "invalid" or (req["expect"] == "suspect" and not said):
            rep.fail("silently accepted", what)
    for path, (learner, score) in req["genuine"].items():
        if path in kept:
            if kept[path].score != score:
                rep.fail("genuine lost", f"{learner}: score {kept[path].score}, not {score}")
        elif not req.get("conflict"):
            why = next((s for s in col.skipped if Path(path).name in s), "not listed")
            if not kept_better(why, path, col.notes):
                rep.fail("genuine lost", f"{learner}'s genuine file set aside: {why}")
    check_outputs(col, rep)
    if req.get("dashboard"):
        from srmquiz.notebook import dashboard

        shown = rep.guard("dashboard()", lambda: dashboard([folder], content=None))
        lines = error_lines(shown)
        if lines is not None:
            rep.fail("dashboard refused", "; ".join(lines))


KEPT_OVER = re.compile(r"kept .+ \((\d+)/\d+\) over this one \((\d+)/\d+\)")


def kept_better(why: str, path: str, notes: Sequence[str]) -> bool:
    """True when a genuine file was set aside the way the README promises it may be: for a
    result under the same (or a look-alike) name that scores at least as well, with a note
    naming the genuine file so the instructor checks with the learner."""
    match = KEPT_OVER.search(why)
    if match is None or int(match.group(1)) < int(match.group(2)):
        return False
    return any(Path(path).name in note for note in notes)


def check_outputs(col: Any, rep: Report) -> None:
    """to_table() has only its own lines; to_csv() no formula cells; to_json() parses."""
    table = rep.guard("to_table", col.to_table)
    if table is not None:
        extra = sum(s.count("\n") for s in (*col.skipped, *col.notes))
        want = 2 + len(col.found) + bool(col.found) + len(col.skipped) + len(col.notes) + extra
        got = table.count("\n") + 1
        if got != want:
            rep.fail("unsafe output", f"to_table: {got} lines, not {want}: a name broke a row")
        chars = bad_chars(table, allow="\n")
        if chars:
            rep.fail("unsafe output", f"to_table: control characters {', '.join(chars)}")
    text = rep.guard("to_csv", col.to_csv)
    if text is not None:
        try:
            rows = list(csv.reader(io.StringIO(text, newline="")))
        except csv.Error as exc:
            rep.fail("unsafe output", f"to_csv: a spreadsheet cannot read it back: {exc}")
            rows = [[]] * (1 + len(col.found))
        if len(rows) != 1 + len(col.found):
            rep.fail("unsafe output", f"to_csv: {len(rows)} rows for {len(col.found)} results")
        cells = [c for row in rows[1:] for c in row if c.startswith(FORMULA_START)]
        if cells:
            rep.fail("unsafe output", f"to_csv: formula cell {cells[0]!r}")
    dumped = rep.guard("to_json", col.to_json)
    if dumped is not None:
        rep.guard("to_json parses", lambda: json.loads(dumped))


def error_lines(widget: Any) -> list[str] | None:
    """The lines of an entry point's error widget, or None when it is another widget."""
    value = getattr(widget, "value", None)
    if widget is None or not isinstance(value, str) or "srmq-error" not in value:
        return None
    return [html.unescape(m) for m in re.findall(r"<div>(.*?)</div>", value, re.DOTALL)]


# -- progress databases ---------------------------------------------------------------
def run_db(req: dict[str, Any], rep: Report) -> None:
    """Store(path), then quiz(), history() and review() on it."""
    import time

    from srmquiz.core.review import Attempt
    from srmquiz.data.progress import ProgressError, Store
    from srmquiz.notebook import history, quiz, review

    path = req["db"]

    def use_store() -> None:
        try:
            with Store(path) as store:
                rep.lines("Store notice", [store.notice] if store.notice else [])
                store.record(Attempt("fuzz", "owner:ec2:guest-os", ("AWS",), False, time.time()))
                store.attempts("fuzz")
                store.boxes("fuzz")
                store.results()
        except ProgressError as exc:
            rep.lines("ProgressError", [str(exc)])

    rep.guard("Store", use_store)
    for name, call in (
        ("quiz()", lambda: quiz(n=2, seed=1, db=path, kinds=["owner"])),
        ("history()", lambda: history(db=path)),
        ("review()", lambda: review(n=2, db=path)),
    ):
        shown = rep.guard(name, call)
        lines = error_lines(shown)
        if lines is not None:
            rep.lines(name, lines)
            if name == "quiz()":
                rep.fail("quiz did not start", "; ".join(lines))
    if req.get("preserve") and not preserved(Path(path), req["preserve"]):
        rep.fail("user file lost", "the unreadable file was deleted or overwritten")


def preserved(path: Path, digest: str) -> bool:
    """The user's file survives: byte for byte somewhere in its folder (moved aside), or
    still in use at its path with its old answers (readable enough to be kept)."""
    for p in path.parent.rglob("*"):
        if (
            p.is_file()
            and not p.is_symlink()
            and hashlib.sha256(p.read_bytes()).hexdigest() == digest
        ):
            return True
    try:
        conn = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
        try:
            old = "SELECT count(*) FROM attempts WHERE question_id LIKE 'owner:ec2:layer-%'"
            return bool(conn.execute(old).fetchone()[0])
        finally:
            conn.close()
    except sqlite3.Error:
        return False


HANDLERS = {"content": run_content, "results": run_results, "db": run_db}


def warm_up() -> None:
    """Import everything and draw once, so the first case's time limit is not spent on it."""
    global SHIPPED_MATRIX
    import srmquiz.draw.charts  # noqa: F401  (history's heatmap, for cases run as 'nobody')
    import srmquiz.notebook  # noqa: F401  (ipywidgets, the entry points)
    from srmquiz.data.content import load_matrix
    from srmquiz.draw.stacks import stack_png

    SHIPPED_MATRIX = load_matrix()
    stack_png(SHIPPED_MATRIX, SHIPPED_MATRIX.service_ids[0])


def main() -> None:
    """Serve requests until stdin closes."""
    limit = int(os.environ.get("SRMQUIZ_FUZZ_AS", DEFAULT_AS))
    csv.field_size_limit(2**31 - 1)  # huge names must be read back, not refused by csv
    resource.setrlimit(resource.RLIMIT_AS, (limit, limit))
    proto = os.fdopen(os.dup(1), "w", encoding="utf-8")
    os.dup2(2, 1)  # the product's prints must not mix with the protocol
    sys.stdout = sys.stderr
    warm_up()
    proto.write(json.dumps({"ready": True}) + "\n")
    proto.flush()
    import ipywidgets

    for line in sys.stdin:
        req = json.loads(line)
        rep = Report(req)
        if req.get("as_nobody"):
            as_nobody(req, rep)
        else:
            handle(req, rep)
        ipywidgets.Widget.close_all()
        proto.write(json.dumps({"failures": rep.failures, "accepted": rep.accepted}) + "\n")
        proto.flush()


def handle(req: dict[str, Any], rep: Report) -> None:
    """Run one request's checks into rep; a bug in the harness is a failure too."""
    try:
        HANDLERS[req["kind"]](req, rep)
    except MemoryError:
        rep.fail("memory", "MemoryError in the harness")
    except Exception as exc:
        rep.fail("traceback", f"harness: {describe(exc)}")


def as_nobody(req: dict[str, Any], rep: Report) -> None:
    """handle() in a forked child that has dropped to the user 'nobody', for the cases about
    file modes (root ignores them). Everything it needs is imported already (warm_up): the
    child could not read root's interpreter files."""
    import pwd

    nobody = pwd.getpwnam("nobody")
    read, write = os.pipe()
    pid = os.fork()
    if pid == 0:  # pragma: no cover - the child reports through the pipe
        os.close(read)
        child = Report(req)
        try:
            os.setgroups([])
            os.setgid(nobody.pw_gid)
            os.setuid(nobody.pw_uid)
            handle(req, child)
        finally:
            with os.fdopen(write, "w") as f:
                f.write(json.dumps({"failures": child.failures, "accepted": child.accepted}))
            os._exit(0)
    os.close(write)
    with os.fdopen(read) as f:
        text = f.read()
    os.waitpid(pid, 0)
    got = json.loads(text) if text else {"failures": [], "accepted": False}
    if not text:
        rep.fail("traceback", "the case run as 'nobody' died without a report")
    rep.failures.extend(got["failures"])
    rep.accepted = got["accepted"]


if __name__ == "__main__":
    main()
