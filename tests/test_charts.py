"""The class and progress charts, checked for what they show: counts as text, order, hatching."""

from __future__ import annotations

import itertools

import pytest
from matplotlib.backends.backend_agg import RendererAgg
from matplotlib.figure import Figure

from srmquiz.core.results import QuestionStat
from srmquiz.data.content import load_matrix
from srmquiz.draw.charts import difficulty_bars, heatmap, heatmap_png, score_histogram
from srmquiz.draw.render import figure_bytes

from .conftest import EXAM_SERVICE_NAMES, widened


def bar_texts(fig: Figure) -> list[str]:
    return [t.get_text() for t in fig.axes[0].texts]


def test_score_histogram_counts_students_per_band_in_words():
    fig = score_histogram([5, 45, 48, 100, 90, 91], title="Scores")
    bars = {p.get_gid(): p.get_height() for p in fig.axes[0].patches if p.get_gid()}
    assert bars["band:0"] == 1 and bars["band:4"] == 2 and bars["band:9"] == 3
    assert sum(bars.values()) == 6
    assert sorted(bar_texts(fig)) == ["1", "2", "3"]  # every non-empty band says its count
    assert all(p.get_hatch() for p in fig.axes[0].patches)  # not colour alone
    labels = [t.get_text() for t in fig.axes[0].get_xticklabels()]
    assert labels[0] == "0–9" and labels[-1] == "90–100"


def test_difficulty_bars_put_the_hardest_question_on_top_with_its_numbers():
    stats = [
        QuestionStat("owner:ec2:iam", "ec2", "iam", asked=4, right=4, given=()),
        QuestionStat("owner:rds:guest-os", "rds", "guest-os", asked=4, right=1, given=()),
        QuestionStat("owner:s3:iam", "s3", "iam", asked=4, right=3, given=()),
    ]
    fig = difficulty_bars(stats)
    ax = fig.axes[0]
    labels = [t.get_text() for t in ax.get_yticklabels()]
    assert labels[-1] == "owner:rds:guest-os"  # the top row is the most missed
    assert labels[0] == "owner:ec2:iam"
    widths = {p.get_gid(): p.get_width() for p in ax.patches}
    assert widths == {"question:owner:ec2:iam": 100, "question:owner:rds:guest-os": 25,
                      "question:owner:s3:iam": 75}  # fmt: skip
    assert "25% (1/4)" in bar_texts(fig) and "100% (4/4)" in bar_texts(fig)


# -- labels are plain text, never mathtext (review 2b) ------------------------------------
def assert_plain(fig: Figure, *labels: str) -> None:
    from matplotlib.text import Text

    assert all(not t.get_parse_math() for t in fig.findobj(Text))
    svg = figure_bytes(fig, "svg").decode()
    for label in labels:
        assert label in svg


def test_chart_labels_with_dollars_draw_as_plain_text(tiny_dir):
    path = tiny_dir / "matrix.toml"
    text = path.read_text().replace('name = "Customer data"', 'name = "bad $x^$ math"')
    # a service name short enough for one line over its column (16 characters)
    path.write_text(text.replace('name = "Tiny DB"', "name = '$\\nocmd$ DB'"))
    m = load_matrix(tiny_dir)
    values = {(s, lid): 0.5 for s in m.service_ids for lid in m.layer_ids}
    counts = {key: (1, 2) for key in values}
    fig = heatmap(m, values, title="Mastery $x^$", counts=counts)
    assert_plain(fig, "bad $x^$ math", r"$\nocmd$ DB", "Mastery $x^$")
    png = heatmap_png(m, values, title=r"$\notacommand$", scale="mistakes")
    assert png.startswith(b"\x89PNG")
    assert_plain(score_histogram([5, 50, 95], title="Scores $x^$"), "Scores $x^$")
    stats = [
        QuestionStat(r"owner:$\notacommand$", "vm", "guest-os", asked=2, right=1, given=()),
        QuestionStat("owner:$x^$", "vm", "customer-data", asked=2, right=2, given=()),
    ]
    assert_plain(difficulty_bars(stats, title="$x^$ hard"), r"owner:$\notacommand$", "$x^$ hard")


def test_a_heatmap_of_fourteen_services_names_each_column_without_overlap(matrix):
    wide = widened(matrix, EXAM_SERVICE_NAMES)
    fig = heatmap(wide, {}, title="Mastery")
    ax = fig.axes[0]
    renderer = RendererAgg(fig.bbox.width, fig.bbox.height, fig.dpi)
    labels = ax.get_xticklabels()
    assert [t.get_text().replace("\n", " ") for t in labels] == [s.name for s in wide.services]
    boxes = [t.get_window_extent(renderer) for t in labels]
    assert all(a.x1 < b.x0 for a, b in itertools.pairwise(boxes)), "column names overlap"
    title = ax.title.get_window_extent(renderer)
    assert all(box.y1 < title.y0 for box in boxes), "the title sits on the column names"


# -- #13: services that lack layers or leave them unstated --------------------------------
def test_heatmap_leaves_missing_and_unstated_layers_blank_and_uncounted(grown_matrix):
    m = grown_matrix
    values = {(s, lid): 1.0 for s in m.service_ids for lid in m.layer_ids}  # even stray values
    fig = heatmap(m, values, title="Mastery", counts={k: (1, 1) for k in values})
    ax = fig.axes[0]
    cells = {p.get_gid(): p for p in ax.patches if p.get_gid()}
    labels = {t.get_gid(): t.get_text() for t in ax.texts if t.get_gid()}
    # Lambda has no platform-applications layer: a plain blank with no number
    absent = cells["cell:lambda:platform-applications:absent"]
    assert not absent.get_hatch() and "label:lambda:platform-applications" not in labels
    assert "cell:ec2:control-plane:absent" in cells
    # Fargate's guest OS has no stated owner: marked, never a percentage
    unstated = cells["cell:ecs-fargate:guest-os:unstated"]
    assert unstated.get_hatch()
    assert labels["label:ecs-fargate:guest-os"] == "not stated"
    # every cell the matrix has carries its number; nothing else does
    numbered = {g.split(":", 1)[1] for g, t in labels.items() if t.endswith("%\n1/1")}
    assert numbered == {f"{s}:{lid}" for (s, lid) in m.cells}
    rows = [t.get_text() for t in ax.get_yticklabels()]
    assert rows == [la.name for la in m.layers]


def test_spectrum_shares_follow_the_documented_formula(grown_matrix):
    from srmquiz.core.matrix import Owner
    from srmquiz.core.spectrum import share, spectrum

    m = grown_matrix
    rds = share(m, "rds")
    assert (rds.aws, rds.shared, rds.customer, rds.unstated) == (6, 3, 3, 0)
    assert rds.customer_share == pytest.approx((3 + 0.5 * 3) / 12)
    fargate = share(m, "ecs-fargate")
    assert fargate.unstated == 1 and fargate.stated == 13  # the unstated layer is left out
    order = spectrum(m)
    shares = [s.customer_share for s in order]
    assert shares == sorted(shares, reverse=True)
    assert order[0].service in ("outposts", "ec2") and order[-1].service == "s3"
    assert [s.service for s in spectrum(m, ["s3", "ec2", "s3"])] == ["ec2", "s3"]
    assert sum(rds.fraction(o) for o in Owner) == pytest.approx(1)


def test_spectrum_picture_orders_bars_and_sizes_segments_from_the_cells(grown_matrix):
    from srmquiz.core.spectrum import spectrum
    from srmquiz.draw.spectrum import SEGMENTS, draw_spectrum

    m = grown_matrix
    fig = draw_spectrum(m)
    ax = fig.axes[0]
    names = [t.get_text().replace("\n", " ") for t in ax.get_yticklabels()]
    ys = [t.get_position()[1] for t in ax.get_yticklabels()]
    top_down = [n for _, n in sorted(zip(ys, names, strict=True), reverse=True)]
    assert top_down == [m.service(s.service).name for s in spectrum(m)]  # IaaS on top
    segments = {p.get_gid(): p for p in ax.patches if p.get_gid()}
    labels = {t.get_gid(): t.get_text() for t in ax.texts if t.get_gid()}
    for item in spectrum(m):
        left = 0.0
        for owner, style in SEGMENTS.items():  # customer, shared, AWS from the left
            count = {"aws": item.aws, "shared": item.shared, "customer": item.customer}
            gid = f"segment:{item.service}:{owner.value}"
            if not count[owner.value]:
                assert gid not in segments
                continue
            bar = segments[gid]
            assert bar.get_x() == pytest.approx(left)
            assert bar.get_width() == pytest.approx(100 * count[owner.value] / item.stated)
            assert bar.get_hatch() == style["hatch"]
            left += bar.get_width()
            if bar.get_width() >= 7:
                assert labels[f"count:{item.service}:{owner.value}"] == str(count[owner.value])
        assert left == pytest.approx(100)
        category = m.categories[m.service(item.service).category].short
        beside = labels[f"category:{item.service}"]
        assert beside.startswith(category) and f"{round(100 * item.customer_share)}%" in beside
        assert ("not stated" in beside) == bool(item.unstated)
    hatches = {s["hatch"] for s in SEGMENTS.values()}
    assert len(hatches) == 3 and all(hatches)  # not colour alone
    legend = [t.get_text() for t in ax.get_legend().get_texts()]
    assert legend == [s["label"] for s in SEGMENTS.values()]
    assert ax.get_title()


@pytest.mark.parametrize("presenter", [False, True])
def test_spectrum_names_and_labels_are_never_clipped(grown_matrix, presenter):
    from srmquiz.draw.spectrum import draw_spectrum

    fig = draw_spectrum(grown_matrix, presenter=presenter)
    fig.canvas.draw()  # tight_layout already ran; this lays out the ticks
    renderer = RendererAgg(fig.bbox.width, fig.bbox.height, fig.dpi)
    ax = fig.axes[0]
    page = fig.bbox
    boxes = [t.get_window_extent(renderer) for t in ax.get_yticklabels()]
    boxes += [t.get_window_extent(renderer) for t in ax.texts]
    boxes += [ax.title.get_window_extent(renderer), ax.get_legend().get_window_extent(renderer)]
    boxes.append(ax.xaxis.label.get_window_extent(renderer))
    for box in boxes:
        assert page.x0 <= box.x0 and box.x1 <= page.x1, f"clipped left or right: {box}"
        assert page.y0 <= box.y0 and box.y1 <= page.y1, f"clipped top or bottom: {box}"
    title, legend = boxes[-3], boxes[-2]
    assert title.y0 >= legend.y1 - 1, "the legend sits on the title"
    assert legend.y0 >= ax.get_window_extent(renderer).y1 - 1, "the legend sits on the bars"


def test_spectrum_png_is_cached_per_content_and_checks_ids(matrix, grown_matrix):
    from srmquiz.core.matrix import UnknownIdError
    from srmquiz.draw.spectrum import spectrum_png

    a = spectrum_png(matrix)
    assert a.startswith(b"\x89PNG") and spectrum_png(matrix) is a
    assert spectrum_png(matrix, ["ec2", "s3"]) != a
    assert spectrum_png(grown_matrix) != a  # another checksum, another picture
    with pytest.raises(UnknownIdError):
        spectrum_png(matrix, ["ec9"])


# -- #14: many mistakes is the prominent end; unasked cells are plainly blank ---------------
def luminance(rgba) -> float:
    r, g, b, _ = rgba
    return 0.2126 * r + 0.7152 * g + 0.0722 * b


def test_heatmap_draws_many_mistakes_strongest_and_leaves_unasked_cells_blank(matrix):
    values = {("ec2", "iam"): 0.0, ("ec2", "guest-os"): 0.5, ("ec2", "customer-data"): 1.0}
    fig = heatmap(matrix, values, title="Mistakes", scale="mistakes")
    cells = {p.get_gid(): p for p in fig.axes[0].patches if p.get_gid()}
    none, half, all_ = (luminance(cells[f"cell:ec2:{la}"].get_facecolor())
                        for la in ("iam", "guest-os", "customer-data"))  # fmt: skip
    assert none > half > all_  # more mistakes: darker, the end that draws the eye
    assert none < 0.99  # 0% mistakes is still a tinted cell, not a blank one
    blank = cells["cell:s3:iam:empty"]
    assert not blank.get_fill() and not blank.get_hatch()
    labels = {t.get_gid(): t.get_text() for t in fig.axes[0].texts}
    assert labels["label:s3:iam"] == "–" and labels["label:ec2:customer-data"] == "100%"
    # mastery: the strong end is what is not mastered yet
    mastery = heatmap(matrix, {("ec2", "iam"): 0.0, ("ec2", "hypervisor"): 1.0}, title="M")
    cells = {p.get_gid(): p for p in mastery.axes[0].patches if p.get_gid()}
    assert luminance(cells["cell:ec2:iam"].get_facecolor()) < luminance(
        cells["cell:ec2:hypervisor"].get_facecolor()
    )


def test_difficulty_bars_name_questions_as_given_and_shorten_long_names():
    stats = [
        QuestionStat("owner:ec2:iam", "ec2", "iam", asked=2, right=1, given=()),
        QuestionStat("owner:s3:iam", "s3", "iam", asked=2, right=2, given=()),
    ]
    long = "Q2 · " + "Who manages the identities and permissions " * 3
    fig = difficulty_bars(stats, names={"owner:ec2:iam": "Q1 · Who patches?", "owner:s3:iam": long})
    labels = [t.get_text() for t in fig.axes[0].get_yticklabels()]
    assert labels[-1] == "Q1 · Who patches?"
    assert labels[0].startswith("Q2 · Who manages") and labels[0].endswith("…")
    assert not any("owner:" in label for label in labels)


def test_a_heatmap_draws_only_the_services_asked_about(matrix):
    from srmquiz.draw.charts import asked_services

    cells = {("s3", "iam"): (1, 2), ("ec2", "iam"): (0, 1)}
    columns = asked_services(matrix, cells)
    assert columns == ["ec2", "s3"]  # the matrix's order
    fig = heatmap(matrix, {k: w / n for k, (w, n) in cells.items()}, title="t", services=columns)
    names = [t.get_text() for t in fig.axes[0].get_xticklabels()]
    assert names == ["Amazon EC2", "Amazon S3"]
    assert asked_services(matrix, {}) == matrix.service_ids
