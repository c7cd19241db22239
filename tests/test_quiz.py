"""The quiz widgets, driven as a learner would: set values, click buttons."""

from __future__ import annotations

import dataclasses

import ipywidgets as widgets
import pytest
from ipywidgets.widgets.widget_link import Link

from srmquiz.core.bank import generate
from srmquiz.core.matrix import Matrix
from srmquiz.core.questions import Question
from srmquiz.core.wording import count
from srmquiz.notebook import quiz as make_quiz
from srmquiz.widgets.feedback import single_detail_html, single_verdict_html
from srmquiz.widgets.html import Picture, esc, png_size
from srmquiz.widgets.quiz import BuildStackView, MultiChoiceView, Quiz, SingleChoiceView
from srmquiz.widgets.style import css


def q(matrix: Matrix, qid: str, seed: int = 0) -> Question:
    return next(x for x in generate(matrix, seed=seed) if x.id == qid)


def wrong_choice(question: Question) -> str:
    return next(c for c in question.choices if c not in question.answer)


def answer(quiz: Quiz, right: bool) -> None:
    """Answer the question on screen, rightly or wrongly, like a learner."""
    view, question = quiz.view, quiz.view.question
    if isinstance(view, SingleChoiceView):
        view.choices.value = question.answer[0] if right else wrong_choice(question)
    elif isinstance(view, MultiChoiceView):
        for box in view.boxes:
            box.value = (box.description in question.answer) == right
        if not right and not view.selected():
            view.boxes[0].value = True
        view.check.click()
    elif isinstance(view, BuildStackView):
        for part in question.parts:
            chosen = part.answer if right else ("Customer" if part.answer == "AWS" else "AWS")
            view.rows[part.layer].value = chosen
        view.check.click()


def test_single_choice_feedback_is_prepared_and_linked_client_side(matrix):
    question = q(matrix, "owner:ec2:guest-os")
    quiz = Quiz([question], matrix=matrix)
    view = quiz.view
    assert isinstance(view, SingleChoiceView)
    # one pre-rendered verdict and one detail pane per choice, in choice order, each
    # switched by a jslink in the browser
    assert len(view.feedback.children) == len(question.choices)
    assert len(view.details.children) == len(question.choices)
    assert isinstance(view.link, Link) and isinstance(view.detail_link, Link)
    assert view.link.source == (view.choices, "index")
    assert view.link.target == (view.feedback, "selected_index")
    assert view.detail_link.source == (view.choices, "index")
    assert view.detail_link.target == (view.details, "selected_index")
    for choice, pane, detail in zip(question.choices, view.panes, view.detail_panes, strict=True):
        assert pane.value == single_verdict_html(question, choice, announce=True)
        assert detail.value == single_detail_html(matrix, question, choice)
        assert 'role="alert"' in pane.value  # screen readers read the verdict out
    assert "✓ Correct." in view.panes[question.choices.index("Customer")].value
    assert "✗ Not quite." in view.panes[question.choices.index("AWS")].value
    assert view.feedback.selected_index is None and quiz.feedback_text == ""
    # the kernel still records the answer
    view.choices.value = "Customer"
    assert quiz.answers[0].given == ("Customer",) and quiz.answers[0].correct
    assert quiz.score_label.value == "Score: 1 of 1"


def test_right_path_whole_quiz_and_summary(matrix):
    bank = generate(matrix, seed=2)
    kinds = ["owner", "which-are", "build-the-stack", "scenario", "true-false"]
    questions = [next(x for x in bank if x.kind == k) for k in kinds]
    quiz = Quiz(questions, matrix=matrix)
    for i in range(len(questions)):
        assert quiz.progress.value == f"Question {i + 1} of 5"
        quiz.next_button.click()  # Next waits for an answer, and says so
        assert quiz.progress.value == f"Question {i + 1} of 5"
        assert "Choose an answer first" in quiz.warning.value
        answer(quiz, right=True)
        assert quiz.warning.value == ""
        assert "✓ Correct." in quiz.feedback_text
        assert esc(quiz.view.question.explanation) in quiz.feedback_text
        assert quiz.score_label.value == f"Score: {i + 1} of {i + 1}"
        quiz.next_button.click()
    assert quiz.finished
    assert "You scored 5 of 5 (100%)" in quiz.summary.value
    assert "Amazon EC2" in quiz.summary.value or "Amazon RDS" in quiz.summary.value
    assert quiz.review_button.disabled  # nothing to review


def test_wrong_path_says_why_and_review_reasks_exactly_the_missed(matrix):
    bank = generate(matrix, seed=4)
    questions = [x for x in bank if x.kind in ("owner", "compare", "category")][:6]
    quiz = Quiz(questions, matrix=matrix)
    missed = []
    for i in range(6):
        right = i % 2 == 0
        if not right:
            missed.append(quiz.view.question.id)
        answer(quiz, right=right)
        text = quiz.feedback_text
        if right:
            assert "✓ Correct." in text
        else:
            assert "✗ Not quite." in text and "The answer is" in text
            if isinstance(quiz.view, SingleChoiceView):
                assert "Why not" in text
        quiz.next_button.click()
    assert "You scored 3 of 6 (50%)" in quiz.summary.value
    assert not quiz.review_button.disabled
    quiz.review_button.click()
    assert [x.id for x in quiz.questions] == missed
    assert quiz.progress.value == "Question 1 of 3"
    for _ in missed:
        answer(quiz, right=True)
        quiz.next_button.click()
    assert "You scored 3 of 3" in quiz.summary.value


def test_build_the_stack_checks_layer_by_layer(matrix):
    question = q(matrix, "build-the-stack:rds")
    quiz = Quiz([question], matrix=matrix)
    view = quiz.view
    assert isinstance(view, BuildStackView)
    # a row for every layer of RDS (the course's twelve), data on top; not the matrix's 15
    assert list(reversed(view.rows)) == [c.layer for c in matrix.stack("rds")]
    assert len(view.rows) == 12 < len(matrix.layers)
    view.check.click()
    assert "12 left" in view.message.value and not quiz.answers
    for part in question.parts:
        view.rows[part.layer].value = part.answer
    view.rows["guest-os"].value = "Customer"  # the classic EC2 habit
    view.check.click()
    assert not quiz.answers[0].correct
    assert "11 of 12 layers right" in view.verdict.value
    assert "✗ Customer; it is <strong>AWS</strong>" in view.marks["guest-os"].value
    assert view.marks["iam"].value.startswith("<span>✓")
    assert all(t.disabled for t in view.rows.values())


def test_double_clicks_and_changes_after_feedback_count_once(matrix):
    single = q(matrix, "owner:s3:iam")
    multi = q(matrix, "which-are:ec2:aws")
    quiz = Quiz([single, multi], matrix=matrix)
    quiz.next_button.click()  # Next before answering: nothing happens
    assert quiz.progress.value == "Question 1 of 2"
    quiz.view.choices.value = "AWS"  # wrong first answer
    quiz.view.choices.value = "Customer"  # changing it after feedback
    assert quiz.view.choices.value == "AWS"  # the scored answer stays on screen
    assert len(quiz.answers) == 1 and not quiz.answers[0].correct
    assert "✗ Not quite." in quiz.feedback_text
    quiz.next_button.click()
    quiz.next_button.click()  # a double click on Next does not skip the question
    assert quiz.progress.value == "Question 2 of 2"
    quiz.view.check.click()  # Check with nothing selected
    assert "Select at least one" in quiz.view.message.value and len(quiz.answers) == 1
    for box in quiz.view.boxes:
        box.value = box.description in multi.answer
    quiz.view.check.click()
    quiz.view.check.click()
    assert len(quiz.answers) == 2 and quiz.score == 1
    quiz.next_button.click()
    quiz.next_button.click()
    assert quiz.finished and "You scored 1 of 2" in quiz.summary.value


def test_exam_mode_warns_about_unanswered_then_reviews(matrix):
    bank = generate(matrix, seed=9, kinds=["owner", "which-are"])
    questions = [x for x in bank if x.kind == "owner"][:2] + [
        x for x in bank if x.kind == "which-are"
    ][:1]
    quiz = make_quiz(n=3, seed=1, mode="exam")
    assert isinstance(quiz, Quiz)
    quiz = Quiz(questions, matrix=matrix, mode="exam")
    seen = []
    quiz.on_answer(seen.append)
    assert quiz.view.link is None  # no feedback in exam mode
    quiz.view.choices.value = questions[0].answer[0]
    quiz.view.choices.value = wrong_choice(questions[0])  # may change its mind before submitting
    assert quiz.feedback_text == ""
    assert quiz.score_label.value == "Answered: 1 of 3"
    quiz.next_button.click()
    quiz.next_button.click()
    assert quiz.progress.value == "Question 3 of 3"
    quiz.view.boxes[0].value = True
    quiz.submit_button.click()
    assert "1 question not answered yet: 2." in quiz.warning.value
    assert not quiz.finished and quiz.submit_button.description == "Submit anyway"
    quiz.submit_button.click()
    assert quiz.finished and not seen[0].correct and len(seen) == 2
    assert "You scored" in quiz.summary.value and quiz.score == int(seen[1].correct)
    # the review shows one question at a time with its feedback, numbered, under the
    # summary; Previous, Next and "Go to" page through them
    first = quiz.view
    assert quiz.after.children[1] is first and "Question 1 of 3" in first.number.value
    assert quiz.children.index(quiz.summary) < quiz.children.index(quiz.after)
    assert "role=" not in first.feedback_text()  # a review is read, not announced
    assert "✗ Not quite." in first.feedback_text()
    assert first.choices.value == wrong_choice(questions[0]) and first.choices.disabled
    assert quiz.prev_button.disabled and not quiz.next_button.disabled
    labels = [label for label, _ in quiz.jump.options]
    assert labels[0].startswith("1 · wrong · ") and labels[1].startswith("2 · not answered · ")
    quiz.next_button.click()
    second = quiz.view
    assert "Question 2 of 3" in second.number.value and quiz.after.children[1] is second
    assert "Not answered" in second.message.value
    assert first.closed and list(quiz.round.live) == [1]  # the question left is closed
    quiz.jump.value = 2  # "Go to" question 3
    third = quiz.view
    assert "Question 3 of 3" in third.number.value and quiz.next_button.disabled
    assert [b.value for b in third.boxes][0] and third.boxes[0].disabled  # the kept answer
    assert second.closed and list(quiz.round.live) == [2]
    quiz.review_button.click()
    assert len(quiz.questions) == 3 and quiz.view.link is not None  # review is practice


def test_content_is_escaped(tiny_dir, matrix):
    path = tiny_dir / "matrix.toml"
    evil = "<script>alert(1)</script><img src=x onerror=alert(2)>"
    path.write_text(path.read_text().replace("You patch your own VM.", evil))
    quiz = make_quiz(["vm"], kinds=["owner"], n=None, seed=0, content=tiny_dir)
    assert isinstance(quiz, Quiz)
    while quiz.view.question.id != "owner:vm:guest-os":
        answer(quiz, right=True)
        quiz.next_button.click()
    answer(quiz, right=True)
    text = quiz.feedback_text
    assert "<script>" not in text and "<img" not in text
    assert "&lt;script&gt;alert(1)&lt;/script&gt;&lt;img src=x onerror=alert(2)&gt;" in text


def test_next_clicked_just_before_the_kernel_sees_the_answer_still_moves_on(matrix, monkeypatch):
    """In a kernel, a Next click can arrive a moment before the answer clicked earlier."""
    import asyncio
    import threading

    import srmquiz.widgets.quiz as ui

    monkeypatch.setattr(ui, "in_kernel", lambda: True)
    questions = [q(matrix, "owner:ec2:guest-os"), q(matrix, "owner:s3:iam")]
    seen: dict[str, object] = {}

    async def scenario() -> None:
        quiz = Quiz(questions, matrix=matrix)
        quiz.next_button.click()  # arrives first...
        answer(quiz, right=True)  # ...then the answer it followed
        await asyncio.sleep(0.6)
        seen["moved"] = quiz.progress.value
        seen["warning after answer"] = quiz.warning.value
        quiz.next_button.click()  # a real "too early": nothing answered
        await asyncio.sleep(0.6)
        seen["stayed"] = quiz.progress.value
        seen["warning"] = quiz.warning.value
        # answering well after pressing Next: the feedback stays on screen, no jump ahead
        quiz.next_button.click()
        await asyncio.sleep(0.2)
        answer(quiz, right=False)
        await asyncio.sleep(0.4)
        seen["late answer keeps feedback"] = quiz.progress.value
        seen["score"] = quiz.score

    # its own thread and loop, as a kernel has one (another loop may run in this thread)
    worker = threading.Thread(target=lambda: asyncio.run(scenario()))
    worker.start()
    worker.join(10)
    assert seen["moved"] == "Question 2 of 2" and seen["warning after answer"] == ""
    assert seen["stayed"] == "Question 2 of 2"
    assert "Choose an answer first" in str(seen["warning"])
    assert seen["late answer keeps feedback"] == "Question 2 of 2"
    assert seen["score"] == 1


def test_exam_answered_count_drops_when_a_select_all_answer_is_taken_back(matrix):
    multi = next(x for x in generate(matrix, seed=9) if x.kind == "which-are")
    quiz = Quiz([multi], matrix=matrix, mode="exam")
    quiz.view.boxes[0].value = True
    assert quiz.score_label.value == "Answered: 1 of 1"
    quiz.view.boxes[0].value = False
    assert quiz.score_label.value == "Answered: 0 of 1"
    quiz.submit_button.click()
    assert "1 question not answered yet: 1." in quiz.warning.value


def test_the_quiz_carries_its_own_stylesheet_first(matrix):
    quiz = Quiz([q(matrix, "owner:ec2:guest-os")], matrix=matrix)
    first = quiz.children[0]
    assert isinstance(first, widgets.HTML) and first.value.startswith("<style>")
    sheet = css()
    # the card, a 3px focus ring, and buttons that stay readable when disabled
    assert ".srmquiz" in sheet and "border-radius" in sheet
    assert "outline: 3px solid" in sheet and ":focus-visible" in sheet
    assert "--jp-widgets-disabled-opacity: 1" in sheet
    assert "<" not in sheet  # nothing in the sheet can close the <style> element


@pytest.mark.parametrize(("n", "said"), [(0, "0 layers"), (1, "1 layer"), (2, "2 layers")])
def test_counts_agree_with_their_noun(n, said):
    assert count(n, "layer") == said
    assert count(n, "person", "people") == said.replace("layers", "people").replace(
        "layer", "person"
    )


def test_a_one_layer_stack_says_layer_not_layers(matrix):
    question = q(matrix, "build-the-stack:rds")
    one = dataclasses.replace(question, parts=question.parts[:1], answer=question.answer[:1])
    view = BuildStackView(one, matrix)
    view.rows[one.parts[0].layer].value = one.parts[0].answer
    view.check.click()
    assert "1 of 1 layer right." in view.verdict.value


def test_build_the_stack_rows_run_the_way_the_prompt_says(matrix):
    question = q(matrix, "build-the-stack:rds")
    view = BuildStackView(question, matrix)
    assert "from the top of the stack down" in question.prompt
    assert "bottom to top" not in question.prompt
    top_down = [p.layer for p in reversed(question.parts)]
    assert list(view.rows) == top_down
    # every layer name is wrapping text, never a fixed-width label cut with "…"; one grid
    # holds the rows: name, owner buttons, mark
    grid = next(c for c in view.head.children if isinstance(c, widgets.GridBox))
    labels = list(grid.children[0::3])
    assert list(grid.children[1::3]) == list(view.rows.values())
    assert list(grid.children[2::3]) == list(view.marks.values())
    assert all(isinstance(x, widgets.HTML) and "srmq-layer-name" in x.value for x in labels)
    assert "Network &amp; firewall configuration" in "".join(x.value for x in labels)


def test_build_the_stack_cites_each_source_once(matrix):
    question = q(matrix, "build-the-stack:rds")
    quiz = Quiz([question], matrix=matrix)
    answer(quiz, right=False)
    shown = quiz.feedback_text
    cited = list(dict.fromkeys(s for s, _ in question.sources))
    assert len(cited) < len(question.sources) == 12  # twelve places in a few sources
    line, folded = shown.split("<details>")  # places and notes fold away until asked for
    for sid in cited:
        title = esc(matrix.sources[sid].title)
        assert line.count(title) == 1, title  # each source named once on the line
    assert folded.count("<li>") == len(cited) + len(question.notes)  # one entry each
    # the wrong layers' notes read top down, like the rows
    notes = shown[shown.index("srmq-layer-notes") :]
    wrong = [p.name for p in reversed(question.parts) if f"<strong>{esc(p.name)}</strong>" in notes]
    assert [notes.index(f"<strong>{esc(n)}</strong>") for n in wrong] == sorted(
        notes.index(f"<strong>{esc(n)}</strong>") for n in wrong
    )


def test_the_summary_has_no_empty_band_and_its_tables_stand_apart(matrix):
    quiz = Quiz([q(matrix, "owner:ec2:guest-os")], matrix=matrix)
    assert quiz.body.layout.min_height is None
    answer(quiz, right=False)
    quiz.next_button.click()
    assert quiz.finished and quiz.body.children == () and quiz.after.children == ()
    assert quiz.summary.value.count("<table class='srmq-breakdown'>") == 2
    assert "class='srmq-breakdowns'" in quiz.summary.value
    assert ".srmq-breakdowns" in css() and "table-layout: fixed" in css()


def test_the_picture_has_a_text_alternative_and_keeps_its_height(matrix):
    quiz = Quiz([q(matrix, "owner:ec2:guest-os")], matrix=matrix)
    answer(quiz, right=True)
    img = quiz.view.picture.image.value
    assert img.startswith('<img class="srmq-picture-img" alt="The Amazon EC2 stack, bottom to top')
    width, height = png_size(quiz.view.picture.png) or (0, 0)
    assert f'width="{width}" height="{height}"' in img  # reserved before it is decoded
    assert "<em>" not in img  # the caption's words, not its markup


def test_a_hostile_caption_stays_text_in_the_alt(matrix):
    picture = Picture()
    picture.show(b"\x89PNG\r\n\x1a\n" + bytes(16), esc('"><script>x()</script>'))
    assert "<script>" not in picture.image.value
    assert 'alt="&quot;&gt;&lt;script&gt;x()&lt;/script&gt;"' in picture.image.value
