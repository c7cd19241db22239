"""Hostile content folders (issue #12, review section 1): every problem is one short line,
the commands exit 1, and nothing raises, hangs or eats memory."""

from __future__ import annotations

import os
import re
import subprocess
import sys
import tomllib
from pathlib import Path

import pytest

from srmquiz.cli import main
from srmquiz.core.bank import generate
from srmquiz.core.kinds import KINDS
from srmquiz.data import content, tomlread
from srmquiz.data.content import (
    EXPLANATION_FIELDS,
    LINE_CHARS,
    PROMPT_FIELDS,
    WHY_WRONG_FIELDS,
    ContentError,
    load_matrix,
    validate,
)

from .conftest import SHIPPED

ROOT = Path(__file__).parents[1]
NOT_ID = "is not a kebab-case id (lowercase letters, digits, '-')"


def edit(path: Path, old: str, new: str) -> None:
    text = path.read_text()
    assert old in text, old
    path.write_text(text.replace(old, new, 1))


def append(path: Path, extra: str) -> int:
    """Add text at the end of a file; return the line number it starts on."""
    text = path.read_text()
    if not text.endswith("\n"):
        text += "\n"
    path.write_text(text + extra)
    return text.count("\n") + 1


def one_problem(directory: Path) -> str:
    problems = validate(directory)
    assert len(problems) == 1, problems
    with pytest.raises(ContentError) as info:
        load_matrix(directory)
    assert info.value.problems == problems
    return problems[0]


# -- bounded reading: nesting, dotted keys, size ------------------------------------
@pytest.mark.parametrize(
    "value",
    [
        pytest.param("[" * 600 + "]" * 600, id="arrays-600-deep"),
        pytest.param("{a = " * 600 + "1" + "}" * 600, id="inline-tables-600-deep"),
        pytest.param("[" * 33 + "]" * 33, id="arrays-33-deep"),
    ],
)
def test_deep_nesting_is_one_line_not_a_recursion_error(tiny_dir: Path, value: str):
    line = append(tiny_dir / "matrix.toml", f"deep = {value}\n")
    assert one_problem(tiny_dir) == f"content/matrix.toml: nesting deeper than 32 at line {line}"


@pytest.mark.parametrize(
    "text",
    [
        pytest.param(".".join(["a"] * 1000) + " = 1\n", id="dotted-key"),
        pytest.param("[" + ".".join(["a"] * 1000) + "]\n", id="dotted-header"),
        pytest.param("x = {" + ".".join(["a"] * 33) + " = 1}\n", id="dotted-key-inline"),
    ],
)
def test_a_key_with_too_many_dotted_parts_is_one_line(tiny_dir: Path, text: str):
    line = append(tiny_dir / "scenarios.toml", text)
    assert one_problem(tiny_dir) == (
        f"content/scenarios.toml: a key with more than 32 dotted parts at line {line}"
    )


def test_the_scan_stops_a_key_100000_parts_deep_before_tomllib_sees_it():
    """tomllib took 24 GB on this key, and 12 s on the header; the scan refuses both."""
    key = ".".join(["a"] * 100_000)
    assert tomlread.scan(f"{key} = 1\n") == "a key with more than 32 dotted parts at line 1"
    assert tomlread.scan(f"x = 1\n[{key}]\n") == "a key with more than 32 dotted parts at line 2"
    with pytest.raises(tomlread.ReadProblem, match="dotted parts"):
        tomlread.loads(f"{key} = 1\n")


def test_a_file_over_the_size_limit_is_refused_unread(tiny_dir: Path):
    path = tiny_dir / "sources.toml"
    append(path, "# " + "x" * tomlread.MAX_BYTES + "\n")
    size = path.stat().st_size
    assert one_problem(tiny_dir) == (
        f"content/sources.toml: is {size:,} bytes, more than the 1,000,000-byte limit"
    )


def test_a_huge_value_gives_a_short_line(tiny_dir: Path):
    """The review's 50 MB value made a 50 MB "one-line" error."""
    big = "amazon" * 100_000
    edit(tiny_dir / "matrix.toml", 'owner = "customer"', f'owner = "{big}"')
    (problem,) = validate(tiny_dir)
    assert problem.startswith(
        "content/matrix.toml: services.vm.cells.guest-os.owner: 'amazonamazon"
    )
    assert "…" in problem
    assert len(problem) <= LINE_CHARS


def test_a_huge_key_gives_a_short_line(tiny_dir: Path):
    big = "k" * 500_000
    append(tiny_dir / "sources.toml", f'[sources.{big}]\ntitle = "t"\nkind = "course"\n')
    problems = validate(tiny_dir)
    assert problems
    assert all(len(p) <= LINE_CHARS and "…" in p for p in problems), problems


# -- only regular files ---------------------------------------------------------------
def test_a_symlink_loop_is_named(tiny_dir: Path):
    (tiny_dir / "matrix.toml").unlink()
    (tiny_dir / "matrix.toml").symlink_to("matrix.toml")
    assert one_problem(tiny_dir) == (
        "content/matrix.toml: symlink loop (or too many levels of symlinks)"
    )


@pytest.mark.skipif(not Path("/dev/zero").exists(), reason="no /dev/zero")
def test_a_link_to_a_device_is_not_read(tiny_dir: Path):
    (tiny_dir / "matrix.toml").unlink()
    (tiny_dir / "matrix.toml").symlink_to("/dev/zero")
    assert one_problem(tiny_dir) == "content/matrix.toml: is a device, not a regular file"


def test_a_folder_and_a_broken_symlink_are_named(tiny_dir: Path):
    (tiny_dir / "matrix.toml").unlink()
    (tiny_dir / "matrix.toml").mkdir()
    (tiny_dir / "sources.toml").unlink()
    (tiny_dir / "sources.toml").symlink_to("gone.toml")
    assert validate(tiny_dir) == [
        "content/matrix.toml: is a folder, not a regular file",
        "content/sources.toml: is a broken symlink (its target does not exist)",
    ]


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="no FIFOs here")
@pytest.mark.parametrize("name", ["matrix.toml", "walkthrough.toml"])
def test_a_fifo_is_never_opened(tiny_dir: Path, name: str):
    """Opening a FIFO blocks until a writer comes: the review's validate never returned.
    A subprocess with a timeout, so a regression fails instead of hanging the suite."""
    (tiny_dir / name).unlink(missing_ok=True)
    os.mkfifo(tiny_dir / name)
    done = subprocess.run(
        [sys.executable, "-m", "srmquiz", "validate", str(tiny_dir)],
        capture_output=True,
        text=True,
        timeout=60,
        cwd=tiny_dir.parent,
        env={**os.environ, "PYTHONPATH": str(ROOT)},
    )
    assert done.returncode == 1
    assert done.stdout.splitlines() == [
        f"content/{name}: is a named pipe (FIFO), not a regular file"
    ]
    assert "Traceback" not in done.stderr


# -- the scan reads TOML as tomllib does ---------------------------------------------
def test_the_shipped_content_scans_clean_and_parses_identically():
    for path in sorted(SHIPPED.glob("*.toml")):
        text = path.read_text()
        assert tomlread.scan(text) is None, path.name
        assert tomlread.loads(text) == tomllib.loads(text), path.name


@pytest.mark.parametrize(
    "text",
    [
        'a = "[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[["\n',
        "a = '{{{{{{{{{{{{{{{{{{{{{{{{{{{{{{{{{{{{{{{{{{{{{{{{{{{{{{{{{{{{{{{{{{{{{{'\n",
        "# [[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[\na = 1\n",
        'a = """\n[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[\n\\"""\n"""""\nb = 1\n',
        "a = '''\n" + "." * 100 + "\n''''\nb = '''x'''\n",
        '"' + ".".join("abcdefghijklmnopqrstuvwxyzabcdefghijkl") + '" = 1\n',
        "a = [" + ", ".join(["1.5"] * 100) + "]\nb = 1979-05-27T07:32:00.999\n",
        'a = "\\"[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[\\\\"\n',
        "a = " + "[" * 32 + "]" * 32 + "\n",
        ".".join(["k"] * 32) + " = 1\n",
        "[[t.u]]\nx = {a.b = [1, {c.d = 2}], e = 3}\n[[t.u]]\n",
    ],
)
def test_the_scan_skips_strings_and_comments(text: str):
    data = tomllib.loads(text)  # valid TOML within the bounds
    assert tomlread.scan(text) is None
    assert tomlread.loads(text) == data


# -- ids ------------------------------------------------------------------------------
def test_an_id_with_a_final_newline_is_refused(tiny_dir: Path):
    edit(tiny_dir / "scenarios.toml", 'id = "vm-unpatched"', 'id = "vm-unpatched\\n"')
    assert one_problem(tiny_dir) == (
        f"content/scenarios.toml: scenarios[0].id: 'vm-unpatched\\n' {NOT_ID}"
    )


def test_a_table_key_with_a_final_newline_is_refused(tiny_dir: Path):
    edit(tiny_dir / "sources.toml", "[sources.course]", '[sources."course\\n"]')
    problems = validate(tiny_dir)
    assert f"content/sources.toml: sources.'course\\n': 'course\\n' {NOT_ID}" in problems


# -- templates --------------------------------------------------------------------------
@pytest.mark.parametrize(
    ("old", "new", "message"),
    [
        (
            "{aws_part}",
            "{aws_part:d}",
            "why_wrong.aws_when_shared: placeholder '{aws_part:d}': no format spec, "
            "write {aws_part}",
        ),
        (
            "{noun}?",
            "{noun:>99999999}?",
            "prompts.always: placeholder '{noun:>99999999}': no format spec, write {noun}",
        ),
        (
            "{noun}?",
            "{noun!r}?",
            "prompts.always: placeholder '{noun!r}': no conversion (!r), write {noun}",
        ),
        (
            "{noun}?",
            "{noun.upper}?",
            "prompts.always: placeholder '{noun.upper}': only a plain {name}, "
            "no attribute or index",
        ),
        (
            "{noun}?",
            "{noun[0]}?",
            "prompts.always: placeholder '{noun[0]}': only a plain {name}, no attribute or index",
        ),
        (
            "{noun}?",
            "{}?",
            "prompts.always: positional placeholder '{}': name the field "
            "(valid here: {is}, {noun})",
        ),
        (
            "{noun}?",
            "{0}?",
            "prompts.always: positional placeholder '{0}': name the field "
            "(valid here: {is}, {noun})",
        ),
        (
            "{noun}?",
            "{noun?",
            "prompts.always: broken template: expected '}' before end of string "
            "(write {{ or }} for a literal brace)",
        ),
        (
            "{noun}?",
            "noun}?",
            "prompts.always: broken template: Single '}' encountered in format string "
            "(write {{ or }} for a literal brace)",
        ),
        (
            "{noun}?",
            "{noun:{is}}?",
            "prompts.always: placeholder '{noun:{is}}': no format spec, write {noun}",
        ),
    ],
)
def test_template_fields_are_plain_allowed_names(tiny_dir: Path, old: str, new: str, message):
    path = tiny_dir / "templates.toml"
    key = message.split(":")[0].split(".")[1]
    line = next(ln for ln in path.read_text().splitlines() if ln.startswith(f"{key} = "))
    edit(path, line, line.replace(old, new, 1))
    assert one_problem(tiny_dir) == f"content/templates.toml: {message}"


def test_every_allowed_placeholder_is_given_when_questions_are_made(tiny_dir: Path):
    """The allowed names are exactly what the question makers pass: a template that uses
    every one of them renders on every kind (no KeyError at quiz time)."""
    path = tiny_dir / "templates.toml"
    text = path.read_text()
    for group, fields in (
        ("prompts", PROMPT_FIELDS),
        ("why_wrong", WHY_WRONG_FIELDS),
        ("explanations", EXPLANATION_FIELDS),
    ):
        for key, allowed in fields.items():
            if key in ("true_label", "false_label") or not allowed:
                continue
            tail = "".join(f" <{name}={{{name}}}>" for name in sorted(allowed))
            text, n = re.subn(
                rf'(\[{group}\][^\[]*?\n{key} = ".*?)"\n', rf'\1{tail}"\n', text, count=1
            )
            assert n == 1, (group, key)
    path.write_text(text)
    matrix = load_matrix(tiny_dir)
    for seed in range(3):
        bank = generate(matrix, seed=seed, kinds=list(KINDS))
        assert bank
        assert any("<noun=" in q.prompt for q in bank)


# -- distinct labels --------------------------------------------------------------------
@pytest.mark.parametrize(
    ("file", "old", "new", "message"),
    [
        (
            "templates.toml",
            'label = "Customer"',
            'label = "AWS"',
            "templates.toml: owners.customer.label: 'AWS' is the same label as "
            "owners.aws.label: labels must differ",
        ),
        (
            "templates.toml",
            'label = "Shared"',
            'label = " aws "',
            "templates.toml: owners.shared.label: ' aws ' is the same label as "
            "owners.aws.label: labels must differ",
        ),
        (
            "templates.toml",
            'false_label = "False"',
            'false_label = "TRUE"',
            "templates.toml: prompts.false_label: 'TRUE' is the same label as "
            "prompts.true_label: labels must differ",
        ),
        (
            "matrix.toml",
            'name = "Guest operating system"',
            'name = "Physical  INFRASTRUCTURE"',
            "matrix.toml: layers[1].name: 'Physical  INFRASTRUCTURE' is the same layer name "
            "as layers[0].name: layer names must differ",
        ),
        (
            "matrix.toml",
            'name = "Tiny DB"',
            'name = "tiny vm"',
            "matrix.toml: services.db.name: 'tiny vm' is the same service name as "
            "services.vm.name: service names must differ",
        ),
        (
            "matrix.toml",
            'short = "PaaS"',
            'short = "IaaS"',
            "matrix.toml: categories.paas.short: 'IaaS' is the same short as "
            "categories.iaas.short: shorts must differ",
        ),
    ],
)
def test_labels_that_look_the_same_are_refused(tiny_dir: Path, file, old, new, message):
    edit(tiny_dir / file, old, new)
    assert one_problem(tiny_dir) == f"content/{message}"


# -- empty tables that others refer to ----------------------------------------------------
def _without_tables(text: str, prefix: str) -> str:
    """The TOML text without its [prefix.*] tables."""
    return re.sub(rf"\n\[{re.escape(prefix)}\.[^\n]*\n(?:[^\[\n][^\n]*\n)*", "\n", text)


@pytest.mark.parametrize(
    ("file", "prefix", "key"),
    [
        ("matrix.toml", "categories", "categories"),
        ("controls.toml", "categories", "categories"),
        ("sources.toml", "sources", "sources"),
        ("matrix.toml", "services", "services"),
    ],
)
def test_an_empty_referenced_table_is_an_error(tiny_dir: Path, file, prefix, key):
    path = tiny_dir / file
    path.write_text(
        _without_tables(path.read_text(), prefix).replace(
            "schema_version = 1\n", f"schema_version = 1\n{key} = {{}}\n", 1
        )
    )
    problems = validate(tiny_dir)
    assert f"content/{file}: {key}: is empty" in problems


def test_no_layers_is_an_error(tiny_dir: Path):
    path = tiny_dir / "matrix.toml"
    text = re.sub(r"\[\[layers\]\]\n(?:[^\[\n][^\n]*\n)*", "", path.read_text())
    path.write_text(text.replace("schema_version = 1\n", "schema_version = 1\nlayers = []\n"))
    assert "content/matrix.toml: layers: is empty" in validate(tiny_dir)


# -- control characters -------------------------------------------------------------------
def test_a_control_character_in_a_label_is_shown_escaped(tiny_dir: Path):
    edit(tiny_dir / "matrix.toml", 'name = "Customer data"', 'name = "Customer\\u001b[31m data"')
    assert one_problem(tiny_dir) == (
        "content/matrix.toml: layers[2].name: control character \\x1b in a one-line field: "
        "'Customer\\x1b[31m data'"
    )


def test_a_newline_in_a_label_is_refused_but_kept_in_a_long_text(tiny_dir: Path):
    path = tiny_dir / "matrix.toml"
    edit(path, 'description = "The content."', 'description = """The\ncontent."""')
    assert validate(tiny_dir) == []
    edit(path, 'name = "Tiny VM"', 'name = "Tiny\\u0085VM"')
    assert one_problem(tiny_dir) == (
        "content/matrix.toml: services.vm.name: control character \\x85 in a one-line field: "
        "'Tiny\\x85VM'"
    )


def test_a_name_too_long_to_draw_is_refused(tiny_dir: Path):
    # found by make fuzz: drawing a 100,000-character service name took matplotlib 44 s
    brace = "{"
    edit(tiny_dir / "matrix.toml", 'name = "Tiny VM"', f'name = "{brace * 100_000}"')
    assert one_problem(tiny_dir) == (
        f"content/matrix.toml: services.vm.name: 100,000 characters, at most 80: '{brace * 60}'…"
    )


def test_a_long_one_line_field_is_refused_but_a_long_text_is_not(tiny_dir: Path):
    path = tiny_dir / "matrix.toml"
    words = "word " * 1000
    edit(path, 'description = "The content."', f'description = "{words}"')
    assert validate(tiny_dir) == []
    edit(path, 'name = "Tiny VM"', 'name = "' + "x" * 81 + '"')
    assert "services.vm.name: 81 characters, at most 80" in one_problem(tiny_dir)


def test_no_problem_line_holds_a_control_character(tiny_dir: Path):
    append(tiny_dir / "sources.toml", '[sources."a\\u0007b\\u001b"]\ntitle = "\\u2028"\n')
    problems = validate(tiny_dir)
    assert problems
    for line in problems:
        assert not re.search(r"[\x00-\x1f\x7f-\x9f\u2028\u2029]", line), line


# -- the last resort ----------------------------------------------------------------------
def test_an_unexpected_error_becomes_one_line_naming_the_file(tiny_dir: Path, monkeypatch):
    def broken(*args: object) -> None:
        raise ValueError("a bug\nover two lines")

    monkeypatch.setattr(content, "_controls", broken)
    assert one_problem(tiny_dir) == (
        "content/controls.toml: cannot use this file (ValueError: 'a bug\\nover two lines'); "
        "please report this as a bug"
    )


# -- load_matrix + generate: a ContentError or a bank, never another exception -------------
WRONG_VALUES: list[object] = [None, {}, [], "", 0, [{}]]


def _emit(value: object) -> str:
    """A TOML value (inline form); JSON string escapes are TOML escapes too."""
    import json

    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int | float):
        return repr(value)
    if isinstance(value, str):
        return json.dumps(value)
    if isinstance(value, list):
        return "[" + ", ".join(_emit(v) for v in value) + "]"
    assert isinstance(value, dict)
    return "{" + ", ".join(f"{_emit(k)} = {_emit(v)}" for k, v in value.items()) + "}"


def _paths(value: object, path: tuple[str | int, ...] = ()):
    if path:
        yield path
    if isinstance(value, dict):
        for k, v in value.items():
            yield from _paths(v, (*path, k))
    elif isinstance(value, list):
        for i, v in enumerate(value):
            yield from _paths(v, (*path, i))


def _one_path_per_shape(data: dict) -> list[tuple[str | int, ...]]:
    """Every key path, but one per shape: services.vm.cells.guest-os.owner stands for
    every service's and layer's owner (same checks, a tenth of the time)."""
    ids = re.compile(r"[a-z0-9]+(?:-[a-z0-9]+)+|vm|db|course|\d+")
    seen: set[tuple[str, ...]] = set()
    out = []
    for path in _paths(data):
        shape = tuple(ids.sub("*", str(step)) for step in path)
        if shape not in seen:
            seen.add(shape)
            out.append(path)
    return out


def _changed(data: dict, path: tuple[str | int, ...], new: object) -> dict:
    import copy

    out = copy.deepcopy(data)
    parent = out
    for step in path[:-1]:
        parent = parent[step]
    if new is None:
        del parent[path[-1]]
    else:
        parent[path[-1]] = new
    return out


@pytest.mark.parametrize(
    "name", ["matrix.toml", "templates.toml", "controls.toml", "phrasings.toml"]
)
def test_every_key_deleted_or_of_a_wrong_type_is_a_content_error_or_a_bank(tiny_dir, name):
    path = tiny_dir / name
    original = tomllib.loads(path.read_text())
    for key_path in _one_path_per_shape(original):
        for new in WRONG_VALUES:
            data = _changed(original, key_path, new)
            path.write_text("".join(f"{_emit(k)} = {_emit(v)}\n" for k, v in data.items()))
            try:
                matrix = load_matrix(tiny_dir)
            except ContentError as exc:
                assert all("bug" not in p and len(p) <= LINE_CHARS for p in exc.problems)
                continue
            assert generate(matrix, seed=1), (key_path, new)


# -- the command line ------------------------------------------------------------------------
BROKEN = {
    "deep": lambda d: append(d / "matrix.toml", "deep = " + "[" * 600 + "]" * 600 + "\n"),
    "spec": lambda d: edit(d / "templates.toml", "{noun}?", "{noun:>99999999}?"),
    "labels": lambda d: edit(d / "templates.toml", 'label = "Customer"', 'label = "AWS"'),
    "no-categories": lambda d: (d / "matrix.toml").write_text(
        _without_tables((d / "matrix.toml").read_text(), "categories").replace(
            "schema_version = 1\n", "schema_version = 1\ncategories = {}\n", 1
        )
    ),
    "symlink-loop": lambda d: (
        (d / "sources.toml").unlink(),
        (d / "sources.toml").symlink_to("sources.toml"),
    ),
}


@pytest.mark.parametrize("case", list(BROKEN))
@pytest.mark.parametrize(
    "command",
    [
        ["validate", "{dir}"],
        ["questions", "--content", "{dir}"],
        ["matrix", "--content", "{dir}"],
        ["draw", "--content", "{dir}", "vm", "-o", "out.png"],
    ],
    ids=["validate", "questions", "matrix", "draw"],
)
def test_commands_exit_1_with_one_line_per_problem(tiny_dir: Path, capsys, case, command):
    BROKEN[case](tiny_dir)
    args = [a.replace("{dir}", str(tiny_dir)) for a in command]
    assert main(args) == 1
    captured = capsys.readouterr()
    lines = (captured.out + captured.err).splitlines()
    assert lines
    assert all(len(line) <= LINE_CHARS + len("srmquiz: ") for line in lines), lines
    assert "Traceback" not in captured.err
    assert not (tiny_dir.parent / "out.png").exists()
