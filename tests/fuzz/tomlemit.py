"""Write parsed TOML data back as TOML text (enough for content files: no dates).

Every top-level key becomes one ``key = value`` line, tables and arrays of tables inline,
so ``tomllib.loads(dumps(data)) == data`` for any data this module accepts.
"""

from __future__ import annotations

import re
from typing import Any

BARE_KEY = re.compile(r"[A-Za-z0-9_-]+")
ESCAPES = {
    '"': '\\"',
    "\\": "\\\\",
    "\b": "\\b",
    "\t": "\\t",
    "\n": "\\n",
    "\f": "\\f",
    "\r": "\\r",
}


def dumps(data: dict[str, Any]) -> str:
    """The TOML document of a table: one line per top-level key."""
    return "".join(f"{key(k)} = {value(v)}\n" for k, v in data.items())


def key(name: str) -> str:
    """A key, bare when it can be, quoted otherwise."""
    return name if BARE_KEY.fullmatch(name) else string(name)


def string(text: str) -> str:
    """A basic string: quotes, backslashes and control characters escaped."""
    out = []
    for c in text:
        if c in ESCAPES:
            out.append(ESCAPES[c])
        elif ord(c) < 0x20 or ord(c) == 0x7F:
            out.append(f"\\u{ord(c):04x}")
        else:
            out.append(c)
    return '"' + "".join(out) + '"'


def value(v: Any) -> str:
    """Any value as inline TOML."""
    if isinstance(v, bool):
        return "true" if v else "false"
    if isinstance(v, int | float):
        return repr(v)
    if isinstance(v, str):
        return string(v)
    if isinstance(v, list):
        return "[" + ", ".join(value(x) for x in v) + "]"
    if isinstance(v, dict):
        return "{" + ", ".join(f"{key(k)} = {value(x)}" for k, x in v.items()) + "}"
    raise TypeError(f"cannot write {type(v).__name__} as TOML")
