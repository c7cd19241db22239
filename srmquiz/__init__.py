"""srmquiz: learn the AWS shared responsibility model in Jupyter.

The public API is re-exported here; everything else is private. Importing this
package is cheap: ipywidgets and matplotlib load only when a quiz or a drawing
is made.
"""

from __future__ import annotations

__version__ = "0.1.0"

from srmquiz.content import ContentError, find_content_dir, load_matrix, validate
from srmquiz.export import matrix_table
from srmquiz.matrix import Cell, Layer, Matrix, Owner, Service, UnknownIdError
from srmquiz.questions import KINDS, Question, generate


def quiz(*args, **kwargs):  # type: ignore[no-untyped-def]
    """Return a quiz widget; see :func:`srmquiz.notebook.quiz` (imports ipywidgets lazily)."""
    from srmquiz.notebook import quiz as _quiz

    return _quiz(*args, **kwargs)


def walkthrough(*args, **kwargs):  # type: ignore[no-untyped-def]
    """Return the instructor walkthrough; see :func:`srmquiz.stepper.walkthrough`."""
    from srmquiz.stepper import walkthrough as _walkthrough

    return _walkthrough(*args, **kwargs)


__all__ = [
    "Cell",
    "ContentError",
    "KINDS",
    "Layer",
    "Matrix",
    "Owner",
    "Question",
    "Service",
    "UnknownIdError",
    "__version__",
    "find_content_dir",
    "generate",
    "load_matrix",
    "matrix_table",
    "quiz",
    "validate",
    "walkthrough",
]
