"""Fuzz cases: what a case is, and the builders every family is made of.

A :class:`Case` is built in an empty folder just before it runs (so a run holds one case
on disk at a time) and returns the request the worker gets. Builders here are plain
functions of their parameters; :mod:`tests.fuzz.strategies` draws the parameters with
hypothesis and :mod:`tests.fuzz.corpus` writes the review's cases out by hand.

Content cases start from a base folder (``tiny``: tests/data/tiny-content plus the shipped
templates, fast; ``shipped``: content/, with the walkthrough), parsed, edited and written
back (:mod:`tests.fuzz.tomlemit`), or edited as raw bytes. Result cases are a folder with
two genuine result files made by the product (a simulated class) and one hostile file.
Database cases are whatever sits at the progress database's path.
"""

from __future__ import annotations

import copy
import functools
import hashlib
import json
import os
import shutil
import sqlite3
import tomllib
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Literal

from srmquiz.core.results import ResultDocument, doc_checksum
from srmquiz.core.review import Attempt
from srmquiz.core.sessions import new_session
from srmquiz.core.simulate import simulated_results
from srmquiz.data.content import find_content_dir, load_matrix
from srmquiz.data.progress import Store
from srmquiz.data.results import export_result
from tests.fuzz.tomlemit import dumps

Kind = Literal["content", "results", "db"]
Expect = Literal["invalid", "valid", "any", "suspect"]
"""invalid: must be refused; valid: must be accepted and work; any: either, cleanly;
suspect (result files): may be kept only when a skipped line or note names the file."""

Request = dict[str, Any]
KeyPath = tuple[str | int, ...]

TINY = Path(__file__).parents[1] / "data" / "tiny-content"
SHIPPED = find_content_dir()
SPECIALS = ("fifo", "loop", "devzero", "devurandom", "dir", "dangling")
"""Special files a content, result or database path can be instead of a regular file."""


@dataclass(frozen=True)
class Case:
    """One hostile input and its oracle."""

    kind: Kind
    family: str
    """The review's family, e.g. "template specs" (a row group in the summary)."""
    label: str
    """What the case is, one line (shown as the worst example)."""
    expect: Expect
    build: Callable[[Path], Request] = field(repr=False, compare=False)
    """Writes the case into an empty folder; returns the worker's request."""
    unprivileged: bool = False
    """Only meaningful when not run as root (file modes): skipped as root."""


def short(value: object, limit: int = 40) -> str:
    """A value for a label: repr, shortened."""
    text = repr(value)
    return text if len(text) <= limit else text[: limit - 1] + "…"


def make_special(path: Path, kind: str) -> None:
    """Put a special file at path: a FIFO, a symlink loop, a link to a device, a folder..."""
    if kind == "fifo":
        os.mkfifo(path)
    elif kind == "loop":
        path.symlink_to(path.name)
    elif kind == "devzero":
        path.symlink_to("/dev/zero")
    elif kind == "devurandom":
        path.symlink_to("/dev/urandom")
    elif kind == "dir":
        path.mkdir()
    elif kind == "dangling":
        path.symlink_to(path.name + ".missing")
    else:
        raise ValueError(kind)


# -- key paths in parsed TOML ---------------------------------------------------------
def walk(data: Any, path: KeyPath = ()) -> Iterator[tuple[KeyPath, Any]]:
    """Every (key path, value) below data, tables and arrays of tables included."""
    if isinstance(data, dict):
        for k, v in data.items():
            yield (*path, k), v
            yield from walk(v, (*path, k))
    elif isinstance(data, list) and all(isinstance(v, dict) for v in data):
        for i, v in enumerate(data):
            yield (*path, i), v
            yield from walk(v, (*path, i))


def leaves(data: Any) -> list[KeyPath]:
    """Key paths of the values that are not tables (strings, numbers, lists of strings)."""
    return [
        p
        for p, v in walk(data)
        if not isinstance(v, dict)
        and not (isinstance(v, list) and v and all(isinstance(x, dict) for x in v))
    ]


def get(data: Any, path: KeyPath) -> Any:
    """The value at a key path."""
    for k in path:
        data = data[k]
    return data


def put(data: Any, path: KeyPath, value: Any) -> None:
    """Set the value at a key path."""
    get(data, path[:-1])[path[-1]] = value


def remove(data: Any, path: KeyPath) -> None:
    """Delete the key (or array item) at a key path."""
    del get(data, path[:-1])[path[-1]]


def dotted(path: KeyPath) -> str:
    """A key path as the product writes it: services.vm.cells.os.owner, layers[0].id."""
    out = ""
    for k in path:
        out += f"[{k}]" if isinstance(k, int) else (f".{k}" if out else str(k))
    return out


# -- content ------------------------------------------------------------------------
@dataclass(frozen=True)
class Base:
    """A content folder to start from: raw bytes and parsed data per file."""

    name: str
    raw: dict[str, bytes]
    data: dict[str, dict[str, Any]]


@functools.cache
def base(name: str) -> Base:
    """The ``tiny`` or ``shipped`` content, read once."""
    if name == "tiny":
        files = {f.name: f.read_bytes() for f in sorted(TINY.glob("*.toml"))}
        files["templates.toml"] = (SHIPPED / "templates.toml").read_bytes()
    else:
        files = {f.name: f.read_bytes() for f in sorted(SHIPPED.glob("*.toml"))}
    return Base(name, files, {n: tomllib.loads(b.decode()) for n, b in files.items()})


class Draft:
    """A content folder being edited: per file, parsed data, raw bytes, a special, or None."""

    def __init__(self, start: Base) -> None:
        self.base = start
        self.files: dict[str, Any] = copy.deepcopy(start.data)

    def write(self, folder: Path) -> None:
        """Write the folder: data as TOML, bytes as they are, specials made, None left out."""
        folder.mkdir(parents=True)
        for name, body in self.files.items():
            target = folder / name
            if body is None:
                continue
            if isinstance(body, bytes):
                target.write_bytes(body)
            elif isinstance(body, Special):
                make_special(target, body.kind)
            else:
                target.write_text(dumps(body), encoding="utf-8")


@dataclass(frozen=True)
class Special:
    """A content file replaced by a special file (see :data:`SPECIALS`)."""

    kind: str


Edit = Callable[[Draft], None]


def content_case(
    family: str,
    label: str,
    expect: Expect,
    edit: Edit,
    *,
    start: str = "tiny",
    draw: bool = False,
    walkthrough_only: bool = False,
) -> Case:
    """A content folder made from a base by one edit.

    draw: also draw a stack in the fast profile (labels changed); walkthrough_only: the
    edit touches walkthrough.toml alone, so only ``validate`` has to refuse it.
    """

    def build(folder: Path) -> Request:
        draft = Draft(base(start))
        edit(draft)
        draft.write(folder / "content")
        return {"dir": str(folder / "content"), "draw": draw, "walkthrough_only": walkthrough_only}

    return Case("content", family, f"{start}: {label}", expect, build)


def set_value(name: str, path: KeyPath, value: Any) -> Edit:
    """Edit: set a value (any type) at a key path of a file."""
    return lambda d: put(d.files[name], path, value)


def delete_key(name: str, path: KeyPath) -> Edit:
    """Edit: delete a key or array item."""
    return lambda d: remove(d.files[name], path)


def copy_value(name: str, source: KeyPath, target: KeyPath) -> Edit:
    """Edit: copy one value over another (duplicate ids and display names)."""
    return lambda d: put(d.files[name], target, copy.deepcopy(get(d.files[name], source)))


def raw_bytes(name: str, change: Callable[[bytes], bytes]) -> Edit:
    """Edit: replace a file by a function of its original bytes."""

    def edit(d: Draft) -> None:
        d.files[name] = change(d.base.raw[name])

    return edit


def append_text(name: str, text: str) -> Edit:
    """Edit: add TOML text at the end of a file's original text."""
    return raw_bytes(name, lambda b: b + b"\n" + text.encode("utf-8", "surrogatepass"))


def replace_file(name: str, body: bytes | Special | None) -> Edit:
    """Edit: a file becomes these bytes, a special file, or goes missing (None)."""

    def edit(d: Draft) -> None:
        d.files[name] = body

    return edit


def rename_id(old: str, new: str) -> Edit:
    """Edit: rename an id everywhere it is defined or referenced (keys and values), so
    the only defect left is the new id itself (e.g. one ending in a newline)."""

    def swap(data: Any, under: str = "") -> Any:
        if isinstance(data, dict):
            return {(new if k == old else k): swap(v, k) for k, v in data.items()}
        if isinstance(data, list):
            return [swap(v, under) for v in data]
        if data == old and under != "kind":
            return new
        return data

    def edit(d: Draft) -> None:
        for name, body in d.files.items():
            if isinstance(body, dict):
                d.files[name] = swap(body)

    return edit


def both(*edits: Edit) -> Edit:
    """Edit: several edits in order."""

    def edit(d: Draft) -> None:
        for e in edits:
            e(d)

    return edit


def deep_value(depth: int, style: str) -> str:
    """TOML text nested ``depth`` levels: an array, an inline table, a dotted key or header."""
    if style == "array":
        return "deep = " + "[" * depth + "1" + "]" * depth
    if style == "table":
        return "deep = " + "{a = " * depth + "1" + "}" * depth
    if style == "dotted-key":
        return ".".join(["a"] * depth) + " = 1"
    return "[" + ".".join(["a"] * depth) + "]"


# -- result files ---------------------------------------------------------------------
@dataclass(frozen=True)
class ClassSet:
    """A simulated class made by the product: a session code and genuine result documents."""

    code: str
    docs: tuple[ResultDocument, ...]


@functools.cache
def classroom() -> ClassSet:
    """Six genuine results of one 10-question session on the shipped content."""
    matrix = load_matrix(SHIPPED)
    code, session = new_session(matrix, n=10, seed=7)
    return ClassSet(code, tuple(simulated_results(matrix, code, session, students=6, seed=3)))


def hostile_doc() -> dict[str, Any]:
    """A genuine third student's document, to be broken."""
    return classroom().docs[2].to_dict()


def reseal(doc: dict[str, Any]) -> dict[str, Any]:
    """The document with its checksum computed again (what any student can do)."""
    doc["document_checksum"] = doc_checksum(doc)
    return doc


Writer = Callable[[Path], Path]
"""Writes the hostile file into the results folder; returns its path."""


def json_file(obj: Any, name: str = "zz-hostile.json") -> Writer:
    """A hostile file holding this JSON value."""
    text = json.dumps(obj, ensure_ascii=False)
    return bytes_file(text.encode("utf-8", "surrogatepass"), name)


def bytes_file(data: bytes, name: str = "zz-hostile.json") -> Writer:
    """A hostile file holding these bytes."""

    def write(folder: Path) -> Path:
        (folder / name).write_bytes(data)
        return folder / name

    return write


def special_file(kind: str, name: str = "zz-hostile.json") -> Writer:
    """A hostile special file (FIFO, link to /dev/zero, ...) among the result files."""

    def write(folder: Path) -> Path:
        make_special(folder / name, kind)
        return folder / name

    return write


def doc_with(change: Callable[[dict[str, Any]], Any], *, sealed: bool = True) -> dict[str, Any]:
    """The third student's document changed in place (and resealed unless sealed=False)."""
    doc = hostile_doc()
    change(doc)
    return reseal(doc) if sealed else doc


def results_case(
    family: str,
    label: str,
    expect: Expect,
    write: Writer,
    *,
    dashboard: bool = False,
    conflict: bool = False,
) -> Case:
    """Two genuine result files and one hostile file in a folder.

    dashboard: also open the dashboard on it in the fast profile; conflict: the hostile
    file claims a genuine learner's name, so that learner's genuine file may be set
    aside too (but the forgery must not be kept).
    """

    def build(folder: Path) -> Request:
        target = folder / "results"
        genuine = {
            str(export_result(doc, target)): [doc.learner, doc.score]
            for doc in classroom().docs[:2]
        }
        hostile = write(target)
        return {
            "dir": str(target),
            "hostile": str(hostile),
            "genuine": genuine,
            "dashboard": dashboard,
            "conflict": conflict,
        }

    return Case("results", family, label, expect, build)


# -- progress databases ---------------------------------------------------------------
DbMaker = Callable[[Path], None]
"""Puts something at the database path (its folder exists)."""


def real_db(path: Path, answers: int = 5) -> None:
    """A genuine progress database with a few answers."""
    with Store(path) as store:
        for i in range(answers):
            store.record(
                Attempt("fuzz", f"owner:ec2:layer-{i}", ("AWS",), i % 2 == 0, 1_700_000_000.0 + i)
            )
    for side in ("-wal", "-shm"):
        path.with_name(path.name + side).unlink(missing_ok=True)


def real_db_then(change: Callable[[Path], None], answers: int = 5) -> DbMaker:
    """A genuine database, then changed (bytes overwritten, truncated, a table dropped...)."""

    def make(path: Path) -> None:
        real_db(path, answers)
        change(path)

    return make


def sql(*statements: str) -> Callable[[Path], None]:
    """A change: run SQL on the database (as another program would)."""

    def change(path: Path) -> None:
        conn = sqlite3.connect(path)
        for s in statements:
            conn.execute(s)
        conn.commit()
        conn.close()

    return change


def db_bytes(data: bytes) -> DbMaker:
    """These bytes at the database path."""

    def make(path: Path) -> None:
        path.write_bytes(data)

    return make


def db_case(
    family: str, label: str, make: DbMaker, *, preserve: bool = False, unprivileged: bool = False
) -> Case:
    """Something at the progress database path; preserve: the user's bytes must survive."""

    def build(folder: Path) -> Request:
        path = folder / "db" / "progress.sqlite3"
        path.parent.mkdir(parents=True)
        make(path)
        digest = ""
        if preserve and path.is_file() and not path.is_symlink():
            digest = hashlib.sha256(path.read_bytes()).hexdigest()
        return {"db": str(path), "preserve": digest}

    return Case("db", family, label, "any", build, unprivileged=unprivileged)


def read_only(path: Path) -> None:
    """A change: make a file (or folder) read-only."""
    path.chmod(0o444 if path.is_file() else 0o555)


def remove_tree(folder: Path) -> None:
    """Delete a case folder, read-only parts included (links are removed, never followed)."""
    for dirpath, dirnames, _files in os.walk(folder):
        Path(dirpath).chmod(0o755)
        for d in dirnames:
            if not (Path(dirpath) / d).is_symlink():
                (Path(dirpath) / d).chmod(0o755)
    shutil.rmtree(folder, ignore_errors=True)
