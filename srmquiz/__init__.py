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


def review(*args, **kwargs):  # type: ignore[no-untyped-def]
    """A quiz of what is due first; see :func:`srmquiz.notebook.review`."""
    from srmquiz.notebook import review as _review

    return _review(*args, **kwargs)


def history(*args, **kwargs):  # type: ignore[no-untyped-def]
    """This learner's answers so far and a mastery heatmap; see :func:`srmquiz.notebook.history`."""
    from srmquiz.notebook import history as _history

    return _history(*args, **kwargs)


def classroom(*args, **kwargs):  # type: ignore[no-untyped-def]
    """A student's session form (name + code); see :func:`srmquiz.notebook.classroom`."""
    from srmquiz.notebook import classroom as _classroom

    return _classroom(*args, **kwargs)


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
    "classroom",
    "find_content_dir",
    "generate",
    "history",
    "load_matrix",
    "matrix_table",
    "quiz",
    "review",
    "validate",
    "walkthrough",
]
