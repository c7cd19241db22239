"""Hypothesis strategies that draw fuzz cases of every family, and drawing N of them.

Each strategy returns a :class:`~tests.fuzz.cases.Case`; the families and their weights
follow the review's content run (byte flips and truncations most, special files least).
:func:`draw_cases` collects the examples hypothesis generates (no shrinking: a case
is run later, in a worker, not inside the hypothesis test).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from hypothesis import HealthCheck, Phase, given, seed, settings
from hypothesis import strategies as st

from tests.fuzz.cases import (
    SPECIALS,
    Case,
    Expect,
    KeyPath,
    Special,
    append_text,
    base,
    bytes_file,
    classroom,
    content_case,
    copy_value,
    db_bytes,
    db_case,
    deep_value,
    delete_key,
    doc_with,
    dotted,
    get,
    hostile_doc,
    json_file,
    leaves,
    raw_bytes,
    real_db_then,
    rename_id,
    replace_file,
    results_case,
    set_value,
    short,
    special_file,
    walk,
)
from tests.fuzz.corpus import CSV_FORMULAS, invented

S = st.SearchStrategy
TEXT = st.text(st.characters(exclude_categories=["Cs"]), min_size=1, max_size=30)
"""Any Unicode text but lone surrogates (which no UTF-8 file can hold)."""
FREE_TEXT = {
    "name", "noun", "description", "explanation", "title", "story", "lesson", "where",
    "note", "short", "phrase", "aws_part", "customer_part", "label", "possessive",
    "subject", "lead", "text", "tasks",
}  # fmt: skip
"""Keys whose values are prose (never ids or references)."""
OPTIONAL = {"plural", "phrase", "note", "lesson", "part", "aws_part", "customer_part", "figure"}
"""Keys that may be left out: deleting one can leave the folder valid."""
WRONG_VALUES: dict[type, list[Any]] = {
    str: [42, True, 1.5, ["x"], {"a": "b"}, []],
    int: ["1", 1.5, True, [1]],
    bool: ["true", 1, "yes"],
    list: ["x", [1], [], {"a": "b"}, [["x"]]],
}
"""Values of another type than the one a key holds."""
HOSTILE_SPECS = (":d", ":>99999999", "!r", "!a", ".x", "[0]", ":x", ":.3", ":{x}")
ID_SUFFIXES = ("\n", "\r\n", " ", "\t", "é", "\u200b", "\u0430", "_x", "A", "-", "--x", ".")
MATHTEXT = ("bad $x^$ math", "$\\notacommand$", "cost $5 and $6", "a_b^c $", "$$", "$\\frac{1}$")
LOOKALIKES = (("o", "\u043e"), ("e", "\u0435"), (" ", "\u00a0"), ("1", "\u0661"), ("D", "D\u200b"))
BASES = st.sampled_from(["tiny", "tiny", "tiny", "shipped"])


def files(start: str) -> list[str]:
    """The files of a base folder."""
    return sorted(base(start).raw)


def only_walkthrough(name: str) -> bool:
    """Edits to walkthrough.toml are checked by validate only (load_matrix never reads it)."""
    return name == "walkthrough.toml"


# -- content ------------------------------------------------------------------------
@st.composite
def byte_flips(draw: Callable[[S[Any]], Any]) -> Case:
    """1-8 bytes of one file set to random values."""
    start = draw(BASES)
    name = draw(st.sampled_from(files(start)))
    size = len(base(start).raw[name])
    flips = draw(
        st.lists(st.tuples(st.integers(0, size - 1), st.integers(0, 255)), min_size=1, max_size=8)
    )

    def change(data: bytes) -> bytes:
        buf = bytearray(data)
        for i, v in flips:
            buf[i] = v
        return bytes(buf)

    label = f"{name}: bytes {', '.join(f'{i}={v:#04x}' for i, v in flips)}"
    return content_case(
        "byte flips",
        label,
        "any",
        raw_bytes(name, change),
        start=start,
        walkthrough_only=only_walkthrough(name),
    )


@st.composite
def truncations(draw: Callable[[S[Any]], Any]) -> Case:
    """One file cut short."""
    start = draw(BASES)
    name = draw(st.sampled_from(files(start)))
    cut = draw(st.integers(0, len(base(start).raw[name]) - 1))
    return content_case(
        "truncations",
        f"{name} cut at byte {cut}",
        "any",
        raw_bytes(name, lambda b: b[:cut]),
        start=start,
        walkthrough_only=only_walkthrough(name),
    )


@st.composite
def deleted_keys(draw: Callable[[S[Any]], Any]) -> Case:
    """One key (or array item) deleted: invalid when it was a required plain value."""
    start = draw(BASES)
    name = draw(st.sampled_from(files(start)))
    data = base(start).data[name]
    path = draw(st.sampled_from([p for p, _ in walk(data)]))
    parent = path[-2] if len(path) > 1 else ""
    required = (
        path in leaves(data)
        and path[-1] not in OPTIONAL
        and parent not in ("why_wrong", "by_service")
        and not isinstance(path[-1], int)
    )
    expect: Expect = "invalid" if required else "any"
    return content_case(
        "deleted keys",
        f"{name}: {dotted(path)} deleted",
        expect,
        delete_key(name, path),
        start=start,
        walkthrough_only=only_walkthrough(name),
    )


@st.composite
def wrong_types(draw: Callable[[S[Any]], Any]) -> Case:
    """One plain value replaced by a value of another type."""
    start = draw(BASES)
    name = draw(st.sampled_from(files(start)))
    data = base(start).data[name]
    path = draw(st.sampled_from(leaves(data)))
    old = get(data, path)
    typ = bool if isinstance(old, bool) else type(old)
    new = draw(st.sampled_from(WRONG_VALUES[typ]))
    label = f"{name}: {dotted(path)} = {short(new)}"
    return content_case(
        "wrong types",
        label,
        "invalid",
        set_value(name, path, new),
        start=start,
        walkthrough_only=only_walkthrough(name),
    )


def references(start: str) -> list[tuple[str, tuple[str | int, ...], list[str]]]:
    """(file, key path, the values valid there) of every reference in a base folder."""
    data = base(start).data
    matrix = data["matrix.toml"]
    sources = list(data["sources.toml"]["sources"])
    services = list(matrix["services"])
    layers = [la["id"] for la in matrix["layers"]]
    refs: list[tuple[str, tuple[str | int, ...], list[str]]] = [
        ("sources.toml", ("schema_version",), [])
    ]
    for sid, svc in matrix["services"].items():
        refs.append(("matrix.toml", ("services", sid, "category"), list(matrix["categories"])))
        for lid in svc["cells"]:
            refs.append(
                (
                    "matrix.toml",
                    ("services", sid, "cells", lid, "owner"),
                    ["aws", "customer", "shared"],
                )
            )
            refs.append(("matrix.toml", ("services", sid, "cells", lid, "source"), sources))
    for i in range(len(data["scenarios.toml"]["scenarios"])):
        refs.append(("scenarios.toml", ("scenarios", i, "service"), services))
        refs.append(("scenarios.toml", ("scenarios", i, "layer"), layers))
    for cid in data["controls.toml"]["controls"]:
        refs.append(
            (
                "controls.toml",
                ("controls", cid, "category"),
                list(data["controls.toml"]["categories"]),
            )
        )
        refs.append(("controls.toml", ("controls", cid, "source"), sources))
    if "walkthrough.toml" in data:
        for sid in data["walkthrough.toml"]["services"]:
            refs.append(("walkthrough.toml", ("services", sid, "source"), sources))
            refs.append(("walkthrough.toml", ("services", sid, "ask"), ["all", "changes"]))
    return refs


@st.composite
def unknown_references(draw: Callable[[S[Any]], Any]) -> Case:
    """An owner, category, source, service or layer that does not exist; a wrong schema_version."""
    start = draw(BASES)
    name, path, valid = draw(st.sampled_from(references(start)))
    if path == ("schema_version",):
        new: Any = draw(st.integers().filter(lambda v: v != 1))
    else:
        new = draw(
            st.one_of(st.sampled_from(["amazon", "AWS", "ec9", "os", "", "Customer"]), TEXT).filter(
                lambda v: v not in valid
            )
        )
    label = f"{name}: {dotted(path)} = {short(new)}"
    return content_case(
        "unknown owners and references",
        label,
        "invalid",
        set_value(name, path, new),
        start=start,
        walkthrough_only=only_walkthrough(name),
    )


@st.composite
def duplicates(draw: Callable[[S[Any]], Any]) -> Case:
    """Two owners, layers or services with one display name; two layers with one id."""
    start = draw(BASES)
    matrix = base(start).data["matrix.toml"]
    kind = draw(st.sampled_from(["owner label", "layer name", "service name", "layer id"]))
    if kind == "owner label":
        a, b = draw(st.permutations(["aws", "customer", "shared"]))[:2]
        edit = copy_value("templates.toml", ("owners", a, "label"), ("owners", b, "label"))
        what = f"owners.{b}.label = owners.{a}.label"
    elif kind == "service name":
        a, b = draw(st.permutations(list(matrix["services"])))[:2]
        edit = copy_value("matrix.toml", ("services", a, "name"), ("services", b, "name"))
        what = f"services.{b}.name = services.{a}.name"
    else:
        key = kind.split()[1]
        i, j = draw(st.permutations(range(len(matrix["layers"]))))[:2]
        edit = copy_value("matrix.toml", ("layers", i, key), ("layers", j, key))
        what = f"layers[{j}].{key} = layers[{i}].{key}"
    return content_case("duplicate ids and names", what, "invalid", edit, start=start)


def ids(start: str) -> list[str]:
    """Every id defined in a base folder (layers, services, categories, sources, scenarios)."""
    data = base(start).data
    matrix = data["matrix.toml"]
    return [
        *(la["id"] for la in matrix["layers"]),
        *matrix["services"],
        *matrix["categories"],
        *data["sources.toml"]["sources"],
        *(sc["id"] for sc in data["scenarios.toml"]["scenarios"]),
    ]


@st.composite
def id_suffixes(draw: Callable[[S[Any]], Any]) -> Case:
    """An id renamed everywhere to one with a newline, a space, a non-ASCII letter... at its end."""
    start = draw(BASES)
    old = draw(st.sampled_from(ids(start)))
    suffix = draw(st.sampled_from(ID_SUFFIXES))
    return content_case(
        "ids ending in \\n",
        f"id {old!r} + {suffix!r}",
        "invalid",
        rename_id(old, old + suffix),
        start=start,
    )


def prose(start: str) -> list[tuple[str, tuple[str | int, ...]]]:
    """(file, key path) of every prose string (not a template, id or reference)."""
    out = []
    for name, data in base(start).data.items():
        if name == "templates.toml":
            continue
        for path in leaves(data):
            key = next((k for k in reversed(path) if isinstance(k, str)), "")
            if key in FREE_TEXT and not (name == "walkthrough.toml" and key == "ask"):
                out.append((name, path))
    return out


@st.composite
def unicode_text(draw: Callable[[S[Any]], Any]) -> Case:
    """Any Unicode (control characters, RTL marks, emoji, NUL...) in a prose string."""
    start = draw(BASES)
    name, path = draw(st.sampled_from(prose(start)))
    text = draw(TEXT)
    where = draw(st.sampled_from(["replace", "prefix", "suffix"]))
    old = get(base(start).data[name], path)
    if isinstance(old, list):
        new: Any = [text]
    else:
        new = {"replace": text, "prefix": text + old, "suffix": old + text}[where]
    label = f"{name}: {dotted(path)} = {short(new)}"
    return content_case(
        "unicode",
        label,
        "any",
        set_value(name, path, new),
        start=start,
        draw=True,
        walkthrough_only=only_walkthrough(name),
    )


def huge_strings(sizes: list[int]) -> S[Case]:
    """A prose string of up to the largest size (bytes of one repeated character)."""

    @st.composite
    def make(draw: Callable[[S[Any]], Any]) -> Case:
        start = draw(BASES)
        name, path = draw(st.sampled_from(prose(start)))
        size = draw(st.sampled_from(sizes))
        char = draw(st.sampled_from(["x", "é", "😀", " ", "{"]))
        new: Any = (
            [char * size] if isinstance(get(base(start).data[name], path), list) else char * size
        )
        label = f"{name}: {dotted(path)} = {char!r} × {size:,}"
        return content_case(
            "huge strings",
            label,
            "any",
            set_value(name, path, new),
            start=start,
            walkthrough_only=only_walkthrough(name),
        )

    return make()


@st.composite
def empty_files(draw: Callable[[S[Any]], Any]) -> Case:
    """A file missing, empty, blank, or holding schema_version only."""
    start = draw(BASES)
    name = draw(st.sampled_from(files(start)))
    body = draw(st.sampled_from([None, b"", b"\n \n", b"schema_version = 1\n", b"\xef\xbb\xbf"]))
    # the walkthrough's narration and the ideas are optional files: a folder without them is valid
    optional = ("walkthrough.toml", "ideas.toml")
    expect: Expect = "valid" if body is None and name in optional else "invalid"
    label = f"{name} {'missing' if body is None else f'= {body!r}'}"
    return content_case(
        "empty or missing files",
        label,
        expect,
        replace_file(name, body),
        start=start,
        walkthrough_only=only_walkthrough(name),
    )


def deep_nesting(max_depth: int) -> S[Case]:
    """Arrays, inline tables, dotted keys or headers nested up to max_depth levels."""

    @st.composite
    def make(draw: Callable[[S[Any]], Any]) -> Case:
        start = draw(BASES)
        name = draw(st.sampled_from(files(start)))
        style = draw(st.sampled_from(["array", "table", "dotted-key", "dotted-header"]))
        depth = draw(st.integers(2, max_depth))
        label = f"{name}: {style} {depth:,} deep"
        return content_case(
            "deep nesting",
            label,
            "invalid",
            append_text(name, deep_value(depth, style)),
            start=start,
            walkthrough_only=only_walkthrough(name),
        )

    return make()


def templates() -> list[tuple[str, str, list[str]]]:
    """(group, key, allowed placeholders) of every template in the shipped templates.toml."""
    from srmquiz.data.content import EXPLANATION_FIELDS, PROMPT_FIELDS, WHY_WRONG_FIELDS

    out = [
        ("owners", f"{o}.claim", ["service", "noun", "is"]) for o in ("aws", "customer", "shared")
    ]
    for group, fields in (
        ("prompts", PROMPT_FIELDS),
        ("why_wrong", WHY_WRONG_FIELDS),
        ("explanations", EXPLANATION_FIELDS),
    ):
        out += [(group, key, sorted(allowed)) for key, allowed in fields.items()]
    return out


@st.composite
def template_specs(draw: Callable[[S[Any]], Any]) -> Case:
    """A placeholder with a format spec, conversion, attribute or index; a positional field."""
    group, key, allowed = draw(st.sampled_from(templates()))
    if allowed and draw(st.booleans()):
        field = "{" + draw(st.sampled_from(allowed)) + draw(st.sampled_from(HOSTILE_SPECS)) + "}"
    else:
        field = draw(st.sampled_from(["{0}", "{}", "{1:>9}"]))
    path = (group, *key.split("."))
    old = get(base("tiny").data["templates.toml"], path)
    return content_case(
        "template specs",
        f"{'.'.join(path)} += {field!r}",
        "invalid",
        set_value("templates.toml", path, f"{old} {field}"),
    )


DEGENERATE: tuple[tuple[str, KeyPath, Any], ...] = (
    ("matrix.toml", ("categories",), {}),
    ("controls.toml", ("categories",), {}),
    ("matrix.toml", ("services",), {}),
    ("sources.toml", ("sources",), {}),
    ("matrix.toml", ("layers",), []),
    ("phrasings.toml", ("layers",), {}),
)


@st.composite
def degenerate_tables(draw: Callable[[S[Any]], Any]) -> Case:
    """A referenced table left empty."""
    start = draw(BASES)
    name, path, empty = draw(st.sampled_from(DEGENERATE))
    return content_case(
        "degenerate tables",
        f"{name}: {path[0]} = {empty!r}",
        "invalid",
        set_value(name, path, empty),
        start=start,
    )


@st.composite
def special_files(draw: Callable[[S[Any]], Any]) -> Case:
    """A content file that is a FIFO, a symlink loop, a link to a device, a folder..."""
    start = draw(BASES)
    name = draw(st.sampled_from(files(start)))
    kind = draw(st.sampled_from(SPECIALS))
    # walkthrough.toml is optional: a dangling link to it is as good as no file.
    optional = name == "walkthrough.toml" and kind == "dangling"
    return content_case(
        "special files",
        f"{name} is a {kind}",
        "any" if optional else "invalid",
        replace_file(name, Special(kind)),
        start=start,
        walkthrough_only=only_walkthrough(name),
    )


@st.composite
def mathtext_labels(draw: Callable[[S[Any]], Any]) -> Case:
    """A label that is drawn holds dollar signs: valid content, and it must draw."""
    start = draw(BASES)
    data = base(start).data
    targets: list[tuple[str, tuple[str | int, ...]]] = [
        ("templates.toml", ("owners", o, "label")) for o in ("aws", "customer", "shared")
    ]
    targets += [
        ("matrix.toml", ("layers", i, "name")) for i in range(len(data["matrix.toml"]["layers"]))
    ]
    targets += [("matrix.toml", ("services", s, "name")) for s in data["matrix.toml"]["services"]]
    targets += [
        ("matrix.toml", ("categories", c, "short")) for c in data["matrix.toml"]["categories"]
    ]
    name, path = draw(st.sampled_from(targets))
    text = draw(
        st.one_of(
            st.sampled_from(MATHTEXT),
            st.text(st.sampled_from("$^_\\{}ax "), min_size=1, max_size=10).map(
                lambda t: f"x ${t}$"
            ),
        )
    )
    return content_case(
        "mathtext labels",
        f"{name}: {dotted(path)} = {text!r}",
        "valid",
        set_value(name, path, text),
        start=start,
        draw=True,
    )


def content_cases(*, max_depth: int, sizes: list[int]) -> S[Case]:
    """Every content family, weighted roughly like the review's 1,249 folders."""
    weighted: list[tuple[S[Case], int]] = [
        (byte_flips(), 6),
        (truncations(), 3),
        (deleted_keys(), 3),
        (wrong_types(), 3),
        (unknown_references(), 2),
        (duplicates(), 2),
        (id_suffixes(), 2),
        (unicode_text(), 2),
        (huge_strings(sizes), 1),
        (empty_files(), 1),
        (deep_nesting(max_depth), 1),
        (template_specs(), 2),
        (degenerate_tables(), 1),
        (special_files(), 1),
        (mathtext_labels(), 1),
    ]
    return st.one_of(*[s for s, w in weighted for _ in range(w)])


# -- result files ---------------------------------------------------------------------
FIELDS: dict[str, tuple[type, ...]] = {
    "learner": (str,),
    "code": (str,),
    "score": (int,),
    "total": (int,),
    "answers": (list,),
    "started_at": (int, float),
    "finished_at": (int, float),
    "srmquiz_version": (str,),
    "content_checksum": (str,),
    "answers.question_id": (str,),
    "answers.kind": (str,),
    "answers.service": (str, type(None)),
    "answers.layer": (str, type(None)),
    "answers.given": (list, type(None)),
    "answers.correct": (bool,),
    "answers.seconds": (int, float, type(None)),
}
"""What each field of a result document must hold."""
JSON_VALUES = st.sampled_from(
    [None, 0, 1, -1, 1.5, True, False, "", "x", [], ["x"], [1], {}, {"a": 1}, [[["x"]]]]
)


def wrong_for(field: str, value: Any) -> bool:
    """True when value cannot be what field holds."""
    allowed = FIELDS[field]
    if isinstance(value, bool) and bool not in allowed:
        return True
    return not isinstance(value, allowed)


@st.composite
def result_wrong_types(draw: Callable[[S[Any]], Any]) -> Case:
    """One field of a resealed document holding a value of the wrong type."""
    field = draw(st.sampled_from(sorted(FIELDS)))
    value = draw(JSON_VALUES.filter(lambda v: wrong_for(field, v)))
    if field.startswith("answers."):
        key = field.split(".")[1]
        i = draw(st.integers(0, 9))
        doc = doc_with(lambda d: d["answers"][i].__setitem__(key, value))
        label = f"answers[{i}].{key} = {short(value)}"
    else:
        doc = doc_with(lambda d: d.__setitem__(field, value))
        label = f"{field} = {short(value)}"
    return results_case("wrong types", label, "invalid", json_file(doc))


@st.composite
def result_forgeries(draw: Callable[[S[Any]], Any]) -> Case:
    """Answers flipped to correct, or invented questions, resealed."""
    if draw(st.booleans()):
        count = draw(st.integers(0, 1000))
        return results_case(
            "forged scores",
            f"{count} invented questions, resealed",
            "invalid",
            json_file(doc_with(invented(count))),
        )
    flips = draw(st.sets(st.integers(0, 9), min_size=1))
    wrong = {i for i, item in enumerate(hostile_doc()["answers"]) if not item["correct"]}

    def flip(doc: dict[str, Any]) -> None:
        for i in flips:
            doc["answers"][i]["correct"] = True
        doc["score"] = sum(item["correct"] for item in doc["answers"])

    expect: Expect = "invalid" if flips & wrong else "any"
    return results_case(
        "forged scores",
        f"answers {sorted(flips)} set correct, resealed",
        expect,
        json_file(doc_with(flip)),
    )


@st.composite
def result_bytes(draw: Callable[[S[Any]], Any]) -> Case:
    """A genuine file with bytes changed, or cut short (invalid once JSON text is lost)."""
    import json

    text = json.dumps(hostile_doc(), indent=2).encode()
    if draw(st.booleans()):
        cut = draw(st.integers(0, len(text) - 1))
        expect: Expect = "invalid" if cut < len(text.rstrip()) else "any"
        return results_case("truncations", f"cut at byte {cut}", expect, bytes_file(text[:cut]))
    flips = draw(
        st.lists(
            st.tuples(st.integers(0, len(text) - 1), st.integers(0, 255)), min_size=1, max_size=6
        )
    )
    buf = bytearray(text)
    for i, v in flips:
        buf[i] = v
    return results_case(
        "byte flips",
        f"bytes {', '.join(f'{i}={v:#04x}' for i, v in flips)}",
        "any",
        bytes_file(bytes(buf)),
    )


@st.composite
def result_names(draw: Callable[[S[Any]], Any]) -> Case:
    """Any learner name (formulas, control characters, newlines, RTL...), resealed:
    valid, but every output must stay safe."""
    name = draw(
        st.one_of(
            TEXT,
            st.tuples(st.sampled_from("=+-@\t\r"), TEXT).map("".join),
            st.sampled_from(CSV_FORMULAS),
        )
    )
    return results_case(
        "names",
        f"learner {short(name)}",
        "any",
        json_file(doc_with(lambda d: d.__setitem__("learner", name))),
    )


@st.composite
def result_lookalikes(draw: Callable[[S[Any]], Any]) -> Case:
    """A genuine classmate's name with a look-alike character: not a new learner, silently."""
    learner = classroom().docs[draw(st.integers(0, 1))].learner
    options = [(a, b) for a, b in LOOKALIKES if a in learner]
    a, b = draw(st.sampled_from(options))
    name = learner.replace(a, b, 1)
    return results_case(
        "look-alike names",
        f"learner {name!r}",
        "suspect",
        json_file(doc_with(lambda d: d.__setitem__("learner", name))),
    )


@st.composite
def result_garbage(draw: Callable[[S[Any]], Any]) -> Case:
    """Files that are not results: other JSON values, deep nesting, special files, odd names."""
    kind = draw(st.sampled_from(["json", "deep", "special", "name"]))
    if kind == "json":
        value = draw(
            st.recursive(
                JSON_VALUES,
                lambda inner: (
                    st.lists(inner, max_size=3)
                    | st.dictionaries(st.text(max_size=5), inner, max_size=3)
                ),
                max_leaves=8,
            )
        )
        return results_case("garbage", f"JSON {short(value)}", "invalid", json_file(value))
    if kind == "deep":
        depth = draw(st.integers(10, 100_000))
        opener = draw(st.sampled_from(["[", '{"a":']))
        return results_case(
            "deep nesting",
            f"{opener!r} × {depth:,}",
            "invalid",
            bytes_file((opener * depth).encode()),
        )
    if kind == "special":
        special = draw(st.sampled_from(SPECIALS))
        return results_case(
            "special files", f"a {special} named *.json", "invalid", special_file(special)
        )
    name = draw(
        st.text(
            st.characters(exclude_categories=["Cs"], exclude_characters="/\x00"),
            min_size=1,
            max_size=12,
        )
    )
    return results_case(
        "file names", f"file {name + '.json'!r}", "invalid", bytes_file(b"{", name=name + ".json")
    )


def result_cases() -> S[Case]:
    """Every results family."""
    weighted: list[tuple[S[Case], int]] = [
        (result_bytes(), 3),
        (result_wrong_types(), 3),
        (result_forgeries(), 2),
        (result_names(), 3),
        (result_lookalikes(), 1),
        (result_garbage(), 2),
    ]
    return st.one_of(*[s for s, w in weighted for _ in range(w)])


# -- progress databases ---------------------------------------------------------------
@st.composite
def db_cases(draw: Callable[[S[Any]], Any]) -> Case:
    """Random bytes (maybe behind a SQLite header), or a real database damaged or cut."""
    kind = draw(st.sampled_from(["bytes", "overwrite", "truncate"]))
    if kind == "bytes":
        header = draw(st.sampled_from([b"", b"SQLite format 3\x00"]))
        data = header + draw(st.binary(max_size=8192))
        return db_case(
            "random bytes",
            f"{len(data):,} random bytes{' after a SQLite header' if header else ''}",
            db_bytes(data),
            preserve=bool(data),
        )
    answers = draw(st.sampled_from([5, 200, 2000]))
    if kind == "truncate":
        keep = draw(st.floats(0.01, 0.99))

        def cut(path: Any) -> None:
            path.write_bytes(path.read_bytes()[: int(path.stat().st_size * keep)])

        return db_case(
            "damaged real DB",
            f"a real DB ({answers} answers) cut to {keep:.0%}",
            real_db_then(cut, answers),
            preserve=True,
        )
    offset = draw(st.integers(0, 40_000))
    junk = draw(st.binary(min_size=1, max_size=512))

    def damage(path: Any) -> None:
        with path.open("r+b") as f:
            f.seek(min(offset, max(0, path.stat().st_size - 1)))
            f.write(junk)

    return db_case(
        "damaged real DB",
        f"a real DB ({answers} answers), {len(junk)} bytes at {offset:,}",
        real_db_then(damage, answers),
        preserve=True,
    )


# -- drawing N cases ----------------------------------------------------------------
def draw_cases(strategy: S[Case], count: int, *, random_seed: int | None = None) -> list[Case]:
    """`count` cases hypothesis generates from a strategy (fewer if it runs out of ideas).

    Without a seed the draw is derandomized: the same cases every run (``make test``).
    Cases with the same label are drawn once. Nothing is written to .hypothesis/.
    """
    found: dict[str, Case] = {}

    def keep(case: Case) -> None:
        found.setdefault(f"{case.kind}:{case.family}:{case.label}", case)

    for attempt in range(4):
        if len(found) >= count:
            break
        runner = settings(
            max_examples=count - len(found),
            derandomize=random_seed is None and attempt == 0,
            database=None,
            phases=[Phase.generate],
            deadline=None,
            suppress_health_check=list(HealthCheck),
        )(given(strategy)(keep))
        if random_seed is not None or attempt:
            runner = seed((random_seed or 0) * 10 + attempt)(runner)
        runner()
    return list(found.values())[:count]
