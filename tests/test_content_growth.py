"""Content checks for the grown matrix (issue #13): variants, split and extra layers,
unstated layers, sources with addresses, ideas, shared controls and the spectrum chapter.

Each case edits one thing in a copy of the shipped content and expects exactly one line.
"""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from srmquiz.core.matrix import Owner
from srmquiz.core.walkthrough import build_steps
from srmquiz.data.content import load_matrix, load_script, validate

from .conftest import SHIPPED

CELL_BLOCK = r"\[services\.ecs-ec2\.cells\.application-code\]\n(?:[^\[\n].*\n|\n)*"

CASES = [
    (
        "variant-unknown-base",
        "matrix.toml",
        'base = "lambda"\n',
        'base = "lamda"\n',
        "content/matrix.toml: services.lambda-container.base: unknown base service 'lamda' "
        "(services: ec2, rds, s3, lambda, dynamodb, ecs-fargate, ecs-ec2, eks, "
        "elastic-beanstalk, aurora, lambda-container, elastic-beanstalk-manual, rds-custom, "
        "ec2-outposts)",
    ),
    (
        "variant-of-a-variant",
        "matrix.toml",
        'base = "rds"\n',
        'base = "lambda-container"\n',
        "content/matrix.toml: services.rds-custom.base: rds-custom cannot vary "
        "lambda-container: a base is a service, not a variant",
    ),
    (
        "split-layer-and-its-parts",
        "matrix.toml",
        "[services.lambda.cells.runtime]\n",
        '[services.lambda.cells.platform-applications]\nowner = "aws"\nexplanation = "x"\n'
        'source = "course-transcript"\nwhere = "x"\n\n[services.lambda.cells.runtime]\n',
        "content/matrix.toml: services.lambda.cells.platform-applications: the service has "
        "both platform-applications and runtime, application-code, which split it: use one "
        "or the other",
    ),
    (
        "missing-split-part",
        "matrix.toml",
        re.compile(CELL_BLOCK),
        "",
        "content/matrix.toml: services.ecs-ec2.cells.application-code: missing cell: runtime, "
        "application-code split platform-applications, so the service needs all of them",
    ),
    (
        "unstated-and-a-cell",
        "matrix.toml",
        "[services.rds-custom.unstated]\n",
        '[services.rds-custom.unstated]\nguest-os = "no source found"\n',
        "content/matrix.toml: services.rds-custom.unstated.guest-os: the layer has a cell "
        "too: a layer is either stated (a cell) or unstated",
    ),
    (
        "aws-page-without-url",
        "sources.toml",
        'url = "https://aws.amazon.com/compliance/shared-responsibility-model/"\n',
        'url = ""\n',
        "content/sources.toml: sources.aws-srm.url: an AWS page needs its https:// address, "
        "so a reader can check it",
    ),
    (
        "also-fits-own-category",
        "matrix.toml",
        'also_fits = ["serverless"]\n',
        'also_fits = ["abstracted"]\n',
        "content/matrix.toml: services.dynamodb.also_fits[0]: abstracted is the service's "
        "own category",
    ),
    (
        "shared-control-with-one-part",
        "controls.toml",
        'customer_part = "trains its own employees"\n',
        "",
        "content/controls.toml: controls.awareness-training.customer_part: missing: a shared "
        "control says what each side does",
    ),
    (
        "spectrum-unknown-service",
        "walkthrough.toml",
        'services = ["ecs-ec2", "ecs-fargate"]\n',
        'services = ["ecs-ec2", "fargate"]\n',
        "content/walkthrough.toml: spectrum[0].services[1]: unknown service 'fargate' is not "
        "one of ec2, rds, s3, lambda, dynamodb, ecs-fargate, ecs-ec2, eks, elastic-beanstalk, "
        "aurora, lambda-container, elastic-beanstalk-manual, rds-custom, ec2-outposts",
    ),
]


@pytest.mark.parametrize(
    ("name", "file", "old", "new", "expected"), CASES, ids=[c[0] for c in CASES]
)
def test_each_growth_defect_is_one_exact_line(shipped_copy: Path, name, file, old, new, expected):
    path = shipped_copy / file
    text = path.read_text()
    if isinstance(old, re.Pattern):
        edited = old.sub(new, text, count=1)
    else:
        assert text.count(old) >= 1, f"{name}: the shipped {file} changed; update the case"
        edited = text.replace(old, new, 1)
    assert edited != text
    path.write_text(edited)
    assert validate(shipped_copy) == [expected]


def test_an_idea_whose_reasons_do_not_match_its_choices_is_named(shipped_copy: Path):
    path = shipped_copy / "ideas.toml"
    path.write_text(path.read_text().replace('"AWS Trusted Advisor" = ', '"AWS Trusted Advisr" = '))
    where = "content/ideas.toml: ideas.artifact-compliance-reports.why_wrong."
    assert validate(shipped_copy) == [
        f"{where}'AWS Trusted Advisor': missing: say why this choice is wrong",
        f"{where}'AWS Trusted Advisr': is not one of the wrong choices (check spelling)",
    ]


def test_a_variant_inherits_what_it_does_not_state(matrix):
    own = {c.layer for c in matrix.stack("lambda-container") if not c.inherited_from}
    assert {"guest-os", "runtime"} <= own
    inherited = matrix.cell("lambda-container", "iam")
    assert inherited.inherited_from == "lambda"
    assert inherited.explanation == matrix.cell("lambda", "iam").explanation
    assert matrix.cell("lambda", "guest-os").owner is Owner.AWS
    # the image's operating system files are the customer's to rebuild, the kernel AWS's
    assert matrix.cell("lambda-container", "guest-os").owner is Owner.SHARED
    # a variant's unstated layer removes what it would inherit
    assert not matrix.has("rds-custom", "network-traffic-protection")
    assert matrix.unstated_reason("rds-custom", "network-traffic-protection")
    # Outposts moves the site to the customer's side; the rest of EC2 stays
    assert matrix.cell("ec2-outposts", "physical-infrastructure").owner is Owner.SHARED
    assert matrix.cell("ec2-outposts", "guest-os").inherited_from == "ec2"


def test_the_course_s_three_services_keep_its_twelve_layers(matrix):
    twelve = [la.id for la in matrix.layers if not (la.extra or la.splits)]
    assert len(twelve) == 12
    for sid in ("ec2", "rds", "s3"):
        assert [la.id for la in matrix.layers_of(sid)] == twelve
        assert not matrix.service(sid).unstated


def test_every_aws_source_cited_has_an_address(matrix):
    cited = {c.source for c in matrix.cells.values()} | {i.source for i in matrix.ideas}
    cited |= {c.source for c in matrix.controls}
    for sid in cited:
        source = matrix.sources[sid]
        assert source.kind == "course" or source.url.startswith("https://"), sid


def test_the_walkthrough_has_a_spectrum_chapter_before_the_class_quiz(matrix):
    steps = build_steps(matrix, load_script(matrix, SHIPPED))
    sections = [s.section for s in steps]
    chapter = [s for s in steps if s.section == "The spectrum"]
    assert sections.index("The spectrum") > sections.index("Comparison")
    assert sections[-1] == "Class quiz"
    pairs = [s.figure.services for s in chapter if s.figure and not s.figure.spectrum]
    assert ("lambda", "lambda-container") in pairs and ("ecs-ec2", "ecs-fargate") in pairs
    whole = [s.figure for s in chapter if s.figure and s.figure.spectrum]
    assert len(whole) == 1 and set(whole[0].services) == set(matrix.service_ids)
    assert all(s.source for s in chapter)


def test_shipped_content_folder_still_loads_without_ideas(shipped_copy: Path):
    (shipped_copy / "ideas.toml").unlink()
    assert validate(shipped_copy) == []
    assert load_matrix(shipped_copy).ideas == ()


def test_questions_for_lambda_ask_zip_against_container_image(capsys):
    """The issue's example: `srmquiz questions --service lambda` brings the container-image
    variant along, with owner, scenario and compare questions on who patches the OS."""
    from srmquiz.cli import main

    assert main(["questions", "--service", "lambda", "--json"]) == 0
    bank = {q["id"]: q for q in json.loads(capsys.readouterr().out)}
    assert {q["service"] for q in bank.values()} == {"lambda", "lambda-container", None}
    zip_os = bank["owner:lambda:guest-os"]
    assert "operating system" in zip_os["prompt"] and ".zip" in zip_os["prompt"]
    assert zip_os["answer"] == ["AWS"]
    image_os = bank["owner:lambda-container:guest-os"]
    assert "container image" in image_os["prompt"] and image_os["answer"] == ["Shared"]
    assert "the customer rebuilds the function's image" in image_os["explanation"]
    assert bank["compare:guest-os:shared"]["answer"] == ["AWS Lambda (container image)"]
    stale = bank["scenario:lambda-container-stale-base-image"]
    assert stale["answer"] == ["Customer"]  # the story is about the customer's half
    assert {q["kind"] for q in bank.values()} >= {"owner", "scenario", "compare"}


def test_the_opening_figure_keeps_the_data_centers_on_aws_s_side(matrix):
    """Outposts (a variant) moves its site to the customer; in a Region the data centers stay
    AWS's on every service, so the opening picture still outlines them."""
    steps = build_steps(matrix, load_script(matrix, SHIPPED))
    figure = next(s.figure for s in steps if s.section == "Introduction" and s.figure)
    assert "physical-infrastructure" in figure.highlight
    assert "Outposts" in next(s.text for s in steps if s.figure is figure)
