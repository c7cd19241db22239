"""Text from users shown safely on one line: in a terminal, a list of problems, a table.

Content folders, result files and databases come from users; a name or value in them may
hold line breaks, escape sequences, zero-width or direction characters, or megabytes of
text. Every message that quotes one goes through :func:`escaped` or :func:`one_line`.
"""

from __future__ import annotations

import unicodedata

INVISIBLE = ("Cc", "Cf", "Zl", "Zp")
"""Unicode categories written as escapes: controls, format (zero-width, direction), separators."""


def escaped(text: str, *, invisible: bool = True) -> str:
    """text with control characters and line breaks written as escapes (a line break as
    ``\\n``, ESC as ``\\x1b``) and, unless ``invisible=False``, zero-width and direction
    characters too (``\\u200b``)."""
    kinds = INVISIBLE if invisible else ("Cc", "Zl", "Zp")
    return "".join(
        (repr(c)[1:-1] if ord(c) < 0x100 else f"\\u{ord(c):04x}")
        if unicodedata.category(c) in kinds
        else c
        for c in text
    )


def one_line(text: str, limit: int = 400) -> str:
    """text as one printable line of at most ``limit`` characters, ending in "…" when cut."""
    out = escaped(text[:limit])  # escaping only lengthens: nothing past limit can show
    return out if len(out) <= limit and len(text) <= limit else out[: limit - 1] + "…"
