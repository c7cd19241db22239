"""The quiz run without widgets: rounds, score, practice and exam rules, the early-Next guard."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from srmquiz.core.bank import generate
from srmquiz.core.matrix import Matrix
from srmquiz.core.questions import Answer, Question
from srmquiz.core.quizrun import (
    EXAM,
    PRACTICE,
    RACE_WINDOW_S,
    Outcome,
    QuizRun,
    after_early_next,
)

ROOT = Path(__file__).resolve().parents[1]


def owner_questions(matrix: Matrix, n: int, seed: int = 0) -> list[Question]:
    return [x for x in generate(matrix, seed=seed) if x.kind == "owner"][:n]


def right(question: Question, seconds: float = 1.0) -> Answer:
    return Answer.of(question, question.answer, seconds)


def wrong(question: Question, seconds: float = 1.0) -> Answer:
    choice = next(c for c in question.choices if c not in question.answer)
    return Answer.of(question, [choice], seconds)


def test_the_run_imports_no_widgets_and_no_drawing():
    code = (
        "import sys, srmquiz.core.quizrun; "
        "print(sorted({'ipywidgets', 'matplotlib', 'sqlite3', 'asyncio'} & set(sys.modules)))"
    )
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    out = subprocess.run(
        [sys.executable, "-c", code], cwd=ROOT, env=env, capture_output=True, text=True, check=True
    )
    assert out.stdout.strip() == "[]"


def test_modes_are_checked_with_one_clear_message(matrix):
    questions = owner_questions(matrix, 2)
    with pytest.raises(ValueError, match=r"^unknown mode 'x'; valid: practice, exam$"):
        QuizRun(questions, "x")
    with pytest.raises(ValueError, match="at least one question"):
        QuizRun([], "practice")
    assert QuizRun(questions).rules is PRACTICE
    assert QuizRun(questions, "exam").rules is EXAM


def test_practice_next_waits_for_an_answer_and_the_last_next_finishes(matrix):
    questions = owner_questions(matrix, 3)
    run = QuizRun(questions)
    assert (run.position, run.total, run.score, run.answers) == (0, 3, 0, [])
    assert run.advance() is Outcome.NEEDS_ANSWER and run.position == 0
    assert run.answer(0, right(questions[0]), at=10.0)
    assert run.score == 1 and run.round.slots[0].answered_at == 10.0
    assert run.back() is Outcome.NOTHING and run.position == 0
    assert run.advance() is Outcome.MOVED and run.position == 1
    assert run.advance() is Outcome.NEEDS_ANSWER
    run.answer(1, wrong(questions[1]))
    assert run.advance() is Outcome.MOVED and run.round.last
    run.answer(2, right(questions[2]))
    assert run.submit() is Outcome.NOTHING  # no Submit in practice
    assert run.advance() is Outcome.FINISHED and run.finished
    assert (run.score, run.total) == (2, 3)
    assert run.mistakes() == [questions[1]]
    assert run.first_round
    assert run.advance() is Outcome.NOTHING and run.back() is Outcome.NOTHING


def test_double_answers_count_once_in_practice(matrix):
    questions = owner_questions(matrix, 2)
    run = QuizRun(questions)
    first = wrong(questions[0])
    assert run.answer(0, first, at=1.0)
    assert not run.answer(0, right(questions[0]), at=2.0)  # the first answer is the one scored
    run.clear(0)  # practice never takes an answer back
    assert run.answers == [first] and run.score == 0
    assert run.round.slots[0].answered_at == 1.0


def test_exam_changes_of_mind_blanks_and_a_forced_submit(matrix):
    questions = owner_questions(matrix, 3)
    run = QuizRun(questions, "exam")
    assert run.advance() is Outcome.MOVED  # free moves: Next needs no answer
    assert run.back() is Outcome.MOVED and run.back() is Outcome.NOTHING
    run.answer(0, right(questions[0]))
    run.answer(0, wrong(questions[0]))  # may change its mind before Submit
    assert len(run.answers) == 1 and run.score == 0
    run.answer(2, right(questions[2]))
    run.clear(2)  # a multi-choice cleared back to nothing counts as unanswered
    assert run.unanswered() == [2, 3]
    run.move(+2)
    assert run.round.last and run.advance() is Outcome.NOTHING  # no Finish by Next in an exam
    assert run.submit() is Outcome.UNANSWERED and not run.finished
    assert run.unanswered() == [2, 3]
    assert run.submit() is Outcome.FINISHED and run.finished  # Submit anyway
    assert not run.answer(1, right(questions[1]))  # nothing changes after Submit
    assert run.submit() is Outcome.NOTHING
    assert (run.score, run.total) == (0, 3) and run.mistakes() == questions


def test_exam_submit_with_everything_answered_or_forced_hands_in_at_once(matrix):
    questions = owner_questions(matrix, 2)
    run = QuizRun(questions, "exam")
    for i, x in enumerate(questions):
        run.answer(i, right(x))
    assert run.submit() is Outcome.FINISHED and run.score == 2 and not run.mistakes()
    assert not run.review()  # nothing to review
    forced = QuizRun(questions, "exam")
    assert forced.submit(force=True) is Outcome.FINISHED and forced.unanswered() == [1, 2]


def test_review_asks_exactly_the_mistakes_in_practice_even_after_an_exam(matrix):
    questions = owner_questions(matrix, 4)
    run = QuizRun(questions, "exam")
    assert not run.review()  # not before the round is over
    run.answer(0, right(questions[0]))
    run.answer(1, wrong(questions[1]))
    run.answer(3, right(questions[3]))
    run.submit(force=True)
    assert run.review()
    assert run.rules is PRACTICE and not run.first_round and not run.finished
    assert run.questions == [questions[1], questions[2]]
    assert (run.position, run.score, run.total) == (0, 0, 2)
    run.answer(0, right(questions[1]))
    run.advance()
    run.answer(1, right(questions[2]))
    assert run.advance() is Outcome.FINISHED and run.score == 2 and not run.review()


def test_restart_starts_a_first_round_under_the_mode(matrix):
    questions = owner_questions(matrix, 2)
    others = owner_questions(matrix, 3, seed=1)[1:]
    run = QuizRun(questions, "exam")
    run.submit(force=True)
    run.review()
    run.restart(others)
    assert run.first_round and run.rules is EXAM and not run.finished
    assert run.questions == others and run.answers == [] and run.position == 0
    with pytest.raises(ValueError, match="at least one question"):
        run.restart([])
    assert run.questions == others  # a failed restart changes nothing


def test_early_next_decision():
    assert after_early_next(10.0, None) == "warn"  # nothing answered: really too early
    assert after_early_next(10.0, 10.05) == "move"  # the answer came first in the browser
    assert after_early_next(0.0, RACE_WINDOW_S) == "move"  # the window itself counts
    assert after_early_next(10.0, 10.2) == "stay"  # answered after Next: read the feedback
    assert after_early_next(10.0, 10.2, window=0.25) == "move"


def test_early_next_is_settled_against_the_run(matrix):
    questions = owner_questions(matrix, 3)
    run = QuizRun(questions)
    assert run.advance() is Outcome.NEEDS_ANSWER
    early = run.early_next(clicked_at=100.0)
    assert run.settle(early) == "warn"
    run.answer(0, right(questions[0]), at=100.1)
    assert run.settle(early) == "move"
    assert run.settle(early, window=0.05) == "stay"
    run.advance()
    assert run.settle(early) is None  # the quiz moved on since the click: nothing to do
    late = run.early_next(clicked_at=200.0)
    run.answer(1, right(questions[1]), at=200.3)
    assert run.settle(late) == "stay"
    run.restart(questions)
    assert run.settle(late) is None  # another round: nothing to do
