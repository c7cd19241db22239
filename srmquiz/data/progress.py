"""Progress that survives a kernel restart: every attempt in SQLite, Leitner boxes for review.

One file per learner by default (``$SRMQUIZ_DB``, else ``$XDG_DATA_HOME/srmquiz/progress.sqlite3``,
else ``~/.local/share/srmquiz/progress.sqlite3``); a class on JupyterHub can point every kernel at
one shared file. The file runs in WAL mode with a busy timeout, and every attempt is committed
on its own, so many writers lose nothing and a killed kernel loses at most the answer it was
writing. A file that is not a readable srmquiz database is moved aside under a new name (never
deleted or overwritten) and a fresh one is started, with one line saying so.
"""

from __future__ import annotations

import getpass
import json
import os
import sqlite3
import threading
import time
from collections.abc import Iterable, Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from srmquiz.core.review import MASTERED_BOX, Attempt, BoxState, next_box

SCHEMA_VERSION = 2
BUSY_TIMEOUT_S = 30.0
APPLICATION_ID = 0x5352_4D51  # "SRMQ": tells our files from other SQLite databases


class ProgressError(Exception):
    """The progress database cannot be used (one line, naming the file)."""


def default_path() -> Path:
    """Where progress is kept: $SRMQUIZ_DB, else the XDG data home."""
    env = os.environ.get("SRMQUIZ_DB")
    if env:
        return Path(env).expanduser()
    data_home = os.environ.get("XDG_DATA_HOME") or str(Path.home() / ".local" / "share")
    return Path(data_home) / "srmquiz" / "progress.sqlite3"


def default_learner() -> str:
    """The learner's name: $SRMQUIZ_LEARNER, else the JupyterHub user, else the login name."""
    for var in ("SRMQUIZ_LEARNER", "JUPYTERHUB_USER"):
        if os.environ.get(var):
            return os.environ[var]
    try:
        return getpass.getuser()
    except (KeyError, OSError):
        return "learner"


# -- schema ---------------------------------------------------------------------
# Each step takes the database from version i to i + 1. Never edit a released step:
# add a new one, so a file written by any older srmquiz still opens.
MIGRATIONS: dict[int, str] = {
    # 0 -> 1: the first release kept attempts only.
    0: """
        CREATE TABLE attempts (
            id INTEGER PRIMARY KEY,
            learner TEXT NOT NULL,
            question_id TEXT NOT NULL,
            given TEXT NOT NULL,
            correct INTEGER NOT NULL,
            answered_at REAL NOT NULL
        );
        CREATE INDEX attempts_learner ON attempts (learner, question_id);
    """,
    # 1 -> 2: session codes, timing and where a question sits in the matrix; Leitner
    # boxes; saved session results. Boxes are rebuilt from the attempts already kept.
    1: """
        ALTER TABLE attempts ADD COLUMN session TEXT NOT NULL DEFAULT '';
        ALTER TABLE attempts ADD COLUMN kind TEXT NOT NULL DEFAULT '';
        ALTER TABLE attempts ADD COLUMN service TEXT;
        ALTER TABLE attempts ADD COLUMN layer TEXT;
        ALTER TABLE attempts ADD COLUMN seconds REAL;
        UPDATE attempts SET kind = substr(question_id, 1, instr(question_id, ':') - 1)
            WHERE instr(question_id, ':') > 0;
        CREATE INDEX attempts_session ON attempts (session, question_id);
        CREATE TABLE boxes (
            learner TEXT NOT NULL,
            question_id TEXT NOT NULL,
            box INTEGER NOT NULL,
            due REAL NOT NULL,
            seen INTEGER NOT NULL,
            right INTEGER NOT NULL,
            PRIMARY KEY (learner, question_id)
        );
        CREATE TABLE results (
            id INTEGER PRIMARY KEY,
            learner TEXT NOT NULL,
            session TEXT NOT NULL,
            saved_at REAL NOT NULL,
            document TEXT NOT NULL
        );
        CREATE INDEX results_session ON results (session);
    """,
}


def _rebuild_boxes(conn: sqlite3.Connection) -> None:
    rows = conn.execute(
        "SELECT learner, question_id, correct, answered_at FROM attempts ORDER BY answered_at, id"
    ).fetchall()
    state: dict[tuple[str, str], BoxState] = {}
    for learner, qid, correct, at in rows:
        state[(learner, qid)] = next_box(state.get((learner, qid)), qid, bool(correct), at)
    conn.executemany(
        "INSERT OR REPLACE INTO boxes VALUES (?, ?, ?, ?, ?, ?)",
        [(k[0], k[1], b.box, b.due, b.seen, b.right) for k, b in state.items()],
    )


def _connect(path: Path) -> sqlite3.Connection:
    path.parent.mkdir(parents=True, exist_ok=True)
    # check_same_thread=False: a kernel may run widget callbacks on another thread
    # than the cell that opened the store; Store's lock keeps one user at a time.
    conn = sqlite3.connect(
        path, timeout=BUSY_TIMEOUT_S, isolation_level=None, check_same_thread=False
    )
    conn.execute(f"PRAGMA busy_timeout = {int(BUSY_TIMEOUT_S * 1000)}")
    return conn


def open_database(path: Path) -> tuple[sqlite3.Connection, str]:
    """Open (creating or migrating) the database at path: (connection, notice).

    A file that is not a readable srmquiz database is moved aside and a new one started;
    the notice says so in one line ("" otherwise). ProgressError when it cannot be used.
    """
    try:
        conn = _connect(path)
    except (sqlite3.Error, OSError) as exc:
        raise ProgressError(f"{path}: cannot open the progress database: {exc}") from exc
    try:
        _check(conn, path)
        _migrate(conn)
        return conn, ""
    except sqlite3.DatabaseError as exc:
        conn.close()
        if isinstance(exc, sqlite3.OperationalError) and "locked" in str(exc):
            raise ProgressError(f"{path}: database stays locked: {exc}") from exc
        moved = _move_aside(path)
        notice = (
            f"{path}: not a readable progress database ({exc}); "
            f"kept it as {moved.name} and started a new one"
        )
        conn = _connect(path)
        _check(conn, path)
        _migrate(conn)
        return conn, notice


def _check(conn: sqlite3.Connection, path: Path) -> None:
    app = conn.execute("PRAGMA application_id").fetchone()[0]
    version = conn.execute("PRAGMA user_version").fetchone()[0]
    tables = {r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type='table'")}
    if app not in (0, APPLICATION_ID) or (app == 0 and tables and "attempts" not in tables):
        raise sqlite3.DatabaseError("another program's SQLite database")
    if version > SCHEMA_VERSION:
        raise ProgressError(
            f"{path}: written by a newer srmquiz (schema {version}, this one reads "
            f"up to {SCHEMA_VERSION}); upgrade srmquiz or set SRMQUIZ_DB to another file"
        )
    if tables:
        ok = conn.execute("PRAGMA quick_check").fetchone()[0]
        if ok != "ok":
            raise sqlite3.DatabaseError(f"integrity check failed: {ok}")
    conn.execute("PRAGMA journal_mode = WAL")
    conn.execute("PRAGMA synchronous = NORMAL")


def _migrate(conn: sqlite3.Connection) -> None:
    while True:
        conn.execute("BEGIN IMMEDIATE")  # one migrating kernel at a time
        try:
            version = conn.execute("PRAGMA user_version").fetchone()[0]
            if version >= SCHEMA_VERSION:
                conn.execute("COMMIT")
                return
            for statement in MIGRATIONS[version].split(";"):
                if statement.strip():
                    conn.execute(statement)
            if version == 1:
                _rebuild_boxes(conn)
            conn.execute(f"PRAGMA application_id = {APPLICATION_ID}")
            conn.execute(f"PRAGMA user_version = {version + 1}")
            conn.execute("COMMIT")
        except BaseException:
            conn.execute("ROLLBACK")
            raise


def _move_aside(path: Path) -> Path:
    """Rename an unreadable file (and its -wal/-shm) to NAME.corrupt-DATE[-n]; never delete."""
    stamp = time.strftime("%Y%m%d-%H%M%S")
    n = 0
    while True:
        suffix = f".corrupt-{stamp}" + (f"-{n}" if n else "")
        target = path.with_name(path.name + suffix)
        if not target.exists():
            break
        n += 1
    path.rename(target)
    for side in ("-wal", "-shm"):
        extra = path.with_name(path.name + side)
        if extra.exists():
            extra.rename(target.with_name(target.name + side))
    return target


class Store:
    """The progress database. Open with ``Store()`` (default path) or ``Store(path)``."""

    def __init__(self, path: str | os.PathLike[str] | None = None) -> None:
        self.path = Path(path).expanduser() if path is not None else default_path()
        self._lock = threading.RLock()
        self.conn, self.notice = open_database(self.path)
        """notice: one line for the learner when something had to be done (a file moved aside)."""

    def close(self) -> None:
        """Close the connection."""
        self.conn.close()

    def __enter__(self) -> Store:
        return self

    def __exit__(self, *_exc: object) -> None:
        self.close()

    @contextmanager
    def _tx(self) -> Iterator[sqlite3.Connection]:
        with self._lock:
            self.conn.execute("BEGIN IMMEDIATE")
            try:
                yield self.conn
            except BaseException:
                self.conn.execute("ROLLBACK")
                raise
            self.conn.execute("COMMIT")

    def _query(self, sql: str, args: Sequence[object] = ()) -> list[tuple[Any, ...]]:
        with self._lock:
            return self.conn.execute(sql, args).fetchall()

    # -- writing ----------------------------------------------------------------
    def record(self, attempt: Attempt) -> None:
        """Keep one attempt and move the question between Leitner boxes (one transaction)."""
        with self._tx() as conn:
            conn.execute(
                "INSERT INTO attempts (learner, question_id, given, correct, answered_at, "
                "session, kind, service, layer, seconds) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                (
                    attempt.learner,
                    attempt.question_id,
                    json.dumps(list(attempt.given), ensure_ascii=False),
                    int(attempt.correct),
                    attempt.answered_at,
                    attempt.session,
                    attempt.kind,
                    attempt.service,
                    attempt.layer,
                    attempt.seconds,
                ),
            )
            row = conn.execute(
                "SELECT box, due, seen, right FROM boxes WHERE learner = ? AND question_id = ?",
                (attempt.learner, attempt.question_id),
            ).fetchone()
            before = BoxState(attempt.question_id, *row) if row else None
            b = next_box(before, attempt.question_id, attempt.correct, attempt.answered_at)
            conn.execute(
                "INSERT OR REPLACE INTO boxes VALUES (?, ?, ?, ?, ?, ?)",
                (attempt.learner, b.question_id, b.box, b.due, b.seen, b.right),
            )

    def save_result(self, learner: str, session: str, document: dict[str, object]) -> None:
        """Keep a finished session's result document."""
        with self._tx() as conn:
            conn.execute(
                "INSERT INTO results (learner, session, saved_at, document) VALUES (?, ?, ?, ?)",
                (learner, session, time.time(), json.dumps(document, ensure_ascii=False)),
            )

    # -- reading ----------------------------------------------------------------
    def attempts(self, learner: str | None = None, *, session: str | None = None) -> list[Attempt]:
        """Attempts in the order they were answered, for a learner and/or a session."""
        sql = (
            "SELECT learner, question_id, given, correct, answered_at, session, kind, service, "
            "layer, seconds FROM attempts"
        )
        where, args = [], []
        if learner is not None:
            where.append("learner = ?")
            args.append(learner)
        if session is not None:
            where.append("session = ?")
            args.append(session)
        if where:
            sql += " WHERE " + " AND ".join(where)
        rows = self._query(sql + " ORDER BY answered_at, id", args)
        return [
            Attempt(
                r[0], r[1], tuple(json.loads(r[2])), bool(r[3]), r[4], r[5], r[6], r[7], r[8], r[9]
            )
            for r in rows
        ]

    def boxes(self, learner: str) -> dict[str, BoxState]:
        """Where each question stands for a learner (Leitner boxes)."""
        rows = self._query(
            "SELECT question_id, box, due, seen, right FROM boxes WHERE learner = ?", (learner,)
        )
        return {r[0]: BoxState(*r) for r in rows}

    def results(self, session: str | None = None) -> list[dict[str, object]]:
        """Saved result documents, oldest first, for one session or all."""
        sql, args = "SELECT document FROM results", []
        if session is not None:
            sql += " WHERE session = ?"
            args.append(session)
        return [json.loads(r[0]) for r in self._query(sql + " ORDER BY id", args)]

    def mastery(
        self, learner: str, pairs: Iterable[tuple[str, str]]
    ) -> dict[tuple[str, str], tuple[int, int]]:
        """Per (service, layer): (questions mastered, questions seen) about that cell.

        Mastered = in box MASTERED_BOX or higher, i.e. answered right at least twice in a row.
        """
        counts: dict[tuple[str, str], list[int]] = {p: [0, 0] for p in pairs}
        rows = self._query(
            "SELECT a.service, a.layer, b.box FROM boxes b JOIN (SELECT DISTINCT question_id, "
            "service, layer FROM attempts WHERE learner = ?) a ON a.question_id = b.question_id "
            "WHERE b.learner = ?",
            (learner, learner),
        )
        for service, layer, box in rows:
            if (service, layer) in counts:
                counts[(service, layer)][0] += int(box >= MASTERED_BOX)
                counts[(service, layer)][1] += 1
        return {k: (v[0], v[1]) for k, v in counts.items()}
