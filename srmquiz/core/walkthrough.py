"""The instructor walkthrough: the course's path as steps, and moving through them.

Steps come from two places. ``content/walkthrough.toml`` holds the narration (an
introduction, a lead-in per service, the rules, the comparison, the class quiz);
the steps that reveal a stack one layer at a time are built from the matrix, so a
change of owner in ``matrix.toml`` shows up here without editing anything else.

A "who owns this?" step pauses: the first Next reveals the answer, the second moves on.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from srmquiz.core.matrix import Matrix, Owner
from srmquiz.core.pictures import StackPicture
from srmquiz.core.wording import Wording

ASK_MODES = ("all", "changes")
"""services.ID.ask in walkthrough.toml: ask every layer, or only those that change hands."""


@dataclass(frozen=True, slots=True)
class Narration:
    """A narrated step from walkthrough.toml: the introduction, rules, comparison or class quiz."""

    title: str
    text: str
    source: str
    where: str
    figure: str = ""
    services: tuple[str, ...] = ()
    """Services drawn side by side with this step (the spectrum chapter's comparisons)."""


@dataclass(frozen=True, slots=True)
class ServicePart:
    """How the walkthrough presents one service: its lead-in and which layers it asks."""

    service: str
    lead: str
    ask: str
    source: str
    where: str


@dataclass(frozen=True, slots=True)
class Script:
    """content/walkthrough.toml, validated against the matrix."""

    intro: tuple[Narration, ...]
    services: tuple[ServicePart, ...]
    rules: Narration
    comparison: Narration
    class_quiz: Narration
    spectrum: tuple[Narration, ...] = ()
    """The chapter on the spectrum from IaaS to serverless, after the comparison."""


@dataclass(frozen=True, slots=True)
class Step:
    """One screen of the walkthrough: text, maybe a picture, maybe a question for the room."""

    section: str
    title: str
    text: str
    """Plain text (escaped when shown); paragraphs separated by blank lines."""
    figure: StackPicture | None = None
    ask: str = ""
    """A question for the room; when set, the step pauses until Next reveals `answer`."""
    answer: str = ""
    after: StackPicture | None = None
    """The figure once the answer is revealed."""
    items: tuple[str, ...] = ()
    """Bullet points (plain text)."""
    source: tuple[str, str] | None = None
    note: str = ""
    """A remark about the source (a cell's note), shown with it."""


def layers_always_owned_by(matrix: Matrix, owner: Owner, *, variants: bool = True) -> list[str]:
    """Layer ids every service has, with the same owner on every one (with ``variants`` off,
    on every service that is not a variant: EC2 on Outposts moves the site, not EC2)."""
    services = [s.id for s in matrix.services if variants or not s.base]
    return [
        la.id
        for la in matrix.layers
        if all(matrix.has(s, la.id) and matrix.cell(s, la.id).owner is owner for s in services)
    ]


def build_steps(matrix: Matrix, script: Script) -> list[Step]:
    """The whole walkthrough, in order: introduction, each service, rules, comparison, quiz."""
    steps = _intro_steps(matrix, script)
    previous: str | None = None
    for part in script.services:
        steps += _service_steps(matrix, part, previous)
        previous = part.service
    steps += _rule_steps(matrix, script.rules)
    c, q = script.comparison, script.class_quiz
    compared = tuple(p.service for p in script.services) or tuple(matrix.service_ids)
    steps.append(
        Step("Comparison", c.title, c.text, StackPicture(compared), source=(c.source, c.where))
    )
    for n in script.spectrum:
        if n.figure == "spectrum":
            figure: StackPicture | None = StackPicture(tuple(matrix.service_ids), spectrum=True)
        else:
            figure = StackPicture(n.services) if n.services else None
        steps.append(Step("The spectrum", n.title, n.text, figure, source=(n.source, n.where)))
    steps.append(Step("Class quiz", q.title, q.text, source=(q.source, q.where)))
    return steps


def _intro_steps(matrix: Matrix, script: Script) -> list[Step]:
    steps = []
    for n in script.intro:
        figure = None
        if n.figure == "foundations":  # the layers AWS holds on every service in a Region
            base = tuple(layers_always_owned_by(matrix, Owner.AWS, variants=False))
            first = script.services[0].service if script.services else matrix.service_ids[0]
            figure = StackPicture((first,), highlight=base, reveal=base)
        steps.append(Step("Introduction", n.title, n.text, figure, source=(n.source, n.where)))
    return steps


def _service_steps(matrix: Matrix, part: ServicePart, previous: str | None) -> list[Step]:
    """A service's lead-in, then a "who owns this?" step per layer it asks.

    With ``ask = "changes"`` only the layers whose owner differs from the previous
    service are asked; the others are shown as known from the start.
    """
    wording = Wording(matrix)
    svc = matrix.service(part.service)
    category = matrix.categories[svc.category]
    stated = [c.layer for c in matrix.stack(part.service)]
    asked = stated
    known: list[str] = []
    items: tuple[str, ...] = ()
    if part.ask == "changes" and previous is not None:
        before = matrix.service(previous)
        asked = [
            lid
            for lid in stated
            if not matrix.has(previous, lid)
            or matrix.cell(part.service, lid).owner != matrix.cell(previous, lid).owner
        ]
        known = [lid for lid in stated if lid not in asked]
        items = tuple(
            f"{matrix.layer(lid).name}: {wording.label(matrix.cell(part.service, lid).owner)}"
            f", as on {before.name}"
            for lid in known
        )
    steps = [
        Step(
            svc.name,
            f"{svc.name} ({category.short})",
            f"{part.lead}\n\n{category.name}: {category.description}",
            StackPicture((part.service,), reveal=tuple(known)),
            items=items,
            source=(part.source, part.where),
        )
    ]
    for lid in asked:
        layer, cell = matrix.layer(lid), matrix.cell(part.service, lid)
        shown = tuple(known)
        known.append(lid)
        steps.append(
            Step(
                svc.name,
                f"{svc.name}: {layer.name}",
                layer.description,
                StackPicture((part.service,), highlight=(lid,), reveal=shown),
                ask=f"On {svc.name}, who owns {layer.noun}: AWS, the customer, or both?",
                answer=wording.answer_text(cell),
                after=StackPicture((part.service,), highlight=(lid,), reveal=tuple(known)),
                source=(cell.source, cell.where),
                note=cell.note,
            )
        )
    return steps


def _rule_steps(matrix: Matrix, rules: Narration) -> list[Step]:
    """What holds on every service, then AWS's control categories (when content has them)."""
    aws_always = layers_always_owned_by(matrix, Owner.AWS)
    customer_always = layers_always_owned_by(matrix, Owner.CUSTOMER)
    items = (
        "AWS, on every service: " + ", ".join(matrix.layer(x).name for x in aws_always),
        "The customer, on every service: "
        + ", ".join(matrix.layer(x).name for x in customer_always),
    )
    lit = tuple(aws_always + customer_always)
    steps = [
        Step(
            "Rules",
            rules.title,
            rules.text,
            StackPicture(tuple(matrix.service_ids), highlight=lit),
            items=items,
            source=(rules.source, rules.where),
        )
    ]
    if matrix.controls:
        by_cat = {
            cat: [c.name for c in matrix.controls if c.category == cat]
            for cat in matrix.control_categories
        }
        steps.append(
            Step(
                "Rules",
                "Controls: inherited, shared, customer-specific",
                " ".join(c.description for c in matrix.control_categories.values()),
                items=tuple(
                    f"{matrix.control_categories[cat].name}: {', '.join(names)}"
                    for cat, names in by_cat.items()
                    if names
                ),
                source=(matrix.controls[0].source, "control categories"),
            )
        )
    return steps


@dataclass
class Tour:
    """Where a presenter is in the steps, and which questions' answers are revealed."""

    steps: tuple[Step, ...]
    position: int = 0
    revealed: set[int] = field(default_factory=set)

    def __post_init__(self) -> None:
        if not self.steps:
            raise ValueError("a walkthrough needs at least one step")

    @property
    def step(self) -> Step:
        """The step on screen."""
        return self.steps[self.position]

    @property
    def waiting(self) -> bool:
        """The step on screen asks the room and its answer is not shown yet."""
        return bool(self.step.ask) and self.position not in self.revealed

    @property
    def at_end(self) -> bool:
        """Nothing further: the last step, with its answer (if any) revealed."""
        return self.position == len(self.steps) - 1 and not self.waiting

    @property
    def picture(self) -> StackPicture | None:
        """The picture for the step on screen (the revealed one once the answer is out)."""
        step = self.step
        return step.after if step.after is not None and not self.waiting else step.figure

    @property
    def sections(self) -> list[str]:
        """Section names in order, each once."""
        return list(dict.fromkeys(s.section for s in self.steps))

    def next(self) -> None:
        """Reveal the answer of a waiting question; otherwise go to the next step."""
        if self.waiting:
            self.revealed.add(self.position)
        elif self.position + 1 < len(self.steps):
            self.position += 1

    def prev(self) -> None:
        """Go back one step (answers once revealed stay revealed)."""
        if self.position > 0:
            self.position -= 1

    def goto(self, index: int) -> None:
        """Go to step `index` (0-based), or raise IndexError naming the valid range."""
        if not 0 <= index < len(self.steps):
            raise IndexError(f"step {index + 1} does not exist (1 to {len(self.steps)})")
        self.position = index

    def goto_section(self, section: str) -> None:
        """Go to the first step of a section."""
        self.goto(next(i for i, s in enumerate(self.steps) if s.section == section))
