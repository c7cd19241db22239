"""Files that belong to the user: read only what is safe to read, never overwrite one."""

from __future__ import annotations

import errno
import os
import stat
from pathlib import Path


class UnreadableFile(Exception):
    """A file that is not read; the message is one line without the file's name."""


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


def read_bounded(path: str | os.PathLike[str], limit: int) -> bytes:
    """The bytes of a regular file of at most ``limit`` bytes, or raise UnreadableFile.

    A FIFO, a device, a folder or a socket is never opened (opening a FIFO blocks until a
    writer comes); the file is checked with ``os.stat`` first and opened non-blocking, and
    at most ``limit`` + 1 bytes are read (a link to /dev/zero cannot fill the memory).
    """
    try:
        info = os.stat(path)
    except FileNotFoundError:
        if os.path.lexists(path):
            raise UnreadableFile("is a broken symlink (its target does not exist)") from None
        raise UnreadableFile("file not found") from None
    except OSError as exc:
        raise UnreadableFile(_os_problem(exc)) from None
    _check_kind(info.st_mode)
    if info.st_size > limit:
        raise UnreadableFile(f"is {info.st_size:,} bytes, more than the {limit:,}-byte limit")
    try:
        # O_NONBLOCK: should the file be swapped for a FIFO after the stat, opening still
        # returns at once (and fstat below refuses it).
        fd = os.open(path, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0))
    except OSError as exc:
        raise UnreadableFile(_os_problem(exc)) from None
    try:
        _check_kind(os.fstat(fd).st_mode)
        chunks: list[bytes] = []
        size = 0
        while size <= limit:
            chunk = os.read(fd, limit + 1 - size)
            if not chunk:
                break
            chunks.append(chunk)
            size += len(chunk)
    except OSError as exc:
        raise UnreadableFile(_os_problem(exc)) from None
    finally:
        os.close(fd)
    if size > limit:
        raise UnreadableFile(f"is more than the {limit:,}-byte limit")
    return b"".join(chunks)


def _check_kind(mode: int) -> None:
    if stat.S_ISREG(mode):
        return
    if stat.S_ISDIR(mode):
        raise UnreadableFile("is a folder, not a regular file")
    if stat.S_ISFIFO(mode):
        raise UnreadableFile("is a named pipe (FIFO), not a regular file")
    if stat.S_ISCHR(mode) or stat.S_ISBLK(mode):
        raise UnreadableFile("is a device, not a regular file")
    if stat.S_ISSOCK(mode):
        raise UnreadableFile("is a socket, not a regular file")
    raise UnreadableFile("is not a regular file")


def _os_problem(exc: OSError) -> str:
    if exc.errno == errno.ELOOP:
        return "symlink loop (or too many levels of symlinks)"
    return f"cannot read: {exc.strerror or type(exc).__name__}"
