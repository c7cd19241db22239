"""What a picture shows, decided once: one service's stack or stacks side by side.

Quiz feedback, the walkthrough and the command line describe a picture with a
:class:`StackPicture`; :func:`srmquiz.draw.stacks.picture_png` draws it.
"""

from __future__ import annotations

from dataclasses import dataclass

from srmquiz.core.matrix import Matrix
from srmquiz.core.questions import Question


@dataclass(frozen=True, slots=True)
class StackPicture:
    """One stack (maybe partly revealed, some layers outlined) or stacks side by side."""

    services: tuple[str, ...]
    """One service id for a stack; several for a side-by-side comparison."""
    highlight: tuple[str, ...] = ()
    """Layer ids to outline."""
    reveal: tuple[str, ...] | None = None
    """One stack only: show the owners of these layers, the rest as "?" (None shows all)."""

    @property
    def comparison(self) -> bool:
        """True when several stacks stand side by side."""
        return len(self.services) != 1


def question_picture(matrix: Matrix, question: Question) -> StackPicture | None:
    """The picture a question's feedback shows, or None (build-the-stack draws the attempt).

    A question on one service shows that stack with the asked layer outlined; a question
    on one layer across services shows every stack side by side with that layer outlined.
    """
    if question.kind == "build-the-stack":
        return None
    highlight = (question.layer,) if question.layer else ()
    if question.service:
        return StackPicture((question.service,), highlight)
    if question.layer:
        return StackPicture(tuple(matrix.service_ids), highlight)
    return None
