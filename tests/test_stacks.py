"""The layer-stack drawings: checked for what they show, not just that they run."""

from __future__ import annotations

import dataclasses
import itertools
import os
import subprocess
import sys
from pathlib import Path

import pytest
from matplotlib.backends.backend_agg import RendererAgg
from matplotlib.colors import to_hex
from matplotlib.figure import Figure

from srmquiz.cli import main
from srmquiz.core.matrix import Matrix, Owner, UnknownIdError
from srmquiz.core.pictures import StackPicture
from srmquiz.core.wording import Wording
from srmquiz.data.content import load_matrix
from srmquiz.draw.render import figure_bytes
from srmquiz.draw.stacks import (
    STYLE,
    attempt_png,
    comparison_png,
    draw_comparison,
    draw_picture,
    draw_stack,
    picture_png,
    stack_png,
)

ROOT = Path(__file__).parents[1]


def patches(fig: Figure, prefix: str) -> dict[str, list]:
    out: dict[str, list] = {}
    for ax in fig.axes:
        for p in ax.patches:
            gid = p.get_gid() or ""
            if gid.startswith(prefix):
                out.setdefault(gid.split(":")[1], []).append(p)
    return out


def texts(fig: Figure, prefix: str) -> dict[str, str]:
    return {
        t.get_gid().split(":", 1)[1]: t.get_text()
        for ax in fig.axes
        for t in ax.texts
        if (t.get_gid() or "").startswith(prefix)
    }


def test_one_box_per_layer_with_owner_colour_hatch_and_label(matrix):
    fig = draw_stack(matrix, "rds")
    boxes = patches(fig, "layer:")
    assert list(boxes) == matrix.layer_ids  # bottom to top
    names = texts(fig, "name:")
    owners = texts(fig, "owner:")
    for cell in matrix.stack("rds"):
        parts = boxes[cell.layer]
        assert names[cell.layer].replace("\n", " ") == matrix.layer(cell.layer).name
        assert owners[cell.layer] == Wording(matrix).label(cell.owner)
        sides = [Owner.AWS, Owner.CUSTOMER] if cell.owner is Owner.SHARED else [cell.owner]
        assert len(parts) == len(sides)  # a shared cell is split in two halves
        for patch, side in zip(parts, sides, strict=True):
            assert to_hex(patch.get_facecolor()) == STYLE[side]["color"].lower()
            assert patch.get_hatch() == STYLE[side]["hatch"]
        # stacked bottom to top
        assert parts[0].get_y() == pytest.approx(matrix.layer(cell.layer).index)


def test_owners_differ_in_hatch_not_only_colour():
    hatches = {s["hatch"] for s in STYLE.values()}
    assert len(hatches) == len(STYLE) and all(hatches)


def test_highlight_reveal_and_overlay(matrix):
    fig = draw_stack(matrix, "ec2", highlight=["guest-os"])
    assert list(patches(fig, "highlight:")) == ["guest-os"]
    hidden = draw_stack(matrix, "ec2", reveal=4)
    owners = texts(hidden, "owner:")
    assert [owners[lid] for lid in matrix.layer_ids[:4]] == ["AWS"] * 4
    assert {owners[lid] for lid in matrix.layer_ids[4:]} == {"?"}
    attempt = [Wording(matrix).label(c.owner) for c in matrix.stack("s3")]
    attempt[matrix.layer("guest-os").index] = "Customer"
    marked = texts(draw_stack(matrix, "s3", attempt=attempt), "mark:")
    assert marked["guest-os:wrong"] == "✗ Customer"
    assert sum(k.endswith(":right") for k in marked) == len(matrix.layers) - 1


def test_comparison_draws_each_service(matrix):
    fig = draw_comparison(matrix)
    titles = [ax.get_title() for ax in fig.axes]
    assert titles == ["Amazon EC2 (IaaS)", "Amazon RDS (PaaS)", "Amazon S3 (Abstracted)"]
    with pytest.raises(UnknownIdError):
        draw_comparison(matrix, ["ec2", "lambda"])


def test_a_long_service_name_wraps_and_never_runs_into_the_next_stack(matrix):
    long_name = "Amazon Elastic Compute Cloud with a very long descriptive name for it"
    ec2 = dataclasses.replace(matrix.service("ec2"), name=long_name)
    wide = dataclasses.replace(matrix, services=(ec2, *matrix.services[1:]))
    fig = draw_comparison(wide)
    renderer = RendererAgg(fig.bbox.width, fig.bbox.height, fig.dpi)
    boxes = [ax.title.get_window_extent(renderer) for ax in fig.axes]
    assert fig.axes[0].get_title().replace("\n", " ") == f"{long_name} (IaaS)"
    assert all(a.x1 < b.x0 for a, b in itertools.pairwise(boxes)), "titles overlap"
    top = fig.bbox.y1
    assert all(box.y1 <= top for box in boxes), "a title is cut off at the top"


def test_ax_is_honoured_and_no_pyplot(matrix):
    fig = Figure()
    ax = fig.add_subplot()
    assert draw_stack(matrix, "s3", ax=ax) is fig
    code = (
        "import sys, srmquiz.draw.stacks as s; from srmquiz import load_matrix; "
        "from srmquiz.draw.render import figure_bytes; "
        "figure_bytes(s.draw_stack(load_matrix(), 'ec2')); "
        "print('matplotlib.pyplot' in sys.modules)"
    )
    out = subprocess.run(
        [sys.executable, "-c", code],
        capture_output=True,
        text=True,
        cwd=ROOT,
        check=True,
        env={**os.environ, "MPLBACKEND": "Agg"},
    )
    assert out.stdout.strip() == "False"


def test_png_is_cached_per_service_and_highlight(matrix):
    a = stack_png(matrix, "ec2", ["iam"])
    assert a[:8] == b"\x89PNG\r\n\x1a\n"
    assert stack_png(matrix, "ec2", ["iam"]) is a
    assert stack_png(matrix, "ec2", ["guest-os"]) != a


def test_svg_has_no_date(matrix):
    svg = figure_bytes(draw_stack(matrix, "ec2"), "svg").decode()
    assert "<dc:date>" not in svg


@pytest.mark.parametrize("suffix", ["png", "svg", "pdf"])
def test_draw_command_writes_files(tmp_path, suffix, capsys):
    out = tmp_path / f"cmp.{suffix}"
    assert main(["draw", "ec2", "rds", "s3", "-o", str(out), "--highlight", "guest-os"]) == 0
    assert out.stat().st_size > 1000
    magic = {"png": b"\x89PNG", "svg": b"<?xml", "pdf": b"%PDF"}[suffix]
    assert out.read_bytes().startswith(magic)


def test_draw_command_bad_input(tmp_path, capsys):
    assert main(["draw", "ec2", "-o", str(tmp_path / "x.gif")]) == 2
    assert "unknown format '.gif'" in capsys.readouterr().err
    assert main(["draw", "ec9", "-o", str(tmp_path / "x.png")]) == 2
    assert "unknown service 'ec9'" in capsys.readouterr().err
    assert main(["draw", "ec2", "--highlight", "kernel", "-o", str(tmp_path / "x.png")]) == 2
    assert "unknown layer 'kernel'" in capsys.readouterr().err
    assert not (tmp_path / "x.png").exists()


def test_reveal_by_layer_ids_hides_the_rest_and_the_in_the_cloud_bracket(matrix):
    fig = draw_stack(matrix, "rds", reveal=["physical-infrastructure", "iam"])
    owners = texts(fig, "owner:")
    assert owners["iam"] == "Customer" and owners["physical-infrastructure"] == "AWS"
    assert {owners[x] for x in matrix.layer_ids if x not in ("iam", "physical-infrastructure")} == {
        "?"
    }
    brackets = texts(fig, "bracket:")
    assert "of" in brackets and "in" not in brackets  # no hint about where the line runs
    full = texts(draw_stack(matrix, "rds"), "bracket:")
    assert set(full) == {"of", "in"}


BASELINES = Path(__file__).parent / "baseline"


@pytest.mark.parametrize(
    ("name", "draw"),
    [
        ("ec2-guest-os.png", lambda m: draw_stack(m, "ec2", highlight=["guest-os"])),
        ("comparison.png", lambda m: draw_comparison(m)),
        (
            "s3-attempt.png",
            lambda m: draw_stack(
                m,
                "s3",
                attempt=[
                    "Customer" if c.layer == "guest-os" else Wording(m).label(c.owner)
                    for c in m.stack("s3")
                ],
            ),
        ),
        ("rds-revealed-5.png", lambda m: draw_stack(m, "rds", reveal=5, presenter=True)),
    ],
)
def test_drawings_match_the_committed_baselines(matrix, tmp_path, name, draw):
    """Pixel comparison with a tolerance; regenerate with SRMQUIZ_UPDATE_BASELINES=1 after
    a deliberate change, and look at the new images before committing them."""
    from matplotlib.testing.compare import compare_images

    actual = tmp_path / name
    actual.write_bytes(figure_bytes(draw(matrix)))
    expected = BASELINES / name
    if os.environ.get("SRMQUIZ_UPDATE_BASELINES") == "1":
        BASELINES.mkdir(exist_ok=True)
        expected.write_bytes(actual.read_bytes())
    assert expected.exists(), f"{expected} is missing; run with SRMQUIZ_UPDATE_BASELINES=1"
    result = compare_images(str(expected), str(actual), tol=5)
    assert result is None, result


# -- labels are plain text, never mathtext (review 2b) ------------------------------------
MATH = ("bad $x^$ math", r"$\notacommand$ VM", r"Cust $x^$")


def math_matrix(content: Path) -> Matrix:
    """The tiny content with labels a mathtext parser cannot read."""
    for name, old, new in [
        ("matrix.toml", 'name = "Physical infrastructure"', f'name = "{MATH[0]}"'),
        ("matrix.toml", 'name = "Tiny VM"', f"name = '{MATH[1]}'"),
        ("matrix.toml", 'short = "IaaS"', 'short = "$x^$"'),
        ("templates.toml", 'label = "Customer"', f'label = "{MATH[2]}"'),
    ]:
        path = content / name
        assert old in path.read_text()
        path.write_text(path.read_text().replace(old, new, 1))
    return load_matrix(content)


def assert_plain(fig: Figure, *labels: str) -> None:
    from matplotlib.text import Text

    assert all(not t.get_parse_math() for t in fig.findobj(Text))
    svg = figure_bytes(fig, "svg").decode()
    for label in labels:
        assert label in svg  # drawn as the text it is (the SVG names every text)


def test_labels_with_dollars_draw_as_plain_text(tiny_dir: Path):
    m = math_matrix(tiny_dir)
    cust = Wording(m).label(Owner.CUSTOMER)
    assert_plain(draw_stack(m, "vm"), MATH[0], MATH[1] + " ($x^$)", MATH[2])
    assert_plain(draw_stack(m, "vm", attempt=[cust, None, "AWS"], reveal=1), MATH[0])
    assert_plain(draw_comparison(m, ["vm", "db"]), MATH[0], MATH[1] + " ($x^$)")
    for picture in (StackPicture(("vm",)), StackPicture(("vm", "db"), ("guest-os",))):
        assert_plain(draw_picture(m, picture, presenter=True), MATH[0])
        assert picture_png(m, picture).startswith(b"\x89PNG")
    assert stack_png(m, "vm", ["guest-os"], reveal=["guest-os"]).startswith(b"\x89PNG")
    assert comparison_png(m).startswith(b"\x89PNG")
    assert attempt_png(m, "vm", [cust, cust, "AWS"]).startswith(b"\x89PNG")
    for fmt in ("png", "pdf"):
        assert figure_bytes(draw_stack(m, "vm"), fmt)


def test_draw_command_draws_labels_with_dollars(tiny_dir: Path, capsys):
    math_matrix(tiny_dir)
    out = tiny_dir.parent / "stack.svg"
    assert main(["draw", "--content", str(tiny_dir), "vm", "db", "-o", str(out)]) == 0
    assert MATH[0] in out.read_text()
    assert "Traceback" not in capsys.readouterr().err
