"""Progress that survives a kernel restart: every attempt in SQLite, Leitner boxes for review.

One file per learner by default (``$SRMQUIZ_DB``, else ``$XDG_DATA_HOME/srmquiz/progress.sqlite3``,
else ``~/.local/share/srmquiz/progress.sqlite3``); a class on JupyterHub can point every kernel at
one shared file. The file runs in WAL mode, and every attempt is committed on its own, so many
writers lose nothing and a killed kernel loses at most the answer it was writing.

What happens when the file is not simply usable, always with one line saying so:

- real corruption (not a database, a malformed page, a failed ``quick_check``, another
  program's database) is moved aside under a new name, never deleted or overwritten, and a
  fresh database is started;
- a file or folder that cannot be written (permissions, a read-only disk) is opened read-only:
  progress can still be read, nothing is saved, nothing is renamed;
- a missing table is made again (``boxes`` rebuilt from the attempts kept);
- another kernel's write lock is waited for briefly (``BUSY_TIMEOUT_S``), then
  :class:`DatabaseBusy` is raised so the caller can keep the answer and try again later;
  opening a new file that many kernels open at once retries the first steps for up to
  ``OPEN_PATIENCE_S``.

``Store(path, readonly=True)`` (history, live view, ``results collect``) never creates a file
or folder, never migrates, repairs or renames, and leaves no ``-wal``/``-shm`` file behind:
with no ``-wal`` file next to the database it opens it ``immutable`` (nothing is being
written, so nothing is missed); with one (a kernel is writing now) it opens it ``mode=ro`` to
see the latest answers, using the side files that already exist.
"""

from __future__ import annotations

import getpass
import json
import os
import random
import sqlite3
import stat
import threading
import time
from collections.abc import Iterable, Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import Any
from urllib.parse import quote

from srmquiz.core.review import MASTERED_BOX, Attempt, BoxState, next_box
from srmquiz.core.text import one_line

SCHEMA_VERSION = 2
BUSY_TIMEOUT_S = 2.0
"""How long one statement waits for another kernel's lock before giving up (an answer then
waits in memory, see DatabaseBusy): a learner's Check never freezes longer than this."""
OPEN_PATIENCE_S = 4.0
"""How long opening keeps retrying the first steps (WAL switch, migration) while other
kernels are opening the same new file."""
APPLICATION_ID = 0x5352_4D51  # "SRMQ": tells our files from other SQLite databases
TABLES = ("attempts", "boxes", "results")

# SQLite primary result codes (the low byte of sqlite3.Error.sqlite_errorcode)
_BUSY, _LOCKED, _CORRUPT, _NOTADB = 5, 6, 11, 26


class ProgressError(Exception):
    """The progress database cannot be used (one line, naming the file)."""


class DatabaseBusy(ProgressError):
    """Another kernel holds the database's write lock longer than we wait: try again later."""


class _Corrupt(sqlite3.DatabaseError):
    """Found by our own checks: another program's database, a failed quick_check."""


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


def is_private(path: Path) -> bool:
    """True when ``path`` is a file of this user's that no one else may write.

    A database other people's kernels write to (a class's shared file) fails this test,
    so nothing read from it is taken as this user's own (such as the name last used in a
    classroom session). Always False where file owners are not known (Windows).
    """
    getuid = getattr(os, "getuid", None)
    if getuid is None:
        return False
    try:
        st = path.stat()
    except OSError:
        return False
    return (
        stat.S_ISREG(st.st_mode)
        and st.st_uid == getuid()
        and not st.st_mode & (stat.S_IWGRP | stat.S_IWOTH)
    )


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


# Current shape of each table, to make one again when it is missing (same columns as
# the migrations above produce; a test compares them).
CREATE_TABLE: dict[str, str] = {
    "attempts": """
        CREATE TABLE attempts (
            id INTEGER PRIMARY KEY,
            learner TEXT NOT NULL,
            question_id TEXT NOT NULL,
            given TEXT NOT NULL,
            correct INTEGER NOT NULL,
            answered_at REAL NOT NULL,
            session TEXT NOT NULL DEFAULT '',
            kind TEXT NOT NULL DEFAULT '',
            service TEXT,
            layer TEXT,
            seconds REAL
        );
        CREATE INDEX attempts_learner ON attempts (learner, question_id);
        CREATE INDEX attempts_session ON attempts (session, question_id);
    """,
    "boxes": MIGRATIONS[1][MIGRATIONS[1].index("CREATE TABLE boxes") :].split(";")[0],
    "results": MIGRATIONS[1][MIGRATIONS[1].index("CREATE TABLE results") :],
}


def _code(exc: BaseException) -> int | None:
    code = getattr(exc, "sqlite_errorcode", None)
    return code & 0xFF if isinstance(code, int) else None


def is_busy(exc: BaseException) -> bool:
    """Another connection holds a lock (SQLITE_BUSY / SQLITE_LOCKED): worth trying again."""
    if not isinstance(exc, sqlite3.OperationalError):
        return False
    code = _code(exc)
    if code is not None:
        return code in (_BUSY, _LOCKED)
    return "locked" in str(exc) or "busy" in str(exc)


def is_corrupt(exc: BaseException) -> bool:
    """The file itself is broken or foreign (the only case where it is moved aside).

    Permission, read-only, "unable to open", disk I/O and lock errors are not corruption.
    """
    if isinstance(exc, _Corrupt):
        return True
    if not isinstance(exc, sqlite3.DatabaseError):
        return False
    code = _code(exc)
    if code is not None:
        return code in (_CORRUPT, _NOTADB)
    text = str(exc)
    return not isinstance(exc, sqlite3.OperationalError) and (
        "not a database" in text or "malformed" in text
    )


def _rebuild_boxes(conn: sqlite3.Connection) -> int:
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
    return len(rows)


def _connect(target: str, *, uri: bool = False) -> sqlite3.Connection:
    # check_same_thread=False: a kernel may run widget callbacks on another thread
    # than the cell that opened the store; Store's lock keeps one user at a time.
    conn = sqlite3.connect(
        target, timeout=BUSY_TIMEOUT_S, isolation_level=None, check_same_thread=False, uri=uri
    )
    conn.execute(f"PRAGMA busy_timeout = {int(BUSY_TIMEOUT_S * 1000)}")
    # A damaged page can hold bytes that are not UTF-8: read them as U+FFFD, never raise.
    conn.text_factory = lambda data: data.decode("utf-8", "replace")
    return conn


def _why_readonly(path: Path) -> str:
    """Why this file cannot be written here ("" when it can, as far as we can tell)."""
    if not os.access(path.parent, os.W_OK | os.X_OK):
        return "read-only folder"  # no -wal/-shm can be made next to it
    if path.exists() and not os.access(path, os.W_OK):
        return "read-only file"
    return ""


def _retrying(path: Path, step: Any, patience: float = OPEN_PATIENCE_S) -> Any:
    """step() until it does not fail with a lock error, for at most ``patience`` seconds.

    A new file opened by many kernels at once gets "database is locked" from the WAL
    switch (SQLite does not wait there); backing off briefly is enough.
    """
    deadline = time.monotonic() + patience
    delay = 0.01
    while True:
        try:
            return step()
        except sqlite3.OperationalError as exc:
            if not is_busy(exc):
                raise
            if time.monotonic() + delay > deadline:
                raise DatabaseBusy(
                    f"{one_line(str(path))}: database busy (another kernel is writing to it)"
                ) from exc
        time.sleep(delay * (0.5 + random.random()))
        delay = min(delay * 2, 0.4)


def open_database(
    path: Path, patience: float = OPEN_PATIENCE_S
) -> tuple[sqlite3.Connection, str, bool]:
    """Open (creating, migrating or repairing) the database at path: (connection, notice, writable).

    Real corruption is moved aside and a new file started; a file or folder that cannot be
    written is opened read-only (writable False). The notice says what was done in one line
    ("" otherwise). ProgressError (DatabaseBusy for a lock that stays) when it cannot be used.
    """
    shown = one_line(str(path))
    if path.is_dir():
        raise ProgressError(f"{shown}: is a folder, not a progress database")
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise ProgressError(
            f"{shown}: cannot make its folder ({exc.strerror or exc}); cannot save here"
        ) from exc
    why = _why_readonly(path)
    if why:
        return _readonly_fallback(path, why)
    moved_notice = ""
    for _ in range(2):  # a corrupt file is moved aside once, then a new one is made
        conn: sqlite3.Connection | None = None
        try:
            header = _header_problem(path)
            if header and not moved_notice:
                raise _Corrupt(header)
            conn = _connect(str(path))
            # patience below one busy timeout (a quick retry): statements wait no longer
            conn.execute(f"PRAGMA busy_timeout = {int(min(patience, BUSY_TIMEOUT_S) * 1000)}")
            notice = _retrying(path, lambda c=conn: _prepare(c, path), patience)
            conn.execute(f"PRAGMA busy_timeout = {int(BUSY_TIMEOUT_S * 1000)}")
            return conn, "; ".join(x for x in (moved_notice, notice) if x), True
        except sqlite3.Error as exc:
            if conn is not None:
                conn.close()
            if not is_corrupt(exc) or moved_notice:
                if isinstance(exc, sqlite3.OperationalError) and not is_busy(exc):
                    # permissions, a read-only disk, "unable to open": read what is there
                    return _readonly_fallback(path, one_line(str(exc), 80))
                raise ProgressError(
                    f"{shown}: cannot use the progress database ({one_line(str(exc), 120)})"
                ) from exc
            moved_notice = _move_aside_notice(path, exc)
        except BaseException:
            if conn is not None:
                conn.close()
            raise
    raise AssertionError("unreachable")  # pragma: no cover


def _move_aside_notice(path: Path, exc: sqlite3.Error) -> str:
    shown = one_line(str(path))
    reason = one_line(str(exc), 120)
    try:
        moved = _move_aside(path)
    except OSError as err:
        raise ProgressError(
            f"{shown}: not a readable progress database ({reason}); "
            f"could not move it aside ({err.strerror or err}), left it as it is"
        ) from err
    return (
        f"{shown}: not a readable progress database ({reason}); "
        f"kept it as {one_line(moved.name)} and started a new one"
    )


def _readonly_fallback(path: Path, why: str) -> tuple[sqlite3.Connection, str, bool]:
    """The file opened read-only, with the notice "PATH: cannot save here (why)"."""
    shown = one_line(str(path))
    if not path.exists():
        raise ProgressError(f"{shown}: cannot save here ({why})")
    try:
        conn, notice = open_readonly(path)
    except ProgressError as exc:
        raise ProgressError(
            f"{shown}: cannot save here ({why}); {_after_path(exc, shown)}"
        ) from exc
    return conn, "; ".join(x for x in (f"{shown}: cannot save here ({why})", notice) if x), False


def _after_path(exc: ProgressError, shown: str) -> str:
    text = str(exc)
    return text[len(shown) + 2 :] if text.startswith(shown + ": ") else text


SQLITE_HEADER = b"SQLite format 3\x00"
COLUMNS = {
    "attempts": {
        "id", "learner", "question_id", "given", "correct", "answered_at", "session", "kind",
        "service", "layer", "seconds",
    },
    "boxes": {"learner", "question_id", "box", "due", "seen", "right"},
    "results": {"id", "learner", "session", "saved_at", "document"},
}  # fmt: skip
"""The columns each table has at SCHEMA_VERSION (what the migrations make)."""


def _header_problem(path: Path) -> str:
    """Why the file at path cannot be an SQLite database ("" when it may be one, or is empty).

    SQLite treats a file shorter than its header as a new, empty database and would write
    over it; a user's 1-byte file must be moved aside instead.
    """
    try:
        if not stat.S_ISREG(path.stat().st_mode):
            return ""  # never opened here (a FIFO would block): SQLite refuses it below
        with open(path, "rb") as f:
            head = f.read(len(SQLITE_HEADER))
    except OSError:
        return ""  # missing or unreadable: the open below says why, and nothing is moved
    if head and head != SQLITE_HEADER:
        return "file is not a database"
    return ""


def _inspect(conn: sqlite3.Connection, path: Path) -> tuple[int, set[str]]:
    """(schema version, tables) after checking the file is an srmquiz database that reads."""
    try:
        return _inspect_schema(conn, path)
    except UnicodeDecodeError as exc:  # SQLite's own message quotes the damaged schema
        raise _Corrupt("damaged schema: text that is not UTF-8") from exc


def _inspect_schema(conn: sqlite3.Connection, path: Path) -> tuple[int, set[str]]:
    app = conn.execute("PRAGMA application_id").fetchone()[0]
    version = conn.execute("PRAGMA user_version").fetchone()[0]
    tables = {r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type='table'")}
    if app not in (0, APPLICATION_ID) or (app == 0 and tables and "attempts" not in tables):
        raise _Corrupt("another program's SQLite database")
    if version == SCHEMA_VERSION:
        for table in tables & set(COLUMNS):
            have = {str(r[1]) for r in conn.execute(f"PRAGMA table_info({table})")}
            lost = sorted(COLUMNS[table] - have)
            if lost:
                raise _Corrupt(f"table {table} has no column {one_line(lost[0], 40)}")
    if version > SCHEMA_VERSION:
        raise ProgressError(
            f"{one_line(str(path))}: written by a newer srmquiz (schema {version}, this one "
            f"reads up to {SCHEMA_VERSION}); upgrade srmquiz or set SRMQUIZ_DB to another file"
        )
    if tables:
        found = [str(r[0]) for r in conn.execute("PRAGMA quick_check").fetchall()]
        if found != ["ok"]:
            lines = [x for f in found for x in f.splitlines() if x.strip() and "***" not in x]
            first = lines[0] if lines else "no result"
            more = f" and {len(lines) - 1} more" if len(lines) > 1 else ""
            raise _Corrupt(f"integrity check failed: {one_line(first, 100)}{more}")
    return version, tables


def _prepare(conn: sqlite3.Connection, path: Path) -> str:
    """Check, switch to WAL, migrate and repair; the notice of any repair ("" when none)."""
    version, tables = _inspect(conn, path)
    if conn.execute("PRAGMA journal_mode").fetchone()[0] != "wal":
        conn.execute("PRAGMA journal_mode = WAL")
    conn.execute("PRAGMA synchronous = NORMAL")
    if version == SCHEMA_VERSION and tables.issuperset(TABLES):
        return ""  # the usual case: no write lock needed to open
    return _migrate(conn, path)


def _migrate(conn: sqlite3.Connection, path: Path) -> str:
    """Bring the schema to SCHEMA_VERSION, then make missing tables again (one transaction)."""
    conn.execute("BEGIN IMMEDIATE")  # one migrating kernel at a time
    try:
        version = conn.execute("PRAGMA user_version").fetchone()[0]
        made = []
        if version == 1 and "attempts" not in _tables(conn):
            # an old file that lost its attempts: the v1 table, so the step below applies
            for statement in MIGRATIONS[0].split(";"):
                if statement.strip():
                    conn.execute(statement)
            made.append("attempts (empty)")
        while version < SCHEMA_VERSION:
            for statement in MIGRATIONS[version].split(";"):
                if statement.strip():
                    conn.execute(statement)
            if version == 1:
                _rebuild_boxes(conn)
            version += 1
            conn.execute(f"PRAGMA application_id = {APPLICATION_ID}")
            conn.execute(f"PRAGMA user_version = {version}")
        notice = _repair(conn, path, made)
        conn.execute("COMMIT")
        return notice
    except BaseException:
        conn.execute("ROLLBACK")
        raise


def _tables(conn: sqlite3.Connection) -> set[str]:
    return {r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type='table'")}


def _repair(conn: sqlite3.Connection, path: Path, done: list[str]) -> str:
    missing = [t for t in TABLES if t not in _tables(conn)]
    for table in missing:
        for statement in CREATE_TABLE[table].split(";"):
            if statement.strip():
                conn.execute(statement)
        if table == "boxes":
            n = _rebuild_boxes(conn)
            done.append(f"boxes (rebuilt from {n} answers kept)")
        else:
            done.append(f"{table} (empty)")
    if not done:
        return ""
    return f"{one_line(str(path))}: missing tables made again: {', '.join(done)}"


def open_readonly(path: Path) -> tuple[sqlite3.Connection, str]:
    """Open the database at path for reading only: (connection, notice).

    Never creates, migrates, repairs or renames anything, and leaves no side file behind
    (see the module docstring). ProgressError, in one line, when it cannot be read.
    """
    shown = one_line(str(path))
    if path.is_dir():
        raise ProgressError(f"{shown}: is a folder, not a progress database")
    if not path.is_file():
        raise ProgressError(f"{shown}: no progress database here")
    header = _header_problem(path)
    if header:
        raise ProgressError(f"{shown}: not a readable progress database ({header}); left as it is")
    base = "file:" + quote(str(path.absolute()), safe="/") + "?mode=ro"
    live = path.with_name(path.name + "-wal").exists()
    # live: a kernel is writing (or one was killed): read through its -wal; else immutable
    ways = [base, base + "&immutable=1"] if live else [base + "&immutable=1"]
    for n, uri in enumerate(ways):
        conn: sqlite3.Connection | None = None
        try:
            conn = _connect(uri, uri=True)
            version, tables = _retrying(path, lambda c=conn: _inspect(c, path))
        except sqlite3.OperationalError as exc:
            if conn is not None:
                conn.close()
            if n + 1 < len(ways) and not is_busy(exc):
                continue  # e.g. no -shm and a read-only folder: read the file alone
            raise ProgressError(f"{shown}: cannot read it ({one_line(str(exc), 120)})") from exc
        except sqlite3.Error as exc:
            if conn is not None:
                conn.close()
            reason = one_line(str(exc), 120)
            raise ProgressError(
                f"{shown}: not a readable progress database ({reason}); left as it is"
            ) from exc
        except BaseException:
            if conn is not None:
                conn.close()
            raise
        if tables and version < SCHEMA_VERSION:
            conn.close()
            raise ProgressError(
                f"{shown}: saved by an older srmquiz (schema {version}); not updated when "
                "only reading, a quiz that can save to it updates it"
            )
        return conn, ""
    raise AssertionError("unreachable")  # pragma: no cover


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


class StoreReads:
    """The reading half of :class:`Store`: every read is one line (ProgressError) on failure."""

    path: Path
    conn: sqlite3.Connection
    writable: bool
    _lock: threading.RLock

    @property
    def shown(self) -> str:
        """The path as it appears in messages (one line)."""
        return one_line(str(self.path))

    def _query(self, sql: str, args: Sequence[object] = ()) -> list[tuple[Any, ...]]:
        with self._lock:
            try:
                return self.conn.execute(sql, args).fetchall()
            except (sqlite3.Error, UnicodeDecodeError) as exc:
                hint = ""
                if "no such table" in str(exc) and not self.writable:
                    hint = "; not made again when only reading, a quiz that can save here does"
                raise ProgressError(
                    f"{self.shown}: cannot read the progress database "
                    f"({one_line(str(exc), 120)}){hint}"
                ) from exc

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
        try:
            return [
                Attempt(
                    r[0],
                    r[1],
                    tuple(json.loads(r[2])),
                    bool(r[3]),
                    r[4],
                    r[5],
                    r[6],
                    r[7],
                    r[8],
                    r[9],
                )
                for r in rows
            ]
        except (ValueError, TypeError) as exc:
            raise ProgressError(
                f"{self.shown}: a saved answer cannot be read ({one_line(str(exc), 80)})"
            ) from exc

    def learners(self) -> list[tuple[str, int]]:
        """(learner, answers kept) for every learner in the database, most answers first."""
        rows = self._query(
            "SELECT learner, COUNT(*) FROM attempts GROUP BY learner ORDER BY COUNT(*) DESC, learner"
        )
        return [(str(r[0]), int(r[1])) for r in rows]

    def last_session_learner(self) -> str | None:
        """The name under which the latest classroom-session answer was kept (None: none)."""
        rows = self._query(
            "SELECT learner FROM attempts WHERE session != '' ORDER BY answered_at DESC, id DESC "
            "LIMIT 1"
        )
        return str(rows[0][0]) if rows else None

    def boxes(self, learner: str) -> dict[str, BoxState]:
        """Where each question stands for a learner (Leitner boxes)."""
        rows = self._query(
            "SELECT question_id, box, due, seen, right FROM boxes WHERE learner = ?", (learner,)
        )
        return {r[0]: BoxState(*r) for r in rows}

    def results(self, session: str | None = None) -> list[dict[str, object]]:
        """Saved result documents, oldest first, for one session or all."""
        out = []
        for text in self.result_texts(session):
            try:
                out.append(json.loads(text))
            except (ValueError, TypeError) as exc:
                raise ProgressError(
                    f"{self.shown}: a saved result cannot be read ({one_line(str(exc), 80)})"
                ) from exc
        return out

    def result_texts(self, session: str | None = None) -> list[str]:
        """Saved result documents as stored (JSON text), oldest first; see results()."""
        sql, args = "SELECT document FROM results", []
        if session is not None:
            sql += " WHERE session = ?"
            args.append(session)
        return [str(r[0]) for r in self._query(sql + " ORDER BY id", args)]

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


class Store(StoreReads):
    """The progress database. Open with ``Store()`` (default path) or ``Store(path)``.

    ``patience``: how long opening retries while other kernels hold the file.
    ``readonly=True`` only reads: no file or folder is made, nothing is migrated, repaired
    or renamed (history, live view, ``results collect``). A store that cannot write here
    (``writable`` False, the notice says why) reads what there is and refuses to save.
    """

    def __init__(
        self,
        path: str | os.PathLike[str] | None = None,
        *,
        readonly: bool = False,
        patience: float = OPEN_PATIENCE_S,
    ) -> None:
        self.path = Path(path).expanduser() if path is not None else default_path()
        self._lock = threading.RLock()
        self.writable = False
        if readonly:
            self.conn, self.notice = open_readonly(self.path)
        else:
            self.conn, self.notice, self.writable = open_database(self.path, patience)
        """notice: one line for the learner when something had to be done (a file moved aside)."""

    def close(self) -> None:
        """Close the connection."""
        self.conn.close()

    def __enter__(self) -> Store:
        return self

    def __exit__(self, *_exc: object) -> None:
        self.close()

    @contextmanager
    def waiting(self, seconds: float) -> Iterator[None]:
        """Inside, a statement waits at most ``seconds`` for another kernel's lock."""
        with self._lock:
            self.conn.execute(f"PRAGMA busy_timeout = {int(seconds * 1000)}")
            try:
                yield
            finally:
                self.conn.execute(f"PRAGMA busy_timeout = {int(BUSY_TIMEOUT_S * 1000)}")

    @contextmanager
    def _tx(self) -> Iterator[sqlite3.Connection]:
        if not self.writable:
            raise ProgressError(f"{self.shown}: opened read-only; cannot save here")
        with self._lock:
            try:
                self.conn.execute("BEGIN IMMEDIATE")
            except sqlite3.OperationalError as exc:
                if is_busy(exc):
                    raise DatabaseBusy(
                        f"{self.shown}: database busy (another kernel is writing to it)"
                    ) from exc
                raise
            try:
                yield self.conn
            except BaseException:
                self.conn.execute("ROLLBACK")
                raise
            self.conn.execute("COMMIT")

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
