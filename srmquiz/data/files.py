"""Writing files that belong to the user: never overwrite one, never leave half of one."""

from __future__ import annotations

import os
from pathlib import Path


def write_new(path: str | os.PathLike[str], data: str | bytes) -> Path:
    """Write data to path, or to path-2, path-3, ... when a file of that name exists.

    Opened with "x", so a file that appears meanwhile is never overwritten either.
    Returns the path written; OSError (a read-only folder, a full disk) is the caller's.
    """
    first = Path(path)
    n = 1
    while True:
        target = first if n == 1 else first.with_name(f"{first.stem}-{n}{first.suffix}")
        try:
            if isinstance(data, bytes):
                with open(target, "xb") as fb:
                    fb.write(data)
            else:
                with open(target, "x", encoding="utf-8", newline="") as ft:
                    ft.write(data)
            return target
        except FileExistsError:
            n += 1
