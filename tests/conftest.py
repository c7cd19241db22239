"""Shared fixtures: the shipped matrix, a tiny matrix, content folders to break."""

from __future__ import annotations

import dataclasses
import os
import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest

from srmquiz.core.matrix import Matrix
from srmquiz.data.content import find_content_dir, load_matrix

DATA = Path(__file__).parent / "data"
TINY = DATA / "tiny-content"
BAD = DATA / "bad-content"
SHIPPED = find_content_dir()
# The eight kinds the design promises (README, "Command line"), written out so a dropped kind
# fails a test, in the order session codes number them (that order is a contract too).
EIGHT_KINDS = (
    "owner",
    "which-are",
    "compare",
    "always",
    "category",
    "true-false",
    "build-the-stack",
    "scenario",
)


@pytest.fixture(scope="session", autouse=True)
def _private_progress_db(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Path]:
    """Every test (and every kernel or server a test starts) writes progress to a temporary
    database, never the user's real one, and keeps rendered pictures in a temporary cache."""
    path = tmp_path_factory.mktemp("progress") / "progress.sqlite3"
    saved = {k: os.environ.get(k) for k in ("SRMQUIZ_DB", "SRMQUIZ_LEARNER", "SRMQUIZ_CACHE")}
    os.environ["SRMQUIZ_DB"] = str(path)
    os.environ["SRMQUIZ_LEARNER"] = "test-learner"
    os.environ["SRMQUIZ_CACHE"] = str(tmp_path_factory.mktemp("picture-cache"))
    yield path
    for k, v in saved.items():
        if v is None:
            os.environ.pop(k, None)
        else:
            os.environ[k] = v


@pytest.fixture(autouse=True)
def _close_widgets() -> Iterator[None]:
    """Close every widget a test made, so none outlives it (and memory checks stay honest)."""
    yield
    import sys

    if "ipywidgets" in sys.modules:
        sys.modules["ipywidgets"].Widget.close_all()


@pytest.fixture(scope="session")
def matrix() -> Matrix:
    """The shipped matrix."""
    return load_matrix(SHIPPED)


def make_tiny_content(target: Path) -> Path:
    """Copy the tiny test content (plus the shipped templates) into target/content."""
    content = target / "content"
    content.mkdir(parents=True, exist_ok=True)
    for f in TINY.glob("*.toml"):
        shutil.copy(f, content / f.name)
    shutil.copy(SHIPPED / "templates.toml", content / "templates.toml")
    return content


@pytest.fixture
def tiny_dir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A writable tiny content folder; the working directory is its parent."""
    monkeypatch.chdir(tmp_path)
    return make_tiny_content(tmp_path)


@pytest.fixture
def shipped_copy(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A writable copy of the shipped content as ./content."""
    monkeypatch.chdir(tmp_path)
    content = tmp_path / "content"
    shutil.copytree(SHIPPED, content, ignore=shutil.ignore_patterns("__pycache__"))
    return content


@pytest.fixture(scope="session")
def tiny_matrix(tmp_path_factory: pytest.TempPathFactory) -> Matrix:
    """A three-layer, two-service matrix."""
    return load_matrix(make_tiny_content(tmp_path_factory.mktemp("tiny")))


def widened(matrix: Matrix, names: list[str]) -> Matrix:
    """The matrix with one more service per name, each a renamed copy of EC2 (ids vm-0,
    vm-1, ...): a content as wide as the exams' dozen services, for tests of width."""
    ec2 = matrix.service("ec2")
    copies = [dataclasses.replace(ec2, id=f"vm-{i}", name=name) for i, name in enumerate(names)]
    cells = dict(matrix.cells)
    for copy in copies:
        for cell in matrix.stack("ec2"):  # EC2's own layers (not the extra or split ones)
            cells[(copy.id, cell.layer)] = dataclasses.replace(cell, service=copy.id)
    return dataclasses.replace(matrix, services=(*matrix.services, *copies), cells=cells)


EXAM_SERVICE_NAMES = [
    "AWS Lambda",
    "Amazon DynamoDB",
    "Amazon ECS on AWS Fargate",
    "Amazon ECS on Amazon EC2",
    "Amazon Elastic Kubernetes Service",
    "AWS Elastic Beanstalk",
    "Amazon Aurora",
    "AWS Lambda (container image)",
    "AWS Elastic Beanstalk (managed updates off)",
    "Amazon RDS Custom",
    "Amazon EC2 on AWS Outposts",
]
"""Names as long as those #13 brings (placeholders for width tests, not content)."""


# -- a matrix as #13 grows it, built in code until the new content lands ------------------
GROWN_SERVICE_NAMES = {
    "lambda": "AWS Lambda",
    "lambda-image": "AWS Lambda (container image)",
    "ecs-fargate": "Amazon ECS on AWS Fargate",
    "eks": "Amazon Elastic Kubernetes Service",
    "beanstalk": "AWS Elastic Beanstalk",
    "beanstalk-manual": "AWS Elastic Beanstalk (managed updates off)",
    "outposts": "Amazon EC2 on AWS Outposts",
}
"""Placeholder services (ids and names as long as #13's; owners are for tests, not content)."""


@pytest.fixture(scope="session")
def course(matrix: Matrix) -> Matrix:
    """The shipped matrix cut back to the course's EC2, RDS and S3 on its twelve layers."""
    return course_only(matrix)


def course_only(matrix: Matrix) -> Matrix:
    """The shipped matrix cut back to the course: EC2, RDS and S3 on the twelve layers."""
    keep = ("ec2", "rds", "s3")
    layers = [la for la in matrix.layers if not (la.extra or la.splits)]
    return dataclasses.replace(
        matrix,
        layers=tuple(dataclasses.replace(la, index=i) for i, la in enumerate(layers)),
        categories={
            k: v for k, v in matrix.categories.items() if k in ("iaas", "paas", "abstracted")
        },
        services=tuple(s for s in matrix.services if s.id in keep),
        cells={k: c for k, c in matrix.cells.items() if k[0] in keep},
        scenarios=tuple(sc for sc in matrix.scenarios if sc.service in keep),
    )


def grown(matrix: Matrix) -> Matrix:
    """The shipped matrix grown the way #13 grows it: three new layers (control-plane, an
    extra layer between host-os and guest-os; runtime and application-code, which split
    platform-applications), two new categories, services that use them, variants that name a
    base, and unstated layers (ecs-fargate's guest-os, outposts' global-infrastructure).

    EC2, RDS and S3 keep their twelve layers. The checksum is set, so cached pictures of
    this matrix never mix with another's.
    """
    from srmquiz.core.matrix import Category, Layer, Owner, Service

    matrix = course_only(matrix)
    control = Layer("control-plane", "Control plane", "the orchestration control plane",
                    "Schedules and places containers.", 0, extra=True)  # fmt: skip
    runtime = Layer("runtime", "Runtime", "the runtime", "The language or container runtime.",
                    0, splits="platform-applications")  # fmt: skip
    code = Layer("application-code", "Application code", "the application code",
                 "The customer's own code.", 0, splits="platform-applications")  # fmt: skip
    order = []
    for la in matrix.layers:
        order.append(la)
        if la.id == "host-os":
            order.append(control)
        if la.id == "platform-applications":
            order += [runtime, code]
    layers = tuple(dataclasses.replace(la, index=i) for i, la in enumerate(order))
    categories = dict(matrix.categories)
    categories["containers"] = Category("containers", "Containers", "Containers", "Containers.")
    categories["serverless"] = Category("serverless", "Serverless", "Serverless", "No servers.")
    A, C, S = Owner.AWS, Owner.CUSTOMER, Owner.SHARED
    course = [la.id for la in matrix.layers]
    upper = course[course.index("platform-applications") + 1 :]  # iam .. customer-data
    split = [lid for lid in course if lid != "platform-applications"]
    owners: dict[str, dict[str, Owner]] = {
        "lambda": {
            **dict.fromkeys(split[: split.index("iam")], A),
            "runtime": A,
            "application-code": C,
            **dict.fromkeys(upper, C),
            "server-side-encryption": S,
        },
        "ecs-fargate": {
            **dict.fromkeys(split[: split.index("iam")], A),
            "control-plane": A,
            "runtime": A,
            "application-code": C,
            **dict.fromkeys(upper, C),
            "network-firewall-config": S,
        },
        "eks": {
            **dict.fromkeys(split[: split.index("guest-os")], A),
            "control-plane": A,
            **dict.fromkeys(split[split.index("guest-os") :], C),
            "runtime": C,
            "application-code": C,
        },
        "beanstalk": {
            **dict.fromkeys(course, A),
            **dict.fromkeys(upper, C),
            "network-firewall-config": S,
        },
    }
    unstated = {
        "ecs-fargate": (("guest-os", "No source says who patches the task's guest OS."),),
        "outposts": (("global-infrastructure", "No source says who runs the Region link."),),
    }
    del owners["ecs-fargate"]["guest-os"]
    # variants: the cells they change (the rest inherited from the base)
    variants = {
        "lambda-image": ("lambda", {"runtime": C, "guest-os": S}),
        "beanstalk-manual": ("beanstalk", {"guest-os": C, "platform-applications": S}),
        "outposts": ("ec2", {"physical-infrastructure": S}),
    }
    template = matrix.cell("ec2", "iam")
    cells = dict(matrix.cells)
    services = list(matrix.services)
    category = {
        "lambda": "serverless",
        "lambda-image": "serverless",
        "ecs-fargate": "containers",
        "eks": "containers",
        "beanstalk": "paas",
        "beanstalk-manual": "paas",
        "outposts": "iaas",
    }
    for sid, name in GROWN_SERVICE_NAMES.items():
        base = variants[sid][0] if sid in variants else ""
        services.append(
            Service(sid, name, category[sid], f"{name}.", base, (), unstated.get(sid, ()))
        )
        if base:
            mine = variants[sid][1]
            gone = dict(unstated.get(sid, ()))
            for (bid, lid), cell in list(cells.items()):
                if bid == base and lid not in gone:
                    owner = mine.get(lid, cell.owner)
                    inherited = base if lid not in mine else ""
                    cells[(sid, lid)] = dataclasses.replace(
                        cell, service=sid, owner=owner, inherited_from=inherited
                    )
            continue
        for lid, owner in owners[sid].items():
            cells[(sid, lid)] = dataclasses.replace(
                template, service=sid, layer=lid, owner=owner, explanation=f"{name}: {lid}."
            )
    return dataclasses.replace(
        matrix,
        layers=layers,
        categories=categories,
        services=tuple(services),
        cells=cells,
        checksum="grown:" + matrix.checksum,
    )


@pytest.fixture(scope="session")
def grown_matrix(matrix: Matrix) -> Matrix:
    """The shipped matrix grown with #13's new layers and placeholder services (see grown)."""
    return grown(matrix)
