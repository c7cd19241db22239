"""The bank check: render every question for many seeds and check its wording.

The bank is generated from the matrix and the templates, so a slip in one template or one
phrasing shows up in dozens of questions, and only for some seeds. :func:`check_bank`
renders the bank for each seed the way the learner sees it (prompt, choices, explanation,
each "Why not ..." feedback line, build-the-stack parts) and runs every rule of
:data:`RULES` over it. A rule is one function: it reads a :class:`RenderedBank` and yields
``(question id, text)`` slips; :func:`check_bank` names them, removes repeats across seeds
and sorts them. Pure: no files, no widgets.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from itertools import combinations

from srmquiz.core.bank import generate
from srmquiz.core.matrix import Cell, Matrix, Owner
from srmquiz.core.questions import Question
from srmquiz.core.wording import Wording

WIDTH = 120
"""A finding's text is shortened to this many characters."""
SEEDS = range(20)
"""The seeds the check renders by default."""

Slip = tuple[str, str]
"""What a rule yields: (question id, text saying where and what)."""


@dataclass(frozen=True, slots=True)
class Finding:
    """One slip in the rendered bank, found by one rule."""

    question_id: str
    rule: str
    """A name in :data:`RULES`."""
    text: str
    """Where in the question and an excerpt, at most :data:`WIDTH` characters."""

    @property
    def line(self) -> str:
        """The finding as one line: "owner:ec2:guest-os: doubled-prefix: feedback: ..."."""
        return f"{self.question_id}: {self.rule}: {self.text}"

    def __str__(self) -> str:
        return self.line


@dataclass(frozen=True, slots=True)
class Text:
    """One text a learner reads, and where in the question it is shown."""

    place: str
    """"prompt", "choice", "explanation", "feedback", "feedback on CHOICE", "part LAYER"."""
    text: str


def learner_texts(question: Question) -> tuple[Text, ...]:
    """Every text of a question the learner can see, as the quiz shows it.

    A wrong choice of a single-answer question is explained by the line "Why not CHOICE:
    WHY"; a select-all question explains each choice under it, so its texts are the reasons
    themselves ("feedback on CHOICE").
    """
    out = [Text("prompt", question.prompt)]
    out += [Text("choice", c) for c in question.choices]
    out.append(Text("explanation", question.explanation))
    for choice in question.choices:
        why = question.why_wrong.get(choice)
        if why is None:
            continue
        if question.multi:
            out.append(Text(f"feedback on {choice}", why))
        else:
            out.append(Text("feedback", f"Why not {choice}: {why}"))
    out += [Text(f"part {p.layer}", p.explanation) for p in question.parts]
    return tuple(out)


@dataclass(frozen=True, slots=True)
class RenderedBank:
    """The bank for several seeds, and each distinct rendering of a question once."""

    matrix: Matrix
    banks: tuple[tuple[Question, ...], ...]
    """One bank per seed, in seed order."""
    rendered: tuple[tuple[Question, tuple[Text, ...]], ...]
    """Each question with its learner texts; a rendering repeated by another seed is left out."""

    @classmethod
    def of(cls, matrix: Matrix, seeds: Iterable[int]) -> RenderedBank:
        """Generate the bank for every seed and render it."""
        banks = tuple(tuple(generate(matrix, seed=s)) for s in seeds)
        seen: dict[tuple[str, tuple[Text, ...]], Question] = {}
        for bank in banks:
            for q in bank:
                seen.setdefault((q.id, learner_texts(q)), q)
        return cls(matrix, banks, tuple((q, texts) for (_, texts), q in seen.items()))


def excerpt(place: str, text: str, start: int = 0) -> str:
    """'place: text', the text starting a few words before ``start`` ("…" marks a cut)."""
    lo = start - 40
    if lo <= 0:
        return f"{place}: {text}"
    lo = text.find(" ", lo) + 1 or lo
    return f"{place}: …{text[min(lo, start) :]}"


def shorten(text: str, width: int = WIDTH) -> str:
    """The text cut to ``width`` characters, ending in "…" when cut."""
    return text if len(text) <= width else text[: width - 1].rstrip() + "…"


# --- agreement ---------------------------------------------------------------------------

_PREPOSITIONS = frozenset(
    [
        "about",
        "across",
        "around",
        "at",
        "behind",
        "by",
        "for",
        "from",
        "in",
        "into",
        "of",
        "on",
        "over",
        "to",
        "under",
        "with",
    ]
)
_COUNTS = (
    # "1 are shared", "1 were"
    re.compile(r"(?<![\w.,])1 (?:are|were)\b"),
    # "1 layers" (but not "1 is", "1 always", "1 class")
    re.compile(
        r"(?<![\w.,])1 (?!(?:as|is|was|has|does|its|this|us|plus|minus|thus|yes|always"
        r"|perhaps|sometimes|besides|towards|whereas)\b)[a-z-]*[a-rt-z]s\b"
    ),
    # "0 is shared", "4 was", "12 layer"
    re.compile(r"(?<![\w.,])(?:0|[2-9]|[1-9]\d+) (?:is|was|layer)\b"),
)
_SHARED_RESPONSIBILITY = re.compile(r"\bshared responsibility\b(?! model)", re.IGNORECASE)
_DETERMINERS = frozenset(
    ["a", "the", "this", "that", "its", "their", "our", "your", "aws's", "customer's"]
)
_HEAD_END = re.compile(
    r" (?:of|on|in|for|at|to|with|behind|under|around|from)\b| \(| itself\b", re.IGNORECASE
)


def plural_phrase(noun: str) -> bool:
    """True when a noun phrase takes "are": a list ("A, B and C", "the X and the Y") or a
    plural head noun ("the physical servers"); "the network and firewall configuration",
    "identity and access management" and "the data itself" are singular."""
    head = _HEAD_END.split(noun, maxsplit=1)[0]
    if re.search(r", | and (?:the|a|an|its|their|your) ", head):
        return True
    last = head.split()[-1] if head.split() else ""
    return last.endswith("s") and not last.endswith(("ss", "us", "is"))


def _plural_subjects(matrix: Matrix) -> re.Pattern[str]:
    nouns = [re.escape(la.noun) for la in matrix.layers if plural_phrase(la.noun)]
    names = "|".join(re.escape(s.name) for s in matrix.services)
    service_list = f"(?:{names})(?:, (?:{names}))* and (?:{names})"
    return re.compile(rf"(?:{'|'.join([*nouns, service_list])}) (?:is|was)\b", re.IGNORECASE)


def _category_without_article(matrix: Matrix) -> re.Pattern[str]:
    words = {c.short for c in matrix.categories.values()}
    words |= {c.name.removesuffix(" service") for c in matrix.categories.values()}
    alternatives = "|".join(re.escape(w) for w in sorted(words) if w and " " not in w)
    return re.compile(rf"\b(?:is|was) (?:{alternatives}) service\b", re.IGNORECASE)


def _word_before(text: str, start: int) -> str:
    words = text[:start].split()
    return words[-1].lower().strip(",") if words else ""


def _agreement_hits(text: str, plural: re.Pattern[str], category: re.Pattern[str]) -> list[int]:
    hits = [m.start() for p in (*_COUNTS, category) for m in p.finditer(text)]
    hits += [
        m.start()
        for m in plural.finditer(text)
        if _word_before(text, m.start()) not in _PREPOSITIONS  # "responsibility for X is"
    ]
    for m in _SHARED_RESPONSIBILITY.finditer(text):
        sentence = re.split(r"[.?!:;]\s", text[: m.start()])[-1]
        if _word_before(text, m.start()) not in _DETERMINERS and re.search(
            r"\b(?:is|was)\b", sentence, re.IGNORECASE
        ):
            hits.append(m.start())
    return sorted(set(hits))


def agreement(bank: RenderedBank) -> Iterator[Slip]:
    """Number and article slips the templates make when they meet the matrix.

    Catches a plural subject with "is"/"was" ("the physical servers and the data-center
    facilities is", "Amazon RDS and Amazon S3 is"; a subject after "for"/"of" is not the
    verb's subject and is left alone), "1 are", "1 layers", another count with "is" or
    "layer" ("0 is shared"), "is ... shared responsibility" without an article, and a
    category without one ("Amazon S3 is Abstracted service"). A learner reads these as
    carelessness, and a careless text is trusted less when it says who owns what.
    """
    plural = _plural_subjects(bank.matrix)
    category = _category_without_article(bank.matrix)
    for q, texts in bank.rendered:
        for t in texts:
            for start in _agreement_hits(t.text, plural, category):
                yield q.id, excerpt(t.place, t.text, start)


# --- doubled-prefix ----------------------------------------------------------------------

_DOUBLED_WORD = re.compile(r"\b(\w+)\s+\1\b", re.IGNORECASE)
_FINE_DOUBLES = frozenset({"that", "had"})


def doubled_prefix(bank: RenderedBank) -> Iterator[Slip]:
    """A feedback line that repeats its own lead, or a word written twice.

    The quiz shows a wrong single-answer choice as "Why not AWS: <why>"; a why text that
    starts "Not AWS: ..." or "Not the customer: ..." (or with the choice itself) makes the
    learner read "Why not AWS: Not AWS: ...". "the the" in any text is the same stutter.
    """
    for q, texts in bank.rendered:
        for choice in q.choices:
            why = q.why_wrong.get(choice)
            lead = rf"(?:not\s+(?:the\s+)?)?{re.escape(choice)}(?![\w'’])"
            if why is not None and not q.multi and re.match(lead, why, re.IGNORECASE):
                yield q.id, excerpt("feedback", f"Why not {choice}: {why}")
        for t in texts:
            for m in _DOUBLED_WORD.finditer(t.text):
                if m.group(1).lower() not in _FINE_DOUBLES:
                    yield q.id, excerpt(t.place, t.text, m.start())


# --- half-of-shared ----------------------------------------------------------------------


def _norm(text: str) -> str:
    return " ".join(re.sub(r"[^\w/'-]+", " ", text.lower()).split())


def _halves_named(matrix: Matrix, cell: Cell, prompt: str) -> list[Owner]:
    """The sides of a shared cell whose part the prompt names (by a task or a clause)."""
    asked = _norm(prompt)
    tasks = [_norm(t) for t in matrix.tasks(cell.service, cell.layer)]
    tasks = [t for t in tasks if t in asked]
    named = []
    for owner, part in ((Owner.AWS, cell.aws_part), (Owner.CUSTOMER, cell.customer_part)):
        text = _norm(part)
        clauses = [c for c in re.split(r" and | but |, |; ", part.lower()) if len(c.split()) >= 3]
        if any(t in text for t in tasks) or any(_norm(c) in asked for c in clauses):
            named.append(owner)
    return named


def _half(cell: Cell, owner: Owner) -> str:
    part = cell.aws_part if owner is Owner.AWS else cell.customer_part
    return f"{'AWS' if owner is Owner.AWS else 'the customer'} {part}"


def _claimed_owner(bank: RenderedBank, q: Question) -> Owner | None:
    """The owner a question claims: from a compare id, or from a true-false statement."""
    if q.kind == "compare":
        value = q.id.rsplit(":", 1)[-1]
        return next((o for o in Owner if o.value == value), None)
    if q.service is None or q.layer is None:
        return None
    service = bank.matrix.service(q.service)
    nouns = Wording(bank.matrix).noun_fields(bank.matrix.layer(q.layer))
    owners = bank.matrix.templates.owners
    return next(
        (o for o in owners if owners[o].claim.format(service=service.name, **nouns) in q.prompt),
        None,
    )


def _half_true(bank: RenderedBank, q: Question) -> Iterator[Slip]:
    owner = _claimed_owner(bank, q)
    if owner is None or owner is Owner.SHARED or q.layer is None:
        return
    by_name = {s.name: s.id for s in bank.matrix.services}
    if q.kind == "compare":
        for choice in q.choices:
            cell = bank.matrix.cell(by_name[choice], q.layer)
            if choice not in q.answer and cell.owner is Owner.SHARED:
                yield q.id, f"{choice} keyed wrong, yet on it {_half(cell, owner)}"
    elif q.service is not None:
        cell = bank.matrix.cell(q.service, q.layer)
        if cell.owner is Owner.SHARED:
            yield q.id, f"keyed {q.answer[0]}, yet {_half(cell, owner)}"


def half_of_shared(bank: RenderedBank) -> Iterator[Slip]:
    """A one-owner answer keyed wrong although that owner holds half of a shared cell.

    Three shapes: an owner or scenario question keyed "Shared" whose prompt asks for only
    one side's task (the task, or a clause of the cell's aws_part / customer_part, is in
    the prompt); a compare question about AWS or the customer that offers a service whose
    cell is shared as a wrong choice; a true-false claim that AWS (or the customer) owns a
    shared cell, keyed False. The learner who answers the half that the prompt describes,
    or that the claim names, is marked wrong for a defensible answer.
    """
    words = Wording(bank.matrix)
    shared = words.label(Owner.SHARED)
    for q, _ in bank.rendered:
        if q.kind in ("compare", "true-false"):
            yield from _half_true(bank, q)
        elif q.kind in ("owner", "scenario") and q.answer == (shared,) and q.layer and q.service:
            cell = bank.matrix.cell(q.service, q.layer)
            named = _halves_named(bank.matrix, cell, q.prompt)
            if len(named) == 1:
                side = words.possessive(named[0])
                yield q.id, f"keyed {shared}, yet the prompt asks for {side} half: {q.prompt}"


# --- identical-prompts -------------------------------------------------------------------


PHRASED_KINDS = ("owner", "scenario")
"""Kinds whose prompt is drawn from authored phrasings or stories, so it can differ per service."""


def identical_prompts(bank: RenderedBank) -> Iterator[Slip]:
    """Two owner or scenario questions, on two services, that read the same and have one answer.

    Same prompt (service name masked), same choices and same answer, within one seed; the
    pair is reported once, on the first id, with the first seed's prompt. "Who replaces
    failed disks on Amazon S3?" then "... on Amazon RDS?", both AWS, asks the learner the
    same thing twice, and service-specific phrasings would have told them something about
    each service. The same prompt with a different answer ("Who patches the guest operating
    system on ...?": EC2 customer, RDS AWS) is the model's contrast and is not reported;
    nor are kinds that put the service into one fixed sentence by design (category,
    true-false, which-are, build-the-stack), where asking each service is the exercise.
    """
    names = {s.id: s.name for s in bank.matrix.services}
    pairs: dict[tuple[str, str], str] = {}
    for questions in bank.banks:
        groups: dict[tuple[str, str, tuple[str, ...], tuple[str, ...]], list[Question]] = {}
        for q in questions:
            if q.service is not None and q.kind in PHRASED_KINDS:
                masked = q.prompt.replace(names[q.service], "<service>")
                groups.setdefault((q.kind, masked, q.choices, q.answer), []).append(q)
        for (_, masked, _, _), group in groups.items():
            for a, b in combinations(sorted(group, key=lambda q: q.id), 2):
                if a.service != b.service:
                    pairs.setdefault((a.id, b.id), masked)
    for (a_id, b_id), masked in pairs.items():
        yield a_id, f"same prompt and answer as {b_id}: {masked}"


# --- argues-with-source ------------------------------------------------------------------

_SOURCE_TALK = re.compile(
    r"\b(?:the course\b(?! of\b)|the transcript\b|the lecture\b|by elimination\b"
    r"|(?:AWS's|the AWS) (?:[\w-]+ ){0,2}(?:documentation|docs|guide|whitepaper|diagram)\b)",
    re.IGNORECASE,
)


def argues_with_source(bank: RenderedBank) -> Iterator[Slip]:
    """An explanation or feedback text that talks about its source instead of the subject.

    "The course does not say", "leaves this to AWS by elimination", "AWS's RDS
    documentation shows": remarks on where a claim comes from belong on the source line
    under the feedback. In the explanation they make the learner weigh sources instead of
    learning who secures what. One finding per text.
    """
    for q, texts in bank.rendered:
        for t in texts:
            if t.place in ("prompt", "choice"):
                continue
            m = _SOURCE_TALK.search(t.text)
            if m:
                yield q.id, excerpt(t.place, t.text, m.start())


# --- unfilled ----------------------------------------------------------------------------


def unfilled(bank: RenderedBank) -> Iterator[Slip]:
    """A text with a brace left in it, or an empty text.

    A "{" or "}" is a placeholder the templates did not fill (or a brace meant literally,
    which the quiz's templates never need); an empty prompt, choice or reason leaves the
    learner with nothing to read.
    """
    for q, texts in bank.rendered:
        for t in texts:
            brace = re.search(r"[{}]", t.text)
            if brace:
                yield q.id, excerpt(t.place, t.text, brace.start())
            elif not t.text.strip():
                yield q.id, f"{t.place}: empty"
        for choice in q.choices:
            if not q.why_wrong.get(choice, "-").strip():
                yield q.id, f"feedback on {choice}: empty"


Rule = Callable[[RenderedBank], Iterable[Slip]]
"""Finds one class of slip in the rendered bank."""

RULES: dict[str, Rule] = {
    "agreement": agreement,
    "doubled-prefix": doubled_prefix,
    "half-of-shared": half_of_shared,
    "identical-prompts": identical_prompts,
    "argues-with-source": argues_with_source,
    "unfilled": unfilled,
}
"""Every rule by name, in the order findings of one question are listed."""


def check_bank(matrix: Matrix, seeds: Iterable[int] = SEEDS) -> list[Finding]:
    """Render the bank for every seed and return what the rules find.

    A finding repeated by several seeds is listed once; findings are sorted by question
    id, then in the order of :data:`RULES`, then by text.
    """
    bank = RenderedBank.of(matrix, seeds)
    found = {
        Finding(qid, name, shorten(text))
        for name, rule in RULES.items()
        for qid, text in rule(bank)
    }
    order = list(RULES)
    return sorted(found, key=lambda f: (f.question_id, order.index(f.rule), f.text))
