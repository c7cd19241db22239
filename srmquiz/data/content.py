"""Read and validate the content folder (TOML) into a :class:`~srmquiz.core.matrix.Matrix`.

Every problem is reported as one line naming the file and the key path, e.g.
``content/matrix.toml: services.rds.cells.guest-os.owner: 'amazon' is not one of
aws, customer, shared``. All problems are collected, not just the first.
"""

from __future__ import annotations

import hashlib
import os
import re
import string
from collections.abc import Iterator
from dataclasses import replace
from pathlib import Path
from typing import TYPE_CHECKING, Any

from srmquiz.core.matrix import (
    Category,
    Cell,
    Control,
    ControlCategory,
    Idea,
    Layer,
    Matrix,
    Owner,
    OwnerWords,
    Scenario,
    Service,
    Source,
    Templates,
)
from srmquiz.core.text import one_line as text_line
from srmquiz.data import tomlread

if TYPE_CHECKING:  # the walkthrough's types: imported when its narration is read
    from srmquiz.core.walkthrough import Narration, Script

SCHEMA_VERSION = 1
FILES = (
    "matrix.toml",
    "sources.toml",
    "phrasings.toml",
    "templates.toml",
    "scenarios.toml",
    "controls.toml",
)
IDEAS_FILE = "ideas.toml"
"""Optional: authored questions on the model's ideas (a content folder without it has none)."""
WALKTHROUGH_FILE = "walkthrough.toml"
"""Optional: only the instructor walkthrough needs it."""
ID_RE = re.compile(r"[a-z0-9]+(?:-[a-z0-9]+)*")
"""A kebab-case id; always used with ``fullmatch`` (``$`` would accept a final newline)."""
SHOWN_CHARS = 60
"""A value quoted in a problem line is cut to this many characters."""
LINE_CHARS = 400
"""No problem line is longer than this."""
LONG_TEXT_KEYS = frozenset(
    {"description", "explanation", "story", "lesson", "note", "text", "lead", "why_wrong"}
)
"""Texts that may run over several lines (a newline or tab is kept); every other string is
one line (a label, name, id, title, template) and may hold no control character at all."""
CHECKED_KEYS = frozenset(
    {"id", "owner", "category", "source", "service", "layer", "kind", "part", "figure"}
)
"""Ids and references: each is compared with the known ids, which already refuses a control
character (shown escaped), so the character check skips them (one defect, one line)."""
_CONTROL = re.compile(r"[\x00-\x1f\x7f-\x9f\u2028\u2029]")
_CONTROL_IN_LONG_TEXT = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f]")
_BARE_KEY = re.compile(r"[A-Za-z0-9_-]{1,60}")
OWNERS = ", ".join(o.value for o in Owner)
SOURCE_KINDS = ("course", "aws-doc")

# Placeholders each template may use (templates.toml).
PROMPT_FIELDS = {
    "owner": {"task", "service"},
    "which_are": {"service", "possessive"},
    "compare_one": {"noun", "possessive", "is"},
    "compare_many": {"noun", "possessive", "is"},
    "always": {"noun", "is"},
    "always_depends": set(),
    "category": {"service"},
    "true_false": {"claim"},
    "claim_part": {"service", "side", "did"},
    "true_label": set(),
    "false_label": set(),
    "build": {"service"},
    "scenario": {"story", "ask"},
    "control_category": {"control", "control_cap"},
    "control_part": {"control", "control_cap", "did"},
    "of_in": {"service", "noun", "noun_cap", "is", "possessive"},
    "of_cloud": set(),
    "in_cloud": set(),
}
WHY_WRONG_FIELDS = {
    f"{chosen}_when_{right}": {"service", "noun", "is", "aws_part", "customer_part"}
    for chosen in ("aws", "customer", "shared")
    for right in ("aws", "customer", "shared")
    if chosen != right
} | {
    "layer_choice": {"layer", "service", "label", "explanation"},
    "service_choice": {"service", "noun", "is", "possessive", "explanation"},
    "always_depends": {"noun", "is", "possessive"},
    "always_owner": {"split"},
    "category_choice": {"label", "service", "description", "right", "right_description"},
    "true_false_wrong": {"truth", "service", "noun", "is", "possessive"},
    "true_false_part_wrong": {"truth", "service", "side", "did", "other", "other_did"},
    "shared_when_part": {
        "service",
        "noun",
        "is",
        "possessive",
        "side",
        "did",
        "other",
        "other_did",
    },
    "other_when_part": {"service", "noun", "possessive", "side", "did", "other", "other_did"},
    "control_category": {"label", "description", "control", "control_cap"},
    "control_part_other": {"control", "control_cap", "side", "did", "other", "other_did"},
    "control_part_shared": {"control", "control_cap", "side", "did", "other", "other_did"},
    "of_in": {"service", "noun", "noun_cap", "is", "possessive", "right"},
}
EXPLANATION_FIELDS = {
    "shared_parts": {"aws_part", "customer_part"},
    "shared_meaning": set(),
    "which_are": {"service", "possessive", "layers"},
    "which_are_none": {"service", "possessive"},
    "compare": {"noun_cap", "is", "possessive", "services"},
    "always_same": {"noun", "is", "possessive"},
    "always_depends": {"noun", "split"},
    "category": {"service", "category", "description"},
    "build": {"service", "aws", "customer", "shared", "total"},
    "control_category": {"category", "explanation", "control", "control_cap"},
    "control_part": {"control", "control_cap", "aws_part", "customer_part"},
    "of_in": {"service", "noun", "noun_cap", "is", "possessive", "explanation"},
}


class ContentError(Exception):
    """The content folder has problems; ``problems`` holds one line each."""

    def __init__(self, problems: list[str]) -> None:
        self.problems = [one_line(p) for p in problems]
        super().__init__("\n".join(self.problems))


def shown(value: object, limit: int = SHOWN_CHARS) -> str:
    """A value quoted for a problem line: control characters escaped, cut to ``limit``
    characters with "…" (a 50 MB value gives a short line, not a 50 MB one)."""
    if not isinstance(value, str):
        value = repr(value) if not isinstance(value, (dict, list)) else _kind(value)
        return value if len(value) <= limit else value[:limit] + "…"
    if len(value) <= limit:
        return repr(value)
    return repr(value[:limit]) + "…"


def one_line(text: str, limit: int = LINE_CHARS) -> str:
    """A problem as one printable line: control characters escaped, at most ``limit`` chars."""
    return text_line(text, limit)


def find_content_dir() -> Path:
    """Locate the shipped content: inside an installed wheel, or the repo's content/."""
    env = os.environ.get("SRMQUIZ_CONTENT")
    if env:
        return Path(env)
    here = Path(__file__).resolve().parents[1]  # the srmquiz package folder
    for candidate in (here / "_content", here.parent / "content"):
        if (candidate / "matrix.toml").is_file():
            return candidate
    raise ContentError([f"{here}: no content folder found (looked for _content/ and ../content/)"])


def display_path(path: Path) -> str:
    """A path as the user would type it: relative to the working directory when inside it."""
    try:
        # realpath, not Path.resolve: resolve raises RuntimeError on a symlink loop.
        real = Path(os.path.realpath(path.parent)) / path.name
        return str(real.relative_to(os.path.realpath(Path.cwd())))
    except (ValueError, OSError):
        return str(path)


class Checker:
    """Collects problems for one file."""

    def __init__(self, file: str, problems: list[str]) -> None:
        self.file = file
        self.problems = problems

    def add(self, path: str, message: str) -> None:
        """Record one problem at a key path."""
        where = f"{self.file}: {path}: " if path else f"{self.file}: "
        self.problems.append(one_line(where + message))

    def table(
        self,
        value: Any,
        path: str,
        required: dict[str, type],
        optional: dict[str, type] | None = None,
    ) -> dict[str, Any] | None:
        """Check a table's keys and value types; return it when usable."""
        if not isinstance(value, dict):
            self.add(path, f"expected a table, got {_kind(value)}")
            return None
        optional = optional or {}
        ok = True
        for key in value:
            if key not in required and key not in optional:
                # Reported, but the rest of the table is still used: one defect, one line.
                allowed = ", ".join(sorted([*required, *optional]))
                self.add(_join(path, key), f"unknown key (allowed: {allowed})")
        for key in required:
            if key not in value:
                self.add(_join(path, key), "missing")
                ok = False
        for key, typ in {**required, **optional}.items():
            if key in value and not self.type_ok(value[key], typ, _join(path, key)):
                ok = False
        return value if ok else None

    def type_ok(self, value: Any, typ: type, path: str) -> bool:
        """Check one value's type; record a problem and return False when it is wrong."""
        if typ is str:
            if not isinstance(value, str):
                self.add(path, f"expected a string, got {_kind(value)}")
                return False
            return True
        if typ is list:
            if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
                self.add(path, "expected a list of strings")
                return False
            if not value:
                self.add(path, "is empty")
                return False
            return True
        if typ is list_of_tables:
            if not isinstance(value, list) or not all(isinstance(v, dict) for v in value):
                self.add(path, "expected an array of tables ([[...]])")
                return False
            return True
        if not isinstance(value, typ) or isinstance(value, bool) and typ is int:
            self.add(path, f"expected {typ.__name__}, got {_kind(value)}")
            return False
        return True

    def nonempty(self, table: dict[str, Any], path: str, *keys: str) -> None:
        """Record a problem for each of these string keys that is blank."""
        for key in keys:
            if isinstance(table.get(key), str) and not table[key].strip():
                self.add(_join(path, key), "is empty")

    def id(self, value: str, path: str) -> bool:
        """Check a kebab-case id."""
        if not ID_RE.fullmatch(value):
            self.add(
                path, f"{shown(value)} is not a kebab-case id (lowercase letters, digits, '-')"
            )
            return False
        return True

    def one_of(self, value: Any, path: str, valid: list[str], what: str = "") -> bool:
        """Check that a value is one of the valid ones."""
        if not isinstance(value, str) or value not in valid:
            prefix = f"unknown {what} " if what else ""
            self.add(path, f"{prefix}{shown(value)} is not one of {', '.join(valid)}")
            return False
        return True

    def template(self, text: str, path: str, allowed: set[str]) -> None:
        """Check a template's placeholders: only the allowed names, each plain ``{name}``.

        A format spec (``{noun:>99999999}``), conversion (``{noun!r}``), attribute or index
        (``{noun.x}``, ``{noun[0]}``) or positional field (``{}``, ``{0}``) would crash the
        question maker or build huge text, so each is refused here, one line each.
        """
        try:
            fields = [
                (name, spec, conv)
                for _, name, spec, conv in string.Formatter().parse(text)
                if name is not None
            ]
        except ValueError as exc:
            self.add(path, f"broken template: {exc} (write {{{{ or }}}} for a literal brace)")
            return
        valid = ", ".join("{" + a + "}" for a in sorted(allowed)) or "none"
        unknown: set[str] = set()
        for name, spec, conv in fields:
            field = "{" + name + (f"!{conv}" if conv else "") + (f":{spec}" if spec else "") + "}"
            if name == "" or name.isdigit():
                self.add(
                    path,
                    f"positional placeholder {shown(field)}: name the field (valid here: {valid})",
                )
            elif not name.isidentifier():
                self.add(
                    path,
                    f"placeholder {shown(field)}: only a plain {{name}}, no attribute or index",
                )
            elif name not in allowed:
                if name not in unknown:
                    unknown.add(name)
                    self.add(path, f"unknown placeholder {{{name}}} (valid here: {valid})")
            elif conv:
                self.add(
                    path, f"placeholder {shown(field)}: no conversion (!{conv}), write {{{name}}}"
                )
            elif spec:
                self.add(path, f"placeholder {shown(field)}: no format spec, write {{{name}}}")

    def distinct(self, labels: list[tuple[str, Any]], what: str) -> None:
        """Each label differs from the others (ignoring case and spacing) so choices can be
        told apart; a repeat names both keys."""
        seen: dict[str, str] = {}
        for path, label in labels:
            if not isinstance(label, str) or not label.strip():
                continue
            key = " ".join(label.split()).casefold()
            if key in seen:
                self.add(
                    path, f"{shown(label)} is the same {what} as {seen[key]}: {what}s must differ"
                )
            else:
                seen[key] = path


def _join(path: str, key: str | int) -> str:
    if isinstance(key, int):
        return f"{path}[{key}]"
    if not _BARE_KEY.fullmatch(key):
        key = shown(key)
    return f"{path}.{key}" if path else key


def _strings(data: Any, path: str = "") -> Iterator[tuple[str, str, bool]]:
    """Every string value in a TOML document: (key path, text, may span lines). Iterative,
    so depth never matters."""
    todo: list[tuple[str, Any, bool]] = [(path, data, False)]
    while todo:
        where, value, long_text = todo.pop()
        if isinstance(value, str):
            yield where, value, long_text
        elif isinstance(value, dict):
            todo.extend(
                (_join(where, k), v, long_text or k in LONG_TEXT_KEYS)
                for k, v in value.items()
                if k not in CHECKED_KEYS
            )
        elif isinstance(value, list):
            todo.extend((_join(where, i), v, long_text) for i, v in enumerate(value))


LABEL_KEYS = frozenset({"name", "label", "short", "true_label", "false_label"})
"""Names and labels: drawn in the stacks and offered as choices, so kept short."""
MAX_LABEL = 80
"""Longest name or label (the shipped ones are at most 53 characters)."""
MAX_ONE_LINE = 500
"""Longest one-line field (the shipped ones are at most about 210 characters)."""


def _check_lengths(data: dict[str, Any], check: Checker) -> None:
    """Names and labels at most MAX_LABEL characters, other one-line fields MAX_ONE_LINE.

    A 100,000-character service name would take matplotlib a minute to draw, and is no name.
    """
    if not _maybe_too_long(data):
        return  # the usual case, found without building a key path for every string
    for where, text, long_text in _strings(data):
        if long_text:
            continue
        key = where.rsplit(".", 1)[-1]
        limit = MAX_LABEL if key in LABEL_KEYS else MAX_ONE_LINE
        if len(text) > limit:
            check.add(where, f"{len(text):,} characters, at most {limit}: {shown(text)}")


def _maybe_too_long(data: Any) -> bool:
    """True when a name or label is over MAX_LABEL or any string over MAX_ONE_LINE
    (iterative; long texts counted too, so False means every field is within its limit)."""
    todo: list[tuple[Any, Any]] = [(None, data)]
    while todo:
        key, value = todo.pop()
        if isinstance(value, str):
            if len(value) > (MAX_LABEL if key in LABEL_KEYS else MAX_ONE_LINE):
                return True
        elif isinstance(value, dict):
            todo.extend(value.items())
        elif isinstance(value, list):
            todo.extend((key, v) for v in value)
    return False


def _all_text(data: Any) -> str:
    """Every string value in a TOML document, joined (iterative: depth never matters)."""
    out: list[str] = []
    todo: list[Any] = [data]
    while todo:
        value = todo.pop()
        if isinstance(value, str):
            out.append(value)
        elif isinstance(value, dict):
            todo.extend(value.values())
        elif isinstance(value, list):
            todo.extend(value)
    return " ".join(out)


def _check_characters(data: dict[str, Any], check: Checker) -> None:
    """No control characters: none in a one-line field, only newline and tab in long text."""
    if not _CONTROL.search(_all_text(data)):
        return  # the usual case, found without building a key path for every string
    found = []
    for where, text, long_text in _strings(data):
        match = (_CONTROL_IN_LONG_TEXT if long_text else _CONTROL).search(text)
        if match:
            char = repr(match.group())[1:-1]
            kind = "a text" if long_text else "a one-line field"
            found.append((where, f"control character {char} in {kind}: {shown(text)}"))
    for where, message in sorted(found):
        check.add(where, message)


def _kind(value: Any) -> str:
    return {dict: "a table", list: "a list", str: "a string", bool: "a boolean"}.get(
        type(value), type(value).__name__
    )


def _read_toml(
    directory: Path, name: str, problems: list[str]
) -> tuple[dict[str, Any] | None, bytes]:
    path = directory / name
    where = display_path(path)
    try:
        raw = tomlread.read_bytes(path)
    except tomlread.ReadProblem as exc:
        problems.append(f"{where}: {exc}")
        return None, b""
    try:
        text = raw.decode("utf-8")
        data = tomlread.loads(text)
    except UnicodeDecodeError as exc:
        problems.append(f"{where}: not UTF-8 text (byte {exc.start})")
        return None, raw
    except tomlread.ReadProblem as exc:
        problems.append(f"{where}: {exc}")
        return None, raw
    except tomlread.TOMLDecodeError as exc:
        problems.append(f"{where}: {_toml_message(exc, text)}")
        return None, raw
    check = Checker(where, problems)
    version = data.get("schema_version")
    if version is None:
        check.add("schema_version", "missing")
    elif type(version) is not int or version != SCHEMA_VERSION:
        check.add(
            "schema_version",
            f"{shown(version)} is not supported (this srmquiz reads {SCHEMA_VERSION})",
        )
        return None, raw
    _check_characters(data, check)
    _check_lengths(data, check)
    return data, raw


def _toml_message(exc: tomlread.TOMLDecodeError, document: str) -> str:
    """'line L, column C: TOML syntax error: what' from the parser's message."""
    text = str(exc)
    match = re.search(r"\(at line (\d+), column (\d+)\)", text)
    if match:
        what = text[: match.start()].strip()
        return f"line {match.group(1)}, column {match.group(2)}: TOML syntax error: {what}"
    match = re.search(r"\(at end of document\)", text)
    if match:
        lines = document.split("\n")
        what = text[: match.start()].strip()
        return f"line {len(lines)}, column {len(lines[-1]) + 1}: TOML syntax error: {what}"
    return f"TOML syntax error: {text}"


def validate(directory: str | os.PathLike[str] | None = None) -> list[str]:
    """Return every problem in a content folder, one line each (empty when valid)."""
    try:
        matrix = load_matrix(directory)
    except ContentError as exc:
        return exc.problems
    base = Path(directory) if directory is not None else find_content_dir()
    if os.path.lexists(base / WALKTHROUGH_FILE):  # optional: only the walkthrough notebook needs it
        try:
            load_script(matrix, base)
        except ContentError as exc:
            return exc.problems
    return []


_read: dict[tuple[str, str], Matrix] = {}
"""(folder, checksum of its files) -> the matrix read from them."""
KEEP_READ = 8
"""How many content folders' matrices a process keeps."""


def load_matrix(directory: str | os.PathLike[str] | None = None) -> Matrix:
    """Read a content folder (the shipped one by default) or raise ContentError.

    Files that have not changed since the last read are not parsed and checked again:
    the matrix is kept per folder and content checksum (a notebook's quizzes share one;
    an edited file is read anew).
    """
    base = Path(directory) if directory is not None else find_content_dir()
    key = _fingerprint(base)
    if key is not None and key in _read:
        return _read[key]
    matrix = _read_matrix(base)
    if key is not None and key[1] == matrix.checksum:  # not changed while it was read
        while len(_read) >= KEEP_READ:
            del _read[next(iter(_read))]
        _read[key] = matrix
    return matrix


def _fingerprint(base: Path) -> tuple[str, str] | None:
    """The folder and the checksum of its content files, or None if one cannot be read."""
    digest = hashlib.sha256()
    names = [*FILES, IDEAS_FILE] if os.path.lexists(base / IDEAS_FILE) else list(FILES)
    try:
        for name in names:
            blob = tomlread.read_bytes(base / name)
            digest.update(name.encode() + b"\0" + blob + b"\0")
        folder = str(base.resolve())
    except (tomlread.ReadProblem, OSError, RuntimeError):
        return None  # read the usual way, which says what is wrong
    return folder, digest.hexdigest()


def _read_matrix(base: Path) -> Matrix:
    problems: list[str] = []
    if not base.is_dir():
        raise ContentError([f"{display_path(base)}: not a folder"])
    raw: dict[str, dict[str, Any] | None] = {}
    digest = hashlib.sha256()
    for name in FILES:
        data, blob = _read_toml(base, name, problems)
        raw[name] = data
        digest.update(name.encode() + b"\0" + blob + b"\0")
    raw[IDEAS_FILE] = None
    if os.path.lexists(base / IDEAS_FILE):
        raw[IDEAS_FILE], blob = _read_toml(base, IDEAS_FILE, problems)
        digest.update(IDEAS_FILE.encode() + b"\0" + blob + b"\0")

    stage = ""

    def checker(name: str) -> Checker:
        nonlocal stage
        stage = name
        return Checker(display_path(base / name), problems)

    try:
        sources = _sources(raw["sources.toml"], checker("sources.toml"))
        layers, categories, services, cells = _matrix(
            raw["matrix.toml"], checker("matrix.toml"), sources
        )
        layer_ids = [la.id for la in layers]
        service_ids = [s.id for s in services]
        phrasings, service_phrasings, phrasings_instead = _phrasings(
            raw["phrasings.toml"], checker("phrasings.toml"), layer_ids, service_ids
        )
        templates = _templates(raw["templates.toml"], checker("templates.toml"))
        scenarios = _scenarios(
            raw["scenarios.toml"], checker("scenarios.toml"), layer_ids, service_ids
        )
        _check_scenario_parts(scenarios, cells, checker("scenarios.toml"))
        control_categories, controls = _controls(
            raw["controls.toml"], checker("controls.toml"), sources
        )
        ideas = _ideas(raw[IDEAS_FILE], checker(IDEAS_FILE), sources)
    except Exception as exc:  # a last resort: the checks above should catch every defect
        raise _unexpected(base / stage, exc) from exc
    if problems or templates is None:
        raise ContentError(problems or ["templates.toml: unusable"])
    return Matrix(
        layers=tuple(layers),
        categories=categories,
        services=tuple(services),
        cells=cells,
        sources=sources,
        control_categories=control_categories,
        controls=tuple(controls),
        scenarios=tuple(scenarios),
        phrasings=phrasings,
        service_phrasings=service_phrasings,
        phrasings_instead=phrasings_instead,
        templates=templates,
        ideas=tuple(ideas),
        checksum=digest.hexdigest(),
    )


def _unexpected(path: Path, exc: Exception) -> ContentError:
    """One line for a defect no check caught (a bug in srmquiz, reported as a content problem)."""
    return ContentError(
        [
            f"{display_path(path)}: cannot use this file "
            f"({type(exc).__name__}: {shown(str(exc))}); please report this as a bug"
        ]
    )


def _entries(check: Checker, data: dict[str, Any], key: str) -> list[tuple[str, Any]]:
    """The entries of a table that other files or keys refer to: an empty one is a problem
    (and a value of the wrong type, already reported, gives none)."""
    value = data.get(key)
    if isinstance(value, (dict, list)) and not value:
        check.add(key, "is empty")
    return list(value.items()) if isinstance(value, dict) else []


def _sources(data: dict[str, Any] | None, check: Checker) -> dict[str, Source]:
    out: dict[str, Source] = {}
    if data is None:
        return out
    check.table(data, "", {"schema_version": int, "sources": dict})
    for sid, entry in _entries(check, data, "sources"):
        path = _join("sources", sid)
        check.id(sid, path)
        table = check.table(entry, path, {"title": str, "kind": str, "url": str, "note": str})
        if table is None:
            continue
        check.nonempty(table, path, "title")
        check.one_of(table["kind"], f"{path}.kind", list(SOURCE_KINDS))
        if table["kind"] == "aws-doc" and not table["url"].startswith("https://"):
            check.add(
                f"{path}.url", "an AWS page needs its https:// address, so a reader can check it"
            )
        out[sid] = Source(sid, table["title"], table["kind"], table["url"], table["note"])
    return out


def _source_ref(
    check: Checker, table: dict[str, Any], path: str, sources: dict[str, Source]
) -> None:
    sid = table.get("source")
    if isinstance(sid, str) and sources and sid not in sources:
        check.add(f"{path}.source", f"unknown source {shown(sid)} (not in sources.toml)")
    check.nonempty(table, path, "where")


def _matrix(
    data: dict[str, Any] | None, check: Checker, sources: dict[str, Source]
) -> tuple[list[Layer], dict[str, Category], list[Service], dict[tuple[str, str], Cell]]:
    layers: list[Layer] = []
    categories: dict[str, Category] = {}
    services: list[Service] = []
    cells: dict[tuple[str, str], Cell] = {}
    if data is None:
        return layers, categories, services, cells
    check.table(
        data,
        "",
        {"schema_version": int, "categories": dict, "layers": list_of_tables, "services": dict},
    )
    categories.update(_categories(data, check))
    layers.extend(_layers(data, check))
    layer_ids = [la.id for la in layers]
    raw_services: dict[str, dict[str, Any]] = {}
    for sid, entry in _entries(check, data, "services"):
        path = _join("services", sid)
        check.id(sid, path)
        table = check.table(
            entry,
            path,
            {"name": str, "category": str, "description": str},
            {"cells": dict, "base": str, "also_fits": list, "unstated": dict},
        )
        if table is None:
            continue
        check.nonempty(table, path, "name", "description")
        if categories:
            check.one_of(table["category"], f"{path}.category", list(categories), "category")
        also = _also_fits(table, path, check, categories)
        unstated = _unstated(table.get("unstated", {}), f"{path}.unstated", check, layer_ids)
        services.append(
            Service(
                sid,
                table["name"],
                table["category"],
                table["description"],
                table.get("base", ""),
                also,
                unstated,
            )
        )
        raw_services[sid] = table
    by_id = {s.id: s for s in services}
    owned: dict[str, dict[str, Cell]] = {}
    for service in services:
        path = _join("services", service.id)
        table = raw_services[service.id]
        own = owned[service.id] = {}
        for lid, value in table.get("cells", {}).items():
            if lid not in layer_ids:
                check.add(
                    _join(f"{path}.cells", lid),
                    f"unknown layer {shown(lid)} (layers: {', '.join(layer_ids)})",
                )
                continue
            cell = _cell(value, f"{path}.cells.{lid}", check, sources, service.id, lid)
            if cell is not None:
                own[lid] = cell
        for lid, _why in service.unstated:
            if lid in table.get("cells", {}):
                check.add(
                    f"{path}.unstated.{lid}",
                    "the layer has a cell too: a layer is either stated (a cell) or unstated",
                )
        if not service.base:
            if "cells" not in table:
                check.add(f"{path}.cells", "missing")
            cells.update({(service.id, lid): cell for lid, cell in own.items()})
    # Variants last, so that a base later in the file is complete when they inherit from it.
    broken: set[str] = set()  # a variant of a broken base is not reported again
    for i, service in enumerate(services):
        path = _join("services", service.id)
        if service.base:
            base = _variant_base(service, by_id, f"{path}.base", check)
            if base is None:
                continue
            table = raw_services[service.id]
            if not table.get("cells") and not service.unstated:
                check.add(path, f"a variant of {base.id} that changes no cell: give its cells")
            service = services[i] = _inherit(service, base, owned[service.id], cells)
            cells.update({(service.id, lid): cell for lid, cell in owned[service.id].items()})
        if service.base in broken:
            continue
        stated = {lid for (sid, lid) in cells if sid == service.id}
        tried = set(raw_services[service.id].get("cells", {}))  # a broken cell is reported once
        before = len(check.problems)
        _check_layers(stated | tried | dict(service.unstated).keys(), layers, path, check)
        if len(check.problems) > before:
            broken.add(service.id)
    check.distinct([(f"services.{s.id}.name", s.name) for s in services], "service name")
    return layers, categories, services, cells


def _categories(data: dict[str, Any], check: Checker) -> dict[str, Category]:
    categories: dict[str, Category] = {}
    for cid, entry in _entries(check, data, "categories"):
        path = _join("categories", cid)
        check.id(cid, path)
        table = check.table(
            entry, path, {"name": str, "short": str, "description": str}, {"phrase": str}
        )
        if table is not None:
            check.nonempty(table, path, "name", "short", "description", "phrase")
            phrase = table.get("phrase", table["name"])
            categories[cid] = Category(
                cid, table["name"], table["short"], table["description"], phrase
            )
    check.distinct([(f"categories.{c.id}.name", c.name) for c in categories.values()], "name")
    check.distinct([(f"categories.{c.id}.short", c.short) for c in categories.values()], "short")
    return categories


def _layers(data: dict[str, Any], check: Checker) -> list[Layer]:
    layers: list[Layer] = []
    seen: set[str] = set()
    raw_layers = data.get("layers")
    if raw_layers == []:
        check.add("layers", "is empty")
    for i, entry in enumerate(raw_layers if isinstance(raw_layers, list) else []):
        path = f"layers[{i}]"
        table = check.table(
            entry,
            path,
            {"id": str, "name": str, "noun": str, "description": str},
            {"plural": bool, "extra": bool, "splits": str},
        )
        if table is None:
            continue
        lid = table["id"]
        if not check.id(lid, f"{path}.id"):
            continue
        if lid in seen:
            check.add(f"{path}.id", f"duplicate layer id {shown(lid)}")
            continue
        seen.add(lid)
        check.nonempty(table, path, "name", "noun", "description")
        layers.append(
            Layer(
                lid,
                table["name"],
                table["noun"],
                table["description"],
                len(layers),
                table.get("plural", False),
                table.get("extra", False),
                table.get("splits", ""),
            )
        )
    check.distinct([(f"layers[{i}].name", la.name) for i, la in enumerate(layers)], "layer name")
    _check_splits(layers, check)
    return layers


def _check_splits(layers: list[Layer], check: Checker) -> None:
    """A layer splits a layer of the course's stack that is neither extra nor split itself."""
    by_id = {la.id: la for la in layers}
    for i, layer in enumerate(layers):
        if not layer.splits:
            continue
        target = by_id.get(layer.splits)
        path = f"layers[{i}].splits"
        if target is None:
            check.add(path, f"unknown layer {shown(layer.splits)} (layers: {', '.join(by_id)})")
        elif target.splits or target.extra or layer.extra or target.id == layer.id:
            check.add(
                path, f"{layer.id} cannot split {target.id}: split one of the course's layers"
            )


def _also_fits(
    table: dict[str, Any], path: str, check: Checker, categories: dict[str, Category]
) -> tuple[str, ...]:
    out = []
    for j, cid in enumerate(table.get("also_fits", [])):
        where = f"{path}.also_fits[{j}]"
        if not isinstance(cid, str):
            check.add(where, "expected a category id")
        elif categories and check.one_of(cid, where, list(categories), "category"):
            if cid == table["category"]:
                check.add(where, f"{cid} is the service's own category")
            else:
                out.append(cid)
    return tuple(out)


def _unstated(
    value: dict[str, Any], path: str, check: Checker, layer_ids: list[str]
) -> tuple[tuple[str, str], ...]:
    """Layers whose owner no source states, each with a one-line reason."""
    out = []
    for lid, why in value.items():
        where = _join(path, lid)
        if lid not in layer_ids:
            check.add(where, f"unknown layer {shown(lid)} (layers: {', '.join(layer_ids)})")
        elif not isinstance(why, str) or not why.strip():
            check.add(where, "expected a non-empty reason (what was looked for and not found)")
        else:
            out.append((lid, why))
    return tuple(out)


def _variant_base(
    service: Service, by_id: dict[str, Service], path: str, check: Checker
) -> Service | None:
    """The existing, non-variant service a variant names as its base."""
    base = by_id.get(service.base)
    if base is None:
        check.add(
            path,
            f"unknown base service {shown(service.base)} (services: {', '.join(by_id)})",
        )
        return None
    if base.id == service.id or base.base:
        check.add(path, f"{service.id} cannot vary {base.id}: a base is a service, not a variant")
        return None
    return base


def _inherit(
    service: Service,
    base: Service,
    own: dict[str, Cell],
    cells: dict[tuple[str, str], Cell],
) -> Service:
    """Give a variant every cell and unstated layer of its base that it does not state itself."""
    mine = dict(service.unstated)
    for (sid, lid), cell in list(cells.items()):
        if sid == base.id and lid not in own and lid not in mine:
            cells[(service.id, lid)] = replace(cell, service=service.id, inherited_from=base.id)
    unstated = (
        tuple((lid, why) for lid, why in base.unstated if lid not in own and lid not in mine)
        + service.unstated
    )
    return replace(service, unstated=unstated)


def _check_layers(present: set[str], layers: list[Layer], path: str, check: Checker) -> None:
    """Every course layer is stated or unstated; a split layer or its parts, not both."""
    parts: dict[str, list[str]] = {}
    for layer in layers:
        if layer.splits:
            parts.setdefault(layer.splits, []).append(layer.id)
    for layer in layers:
        if layer.extra or layer.splits:
            continue
        split = parts.get(layer.id, [])
        have = [p for p in split if p in present]
        if layer.id in present and have:
            check.add(
                f"{path}.cells.{layer.id}",
                f"the service has both {layer.id} and {', '.join(have)}, which split it: "
                "use one or the other",
            )
        elif split and have and len(have) < len(split):
            missing = [p for p in split if p not in present]
            check.add(
                f"{path}.cells.{missing[0]}",
                f"missing cell: {', '.join(split)} split {layer.id}, so the service needs all of them",
            )
        elif layer.id not in present and not have:
            either = f" (or {', '.join(split)})" if split else ""
            check.add(
                f"{path}.cells.{layer.id}",
                f"missing cell{either}: every service needs an owner or an unstated reason "
                "for every layer",
            )


def _cell(
    entry: Any, path: str, check: Checker, sources: dict[str, Source], sid: str, lid: str
) -> Cell | None:
    table = check.table(
        entry,
        path,
        {"owner": str, "explanation": str, "source": str, "where": str},
        {"aws_part": str, "customer_part": str, "why_wrong": dict, "note": str},
    )
    if table is None:
        return None
    check.nonempty(table, path, "explanation", "note")
    if "{" in table.get("note", "") or "}" in table.get("note", ""):
        check.add(f"{path}.note", "is plain text: no {placeholders} here")
    _source_ref(check, table, path, sources)
    if not check.one_of(table["owner"], f"{path}.owner", [o.value for o in Owner]):
        return None
    owner = Owner(table["owner"])
    parts = ("aws_part", "customer_part")
    if owner is Owner.SHARED:
        for key in parts:
            if not str(table.get(key, "")).strip():
                check.add(f"{path}.{key}", "missing: a shared cell says what each side does")
    else:
        for key in parts:
            if key in table:
                check.add(f"{path}.{key}", f"only shared cells have {key} (owner is {owner})")
    return Cell(
        sid,
        lid,
        owner,
        table["explanation"],
        table["source"],
        table["where"],
        table.get("aws_part", ""),
        table.get("customer_part", ""),
        _why_not(table.get("why_wrong", {}), f"{path}.why_wrong", check, owner),
        table.get("note", ""),
    )


def _why_not(
    table: dict[str, Any], path: str, check: Checker, owner: Owner
) -> tuple[tuple[Owner, str], ...]:
    """A cell's own why-wrong texts: plain text for owners other than the cell's."""
    out = []
    wrong = [o.value for o in Owner if o is not owner]
    for key, text in table.items():
        where = f"{path}.{key}"
        if not check.one_of(key, where, wrong, "wrong owner"):
            continue
        if not isinstance(text, str) or not text.strip():
            check.add(where, "expected a non-empty string")
        elif "{" in text or "}" in text:
            check.add(where, "is plain text: no {placeholders} here")
        else:
            out.append((Owner(key), text))
    return tuple(out)


class list_of_tables(list[Any]):  # noqa: N801 - used as a type tag in Checker.table
    """Type tag: a TOML array of tables."""


def _phrasings(
    data: dict[str, Any] | None, check: Checker, layer_ids: list[str], service_ids: list[str]
) -> tuple[
    dict[str, tuple[str, ...]],
    dict[tuple[str, str], tuple[str, ...]],
    dict[tuple[str, str], tuple[str, ...]],
]:
    generic: dict[str, tuple[str, ...]] = {}
    specific: dict[tuple[str, str], tuple[str, ...]] = {}
    instead: dict[tuple[str, str], tuple[str, ...]] = {}
    if data is None:
        return generic, specific, instead
    check.table(data, "", {"schema_version": int, "layers": dict})
    value = data.get("layers")
    table: dict[str, Any] = value if isinstance(value, dict) else {}
    for lid, entry in table.items():
        path = _join("layers", lid)
        if layer_ids and lid not in layer_ids:
            check.add(path, f"unknown layer {shown(lid)} (layers: {', '.join(layer_ids)})")
            continue
        t = check.table(entry, path, {"tasks": list}, {"by_service": dict, "instead": dict})
        if t is None:
            continue
        _no_blank_items(check, t["tasks"], f"{path}.tasks")
        generic[lid] = tuple(t["tasks"])
        for key, out in (("by_service", specific), ("instead", instead)):
            for sid, tasks in (t.get(key) or {}).items():
                spath = _join(f"{path}.{key}", sid)
                if service_ids and sid not in service_ids:
                    check.add(
                        spath, f"unknown service {shown(sid)} (services: {', '.join(service_ids)})"
                    )
                elif check.type_ok(tasks, list, spath):
                    _no_blank_items(check, tasks, spath)
                    if not tasks:
                        check.add(spath, "is empty")
                    out[(sid, lid)] = tuple(tasks)
    for lid in layer_ids:
        if lid not in table:
            check.add(_join("layers", lid), "missing: every layer needs at least one task phrasing")
    return generic, specific, instead


def _no_blank_items(check: Checker, items: list[str], path: str) -> None:
    for i, item in enumerate(items):
        if not item.strip():
            check.add(_join(path, i), "is empty")


def _templates(data: dict[str, Any] | None, check: Checker) -> Templates | None:
    if data is None:
        return None
    top = check.table(
        data,
        "",
        {
            "schema_version": int,
            "owners": dict,
            "prompts": dict,
            "why_wrong": dict,
            "explanations": dict,
        },
    )
    if top is None:
        return None
    owners: dict[Owner, OwnerWords] = {}
    for owner in Owner:
        path = f"owners.{owner.value}"
        entry = data["owners"].get(owner.value)
        if entry is None:
            check.add(path, "missing")
            continue
        t = check.table(
            entry, path, {"label": str, "possessive": str, "claim": str, "subject": str}
        )
        if t is not None:
            check.nonempty(t, path, "label", "possessive", "claim", "subject")
            check.template(t["claim"], f"{path}.claim", {"service", "noun", "is"})
            owners[owner] = OwnerWords(t["label"], t["possessive"], t["claim"], t["subject"])
    check.distinct([(f"owners.{o.value}.label", w.label) for o, w in owners.items()], "label")
    for key in data["owners"]:
        if key not in {o.value for o in Owner}:
            check.add(_join("owners", key), f"{shown(key)} is not one of {OWNERS}")
    groups: dict[str, dict[str, str]] = {}
    for group, fields in (
        ("prompts", PROMPT_FIELDS),
        ("why_wrong", WHY_WRONG_FIELDS),
        ("explanations", EXPLANATION_FIELDS),
    ):
        t = check.table(data[group], group, dict.fromkeys(fields, str))
        if t is None:
            continue
        if group == "prompts":  # choice labels; an empty text elsewhere is for banklint
            check.nonempty(t, group, "true_label", "false_label", "of_cloud", "in_cloud")
        for key, allowed in fields.items():
            check.template(t[key], f"{group}.{key}", allowed)
        groups[group] = t
    if "prompts" in groups:
        prompts = groups["prompts"]
        for pair in (("true_label", "false_label"), ("of_cloud", "in_cloud")):
            check.distinct([(f"prompts.{k}", prompts[k]) for k in pair], "label")
    if len(owners) != len(Owner) or len(groups) != 3:
        return None
    return Templates(owners, groups["prompts"], groups["why_wrong"], groups["explanations"])


def _scenarios(
    data: dict[str, Any] | None, check: Checker, layer_ids: list[str], service_ids: list[str]
) -> list[Scenario]:
    out: list[Scenario] = []
    if data is None:
        return out
    check.table(data, "", {"schema_version": int, "scenarios": list_of_tables})
    seen: set[str] = set()
    entries = data.get("scenarios")
    for i, entry in enumerate(entries if isinstance(entries, list) else []):
        path = f"scenarios[{i}]"
        t = check.table(
            entry,
            path,
            {"id": str, "title": str, "service": str, "layer": str, "story": str, "ask": str},
            {"lesson": str, "part": str},
        )
        if t is None:
            continue
        if not check.id(t["id"], f"{path}.id"):
            continue
        if t["id"] in seen:
            check.add(f"{path}.id", f"duplicate scenario id {shown(t['id'])}")
            continue
        seen.add(t["id"])
        check.nonempty(t, path, "title", "story", "ask")
        ok = True
        for key, valid in (("service", service_ids), ("layer", layer_ids)):
            if valid and t[key] not in valid:
                check.add(
                    f"{path}.{key}",
                    f"points at a missing cell: unknown {key} {shown(t[key])} "
                    f"({key}s: {', '.join(valid)})",
                )
                ok = False
        if ok:
            out.append(
                Scenario(
                    t["id"],
                    t["title"],
                    t["service"],
                    t["layer"],
                    t["story"],
                    t["ask"],
                    t.get("lesson", ""),
                    _part(t.get("part"), f"{path}.part", check),
                )
            )
    return out


def _part(value: str | None, path: str, check: Checker) -> Owner | None:
    halves = [Owner.AWS.value, Owner.CUSTOMER.value]
    if value is None or not check.one_of(value, path, halves, "half"):
        return None
    return Owner(value)


def _check_scenario_parts(
    scenarios: list[Scenario], cells: dict[tuple[str, str], Cell], check: Checker
) -> None:
    """A story on a shared cell names the half that failed; on any other cell it names none."""
    for i, sc in enumerate(scenarios):
        cell = cells.get((sc.service, sc.layer))
        if cell is None:
            continue
        path = f"scenarios[{i}].part"
        if cell.owner is Owner.SHARED and sc.part is None:
            check.add(
                path,
                f"missing: {sc.service}/{sc.layer} is shared, so say whose half the story is "
                "about (aws or customer)",
            )
        elif cell.owner is not Owner.SHARED and sc.part is not None:
            check.add(
                path,
                f"only stories on a shared cell name a part ({sc.service}/{sc.layer} is {cell.owner})",
            )


def _controls(
    data: dict[str, Any] | None, check: Checker, sources: dict[str, Source]
) -> tuple[dict[str, ControlCategory], list[Control]]:
    categories: dict[str, ControlCategory] = {}
    controls: list[Control] = []
    if data is None:
        return categories, controls
    check.table(data, "", {"schema_version": int, "categories": dict, "controls": dict})
    for cid, entry in _entries(check, data, "categories"):
        path = _join("categories", cid)
        check.id(cid, path)
        t = check.table(entry, path, {"name": str, "description": str})
        if t is not None:
            check.nonempty(t, path, "name", "description")
            categories[cid] = ControlCategory(cid, t["name"], t["description"])
    check.distinct([(f"categories.{c.id}.name", c.name) for c in categories.values()], "name")
    value = data.get("controls")
    for cid, entry in (value if isinstance(value, dict) else {}).items():
        path = _join("controls", cid)
        check.id(cid, path)
        t = check.table(
            entry,
            path,
            {"name": str, "category": str, "explanation": str, "source": str, "where": str},
            {"aws_part": str, "customer_part": str},
        )
        if t is None:
            continue
        check.nonempty(t, path, "name", "explanation", "aws_part", "customer_part")
        _source_ref(check, t, path, sources)
        if categories:
            check.one_of(t["category"], f"{path}.category", list(categories), "category")
        _control_parts(t, path, check)
        controls.append(
            Control(
                cid,
                t["name"],
                t["category"],
                t["explanation"],
                t["source"],
                t["where"],
                t.get("aws_part", ""),
                t.get("customer_part", ""),
            )
        )
    return categories, controls


def _control_parts(t: dict[str, Any], path: str, check: Checker) -> None:
    """A shared control says what each side does; other controls have one side only."""
    given = [k for k in ("aws_part", "customer_part") if k in t]
    if t["category"] == "shared" and len(given) == 1:
        missing = "customer_part" if given == ["aws_part"] else "aws_part"
        check.add(f"{path}.{missing}", "missing: a shared control says what each side does")
    elif t["category"] != "shared" and given:
        check.add(f"{path}.{given[0]}", f"only shared controls have {given[0]}")


def _ideas(data: dict[str, Any] | None, check: Checker, sources: dict[str, Source]) -> list[Idea]:
    """Authored questions on the model's ideas: one right answer, each wrong one with its reason."""
    out: list[Idea] = []
    if data is None:
        return out
    check.table(data, "", {"schema_version": int, "ideas": dict})
    for iid, entry in _entries(check, data, "ideas"):
        path = _join("ideas", iid)
        check.id(iid, path)
        t = check.table(
            entry,
            path,
            {
                "title": str,
                "prompt": str,
                "answer": str,
                "wrong": list,
                "explanation": str,
                "source": str,
                "where": str,
                "why_wrong": dict,
            },
        )
        if t is None:
            continue
        check.nonempty(t, path, "title", "prompt", "answer", "explanation")
        _source_ref(check, t, path, sources)
        wrong = t["wrong"]
        if not 2 <= len(wrong) <= 5 or not all(isinstance(w, str) and w.strip() for w in wrong):
            check.add(f"{path}.wrong", "expected 2 to 5 wrong choices, each a non-empty string")
            continue
        choices = [t["answer"], *wrong]
        if len(set(choices)) != len(choices):
            check.add(f"{path}.wrong", "the choices are not all different (answer included)")
            continue
        reasons = t["why_wrong"]
        for choice in wrong:
            text = reasons.get(choice)
            if not isinstance(text, str) or not text.strip():
                check.add(
                    _join(f"{path}.why_wrong", choice), "missing: say why this choice is wrong"
                )
        for key in reasons:
            if key not in wrong:
                check.add(
                    _join(f"{path}.why_wrong", key),
                    "is not one of the wrong choices (check spelling)",
                )
        for key, value in (("prompt", t["prompt"]), ("answer", t["answer"])):
            if "{" in value or "}" in value:
                check.add(f"{path}.{key}", "is plain text: no {placeholders} here")
        out.append(
            Idea(
                iid,
                t["title"],
                t["prompt"],
                t["answer"],
                tuple((w, str(reasons.get(w, ""))) for w in wrong),
                t["explanation"],
                t["source"],
                t["where"],
            )
        )
    return out


# -- the walkthrough's narration ----------------------------------------------------
def load_script(matrix: Matrix, directory: str | os.PathLike[str] | None = None) -> Script:
    """Read content/walkthrough.toml or raise ContentError (one line per problem)."""
    base = Path(directory) if directory is not None else find_content_dir()
    problems: list[str] = []
    data, _ = _read_toml(base, WALKTHROUGH_FILE, problems)
    check = Checker(display_path(base / WALKTHROUGH_FILE), problems)
    script = None
    if data is not None:
        try:
            script = _script(data, check, matrix)
        except Exception as exc:  # a last resort, as in load_matrix
            raise _unexpected(base / WALKTHROUGH_FILE, exc) from exc
    if problems or script is None:
        raise ContentError(problems or [f"{display_path(base / WALKTHROUGH_FILE)}: unusable"])
    return script


def _narration(
    value: Any,
    path: str,
    check: Checker,
    matrix: Matrix,
    figures: tuple[str, ...] = ("foundations",),
) -> Narration | None:
    from srmquiz.core.walkthrough import Narration

    table = check.table(
        value,
        path,
        {"title": str, "text": str, "source": str, "where": str},
        {"figure": str, "services": list},
    )
    if table is None:
        return None
    check.nonempty(table, path, "title", "text", "where")
    if table["source"] not in matrix.sources:
        check.one_of(table["source"], f"{path}.source", sorted(matrix.sources), "source")
    figure = table.get("figure", "")
    if figure:
        check.one_of(figure, f"{path}.figure", list(figures), "figure")
    services = table.get("services", [])
    for i, sid in enumerate(services):
        if sid not in matrix.service_ids:
            check.one_of(sid, f"{path}.services[{i}]", matrix.service_ids, "service")
    if services and figure:
        check.add(f"{path}.services", "a step has one picture: a figure or services, not both")
    return Narration(
        table["title"], table["text"], table["source"], table["where"], figure, tuple(services)
    )


def _script(data: dict[str, Any], check: Checker, matrix: Matrix) -> Script | None:
    from srmquiz.core.walkthrough import ASK_MODES, Script, ServicePart

    top = check.table(
        data,
        "",
        {
            "schema_version": int,
            "intro": list_of_tables,
            "services": dict,
            "rules": dict,
            "comparison": dict,
            "class-quiz": dict,
        },
        {"spectrum": list_of_tables},
    )
    if top is None:
        return None
    intro = [_narration(v, f"intro[{i}]", check, matrix) for i, v in enumerate(top["intro"])]
    parts = []
    for sid, value in top["services"].items():
        path = _join("services", sid)
        if sid not in matrix.service_ids:
            check.one_of(sid, path, matrix.service_ids, "service")
            continue
        table = check.table(value, path, {"lead": str, "ask": str, "source": str, "where": str})
        if table is None:
            continue
        check.nonempty(table, path, "lead", "where")
        check.one_of(table["ask"], f"{path}.ask", list(ASK_MODES))
        if table["source"] not in matrix.sources:
            check.one_of(table["source"], f"{path}.source", sorted(matrix.sources), "source")
        parts.append(ServicePart(sid, table["lead"], table["ask"], table["source"], table["where"]))
    if not top["services"]:
        check.add("services", "is empty")
    rules = _narration(top["rules"], "rules", check, matrix)
    comparison = _narration(top["comparison"], "comparison", check, matrix)
    class_quiz = _narration(top["class-quiz"], "class-quiz", check, matrix)
    spectrum = [
        _narration(v, f"spectrum[{i}]", check, matrix, ("spectrum",))
        for i, v in enumerate(top.get("spectrum", []))
    ]
    if None in intro or None in spectrum or rules is None or comparison is None:
        return None
    if class_quiz is None:
        return None
    return Script(
        tuple(intro),  # type: ignore[arg-type]
        tuple(parts),
        rules,
        comparison,
        class_quiz,
        tuple(spectrum),  # type: ignore[arg-type]
    )
