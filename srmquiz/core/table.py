"""Plain-text renderings of the matrix for terminals, handouts and notebooks."""

from __future__ import annotations

import textwrap

from srmquiz.core.matrix import Matrix, Service
from srmquiz.core.wording import Wording

PER_BLOCK = 5
"""Services per block of the table: a dozen services side by side would not fit a terminal."""
NAME_WRAP = 16
"""A column's service name wraps at this many characters."""
ABSENT = "-"
"""A layer the service does not have (the split parts of "Platform & applications")."""
UNSTATED = "not stated"
"""A layer whose owner no source states: shown, never asked."""


def matrix_table(matrix: Matrix) -> str:
    """The matrix as fixed-width tables of at most PER_BLOCK services, data on top like
    AWS's diagram; a layer a service lacks shows "-", an unstated one "not stated"."""
    services = list(matrix.services)
    blocks = [services[i : i + PER_BLOCK] for i in range(0, len(services), PER_BLOCK)]
    return "\n\n".join(_block(matrix, block) for block in blocks)


def _block(matrix: Matrix, services: list[Service]) -> str:
    wording = Wording(matrix)
    width = max(len(la.name) for la in matrix.layers)
    names = [textwrap.wrap(s.name, NAME_WRAP) or [""] for s in services]
    cols = [max(len(UNSTATED), *(len(line) for line in n)) for n in names]

    def row(first: str, cells: list[str]) -> str:
        padded = "  ".join(c.ljust(w) for c, w in zip(cells, cols, strict=True))
        return (first.ljust(width) + "  " + padded).rstrip()

    depth = max(len(n) for n in names)
    head = [
        row("Layer (top = data)" if i == 0 else "", [n[i] if i < len(n) else "" for n in names])
        for i in range(depth)
    ]
    lines = [*head, row("", [matrix.categories[s.category].short for s in services])]
    lines.append("-" * max(len(line) for line in lines))
    for layer in reversed(matrix.layers):
        owners = [
            wording.label(matrix.cell(s.id, layer.id).owner)
            if matrix.has(s.id, layer.id)
            else (UNSTATED if matrix.unstated_reason(s.id, layer.id) else ABSENT)
            for s in services
        ]
        lines.append(row(layer.name, owners))
    return "\n".join(lines)
