"""The quiz widgets: question views, and the Quiz that renders a run of them.

Widgets only: what a click means (rounds, score, practice and exam rules, the guard
against a Next that overtakes its answer) is decided by
:class:`~srmquiz.core.quizrun.QuizRun`; grading comes from
:class:`~srmquiz.core.questions.Question`; the feedback HTML from
:mod:`srmquiz.widgets.feedback`. Everything that reaches an HTML widget is escaped.

Single-choice feedback is prepared for every choice in advance and switched in the
browser: ``jslink((toggle, "index"), (stack, "selected_index"))`` shows the pane of
the clicked choice in the same frame, while an observer in the kernel records and
scores the answer (measured in tests/benchmarks).
"""

from __future__ import annotations

import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from functools import partial

import ipywidgets as widgets
from ipywidgets.widgets.widget_bool import CheckboxStyle
from ipywidgets.widgets.widget_string import HTMLStyle

from srmquiz.core.bank import explain_shared_once
from srmquiz.core.matrix import Matrix
from srmquiz.core.questions import Answer, Question
from srmquiz.core.quizrun import (
    RACE_WINDOW_S,
    RECHECK_AFTER_S,
    EarlyNext,
    Outcome,
    QuizRun,
    Round,
)
from srmquiz.core.wording import count
from srmquiz.widgets.feedback import (
    explanation_html,
    feedback_picture,
    multi_detail_html,
    multi_verdict_html,
    single_detail_html,
    single_verdict_html,
    summary_html,
    unanswered_html,
    unanswered_verdict_html,
)
from srmquiz.widgets.html import (
    RIGHT_MARK,
    WRONG_MARK,
    Picture,
    esc,
    no_picture_html,
    notice_html,
    verdict_html,
)
from srmquiz.widgets.style import stylesheet

__all__ = [
    "BuildStackView",
    "MultiChoiceView",
    "QuestionView",
    "Quiz",
    "QuizScreen",
    "RoundViews",
    "SingleChoiceView",
    "call_later_in_kernel",
    "feedback_picture",
    "in_kernel",
    "make_view",
]

AnswerHook = Callable[[Answer], None]


def in_kernel() -> bool:
    """Running inside a Jupyter kernel (where widget messages arrive asynchronously)."""
    import sys

    shell = getattr(sys.modules.get("IPython"), "get_ipython", lambda: None)()
    return shell is not None and getattr(shell, "kernel", None) is not None


def _box(
    kind: type[widgets.Box],
    layout: widgets.Layout,
    cls: str,
    children: Sequence[widgets.Widget] = (),
) -> widgets.Box:
    box = kind(list(children), layout=layout)
    box.add_class(cls)
    return box


class QuestionView(widgets.VBox):
    """Base class: one question on screen, reporting the first answer to `on_answer`.

    Two parts, so the quiz can put its Next button between them: :attr:`head` (prompt,
    choices, Check, the one-line verdict) and :attr:`tail` (why, sources and the picture,
    side by side where there is room). Focus moves to Next after an answer, and a browser
    scrolls a focused control into view: with Next right under the verdict, the verdict
    and the start of the explanation stay on screen whatever the picture's size.
    """

    question: Question

    def __init__(self, question: Question, matrix: Matrix | None, *, exam: bool) -> None:
        self.question = question
        self.matrix = matrix
        self.exam = exam
        self.answer: Answer | None = None
        self.shown_at = time.monotonic()
        self.answered_at: float | None = None
        """When the kernel received the scored answer (time.monotonic())."""
        self._hooks: list[AnswerHook] = []
        self._clear_hooks: list[Callable[[], None]] = []
        # Every widget is a model the kernel sends to the browser (with its own Layout and
        # Style models unless given shared ones): the view's text and boxes share one
        # layout and one style, which keeps a ten-question quiz quick to build.
        self._text_layout = widgets.Layout()
        self._text_style = HTMLStyle()
        self._box_layout = widgets.Layout(width="100%")
        self.message = self._html("")
        self.number: widgets.HTML | None = None
        """"Question 3 of 8" above the question in an exam review (made then)."""
        prompt = esc(question.prompt)
        if question.title:
            prompt = f"<strong>{esc(question.title)}</strong><br>{prompt}"
        self.prompt = self._html(f'<div class="srmq-prompt">{prompt}</div>')
        self.picture = Picture()
        self.stack_button: widgets.Button | None = None
        """In an exam review: draws the picture when asked (and hides it again)."""
        self._prepared = False
        self._pending: tuple[bytes, str, str] | None = None
        self.head = _box(widgets.VBox, self._box_layout, "srmq-question")
        self.tail = _box(widgets.VBox, self._box_layout, "srmq-question-tail")
        super().__init__([self.head, self.tail], layout=self._box_layout)
        self.add_class("srmq-view")

    def _html(self, value: str) -> widgets.HTML:
        return widgets.HTML(value, layout=self._text_layout, style=self._text_style)

    def _lay_out(
        self, controls: Sequence[widgets.Widget], verdict: widgets.Widget, detail: widgets.Widget
    ) -> None:
        self.head.children = [self.prompt, *controls, self.message, verdict]
        detail.add_class("srmq-detail")
        self.tail.children = [
            _box(widgets.HBox, self._box_layout, "srmq-feedback-row", [detail, self.picture])
        ]

    def prepare(self) -> None:
        """Render the feedback picture (once, when the question is first shown)."""
        if self._prepared:
            return
        self._prepared = True
        try:
            found = feedback_picture(self.matrix, self.question)
        except Exception as exc:  # a picture is a bonus: never lose the question over it
            self.message.value = no_picture_html(exc)
            return
        if found is not None:
            png, caption = found
            width = "380px" if self.question.service else "760px"
            self._picture_ready(png, caption, width)

    def _picture_ready(self, png: bytes, caption: str, width: str) -> None:
        self._pending = (png, caption, width)  # shown with the feedback, not before
        if self.answered and not self.exam:
            self._reveal_picture()

    @property
    def picture_drawn(self) -> bool:
        """The feedback picture is rendered (it shows once the question is answered)."""
        return self._pending is not None

    def _reveal_picture(self) -> None:
        if self._pending is not None and not self.picture.shown:
            png, caption, width = self._pending
            self.picture.show(png, caption, width=width)

    def _draw_picture(self) -> None:
        """Draw and show the feedback picture (in an exam review: when asked)."""
        self.prepare()
        self._reveal_picture()

    def _offer_picture(self) -> None:
        """Exam review: a button draws the picture on demand, none is drawn before."""
        about = self.question.service or self.question.layer
        if self.stack_button is None and self.matrix is not None and about:
            self.stack_button = widgets.Button(
                description="Show the stack", tooltip="Draw this question's stack picture"
            )
            self.stack_button.on_click(self._toggle_picture)
            self.tail.children = [*self.tail.children, self.stack_button]

    def _toggle_picture(self, _button: object = None) -> None:
        if self.picture.shown:
            self.picture.hide()
        elif self.picture.png:
            self.picture.layout.display = None
        else:
            self._draw_picture()
        if self.stack_button is not None:
            shown = self.picture.shown
            self.stack_button.description = "Hide the stack" if shown else "Show the stack"

    def set_number(self, number: int, total: int) -> None:
        """Head the question with "Question n of N" (the exam review lists them all)."""
        heading = f'<h4 class="srmq-number">Question {number} of {total}</h4>'
        if self.number is None:
            self.number = self._html(heading)
            self.head.children = [self.number, *self.head.children]
        self.number.value = heading

    def on_answer(self, hook: AnswerHook) -> None:
        """Call hook(answer) when an answer is recorded (in exam mode: every change)."""
        self._hooks.append(hook)

    def on_clear(self, hook: Callable[[], None]) -> None:
        """Call hook() when an exam answer is taken back to nothing."""
        self._clear_hooks.append(hook)

    def _record(self, given: Sequence[str]) -> None:
        if self.answer is not None and not self.exam:
            return  # the first answer is the one scored
        self.answered_at = time.monotonic()
        self.answer = Answer.of(self.question, given, self.answered_at - self.shown_at)
        for hook in self._hooks:
            hook(self.answer)

    @property
    def answered(self) -> bool:
        """An answer is recorded (and, in practice, locked)."""
        return self.answer is not None

    def feedback_text(self) -> str:
        """The feedback HTML the learner currently sees ("" when none)."""
        raise NotImplementedError

    def reveal(self) -> None:
        """Exam review: show the feedback for whatever was answered (pictures on demand)."""
        raise NotImplementedError


def _choice_buttons(options: Sequence[str], **kwargs: object) -> widgets.ToggleButtons:
    toggle = widgets.ToggleButtons(options=list(options), value=None, **kwargs)
    toggle.add_class("srmq-choices")
    return toggle


class SingleChoiceView(QuestionView):
    """One click answers: toggle buttons, feedback panes switched client-side."""

    def __init__(self, question: Question, matrix: Matrix | None, *, exam: bool = False) -> None:
        super().__init__(question, matrix, exam=exam)
        self.choices = _choice_buttons(
            question.choices,
            style={"button_width": "auto"},
            layout=widgets.Layout(width="auto"),
        )
        announce = not exam
        self.panes = [
            self._html(single_verdict_html(question, c, announce=announce))
            for c in question.choices
        ]
        """The verdict for each choice, in choice order."""
        self.detail_panes = [
            self._html(single_detail_html(matrix, question, c)) for c in question.choices
        ]
        """Why not, why and sources for each choice, in choice order."""
        # The verdict and explanation switch in the browser in the frame of the click;
        # the picture beside them follows from the kernel a round trip later, which keeps
        # that first frame light (measured in tests/benchmarks).
        self.feedback = widgets.Stack(
            children=self.panes, selected_index=None, layout=self._text_layout
        )
        self.feedback.add_class("srmq-feedback")
        self.details = widgets.Stack(
            children=self.detail_panes, selected_index=None, layout=self._text_layout
        )
        self.link: widgets.Link | None = None
        self.detail_link: widgets.Link | None = None
        if not exam:
            self.link = widgets.jslink((self.choices, "index"), (self.feedback, "selected_index"))
            self.detail_link = widgets.jslink(
                (self.choices, "index"), (self.details, "selected_index")
            )
        self.choices.observe(self._changed, names="index")
        self._lay_out([self.choices], self.feedback, self.details)

    def _show(self, index: int) -> None:
        # also set from the kernel, for front ends without the jslink
        self.feedback.selected_index = index
        self.details.selected_index = index

    def _changed(self, change: dict[str, object]) -> None:
        index = change["new"]
        if self.exam:
            if isinstance(index, int):
                self._record([self.question.choices[index]])
            return
        if self.answer is not None:
            # Already answered (a double click or a second choice raced the lock):
            # put the scored answer back on screen.
            first = self.question.choices.index(self.answer.given[0])
            if index != first:
                self.choices.index = first
            return
        if isinstance(index, int):
            self._show(index)
            self._record([self.question.choices[index]])
            self._reveal_picture()
            self.choices.disabled = True

    def feedback_text(self) -> str:
        """The feedback HTML the learner currently sees ("" when none)."""
        i = self.feedback.selected_index
        return self.panes[i].value + self.detail_panes[i].value if i is not None else ""

    def reveal(self) -> None:
        """Exam review: show the feedback for whatever was answered (pictures on demand)."""
        self.choices.disabled = True
        if self.choices.index is not None:
            self._show(self.choices.index)
        else:
            self.message.value = unanswered_html(self.matrix, self.question)
        self._offer_picture()


class MultiChoiceView(QuestionView):
    """Select all that apply, then Check."""

    def __init__(self, question: Question, matrix: Matrix | None, *, exam: bool = False) -> None:
        super().__init__(question, matrix, exam=exam)
        box_layout, box_style = widgets.Layout(width="auto"), CheckboxStyle()
        self.boxes = [
            widgets.Checkbox(
                value=False, description=c, indent=False, layout=box_layout, style=box_style
            )
            for c in question.choices
        ]
        self.check = widgets.Button(
            description="Check", button_style="primary", tooltip="Check my answer"
        )
        self.check.on_click(self._check)
        self.verdict = self._html("")
        self.feedback = self._html("")
        """Choice by choice, why, and the sources (the verdict is in :attr:`verdict`)."""
        self.feedback.add_class("srmq-multi-feedback")
        for box in self.boxes:
            box.observe(self._toggled, names="value")
        boxes = _box(widgets.VBox, self._box_layout, "srmq-checkboxes", self.boxes)
        controls = [boxes] if exam else [boxes, self.check]
        self._lay_out(controls, self.verdict, self.feedback)

    def selected(self) -> list[str]:
        """The ticked choices, in choice order."""
        return [b.description for b in self.boxes if b.value]

    def _toggled(self, _change: object) -> None:
        if self.exam:
            chosen = self.selected()
            if chosen:
                self._record(chosen)
            else:
                self.answer = None
                for hook in self._clear_hooks:
                    hook()
        self.message.value = ""

    def _check(self, _button: object = None) -> None:
        if self.answer is not None:
            return  # a second click changes nothing
        chosen = self.selected()
        if not chosen:
            self.message.value = "<p>Select at least one answer, then press Check.</p>"
            return
        self.message.value = ""
        # feedback first: recording (and drawing the next question's picture) can wait
        self._show(chosen)
        self._reveal_picture()
        for box in self.boxes:
            box.disabled = True
        self.check.disabled = True
        self._record(chosen)

    def _show(self, chosen: Sequence[str]) -> None:
        self.verdict.value = multi_verdict_html(self.question, chosen, announce=not self.exam)
        self.feedback.value = multi_detail_html(self.matrix, self.question, chosen)

    def feedback_text(self) -> str:
        """The feedback HTML the learner currently sees ("" when none)."""
        return f"{self.verdict.value}{self.feedback.value}"

    def reveal(self) -> None:
        """Exam review: show the feedback for whatever was answered (pictures on demand)."""
        for box in self.boxes:
            box.disabled = True
        chosen = self.selected()
        if chosen:
            self._show(chosen)
        else:
            self.verdict.value = unanswered_verdict_html(self.question)
            self.feedback.value = explanation_html(self.matrix, self.question)
        self._offer_picture()


class BuildStackView(QuestionView):
    """Assign an owner to every layer, rows from the top of the stack down (as the prompt
    says and the picture draws it), then Check layer by layer."""

    def __init__(self, question: Question, matrix: Matrix | None, *, exam: bool = False) -> None:
        super().__init__(question, matrix, exam=exam)
        self.rows: dict[str, widgets.ToggleButtons] = {}
        self.marks: dict[str, widgets.HTML] = {}
        lines = []
        toggle_layout = widgets.Layout(width="auto")
        toggle_style = widgets.ToggleButtonsStyle(button_width="6.5em")
        for part in reversed(question.parts):  # shown like the AWS diagram: data on top
            toggle = _choice_buttons(
                question.choices,
                style=toggle_style,
                layout=toggle_layout,
                tooltips=[f"{part.name}: {c}" for c in question.choices],
            )
            toggle.observe(self._changed, names="value")
            mark = self._html("")
            mark.add_class("srmq-mark")
            self.rows[part.layer] = toggle
            self.marks[part.layer] = mark
            # an HTML name wraps where a Label would cut "Network & firewall configuration"
            label = self._html(f'<span class="srmq-layer-name">{esc(part.name)}</span>')
            label.add_class("srmq-layer-label")
            lines.append(
                _box(widgets.HBox, self._box_layout, "srmq-stack-row", [label, toggle, mark])
            )
        self.check = widgets.Button(
            description="Check", button_style="primary", tooltip="Check every layer"
        )
        self.check.on_click(self._check)
        self.verdict = self._html("")
        self.feedback = self._html("")
        """The wrong layers' reasons, why, and the sources (the verdict is in :attr:`verdict`)."""
        stack = _box(widgets.VBox, self._box_layout, "srmq-stack-rows", lines)
        controls = [stack] if exam else [stack, self.check]
        self._lay_out(controls, self.verdict, self.feedback)
        self._given: list[str | None] | None = None

    def choices_by_layer(self) -> list[str | None]:
        """The chosen owner per layer, bottom to top (None where nothing is chosen)."""
        return [self.rows[p.layer].value for p in self.question.parts]

    def _changed(self, _change: object) -> None:
        self.message.value = ""
        if self.exam:
            chosen = self.choices_by_layer()
            if all(c is not None for c in chosen):
                self._record([c for c in chosen if c is not None])

    def _check(self, _button: object = None) -> None:
        if self.answer is not None:
            return
        chosen = self.choices_by_layer()
        missing = [p.name for p, c in zip(self.question.parts, chosen, strict=True) if c is None]
        if missing:
            self.message.value = (
                f"<p>Choose an owner for every layer first ({len(missing)} left: "
                f"{esc(', '.join(reversed(missing)))}).</p>"
            )
            return
        given = [c for c in chosen if c is not None]
        self._show(given)
        self._draw_picture()
        for toggle in self.rows.values():
            toggle.disabled = True
        self.check.disabled = True
        self._record(given)

    def _show(self, given: Sequence[str | None]) -> None:
        self._given = list(given)
        right = 0
        wrong_notes = []
        for part, choice in zip(self.question.parts, given, strict=True):
            if choice == part.answer:
                right += 1
                self.marks[part.layer].value = f"<span>{RIGHT_MARK} right</span>"
            else:
                said = "no answer" if choice is None else esc(choice)
                self.marks[
                    part.layer
                ].value = (
                    f"<span>{WRONG_MARK} {said}; it is <strong>{esc(part.answer)}</strong></span>"
                )
                wrong_notes.append(
                    f"<li><strong>{esc(part.name)}</strong> is {esc(part.answer)}: "
                    f"{esc(part.explanation)}</li>"
                )
        total = len(self.question.parts)
        detail = f"{right} of {count(total, 'layer')} right."
        # top of the stack first, as the rows above run
        notes = (
            f"<ul class='srmq-layer-notes'>{''.join(reversed(wrong_notes))}</ul>"
            if wrong_notes
            else ""
        )
        self.verdict.value = verdict_html(right == total, detail, announce=not self.exam)
        self.feedback.value = notes + explanation_html(self.matrix, self.question)

    def _draw_picture(self) -> None:
        """Your stack: each layer marked right or wrong, with what was chosen."""
        if self.matrix is None or not self.question.service or self._given is None:
            return
        from srmquiz.draw.stacks import attempt_png

        name = self.matrix.service(self.question.service).name
        wrong = sum(g != p.answer for g, p in zip(self._given, self.question.parts, strict=True))
        caption = (
            f"Your {esc(name)} stack: ✓ marks a right layer; ✗ marks a wrong one, "
            f"outlined, with what you chose ({wrong} wrong)."
        )
        self.picture.show(
            attempt_png(self.matrix, self.question.service, self._given),
            caption,
            width="460px",
        )

    def feedback_text(self) -> str:
        """The feedback HTML the learner currently sees ("" when none)."""
        return f"{self.verdict.value}{self.feedback.value}"

    def reveal(self) -> None:
        """Exam review: show the feedback for whatever was answered (pictures on demand)."""
        for toggle in self.rows.values():
            toggle.disabled = True
        self._show(self.choices_by_layer())
        self._offer_picture()


def make_view(question: Question, matrix: Matrix | None, *, exam: bool = False) -> QuestionView:
    """The right view for a question's kind."""
    if question.kind == "build-the-stack":
        return BuildStackView(question, matrix, exam=exam)
    if question.multi:
        return MultiChoiceView(question, matrix, exam=exam)
    return SingleChoiceView(question, matrix, exam=exam)


@dataclass
class RoundViews:
    """The views of the round on screen, beside the run's record of it."""

    state: Round
    """The run's round: questions, kept answers, position."""
    views: list[QuestionView]
    """One view per question, in question order."""


def call_later_in_kernel(delay: float, callback: Callable[[], None]) -> bool:
    """Call `callback` after `delay` seconds on the kernel's event loop; False outside a kernel."""
    import asyncio

    if not in_kernel():
        return False  # plain Python: nothing can still be on its way
    try:
        loop = asyncio.get_running_loop()
    except RuntimeError:
        return False
    loop.call_later(delay, callback)
    return True


def _with_shared_meaning(matrix: Matrix | None, questions: Sequence[Question]) -> list[Question]:
    return explain_shared_once(matrix, questions) if matrix is not None else list(questions)


class QuizScreen(widgets.VBox):
    """A quiz run on screen: its widgets, and how the run's round looks on them; decides nothing."""

    def __init__(self, run: QuizRun, matrix: Matrix | None, title: str) -> None:
        self.run = run
        """Rounds, answers and rules: what every click means is decided there."""
        self.matrix = matrix
        self.round: RoundViews
        """The round on screen: its views and the run's record of it."""
        self.title = widgets.HTML(f"<h3 class='srmq-title'>{esc(title)}</h3>" if title else "")
        self.progress = widgets.Label("")
        self.score_label = widgets.Label("")
        self.body = widgets.VBox()
        """The question (practice: its head, down to the verdict; exam: all of it)."""
        self.after = widgets.VBox()
        """Below the buttons: the practice question's tail (why, sources, picture), or the
        questions of an exam review."""
        self.prev_button = widgets.Button(description="Previous", tooltip="Previous question")
        self.next_button = widgets.Button(description="Next", tooltip="Next question")
        self.submit_button = widgets.Button(
            description="Submit", button_style="warning", tooltip="Hand in the exam"
        )
        self.review_button = widgets.Button(description="Review my mistakes", button_style="info")
        self.new_button = widgets.Button(description="New quiz")
        self.warning = widgets.HTML("")
        self.notice = widgets.HTML("")
        """A line about progress keeping (e.g. a database that had to be moved aside)."""
        self.summary = widgets.HTML("")
        self.nav = widgets.HBox()
        self.nav.add_class("srmq-nav")
        status = widgets.HBox(
            [self.progress, self.score_label],
            layout=widgets.Layout(justify_content="space-between"),
        )
        status.add_class("srmq-status")
        # Next sits right under the verdict, before the explanation and the picture: see
        # QuestionView. The summary comes before the buttons and the reviewed questions.
        parts = [
            stylesheet(),
            self.title,
            self.notice,
            status,
            self.summary,
            self.body,
            self.warning,
            self.nav,
            self.after,
        ]
        super().__init__(parts, layout=widgets.Layout(width="100%", max_width="60em"))
        self.add_class("srmquiz")

    @property
    def view(self) -> QuestionView:
        """The question on screen."""
        return self.round.views[self.run.position]

    @property
    def feedback_text(self) -> str:
        """The feedback HTML the learner currently sees ("" when none)."""
        return self.view.feedback_text()

    def set_notice(self, text: str) -> None:
        """Show one line (plain text, escaped) above the quiz; "" removes it."""
        self.notice.value = notice_html(esc(text)) if text else ""

    def show_new_round(self, views: list[QuestionView]) -> None:
        """Put the views of the run's new round on screen, clearing what the last one left."""
        self.round = RoundViews(self.run.round, views)
        self.summary.value = ""
        self.warning.value = ""
        self.submit_button.description = "Submit"
        self.show_question()

    def show_question(self) -> None:
        """Put the question at the round's position on screen."""
        if self.run.rules.feedback:
            self.warning.value = ""
            self.view.prepare()  # exam mode draws at the review, not before
            self.body.children = [self.view.head]
            self.after.children = [self.view.tail]
        else:
            self.body.children = [self.view]
            self.after.children = []
        self.show_status()

    def show_status(self) -> None:
        """Show where the learner is, the score (or answered count) and the buttons that fit."""
        state = self.run.round
        self.progress.value = f"Question {state.position + 1} of {state.total}"
        if state.finished:
            return
        if state.rules.submits:
            self.score_label.value = f"Answered: {len(state.answers)} of {state.total}"
            self.prev_button.disabled = state.position == 0
            self.next_button.disabled = state.last
            self.nav.children = [self.prev_button, self.next_button, self.submit_button]
        else:
            self.score_label.value = f"Score: {state.score} of {len(state.answers)}"
            self.next_button.description = "Finish" if state.last else "Next"
            self.next_button.tooltip = "See my results" if state.last else "Next question"
            self.next_button.disabled = False
            self.nav.children = [self.next_button]

    def show_answered(self) -> None:
        """Refresh after an answer counted; with feedback, move focus and draw ahead."""
        self.warning.value = ""
        self.show_status()
        state = self.run.round
        if state.rules.feedback:
            # the answered controls are now disabled, which drops keyboard focus: hand it
            # to Next, so Enter moves on and Shift+Tab goes back to the feedback
            self.next_button.focus()
            if not state.last:  # draw the next picture while the learner reads this feedback
                self.round.views[state.position + 1].prepare()

    def show_needs_answer(self) -> None:
        """Say that Next waits for an answer."""
        self.warning.value = notice_html(
            "Choose an answer first; <em>Next</em> moves on once this question is answered."
        )

    def show_unanswered(self) -> None:
        """List the questions left blank, and offer to submit anyway."""
        missing = self.run.unanswered()
        numbers = ", ".join(str(n) for n in missing)
        self.warning.value = notice_html(
            f"{count(len(missing), 'question')} not answered yet: {numbers}. Go back with "
            "Previous/Next, or press <em>Submit anyway</em> to finish now."
        )
        self.submit_button.description = "Submit anyway"

    def show_results(self, *, renewable: bool) -> None:
        """Show the score and summary; without feedback along the way, every question too."""
        state = self.run.round
        self.progress.value = "Finished"
        self.score_label.value = f"Score: {state.score} of {state.total}"
        self.body.children = []
        if state.rules.feedback:
            self.after.children = []
        else:  # the exam review, numbered, under the summary and its buttons
            for i, view in enumerate(self.round.views, start=1):
                view.set_number(i, state.total)
            self.after.children = list(self.round.views)
        self.summary.value = summary_html(self.matrix, state.slots)
        self.review_button.disabled = not state.mistakes()
        self.new_button.disabled = not renewable
        self.nav.children = [self.review_button, self.new_button]


class Quiz(QuizScreen):
    """A whole quiz: progress, score, Next, a summary with review and a new quiz.

    ``mode="practice"`` gives feedback after each answer; ``mode="exam"`` gives none until
    a single Submit (which warns about unanswered questions). Each click asks :attr:`run`
    what it means, then shows the outcome.
    """

    def __init__(
        self,
        questions: Sequence[Question],
        *,
        matrix: Matrix | None = None,
        mode: str = "practice",
        title: str = "",
        new_quiz: Callable[[], Sequence[Question]] | None = None,
        on_answer: AnswerHook | None = None,
    ) -> None:
        run = QuizRun(_with_shared_meaning(matrix, questions), mode)
        self._new_quiz = new_quiz
        self._hooks: list[AnswerHook] = [on_answer] if on_answer else []
        self._finish_hooks: list[Callable[[Quiz], None]] = []
        super().__init__(run, matrix, title)
        self.prev_button.on_click(lambda _b: self.go(-1))
        self.next_button.on_click(lambda _b: self.go(+1))
        self.submit_button.on_click(self._submit)
        self.review_button.on_click(self._review)
        self.new_button.on_click(self._restart)
        self._start()

    @property
    def questions(self) -> list[Question]:
        """The current round's questions."""
        return self.run.questions

    @property
    def answers(self) -> list[Answer]:
        """Scored answers of the current round, in question order."""
        return self.run.answers

    @property
    def score(self) -> int:
        """Right answers in the current round."""
        return self.run.score

    @property
    def total(self) -> int:
        """Questions in the current round."""
        return self.run.total

    @property
    def finished(self) -> bool:
        """The current round is over."""
        return self.run.finished

    def mistakes(self) -> list[Question]:
        """Questions of this round answered wrongly or not at all."""
        return self.run.mistakes()

    def on_answer(self, hook: AnswerHook) -> None:
        """Call hook(answer) whenever a question is answered (the first answer in practice)."""
        self._hooks.append(hook)

    def on_finish(self, hook: Callable[[Quiz], None]) -> None:
        """Call hook(quiz) once when the first round is finished (not after reviews)."""
        self._finish_hooks.append(hook)

    def go(self, step: int) -> None:
        """Move to the next (+1) or previous (-1) question; past the last one, finish."""
        outcome = self.run.move(step)
        if outcome is Outcome.MOVED:
            self.view.shown_at = time.monotonic()
            self.show_question()
        elif outcome is Outcome.FINISHED:
            self._finish()
        elif outcome is Outcome.NEEDS_ANSWER:
            # Next stays enabled (a disabled button would drop keyboard focus). In a kernel a
            # Next click can overtake the answer clicked just before it: look again shortly.
            early = self.run.early_next(time.monotonic())
            if not call_later_in_kernel(RECHECK_AFTER_S, partial(self._settle, early)):
                self.show_needs_answer()

    def _settle(self, early: EarlyNext) -> None:
        decision = self.run.settle(early, RACE_WINDOW_S)
        if decision == "warn":
            self.show_needs_answer()
        elif decision == "move":
            self.go(+1)

    def _start(self) -> None:
        state = self.run.round
        views = [make_view(q, self.matrix, exam=not state.rules.feedback) for q in state.questions]
        for i, v in enumerate(views):
            # a view reports to its own round: one left behind is finished and takes nothing
            v.on_answer(partial(self._answered, state, i, v))
            v.on_clear(partial(self._cleared, state, i))
        self.show_new_round(views)

    def _answered(self, state: Round, position: int, view: QuestionView, answer: Answer) -> None:
        if not state.answer(position, answer, at=view.answered_at):
            return  # not counted: practice keeps the first answer, and none after the end
        if state.rules.feedback:
            for hook in self._hooks:
                hook(answer)
        self.show_answered()

    def _cleared(self, state: Round, position: int) -> None:
        state.clear(position)
        if state is self.run.round:
            self.show_status()  # "Answered: n of N" counts it as unanswered again

    def _submit(self, _button: object = None) -> None:
        outcome = self.run.submit()
        if outcome is Outcome.UNANSWERED:
            self.show_unanswered()
        elif outcome is Outcome.FINISHED:
            self.warning.value = ""
            for slot, view in zip(self.run.round.slots, self.round.views, strict=True):
                if slot.answer is not None:
                    for hook in self._hooks:
                        hook(slot.answer)
                view.reveal()
            self._finish()

    def _finish(self) -> None:
        self.show_results(renewable=self._new_quiz is not None)
        if self.run.first_round:
            for hook in self._finish_hooks:
                hook(self)

    def _review(self, _button: object = None) -> None:
        if self.run.review():
            self._start()

    def _restart(self, _button: object = None) -> None:
        if self._new_quiz is not None and self.run.finished:
            self.run.restart(_with_shared_meaning(self.matrix, self._new_quiz()))
            self._start()
