"""The progress database when something is wrong with it: read-only folders and files, real
corruption, missing tables, another kernel's write lock, many kernels opening a new file,
and readers (history, live view, ``results collect``) that must never change a file.

Permission cases run as an unprivileged user (root ignores file modes): as root, the test
forks and the child drops to ``nobody`` before calling srmquiz; otherwise it runs directly.
"""

from __future__ import annotations

import html
import importlib
import json
import os
import pwd
import re
import shutil
import sqlite3
import subprocess
import sys
import tempfile
import time
import traceback
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import ipywidgets as widgets
import pytest

from srmquiz.core.review import Attempt
from srmquiz.data.progress import (
    MIGRATIONS,
    SCHEMA_VERSION,
    DatabaseBusy,
    ProgressError,
    Store,
)
from srmquiz.data.results import gather_database
from srmquiz.notebook import classroom, history, live_view, quiz, review
from srmquiz.widgets.classroom import Classroom
from srmquiz.widgets.quiz import Quiz
from tests.test_quiz import answer

ROOT = Path(__file__).parents[1]
CODE = "SRM-85ZW-KGKJ"


def attempt(qid: str, correct: bool, at: float, learner: str = "ana") -> Attempt:
    return Attempt(learner, qid, ("AWS",), correct, at)


def files_in(folder: Path) -> dict[str, tuple[bytes, int]]:
    """Every file in a folder with its bytes and mtime (what a read must not change)."""
    return {p.name: (p.read_bytes(), p.stat().st_mtime_ns) for p in sorted(folder.iterdir())}


def error_line(made: object) -> str:
    assert isinstance(made, widgets.HTML), made
    assert "srmquiz could not start" in made.value and "Traceback" not in made.value
    (line,) = [html.unescape(x.split("</div>")[0]) for x in made.value.split("<div>")[1:]]
    return line


def notice(made: Quiz) -> str:
    """The quiz's notice line as the learner reads it ("" when none)."""
    text = html.unescape(re.sub(r"<[^>]+>", "", made.notice.value))
    return text.removeprefix("⚠ Note: ")


# -- running as an unprivileged user ---------------------------------------------------
@pytest.fixture
def shared_tmp() -> Iterator[Path]:
    """A temporary folder the unprivileged user can reach (tmp_path's parents are 0700)."""
    folder = Path(tempfile.mkdtemp(prefix="srmquiz-hostile-"))
    folder.chmod(0o755)
    yield folder
    for p in [folder, *folder.rglob("*")]:
        if p.is_dir():
            p.chmod(0o755)
    shutil.rmtree(folder)


def unprivileged(fn: Callable[[], Any]) -> Any:
    """fn() run as a user file modes apply to; its result (JSON-able) or its error re-raised."""
    if os.geteuid() != 0:
        return fn()
    try:
        nobody = pwd.getpwnam("nobody")
    except KeyError:
        pytest.skip("running as root and there is no 'nobody' user to drop to")
    for name in ("matplotlib.pyplot", "srmquiz.draw.charts"):
        importlib.import_module(name)  # before the fork: the child cannot read root's files

    read, write = os.pipe()
    pid = os.fork()
    if pid == 0:  # pragma: no cover - the child reports through the pipe
        os.close(read)
        try:
            os.setgroups([])
            os.setgid(nobody.pw_gid)
            os.setuid(nobody.pw_uid)
            out = json.dumps({"ok": fn()})
        except BaseException as exc:  # shown in the parent's failure
            out = json.dumps(
                {"error": f"{type(exc).__name__}: {exc}", "tb": traceback.format_exc()}
            )
        with os.fdopen(write, "w") as f:
            f.write(out)
        os._exit(0)
    os.close(write)
    with os.fdopen(read) as f:
        got = json.loads(f.read() or '{"error": "the child said nothing", "tb": ""}')
    os.waitpid(pid, 0)
    if "error" in got:
        pytest.fail(f"as nobody: {got['error']}\n{got['tb']}")
    return got["ok"]


def saved_db(folder: Path, *, mode: int = 0o644) -> Path:
    """A valid progress database in folder with three answers, one wrong (closed cleanly)."""
    db = folder / "p.db"
    with Store(db) as s:
        s.record(attempt("owner:s3:iam", True, 1000.0))
        s.record(attempt("owner:s3:iam", True, 2000.0))
        s.record(attempt("owner:s3:hypervisor", False, 3000.0))
    assert not db.with_name("p.db-wal").exists()
    db.chmod(mode)
    return db


# -- read-only folders and files ------------------------------------------------------
def test_a_valid_database_in_a_read_only_folder_is_read_and_never_renamed(shared_tmp):
    folder = shared_tmp / "class"
    folder.mkdir()
    db = saved_db(folder)
    folder.chmod(0o555)
    before = files_in(folder)

    def as_learner() -> dict[str, Any]:
        made = quiz(["s3"], n=2, seed=1, db=db, learner="ana")
        assert isinstance(made, Quiz), getattr(made, "value", made)
        answer(made, right=True)  # the quiz runs on, saving nothing
        shown = history(learner="ana", db=db)
        again = review(["s3"], n=3, learner="ana", db=db)
        room = classroom(name="Ana", code=CODE, db=db, results_dir=str(shared_tmp / "out"))
        return {
            "quiz": notice(made),
            "history": shown.children[1].value,
            "review_first": again.questions[0].id if isinstance(again, Quiz) else repr(again),
            "review_title": again.title.value if isinstance(again, Quiz) else "",
            "classroom": type(room).__name__,
        }

    got = unprivileged(as_learner)
    assert got["quiz"] == f"{db}: cannot save here (read-only folder); answers are not being saved"
    assert "3 answers" in got["history"] and "2 right" in got["history"]  # still read
    assert got["review_first"] == "owner:s3:hypervisor"  # the missed one, from the boxes
    assert "2 due" in got["review_title"]
    assert got["classroom"] == Classroom.__name__
    assert files_in(folder) == before  # nothing renamed, nothing added


def test_a_read_only_folder_with_a_kernel_writing_reads_its_latest_answers(shared_tmp):
    """-wal and -shm exist (another kernel has the file open): read through them."""
    folder = shared_tmp / "class"
    folder.mkdir()
    db = saved_db(folder)
    writer = sqlite3.connect(db, isolation_level=None)
    writer.execute("PRAGMA wal_autocheckpoint = 0")
    Store(db).record(attempt("owner:s3:iam", True, 4000.0))  # only in the -wal for now
    for side in ("p.db-wal", "p.db-shm"):
        (folder / side).chmod(0o644)
    folder.chmod(0o555)
    try:
        got = unprivileged(lambda: history(learner="ana", db=db).children[1].value)
    finally:
        writer.close()
        folder.chmod(0o755)
    assert "4 answers" in got


def test_a_read_only_file_says_so_before_the_first_answer_and_leaves_no_side_files(shared_tmp):
    folder = shared_tmp / "mine"
    folder.mkdir()
    folder.chmod(0o777)  # the folder is writable, the file is not
    db = saved_db(folder, mode=0o444)
    before = files_in(folder)

    def as_learner() -> list[str]:
        made = quiz(["s3"], n=1, seed=1, db=db, learner="ana")
        first = notice(made)
        answer(made, right=True)
        return [first, notice(made), history(learner="ana", db=db).children[1].value]

    first, after, shown = unprivileged(as_learner)
    assert first == f"{db}: cannot save here (read-only file); answers are not being saved"
    assert after == first
    assert "3 answers" in shown
    assert files_in(folder) == before


def test_no_database_and_a_read_only_folder_is_one_line_and_the_quiz_runs(shared_tmp):
    folder = shared_tmp / "locked-away"
    folder.mkdir()
    folder.chmod(0o555)
    db = folder / "p.db"

    def as_learner() -> list[Any]:
        made = quiz(["s3"], n=1, seed=1, db=db)
        answer(made, right=True)
        empty = history(db=db).children[1].value
        return [notice(made), made.score, empty]

    line, score, empty = unprivileged(as_learner)
    assert line == f"{db}: cannot save here (read-only folder); answers are not being saved"
    assert score == 1 and "No answers kept yet" in empty
    assert list(folder.iterdir()) == []


def test_a_corrupt_file_in_a_read_only_folder_is_left_as_it_is_in_one_line(shared_tmp):
    folder = shared_tmp / "class"
    folder.mkdir()
    db = folder / "p.db"
    db.write_bytes(b"not a database\n" * 100)
    folder.chmod(0o555)
    before = files_in(folder)

    def as_learner() -> list[str]:
        return [notice(quiz(["s3"], n=1, seed=1, db=db)), error_line(history(db=db))]

    line, shown = unprivileged(as_learner)
    assert line.startswith(f"{db}: cannot save here (read-only folder); not a readable")
    assert line.endswith("left as it is; answers are not being saved")
    assert "\n" not in line and "Traceback" not in line
    assert shown.startswith(f"{db}: not a readable progress database (file is not a database)")
    assert files_in(folder) == before


def test_a_failed_rename_of_a_corrupt_file_is_one_line(tmp_path, monkeypatch):
    db = tmp_path / "p.db"
    db.write_bytes(b"not a database\n" * 100)

    def refuse(self: Path, target: object) -> Path:
        raise PermissionError(13, "Permission denied", str(self))

    monkeypatch.setattr(Path, "rename", refuse)
    made = quiz(["s3"], n=1, seed=1, db=db)
    assert isinstance(made, Quiz)
    assert notice(made) == (
        f"{db}: not a readable progress database (file is not a database); could not move "
        "it aside (Permission denied), left it as it is; answers are not being saved"
    )
    assert db.read_bytes() == b"not a database\n" * 100


# -- corruption and lost tables -------------------------------------------------------
def test_a_failed_quick_check_is_one_line_with_the_first_problem(tmp_path):
    db = tmp_path / "p.db"
    with Store(db) as s:
        for i in range(400):
            s.record(attempt(f"owner:ec2:q{i}", True, 1000.0 + i))
    conn = sqlite3.connect(db)
    conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    conn.close()
    data = bytearray(db.read_bytes())
    page = 4096  # the third page (a b-tree page of attempts) overwritten with noise
    data[2 * page : 3 * page] = bytes((i * 7) % 251 for i in range(page))
    db.write_bytes(bytes(data))
    made = quiz(["ec2"], n=1, seed=1, db=db, learner="ana")
    line = notice(made)
    assert "\n" not in line and "\\x0a" not in line
    assert "integrity check failed: Page 3: btreeInitPage() returns error code 11 and " in line
    assert line.endswith("more); kept it as " + line.split("kept it as ")[1])
    assert len(list(tmp_path.glob("p.db.corrupt-*"))) == 1
    answer(made, right=True)
    assert len(Store(db).attempts("ana")) == 1


@pytest.mark.parametrize("table", ["attempts", "boxes", "results"])
def test_a_missing_table_is_made_again_and_reading_it_is_one_line(tmp_path, table):
    db = tmp_path / "p.db"
    with Store(db) as s:
        s.record(attempt("owner:s3:iam", True, 1000.0))
        s.record(attempt("owner:s3:hypervisor", False, 2000.0))
        s.save_result("ana", CODE, {"x": 1})
        s.conn.execute(f"DROP TABLE {table}")
    # history only reads: one line when it needs the table, never a traceback
    shown = history(learner="ana", db=db)
    if table == "results":
        assert "2 answers" in shown.children[1].value
    else:
        assert error_line(shown) == (
            f"{db}: cannot read the progress database (no such table: {table}); not made "
            "again when only reading, a quiz that can save here does"
        )
    found, skipped = gather_database(db)
    if table == "results":
        assert found == [] and skipped == [
            f"{db}: cannot read the progress database (no such table: results); not made "
            "again when only reading, a quiz that can save here does"
        ]
    # review opens to save: the table is made again, boxes from the answers kept
    again = review(["s3"], n=3, learner="ana", db=db)
    assert isinstance(again, Quiz)
    expected = {
        "attempts": "attempts (empty)",
        "boxes": "boxes (rebuilt from 2 answers kept)",
        "results": "results (empty)",
    }[table]
    assert notice(again) == f"{db}: missing tables made again: {expected}"
    if table == "boxes":
        assert again.questions[0].id == "owner:s3:hypervisor"  # the rebuilt box says due
    assert "answers" in history(learner="ana", db=db).children[1].value
    with Store(db) as s:
        assert s.notice == ""


def test_a_table_made_again_has_the_columns_the_migrations_give(tmp_path):
    def columns(db: Path) -> dict[str, list[tuple[Any, ...]]]:
        conn = sqlite3.connect(db)
        got = {t: conn.execute(f"PRAGMA table_info({t})").fetchall() for t in MIGRATED}
        indexes = conn.execute("SELECT name FROM sqlite_master WHERE type='index'").fetchall()
        conn.close()
        return {**got, "indexes": sorted(indexes)}

    MIGRATED = ("attempts", "boxes", "results")
    Store(tmp_path / "fresh.db").close()
    repaired = tmp_path / "repaired.db"
    with Store(repaired) as s:
        for t in MIGRATED:
            s.conn.execute(f"DROP TABLE {t}")
    Store(repaired).close()
    assert columns(repaired) == columns(tmp_path / "fresh.db")


def test_an_old_file_that_lost_its_attempts_is_migrated(tmp_path):
    db = tmp_path / "old.db"
    conn = sqlite3.connect(db)
    conn.execute("PRAGMA user_version = 1")
    conn.execute("CREATE TABLE attempts_gone (x)")
    conn.execute("DROP TABLE attempts_gone")
    conn.commit()
    conn.close()
    with Store(db) as s:
        assert s.conn.execute("PRAGMA user_version").fetchone()[0] == SCHEMA_VERSION
        s.record(attempt("owner:s3:iam", True, 1.0))
        assert len(s.attempts()) == 1


def test_a_sqlite_error_in_any_read_is_one_line_naming_the_database(tmp_path, monkeypatch):
    db = tmp_path / "p.db"
    Store(db).close()

    def broken(*_a: object, **_k: object) -> None:
        raise sqlite3.DatabaseError("disk image went away")

    monkeypatch.setattr(Store, "learners", broken)  # a read history makes
    assert error_line(history(db=db)) == (f"{db}: progress database problem (disk image went away)")


def test_reading_a_missing_database_makes_no_file_or_folder(tmp_path):
    db = tmp_path / "typo" / "p.db"
    assert "No answers kept yet" in history(db=db).children[1].value
    view = live_view(CODE, db=db)
    assert not isinstance(view, widgets.HTML)
    assert not (tmp_path / "typo").exists()


# -- another kernel's lock ------------------------------------------------------------
def test_a_write_lock_held_by_another_kernel_queues_answers_and_saves_them_later(tmp_path):
    db = tmp_path / "class.db"
    Store(db).close()
    holder = sqlite3.connect(db, isolation_level=None)
    holder.execute("BEGIN EXCLUSIVE")
    made = quiz(["ec2"], n=3, seed=1, db=db, learner="ana")
    assert isinstance(made, Quiz) and notice(made) == ""  # opening needs no write lock
    answer(made, right=True)  # returns after a short wait, the answer kept in memory
    assert notice(made) == f"{db}: database busy: 1 answer waiting to be saved"
    holder.execute("COMMIT")
    made.next_button.click()
    answer(made, right=False)
    assert notice(made) == f"{db}: database free again; every answer is saved"
    assert [a.correct for a in Store(db).attempts("ana")] == [True, False]
    # still busy when the quiz finishes: said plainly
    holder.execute("BEGIN EXCLUSIVE")
    made.next_button.click()
    answer(made, right=True)
    made.next_button.click()
    assert made.finished
    assert notice(made) == (
        f"{db}: database still busy: 1 answer not saved (tried again at each answer and at the end)"
    )
    holder.execute("COMMIT")
    holder.close()
    assert len(Store(db).attempts("ana")) == 2


def test_an_exam_submitted_under_a_lock_waits_once_not_once_per_answer(tmp_path):
    db = tmp_path / "class.db"
    Store(db).close()
    holder = sqlite3.connect(db, isolation_level=None)
    holder.execute("BEGIN EXCLUSIVE")
    made = quiz(["ec2"], n=4, seed=1, db=db, learner="ana", mode="exam")
    for _ in range(4):
        answer(made, right=True)
        made.next_button.click()
    made.submit_button.click()
    holder.execute("COMMIT")
    holder.close()
    assert made.finished
    assert notice(made).startswith(f"{db}: database still busy: 4 answers not saved")


def test_a_database_that_stays_locked_while_opening_lets_the_quiz_run(tmp_path):
    """An old file needs a migration (a write lock) to open: the answers wait for it."""
    db = tmp_path / "old.db"
    conn = sqlite3.connect(db)
    conn.executescript(MIGRATIONS[0])
    conn.execute("PRAGMA user_version = 1")
    conn.commit()
    conn.close()
    holder = sqlite3.connect(db, isolation_level=None)
    holder.execute("BEGIN EXCLUSIVE")
    with pytest.raises(DatabaseBusy, match="database busy"):
        Store(db, patience=0.0)
    made = quiz(["ec2"], n=2, seed=1, db=db, learner="ana")
    assert isinstance(made, Quiz)
    assert notice(made) == (
        f"{db}: database busy (another kernel is writing to it); "
        "answers will wait here until it is free"
    )
    answer(made, right=True)
    assert notice(made) == f"{db}: database busy: 1 answer waiting to be saved"
    holder.execute("COMMIT")
    holder.close()
    made.next_button.click()
    answer(made, right=True)
    assert notice(made) == f"{db}: database free again; every answer is saved"
    assert len(Store(db).attempts("ana")) == 2


OPENER = """
import sys, time
from srmquiz.core.review import Attempt
from srmquiz.data.progress import Store
who = sys.argv[1]
print("ready", flush=True)
for line in sys.stdin:  # the barrier: every process gets the new file's name at once
    with Store(line.strip()) as s:
        s.record(Attempt(who, "owner:ec2:iam", ("AWS",), True, time.time()))
    print("saved", flush=True)
"""


def test_twenty_kernels_opening_a_new_shared_file_at_once_all_save(tmp_path):
    procs = [
        subprocess.Popen(
            [sys.executable, "-c", OPENER, f"student-{n}"],
            cwd=ROOT,
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        for n in range(20)
    ]
    try:
        for p in procs:
            assert p.stdout is not None and p.stdout.readline() == "ready\n"
        for round_ in range(5):
            db = tmp_path / f"new-{round_}.db"
            for p in procs:
                assert p.stdin is not None
                p.stdin.write(f"{db}\n")
                p.stdin.flush()
            for p in procs:
                assert p.stdout is not None
                said = p.stdout.readline()
                assert said == "saved\n", p.communicate(timeout=60)[1].strip().splitlines()[-1:]
            with Store(db) as s:
                assert sorted(a.learner for a in s.attempts()) == sorted(
                    f"student-{n}" for n in range(20)
                )
    finally:
        for p in procs:
            if p.stdin is not None:
                p.stdin.close()
            p.wait(timeout=60)
            for f in (p.stdout, p.stderr):
                if f is not None:
                    f.close()


# -- readers never change a file ------------------------------------------------------
def test_collect_from_a_file_that_is_not_a_database_changes_nothing(tmp_path):
    notes = tmp_path / "notes.json"
    notes.write_text('{"my": "notes"}\n')
    before = files_in(tmp_path)
    found, skipped = gather_database(notes)
    assert found == []
    assert skipped == [
        f"{notes}: not a readable progress database (file is not a database); left as it is"
    ]
    assert files_in(tmp_path) == before


def test_collect_from_a_missing_database_makes_no_folder(tmp_path):
    found, skipped = gather_database(tmp_path / "newdir" / "x.db")
    assert found == [] and skipped == [f"{tmp_path / 'newdir' / 'x.db'}: no progress database here"]
    assert list(tmp_path.iterdir()) == []


def test_collect_reads_a_database_and_leaves_no_side_file(tmp_path, matrix):
    from srmquiz.core.sessions import parse_code
    from srmquiz.core.simulate import simulated_results

    db = tmp_path / "class.db"
    docs = simulated_results(matrix, CODE, parse_code(matrix, CODE), students=2, seed=0)
    with Store(db) as s:
        s.save_result(docs[0].learner, CODE, docs[0].to_dict())
    before = files_in(tmp_path)
    found, skipped = gather_database(db)
    assert [f.document.learner for f in found] == [docs[0].learner] and skipped == []
    assert files_in(tmp_path) == before  # no -wal, no -shm, same bytes and mtime
    # a kernel writing right now: its latest result is read too
    writer = sqlite3.connect(db, isolation_level=None)
    writer.execute("PRAGMA wal_autocheckpoint = 0")
    with Store(db) as s:
        s.save_result(docs[1].learner, CODE, docs[1].to_dict())
    found, _ = gather_database(db)
    writer.close()
    assert [f.document.learner for f in found] == [docs[0].learner, docs[1].learner]


def test_collect_an_old_or_newer_or_foreign_database_changes_nothing(tmp_path):
    foreign = tmp_path / "other.db"
    conn = sqlite3.connect(foreign)
    conn.execute("CREATE TABLE invoices (id INTEGER)")
    conn.commit()
    conn.close()
    newer = tmp_path / "newer.db"
    conn = sqlite3.connect(newer)
    conn.execute("PRAGMA user_version = 99")
    conn.execute("CREATE TABLE attempts (x)")
    conn.commit()
    conn.close()
    before = files_in(tmp_path)
    assert gather_database(foreign) == (
        [],
        [
            f"{foreign}: not a readable progress database (another program's SQLite "
            "database); left as it is"
        ],
    )
    (line,) = gather_database(newer)[1]
    assert line.startswith(f"{newer}: written by a newer srmquiz (schema 99")
    assert files_in(tmp_path) == before


def test_a_busy_store_refuses_to_record_rather_than_wait_long(tmp_path):
    db = tmp_path / "p.db"
    store = Store(db)
    holder = sqlite3.connect(db, isolation_level=None)
    holder.execute("BEGIN IMMEDIATE")
    with pytest.raises(DatabaseBusy, match=f"^{db}: database busy"):
        store.record(attempt("owner:s3:iam", True, time.time()))
    holder.execute("ROLLBACK")
    store.record(attempt("owner:s3:iam", True, time.time()))
    assert len(store.attempts()) == 1
    with Store(db, readonly=True) as reader, pytest.raises(ProgressError, match="read-only"):
        reader.record(attempt("owner:s3:iam", True, time.time()))


# -- found by the fuzz harness (make fuzz) ---------------------------------------------
@pytest.mark.parametrize("data", [b"\x07", b"x" * 50], ids=["one byte", "fifty bytes"])
def test_a_short_file_that_is_not_sqlite_is_moved_aside_not_written_over(tmp_path, data):
    db = tmp_path / "p.db"
    db.write_bytes(data)
    with Store(db) as store:
        assert "(file is not a database)" in store.notice and "kept it as" in store.notice
        store.record(attempt("owner:s3:iam", True, 1000.0))
    (moved,) = [p for p in tmp_path.iterdir() if ".corrupt-" in p.name]
    assert moved.read_bytes() == data
    with pytest.raises(ProgressError, match="file is not a database"):
        Store(moved, readonly=True)
    assert moved.read_bytes() == data


def test_a_schema_that_lost_a_column_is_corruption_not_a_traceback(tmp_path):
    db = saved_db(tmp_path)
    conn = sqlite3.connect(db)
    conn.execute("ALTER TABLE boxes RENAME COLUMN right TO wrong")
    conn.close()
    with Store(db) as store:
        assert "table boxes has no column right" in store.notice
        store.record(attempt("owner:s3:iam", True, 4000.0))
        assert len(store.attempts()) == 1


def test_text_that_is_not_utf8_is_read_not_raised(tmp_path):
    db = saved_db(tmp_path)
    conn = sqlite3.connect(db)
    conn.execute("UPDATE attempts SET learner = CAST(x'c1ff' AS TEXT)")
    conn.commit()
    conn.close()
    with Store(db) as store:
        assert {a.learner for a in store.attempts()} == {"\ufffd\ufffd"}


def test_a_schema_with_bytes_that_are_not_utf8_is_corruption_not_a_traceback(tmp_path):
    db = saved_db(tmp_path)
    data = bytearray(db.read_bytes())
    at = data.index(b"CREATE TABLE boxes")
    data[at + 7 : at + 9] = b"\xc1\xff"  # "CREATE \xc1\xffBLE boxes": SQLite quotes it back
    db.write_bytes(bytes(data))
    with Store(db) as store:
        assert "not a readable progress database" in store.notice
        store.record(attempt("owner:s3:iam", True, 4000.0))
        assert len(store.attempts()) == 1
    assert any(".corrupt-" in p.name for p in tmp_path.iterdir())
