"""The responsibility matrix: who owns each layer of each service.

Pure data model. Reading and validating the TOML files lives in
:mod:`srmquiz.data.content`; everything else (questions, quizzes, drawings) reads a
:class:`Matrix` and never the files.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from enum import StrEnum


class Owner(StrEnum):
    """Who is responsible for a cell."""

    AWS = "aws"
    CUSTOMER = "customer"
    SHARED = "shared"


class UnknownIdError(KeyError):
    """An id (service, layer, kind, ...) that the matrix does not know."""

    def __init__(self, what: str, given: str, valid: list[str]) -> None:
        self.what = what
        self.given = given
        self.valid = valid
        super().__init__(given)

    def __str__(self) -> str:
        return f"unknown {self.what} {self.given!r}; valid: {', '.join(self.valid)}"


@dataclass(frozen=True, slots=True)
class Layer:
    """One layer of the stack, ordered bottom (AWS side) to top (data)."""

    id: str
    """kebab-case id, e.g. "guest-os"; a contract with other tools."""
    name: str
    """Title-case label, e.g. "Guest operating system"."""
    noun: str
    """The layer as a noun phrase inside a sentence, e.g. "the guest operating system"."""
    description: str
    """One sentence saying what the layer covers."""
    index: int
    """Position from the bottom, 0-based."""
    plural: bool = False
    """The noun phrase is plural ("the physical servers and ..."): sentences say "are"."""
    extra: bool = False
    """Not one of the course's twelve and not every service has it (the orchestration
    control plane): a service has it only where it gives the layer a cell."""
    splits: str = ""
    """The layer this one splits, e.g. "platform-applications": a service has either that
    layer or every layer that splits it, never both."""


@dataclass(frozen=True, slots=True)
class Category:
    """A service category: iaas, paas or abstracted."""

    id: str
    name: str
    """Full name, e.g. "Platform as a service (PaaS)"."""
    short: str
    """Short label, e.g. "PaaS"."""
    description: str
    phrase: str = ""
    """The category inside a sentence, with its article: "an abstracted service"."""


@dataclass(frozen=True, slots=True)
class Service:
    """An AWS service with one cell per layer."""

    id: str
    """kebab-case id, e.g. "ec2"."""
    name: str
    """Display name, e.g. "Amazon EC2"."""
    category: str
    """Category id."""
    description: str
    base: str = ""
    """For a variant (Lambda with container images, RDS Custom): the service it varies.
    A variant inherits every cell of its base that it does not give itself."""
    also_fits: tuple[str, ...] = ()
    """Categories a learner could defensibly pick besides `category` (Fargate is a container
    service and serverless): never offered as a wrong choice."""
    unstated: tuple[tuple[str, str], ...] = ()
    """(layer id, why) for layers whose owner no source states: shown, never asked."""


@dataclass(frozen=True, slots=True)
class Source:
    """A source that cells cite."""

    id: str
    title: str
    kind: str
    """"course" (the course transcript) or "aws-doc"."""
    url: str
    note: str


@dataclass(frozen=True, slots=True)
class Cell:
    """Who owns one layer of one service."""

    service: str
    """service id from content/matrix.toml, e.g. "ec2"."""
    layer: str
    """layer id, e.g. "guest-os"; progress records refer to it."""
    owner: Owner
    explanation: str
    """Why, in the project's own words."""
    source: str
    """Source id from content/sources.toml."""
    where: str
    """Where in the source the claim is made."""
    aws_part: str = ""
    """For shared cells: what AWS does (a verb phrase)."""
    customer_part: str = ""
    """For shared cells: what the customer does (a verb phrase)."""
    why_not: tuple[tuple[Owner, str], ...] = ()
    """Why a wrong owner is wrong for this cell, where the general template would not be
    true here (plain text per owner, from the cell's ``why_wrong`` table)."""
    note: str = ""
    """A remark about the sources (plain text): how the course simplifies, or where AWS
    documentation adds detail. Shown on the source line, not in the explanation."""
    inherited_from: str = ""
    """For a variant's cell taken unchanged from its base service: the base's id."""

    def why_not_text(self, chosen: Owner) -> str | None:
        """This cell's own reason why `chosen` is the wrong owner, if it has one."""
        return next((text for owner, text in self.why_not if owner is chosen), None)


@dataclass(frozen=True, slots=True)
class ControlCategory:
    """AWS's control categories: inherited, shared, customer-specific."""

    id: str
    name: str
    description: str


@dataclass(frozen=True, slots=True)
class Control:
    """An IT control and the category it belongs to."""

    id: str
    name: str
    category: str
    explanation: str
    source: str
    where: str
    aws_part: str = ""
    """For a shared control: what AWS does in its layers (a verb phrase)."""
    customer_part: str = ""
    """For a shared control: what the customer does in its own (a verb phrase)."""


@dataclass(frozen=True, slots=True)
class Idea:
    """An authored question about an idea of the model rather than one cell (where an
    auditor gets AWS's reports, what "security of the cloud" covers): content/ideas.toml."""

    id: str
    title: str
    prompt: str
    answer: str
    """The right choice's text."""
    wrong: tuple[tuple[str, str], ...]
    """(choice text, why it is wrong) for each wrong choice."""
    explanation: str
    source: str
    where: str


@dataclass(frozen=True, slots=True)
class Scenario:
    """An authored story that tests one cell; its answer is that cell's owner.

    On a shared cell a story is about one half failing: ``part`` names that half, and the
    answer is its owner (the exam's answer to "who should have ...?").
    """

    id: str
    title: str
    service: str
    layer: str
    story: str
    ask: str
    lesson: str = ""
    part: Owner | None = None
    """On a shared cell: whose half the story is about (aws or customer)."""


@dataclass(frozen=True, slots=True)
class OwnerWords:
    """How an owner is named in questions."""

    label: str
    """Choice text: "AWS", "Customer", "Shared"."""
    possessive: str
    """ "AWS's", "the customer's", "shared"."""
    claim: str
    """Template of a statement that the owner holds a cell."""
    subject: str
    """The owner as the subject of a sentence: "AWS", "the customer"."""


@dataclass(frozen=True, slots=True)
class Templates:
    """The wording that turns cells into questions (content/templates.toml)."""

    owners: Mapping[Owner, OwnerWords]
    prompts: Mapping[str, str]
    why_wrong: Mapping[str, str]
    explanations: Mapping[str, str]


@dataclass(frozen=True, slots=True)
class Matrix:
    """Everything in content/, validated and cross-referenced."""

    layers: tuple[Layer, ...]
    """Bottom to top."""
    categories: Mapping[str, Category]
    services: tuple[Service, ...]
    cells: Mapping[tuple[str, str], Cell]
    sources: Mapping[str, Source]
    control_categories: Mapping[str, ControlCategory]
    controls: tuple[Control, ...]
    scenarios: tuple[Scenario, ...]
    phrasings: Mapping[str, tuple[str, ...]]
    """layer id -> task phrasings that fit every service."""
    service_phrasings: Mapping[tuple[str, str], tuple[str, ...]]
    """(service id, layer id) -> extra phrasings for that service only."""
    templates: Templates
    phrasings_instead: Mapping[tuple[str, str], tuple[str, ...]] = field(default_factory=dict)
    """(service id, layer id) -> phrasings replacing the generic ones (not true there)."""
    ideas: tuple[Idea, ...] = ()
    """Authored questions about the model's ideas (content/ideas.toml)."""
    checksum: str = ""
    """sha256 of the content files this matrix was read from."""
    _services: dict[str, Service] = field(
        default_factory=dict, init=False, repr=False, compare=False
    )
    _layers: dict[str, Layer] = field(default_factory=dict, init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        self._services.update({s.id: s for s in self.services})
        self._layers.update({la.id: la for la in self.layers})

    @property
    def service_ids(self) -> list[str]:
        """Service ids in content order."""
        return [s.id for s in self.services]

    @property
    def layer_ids(self) -> list[str]:
        """Layer ids, bottom to top."""
        return [la.id for la in self.layers]

    def service(self, service_id: str) -> Service:
        """Return the service with this id or raise UnknownIdError listing the valid ones."""
        try:
            return self._services[service_id]
        except KeyError:
            raise UnknownIdError("service", service_id, self.service_ids) from None

    def select(
        self, services: Iterable[str] | None = None, categories: Iterable[str] | None = None
    ) -> list[str] | None:
        """The services a quiz asks about: those named, with their variants (AWS Lambda
        brings Lambda with container images), and those of the categories named (content
        order, each once), or None (every service) when neither is given. Unknown ids raise
        UnknownIdError listing the valid ones."""
        if services is None and categories is None:
            return None
        wanted = set()
        for sid in services or ():
            wanted.add(self.service(sid).id)
            wanted.update(s.id for s in self.services if s.base == sid)
        for cid in categories or ():
            if cid not in self.categories:
                raise UnknownIdError("category", cid, list(self.categories))
            wanted.update(s.id for s in self.services if s.category == cid)
        chosen = [s for s in self.service_ids if s in wanted]
        if not chosen:
            raise ValueError("no service is in the categories chosen")
        return chosen

    def layer(self, layer_id: str) -> Layer:
        """Return the layer with this id or raise UnknownIdError listing the valid ones."""
        try:
            return self._layers[layer_id]
        except KeyError:
            raise UnknownIdError("layer", layer_id, self.layer_ids) from None

    def has(self, service_id: str, layer_id: str) -> bool:
        """Whether the service has an owner for this layer (a cell that questions may ask)."""
        return (service_id, layer_id) in self.cells

    def cell(self, service_id: str, layer_id: str) -> Cell:
        """Return the cell of a service and layer, or raise UnknownIdError naming the layers
        that service has (a layer it lacks or whose owner no source states has no cell)."""
        self.service(service_id)
        self.layer(layer_id)
        try:
            return self.cells[(service_id, layer_id)]
        except KeyError:
            valid = [c.layer for c in self.stack(service_id)]
            raise UnknownIdError(f"layer of {service_id}", layer_id, valid) from None

    def layer_cells(self, layer_id: str) -> list[Cell]:
        """The cells of one layer, in service order (services without it are left out)."""
        self.layer(layer_id)
        return [self.cells[(s.id, layer_id)] for s in self.services if self.has(s.id, layer_id)]

    def stack(self, service_id: str) -> list[Cell]:
        """The cells of one service, bottom to top (only layers with a stated owner)."""
        self.service(service_id)
        return [
            self.cells[(service_id, la.id)] for la in self.layers if self.has(service_id, la.id)
        ]

    def layers_of(self, service_id: str) -> list[Layer]:
        """The layers a service has, bottom to top: its cells and its unstated layers."""
        unstated = dict(self.service(service_id).unstated)
        return [la for la in self.layers if self.has(service_id, la.id) or la.id in unstated]

    def unstated_reason(self, service_id: str, layer_id: str) -> str:
        """Why no owner is given for this layer of this service ("" if none is missing)."""
        return dict(self.service(service_id).unstated).get(layer_id, "")

    def tasks(self, service_id: str, layer_id: str) -> tuple[str, ...]:
        """Task phrasings for a layer on a service (generic ones first)."""
        key = (service_id, layer_id)
        if key in self.phrasings_instead:
            return self.phrasings_instead[key]
        return self.phrasings[layer_id] + self.service_phrasings.get(key, ())

    def to_dict(self) -> dict[str, object]:
        """The `srmquiz matrix --json` shape (README, "Command line"), layers bottom to top."""
        return matrix_json(self)


def matrix_json(matrix: Matrix) -> dict[str, object]:
    """The `srmquiz matrix --json` shape (README, "Command line"), layers bottom to top."""
    return {
        "services": [
            {"id": s.id, "name": s.name, "category": s.category}
            | ({"base": s.base} if s.base else {})
            for s in matrix.services
        ],
        "layers": [{"id": la.id, "name": la.name} for la in matrix.layers],
        "cells": [
            {
                "service": c.service,
                "layer": c.layer,
                "owner": str(c.owner),
                "explanation": c.explanation,
                "source": c.source,
            }
            for s in matrix.services
            for c in matrix.stack(s.id)
        ],
        "controls": [{"id": c.id, "name": c.name, "category": c.category} for c in matrix.controls],
        "sources": [
            {"id": s.id, "title": s.title, "kind": s.kind, "url": s.url}
            for s in matrix.sources.values()
        ],
        "unstated": [
            {"service": s.id, "layer": lid, "reason": why}
            for s in matrix.services
            for lid, why in s.unstated
        ],
    }
