"""Read one TOML file with bounds: only a regular file, at most ``MAX_BYTES``, nesting at
most ``MAX_DEPTH`` deep, keys of at most ``MAX_PARTS`` dotted parts.

The parser (tomli, tomllib's upstream) recurses once per nested array or inline table (500 levels raise
RecursionError) and keeps every prefix of a dotted key (a key 100,000 parts long grows to
gigabytes). :func:`scan` finds such text first, in one linear pass that skips strings and
comments the way TOML does, so a hostile file costs one clear line, never a crash or a hang.
Opening a FIFO blocks until a writer comes, so the file is checked with ``os.stat`` before
it is opened, and opened non-blocking besides.
"""

from __future__ import annotations

import os
import re
from typing import Any

import tomli

from srmquiz.data.files import UnreadableFile, read_bounded

MAX_BYTES = 1_000_000
"""A content file larger than this is refused (the largest shipped one is about 20 kB;
# scanning and parsing a file this size takes about a second at worst)."""
MAX_DEPTH = 32
"""Arrays, inline tables and table headers nested deeper than this are refused."""
MAX_PARTS = 32
"""A key or table header with more dotted parts than this is refused."""


TOMLDecodeError = tomli.TOMLDecodeError
"""A syntax error, with tomllib's message."""


class ReadProblem(Exception):
    """The file cannot be used; the message is one line without the file name."""


def read_bytes(path: str | os.PathLike[str], limit: int = MAX_BYTES) -> bytes:
    """The bytes of a regular file of at most ``limit`` bytes, or raise ReadProblem."""
    try:
        return read_bounded(path, limit)
    except UnreadableFile as exc:
        raise ReadProblem(str(exc)) from None


def loads(text: str) -> dict[str, Any]:
    """Parse TOML after :func:`scan`; raise ReadProblem for text beyond the bounds.

    :class:`TOMLDecodeError` passes through for the caller to phrase. The parser is tomli,
    tomllib's upstream, whose compiled wheel parses the shipped content about four times
    as fast (measured in `make bench`: reading the content is on the way to a learner's
    first question); its messages are tomllib's.
    """
    problem = scan(text)
    if problem is not None:
        raise ReadProblem(problem)
    try:
        return tomli.loads(text)
    except RecursionError:  # scan bounds nesting; this is only a fallback
        raise ReadProblem(f"nesting deeper than {MAX_DEPTH}") from None
    except MemoryError:
        raise ReadProblem("too large to read") from None


# Each match skips plain text, then takes one token that matters for nesting: a whole
# string or comment (skipped), a bracket, brace, "=", ",", "." or newline, or nothing at
# the end of the text. Possessive quantifiers never backtrack and every match succeeds
# where it starts, so the scan is linear; a quote that opens no complete string ("open")
# ends the scan.
_TOKEN = re.compile(
    r"""[^"'#\[\]{}=,.\n]*+("""
    r'"""(?:[^"\\]++|\\.|"(?!""))*+"""(?:""?)?+'
    r"|'''(?:[^']++|'(?!''))*+'''(?:''?)?+"
    r'|"(?:[^"\\\n]++|\\[^\n])*+"'
    r"|'[^'\n]*+'"
    r"|#[^\n]*+"
    r"|(?P<open>[\"'])"
    r"|[\[\]{}=,.\n]"
    r"|\Z)",
    re.DOTALL,
)


def scan(text: str, max_depth: int = MAX_DEPTH, max_parts: int = MAX_PARTS) -> str | None:
    """One line saying where TOML text nests too deep or has too long a key; None if fine.

    One pass in linear time. Strings (basic, literal, multi-line) and comments are skipped
    as TOML reads them, so brackets and dots inside them do not count. Text that is not
    valid TOML may end the scan early: tomllib then reports the syntax error.
    """
    stack: list[str] = []  # "h" table header, "[" array, "{" inline table
    in_key = True  # a key (or header) is being read, so a dot separates its parts
    parts = 1
    for match in _TOKEN.finditer(text):
        token = match.group(1)
        if not token:
            return None  # the end of the text
        ch = token[0]
        if ch == "\n":
            if not stack:
                in_key, parts = True, 1
        elif ch in "\"'#":
            if match.group("open") is not None:
                return None  # an unterminated string: a syntax error for tomllib
        elif ch == ".":
            if in_key:
                parts += 1
                if parts > max_parts:
                    line = text.count("\n", 0, match.start(1)) + 1
                    return f"a key with more than {max_parts} dotted parts at line {line}"
        elif ch == "=":
            in_key = False
        elif ch == ",":
            if stack and stack[-1] == "{":
                in_key, parts = True, 1
        elif ch in "[{":
            if ch == "[" and in_key and (not stack or stack[-1] == "h"):
                stack.append("h")
            else:
                stack.append(ch)
                in_key = ch == "{"
            parts = 1
            if len(stack) > max_depth:
                line = text.count("\n", 0, match.start(1)) + 1
                return f"nesting deeper than {max_depth} at line {line}"
        elif stack:  # "]" or "}"
            stack.pop()
            in_key = not stack
            if not stack:
                parts = 1
    return None
