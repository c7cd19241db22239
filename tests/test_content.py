"""Loading and validating content: the shipped folder, and one fixture per defect."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from srmquiz.core.matrix import Owner
from srmquiz.data.content import ContentError, load_matrix, validate

from .conftest import BAD, DATA

DESIGN_LAYERS = [
    "physical-infrastructure",
    "global-infrastructure",
    "hypervisor",
    "host-os",
    "guest-os",
    "network-firewall-config",
    "platform-applications",
    "iam",
    "client-side-encryption",
    "server-side-encryption",
    "network-traffic-protection",
    "customer-data",
]
DESIGN_CONTROLS = {
    "physical-environmental",
    "patch-management",
    "configuration-management",
    "awareness-training",
    "zone-security",
}


def test_shipped_content_validates(matrix):
    assert validate(None) == []
    # The contract's twelve ids keep their order, bottom to top; #13 adds one extra layer
    # and two that split "platform-applications", and the course's services keep the twelve.
    course = [la.id for la in matrix.layers if not la.extra and not la.splits]
    assert course == DESIGN_LAYERS
    assert [(la.id, la.extra, la.splits) for la in matrix.layers if la.id not in course] == [
        ("control-plane", True, ""),
        ("runtime", False, "platform-applications"),
        ("application-code", False, "platform-applications"),
    ]
    assert [la.index for la in matrix.layers] == list(range(len(matrix.layers)))
    for sid in ("ec2", "rds", "s3"):
        assert [c.layer for c in matrix.stack(sid)] == DESIGN_LAYERS, sid
    assert list(matrix.categories) == ["iaas", "containers", "paas", "serverless", "abstracted"]
    assert {"ec2", "rds", "s3"} <= set(matrix.service_ids)
    assert {s.id: s.category for s in matrix.services}.items() >= {
        "ec2": "iaas",
        "rds": "paas",
        "s3": "abstracted",
    }.items()
    assert {c.id for c in matrix.controls} >= DESIGN_CONTROLS
    assert set(matrix.control_categories) == {"inherited", "shared", "customer-specific"}
    assert len(matrix.scenarios) >= 15


def test_every_cell_cites_a_known_source(matrix):
    for cell in matrix.cells.values():
        assert cell.source in matrix.sources, cell
        assert cell.where.strip(), cell


def test_cells_agree_with_the_course_transcript(matrix):
    """Where the course speaks, the matrix says the same (claims U*, E*, R*, A*, G* of the facts file)."""
    course = {
        "ec2": dict.fromkeys(DESIGN_LAYERS[:4], Owner.AWS)
        | dict.fromkeys(DESIGN_LAYERS[4:], Owner.CUSTOMER),
        "rds": dict.fromkeys(
            [
                "physical-infrastructure",
                "hypervisor",
                "host-os",
                "guest-os",
                "platform-applications",
            ],
            Owner.AWS,
        )
        | dict.fromkeys(["iam", "client-side-encryption", "customer-data"], Owner.CUSTOMER)
        # The course gives RDS network/firewall to both sides.
        | {"network-firewall-config": Owner.SHARED},
        "s3": dict.fromkeys(
            [
                "physical-infrastructure",
                "global-infrastructure",
                "hypervisor",
                "host-os",
                "guest-os",
                "network-firewall-config",
                "platform-applications",
            ],
            Owner.AWS,
        )
        | dict.fromkeys(["iam", "client-side-encryption", "customer-data"], Owner.CUSTOMER),
    }
    for service, cells in course.items():
        for layer, owner in cells.items():
            assert matrix.cell(service, layer).owner is owner, (service, layer)


def test_cells_where_the_course_is_silent_follow_aws_and_say_so(matrix):
    for service, layer in [
        ("rds", "server-side-encryption"),
        ("rds", "network-traffic-protection"),
        ("s3", "server-side-encryption"),
        # The course gives S3's remaining layers to AWS only by elimination ("AWS manages
        # the rest"); S3 accepts plain HTTP and requiring TLS is the customer's setting.
        ("s3", "network-traffic-protection"),
    ]:
        cell = matrix.cell(service, layer)
        assert cell.owner is Owner.SHARED
        assert cell.source != "course-transcript"
        assert "course" in cell.note.lower()  # the note on the source line says the course differs
        assert cell.aws_part and cell.customer_part


def test_no_content_text_is_copied_from_the_course_transcript(shipped_copy):
    """No 9-word run of any text in content/ appears in the transcript (compared by hash)."""
    import hashlib
    import tomllib

    lines = (DATA / "transcript-9grams.sha1").read_text().splitlines()
    windows = {line for line in lines if line and not line.startswith("#")}
    assert len(windows) > 500

    def strings(value: object) -> list[str]:
        if isinstance(value, str):
            return [value]
        if isinstance(value, dict):
            return [s for v in value.values() for s in strings(v)]
        if isinstance(value, list):
            return [s for v in value for s in strings(v)]
        return []

    checked = 0
    for path in sorted(shipped_copy.glob("*.toml")):
        for text in strings(tomllib.loads(path.read_text())):
            words = " ".join(text.split()).lower().split()
            for i in range(len(words) - 8):
                digest = hashlib.sha1(" ".join(words[i : i + 9]).encode()).hexdigest()
                assert digest not in windows, (path.name, " ".join(words[i : i + 9]))
                checked += 1
    assert checked > 1000


def _bad_cases():
    for path in sorted(BAD.glob("*.toml")):
        defect, target, _ = path.name.split(".")
        yield pytest.param(path, target, id=defect)


@pytest.mark.parametrize(("fixture", "target"), list(_bad_cases()))
def test_each_defect_gives_one_exact_line(fixture: Path, target: str, tiny_dir: Path):
    expected = fixture.read_text().splitlines()[0].removeprefix("# expect: ")
    shutil.copy(fixture, tiny_dir / f"{target}.toml")
    assert validate(tiny_dir) == [expected]
    with pytest.raises(ContentError) as info:
        load_matrix(tiny_dir)
    assert info.value.problems == [expected]


def test_three_defects_give_three_lines(tiny_dir: Path):
    for name in (
        "unknown-owner.matrix",
        "scenario-missing-cell.scenarios",
        "layer-without-phrasings.phrasings",
    ):
        target = name.split(".")[1]
        shutil.copy(BAD / f"{name}.toml", tiny_dir / f"{target}.toml")
    problems = validate(tiny_dir)
    assert len(problems) == 3
    assert [p.split(":")[0] for p in problems] == [
        "content/matrix.toml",
        "content/phrasings.toml",
        "content/scenarios.toml",
    ]


def test_missing_file_and_missing_folder(tiny_dir: Path, tmp_path: Path):
    (tiny_dir / "controls.toml").unlink()
    assert validate(tiny_dir) == ["content/controls.toml: file not found"]
    assert validate(tmp_path / "nowhere") == ["nowhere: not a folder"]


def test_template_with_unknown_placeholder(tiny_dir: Path):
    path = tiny_dir / "templates.toml"
    path.write_text(path.read_text().replace("Who {task} on {service}?", "Who {task} on {servce}?"))
    assert validate(tiny_dir) == [
        "content/templates.toml: prompts.owner: unknown placeholder {servce} "
        "(valid here: {service}, {task})"
    ]


def test_wrong_type_is_named(tiny_dir: Path):
    path = tiny_dir / "phrasings.toml"
    path.write_text(path.read_text().replace('tasks = ["classifies the data"]', "tasks = 3"))
    assert validate(tiny_dir) == [
        "content/phrasings.toml: layers.customer-data.tasks: expected a list of strings"
    ]


def test_unknown_ids_name_the_valid_ones(matrix):
    with pytest.raises(KeyError, match="unknown service 'ec3'; valid: ec2, rds, s3"):
        matrix.service("ec3")
    with pytest.raises(KeyError, match="unknown layer 'kernel'"):
        matrix.cell("ec2", "kernel")


def test_checksum_changes_with_content(tiny_dir: Path):
    before = load_matrix(tiny_dir).checksum
    path = tiny_dir / "matrix.toml"
    path.write_text(path.read_text().replace("You patch your own VM.", "You patch it."))
    assert load_matrix(tiny_dir).checksum != before


def test_an_unchanged_folder_is_read_once_and_an_edited_one_is_read_anew(tiny_dir):
    first = load_matrix(tiny_dir)
    assert load_matrix(tiny_dir) is first  # a notebook's quizzes share one reading
    path = tiny_dir / "matrix.toml"
    path.write_text(path.read_text().replace("You patch your own VM.", "You patch the VM."))
    edited = load_matrix(tiny_dir)
    assert edited is not first and edited.checksum != first.checksum
    assert any(c.explanation == "You patch the VM." for c in edited.cells.values())
    path.write_text("this = = is not TOML")  # broken after a good read: said, not hidden
    with pytest.raises(ContentError, match="matrix.toml"):
        load_matrix(tiny_dir)
