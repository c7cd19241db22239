"""A simulated class, to preview the dashboard before real students answer."""

from __future__ import annotations

import random

from srmquiz.core.matrix import Matrix, Owner
from srmquiz.core.questions import Answer
from srmquiz.core.results import ResultDocument
from srmquiz.core.sessions import Session, canonical

DEMO_LEARNER = "Demo student {n}"


def simulated_results(
    matrix: Matrix, code: str, session: Session, *, students: int = 12, seed: int = 0
) -> list[ResultDocument]:
    """Result documents of `students` simulated learners ("Demo student N").

    Each is right more often on the layers with one owner and less often on shared
    cells, so the heatmap has something to show. The same seed gives the same class.
    Each document is marked simulated, so a dashboard says so and never saves its grades.
    """
    questions = session.questions(matrix)
    rng = random.Random(seed)
    docs = []
    for i in range(1, students + 1):
        skill = rng.uniform(0.45, 0.95)
        answers = []
        for q in questions:
            hard = (
                q.service is not None
                and q.layer is not None
                and matrix.cell(q.service, q.layer).owner is Owner.SHARED
            )
            correct = rng.random() < (skill - 0.3 if hard else skill)
            if correct:
                given = q.answer
            elif q.kind == "build-the-stack":
                given = tuple("Customer" for _ in q.parts)
            else:
                given = (next(c for c in q.choices if c not in q.answer),)
            answers.append(Answer.of(q, given, rng.uniform(3, 30)))
        docs.append(
            ResultDocument.build(
                learner=DEMO_LEARNER.format(n=i),
                code=canonical(code),
                matrix=matrix,
                answers=answers,
                questions=questions,
                started_at=1_700_000_000 + i,
                finished_at=1_700_000_600 + i,
                simulated=True,
            )
        )
    return docs
