"""Plain-text renderings of the matrix for terminals, handouts and notebooks."""

from __future__ import annotations

from srmquiz.core.matrix import Matrix
from srmquiz.core.wording import Wording


def matrix_table(matrix: Matrix) -> str:
    """The matrix as a fixed-width table, data on top like AWS's diagram."""
    wording = Wording(matrix)
    width = max(len(la.name) for la in matrix.layers)
    cols = [max(len(s.name), 10) for s in matrix.services]

    def row(first: str, cells: list[str]) -> str:
        padded = "  ".join(c.ljust(w) for c, w in zip(cells, cols, strict=True))
        return (first.ljust(width) + "  " + padded).rstrip()

    header = row("Layer (top = data)", [s.name for s in matrix.services])
    lines = [
        header,
        row("", [matrix.categories[s.category].short for s in matrix.services]),
        "-" * len(header),
    ]
    for layer in reversed(matrix.layers):
        owners = [wording.label(matrix.cell(s.id, layer.id).owner) for s in matrix.services]
        lines.append(row(layer.name, owners))
    return "\n".join(lines)
