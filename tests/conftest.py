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
    database, never the user's real one."""
    path = tmp_path_factory.mktemp("progress") / "progress.sqlite3"
    saved = {k: os.environ.get(k) for k in ("SRMQUIZ_DB", "SRMQUIZ_LEARNER")}
    os.environ["SRMQUIZ_DB"] = str(path)
    os.environ["SRMQUIZ_LEARNER"] = "test-learner"
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
