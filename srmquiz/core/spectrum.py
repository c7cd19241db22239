"""The spectrum from IaaS to serverless: how much of each service the customer holds.

Pure: computed from the matrix's cells, drawn by :func:`srmquiz.draw.spectrum.draw_spectrum`.

A service's **customer share** is ``(customer + 0.5 * shared) / stated``: its layers the
customer owns, plus half of each shared layer, over the layers whose owner a source states
(its cells). Unstated layers (no source says who owns them) are left out of both counts, so
a gap in the sources never moves a service along the spectrum; they are counted apart and
shown beside the bar. Services are ordered from the largest customer share to the smallest
(IaaS first, serverless last); equal shares keep the matrix's order.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from srmquiz.core.matrix import Matrix, Owner


@dataclass(frozen=True, slots=True)
class Share:
    """How one service's stated layers divide between AWS, both, and the customer."""

    service: str
    """Service id."""
    aws: int
    """Layers AWS owns."""
    shared: int
    """Layers AWS and the customer share."""
    customer: int
    """Layers the customer owns."""
    unstated: int = 0
    """Layers the service has whose owner no source states (not in the fractions)."""

    @property
    def stated(self) -> int:
        """Layers with an owner: the denominator of every fraction."""
        return self.aws + self.shared + self.customer

    @property
    def customer_share(self) -> float:
        """``(customer + 0.5 * shared) / stated``, 0..1 (0 when nothing is stated)."""
        return (self.customer + 0.5 * self.shared) / self.stated if self.stated else 0.0

    def count(self, owner: Owner) -> int:
        """Layers this owner holds alone (or that are shared, for SHARED)."""
        return {Owner.AWS: self.aws, Owner.SHARED: self.shared, Owner.CUSTOMER: self.customer}[
            owner
        ]

    def fraction(self, owner: Owner) -> float:
        """The share of stated layers this owner holds alone (or shares, for SHARED), 0..1."""
        return self.count(owner) / self.stated if self.stated else 0.0


def share(matrix: Matrix, service_id: str) -> Share:
    """Count one service's cells by owner (unknown ids raise UnknownIdError)."""
    cells = matrix.stack(service_id)
    return Share(
        service_id,
        aws=sum(c.owner is Owner.AWS for c in cells),
        shared=sum(c.owner is Owner.SHARED for c in cells),
        customer=sum(c.owner is Owner.CUSTOMER for c in cells),
        unstated=len(matrix.service(service_id).unstated),
    )


def spectrum(matrix: Matrix, services: Iterable[str] | None = None) -> list[Share]:
    """The chosen services (all by default, each once), largest customer share first."""
    ids = list(dict.fromkeys(services)) if services is not None else matrix.service_ids
    shares = [share(matrix, sid) for sid in ids]
    order = {sid: i for i, sid in enumerate(matrix.service_ids)}
    return sorted(shares, key=lambda s: (-s.customer_share, order[s.service]))
