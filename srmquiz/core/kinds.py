"""The question kinds: one function per kind, registered in :data:`MAKERS`.

Each maker turns the matrix into the questions of its kind for one
:class:`BankContext` (the matrix, its wording, the seed and the chosen services).
Makers hold the question logic; the words come from :class:`~srmquiz.core.wording.Wording`
and ``content/templates.toml``. :data:`KINDS` is derived from :data:`MAKERS`, whose
order is the order the bank is built in and the order session codes number kinds by,
so a new kind goes at the end.
"""

from __future__ import annotations

import random
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field

from srmquiz.core.matrix import Cell, Matrix, Owner, Service, Templates
from srmquiz.core.questions import Question, StackPart
from srmquiz.core.wording import Wording, and_list, cap


@dataclass(frozen=True, slots=True)
class BankContext:
    """What every maker reads: the matrix, its wording, the seed and the chosen services."""

    matrix: Matrix
    wording: Wording
    seed: int
    services: tuple[Service, ...]
    """The chosen services, in the order they were asked for."""
    _aws_base: dict[str, str | None] = field(default_factory=dict, compare=False, repr=False)
    """Layer -> the first chosen service where AWS holds it, if AWS holds it on every
    service that is not a variant; None otherwise (worked out once per layer: asking per
    cell made a bank quadratic in the number of services)."""

    @classmethod
    def of(cls, matrix: Matrix, seed: int, service_ids: Iterable[str]) -> BankContext:
        """The context for these service ids (each must exist)."""
        services = tuple(matrix.service(s) for s in service_ids)
        return cls(matrix, Wording(matrix), seed, services)

    @property
    def templates(self) -> Templates:
        """The matrix's question wording."""
        return self.matrix.templates

    @property
    def covers_every_service(self) -> bool:
        """True when every service of the matrix is chosen: a quiz on the whole model, to
        which the questions that name no service (controls, ideas) belong."""
        return {s.id for s in self.services} == set(self.matrix.service_ids)

    def asks_cell(self, service: Service, layer: str) -> bool:
        """Whether owner and true-false questions ask about this cell.

        A variant's cell taken unchanged from its base is not asked when the base is chosen
        too. A layer AWS holds on every service of the matrix that is not a variant (the base of
        the stack: the data centers, the hypervisor) is asked about once, on the first chosen
        service where AWS holds it: the same question about each service would fill the bank
        with look-alikes all answered AWS (the ``always`` kind asks it too). A variant where
        the layer changes hands (EC2 on Outposts) is still asked.
        """
        cell = self.matrix.cell(service.id, layer)
        if cell.inherited_from and any(s.id == cell.inherited_from for s in self.services):
            return False  # a variant is asked about what it changes; the rest is its base's
        if layer not in self._aws_base:
            self._aws_base[layer] = self._first_where_always_aws(layer)
        first = self._aws_base[layer]
        if first is None or cell.owner is not Owner.AWS:
            return True
        return service.id == first

    def _first_where_always_aws(self, layer: str) -> str | None:
        cells = [
            c for c in self.matrix.layer_cells(layer) if not self.matrix.service(c.service).base
        ]
        if not cells or any(c.owner is not Owner.AWS for c in cells):
            return None
        return next(
            (
                s.id
                for s in self.services
                if self.matrix.has(s.id, layer) and self.matrix.cell(s.id, layer).owner is Owner.AWS
            ),
            None,
        )


Maker = Callable[[BankContext], list[Question]]
"""Makes every question of one kind."""


def _rng(seed: int, qid: str) -> random.Random:
    # A string seed is hashed with SHA-512 by random.seed: stable across runs and
    # independent of PYTHONHASHSEED, so each question's draws depend only on its id.
    return random.Random(f"{seed}/{qid}")


def _unique(pairs: Iterable[tuple[str, str]]) -> tuple[tuple[str, str], ...]:
    return tuple(dict.fromkeys(pairs))


def owner_questions(ctx: BankContext) -> list[Question]:
    """Who owns one cell, asked through a task ("Who patches ... on Amazon EC2?")."""
    words = ctx.wording
    out = []
    asked: dict[tuple[str, Owner], set[str]] = {}
    for service in ctx.services:
        for cell in ctx.matrix.stack(service.id):
            if not ctx.asks_cell(service, cell.layer):
                continue
            qid = f"owner:{service.id}:{cell.layer}"
            task = _fresh_task(ctx, qid, cell, asked.setdefault((cell.layer, cell.owner), set()))
            if task is None:
                continue  # every phrasing already asked with this answer: it would read the same
            out.append(
                Question(
                    id=qid,
                    kind="owner",
                    prompt=ctx.templates.prompts["owner"].format(task=task, service=service.name),
                    choices=words.owner_choices(),
                    answer=(words.label(cell.owner),),
                    explanation=words.cell_explanation(cell),
                    service=service.id,
                    layer=cell.layer,
                    why_wrong=words.owner_why_wrong(cell, service.name),
                    sources=((cell.source, cell.where),),
                    notes=(cell.note,) if cell.note else (),
                )
            )
    return out


def _fresh_task(ctx: BankContext, qid: str, cell: Cell, asked: set[str]) -> str | None:
    """A phrasing for an owner question, not one already used in this bank for the same
    layer and the same answer on another service (the same words twice teach nothing):
    None when every phrasing is used up (with a dozen services, the customer's data is
    the customer's on all of them, and one more look-alike question adds nothing)."""
    tasks = list(ctx.matrix.tasks(cell.service, cell.layer))
    _rng(ctx.seed, qid).shuffle(tasks)
    task = next((t for t in tasks if t not in asked), None)
    if task is None and not asked:
        task = tasks[0]
    if task is not None:
        asked.add(task)
    return task


def which_are_questions(ctx: BankContext) -> list[Question]:
    """Which of some layers of one service one owner holds (select all that apply)."""
    templates = ctx.templates
    words = ctx.wording
    out = []
    for service in ctx.services:
        cells = [c for c in ctx.matrix.stack(service.id) if c.owner is not Owner.SHARED]
        for owner in (Owner.CUSTOMER, Owner.AWS):
            right = [c for c in cells if c.owner is owner]
            wrong = [c for c in cells if c.owner is not owner]
            if not right or not wrong:
                continue
            qid = f"which-are:{service.id}:{owner.value}"
            rng = _rng(ctx.seed, qid)
            n_right = min(len(right), rng.randint(2, 4))
            picked = rng.sample(right, n_right) + rng.sample(wrong, min(len(wrong), 6 - n_right))
            picked.sort(key=lambda c: ctx.matrix.layer(c.layer).index)
            names = {c.layer: ctx.matrix.layer(c.layer).name for c in picked}
            answer = tuple(names[c.layer] for c in picked if c.owner is owner)
            why = {
                names[c.layer]: templates.why_wrong["layer_choice"].format(
                    layer=names[c.layer],
                    service=service.name,
                    label=words.label(c.owner),
                    explanation=c.explanation,
                )
                for c in picked
            }
            explanation = templates.explanations["which_are"].format(
                service=service.name,
                possessive=words.possessive(owner),
                layers=", ".join(answer),
            )
            out.append(
                Question(
                    id=qid,
                    kind="which-are",
                    prompt=templates.prompts["which_are"].format(
                        service=service.name, possessive=words.possessive(owner)
                    ),
                    choices=tuple(names[c.layer] for c in picked),
                    answer=answer,
                    explanation=explanation,
                    service=service.id,
                    layer=None,
                    why_wrong=why,
                    sources=_unique((c.source, c.where) for c in picked),
                )
            )
    return out


def compare_questions(ctx: BankContext) -> list[Question]:
    """On which of the chosen services one owner holds a layer (needs two services)."""
    templates = ctx.templates
    words = ctx.wording
    out: list[Question] = []
    if len(ctx.services) < 2:
        return out
    for layer in ctx.matrix.layers:
        having = [s for s in ctx.services if ctx.matrix.has(s.id, layer.id)]
        cells = {s.id: ctx.matrix.cell(s.id, layer.id) for s in having}
        for owner in Owner:
            # A service whose cell is shared is half right for "AWS's"/"the customer's":
            # it is left out of those questions, so each has one defensible answer.
            offered = [
                s for s in having if owner is Owner.SHARED or cells[s.id].owner is not Owner.SHARED
            ]
            holders = [s for s in offered if cells[s.id].owner is owner]
            if not holders or len(holders) == len(offered) or len(offered) < 2:
                continue
            qid = f"compare:{layer.id}:{owner.value}"
            rng = _rng(ctx.seed, qid)
            choices = [s.name for s in offered]
            rng.shuffle(choices)
            key = "compare_one" if len(holders) == 1 else "compare_many"
            why = {
                s.name: templates.why_wrong["service_choice"].format(
                    service=s.name,
                    **words.noun_fields(layer),
                    possessive=words.possessive(cells[s.id].owner),
                    explanation=cells[s.id].explanation,
                )
                for s in offered
                if len(holders) > 1 or s not in holders
            }
            out.append(
                Question(
                    id=qid,
                    kind="compare",
                    prompt=templates.prompts[key].format(
                        **words.noun_fields(layer), possessive=words.possessive(owner)
                    ),
                    choices=tuple(choices),
                    answer=tuple(s.name for s in holders),
                    explanation=templates.explanations["compare"].format(
                        **words.noun_fields(layer),
                        possessive=words.possessive(owner),
                        services=and_list(s.name for s in holders),
                    ),
                    service=None,
                    layer=layer.id,
                    why_wrong=why,
                    sources=_unique((c.source, c.where) for c in cells.values()),
                )
            )
    return out


def always_questions(ctx: BankContext) -> list[Question]:
    """Whether one owner holds a layer on every service, or it depends.

    The answer speaks for every service of the matrix, so these questions are made
    only when every service is chosen, and only on layers every service has. Where some
    services leave a layer unstated, it is asked only when the stated owners differ
    ("it depends" is then true whatever the unstated ones are).
    """
    if not ctx.covers_every_service:
        return []
    templates = ctx.templates
    words = ctx.wording
    out = []
    depends = templates.prompts["always_depends"]
    for layer in ctx.matrix.layers:
        if not all(layer in ctx.matrix.layers_of(s.id) for s in ctx.services):
            continue
        cells = ctx.matrix.layer_cells(layer.id)
        owners = {c.owner for c in cells}
        if not cells or (len(owners) == 1 and len(cells) < len(ctx.services)):
            continue
        choices = (*words.owner_choices(), depends)
        if len(owners) == 1:
            owner = owners.pop()
            answer = words.label(owner)
            explanation = templates.explanations["always_same"].format(
                **words.noun_fields(layer), possessive=words.possessive(owner)
            )
            why = words.owner_why_wrong(cells[0], "every service", own_reasons=False)
            why[depends] = templates.why_wrong["always_depends"].format(
                **words.noun_fields(layer), possessive=words.possessive(owner)
            )
        else:
            answer = depends
            split = "; ".join(
                f"{ctx.matrix.service(c.service).name}: {words.label(c.owner)}" for c in cells
            )
            explanation = templates.explanations["always_depends"].format(
                noun=layer.noun, split=split
            )
            text = templates.why_wrong["always_owner"].format(split=split)
            why = {label: text for label in words.owner_choices()}
        out.append(
            Question(
                id=f"always:{layer.id}",
                kind="always",
                prompt=templates.prompts["always"].format(**words.noun_fields(layer)),
                choices=choices,
                answer=(answer,),
                explanation=explanation,
                service=None,
                layer=layer.id,
                why_wrong=why,
                sources=_unique((c.source, c.where) for c in cells),
            )
        )
    return out


def category_questions(ctx: BankContext) -> list[Question]:
    """Which kind of service (IaaS, PaaS, abstracted) a service is."""
    templates = ctx.templates
    out = []
    cats = list(ctx.matrix.categories.values())
    for service in ctx.services:
        right = ctx.matrix.categories[service.category]
        # A category the service could defensibly be put in is never offered as wrong.
        offered = [c for c in cats if c.id not in service.also_fits]
        why = {
            c.name: templates.why_wrong["category_choice"].format(
                label=c.short,
                service=service.name,
                description=c.description,
                right=right.phrase,
                right_description=right.description,
            )
            for c in offered
            if c.id != right.id
        }
        out.append(
            Question(
                id=f"category:{service.id}",
                kind="category",
                prompt=templates.prompts["category"].format(service=service.name),
                choices=tuple(c.name for c in offered),
                answer=(right.name,),
                explanation=templates.explanations["category"].format(
                    service=service.name,
                    category=right.phrase,
                    description=f"{right.description} {service.description}",
                ),
                service=service.id,
                layer=None,
                why_wrong=why,
                sources=(("course-transcript", "how the course sorts services into types"),)
                if "course-transcript" in ctx.matrix.sources
                else (),
            )
        )
    return out


def true_false_questions(ctx: BankContext) -> list[Question]:
    """Whether a claim about who owns one cell is true."""
    templates = ctx.templates
    words = ctx.wording
    out = []
    yes, no = templates.prompts["true_label"], templates.prompts["false_label"]
    for service in ctx.services:
        for cell in ctx.matrix.stack(service.id):
            if not ctx.asks_cell(service, cell.layer):
                continue
            qid = f"true-false:{service.id}:{cell.layer}"
            # The claim depends on the id only, so the statement means the same for every seed.
            rng = _rng(0, qid)
            if cell.owner is Owner.SHARED:
                claim, truth, why = _half_claim(ctx, cell, service.name, rng)
            else:
                claim, truth, why = _owner_claim(ctx, cell, service.name, rng)
            out.append(
                Question(
                    id=qid,
                    kind="true-false",
                    prompt=templates.prompts["true_false"].format(claim=claim),
                    choices=(yes, no),
                    answer=(yes if truth else no,),
                    explanation=words.cell_explanation(cell),
                    service=service.id,
                    layer=cell.layer,
                    why_wrong={no if truth else yes: why},
                    sources=((cell.source, cell.where),),
                    notes=(cell.note,) if cell.note else (),
                )
            )
    return out


def _owner_claim(
    ctx: BankContext, cell: Cell, service_name: str, rng: random.Random
) -> tuple[str, bool, str]:
    """A claim that one owner holds a cell with one owner: (claim, true?, why it is not)."""
    templates, words = ctx.templates, ctx.wording
    others = [o for o in (Owner.AWS, Owner.CUSTOMER) if o is not cell.owner]
    claimed = cell.owner if rng.random() < 0.5 else rng.choice(others)
    nouns = words.noun_fields(ctx.matrix.layer(cell.layer))
    truth = claimed is cell.owner
    claim = templates.owners[claimed].claim.format(service=service_name, **nouns)
    why = templates.why_wrong["true_false_wrong"].format(
        truth=templates.prompts["true_label" if truth else "false_label"].lower(),
        service=service_name,
        **nouns,
        possessive=words.possessive(cell.owner),
    )
    return claim, truth, why


def _half_claim(
    ctx: BankContext, cell: Cell, service_name: str, rng: random.Random
) -> tuple[str, bool, str]:
    """A claim about one half of a shared cell, true or with the sides swapped.

    "On Amazon RDS, the customer chooses ..." is true or false as a whole; a claim that
    one side "is responsible" for a shared layer would be half true.
    """
    templates, words = ctx.templates, ctx.wording
    truth = rng.random() < 0.5
    half = rng.choice([Owner.AWS, Owner.CUSTOMER])
    other = Owner.CUSTOMER if half is Owner.AWS else Owner.AWS
    said = half if truth else other
    claim = templates.prompts["claim_part"].format(
        service=service_name, side=words.subject(said), did=words.half(cell, half)
    )
    why = templates.why_wrong["true_false_part_wrong"].format(
        truth=templates.prompts["true_label" if truth else "false_label"].lower(),
        service=service_name,
        side=words.subject(half),
        did=words.half(cell, half),
        other=words.subject(other),
        other_did=words.half(cell, other),
    )
    return cap(claim), truth, why


def build_the_stack_questions(ctx: BankContext) -> list[Question]:
    """The owner of every layer of one service, bottom to top."""
    templates = ctx.templates
    words = ctx.wording
    out = []
    for service in ctx.services:
        stack = ctx.matrix.stack(service.id)
        parts = tuple(
            StackPart(
                c.layer,
                ctx.matrix.layer(c.layer).name,
                words.label(c.owner),
                words.cell_explanation(c),
            )
            for c in stack
        )
        counts = {o: sum(c.owner is o for c in stack) for o in Owner}
        out.append(
            Question(
                id=f"build-the-stack:{service.id}",
                kind="build-the-stack",
                prompt=templates.prompts["build"].format(service=service.name),
                choices=words.owner_choices(),
                answer=tuple(p.answer for p in parts),
                explanation=templates.explanations["build"].format(
                    service=service.name,
                    aws=counts[Owner.AWS],
                    customer=counts[Owner.CUSTOMER],
                    shared=counts[Owner.SHARED],
                    total=len(stack),
                ),
                service=service.id,
                layer=None,
                sources=_unique((c.source, c.where) for c in stack),
                notes=tuple(dict.fromkeys(c.note for c in stack if c.note)),
                parts=parts,
            )
        )
    return out


def scenario_questions(ctx: BankContext) -> list[Question]:
    """An authored story about one cell of a chosen service; the answer is its owner."""
    words = ctx.wording
    out = []
    wanted = {s.id for s in ctx.services}
    for sc in ctx.matrix.scenarios:
        if sc.service not in wanted:
            continue
        cell = ctx.matrix.cell(sc.service, sc.layer)
        service = ctx.matrix.service(sc.service)
        explanation = words.cell_explanation(cell)
        if sc.lesson:
            explanation += " " + sc.lesson
        keyed = sc.part if sc.part is not None else cell.owner
        why = (
            _half_why_wrong(ctx, cell, sc.part, service.name)
            if sc.part is not None
            else words.owner_why_wrong(cell, service.name)
        )
        out.append(
            Question(
                id=f"scenario:{sc.id}",
                kind="scenario",
                prompt=ctx.templates.prompts["scenario"].format(story=sc.story, ask=sc.ask),
                choices=words.owner_choices(),
                answer=(words.label(keyed),),
                explanation=explanation,
                service=sc.service,
                layer=sc.layer,
                why_wrong=why,
                sources=((cell.source, cell.where),),
                notes=(cell.note,) if cell.note else (),
                title=sc.title,
            )
        )
    return out


def _half_why_wrong(ctx: BankContext, cell: Cell, part: Owner, service_name: str) -> dict[str, str]:
    """Why the other owners are wrong for a story about one half of a shared cell."""
    words = ctx.wording
    other = Owner.CUSTOMER if part is Owner.AWS else Owner.AWS
    fields = {
        "service": service_name,
        **words.noun_fields(ctx.matrix.layer(cell.layer)),
        "possessive": words.possessive(part),
        "side": words.subject(part),
        "did": words.half(cell, part),
        "other": words.subject(other),
        "other_did": words.half(cell, other),
    }
    why = ctx.templates.why_wrong
    return {
        words.label(o): cap(why[key].format(**fields))
        for o, key in ((other, "other_when_part"), (Owner.SHARED, "shared_when_part"))
    }


def control_questions(ctx: BankContext) -> list[Question]:
    """AWS's control categories: which kind a control is, and in a shared control who does
    which part (two sides, each in its own layers). Asked in quizzes on the whole model."""
    if not ctx.covers_every_service:
        return []
    templates, words, matrix = ctx.templates, ctx.wording, ctx.matrix
    cats = list(matrix.control_categories.values())
    out = []
    for control in matrix.controls:
        right = matrix.control_categories[control.category]
        fields = {"control": control.name.lower(), "control_cap": control.name}
        source = ((control.source, control.where),)
        why = {
            c.name: templates.why_wrong["control_category"].format(
                label=c.name, description=c.description, **fields
            )
            for c in cats
            if c.id != right.id
        }
        out.append(
            Question(
                id=f"control:{control.id}",
                kind="control",
                prompt=templates.prompts["control_category"].format(**fields),
                choices=tuple(c.name for c in cats),
                answer=(right.name,),
                explanation=templates.explanations["control_category"].format(
                    category=right.name, explanation=control.explanation, **fields
                ),
                service=None,
                layer=None,
                why_wrong=why,
                sources=source,
            )
        )
        if not control.aws_part or control.aws_part == control.customer_part:
            continue  # both sides doing the same thing ("trains its own staff") asks nothing
        parts = {Owner.AWS: control.aws_part, Owner.CUSTOMER: control.customer_part}
        for side, other in ((Owner.AWS, Owner.CUSTOMER), (Owner.CUSTOMER, Owner.AWS)):
            halves = {
                "side": words.subject(side),
                "did": parts[side],
                "other": words.subject(other),
                "other_did": parts[other],
            }
            out.append(
                Question(
                    id=f"control:{control.id}:{side.value}",
                    kind="control",
                    prompt=templates.prompts["control_part"].format(did=parts[side], **fields),
                    choices=words.owner_choices(),
                    answer=(words.label(side),),
                    explanation=templates.explanations["control_part"].format(
                        aws_part=control.aws_part, customer_part=control.customer_part, **fields
                    ),
                    service=None,
                    layer=None,
                    why_wrong={
                        words.label(other): cap(
                            templates.why_wrong["control_part_other"].format(**halves, **fields)
                        ),
                        words.label(Owner.SHARED): cap(
                            templates.why_wrong["control_part_shared"].format(**halves, **fields)
                        ),
                    },
                    sources=source,
                )
            )
    return out


def of_in_questions(ctx: BankContext) -> list[Question]:
    """Whether a layer is "security of the cloud" (AWS's half) or "in the cloud" (the
    customer's), once per layer: on the first chosen service where one side holds it whole."""
    templates, words, matrix = ctx.templates, ctx.wording, ctx.matrix
    halves = {
        Owner.AWS: templates.prompts["of_cloud"],
        Owner.CUSTOMER: templates.prompts["in_cloud"],
    }
    out = []
    for layer in matrix.layers:
        cell = next(
            (
                matrix.cell(s.id, layer.id)
                for s in ctx.services
                if matrix.has(s.id, layer.id)
                and matrix.cell(s.id, layer.id).owner is not Owner.SHARED
            ),
            None,
        )
        if cell is None:
            continue
        service = matrix.service(cell.service)
        fields = {
            "service": service.name,
            **words.noun_fields(layer),
            "possessive": words.possessive(cell.owner),
        }
        right = halves[cell.owner]
        wrong = next(h for o, h in halves.items() if o is not cell.owner)
        out.append(
            Question(
                id=f"of-in:{service.id}:{layer.id}",
                kind="of-in",
                prompt=templates.prompts["of_in"].format(**fields),
                choices=(halves[Owner.AWS], halves[Owner.CUSTOMER]),
                answer=(right,),
                explanation=templates.explanations["of_in"].format(
                    explanation=cell.explanation, **fields
                ),
                service=service.id,
                layer=layer.id,
                why_wrong={wrong: templates.why_wrong["of_in"].format(right=right, **fields)},
                sources=((cell.source, cell.where),),
                notes=(cell.note,) if cell.note else (),
            )
        )
    return out


def idea_questions(ctx: BankContext) -> list[Question]:
    """Authored questions about the model's ideas (content/ideas.toml), in quizzes on the
    whole model; their choices are shuffled by id, the same for every seed."""
    if not ctx.covers_every_service:
        return []
    out = []
    for idea in ctx.matrix.ideas:
        qid = f"idea:{idea.id}"
        choices = [idea.answer, *(text for text, _ in idea.wrong)]
        _rng(0, qid).shuffle(choices)
        out.append(
            Question(
                id=qid,
                kind="idea",
                prompt=idea.prompt,
                choices=tuple(choices),
                answer=(idea.answer,),
                explanation=idea.explanation,
                service=None,
                layer=None,
                why_wrong=dict(idea.wrong),
                sources=((idea.source, idea.where),),
                title=idea.title,
            )
        )
    return out


MAKERS: dict[str, Maker] = {
    "owner": owner_questions,
    "which-are": which_are_questions,
    "compare": compare_questions,
    "always": always_questions,
    "category": category_questions,
    "true-false": true_false_questions,
    "build-the-stack": build_the_stack_questions,
    "scenario": scenario_questions,
    "control": control_questions,
    "of-in": of_in_questions,
    "idea": idea_questions,
}
"""Every question kind and its maker, in the order the bank is built.

Session codes number kinds by their position here: never reorder, only append.
"""

KINDS: tuple[str, ...] = tuple(MAKERS)
"""Every question kind, in the order the bank is built."""
