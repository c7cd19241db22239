"""How owners and cells are put into words, in one place.

Every label ("AWS", "Customer", "Shared"), possessive ("the customer's") and the
sentence that says what each side of a shared cell does comes from
``content/templates.toml`` through a :class:`Wording`; questions, the walkthrough,
drawings and the matrix table all ask it rather than the templates directly.
"""

from __future__ import annotations

from collections.abc import Iterable

from srmquiz.core.matrix import Cell, Layer, Matrix, Owner


class Wording:
    """Owner labels and cell explanations for one matrix."""

    def __init__(self, matrix: Matrix) -> None:
        self.matrix = matrix
        self.templates = matrix.templates

    def label(self, owner: Owner) -> str:
        """The owner as a choice: "AWS", "Customer", "Shared"."""
        return self.templates.owners[owner].label

    def possessive(self, owner: Owner) -> str:
        """The owner inside a sentence: "AWS's", "the customer's", "shared"."""
        return self.templates.owners[owner].possessive

    def noun_fields(self, layer: Layer) -> dict[str, str]:
        """A layer's noun phrase for templates, with the verb that agrees with it.

        ``{noun}`` ("the physical servers and ..."), ``{noun_cap}`` (capitalised) and
        ``{is}`` ("is", or "are" for a plural noun): "{noun} {is} AWS's" reads right either way.
        """
        return {
            "noun": layer.noun,
            "noun_cap": cap(layer.noun),
            "is": "are" if layer.plural else "is",
        }

    def subject(self, owner: Owner) -> str:
        """The owner as the subject of a sentence: "AWS", "the customer"."""
        return self.templates.owners[owner].subject

    def half(self, cell: Cell, owner: Owner) -> str:
        """What `owner` does in a shared cell (its aws_part or customer_part)."""
        return cell.aws_part if owner is Owner.AWS else cell.customer_part

    def owner_choices(self) -> tuple[str, ...]:
        """Every owner label, in the order of :class:`Owner`."""
        return tuple(self.label(o) for o in Owner)

    def owner_why_wrong(
        self, cell: Cell, service_name: str, *, own_reasons: bool = True
    ) -> dict[str, str]:
        """Why each owner label other than the cell's is wrong, keyed by that label.

        ``service_name`` is the service as the sentence names it ("Amazon EC2", or
        "every service" for a question across services). The cell's own reason (its
        ``why_wrong`` table in matrix.toml) replaces the general template where it has one,
        unless ``own_reasons`` is False (a question about every service).
        """
        nouns = self.noun_fields(self.matrix.layer(cell.layer))
        out: dict[str, str] = {}
        for chosen in Owner:
            if chosen is cell.owner:
                continue
            own = cell.why_not_text(chosen) if own_reasons else None
            if own is not None:
                out[self.label(chosen)] = own
                continue
            text = self.templates.why_wrong[f"{chosen.value}_when_{cell.owner.value}"]
            out[self.label(chosen)] = text.format(
                service=service_name,
                **nouns,
                aws_part=cell.aws_part,
                customer_part=cell.customer_part,
            )
        return out

    def shared_parts(self, cell: Cell) -> str:
        """What each side does in a shared cell ("" for a cell with one owner)."""
        if cell.owner is not Owner.SHARED:
            return ""
        return self.templates.explanations["shared_parts"].format(
            aws_part=cell.aws_part, customer_part=cell.customer_part
        )

    def cell_explanation(self, cell: Cell) -> str:
        """The cell's explanation, with each side's part for a shared cell."""
        parts = self.shared_parts(cell)
        return f"{cell.explanation} {parts}" if parts else cell.explanation

    def answer_text(self, cell: Cell) -> str:
        """'Customer. <why>' for one cell, as the walkthrough reveals it."""
        return f"{self.label(cell.owner)}. {self.cell_explanation(cell)}"


def cap(text: str) -> str:
    """The text with its first letter in upper case."""
    return text[:1].upper() + text[1:]


def and_list(names: Iterable[str]) -> str:
    """ "A", "A and B", "A, B and C"."""
    items = list(names)
    return items[0] if len(items) == 1 else ", ".join(items[:-1]) + " and " + items[-1]


def count(n: int, noun: str, plural: str = "") -> str:
    """A number with its noun in the form that agrees: "1 layer", "0 layers", "2 layers".

    ``plural`` is the plural form where adding "s" is wrong ("2 classes" needs nothing,
    "1 person"/"2 people" does).
    """
    return f"{n} {noun if n == 1 else (plural or noun + 's')}"
