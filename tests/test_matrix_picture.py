"""The whole matrix as a picture (notebook 01): checked for what it shows, not just that it runs."""

from __future__ import annotations

import html
import itertools
import re
import subprocess
import sys

from matplotlib.backends.backend_agg import RendererAgg
from matplotlib.colors import to_hex
from matplotlib.figure import Figure

import srmquiz
from srmquiz.cli import main
from srmquiz.core.matrix import Matrix, Owner
from srmquiz.core.palette import ORANGE, SKY_BLUE, WHITE
from srmquiz.core.wording import Wording
from srmquiz.draw.matrix import (
    PER_BLOCK,
    blocks,
    cell_text,
    draw_matrix,
    matrix_alt,
    matrix_png,
)

from .conftest import EXAM_SERVICE_NAMES, widened


def cell_patches(fig: Figure) -> dict[tuple[str, str], list]:
    out: dict[tuple[str, str], list] = {}
    for ax in fig.axes:
        for p in ax.patches:
            gid = p.get_gid() or ""
            if gid.startswith("cell:"):
                _, sid, lid, _i = gid.split(":")
                out.setdefault((sid, lid), []).append(p)
    return out


def gid_texts(fig: Figure, prefix: str) -> dict[str, list[str]]:
    out: dict[str, list[str]] = {}
    for ax in fig.axes:
        for t in ax.texts:
            gid = t.get_gid() or ""
            if gid.startswith(prefix):
                out.setdefault(gid[len(prefix) :], []).append(t.get_text())
    return out


def look(patch) -> tuple[str, str]:
    return to_hex(patch.get_facecolor()).upper(), patch.get_hatch() or ""


def test_every_cell_shows_its_owner_by_colour_hatch_and_word(matrix: Matrix):
    fig = draw_matrix(matrix)
    words = gid_texts(fig, "owner:")
    boxes = cell_patches(fig)
    label = Wording(matrix).label
    seen = {"aws": 0, "customer": 0, "shared": 0, "absent": 0, "unstated": 0}
    for svc, layer in itertools.product(matrix.services, matrix.layers):
        key = f"{svc.id}:{layer.id}"
        assert len(words[key]) == 1, key  # one word per cell, every cell drawn once
        word = words[key][0]
        drawn = [look(p) for p in boxes.get((svc.id, layer.id), [])]
        if matrix.has(svc.id, layer.id):
            owner = matrix.cell(svc.id, layer.id).owner
            assert word == label(owner)
            if owner is Owner.SHARED:  # as the stacks draw it: left half AWS, right customer
                assert drawn == [(ORANGE, "//"), (SKY_BLUE, "..")], key
            else:
                assert drawn == [
                    {Owner.AWS: (ORANGE, "//"), Owner.CUSTOMER: (SKY_BLUE, "..")}[owner]
                ]
            seen[owner.value] += 1
        elif matrix.unstated_reason(svc.id, layer.id):
            assert (word, drawn) == ("not stated", [(WHITE, "xx")]), key
            seen["unstated"] += 1
        else:
            assert (word, drawn) == ("-", []), key  # no box: the service has no such layer
            seen["absent"] += 1
    assert all(seen.values()), seen  # the shipped matrix has every kind of cell


def test_the_picture_has_every_service_and_layer_name_and_a_legend(matrix: Matrix):
    fig = draw_matrix(matrix)
    headings = gid_texts(fig, "service:")
    assert list(headings) == matrix.service_ids
    for svc in matrix.services:
        text = headings[svc.id][0]
        assert text.replace("\n", " ").startswith(svc.name)  # wrapped, never cut
        assert text.endswith(f"({matrix.categories[svc.category].short})")
    layer_names = gid_texts(fig, "layer:")
    for layer in matrix.layers:
        blocks_drawn = len(blocks(list(matrix.services)))
        assert [t.replace("\n", " ") for t in layer_names[layer.id]] == [layer.name] * blocks_drawn
    legend = [t.get_text() for t in fig.legends[0].get_texts()]
    assert legend[:3] == ["AWS", "Customer", "Shared: left half AWS, right half customer"]
    assert any(t.startswith("Not stated") for t in legend)
    assert any(t.startswith("-") for t in legend)


def test_the_customers_data_is_on_top_like_the_table(matrix: Matrix):
    fig = draw_matrix(matrix)
    ax = fig.axes[0]
    y = {
        t.get_gid(): t.get_position()[1]
        for t in ax.texts
        if (t.get_gid() or "").startswith("layer:")
    }
    ids = [la.id for la in matrix.layers]  # bottom to top
    assert sorted(ids, key=lambda lid: y[f"layer:{lid}"]) == ids
    assert ids[-1] == "customer-data"


def test_fourteen_services_come_in_two_blocks_of_seven(matrix: Matrix):
    assert len(matrix.services) == 14
    parts = blocks(list(matrix.services))
    assert [len(p) for p in parts] == [7, 7]
    assert len(draw_matrix(matrix).axes) == 2
    assert [len(p) for p in blocks(list(matrix.services)[:5])] == [5]
    assert [len(p) for p in blocks(list(matrix.services)[: PER_BLOCK + 1])] == [4, 4]


def assert_texts_inside_and_apart(fig: Figure) -> None:
    renderer = RendererAgg(fig.bbox.width, fig.bbox.height, fig.dpi)
    page = fig.bbox
    texts = [t for ax in fig.axes for t in ax.texts if t.get_text()]
    boxes = [(t.get_gid(), t.get_window_extent(renderer)) for t in texts]
    for gid, box in boxes:
        assert page.x0 <= box.x0 and box.x1 <= page.x1, f"clipped sideways: {gid}"
        assert page.y0 <= box.y0 and box.y1 <= page.y1, f"clipped: {gid}"
    for (ga, a), (gb, b) in itertools.combinations(boxes, 2):
        assert not a.overlaps(b), f"{ga} runs into {gb}"
    legend = fig.legends[0].get_window_extent(renderer)
    assert page.x0 <= legend.x0 and legend.x1 <= page.x1 and page.y0 <= legend.y0
    assert not any(legend.overlaps(box) for _gid, box in boxes), "legend over the matrix"
    # a cell's word stays inside its cell (a long word would spill into the next column)
    for ax in fig.axes:
        cells = {
            p.get_gid().rsplit(":", 1)[0]: p
            for p in ax.patches
            if (p.get_gid() or "").startswith("cell:")
        }
        for t in ax.texts:
            gid = t.get_gid() or ""
            if gid.startswith("owner:") and f"cell:{gid[6:]}" in cells:
                x = t.get_position()[0]
                inner = ax.transData.transform([(x - 0.5, 0), (x + 0.5, 0)])
                box = t.get_window_extent(renderer)
                assert inner[0][0] <= box.x0 and box.x1 <= inner[1][0], f"{gid} wider than its cell"


def test_no_label_is_clipped_or_runs_into_another(matrix: Matrix):
    assert_texts_inside_and_apart(draw_matrix(matrix))


def test_long_service_names_wrap_and_stay_inside(matrix: Matrix):
    wide = widened(matrix, EXAM_SERVICE_NAMES[:4])  # 18 services: three blocks of six
    fig = draw_matrix(wide)
    assert len(fig.axes) == 3
    assert_texts_inside_and_apart(fig)


def test_png_is_cached_per_content_and_matplotlib_loads_only_to_draw(matrix: Matrix):
    a = matrix_png(matrix)
    assert a[:8] == b"\x89PNG\r\n\x1a\n"
    assert matrix_png(matrix) is a
    assert srmquiz.matrix_png is matrix_png
    code = "import sys, srmquiz, srmquiz.draw.matrix; print('matplotlib' in sys.modules)"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "False"


def test_cell_text_matches_the_text_table(matrix: Matrix):
    table = srmquiz.matrix_table(matrix)
    assert cell_text(matrix, "ec2", "guest-os") == "Customer"
    assert cell_text(matrix, "s3", "guest-os") == "AWS"
    assert cell_text(matrix, "ec2", "runtime") == "-"
    unstated = [
        (s, la)
        for s in matrix.service_ids
        for la in matrix.layer_ids
        if matrix.unstated_reason(s, la)
    ]
    assert unstated and all(cell_text(matrix, s, la) == "not stated" for s, la in unstated)
    assert "not stated" in table


def test_matrix_picture_shows_the_picture_with_alt_text_and_caption(matrix: Matrix):
    shown = srmquiz.matrix_picture()
    assert "srmquiz-matrix" in shown.get_state()["_dom_classes"]
    markup = shown.children[-1].value
    img = re.search(
        r'<img class="srmq-picture-img" alt="([^"]+)"[^>]*src="data:image/png;base64,([^"]+)"',
        markup,
    )
    assert img, markup[:200]
    alt = html.unescape(img.group(1))
    assert alt == matrix_alt(matrix)
    assert "14 services" in alt and "Amazon EC2: AWS 4, Customer 8" in alt
    assert "srmquiz matrix in a terminal" in markup  # the text table is one command away
    assert shown.children[0].value.startswith("<style>")  # srmquiz's stylesheet first


def test_matrix_picture_of_broken_content_is_one_line(tmp_path):
    (tmp_path / "matrix.toml").write_text("schema_version = 99\n")
    shown = srmquiz.matrix_picture(content=tmp_path)
    assert "srmquiz could not start" in shown.value
    assert "matrix.toml: schema_version: 99 is not supported" in shown.value
    assert "Traceback" not in shown.value


def test_draw_matrix_command_writes_the_picture(tmp_path, capsys):
    out = tmp_path / "matrix.png"
    assert main(["draw", "--matrix", "-o", str(out)]) == 0
    assert out.read_bytes().startswith(b"\x89PNG")
    assert main(["draw", "--matrix", "ec2", "-o", str(tmp_path / "m2.png")]) == 2
    assert "--matrix draws every service" in capsys.readouterr().err
    assert not (tmp_path / "m2.png").exists()
    assert main(["draw", "-o", str(tmp_path / "m3.png")]) == 2
    assert "--matrix" in capsys.readouterr().err
