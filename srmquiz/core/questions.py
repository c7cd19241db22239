"""Generate the question bank from the matrix.

Pure and deterministic: the same matrix and seed give the same questions, in the
same order, with the same choices. No answer is written anywhere but the matrix.
Question ids name what is asked (``owner:ec2:guest-os``) and do not depend on
the seed, so progress records can refer to them across runs and versions.
"""

from __future__ import annotations

import random
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field

from srmquiz.core.matrix import Cell, Matrix, Owner, UnknownIdError
from srmquiz.core.wording import Wording, and_list, cap

KINDS = (
    "owner",
    "which-are",
    "compare",
    "always",
    "category",
    "true-false",
    "build-the-stack",
    "scenario",
)
"""Every question kind, in the order the bank is built."""


@dataclass(frozen=True, slots=True)
class StackPart:
    """One layer of a build-the-stack question."""

    layer: str
    """Layer id."""
    name: str
    """Layer name shown to the learner."""
    answer: str
    """The right owner label ("AWS", "Customer", "Shared")."""
    explanation: str


@dataclass(frozen=True, slots=True)
class Question:
    """One question of the bank."""

    id: str
    """Stable id, e.g. "owner:ec2:guest-os"; does not depend on the seed."""
    kind: str
    """One of KINDS."""
    prompt: str
    choices: tuple[str, ...]
    """Choice texts in display order (for build-the-stack: the owner labels)."""
    answer: tuple[str, ...]
    """The correct choice texts (for build-the-stack: one owner label per layer, bottom to top)."""
    explanation: str
    """Why the right answer is right."""
    service: str | None
    """Service id, or None for questions that span services."""
    layer: str | None
    """Layer id, or None for questions that span layers."""
    why_wrong: Mapping[str, str] = field(default_factory=dict)
    """For each choice that is not (or, when multi, is wrongly left out of) the answer: why."""
    sources: tuple[tuple[str, str], ...] = ()
    """(source id, where in it) pairs backing the answer."""
    parts: tuple[StackPart, ...] = ()
    """build-the-stack only: one part per layer, bottom to top."""
    title: str = ""
    """Scenario title, when there is one."""

    @property
    def multi(self) -> bool:
        """True when the learner may select several choices."""
        return self.kind in ("which-are", "compare") and (
            len(self.answer) != 1 or self.prompt.endswith("Select all that apply.")
        )

    def grade(self, given: str | Iterable[str] | None) -> bool:
        """True when the given answer is right (a choice, a set of choices, or per-layer owners)."""
        if given is None:
            return False
        if self.kind == "build-the-stack":
            return tuple(given) == self.answer
        if isinstance(given, str):
            given = (given,)
        return set(given) == set(self.answer)

    def to_dict(self) -> dict[str, object]:
        """The JSON shape of `srmquiz questions --json` (DESIGN.md)."""
        return {
            "id": self.id,
            "kind": self.kind,
            "prompt": self.prompt,
            "choices": list(self.choices),
            "answer": list(self.answer),
            "explanation": self.explanation,
            "service": self.service,
            "layer": self.layer,
        }


@dataclass(frozen=True, slots=True)
class Answer:
    """A learner's scored answer to one question: the one record every answer starts as.

    The progress store keeps it as an :class:`~srmquiz.core.review.Attempt`; a classroom
    result document lists it as an answer item.
    """

    question: Question
    given: tuple[str, ...]
    """Chosen choice texts (build-the-stack: one owner label per layer, bottom to top)."""
    correct: bool
    seconds: float
    """Time from showing the question to answering it."""

    @classmethod
    def of(cls, question: Question, given: Iterable[str], seconds: float) -> Answer:
        """Grade what was given."""
        chosen = tuple(given)
        return cls(question, chosen, question.grade(chosen), seconds)


def _rng(seed: int, qid: str) -> random.Random:
    # A string seed is hashed with SHA-512 by random.seed: stable across runs and
    # independent of PYTHONHASHSEED, so each question's draws depend only on its id.
    return random.Random(f"{seed}/{qid}")


class _Builder:
    """Turns cells into questions with the wording in templates.toml."""

    def __init__(self, matrix: Matrix, seed: int, services: Sequence[str]) -> None:
        self.m = matrix
        self.t = matrix.templates
        self.seed = seed
        self.services = [matrix.service(s) for s in services]
        self.w = Wording(matrix)
        self.label = self.w.label
        self.possessive = self.w.possessive
        self.cell_explanation = self.w.cell_explanation

    def owner_why_wrong(self, cell: Cell, service_name: str) -> dict[str, str]:
        noun = self.m.layer(cell.layer).noun
        out = {}
        for chosen in Owner:
            if chosen is cell.owner:
                continue
            text = self.t.why_wrong[f"{chosen.value}_when_{cell.owner.value}"]
            out[self.label(chosen)] = text.format(
                service=service_name,
                noun=noun,
                aws_part=cell.aws_part,
                customer_part=cell.customer_part,
            )
        return out

    def owner_choices(self) -> tuple[str, ...]:
        return self.w.owner_choices()

    # -- kinds -------------------------------------------------------------
    def owner(self) -> list[Question]:
        out = []
        for service in self.services:
            for cell in self.m.stack(service.id):
                qid = f"owner:{service.id}:{cell.layer}"
                task = _rng(self.seed, qid).choice(self.m.tasks(service.id, cell.layer))
                out.append(
                    Question(
                        id=qid,
                        kind="owner",
                        prompt=self.t.prompts["owner"].format(task=task, service=service.name),
                        choices=self.owner_choices(),
                        answer=(self.label(cell.owner),),
                        explanation=self.cell_explanation(cell),
                        service=service.id,
                        layer=cell.layer,
                        why_wrong=self.owner_why_wrong(cell, service.name),
                        sources=((cell.source, cell.where),),
                    )
                )
        return out

    def which_are(self) -> list[Question]:
        out = []
        for service in self.services:
            cells = [c for c in self.m.stack(service.id) if c.owner is not Owner.SHARED]
            for owner in (Owner.CUSTOMER, Owner.AWS):
                right = [c for c in cells if c.owner is owner]
                wrong = [c for c in cells if c.owner is not owner]
                if not right or not wrong:
                    continue
                qid = f"which-are:{service.id}:{owner.value}"
                rng = _rng(self.seed, qid)
                n_right = min(len(right), rng.randint(2, 4))
                picked = rng.sample(right, n_right) + rng.sample(
                    wrong, min(len(wrong), 6 - n_right)
                )
                picked.sort(key=lambda c: self.m.layer(c.layer).index)
                names = {c.layer: self.m.layer(c.layer).name for c in picked}
                answer = tuple(names[c.layer] for c in picked if c.owner is owner)
                why = {
                    names[c.layer]: self.t.why_wrong["layer_choice"].format(
                        layer=names[c.layer],
                        service=service.name,
                        label=self.label(c.owner),
                        explanation=c.explanation,
                    )
                    for c in picked
                }
                explanation = self.t.explanations["which_are"].format(
                    service=service.name,
                    possessive=self.possessive(owner),
                    layers=", ".join(answer),
                )
                out.append(
                    Question(
                        id=qid,
                        kind="which-are",
                        prompt=self.t.prompts["which_are"].format(
                            service=service.name, possessive=self.possessive(owner)
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

    def compare(self) -> list[Question]:
        out: list[Question] = []
        if len(self.services) < 2:
            return out
        for layer in self.m.layers:
            cells = {s.id: self.m.cell(s.id, layer.id) for s in self.services}
            for owner in Owner:
                holders = [s for s in self.services if cells[s.id].owner is owner]
                if not holders or len(holders) == len(self.services):
                    continue
                qid = f"compare:{layer.id}:{owner.value}"
                rng = _rng(self.seed, qid)
                choices = [s.name for s in self.services]
                rng.shuffle(choices)
                key = "compare_one" if len(holders) == 1 else "compare_many"
                why = {
                    s.name: self.t.why_wrong["service_choice"].format(
                        service=s.name,
                        noun=layer.noun,
                        possessive=self.possessive(cells[s.id].owner),
                        explanation=cells[s.id].explanation,
                    )
                    for s in self.services
                    if len(holders) > 1 or s not in holders
                }
                out.append(
                    Question(
                        id=qid,
                        kind="compare",
                        prompt=self.t.prompts[key].format(
                            noun=layer.noun, possessive=self.possessive(owner)
                        ),
                        choices=tuple(choices),
                        answer=tuple(s.name for s in holders),
                        explanation=self.t.explanations["compare"].format(
                            noun_cap=cap(layer.noun),
                            possessive=self.possessive(owner),
                            services=and_list(s.name for s in holders),
                        ),
                        service=None,
                        layer=layer.id,
                        why_wrong=why,
                        sources=_unique((c.source, c.where) for c in cells.values()),
                    )
                )
        return out

    def always(self) -> list[Question]:
        out = []
        depends = self.t.prompts["always_depends"]
        for layer in self.m.layers:
            cells = [self.m.cell(s.id, layer.id) for s in self.services]
            owners = {c.owner for c in cells}
            choices = (*self.owner_choices(), depends)
            if len(owners) == 1:
                owner = owners.pop()
                answer = self.label(owner)
                explanation = self.t.explanations["always_same"].format(
                    noun=layer.noun, possessive=self.possessive(owner)
                )
                why = self.owner_why_wrong(cells[0], "every service")
                why[depends] = self.t.why_wrong["always_depends"].format(
                    noun=layer.noun, possessive=self.possessive(owner)
                )
            else:
                answer = depends
                split = "; ".join(
                    f"{self.m.service(c.service).name}: {self.label(c.owner)}" for c in cells
                )
                explanation = self.t.explanations["always_depends"].format(
                    noun=layer.noun, split=split
                )
                text = self.t.why_wrong["always_owner"].format(split=split)
                why = {label: text for label in self.owner_choices()}
            out.append(
                Question(
                    id=f"always:{layer.id}",
                    kind="always",
                    prompt=self.t.prompts["always"].format(noun=layer.noun),
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

    def category(self) -> list[Question]:
        out = []
        cats = list(self.m.categories.values())
        for service in self.services:
            right = self.m.categories[service.category]
            why = {
                c.name: self.t.why_wrong["category_choice"].format(
                    label=c.short, service=service.name, description=c.description
                )
                for c in cats
                if c.id != right.id
            }
            out.append(
                Question(
                    id=f"category:{service.id}",
                    kind="category",
                    prompt=self.t.prompts["category"].format(service=service.name),
                    choices=tuple(c.name for c in cats),
                    answer=(right.name,),
                    explanation=self.t.explanations["category"].format(
                        service=service.name,
                        category=right.name,
                        description=f"{right.description} {service.description}",
                    ),
                    service=service.id,
                    layer=None,
                    why_wrong=why,
                    sources=(("course-transcript", "how the course sorts services into types"),)
                    if "course-transcript" in self.m.sources
                    else (),
                )
            )
        return out

    def true_false(self) -> list[Question]:
        out = []
        yes, no = self.t.prompts["true_label"], self.t.prompts["false_label"]
        for service in self.services:
            for cell in self.m.stack(service.id):
                qid = f"true-false:{service.id}:{cell.layer}"
                # The claim depends on the id only, so the statement means the same for every seed.
                rng = _rng(0, qid)
                others = [o for o in (Owner.AWS, Owner.CUSTOMER) if o is not cell.owner]
                claimed = cell.owner if rng.random() < 0.5 else rng.choice(others)
                layer = self.m.layer(cell.layer)
                claim = self.t.owners[claimed].claim.format(service=service.name, noun=layer.noun)
                truth = claimed is cell.owner
                wrong_label = no if truth else yes
                out.append(
                    Question(
                        id=qid,
                        kind="true-false",
                        prompt=self.t.prompts["true_false"].format(claim=claim),
                        choices=(yes, no),
                        answer=(yes if truth else no,),
                        explanation=self.cell_explanation(cell),
                        service=service.id,
                        layer=cell.layer,
                        why_wrong={
                            wrong_label: self.t.why_wrong["true_false_wrong"].format(
                                truth=(yes if truth else no).lower(),
                                service=service.name,
                                noun=layer.noun,
                                possessive=self.possessive(cell.owner),
                            )
                        },
                        sources=((cell.source, cell.where),),
                    )
                )
        return out

    def build(self) -> list[Question]:
        out = []
        for service in self.services:
            stack = self.m.stack(service.id)
            parts = tuple(
                StackPart(
                    c.layer,
                    self.m.layer(c.layer).name,
                    self.label(c.owner),
                    self.cell_explanation(c),
                )
                for c in stack
            )
            counts = {o: sum(c.owner is o for c in stack) for o in Owner}
            out.append(
                Question(
                    id=f"build-the-stack:{service.id}",
                    kind="build-the-stack",
                    prompt=self.t.prompts["build"].format(service=service.name),
                    choices=self.owner_choices(),
                    answer=tuple(p.answer for p in parts),
                    explanation=self.t.explanations["build"].format(
                        service=service.name,
                        aws=counts[Owner.AWS],
                        customer=counts[Owner.CUSTOMER],
                        shared=counts[Owner.SHARED],
                        total=len(stack),
                    ),
                    service=service.id,
                    layer=None,
                    sources=_unique((c.source, c.where) for c in stack),
                    parts=parts,
                )
            )
        return out

    def scenario(self) -> list[Question]:
        out = []
        wanted = {s.id for s in self.services}
        for sc in self.m.scenarios:
            if sc.service not in wanted:
                continue
            cell = self.m.cell(sc.service, sc.layer)
            service = self.m.service(sc.service)
            explanation = self.cell_explanation(cell)
            if sc.lesson:
                explanation += " " + sc.lesson
            out.append(
                Question(
                    id=f"scenario:{sc.id}",
                    kind="scenario",
                    prompt=self.t.prompts["scenario"].format(story=sc.story, ask=sc.ask),
                    choices=self.owner_choices(),
                    answer=(self.label(cell.owner),),
                    explanation=explanation,
                    service=sc.service,
                    layer=sc.layer,
                    why_wrong=self.owner_why_wrong(cell, service.name),
                    sources=((cell.source, cell.where),),
                    title=sc.title,
                )
            )
        return out


def _unique(pairs: Iterable[tuple[str, str]]) -> tuple[tuple[str, str], ...]:
    return tuple(dict.fromkeys(pairs))


def check_kinds(kinds: Iterable[str]) -> list[str]:
    """Return the kinds, or raise UnknownIdError for one that does not exist."""
    out = list(kinds)
    for kind in out:
        if kind not in KINDS:
            raise UnknownIdError("kind", kind, list(KINDS))
    return out


def generate(
    matrix: Matrix,
    *,
    seed: int = 0,
    services: Iterable[str] | None = None,
    kinds: Iterable[str] | None = None,
) -> list[Question]:
    """Build the question bank in a seeded order.

    With ``services``, only questions about those services are made; questions
    across services (compare) use only the chosen ones, and ``always`` questions
    need every service. Unknown services or kinds raise UnknownIdError.
    """
    all_ids = matrix.service_ids
    chosen = list(dict.fromkeys(services)) if services is not None else all_ids
    for sid in chosen:
        matrix.service(sid)
    wanted = check_kinds(kinds) if kinds is not None else list(KINDS)
    builder = _Builder(matrix, seed, chosen)
    makers = {
        "owner": builder.owner,
        "which-are": builder.which_are,
        "compare": builder.compare,
        "always": builder.always,
        "category": builder.category,
        "true-false": builder.true_false,
        "build-the-stack": builder.build,
        "scenario": builder.scenario,
    }
    bank: list[Question] = []
    for kind in KINDS:
        if kind not in wanted:
            continue
        if kind == "always" and set(chosen) != set(all_ids):
            continue
        bank.extend(makers[kind]())
    random.Random(seed).shuffle(bank)
    return bank


def pick(bank: Sequence[Question], n: int | None, *, seed: int = 0) -> list[Question]:
    """Choose n questions with the kinds mixed evenly (round robin in a seeded kind order).

    The bank's own (seeded) order is kept within each kind. ``n=None`` takes all.
    """
    if n is None or n >= len(bank):
        return list(bank)
    if n < 1:
        raise ValueError(f"a quiz needs at least one question, not {n}")
    by_kind: dict[str, list[Question]] = {}
    for q in bank:
        by_kind.setdefault(q.kind, []).append(q)
    order = sorted(by_kind)
    random.Random(f"pick/{seed}").shuffle(order)
    chosen: list[Question] = []
    while len(chosen) < n:
        for kind in order:
            if by_kind[kind] and len(chosen) < n:
                chosen.append(by_kind[kind].pop(0))
    return chosen
