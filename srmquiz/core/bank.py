"""Generate the question bank from the matrix, and pick a quiz from it.

Pure and deterministic: the same matrix and seed give the same questions, in the
same order, with the same choices. No answer is written anywhere but the matrix.
Question ids name what is asked (``owner:ec2:guest-os``) and do not depend on
the seed, so progress records can refer to them across runs and versions.
The kinds themselves live in :mod:`srmquiz.core.kinds`.
"""

from __future__ import annotations

import random
from collections.abc import Iterable, Sequence
from dataclasses import replace

from srmquiz.core.kinds import KINDS, MAKERS, BankContext
from srmquiz.core.matrix import Matrix, Owner, UnknownIdError
from srmquiz.core.questions import Question
from srmquiz.core.wording import Wording


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
    chosen = list(dict.fromkeys(services)) if services is not None else matrix.service_ids
    for sid in chosen:
        matrix.service(sid)
    wanted = check_kinds(kinds) if kinds is not None else list(KINDS)
    context = BankContext.of(matrix, seed, chosen)
    bank: list[Question] = []
    for kind, make in MAKERS.items():
        if kind in wanted:
            bank.extend(make(context))
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


def explain_shared_once(matrix: Matrix, questions: Sequence[Question]) -> list[Question]:
    """The quiz's questions, with what "shared" means added to the explanation of the first
    one whose answer is Shared (once per quiz: the learner meets the idea where it matters)."""
    shared = Wording(matrix).label(Owner.SHARED)
    meaning = matrix.templates.explanations["shared_meaning"]
    out = list(questions)
    for i, q in enumerate(out):
        if shared in q.answer:
            out[i] = replace(q, explanation=f"{q.explanation} {meaning}")
            break
    return out
