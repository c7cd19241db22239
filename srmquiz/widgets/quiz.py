"""The quiz widgets: one question at a time, feedback, a summary, review, exam mode.

Widgets only: grading comes from :class:`~srmquiz.core.questions.Question`, content from
the matrix. Everything that reaches an HTML widget is escaped here.

Single-choice feedback is prepared for every choice in advance and switched in the
browser: ``jslink((toggle, "index"), (stack, "selected_index"))`` shows the pane of
the clicked choice in the same frame, while an observer in the kernel records and
scores the answer (measured in tests/benchmarks).
"""

from __future__ import annotations

import time
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field

import ipywidgets as widgets

from srmquiz.core.matrix import Matrix
from srmquiz.core.pictures import question_picture
from srmquiz.core.questions import Answer, Question
from srmquiz.widgets.html import (
    RIGHT_MARK,
    WRONG_MARK,
    Picture,
    esc,
    notice_html,
    picture_caption,
    sources_html,
    verdict_html,
)

AnswerHook = Callable[[Answer], None]


def explanation_html(matrix: Matrix | None, question: Question) -> str:
    return f"<p>{esc(question.explanation)}</p>" + sources_html(matrix, question.sources)


def feedback_picture(matrix: Matrix | None, question: Question) -> tuple[bytes, str] | None:
    """The stack picture for a question's feedback, and a caption that says what it shows.

    Rendered (and cached) only when the question is first shown.
    """
    picture = question_picture(matrix, question) if matrix is not None else None
    if matrix is None or picture is None:
        return None
    from srmquiz.draw.stacks import picture_png

    return picture_png(matrix, picture), picture_caption(matrix, picture)


def in_kernel() -> bool:
    """Running inside a Jupyter kernel (where widget messages arrive asynchronously)."""
    import sys

    shell = getattr(sys.modules.get("IPython"), "get_ipython", lambda: None)()
    return shell is not None and getattr(shell, "kernel", None) is not None


def unanswered_html(matrix: Matrix | None, question: Question) -> str:
    """Exam review of a question left blank."""
    detail = f"Not answered. The answer is <em>{esc(', '.join(question.answer))}</em>."
    return verdict_html(False, detail) + explanation_html(matrix, question)


def single_pane_html(matrix: Matrix | None, question: Question, choice: str) -> str:
    """The feedback shown when `choice` is clicked."""
    if choice in question.answer:
        head = verdict_html(True, f"<em>{esc(choice)}</em> is right.")
        why = ""
    else:
        head = verdict_html(False, f"The answer is <em>{esc(', '.join(question.answer))}</em>.")
        reason = question.why_wrong.get(choice, "")
        why = f"<p><strong>Why not {esc(choice)}:</strong> {esc(reason)}</p>" if reason else ""
    return head + why + explanation_html(matrix, question)


def multi_feedback_html(matrix: Matrix | None, question: Question, given: Iterable[str]) -> str:
    chosen = set(given)
    correct = question.grade(chosen)
    rows = []
    for choice in question.choices:
        right = choice in question.answer
        picked = choice in chosen
        if picked == right:
            mark = f"{RIGHT_MARK} {'selected' if picked else 'left out'}, rightly"
        else:
            mark = f"{WRONG_MARK} {'selected, but it should not be' if picked else 'missed'}"
        note = (
            ""
            if picked == right
            else f"<br><small>{esc(question.why_wrong.get(choice, ''))}</small>"
        )
        rows.append(f"<li><strong>{esc(choice)}</strong>: {mark}{note}</li>")
    detail = "" if correct else f"The answer is <em>{esc(', '.join(question.answer))}</em>."
    return (
        verdict_html(correct, detail)
        + "<ul>"
        + "".join(rows)
        + "</ul>"
        + explanation_html(matrix, question)
    )


class QuestionView(widgets.VBox):
    """Base class: one question on screen, reporting the first answer to `on_answer`."""

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
        self.message = widgets.HTML("")
        prompt = esc(question.prompt)
        if question.title:
            prompt = f"<strong>{esc(question.title)}</strong><br>{prompt}"
        self.prompt = widgets.HTML(
            f'<div class="srmq-prompt" style="font-size:1.1em">{prompt}</div>'
        )
        self.picture = Picture()
        self._prepared = False
        self._pending: tuple[bytes, str, str] | None = None
        super().__init__(layout=widgets.Layout(width="100%"))

    def prepare(self) -> None:
        """Render the feedback picture (once, when the question is first shown)."""
        if self._prepared:
            return
        self._prepared = True
        try:
            found = feedback_picture(self.matrix, self.question)
        except Exception as exc:  # a picture is a bonus: never lose the question over it
            self.message.value = f"<p><small>(No picture: {esc(exc)})</small></p>"
            return
        if found is not None:
            png, caption = found
            width = "380px" if self.question.service else "760px"
            self._picture_ready(png, caption, width)

    def _picture_ready(self, png: bytes, caption: str, width: str) -> None:
        self._pending = (png, caption, width)  # shown with the feedback, not before
        if self.answered:
            self._reveal_picture()

    @property
    def picture_drawn(self) -> bool:
        """The feedback picture is rendered (it shows once the question is answered)."""
        return self._pending is not None

    def _reveal_picture(self) -> None:
        if self._pending is not None and not self.picture.shown:
            png, caption, width = self._pending
            self.picture.show(png, caption, width=width)

    def on_answer(self, hook: AnswerHook) -> None:
        self._hooks.append(hook)

    def _record(self, given: Sequence[str]) -> None:
        if self.answer is not None and not self.exam:
            return  # the first answer is the one scored
        self.answered_at = time.monotonic()
        self.answer = Answer.of(self.question, given, self.answered_at - self.shown_at)
        for hook in self._hooks:
            hook(self.answer)

    @property
    def answered(self) -> bool:
        return self.answer is not None

    def given(self) -> tuple[str, ...] | None:
        """What is selected now (exam mode records it on submit)."""
        raise NotImplementedError

    def feedback_text(self) -> str:
        """The feedback HTML the learner currently sees ("" when none)."""
        raise NotImplementedError

    def reveal(self) -> None:
        """Exam review: show the feedback for whatever was answered."""
        raise NotImplementedError


class SingleChoiceView(QuestionView):
    """One click answers: toggle buttons, feedback panes switched client-side."""

    def __init__(self, question: Question, matrix: Matrix | None, *, exam: bool = False) -> None:
        super().__init__(question, matrix, exam=exam)
        self.choices = widgets.ToggleButtons(
            options=list(question.choices),
            value=None,
            style={"button_width": "auto"},
            layout=widgets.Layout(width="auto"),
        )
        self.panes = [widgets.HTML(single_pane_html(matrix, question, c)) for c in question.choices]
        # The verdict and explanation switch in the browser in the frame of the click;
        # the picture below follows from the kernel a round trip later, which keeps that
        # first frame light (measured in tests/benchmarks).
        self.feedback = widgets.Stack(children=self.panes, selected_index=None)
        self.feedback.add_class("srmq-feedback")
        self.link: widgets.Link | None = None
        if not exam:
            self.link = widgets.jslink((self.choices, "index"), (self.feedback, "selected_index"))
        self.choices.observe(self._changed, names="index")
        self.children = [self.prompt, self.choices, self.message, self.feedback, self.picture]

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
            self.feedback.selected_index = index  # also set from the kernel for non-JS front ends
            self._record([self.question.choices[index]])
            self._reveal_picture()
            self.choices.disabled = True

    def given(self) -> tuple[str, ...] | None:
        return (self.choices.value,) if self.choices.value is not None else None

    def feedback_text(self) -> str:
        i = self.feedback.selected_index
        return self.panes[i].value if i is not None else ""

    def reveal(self) -> None:
        self.prepare()
        self.choices.disabled = True
        if self.choices.index is not None:
            self.feedback.selected_index = self.choices.index
        else:
            self.message.value = unanswered_html(self.matrix, self.question)
        self._reveal_picture()


class MultiChoiceView(QuestionView):
    """Select all that apply, then Check."""

    def __init__(self, question: Question, matrix: Matrix | None, *, exam: bool = False) -> None:
        super().__init__(question, matrix, exam=exam)
        self.boxes = [
            widgets.Checkbox(
                value=False, description=c, indent=False, layout=widgets.Layout(width="auto")
            )
            for c in question.choices
        ]
        self.check = widgets.Button(
            description="Check", button_style="primary", tooltip="Check my answer"
        )
        self.check.on_click(self._check)
        self.feedback = widgets.HTML("")
        self.feedback.add_class("srmq-multi-feedback")
        for box in self.boxes:
            box.observe(self._toggled, names="value")
        controls = [] if exam else [self.check]
        self.children = [
            self.prompt,
            widgets.VBox(self.boxes),
            *controls,
            self.message,
            self.feedback,
            self.picture,
        ]

    def selected(self) -> list[str]:
        return [b.description for b in self.boxes if b.value]

    def _toggled(self, _change: object) -> None:
        if self.exam:
            chosen = self.selected()
            if chosen:
                self._record(chosen)
            else:
                self.answer = None
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
        self.feedback.value = multi_feedback_html(self.matrix, self.question, chosen)
        self._reveal_picture()
        for box in self.boxes:
            box.disabled = True
        self.check.disabled = True
        self._record(chosen)

    def given(self) -> tuple[str, ...] | None:
        return tuple(self.selected()) or None

    def feedback_text(self) -> str:
        return self.feedback.value

    def reveal(self) -> None:
        for box in self.boxes:
            box.disabled = True
        chosen = self.selected()
        if chosen:
            self.feedback.value = multi_feedback_html(self.matrix, self.question, chosen)
        else:
            self.feedback.value = unanswered_html(self.matrix, self.question)
        self.prepare()
        self._reveal_picture()


class BuildStackView(QuestionView):
    """Assign an owner to every layer, top row = data, then Check layer by layer."""

    def __init__(self, question: Question, matrix: Matrix | None, *, exam: bool = False) -> None:
        super().__init__(question, matrix, exam=exam)
        self.rows: dict[str, widgets.ToggleButtons] = {}
        self.marks: dict[str, widgets.HTML] = {}
        lines = []
        for part in reversed(question.parts):  # shown like the AWS diagram: data on top
            toggle = widgets.ToggleButtons(
                options=list(question.choices),
                value=None,
                style={"button_width": "6.5em"},
                layout=widgets.Layout(width="auto"),
                tooltips=[f"{part.name}: {c}" for c in question.choices],
            )
            toggle.observe(self._changed, names="value")
            mark = widgets.HTML("")
            self.rows[part.layer] = toggle
            self.marks[part.layer] = mark
            label = widgets.Label(part.name, layout=widgets.Layout(width="16em"))
            lines.append(widgets.HBox([label, toggle, mark]))
        self.check = widgets.Button(
            description="Check", button_style="primary", tooltip="Check every layer"
        )
        self.check.on_click(self._check)
        self.feedback = widgets.HTML("")
        controls = [] if exam else [self.check]
        self.children = [
            self.prompt,
            widgets.VBox(lines),
            *controls,
            self.message,
            self.feedback,
            self.picture,
        ]

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
        for toggle in self.rows.values():
            toggle.disabled = True
        self.check.disabled = True
        self._record(given)

    def _show(self, given: Sequence[str | None]) -> None:
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
        detail = f"{right} of {total} layers right."
        notes = f"<ul>{''.join(wrong_notes)}</ul>" if wrong_notes else ""
        self.feedback.value = (
            verdict_html(right == total, detail)
            + notes
            + explanation_html(self.matrix, self.question)
        )
        if self.matrix is not None and self.question.service:
            from srmquiz.draw.stacks import attempt_png

            name = self.matrix.service(self.question.service).name
            wrong = total - right
            caption = (
                f"Your {esc(name)} stack: ✓ marks a right layer; ✗ marks a wrong one, "
                f"outlined, with what you chose ({wrong} wrong)."
            )
            self.picture.show(
                attempt_png(self.matrix, self.question.service, list(given)),
                caption,
                width="460px",
            )

    def given(self) -> tuple[str, ...] | None:
        chosen = self.choices_by_layer()
        return tuple(c for c in chosen if c is not None) if all(chosen) else None

    def feedback_text(self) -> str:
        return self.feedback.value

    def reveal(self) -> None:
        for toggle in self.rows.values():
            toggle.disabled = True
        self._show(self.choices_by_layer())


def make_view(question: Question, matrix: Matrix | None, *, exam: bool = False) -> QuestionView:
    """The right view for a question's kind."""
    if question.kind == "build-the-stack":
        return BuildStackView(question, matrix, exam=exam)
    if question.multi:
        return MultiChoiceView(question, matrix, exam=exam)
    return SingleChoiceView(question, matrix, exam=exam)


@dataclass
class Round:
    """One pass through a list of questions."""

    questions: list[Question]
    views: list[QuestionView] = field(default_factory=list)
    position: int = 0


class Quiz(widgets.VBox):
    """A whole quiz: progress, score, Next, a summary with review and a new quiz.

    ``mode="practice"`` gives feedback after each answer; ``mode="exam"`` gives none
    until a single Submit (which warns about unanswered questions), then the review.
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
        if mode not in ("practice", "exam"):
            raise ValueError(f"unknown mode {mode!r}; valid: practice, exam")
        if not questions:
            raise ValueError("a quiz needs at least one question")
        self.matrix = matrix
        self.mode = mode
        self._new_quiz = new_quiz
        self._hooks: list[AnswerHook] = [on_answer] if on_answer else []
        self.title = widgets.HTML(f"<h3 style='margin:4px 0'>{esc(title)}</h3>" if title else "")
        self.progress = widgets.Label("")
        self.score_label = widgets.Label("")
        self.body = widgets.VBox(layout=widgets.Layout(min_height="8em"))
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
        self._finish_hooks: list[Callable[[Quiz], None]] = []
        self.prev_button.on_click(lambda _b: self.go(-1))
        self.next_button.on_click(lambda _b: self.go(+1))
        self.submit_button.on_click(self._submit)
        self.review_button.on_click(self._review)
        self.new_button.on_click(self._restart)
        self.nav = widgets.HBox()
        self.rounds: list[Round] = []
        self.finished = False
        super().__init__(
            [
                self.title,
                self.notice,
                widgets.HBox(
                    [self.progress, self.score_label],
                    layout=widgets.Layout(justify_content="space-between"),
                ),
                self.body,
                self.warning,
                self.nav,
                self.summary,
            ],
            layout=widgets.Layout(width="100%", max_width="60em"),
        )
        self.add_class("srmquiz")
        self._start(list(questions))

    # -- state -----------------------------------------------------------------
    @property
    def round(self) -> Round:
        return self.rounds[-1]

    @property
    def view(self) -> QuestionView:
        """The question on screen."""
        return self.round.views[self.round.position]

    @property
    def questions(self) -> list[Question]:
        return self.round.questions

    @property
    def answers(self) -> list[Answer]:
        """Scored answers of the current round, in question order."""
        return [v.answer for v in self.round.views if v.answer is not None]

    @property
    def score(self) -> int:
        return sum(a.correct for a in self.answers)

    @property
    def total(self) -> int:
        return len(self.round.questions)

    def mistakes(self) -> list[Question]:
        """Questions of this round answered wrongly or not at all."""
        return [v.question for v in self.round.views if v.answer is None or not v.answer.correct]

    # convenience for driving the quiz as a user would
    @property
    def choices(self) -> widgets.Widget:
        return self.view.choices  # type: ignore[attr-defined,no-any-return]

    @property
    def check(self) -> widgets.Button:
        return self.view.check  # type: ignore[attr-defined,no-any-return]

    @property
    def feedback_text(self) -> str:
        return self.view.feedback_text()

    def on_answer(self, hook: AnswerHook) -> None:
        """Call hook(answer) whenever a question is answered (the first answer in practice)."""
        self._hooks.append(hook)

    def on_finish(self, hook: Callable[[Quiz], None]) -> None:
        """Call hook(quiz) once when the first round is finished (not after reviews)."""
        self._finish_hooks.append(hook)

    def set_notice(self, text: str) -> None:
        """Show one line (plain text, escaped) above the quiz; "" removes it."""
        self.notice.value = notice_html(esc(text)) if text else ""

    # -- flow --------------------------------------------------------------------
    def _start(self, questions: list[Question]) -> None:
        exam = self.mode == "exam" and not self.rounds
        views = [make_view(q, self.matrix, exam=exam) for q in questions]
        for v in views:
            v.on_answer(self._answered)
        self.rounds.append(Round(questions, views))
        self.finished = False
        self.summary.value = ""
        self.warning.value = ""
        self.submit_button.description = "Submit"
        self._show()

    @property
    def exam_round(self) -> bool:
        return self.mode == "exam" and len(self.rounds) == 1

    def _answered(self, answer: Answer) -> None:
        if not self.exam_round:
            for hook in self._hooks:
                hook(answer)
        self.warning.value = ""
        self._refresh()
        if not self.exam_round:
            # the answered controls are now disabled, which drops keyboard focus: hand it
            # to Next, so Enter moves on and Shift+Tab goes back to the feedback
            self.next_button.focus()
        if not self.exam_round:
            # draw the next question's picture while the learner reads this feedback
            r = self.round
            if r.position + 1 < len(r.views):
                r.views[r.position + 1].prepare()

    def go(self, step: int) -> None:
        """Move to the next (+1) or previous (-1) question; past the last one, finish."""
        if self.finished:
            return
        r = self.round
        if step > 0 and not self.exam_round and not self.view.answered:
            # Next stays enabled (a disabled button would drop keyboard focus). A click on
            # Next can reach the kernel just before the answer clicked a moment earlier, so
            # look again shortly before saying the question is unanswered.
            if not self._retry_next():
                self._unanswered_next()
            return
        target = r.position + step
        if target >= len(r.views):
            if not self.exam_round:
                self._finish()
            return
        if target < 0:
            return
        r.position = target
        self.view.shown_at = time.monotonic()
        self._show()

    # An answer clicked just before Next can reach the kernel just after it; a person
    # who answers after pressing Next takes far longer than this to do so.
    RACE_WINDOW_S = 0.15

    def _retry_next(self) -> bool:
        import asyncio

        if not in_kernel():
            return False  # plain Python: nothing can still be on its way
        try:
            loop = asyncio.get_running_loop()
        except RuntimeError:
            return False
        view = self.view
        clicked = time.monotonic()

        def again() -> None:
            if self.view is not view or self.finished:
                return
            if view.answered_at is None:
                self._unanswered_next()
            elif view.answered_at - clicked <= self.RACE_WINDOW_S:
                self.go(+1)  # the answer came first in the browser: do what Next meant
            # else: answered after pressing Next; stay and let them read the feedback

        loop.call_later(0.3, again)
        return True

    def _unanswered_next(self) -> None:
        self.warning.value = notice_html(
            "Choose an answer first; <em>Next</em> moves on once this question is answered."
        )

    def _show(self) -> None:
        if not self.exam_round:
            self.warning.value = ""
            self.view.prepare()  # exam mode draws at the review, not before
        self.body.children = [self.view]
        self._refresh()

    def _refresh(self) -> None:
        r = self.round
        self.progress.value = f"Question {r.position + 1} of {len(r.views)}"
        if self.exam_round and not self.finished:
            done = sum(v.answer is not None for v in r.views)
            self.score_label.value = f"Answered: {done} of {len(r.views)}"
            self.prev_button.disabled = r.position == 0
            self.next_button.disabled = r.position == len(r.views) - 1
            self.nav.children = [self.prev_button, self.next_button, self.submit_button]
        elif not self.finished:
            answered = [v.answer for v in r.views if v.answer is not None]
            self.score_label.value = f"Score: {sum(a.correct for a in answered)} of {len(answered)}"
            last = r.position == len(r.views) - 1
            self.next_button.description = "Finish" if last else "Next"
            self.next_button.tooltip = "See my results" if last else "Next question"
            self.next_button.disabled = False
            self.nav.children = [self.next_button]

    def _submit(self, _button: object = None) -> None:
        if self.finished or not self.exam_round:
            return
        views = self.round.views
        missing = [i + 1 for i, v in enumerate(views) if v.given() is None]
        if missing and self.submit_button.description != "Submit anyway":
            numbers = ", ".join(str(n) for n in missing)
            noun = "question" if len(missing) == 1 else "questions"
            self.warning.value = notice_html(
                f"{len(missing)} {noun} not answered yet: {numbers}. Go back with "
                "Previous/Next, or press <em>Submit anyway</em> to finish now."
            )
            self.submit_button.description = "Submit anyway"
            return
        self.warning.value = ""
        for v in views:
            if v.answer is not None:
                for hook in self._hooks:
                    hook(v.answer)
            v.reveal()
        self._finish()

    def _finish(self) -> None:
        self.finished = True
        r = self.round
        score, total = self.score, self.total
        self.progress.value = "Finished"
        self.score_label.value = f"Score: {score} of {total}"
        if self.exam_round:
            # the review: every question with its feedback, one after another
            self.body.children = list(r.views)
        else:
            self.body.children = []
        self.summary.value = summary_html(self.matrix, r.views)
        self.review_button.disabled = not self.mistakes()
        self.new_button.disabled = self._new_quiz is None
        self.nav.children = [self.review_button, self.new_button]
        if len(self.rounds) == 1:
            for hook in self._finish_hooks:
                hook(self)

    def _review(self, _button: object = None) -> None:
        if not self.finished:
            return
        missed = self.mistakes()
        if missed:
            self._start(missed)

    def _restart(self, _button: object = None) -> None:
        if self._new_quiz is None or not self.finished:
            return
        self.rounds.clear()
        self._start(list(self._new_quiz()))


def summary_html(matrix: Matrix | None, views: Sequence[QuestionView]) -> str:
    """Score plus a breakdown per service and per layer."""
    total = len(views)
    score = sum(1 for v in views if v.answer is not None and v.answer.correct)
    pct = round(100 * score / total) if total else 0
    missed = total - score
    lines = [
        f"<h4>You scored {score} of {total} ({pct}%).</h4>",
        "<p>"
        + (
            "Every answer right."
            if not missed
            else f"{missed} to review: press <em>Review my mistakes</em> to try them again."
        )
        + "</p>",
    ]

    def table(title: str, key: Callable[[Question], list[str]], name: Callable[[str], str]) -> str:
        counts: dict[str, list[int]] = {}
        for v in views:
            for k in key(v.question):
                right, asked = counts.setdefault(k, [0, 0])
                counts[k] = [right + int(bool(v.answer and v.answer.correct)), asked + 1]
        if not counts:
            return ""
        order = (matrix.service_ids + matrix.layer_ids) if matrix is not None else []
        keys = sorted(counts, key=lambda k: order.index(k) if k in order else len(order))
        rows = "".join(
            f"<tr><td>{esc(name(k))}</td><td style='text-align:right'>"
            f"{counts[k][0]} of {counts[k][1]}</td></tr>"
            for k in keys
        )
        return (
            f"<table class='srmq-breakdown'><thead><tr><th style='text-align:left'>{title}"
            f"</th><th>Right</th></tr></thead><tbody>{rows}</tbody></table>"
        )

    def service_name(sid: str) -> str:
        return matrix.service(sid).name if matrix is not None else sid

    def layer_name(lid: str) -> str:
        return matrix.layer(lid).name if matrix is not None else lid

    t_services = table("Service", lambda q: [q.service] if q.service else [], service_name)
    t_layers = table("Layer", lambda q: [q.layer] if q.layer else [], layer_name)
    lines.append(f"<div style='display:flex;gap:2em;flex-wrap:wrap'>{t_services}{t_layers}</div>")
    return "".join(lines)
