"""srmquiz: learn the AWS shared responsibility model in Jupyter.

The names in ``__all__`` are the public API: the learner's and the instructor's
notebook calls, and the content model for scripts. Importing this package is cheap:
each name is imported on first use (PEP 562), so ipywidgets and matplotlib load only
when a quiz or a drawing is made.

Learners: :func:`quiz`, :func:`review`, :func:`history`, :func:`classroom`.
Instructors: :func:`walkthrough`, :func:`new_session`, :func:`answer_key`,
:func:`dashboard`, :func:`live_view`, :func:`demo_class`, :func:`comparison_png`,
:func:`spectrum_png`.
Content: :func:`load_matrix`, :func:`validate`, :func:`generate`, :func:`matrix_table`,
:func:`matrix_png`, :func:`matrix_picture`.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

from srmquiz.core.version import __version__

if TYPE_CHECKING:
    from srmquiz.core.bank import generate
    from srmquiz.core.kinds import KINDS
    from srmquiz.core.matrix import Cell, Layer, Matrix, Owner, Service, UnknownIdError
    from srmquiz.core.questions import Answer, Question
    from srmquiz.core.sessions import Session, new_session
    from srmquiz.core.table import matrix_table
    from srmquiz.data.content import ContentError, find_content_dir, load_matrix, validate
    from srmquiz.draw.matrix import matrix_png
    from srmquiz.draw.spectrum import spectrum_png
    from srmquiz.draw.stacks import comparison_png, stack_png
    from srmquiz.notebook import (
        answer_key,
        classroom,
        dashboard,
        demo_class,
        history,
        live_view,
        matrix_picture,
        quiz,
        review,
        walkthrough,
    )

_WHERE = {
    "Answer": "srmquiz.core.questions",
    "Cell": "srmquiz.core.matrix",
    "ContentError": "srmquiz.data.content",
    "KINDS": "srmquiz.core.kinds",
    "Layer": "srmquiz.core.matrix",
    "Matrix": "srmquiz.core.matrix",
    "Owner": "srmquiz.core.matrix",
    "Question": "srmquiz.core.questions",
    "Service": "srmquiz.core.matrix",
    "Session": "srmquiz.core.sessions",
    "UnknownIdError": "srmquiz.core.matrix",
    "answer_key": "srmquiz.notebook",
    "classroom": "srmquiz.notebook",
    "comparison_png": "srmquiz.draw.stacks",
    "dashboard": "srmquiz.notebook",
    "demo_class": "srmquiz.notebook",
    "find_content_dir": "srmquiz.data.content",
    "generate": "srmquiz.core.bank",
    "history": "srmquiz.notebook",
    "live_view": "srmquiz.notebook",
    "load_matrix": "srmquiz.data.content",
    "matrix_picture": "srmquiz.notebook",
    "matrix_png": "srmquiz.draw.matrix",
    "matrix_table": "srmquiz.core.table",
    "new_session": "srmquiz.core.sessions",
    "quiz": "srmquiz.notebook",
    "review": "srmquiz.notebook",
    "spectrum_png": "srmquiz.draw.spectrum",
    "stack_png": "srmquiz.draw.stacks",
    "validate": "srmquiz.data.content",
    "walkthrough": "srmquiz.notebook",
}

__all__ = [
    "Answer",
    "Cell",
    "ContentError",
    "KINDS",
    "Layer",
    "Matrix",
    "Owner",
    "Question",
    "Service",
    "Session",
    "UnknownIdError",
    "__version__",
    "answer_key",
    "classroom",
    "comparison_png",
    "dashboard",
    "demo_class",
    "find_content_dir",
    "generate",
    "history",
    "live_view",
    "load_matrix",
    "matrix_picture",
    "matrix_png",
    "matrix_table",
    "new_session",
    "quiz",
    "review",
    "spectrum_png",
    "stack_png",
    "validate",
    "walkthrough",
]


def __getattr__(name: str) -> Any:
    """Import a public name on first use."""
    if name not in _WHERE:
        raise AttributeError(f"module 'srmquiz' has no attribute {name!r}")
    value = getattr(importlib.import_module(_WHERE[name]), name)
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    return __all__
