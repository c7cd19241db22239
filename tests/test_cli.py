"""The command line: JSON shapes, determinism, exit codes and messages."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from srmquiz.cli import main
from srmquiz.core.sessions import parse_code

from .conftest import BAD, EIGHT_KINDS

ROOT = Path(__file__).parents[1]


def run(*args: str, cwd: Path | None = None) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    return subprocess.run(
        [sys.executable, "-m", "srmquiz", *args],
        capture_output=True,
        text=True,
        cwd=cwd,
        env=env,
        check=False,
    )


def test_matrix_json_shape(capsys):
    assert main(["matrix", "--json"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert list(data) == ["services", "layers", "cells", "controls", "sources", "unstated"]
    assert data["services"][0] == {"id": "ec2", "name": "Amazon EC2", "category": "iaas"}
    assert data["layers"][0] == {"id": "physical-infrastructure", "name": "Physical infrastructure"}
    assert data["layers"][-1]["id"] == "customer-data"
    assert all(
        set(c) == {"service", "layer", "owner", "explanation", "source"} for c in data["cells"]
    )
    # Each service gives every layer it has once, as a cell or as "unstated": the course's
    # twelve, with "Platform & applications" or both of its split parts (runtime, code),
    # plus the orchestration control plane where it has one; EC2, RDS, S3 keep the twelve.
    ids = [la["id"] for la in data["layers"]]
    split = {"runtime", "application-code"}
    twelve = set(ids) - split - {"control-plane"}
    assert len(twelve) == 12
    given: dict[str, list[str]] = {s["id"]: [] for s in data["services"]}
    for c in [*data["cells"], *data["unstated"]]:
        given[c["service"]].append(c["layer"])
    for sid, layers in given.items():
        assert len(layers) == len(set(layers)), sid
        platform = {"platform-applications"} if "runtime" not in layers else split
        assert set(layers) - {"control-plane"} == twelve - {"platform-applications"} | platform
    assert all(set(given[s]) == twelve for s in ("ec2", "rds", "s3"))
    assert all(set(u) == {"service", "layer", "reason"} and u["reason"] for u in data["unstated"])
    bases = {s["base"] for s in data["services"] if "base" in s}
    assert bases and bases <= set(given) - {s["id"] for s in data["services"] if "base" in s}
    assert all(set(c) == {"id", "name", "category"} for c in data["controls"])
    assert all(set(s) == {"id", "title", "kind", "url"} for s in data["sources"])
    cited = {c["source"] for c in data["cells"]}
    assert cited <= {s["id"] for s in data["sources"]}  # every cited id can be looked up


def test_matrix_table_reads_top_down(matrix, capsys):
    assert main(["matrix"]) == 0
    blocks = [b.splitlines() for b in capsys.readouterr().out.rstrip("\n").split("\n\n")]
    assert len(blocks) == 3  # 14 services, five to a block so a terminal holds them
    lines = blocks[0]
    assert "Amazon EC2" in lines[0] and "PaaS" in lines[1]
    assert lines[3].split()[:2] == ["Customer", "data"]
    assert lines[-1].split() == ["Physical", "infrastructure", *["AWS"] * 5]
    # Lambda splits "Platform & applications"; the others lack its parts ("-").
    assert ["Application", "code", "-", "-", "-", "Customer", "-"] in [r.split() for r in lines]
    ids = matrix.service_ids
    top_down = [la.name for la in reversed(matrix.layers)]
    for i, block in enumerate(blocks):
        rows = block[-len(top_down) :]
        assert [r[: len(n)] for r, n in zip(rows, top_down, strict=True)] == top_down
        assert all(matrix.service(s).name.split()[0] in block[0] for s in ids[5 * i : 5 * i + 5])
    # RDS Custom (4th of the last block) has no source for its traffic protection.
    traffic = next(r for r in blocks[2] if r.startswith("Network traffic protection"))
    assert traffic.split()[-3:] == ["not", "stated", "Customer"]


def test_questions_json_is_byte_identical_per_seed():
    a = run("questions", "--json", "--seed", "7")
    b = run("questions", "--json", "--seed", "7")
    c = run("questions", "--json", "--seed", "8")
    assert a.returncode == b.returncode == c.returncode == 0
    assert a.stdout == b.stdout
    qa, qc = json.loads(a.stdout), json.loads(c.stdout)
    assert [q["id"] for q in qa] != [q["id"] for q in qc]
    keys = ["id", "kind", "prompt", "choices", "answer", "explanation", "service", "layer"]
    assert all(list(q) == [*keys, "why_wrong", "sources"] for q in qa)  # gained, none renamed
    for q in qa:
        wrong = [c for c in q["choices"] if c not in q["answer"]]
        if q["kind"] == "build-the-stack":
            assert q["why_wrong"] == {}  # each layer's reason is in its feedback instead
        else:
            assert set(wrong) <= set(q["why_wrong"]) <= set(q["choices"]), q["id"]
        assert q["sources"] and all(set(s) == {"id", "where"} for s in q["sources"]), q["id"]
    assert {q["kind"] for q in qa} == {*EIGHT_KINDS, "control", "of-in", "idea"}  # #13's three


def test_questions_filters_and_text(capsys):
    assert main(["questions", "--service", "s3", "--kind", "owner"]) == 0
    out = capsys.readouterr().out
    assert "on Amazon S3?" in out and "Amazon EC2" not in out
    assert out.strip().endswith("12 questions (seed 0)")


def test_questions_and_sessions_select_by_category(matrix, capsys):
    assert main(["questions", "--category", "paas", "--json"]) == 0
    paas = {"rds", "elastic-beanstalk", "aurora", "elastic-beanstalk-manual", "rds-custom"}
    assert {q["service"] for q in json.loads(capsys.readouterr().out)} - {None} == paas
    assert main(["questions", "--category", "iaas", "--service", "s3", "--json"]) == 0
    got = {q["service"] for q in json.loads(capsys.readouterr().out)} - {None}
    assert got == {"ec2", "ec2-outposts", "s3"}
    assert main(["session", "new", "--category", "abstracted", "-n", "5", "--seed", "3"]) == 0
    captured = capsys.readouterr()
    assert "5 questions on Amazon S3, Amazon DynamoDB (all kinds)" in captured.err
    assert parse_code(matrix, captured.out.strip()).services == ("s3", "dynamodb")


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["questions", "--service", "ec3"], "srmquiz: unknown service 'ec3'; valid: ec2, rds, s3"),
        (
            ["questions", "--category", "saas"],
            "srmquiz: unknown category 'saas'; valid: iaas, containers, paas, serverless, abstracted",
        ),
        (
            ["session", "new", "--category", "faas"],
            "srmquiz: unknown category 'faas'; valid: iaas, containers, paas, serverless, abstracted",
        ),
        (
            ["questions", "--kind", "essay"],
            "srmquiz: unknown kind 'essay'; valid: owner, which-are",
        ),
    ],
)
def test_unknown_ids_exit_2_with_the_valid_ones(args, message, capsys):
    assert main(args) == 2
    assert capsys.readouterr().err.startswith(message)


def test_validate_ok_and_three_defects(tiny_dir: Path):
    ok = run("validate", "content", cwd=tiny_dir.parent)
    assert ok.returncode == 0 and ok.stdout.strip() == "content: ok"
    for name in (
        "unknown-owner.matrix",
        "scenario-missing-cell.scenarios",
        "unsupported-schema-version.sources",
    ):
        target = name.split(".")[1]
        (tiny_dir / f"{target}.toml").write_text((BAD / f"{name}.toml").read_text())
    bad = run("validate", "content", cwd=tiny_dir.parent)
    assert bad.returncode == 1
    lines = bad.stdout.splitlines()
    assert len(lines) == 3
    assert lines[0].startswith("content/sources.toml: schema_version: 2 is not supported")
    assert "3 problem(s)" in bad.stderr


def test_content_option_and_broken_content(tiny_dir: Path, capsys):
    assert main(["--content", str(tiny_dir), "questions", "--kind", "category"]) == 0
    assert "Tiny VM" in capsys.readouterr().out
    (tiny_dir / "matrix.toml").write_text("schema_version = 1\n[oops")
    assert main(["matrix", "--content", str(tiny_dir)]) == 1
    err = capsys.readouterr().err.strip().splitlines()
    assert err[0].startswith(
        "srmquiz: content/matrix.toml: line 2, column 6: TOML syntax error: Expected"
    )
    assert "Traceback" not in "".join(err)


def test_console_script_and_module_agree():
    exe = Path(sys.executable).parent / "srmquiz"
    if not exe.exists():
        pytest.skip("console script not installed in this environment")
    a = subprocess.run(
        [str(exe), "questions", "--json", "--seed", "3"], capture_output=True, text=True, check=True
    )
    assert a.stdout == run("questions", "--json", "--seed", "3").stdout


def test_every_example_session_code_in_the_docs_decodes(matrix):
    """A newcomer copies the example codes; each must pass its own check character."""
    import re

    from srmquiz.core.sessions import parse_code

    places = [ROOT / "README.md", *(ROOT / "notebooks").glob("*.ipynb")]
    places += [*(ROOT / "srmquiz").rglob("*.py")]
    codes = {
        (p.name, c)
        for p in places
        for c in re.findall(r"SRM-[0-9A-Z]{4}-[0-9A-Z]{4}", p.read_text(encoding="utf-8"))
        if c != "SRM-XXXX-XXXX"  # the form's placeholder
    }
    assert len(codes) >= 3
    for _where, code in sorted(codes):
        parse_code(matrix, code)  # raises SessionCodeError naming what is wrong


def test_draw_never_overwrites_a_file_without_force(tmp_path: Path, capsys):
    out = tmp_path / "cmp.png"
    out.write_bytes(b"the instructor's own picture")
    assert main(["draw", "ec2", "-o", str(out)]) == 1
    err = capsys.readouterr().err
    assert err == f"srmquiz: {out}: already exists; use --force to replace it\n"
    assert out.read_bytes() == b"the instructor's own picture"
    assert main(["draw", "ec2", "-o", str(out), "--force"]) == 0
    assert out.read_bytes().startswith(b"\x89PNG")
    fresh = tmp_path / "new.svg"
    assert main(["draw", "ec2", "-o", str(fresh)]) == 0
    assert fresh.read_bytes().lstrip().startswith(b"<?xml")


def test_results_collect_db_only_reads(tmp_path: Path, capsys):
    notes = tmp_path / "notes.json"
    notes.write_text('{"my": "notes"}\n')
    stamp = notes.stat().st_mtime_ns
    assert main(["results", "collect", "--db", str(notes), "--format", "csv"]) == 1
    err = capsys.readouterr().err.strip().splitlines()
    assert err == [
        f"srmquiz: skipped {notes}: not a readable progress database (file is not a "
        "database); left as it is"
    ]
    assert sorted(p.name for p in tmp_path.iterdir()) == ["notes.json"]
    assert notes.read_text() == '{"my": "notes"}\n' and notes.stat().st_mtime_ns == stamp
    assert main(["results", "collect", "--db", str(tmp_path / "newdir" / "x.db")]) == 1
    assert not (tmp_path / "newdir").exists()
