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
    spectrum: bool = False
    """The services as the spectrum from IaaS to serverless (one bar each), not as stacks."""

    @property
    def comparison(self) -> bool:
        """True when several stacks stand side by side."""
        return len(self.services) != 1 and not self.spectrum


def question_picture(matrix: Matrix, question: Question) -> StackPicture | None:
    """The picture a question's feedback shows, or None (build-the-stack draws the attempt).

    A question on one service shows that stack with the asked layer outlined. A question on
    one layer across services shows stacks side by side with that layer outlined: the
    services it offers as choices (a compare question), else every service that has the
    layer (its owner stated or not), in the matrix's order.
    """
    if question.kind == "build-the-stack":
        return None
    highlight = (question.layer,) if question.layer else ()
    if question.service:
        return StackPicture((question.service,), highlight)
    if question.layer:
        return StackPicture(compared_services(matrix, question), highlight)
    return None


def compared_services(matrix: Matrix, question: Question) -> tuple[str, ...]:
    """The services a cross-service question on one layer is about, in the matrix's order:
    those named among its choices when there are two or more, else all with that layer."""
    named = {name for name in question.choices}
    offered = [s.id for s in matrix.services if s.name in named]
    if len(offered) >= 2:
        return tuple(offered)
    layer = question.layer
    return tuple(
        s.id for s in matrix.services if any(la.id == layer for la in matrix.layers_of(s.id))
    )
