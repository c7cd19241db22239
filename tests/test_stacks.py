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


def test_one_box_per_layer_with_owner_colour_hatch_and_label(course):
    matrix = course  # the course's EC2, RDS and S3 on its twelve layers
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


def test_highlight_reveal_and_overlay(course):
    matrix = course  # the course's EC2, RDS and S3 on its twelve layers
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


def test_comparison_draws_each_service(course):
    matrix = course  # the course's EC2, RDS and S3 on its twelve layers
    fig = draw_comparison(matrix)
    titles = [ax.get_title() for ax in fig.axes]
    assert titles == ["Amazon EC2 (IaaS)", "Amazon RDS (PaaS)", "Amazon S3 (Abstracted)"]
    with pytest.raises(UnknownIdError):
        draw_comparison(matrix, ["ec2", "lambda"])


def test_a_long_service_name_wraps_and_never_runs_into_the_next_stack(course):
    matrix = course  # the course's EC2, RDS and S3 on its twelve layers
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


def test_reveal_by_layer_ids_hides_the_rest_and_the_in_the_cloud_bracket(course):
    matrix = course  # the course's EC2, RDS and S3 on its twelve layers
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
def test_drawings_match_the_committed_baselines(course, tmp_path, name, draw):
    """Pixel comparison with a tolerance; regenerate with SRMQUIZ_UPDATE_BASELINES=1 after
    a deliberate change, and look at the new images before committing them."""
    matrix = course  # the course's EC2, RDS and S3 on its twelve layers
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


# -- the matrix as #13 grows it: own layers, unstated layers, aligned comparisons ---------
def y_of(fig: Figure, prefix: str, ax_index: int = 0) -> dict[str, float]:
    """Bottom of each box (first half) with this gid prefix in one stack."""
    out: dict[str, float] = {}
    for p in fig.axes[ax_index].patches:
        gid = p.get_gid() or ""
        if gid.startswith(prefix):
            out.setdefault(gid.split(":")[1], p.get_y())
    return out


def test_a_stack_draws_the_services_own_layers_bottom_to_top(grown_matrix):
    m = grown_matrix
    for sid in ("lambda", "eks", "outposts", "ecs-fargate"):
        fig = draw_stack(m, sid)
        own = [la.id for la in m.layers_of(sid)]
        boxes = y_of(fig, "layer:")
        assert list(boxes) == own
        assert [boxes[lid] for lid in own] == list(range(len(own)))  # no gaps, bottom to top
        assert not patches(fig, "absent:")
    eks = draw_stack(m, "eks")
    assert len(m.layers_of("eks")) == 14
    assert "control-plane" in texts(eks, "name:") and "platform-applications" not in texts(
        eks, "name:"
    )


def test_an_unstated_layer_has_its_own_style_and_says_not_stated(grown_matrix):
    from srmquiz.draw.stacks import UNSTATED

    m = grown_matrix
    assert m.unstated_reason("ecs-fargate", "guest-os")
    for reveal in (None, 0, 3, ["iam"]):
        fig = draw_stack(m, "ecs-fargate", reveal=reveal)
        owners = texts(fig, "owner:")
        assert owners["guest-os"] == "not stated"  # never "?", which means "not yet revealed"
        (box,) = patches(fig, "layer:")["guest-os"]
        assert to_hex(box.get_facecolor()) == UNSTATED["color"].lower()
        assert box.get_hatch() == UNSTATED["hatch"]
        owner_colours = {s["color"].lower() for s in STYLE.values()}
        assert to_hex(box.get_facecolor()) not in owner_colours
        assert UNSTATED["hatch"] not in {s["hatch"] for s in STYLE.values()}
    legend = [t.get_text() for t in fig.legends[0].get_texts()]
    assert any(t.startswith("Not stated") for t in legend)
    assert not any("Not stated" in t.get_text() for t in draw_stack(m, "ec2").legends[0].texts)


def test_reveal_counts_the_services_own_layers(grown_matrix):
    m = grown_matrix
    own = [la.id for la in m.layers_of("lambda")]
    owners = texts(draw_stack(m, "lambda", reveal=7), "owner:")
    assert own[6] == "runtime"  # the seventh of Lambda's layers, the eighth of the matrix
    assert [owners[lid] for lid in own[:7]] == ["AWS"] * 7
    assert {owners[lid] for lid in own[7:]} == {"?"}


def bracket_span(fig: Figure, which: str, ax_index: int = 0) -> tuple[float, float]:
    """The y range of a bracket's line: the layers it spans."""
    ax = fig.axes[ax_index]
    text = next(t for t in ax.texts if t.get_gid() == f"bracket:{which}")
    _, ty = text.get_position()
    for line in ax.lines:
        ys = line.get_ydata()
        if min(ys) <= ty <= max(ys):
            return min(ys), max(ys)
    raise AssertionError(f"no bracket line beside {which}")


@pytest.mark.parametrize(
    ("sid", "top_of"),
    [
        ("eks", "control-plane"),  # 14 layers: the extra layer is AWS's, inside the bracket
        ("ecs-fargate", "control-plane"),  # the unstated guest OS above it is not AWS's
        ("outposts", "host-os"),  # shared site and an unstated layer below AWS's hypervisor
        ("lambda", "runtime"),
        ("ec2", "host-os"),
    ],
)
def test_security_of_the_cloud_brackets_the_right_layers(grown_matrix, sid, top_of):
    m = grown_matrix
    own = [la.id for la in m.layers_of(sid)]
    fig = draw_stack(m, sid)
    lo, hi = bracket_span(fig, "of")
    assert lo == pytest.approx(0.02)
    assert hi == pytest.approx(own.index(top_of) + 1 - 0.12)
    lo_in, hi_in = bracket_span(fig, "in")
    assert lo_in == pytest.approx(own.index(top_of) + 1 + 0.02)
    assert hi_in == pytest.approx(len(own) - 0.12)


def test_comparison_aligns_layers_and_leaves_blank_slots(grown_matrix):
    from srmquiz.draw.stacks import ABSENT_TEXT, comparison_rows

    m = grown_matrix
    ids = ["ec2", "lambda", "ecs-fargate", "beanstalk-manual"]
    fig = draw_comparison(m, ids, highlight=["runtime"])
    rows = comparison_rows(m, ids)
    assert rows == m.layer_ids  # Fargate brings the control plane, Lambda the split layers
    for i, sid in enumerate(ids):
        own = [la.id for la in m.layers_of(sid)]
        boxes, blanks = y_of(fig, "layer:", i), y_of(fig, "absent:", i)
        assert set(boxes) == set(own)
        assert set(blanks) == set(rows) - set(own)  # every other row is a blank slot
        for lid in rows:  # the same layer at the same height in every column
            assert {**boxes, **blanks}[lid] == rows.index(lid)
        ax = fig.axes[i]
        for p in ax.patches:
            if (p.get_gid() or "").startswith("absent:"):
                assert not p.get_fill()  # an outline only
        words = [t.get_text() for t in ax.texts if (t.get_gid() or "").startswith("absent:")]
        assert words == [ABSENT_TEXT] * len(blanks)
        names = texts_of(ax, "name:")
        assert set(names) == set(own)  # no layer name or owner in a blank slot
        lit = [p.get_gid() for p in ax.patches if (p.get_gid() or "").startswith("highlight:")]
        assert lit == (["highlight:runtime"] if "runtime" in own else [])
    assert fig.axes[0].get_title() == "Amazon EC2 (IaaS)"


def texts_of(ax, prefix: str) -> dict[str, str]:
    return {
        t.get_gid().split(":", 1)[1]: t.get_text()
        for t in ax.texts
        if (t.get_gid() or "").startswith(prefix)
    }


def test_comparison_rows_are_the_union_in_matrix_order(grown_matrix):
    from srmquiz.draw.stacks import comparison_rows

    m = grown_matrix
    new = ("control-plane", "runtime", "application-code")
    assert comparison_rows(m, ["ec2", "rds"]) == matrix_layers_without(m, *new)
    assert comparison_rows(m, ["lambda"]) == [la.id for la in m.layers_of("lambda")]
    assert len(comparison_rows(m, m.service_ids)) == len(m.layers) == 15


def matrix_layers_without(m, *gone: str) -> list[str]:
    return [lid for lid in m.layer_ids if lid not in gone]


def assert_no_text_clipped_or_overlapping(fig: Figure) -> None:
    renderer = RendererAgg(fig.bbox.width, fig.bbox.height, fig.dpi)
    page = fig.bbox
    per_axes = []
    for ax in fig.axes:
        boxes = [ax.title.get_window_extent(renderer)]
        boxes += [t.get_window_extent(renderer) for t in ax.texts if t.get_text()]
        for box in boxes:
            assert page.x0 - 1 <= box.x0 and box.x1 <= page.x1 + 1, f"clipped: {box}"
            assert page.y0 - 1 <= box.y0 and box.y1 <= page.y1 + 1, f"clipped: {box}"
        per_axes.append(boxes)
    for legend in fig.legends:
        box = legend.get_window_extent(renderer)
        assert page.x0 <= box.x0 and box.x1 <= page.x1 and page.y0 <= box.y0
    # no text of one stack runs into another stack's texts
    for a, b in itertools.combinations(per_axes, 2):
        for box in a:
            assert not any(box.overlaps(other) for other in b), "stacks' texts overlap"


@pytest.mark.parametrize("count", [2, 3, 5, 6, 7, 10])
def test_comparisons_of_any_size_keep_every_label_inside_and_apart(grown_matrix, count):
    from srmquiz.draw.stacks import PER_ROW, grid

    m = grown_matrix
    longest = sorted(m.service_ids, key=lambda s: -len(m.service(s).name))
    ids = longest[:count]
    fig = draw_comparison(m, ids)
    nrows, ncols = grid(count)
    assert nrows * ncols >= count and ncols <= PER_ROW and (nrows - 1) * ncols < count
    assert len(fig.axes) == count
    assert [a.get_title().replace("\n", " ") for a in fig.axes] == [
        f"{m.service(s).name} ({m.categories[m.service(s).category].short})" for s in ids
    ]
    assert_no_text_clipped_or_overlapping(fig)
    width, _ = fig.get_size_inches()
    assert width == pytest.approx(4.6 * ncols)  # grows with the columns, not the services


def test_a_single_stack_with_the_longest_name_is_not_clipped(grown_matrix):
    fig = draw_stack(grown_matrix, "beanstalk-manual", attempt=None)
    assert "\n" in fig.axes[0].get_title()
    assert_no_text_clipped_or_overlapping(fig)
