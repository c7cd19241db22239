"""The progress store: attempts that survive, many writers, killed kernels, corrupt files,
old schemas, and spaced review that asks what is due first."""

from __future__ import annotations

import os
import signal
import sqlite3
import subprocess
import sys
import textwrap
import time
from pathlib import Path

import pytest

from srmquiz.core.review import BOX_INTERVALS_S, Attempt, BoxState, review_order
from srmquiz.data.progress import (
    MIGRATIONS,
    SCHEMA_VERSION,
    ProgressError,
    Store,
    default_path,
)
from srmquiz.notebook import history, quiz, review
from srmquiz.widgets.quiz import Quiz
from tests.test_quiz import answer

ROOT = Path(__file__).parents[1]
DAY = 86_400.0


def attempt(qid: str, correct: bool, at: float, learner: str = "ana", **kw) -> Attempt:
    return Attempt(learner, qid, ("AWS",), correct, at, **kw)


def test_default_path_follows_srmquiz_db_then_xdg(monkeypatch, tmp_path):
    monkeypatch.setenv("SRMQUIZ_DB", str(tmp_path / "mine.db"))
    assert default_path() == tmp_path / "mine.db"
    monkeypatch.delenv("SRMQUIZ_DB")
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "xdg"))
    assert default_path() == tmp_path / "xdg" / "srmquiz" / "progress.sqlite3"


def test_attempts_are_kept_and_boxes_move(tmp_path):
    db = tmp_path / "p.db"
    with Store(db) as s:
        s.record(attempt("owner:ec2:iam", True, 1000.0, session="SRM-AAAA-AAAA", seconds=2.5))
        s.record(attempt("owner:ec2:iam", True, 2000.0))
        s.record(attempt("owner:s3:hypervisor", False, 3000.0))
    with Store(db) as s:  # a new connection, as after a kernel restart
        got = s.attempts("ana")
        assert [(a.question_id, a.correct) for a in got] == [
            ("owner:ec2:iam", True),
            ("owner:ec2:iam", True),
            ("owner:s3:hypervisor", False),
        ]
        assert got[0].session == "SRM-AAAA-AAAA" and got[0].seconds == 2.5
        boxes = s.boxes("ana")
        assert boxes["owner:ec2:iam"].box == 3  # right twice: up two boxes
        assert boxes["owner:ec2:iam"].due == 2000.0 + BOX_INTERVALS_S[3]
        assert boxes["owner:s3:hypervisor"].box == 1 and boxes["owner:s3:hypervisor"].due == 3000.0
        assert s.attempts("bob") == []
        assert s.conn.execute("PRAGMA journal_mode").fetchone()[0] == "wal"


def test_review_order_due_first_then_new_then_later():
    boxes = {
        "a": BoxState("a", 2, 10 * DAY, 1, 1),  # not due yet
        "b": BoxState("b", 1, 1.0, 1, 0),  # wrong: due
        "c": BoxState("c", 3, 2.0, 2, 2),  # due, higher box
    }
    assert review_order(["a", "b", "c", "d"], boxes, now=5 * DAY) == ["b", "c", "d", "a"]


def test_after_a_restart_history_shows_and_review_asks_the_missed_first(tmp_path, matrix):
    """Kernel 1 answers (one wrong); kernel 2, a fresh process, reads history and reviews."""
    db = tmp_path / "p.db"
    kernel_1 = textwrap.dedent(
        f"""
        from srmquiz.notebook import quiz
        from tests.test_quiz import answer
        q = quiz(["s3"], n=4, seed=8, learner="ana", db={str(db)!r})
        for i in range(4):
            answer(q, right=i != 2)
            q.next_button.click()
        print(q.questions[2].id)
        """
    )
    out = subprocess.run(
        [sys.executable, "-c", kernel_1], cwd=ROOT, capture_output=True, text=True, check=True
    )
    missed = out.stdout.strip().splitlines()[-1]
    shown = history(learner="ana", db=db)
    text = shown.children[1].value
    assert "4 answers" in text and "3 right (75%)" in text and "1 due for review now" in text
    again = review(["s3"], n=5, learner="ana", db=db)
    assert isinstance(again, Quiz)
    assert again.questions[0].id == missed  # the wrong one comes back first
    assert "1 due" in again.title.value
    # the three answered right are not due for a day: they come after the new questions
    answered = {a.question_id for a in Store(db).attempts("ana")}
    assert not answered & {q.id for q in again.questions[1:]}


def test_mastery_heatmap_counts_per_service_and_layer(tmp_path, matrix):
    from srmquiz.draw.charts import heatmap

    db = tmp_path / "p.db"
    with Store(db) as s:
        for at in (1.0, 2.0):  # right twice: mastered
            s.record(attempt("owner:ec2:iam", True, at, service="ec2", layer="iam"))
        s.record(attempt("true-false:ec2:iam", False, 3.0, service="ec2", layer="iam"))
        counts = s.mastery("ana", [("ec2", "iam"), ("s3", "iam")])
    assert counts == {("ec2", "iam"): (1, 2), ("s3", "iam"): (0, 0)}
    fig = heatmap(
        matrix,
        {("ec2", "iam"): 0.5},
        title="t",
        counts={("ec2", "iam"): (1, 2)},
    )
    labels = {t.get_gid(): t.get_text() for t in fig.axes[0].texts}
    assert labels["label:ec2:iam"] == "50%\n1/2"
    assert labels["label:s3:iam"] == "–"
    empty = [p for p in fig.axes[0].patches if p.get_gid() == "cell:s3:iam:empty"]
    assert empty and not empty[0].get_fill()  # "not asked" is plainly blank, with a dash
    shown = history(learner="ana", db=db)
    chart = shown.children[2].value  # the heatmap, with what it shows in words
    assert '<img class="srmq-picture-img" alt="Heatmap of your mistakes' in chart
    assert "data:image/png;base64,iVBORw0KGgo" in chart  # a PNG


WRITER = """
import sys, time
from srmquiz.core.review import Attempt
from srmquiz.data.progress import Store
learner, db = sys.argv[1], sys.argv[2]
with Store(db) as s:
    for i in range(50):
        s.record(Attempt(learner, f"owner:ec2:q{i}", ("AWS",), i % 2 == 0, time.time()))
"""


def test_twenty_processes_writing_one_database_lose_nothing(tmp_path):
    db = tmp_path / "class.db"
    procs = [
        subprocess.Popen(
            [sys.executable, "-c", WRITER, f"student-{n}", str(db)],
            cwd=ROOT,
            stderr=subprocess.PIPE,
            text=True,
        )
        for n in range(20)
    ]
    for p in procs:
        _, err = p.communicate(timeout=120)
        assert p.returncode == 0, err
    with Store(db) as s:
        rows = s.attempts()
        assert len(rows) == 20 * 50
        for n in range(20):
            mine = [a for a in rows if a.learner == f"student-{n}"]
            assert sorted(a.question_id for a in mine) == sorted(
                f"owner:ec2:q{i}" for i in range(50)
            )
            assert len(s.boxes(f"student-{n}")) == 50


KILLED = """
import sys, time
from srmquiz.core.review import Attempt
from srmquiz.data.progress import Store
s = Store(sys.argv[1])
i = 0
while True:
    s.record(Attempt("ana", f"owner:ec2:q{i}", ("AWS",), True, time.time()))
    i += 1
    print(i, flush=True)
"""


def test_a_kernel_killed_mid_quiz_loses_at_most_the_answer_in_flight(tmp_path):
    db = tmp_path / "p.db"
    proc = subprocess.Popen(
        [sys.executable, "-c", KILLED, str(db)], cwd=ROOT, stdout=subprocess.PIPE, text=True
    )
    committed = 0
    assert proc.stdout is not None
    for line in proc.stdout:
        committed = int(line)
        if committed >= 200:
            break
    os.kill(proc.pid, signal.SIGKILL)
    proc.wait()
    # Answers acknowledged between reading "200" and the kill are still in the pipe: the
    # last number the writer printed is how many it had committed when it died.
    for line in proc.stdout:
        if line.strip().isdigit():
            committed = int(line)
    proc.stdout.close()
    with Store(db) as s:
        kept = len(s.attempts("ana"))
        assert committed <= kept <= committed + 1
        assert s.conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
        s.record(attempt("owner:ec2:after", True, time.time()))  # still writable
        assert len(s.attempts("ana")) == kept + 1


@pytest.mark.parametrize(
    "content",
    [b"this is not a database at all\n" * 100, b"SQLite format 3\x00" + b"\xff" * 4000],
)
def test_a_corrupt_file_is_kept_aside_and_the_quiz_still_runs(tmp_path, content):
    db = tmp_path / "p.db"
    db.write_bytes(content)
    made = quiz(["ec2"], n=2, seed=1, db=db, learner="ana")
    assert isinstance(made, Quiz)
    notice = made.notice.value
    assert str(db) in notice and "kept it as p.db.corrupt-" in notice
    kept = list(tmp_path.glob("p.db.corrupt-*"))
    assert len(kept) == 1 and kept[0].read_bytes() == content  # moved, never changed
    answer(made, right=True)
    assert len(Store(db).attempts("ana")) == 1  # a fresh database took the answer


def test_corrupt_files_moved_aside_in_the_same_second_never_overwrite_each_other(
    tmp_path, monkeypatch
):
    import srmquiz.data.progress as progress

    monkeypatch.setattr(progress.time, "strftime", lambda _fmt: "20260101-000000")
    db = tmp_path / "p.db"
    for n in range(3):
        db.write_bytes(b"broken %d" % n * 100)
        Store(db).close()
    kept = sorted(p.name for p in tmp_path.glob("p.db.corrupt-*"))
    assert kept == [
        "p.db.corrupt-20260101-000000",
        "p.db.corrupt-20260101-000000-1",
        "p.db.corrupt-20260101-000000-2",
    ]
    assert {(tmp_path / k).read_bytes()[:8] for k in kept} == {
        b"broken 0",
        b"broken 1",
        b"broken 2",
    }


def test_another_programs_database_is_not_touched(tmp_path):
    db = tmp_path / "other.db"
    conn = sqlite3.connect(db)
    conn.execute("CREATE TABLE invoices (id INTEGER)")
    conn.commit()
    conn.close()
    s = Store(db)
    assert "another program's SQLite database" in s.notice
    kept = list(tmp_path.glob("other.db.corrupt-*"))
    assert len(kept) == 1
    tables = sqlite3.connect(kept[0]).execute("SELECT name FROM sqlite_master").fetchall()
    assert tables == [("invoices",)]


def test_a_newer_schema_is_refused_without_touching_it_and_the_quiz_runs(tmp_path):
    db = tmp_path / "p.db"
    conn = sqlite3.connect(db)
    conn.execute("PRAGMA user_version = 99")
    conn.execute("CREATE TABLE attempts (x)")
    conn.commit()
    conn.close()
    before = db.read_bytes()
    with pytest.raises(ProgressError, match="newer srmquiz"):
        Store(db)
    made = quiz(["ec2"], n=1, db=db)
    assert "answers are not being saved" in made.notice.value
    answer(made, right=True)
    assert made.score == 1
    assert db.read_bytes() == before


def test_migration_from_the_first_schema_keeps_every_attempt(tmp_path):
    db = tmp_path / "old.db"
    conn = sqlite3.connect(db)
    conn.executescript(MIGRATIONS[0])
    conn.executemany(
        "INSERT INTO attempts (learner, question_id, given, correct, answered_at) "
        "VALUES (?, ?, ?, ?, ?)",
        [
            ("ana", "owner:ec2:iam", '["Customer"]', 1, 100.0),
            ("ana", "owner:ec2:iam", '["AWS"]', 0, 200.0),
            ("ana", "compare:hypervisor:aws", '["Amazon EC2"]', 1, 300.0),
        ],
    )
    conn.execute("PRAGMA user_version = 1")
    conn.commit()
    conn.close()
    with Store(db) as s:
        assert s.conn.execute("PRAGMA user_version").fetchone()[0] == SCHEMA_VERSION
        got = s.attempts("ana")
        assert [(a.question_id, a.given, a.correct) for a in got] == [
            ("owner:ec2:iam", ("Customer",), True),
            ("owner:ec2:iam", ("AWS",), False),
            ("compare:hypervisor:aws", ("Amazon EC2",), True),
        ]
        assert [a.kind for a in got] == ["owner", "owner", "compare"]
        boxes = s.boxes("ana")
        assert boxes["owner:ec2:iam"].box == 1 and boxes["owner:ec2:iam"].seen == 2
        assert boxes["compare:hypervisor:aws"].box == 2
        s.record(attempt("owner:ec2:iam", True, 400.0))
        assert s.boxes("ana")["owner:ec2:iam"].box == 2


def test_quiz_records_every_first_answer_with_record_off_nothing(tmp_path):
    db = tmp_path / "p.db"
    made = quiz(["rds"], n=3, seed=2, db=db, learner="ana")
    for i in range(3):
        answer(made, right=i == 0)
        made.next_button.click()
    got = Store(db).attempts("ana")
    assert [a.question_id for a in got] == [q.id for q in made.questions]
    assert [a.correct for a in got] == [True, False, False]
    assert all(a.kind and a.seconds is not None for a in got)
    quiet = quiz(["rds"], n=1, db=tmp_path / "none.db", record=False)
    answer(quiet, right=True)
    assert not (tmp_path / "none.db").exists()


def test_a_store_opened_in_one_thread_records_from_another(tmp_path):
    """ipykernel 7 can run widget callbacks on another thread than the cell that made the quiz."""
    import threading

    store = Store(tmp_path / "p.db")
    errors: list[BaseException] = []

    def callback(n: int) -> None:
        try:
            for i in range(20):
                store.record(attempt(f"owner:ec2:t{n}-{i}", True, time.time()))
        except BaseException as exc:  # pragma: no cover - reported below
            errors.append(exc)

    threads = [threading.Thread(target=callback, args=(n,)) for n in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert not errors
    assert len(store.attempts("ana")) == 80
