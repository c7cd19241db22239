"""The class and progress charts, checked for what they show: counts as text, order, hatching."""

from __future__ import annotations

import itertools

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
