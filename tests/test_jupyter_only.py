"""Voila pages never tell the reader to run cells or edit code.

Convention: a markdown cell (or the part of one split into its own cell) that only makes
sense in Jupyter carries the cell tag ``jupyter-only``; ``voila.json`` at the top of the
repository (read by Voila from the folder it is started in, as the README starts it) has
nbconvert's TagRemovePreprocessor drop those cells. The browser test
(tests/browser/test_accessibility.py) checks the page itself.
"""

from __future__ import annotations

import json
import re
from pathlib import Path

import nbformat
import pytest

ROOT = Path(__file__).parents[1]
NOTEBOOKS = sorted((ROOT / "notebooks").glob("*.ipynb"))
TAG = "jupyter-only"
JUPYTER_WORDS = re.compile(r"run all|run →|run ->|change the|edit the|run the cell", re.IGNORECASE)
"""Instructions that only make sense where the reader runs and edits cells."""


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.name)
def test_jupyter_instructions_are_tagged_jupyter_only(path: Path):
    nb = nbformat.read(path, as_version=4)
    untagged = [
        f"{path.name}: cell {i}: {m.group(0)!r} (tag the cell {TAG!r}, or split that part off)"
        for i, cell in enumerate(nb.cells)
        if cell.cell_type == "markdown" and TAG not in cell.metadata.get("tags", [])
        for m in [JUPYTER_WORDS.search(cell.source)]
        if m
    ]
    assert not untagged, "\n".join(untagged)


def test_voila_is_configured_to_drop_jupyter_only_cells():
    config = json.loads((ROOT / "voila.json").read_text())
    assert config["TagRemovePreprocessor"]["remove_cell_tags"] == [TAG]


def test_notebook_01_keeps_its_instructions_for_jupyter():
    nb = nbformat.read(ROOT / "notebooks" / "01-self-study.ipynb", as_version=4)
    tagged = [c.source for c in nb.cells if TAG in c.metadata.get("tags", [])]
    assert any("Run → Run All Cells" in s for s in tagged)
    assert any("Change the family" in s for s in tagged)
    shown = [c.source for c in nb.cells if TAG not in c.metadata.get("tags", [])]
    assert any("Each quiz gives feedback as soon as you answer" in s for s in shown)
