"""srmquiz: learn the AWS shared responsibility model in Jupyter.

The public API is re-exported here; everything else is private. Importing this
package is cheap: ipywidgets and matplotlib load only when a quiz or a drawing
is made.
"""

from __future__ import annotations

__version__ = "0.1.0"

from srmquiz.content import ContentError, find_content_dir, load_matrix, validate
from srmquiz.matrix import Cell, Layer, Matrix, Owner, Service, UnknownIdError
from srmquiz.questions import KINDS, Question, generate

__all__ = [
    "KINDS",
    "Cell",
    "ContentError",
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
    "validate",
]
