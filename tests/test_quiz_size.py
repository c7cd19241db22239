"""A quiz's cost does not grow with its length (issue #15): views are built when shown.

Every widget is a model the kernel sends to the browser. These tests count the models a
quiz has open, through ipywidgets' public construction hook, while a learner answers.
"""

from __future__ import annotations

from collections.abc import Iterator

import ipywidgets as widgets
import pytest

from srmquiz.core.bank import generate
from srmquiz.widgets.quiz import BuildStackView, MultiChoiceView, QuestionView, Quiz
from srmquiz.widgets.style import stylesheet
from tests.test_quiz import answer, wrong_choice

PNG = b"\x89PNG\r\n\x1a\n" + bytes(16)
LIMIT = 100
"""Issue #15: a 126-question quiz is built with fewer than this many widget models."""


class Models:
    """The widget models made since the counter started, and which of them are open."""

    def __init__(self) -> None:
        self.made: list[widgets.Widget] = []

    def open(self) -> list[widgets.Widget]:
        """Made and not closed (a closed widget has no comm to the browser)."""
        return [w for w in self.made if w.comm is not None]


@pytest.fixture
def models(monkeypatch) -> Iterator[Models]:  # type: ignore[no-untyped-def]
    import srmquiz.widgets.views as views

    # what is counted is widgets: a stand-in picture saves drawing 200 stacks
    monkeypatch.setattr(views, "feedback_picture", lambda _m, _q: (PNG, "A stack."))
    stylesheet()  # one per kernel, made before: not a cost of the quiz
    counter = Models()
    widgets.Widget.on_widget_constructed(counter.made.append)
    yield counter
    widgets.Widget.on_widget_constructed(None)  # type: ignore[arg-type]


def tree(root: widgets.Widget) -> set[int]:
    """Ids of `root` and every widget under it (children, layouts, styles)."""
    seen: set[int] = set()
    todo = [root]
    while todo:
        w = todo.pop()
        if id(w) in seen:
            continue
        seen.add(id(w))
        todo.extend(getattr(w, "children", ()))
        todo.extend(
            part
            for name in ("layout", "style")
            if w.has_trait(name) and isinstance(part := getattr(w, name), widgets.Widget)
        )
    return seen


def screen(quiz: Quiz) -> set[int]:
    """The quiz's own widgets, shown or not: its tree, its buttons, the review's list."""
    out = tree(quiz)
    own = [quiz.prev_button, quiz.next_button, quiz.submit_button, quiz.review_button]
    for widget in [*own, quiz.new_button, quiz.jump]:
        if widget is not None:
            out |= tree(widget)
    return out


def long_bank(matrix, n: int) -> list:  # type: ignore[no-untyped-def]
    bank = generate(matrix, seed=5)
    return (bank * (n // len(bank) + 1))[:n]


def test_a_126_question_quiz_is_built_with_fewer_than_100_models(matrix, models):
    bank = generate(matrix, seed=1)
    assert len(bank) >= 126
    Quiz(bank[:126], matrix=matrix)
    assert len(models.open()) < LIMIT
    # the heaviest first question: build-the-stack on the service with the most layers
    tallest = max((x for x in bank if x.kind == "build-the-stack"), key=lambda x: len(x.parts))
    for mode in ("practice", "exam"):
        models.made.clear()
        quiz = Quiz([tallest, *bank[:125]], matrix=matrix, mode=mode)
        assert isinstance(quiz.view, BuildStackView)
        assert len(models.open()) < LIMIT, (mode, len(tallest.parts))
    # the whole bank costs what ten questions cost
    models.made.clear()
    Quiz(bank[:10], matrix=matrix)
    ten = len(models.open())
    models.made.clear()
    Quiz(bank, matrix=matrix)
    assert len(models.open()) == ten


def test_a_finished_quiz_leaves_nothing_open_beyond_its_summary(matrix, models):
    quiz = Quiz(long_bank(matrix, 12), matrix=matrix)
    for i in range(12):
        answer(quiz, right=i % 3 != 0)
        quiz.next_button.click()
    assert quiz.finished and "You scored 8 of 12" in quiz.summary.value
    still_open = models.open()
    assert not [w for w in still_open if isinstance(w, QuestionView)]
    own = screen(quiz)
    assert [type(w).__name__ for w in still_open if id(w) not in own] == []
    # "Review my mistakes" builds its first question only
    quiz.review_button.click()
    assert quiz.total == 4 and list(quiz.round.live) == [0]


def test_an_exam_review_shows_one_question_and_closes_the_rest(matrix, models):
    bank = long_bank(matrix, 40)
    quiz = Quiz(bank, matrix=matrix, mode="exam")
    for _ in range(40):
        answer(quiz, right=True)  # exam: the answer is kept, no feedback
        quiz.go(+1)
    quiz.submit_button.click()
    assert quiz.finished and quiz.reviewing == 0
    open_now = models.open()
    assert len([w for w in open_now if isinstance(w, QuestionView)]) == 1
    assert len(open_now) < LIMIT + 10  # the review pager's list: one Dropdown for 40
    own = screen(quiz) | {id(w) for w in quiz.look.shared()}
    assert [type(w).__name__ for w in open_now if id(w) not in own] == []


def test_a_200_question_session_stays_at_a_constant_number_of_models(matrix, models):
    quiz = Quiz(long_bank(matrix, 200), matrix=matrix)
    heaviest = 0
    for i in range(200):
        answer(quiz, right=i % 4 != 0)
        # open: the quiz's own widgets, the question answered and the next one; nothing else
        assert len(quiz.round.live) <= 2
        live = set().union(*(tree(v) | loose(v) for v in quiz.round.live.values()))
        own = screen(quiz) | live | {id(w) for w in quiz.look.shared()}
        assert [type(w).__name__ for w in models.open() if id(w) not in own] == []
        heaviest = max(heaviest, len(models.open()))
        quiz.next_button.click()
    assert quiz.finished and quiz.score == 150
    assert heaviest < 2 * LIMIT
    assert len(models.open()) < LIMIT  # finished: the summary only


def loose(view: QuestionView) -> set[int]:
    """A view's widgets outside its tree (the jslinks of a single-choice question)."""
    links = [getattr(view, "link", None), getattr(view, "detail_link", None)]
    return {id(x) for x in links if x is not None}


def test_an_exam_question_revisited_shows_its_kept_answer_and_counts_once(matrix):
    bank = generate(matrix, seed=2)
    single = next(x for x in bank if x.kind == "owner")
    multi = next(x for x in bank if x.kind == "which-are")
    stack = next(x for x in bank if x.kind == "build-the-stack")
    quiz = Quiz([single, multi, stack], matrix=matrix, mode="exam")
    seen = []
    quiz.on_answer(seen.append)
    quiz.view.choices.value = wrong_choice(single)
    quiz.go(+1)
    assert isinstance(quiz.view, MultiChoiceView)
    quiz.view.boxes[1].value = True
    quiz.go(+1)
    answer(quiz, right=False)  # every layer chosen (Check is practice only)
    given = quiz.answers[2].given
    quiz.go(-1)
    quiz.go(-1)
    assert quiz.view.choices.value == wrong_choice(single)
    assert quiz.score_label.value == "Answered: 3 of 3"
    quiz.go(+1)
    assert [b.value for b in quiz.view.boxes] == [i == 1 for i in range(len(multi.choices))]
    quiz.go(+1)
    assert tuple(quiz.view.choices_by_layer()) == given
    assert len(quiz.answers) == 3 and seen == []  # nothing recorded again, none before Submit
    # changing a revisited answer still counts
    quiz.go(-1)
    quiz.view.boxes[1].value = False
    assert quiz.score_label.value == "Answered: 2 of 3"


def test_a_page_of_quizzes_draws_nothing_before_an_answer(matrix):
    """Voila runs every cell before it shows the page: building quizzes draws no picture."""
    quizzes = [Quiz(long_bank(matrix, 6), matrix=matrix) for _ in range(3)]
    assert not any(v.picture_drawn for z in quizzes for v in z.round.live.values())
    multi = next(x for x in generate(matrix, seed=2) if x.kind == "which-are")
    quiz = Quiz([multi], matrix=matrix)
    answer(quiz, right=False)  # a select-all: Check shows the picture with the feedback
    assert quiz.view.picture.shown
