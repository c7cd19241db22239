"""The reliability review's cases (tests 1, 3a and 4), written out one by one.

These run in every profile, so each finding of the review stays a test: the review's
worst examples (a dotted key 100,000 deep, ``{aws_part:d}``, ``owners.customer.label =
"AWS"``, a resealed 10/10, 1,000 invented questions, a classmate's name on a worse
score, a valid database in a read-only folder, ...) and the degenerate cases around them.
"""

from __future__ import annotations

import functools
import json
import os
from pathlib import Path
from typing import Any

from srmquiz.core.sessions import new_session
from srmquiz.core.simulate import simulated_results
from srmquiz.data.content import load_matrix
from tests.fuzz.cases import (
    SHIPPED,
    Case,
    KeyPath,
    Special,
    append_text,
    both,
    bytes_file,
    classroom,
    content_case,
    copy_value,
    db_bytes,
    db_case,
    deep_value,
    delete_key,
    doc_with,
    hostile_doc,
    json_file,
    read_only,
    real_db_then,
    rename_id,
    replace_file,
    reseal,
    results_case,
    set_value,
    special_file,
    sql,
)

CSV_FORMULAS = (
    '=HYPERLINK("http://example.com/x","click")',
    "+cmd|' /C calc'!A0",
    "-2+3+cmd|' /C calc'!A0",
    "@SUM(1+1)*cmd|' /C calc'!A0",
    "\t=1+1",
)
"""The review's five spreadsheet-formula learner names."""
TEMPLATE_SPECS = (
    ("why_wrong", "customer_when_shared", "Only half: AWS {aws_part:d}."),
    ("prompts", "compare_one", "On which of these services {is} {noun:>99999999} {possessive}?"),
    ("prompts", "compare_one", "On which of these services {is} {noun!r} {possessive}?"),
    ("prompts", "compare_one", "On which of these services {is} {noun.x} {possessive}?"),
    ("prompts", "compare_one", "On which of these services {is} {noun[0]} {possessive}?"),
    ("prompts", "owner", "Who {task} on {0}?"),
    ("prompts", "owner", "Who {task} on {}?"),
)
"""Format specs, conversions, attribute and index lookups and positional fields."""


def content_corpus(huge: int) -> list[Case]:
    """Review test 1: content folders (huge: the size of the huge-string cases)."""
    matrix, templates, scenarios = "matrix.toml", "templates.toml", "scenarios.toml"
    cell = ("services", "vm", "cells", "guest-os")
    cases = [
        content_case("baseline", "unchanged", "valid", lambda d: None, draw=True),
        content_case("baseline", "unchanged", "valid", lambda d: None, start="shipped", draw=True),
        content_case(
            "duplicate ids and names",
            'owners.customer.label = "AWS"',
            "invalid",
            set_value(templates, ("owners", "customer", "label"), "AWS"),
        ),
        content_case(
            "duplicate ids and names",
            "two layers named alike",
            "invalid",
            copy_value(matrix, ("layers", 0, "name"), ("layers", 1, "name")),
        ),
        content_case(
            "duplicate ids and names",
            "two services named alike",
            "invalid",
            copy_value(matrix, ("services", "vm", "name"), ("services", "db", "name")),
        ),
        content_case(
            "duplicate ids and names",
            "two layers with one id",
            "invalid",
            copy_value(matrix, ("layers", 0, "id"), ("layers", 1, "id")),
        ),
        content_case(
            "duplicate ids and names",
            "two scenarios with one id",
            "invalid",
            lambda d: d.files[scenarios]["scenarios"].append(
                dict(d.files[scenarios]["scenarios"][0])
            ),
        ),
        content_case(
            "duplicate ids and names",
            "a table defined twice",
            "invalid",
            append_text(matrix, '[services.vm]\nname = "again"'),
        ),
    ]
    for old in ("guest-os", "vm", "iaas", "course", "vm-unpatched"):
        cases.append(
            content_case(
                "ids ending in \\n", f"id {old!r} + '\\n'", "invalid", rename_id(old, old + "\n")
            )
        )
    for group, key, text in TEMPLATE_SPECS:
        cases.append(
            content_case(
                "template specs",
                f"{group}.{key} = {text!r}",
                "invalid",
                set_value(templates, (group, key), text),
            )
        )
    for file, path in (
        (matrix, ("categories",)),
        ("controls.toml", ("categories",)),
        (matrix, ("services",)),
        ("sources.toml", ("sources",)),
    ):
        cases.append(
            content_case(
                "degenerate tables",
                f"{file}: {path[0]} = {{}}",
                "invalid",
                set_value(file, path, {}),
            )
        )
    cases.append(
        content_case(
            "degenerate tables",
            "matrix.toml: layers = []",
            "invalid",
            set_value(matrix, ("layers",), []),
        )
    )
    for kind in ("fifo", "loop", "devzero", "devurandom", "dir", "dangling"):
        cases.append(
            content_case(
                "special files",
                f"matrix.toml is a {kind}",
                "invalid",
                replace_file(matrix, Special(kind)),
            )
        )
    labels: list[tuple[str, tuple[str, KeyPath]]] = [
        ("layer name", (matrix, ("layers", 0, "name"))),
        ("service name", (matrix, ("services", "vm", "name"))),
        ("category short", (matrix, ("categories", "iaas", "short"))),
        ("owner label", (templates, ("owners", "aws", "label"))),
    ]
    for what, (file, where) in labels:
        for text in ("bad $x^$ math", "$\\notacommand$"):
            cases.append(
                content_case(
                    "mathtext labels",
                    f"{what} = {text!r}",
                    "valid",
                    set_value(file, where, text),
                    draw=True,
                )
            )
    cases.append(
        content_case(
            "mathtext labels",
            "shipped layer name 'bad $x^$ math'",
            "valid",
            set_value(matrix, ("layers", 3, "name"), "bad $x^$ math"),
            start="shipped",
            draw=True,
        )
    )
    for style, depth in (
        ("array", 500),
        ("table", 500),
        ("array", 5000),
        ("dotted-key", 100_000),
        ("dotted-header", 100_000),
    ):
        cases.append(
            content_case(
                "deep nesting",
                f"{style} {depth:,} deep",
                "invalid",
                append_text(matrix, deep_value(depth, style)),
            )
        )
    cases += [
        content_case(
            "huge strings",
            f"an explanation of {huge:,} characters",
            "any",
            set_value(matrix, (*cell, "explanation"), "x" * huge),
        ),
        content_case(
            "huge strings",
            f"a layer id of {huge:,} characters",
            "any",
            rename_id("guest-os", "g" * huge),
        ),
        content_case(
            "huge strings",
            f"an unknown owner of {huge:,} characters",
            "invalid",
            set_value(matrix, (*cell, "owner"), "a" * huge),
        ),
        content_case(
            "huge strings",
            f"a comment of {huge:,} characters",
            "any",
            append_text(matrix, "#" + "c" * huge),
        ),
        content_case(
            "empty or missing files", "matrix.toml missing", "invalid", replace_file(matrix, None)
        ),
        content_case(
            "empty or missing files",
            "templates.toml missing",
            "invalid",
            replace_file(templates, None),
        ),
        content_case(
            "empty or missing files",
            "sources.toml empty",
            "invalid",
            replace_file("sources.toml", b""),
        ),
        content_case(
            "empty or missing files",
            "controls.toml only schema_version",
            "invalid",
            replace_file("controls.toml", b"schema_version = 1\n"),
        ),
        content_case(
            "empty or missing files",
            "walkthrough.toml missing",
            "valid",
            replace_file("walkthrough.toml", None),
            start="shipped",
        ),
        content_case(
            "empty or missing files",
            "ideas.toml missing",
            "valid",
            replace_file("ideas.toml", None),
            start="shipped",
        ),
        content_case(
            "empty or missing files",
            "ideas.toml empty",
            "invalid",
            replace_file("ideas.toml", b""),
            start="shipped",
        ),
        content_case(
            "empty or missing files",
            "walkthrough.toml empty",
            "invalid",
            replace_file("walkthrough.toml", b""),
            start="shipped",
            walkthrough_only=True,
        ),
        content_case(
            "unknown owners and references",
            "owner 'amazon'",
            "invalid",
            set_value(matrix, (*cell, "owner"), "amazon"),
        ),
        content_case(
            "unknown owners and references",
            "owner 'AWS'",
            "invalid",
            set_value(matrix, (*cell, "owner"), "AWS"),
        ),
        content_case(
            "unknown owners and references",
            "unknown source",
            "invalid",
            set_value(matrix, (*cell, "source"), "nowhere"),
        ),
        content_case(
            "unknown owners and references",
            "scenario on an unknown service",
            "invalid",
            set_value(scenarios, ("scenarios", 0, "service"), "ec9"),
        ),
        content_case(
            "unknown owners and references",
            "schema_version = 2",
            "invalid",
            set_value("sources.toml", ("schema_version",), 2),
        ),
        content_case(
            "unknown owners and references",
            "walkthrough cites an unknown source",
            "invalid",
            set_value("walkthrough.toml", ("intro", 0, "source"), "nowhere"),
            start="shipped",
            walkthrough_only=True,
        ),
        content_case(
            "wrong types", "a cell that is a string", "invalid", set_value(matrix, cell, "aws")
        ),
        content_case(
            "deleted keys",
            "a cell's owner deleted",
            "invalid",
            delete_key(matrix, (*cell, "owner")),
        ),
        content_case(
            "unicode",
            "NUL in a layer name",
            "any",
            set_value(matrix, ("layers", 0, "name"), "Physical\x00 infrastructure"),
        ),
        content_case(
            "unicode",
            "RTL override, emoji and CJK in names",
            "valid",
            both(
                set_value(matrix, ("layers", 0, "name"), "\u202eevil 😀 物理"),
                set_value(matrix, ("services", "vm", "name"), "Ĉloud VM ☁"),
            ),
            draw=True,
        ),
    ]
    return cases


# -- result files -------------------------------------------------------------------
def all_correct(doc: dict[str, Any]) -> None:
    """Every answer flipped to correct, the score to match (the given answers stay)."""
    for item in doc["answers"]:
        item["correct"] = True
    doc["score"] = doc["total"]


def invented(count: int) -> Any:
    """A change: the answers replaced by `count` invented questions, all correct."""

    def change(doc: dict[str, Any]) -> None:
        doc["answers"] = [
            {
                "question_id": f"owner:ec2:invented-{i}",
                "kind": "owner",
                "service": "ec2",
                "layer": "guest-os",
                "given": ["AWS"],
                "correct": True,
                "seconds": 1.0,
            }
            for i in range(count)
        ]
        doc["score"] = doc["total"] = count

    return change


def first_answer(key: str, value: Any) -> Any:
    """A change: one field of the first answer."""
    return lambda doc: doc["answers"][0].__setitem__(key, value)


def top(key: str, value: Any) -> Any:
    """A change: one top-level field."""
    return lambda doc: doc.__setitem__(key, value)


@functools.cache
def other_session_doc() -> dict[str, Any]:
    """A genuine result of another session (another code)."""
    matrix = load_matrix(SHIPPED)
    code, session = new_session(matrix, n=10, seed=8)
    return simulated_results(matrix, code, session, students=1, seed=5)[0].to_dict()


def classmate_forgery() -> dict[str, Any]:
    """Another student's worse answers under the first genuine student's name, resealed."""
    genuine = classroom().docs[0]
    worse = min(classroom().docs[2:], key=lambda d: d.score).to_dict()
    if worse["score"] >= genuine.score:
        for item in worse["answers"]:
            item["correct"] = False
        worse["score"] = 0
    worse["learner"] = genuine.learner
    return reseal(worse)


def results_corpus(huge: int) -> list[Case]:
    """Review test 4: hostile result files, each next to two genuine ones."""
    text = json.dumps(hostile_doc())
    forged = "forged scores"
    cases = [
        results_case(
            "truncations", "cut in half", "invalid", bytes_file(text[: len(text) // 2].encode())
        ),
        results_case(
            "byte flips",
            "learner edited, checksum stale",
            "invalid",
            json_file(doc_with(top("learner", "Mallory"), sealed=False)),
        ),
        results_case(
            "deep nesting", "100,000 '['", "invalid", bytes_file(b"[" * 100_000), dashboard=True
        ),
        results_case(
            "deep nesting",
            "given nested 100,000 deep",
            "invalid",
            bytes_file(text.replace('"given": [', '"given": ' + "[" * 100_000, 1).encode()),
            dashboard=True,
        ),
        results_case(
            "wrong types",
            "given not strings",
            "invalid",
            json_file(doc_with(first_answer("given", [1, 2]))),
            dashboard=True,
        ),
        results_case(
            "wrong types",
            "given a string",
            "invalid",
            json_file(doc_with(first_answer("given", "AWS"))),
            dashboard=True,
        ),
        results_case(
            "wrong types",
            "service a list",
            "invalid",
            json_file(doc_with(first_answer("service", ["ec2"]))),
            dashboard=True,
        ),
        results_case(
            "wrong types", "score a string", "invalid", json_file(doc_with(top("score", "10")))
        ),
        results_case(
            "wrong types",
            "answers an object",
            "invalid",
            json_file(doc_with(top("answers", {"a": 1}))),
        ),
        results_case(
            forged,
            "all answers flipped to correct, resealed",
            "invalid",
            json_file(doc_with(all_correct)),
            dashboard=True,
        ),
        results_case(
            forged,
            "1,000 invented questions, resealed",
            "invalid",
            json_file(doc_with(invented(1000))),
            dashboard=True,
        ),
        results_case(forged, "0/0 result", "invalid", json_file(doc_with(invented(0)))),
        results_case(
            forged,
            "a mathtext question id",
            "invalid",
            json_file(doc_with(first_answer("question_id", "owner:$x^$:guest-os"))),
            dashboard=True,
        ),
        results_case(
            forged,
            "a classmate's name on a worse score, sorting first",
            "invalid",
            json_file(classmate_forgery(), name="AAA-forged.json"),
            conflict=True,
            dashboard=True,
        ),
        results_case(
            "other sessions",
            "a genuine result of another session",
            "invalid",
            json_file(other_session_doc()),
        ),
        results_case(
            "other sessions",
            "schema_version 99",
            "invalid",
            json_file(doc_with(top("schema_version", 99))),
        ),
        results_case(
            "huge files",
            f"a valid result padded to {huge:,} bytes",
            "any",
            json_file(doc_with(top("padding", "x" * huge))),
        ),
        results_case(
            "huge files", f"{huge:,} bytes of garbage", "invalid", bytes_file(b"\xff" * huge)
        ),
        results_case(
            "huge files",
            f"a learner name of {huge:,} characters",
            "any",
            json_file(doc_with(top("learner", "n" * huge))),
        ),
        results_case("special files", "an empty file", "invalid", bytes_file(b"")),
        results_case("special files", "not UTF-8", "invalid", bytes_file(b'{"learner": "\xff"}')),
        results_case("special files", "a JSON array", "invalid", json_file([1, 2])),
        results_case(
            "file names",
            "a newline in the file name",
            "invalid",
            bytes_file(b"{", name="bad\nname.json"),
        ),
        results_case(
            "file names",
            "an escape sequence in the file name",
            "invalid",
            bytes_file(b"{", name="\x1b[2Jx.json"),
        ),
        results_case(
            "names",
            "a newline in the learner name",
            "any",
            json_file(doc_with(top("learner", "Zed\nForged-Row    10/10   100"))),
            dashboard=True,
        ),
        results_case(
            "names",
            "escape sequences in the learner name",
            "any",
            json_file(doc_with(top("learner", "\x1b[2J\x1b[31mRed"))),
        ),
        results_case(
            "look-alike names",
            "zero-width space in a classmate's name",
            "suspect",
            json_file(doc_with(top("learner", "Demo\u200b student 1"))),
        ),
        results_case(
            "look-alike names",
            "Cyrillic 'е' in a classmate's name",
            "suspect",
            json_file(doc_with(top("learner", "D\u0435mo student 1"))),
        ),
    ]
    for kind in ("fifo", "devzero", "loop", "dir"):
        cases.append(
            results_case("special files", f"a {kind} named *.json", "invalid", special_file(kind))
        )
    for name in CSV_FORMULAS:
        cases.append(
            results_case(
                "CSV formulas",
                f"learner {name!r}",
                "any",
                json_file(doc_with(top("learner", name))),
            )
        )
    return cases


# -- progress databases ---------------------------------------------------------------
def overwrite(offset: int, data: bytes) -> Any:
    """A change: bytes written over a file at an offset (a damaged page)."""

    def change(path: Path) -> None:
        with path.open("r+b") as f:
            f.seek(offset)
            f.write(data)

    return change


def truncate_half(path: Path) -> None:
    """A change: the file cut to half its size."""
    path.write_bytes(path.read_bytes()[: path.stat().st_size // 2])


def other_program(path: Path) -> None:
    """Another program's SQLite database at the path."""
    sql(
        "CREATE TABLE notes (id INTEGER PRIMARY KEY, text TEXT)",
        "INSERT INTO notes (text) VALUES ('mine')",
    )(path)


def parent_is_file(path: Path) -> None:
    """The database's folder replaced by a file."""
    path.parent.rmdir()
    path.parent.write_bytes(b"x")


def garbage_wal(path: Path) -> None:
    """A change: a write-ahead log of zeros next to the database."""
    path.with_name(path.name + "-wal").write_bytes(b"\x00" * 5000)


def db_corpus() -> list[Case]:
    """Review test 3a: broken progress databases."""
    family = "broken files"
    return [
        db_case(family, "random bytes", db_bytes(os.urandom(4096)), preserve=True),
        db_case(family, "a real DB cut in half", real_db_then(truncate_half), preserve=True),
        db_case(
            family,
            "a real DB with a page overwritten",
            real_db_then(overwrite(8200, b"\xff" * 64), answers=2000),
            preserve=True,
        ),
        db_case(family, "another program's SQLite DB", other_program, preserve=True),
        db_case(family, "a zero-length file", db_bytes(b"")),
        db_case(family, "a directory at the path", lambda p: p.mkdir()),
        db_case(family, "the parent is a file", parent_is_file),
        db_case(family, "a link to /dev/zero", lambda p: p.symlink_to("/dev/zero")),
        db_case(
            family,
            "garbage -wal next to a real DB",
            real_db_then(garbage_wal),
        ),
        db_case("schema", "the boxes table dropped", real_db_then(sql("DROP TABLE boxes"))),
        db_case("schema", "the attempts table dropped", real_db_then(sql("DROP TABLE attempts"))),
        db_case("schema", "the results table dropped", real_db_then(sql("DROP TABLE results"))),
        db_case("schema", "a future user_version", real_db_then(sql("PRAGMA user_version = 99"))),
        db_case(
            "permissions",
            "a valid DB in a read-only folder",
            real_db_then(lambda p: read_only(p.parent)),
            unprivileged=True,
        ),
        db_case("permissions", "a read-only DB file", real_db_then(read_only), unprivileged=True),
        db_case(
            "permissions",
            "a read-only empty folder",
            lambda p: read_only(p.parent),
            unprivileged=True,
        ),
        db_case("special files", "a FIFO at the path", lambda p: os.mkfifo(p)),
    ]


def corpus(huge: int) -> list[Case]:
    """Every corpus case: content, results, databases."""
    return [*content_corpus(huge), *results_corpus(huge), *db_corpus()]
