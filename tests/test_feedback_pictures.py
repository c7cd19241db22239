"""The stack picture in quiz feedback: what it shows, when it is drawn, and that it never leaks."""

from __future__ import annotations

import gc
import os

import ipywidgets as widgets
import pytest
from matplotlib.figure import Figure

from srmquiz.core.bank import generate
from srmquiz.core.pictures import StackPicture, question_picture
from srmquiz.core.questions import Question
from srmquiz.core.wording import Wording
from srmquiz.draw.stacks import (
    attempt_png,
    comparison_png,
    draw_picture,
    draw_stack,
    picture_png,
    stack_png,
)
from srmquiz.widgets.quiz import BuildStackView, MultiChoiceView, Quiz, SingleChoiceView
from tests.test_quiz import answer, q, wrong_choice

PNG = b"\x89PNG\r\n\x1a\n"


def test_single_choice_feedback_shows_the_stack_with_the_asked_layer_outlined(matrix):
    question = q(matrix, "owner:ec2:guest-os")
    quiz = Quiz([question], matrix=matrix)
    view = quiz.view
    assert isinstance(view, SingleChoiceView)
    assert not view.picture.shown  # drawn already, but shown only with the feedback
    view.choices.value = wrong_choice(question)
    png = view.picture.png
    assert png.startswith(PNG)
    assert png == stack_png(matrix, "ec2", ["guest-os"])
    assert png != stack_png(matrix, "ec2")  # the outline is really in the picture
    assert view.picture.shown
    caption = view.picture.caption.value
    assert "Amazon EC2" in caption and matrix.layer("guest-os").name in caption


def test_pictures_are_drawn_with_the_first_answer_then_one_question_ahead(matrix):
    bank = [x for x in generate(matrix, seed=3) if x.kind == "owner"][:4]
    quiz = Quiz(bank, matrix=matrix)
    # nothing is drawn on the way to the first question (matplotlib stays unimported)
    assert not quiz.view.picture_drawn and list(quiz.round.live) == [0]
    answer(quiz, right=True)
    assert quiz.view.picture_drawn and quiz.view.picture.shown  # drawn with its answer
    # while the learner reads the feedback, the next question is built and its picture
    # drawn (not yet shown); none after it
    assert list(quiz.round.live) == [0, 1]
    ahead = quiz.round.live[1]
    assert ahead.picture_drawn and not ahead.picture.shown


def test_multi_select_picture_appears_only_after_check(matrix):
    quiz = Quiz([q(matrix, "which-are:s3:customer")], matrix=matrix)
    view = quiz.view
    assert isinstance(view, MultiChoiceView)
    assert not view.picture.shown  # it would give the answer away
    answer(quiz, right=False)
    assert view.picture.shown
    assert view.picture.png == stack_png(matrix, "s3")


def test_cross_service_question_shows_the_stacks_it_offers_side_by_side(matrix):
    question = next(x for x in generate(matrix, seed=0) if x.kind == "compare")
    offered = [s.id for s in matrix.services if s.name in question.choices]
    quiz = Quiz([question], matrix=matrix)
    answer(quiz, right=True)
    assert quiz.view.picture.png == comparison_png(matrix, offered, [question.layer])
    names = ", ".join(matrix.service(s).name for s in offered)
    assert f"Stacks side by side: {names}" in quiz.view.picture.caption.value


def layer_question(kind: str, layer: str, choices: tuple[str, ...]) -> Question:
    return Question(f"{kind}:{layer}", kind, "?", choices, choices[:1], "", None, layer)


def test_a_compare_question_on_a_layer_only_some_services_have(grown_matrix):
    m = grown_matrix
    names = tuple(m.service(s).name for s in ("lambda", "eks", "ecs-fargate"))
    picture = question_picture(m, layer_question("compare", "runtime", names))
    assert picture == StackPicture(("lambda", "ecs-fargate", "eks"), ("runtime",))  # matrix order
    # a question whose choices are owners: every service that has the layer, stated or not
    always = question_picture(m, layer_question("always", "control-plane", ("AWS", "Customer")))
    assert always is not None and always.services == ("ecs-fargate", "eks")
    unstated = question_picture(m, layer_question("always", "guest-os", ("AWS", "Customer")))
    assert unstated is not None and "ecs-fargate" in unstated.services
    assert picture_png(m, picture).startswith(PNG)
    fig = draw_picture(m, picture)
    lit = {p.get_gid() for ax in fig.axes for p in ax.patches if p.get_gid()}
    assert {"highlight:runtime"} <= lit


def test_build_the_stack_overlay_on_a_service_with_an_unstated_layer(grown_matrix):
    m = grown_matrix
    label = Wording(m).label
    stack = m.stack("ecs-fargate")
    assert "guest-os" not in [c.layer for c in stack]  # unstated: never asked
    given = [label(c.owner) for c in stack]
    runtime = [c.layer for c in stack].index("runtime")
    given[runtime] = "Customer"
    assert question_picture(m, q_build(m, "ecs-fargate")) is None  # the attempt is drawn
    fig = draw_stack(m, "ecs-fargate", attempt=given, highlight=["runtime"])
    marks = {
        t.get_gid(): t.get_text()
        for ax in fig.axes
        for t in ax.texts
        if "mark:" in (t.get_gid() or "")
    }
    assert marks["mark:runtime:wrong"] == "✗ Customer"
    assert sum(k.endswith(":right") for k in marks) == len(stack) - 1
    assert not any(k.startswith("mark:guest-os") for k in marks)  # no mark on the unstated layer
    owners = {t.get_gid(): t.get_text() for ax in fig.axes for t in ax.texts}
    assert owners["owner:guest-os"] == "not stated"
    assert attempt_png(m, "ecs-fargate", given).startswith(PNG)
    with pytest.raises(ValueError, match="stated layers"):
        draw_stack(m, "ecs-fargate", attempt=[*given, "AWS"])


def q_build(m, sid: str) -> Question:
    return Question(f"build-the-stack:{sid}", "build-the-stack", "?", ("AWS",), (), "", sid, None)


def test_build_the_stack_shows_the_answers_overlay(matrix):
    quiz = Quiz([q(matrix, "build-the-stack:rds")], matrix=matrix)
    view = quiz.view
    assert isinstance(view, BuildStackView)
    assert not view.picture.shown
    answer(quiz, right=False)
    given = list(view.answer.given)
    assert view.picture.png == attempt_png(matrix, "rds", given)
    wrong = sum(g != p.answer for g, p in zip(given, view.question.parts, strict=True))
    assert f"({wrong} wrong)" in view.picture.caption.value


def test_exam_mode_draws_nothing_until_the_review(matrix):
    bank = [x for x in generate(matrix, seed=1) if x.kind == "true-false"][:3]
    quiz = Quiz(bank, matrix=matrix, mode="exam")
    for _ in bank:
        assert not quiz.view.picture_drawn
        quiz.view.choices.value = quiz.view.question.answer[0]
        quiz.go(+1)
    quiz.submit_button.click()
    assert quiz.finished
    # the review draws a picture only when asked: a button on each reviewed question
    for position in range(3):
        if position:
            quiz.go(+1)
        view = quiz.view
        assert not view.picture_drawn and not view.picture.shown
        assert view.stack_button is not None and view.stack_button in view.tail.children
    quiz.go(-1)
    view = quiz.view
    view.stack_button.click()
    assert view.picture.shown and view.stack_button.description == "Hide the stack"
    view.stack_button.click()
    assert not view.picture.shown and view.stack_button.description == "Show the stack"


def test_a_broken_picture_never_costs_the_answer(matrix, monkeypatch):
    import srmquiz.draw.stacks as stacks

    def broken(*_a, **_k):
        raise RuntimeError("no fonts")

    monkeypatch.setattr(stacks, "picture_png", broken)
    quiz = Quiz([q(matrix, "owner:rds:iam")], matrix=matrix)
    answer(quiz, right=True)
    assert quiz.score == 1
    assert "Correct" in quiz.feedback_text
    assert not quiz.view.picture.shown


def live_figures() -> int:
    gc.collect()
    return sum(isinstance(o, Figure) for o in gc.get_objects())


def rss() -> int:
    """Resident memory of this process in bytes (Linux)."""
    with open("/proc/self/statm") as f:
        return int(f.read().split()[1]) * os.sysconf("SC_PAGE_SIZE")


def test_memory_stays_flat_over_200_questions(matrix):
    bank = generate(matrix, seed=5, services=["ec2"])
    answered = 0
    sizes: dict[int, int] = {}
    while answered < 200:
        quiz = Quiz(bank[:10], matrix=matrix)
        for _ in range(quiz.total):
            answer(quiz, right=answered % 3 != 0)
            quiz.next_button.click()
            answered += 1
        assert quiz.finished
        quiz.close()
        widgets.Widget.close_all()
        bank = bank[10:] + bank[:10]
        if answered in (50, 200):
            gc.collect()
            sizes[answered] = rss()
    assert live_figures() == 0  # every figure was rendered and dropped
    # a leaked figure keeps its canvas (about 2 MB each): 150 of them would be ~300 MB
    grown = sizes[200] - sizes[50]
    assert grown < 25_000_000, f"memory grew by {grown / 1e6:.1f} MB from question 50 to 200"


def test_a_caption_counts_the_hidden_layers_of_the_service_drawn(grown_matrix):
    from srmquiz.widgets.html import picture_caption

    m = grown_matrix
    own = [c.layer for c in m.stack("lambda")]  # 13 stated layers of the matrix's 15
    caption = picture_caption(m, StackPicture(("lambda",), reveal=tuple(own[:3])))
    assert f"{len(own) - 3} layers still hidden" in caption
    fargate = [c.layer for c in m.stack("ecs-fargate")]  # the unstated guest OS is not hidden
    assert "still hidden" not in picture_caption(
        m, StackPicture(("ecs-fargate",), reveal=tuple(fargate))
    )
