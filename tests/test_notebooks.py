"""What the notebooks show, beyond "every cell runs" (nbval does that in `make test`)."""

from __future__ import annotations

from pathlib import Path

import nbformat
import pytest
from nbclient import NotebookClient

NOTEBOOKS = Path(__file__).parents[1] / "notebooks"
WIDGET = "application/vnd.jupyter.widget-view+json"


def run(name: str, replace: dict[str, str] | None = None) -> nbformat.NotebookNode:
    """Execute a notebook; `replace` edits cell sources first (e.g. a settings cell)."""
    nb = nbformat.read(NOTEBOOKS / name, as_version=4)
    for old, new in (replace or {}).items():
        hits = [c for c in nb.cells if old in c.source]
        assert hits, f"{old!r} not found in {name}"
        for c in hits:
            c.source = c.source.replace(old, new)
    NotebookClient(
        nb, timeout=120, kernel_name="python3", resources={"metadata": {"path": str(NOTEBOOKS)}}
    ).execute()
    return nb


@pytest.fixture(scope="module")
def self_study() -> nbformat.NotebookNode:
    return run("01-self-study.ipynb")


def test_notebooks_are_committed_without_outputs():
    for path in NOTEBOOKS.glob("*.ipynb"):
        nb = nbformat.read(path, as_version=4)
        assert "widgets" not in nb.metadata, path.name
        for cell in nb.cells:
            if cell.cell_type == "code":
                assert not cell.outputs and cell.execution_count is None, path.name


def test_every_quiz_cell_shows_a_quiz_widget(self_study):
    quiz_cells = [
        c for c in self_study.cells if c.cell_type == "code" and "srmquiz.quiz(" in c.source
    ]
    assert len(quiz_cells) >= 5
    for cell in quiz_cells:
        data = [o.get("data", {}) for o in cell.outputs if o.output_type == "execute_result"]
        assert data and WIDGET in data[0], cell.source
        assert "srmquiz could not start" not in str(data[0])
        assert data[0]["text/plain"].startswith("Quiz(")


def test_the_matrix_is_a_picture_and_the_table_one_command_away(self_study):
    cells = [c for c in self_study.cells if "srmquiz.matrix_picture()" in c.source]
    assert len(cells) == 1
    data = [o.get("data", {}) for o in cells[0].outputs if o.output_type == "execute_result"]
    assert data and WIDGET in data[0] and data[0]["text/plain"].startswith("VBox(")
    printed = "".join(o.get("text", "") for c in self_study.cells for o in c.get("outputs", []))
    assert "Guest operating system" not in printed  # no ASCII printout any more
    prose = " ".join(c.source for c in self_study.cells if c.cell_type == "markdown")
    assert "`srmquiz matrix` in a terminal" in prose


def test_walkthrough_notebook_shows_the_stepper_the_picture_and_a_class_quiz():
    nb = run("03-instructor-walkthrough.ipynb")
    results = [
        o.get("data", {})
        for c in nb.cells
        if c.cell_type == "code"
        for o in c.outputs
        if o.output_type == "execute_result"
    ]
    plain = [d.get("text/plain", "") for d in results]
    assert any(p.startswith("Walkthrough(") for p in plain), plain
    assert any(p.startswith("Quiz(") for p in plain), plain
    assert any(d.get("image/png") for d in results)  # the comparison for the board
    assert not any(o.output_type == "error" for c in nb.cells for o in c.get("outputs", []))
    assert "srmquiz could not start" not in str(results)


def test_classroom_notebook_shows_the_form_history_and_review(_private_progress_db):
    nb = run("02-classroom.ipynb")
    plain = [
        o.get("data", {}).get("text/plain", "")
        for c in nb.cells
        if c.cell_type == "code"
        for o in c.outputs
        if o.output_type == "execute_result"
    ]
    assert plain[0].startswith("Classroom(")
    assert plain[1].startswith("VBox(")  # history
    assert plain[2].startswith("Quiz(")  # review
    assert _private_progress_db.exists()  # it wrote to the test's database, not the user's
