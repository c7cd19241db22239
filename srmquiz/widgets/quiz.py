"""The Quiz: a run of questions on screen, with progress, score, Next and a summary.

Widgets only: what a click means (rounds, score, practice and exam rules, the guard
against a Next that overtakes its answer) is decided by
:class:`~srmquiz.core.quizrun.QuizRun`; each question is a view from
:mod:`srmquiz.widgets.views`.

A quiz's cost does not grow with its length: :class:`Quiz` builds the view of the
question on screen (and, while the learner reads its feedback, the next one), keeps
every answer in its :class:`~srmquiz.core.quizrun.QuizRun`, and closes a view's widgets
as soon as it leaves the screen. An exam review shows one question at a time.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Sequence
from functools import partial

import ipywidgets as widgets
from ipywidgets.widgets.widget_string import LabelStyle

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
    Slot,
)
from srmquiz.core.wording import count
from srmquiz.widgets.feedback import feedback_picture, summary_html
from srmquiz.widgets.html import esc, notice_html
from srmquiz.widgets.style import stylesheet
from srmquiz.widgets.views import (
    AnswerHook,
    BuildStackView,
    Look,
    MultiChoiceView,
    QuestionView,
    SingleChoiceView,
    make_view,
)

__all__ = [
    "BuildStackView",
    "MultiChoiceView",
    "QuestionView",
    "Quiz",
    "QuizFrame",
    "QuizScreen",
    "ReviewPager",
    "RoundViews",
    "SingleChoiceView",
    "call_later_in_kernel",
    "feedback_picture",
    "in_kernel",
    "make_view",
]


def in_kernel() -> bool:
    """Running inside a Jupyter kernel (where widget messages arrive asynchronously)."""
    import sys

    shell = getattr(sys.modules.get("IPython"), "get_ipython", lambda: None)()
    return shell is not None and getattr(shell, "kernel", None) is not None


class RoundViews:
    """The live views of the round on screen: built when shown, closed when left.

    Answers live in the run's :class:`~srmquiz.core.quizrun.Round`, not in widgets: a
    view left behind is closed, and one built again (an exam question revisited, or
    reviewed) is given its kept answer back.
    """

    def __init__(self, state: Round, build: Callable[[int], QuestionView]) -> None:
        self.state = state
        """The run's round: questions, kept answers, position."""
        self._build = build
        self.live: dict[int, QuestionView] = {}
        """Round position -> the view built for it and still open."""

    def __getitem__(self, position: int) -> QuestionView:
        """The view of the question at `position`, built now if it is not live."""
        view = self.live.get(position)
        if view is None:
            view = self.live[position] = self._build(position)
        return view

    def keep(self, positions: Sequence[int]) -> None:
        """Close every live view but those at `positions`."""
        for position in [p for p in self.live if p not in positions]:
            self.live.pop(position).close()

    def close(self) -> None:
        """Close every live view."""
        self.keep(())


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


class QuizFrame(widgets.VBox):
    """A quiz's own widgets and the question on screen; decides nothing.

    The widgets of the quiz itself are made once and share their layouts and styles; a
    question's widgets are made when it comes on screen (see :class:`RoundViews`).
    """

    def __init__(self, run: QuizRun, matrix: Matrix | None, title: str) -> None:
        self.run = run
        """Rounds, answers and rules: what every click means is decided there."""
        self.matrix = matrix
        self.look = Look()
        """Layouts and styles shared by the quiz and its views."""
        self.round: RoundViews
        """The round on screen: its live views and the run's record of it."""
        self.reviewing: int | None = None
        """In an exam review: the position of the question shown."""
        look = self.look
        self.title = self._html(f"<h3 class='srmq-title'>{esc(title)}</h3>" if title else "")
        label_style = LabelStyle()
        self.progress = widgets.Label("", layout=look.text_layout, style=label_style)
        self.score_label = widgets.Label("", layout=look.text_layout, style=label_style)
        self.body = widgets.VBox(layout=look.box_layout)
        """The question (practice: its head, down to the verdict; exam: all of it)."""
        self.after = widgets.VBox(layout=look.box_layout)
        """Below the buttons: the practice question's tail (why, sources, picture), or the
        question shown in an exam review."""
        button_layout, button_style = look.button_layout, look.button_style

        def button(description: str, tooltip: str, kind: str = "") -> widgets.Button:
            return widgets.Button(
                description=description,
                tooltip=tooltip,
                button_style=kind,
                layout=button_layout,
                style=button_style,
            )

        self.prev_button = button("Previous", "Previous question")
        self.next_button = button("Next", "Next question")
        self.submit_button = button("Submit", "Hand in the exam", "warning")
        self.review_button = button(
            "Review my mistakes", "Answer the questions I missed again", "info"
        )
        self.new_button = button("New quiz", "Start a new quiz with other questions")
        self.pager: ReviewPager | None = None
        """In an exam review: Previous, "Go to" and Next (made at the first review)."""
        self.warning = self._html("")
        self.notice = self._html("")
        """A line about progress keeping (e.g. a database that had to be moved aside)."""
        self.summary = self._html("")
        self.nav = widgets.HBox(layout=look.text_layout)
        self.nav.add_class("srmq-nav")
        status = widgets.HBox(
            [self.progress, self.score_label],
            layout=widgets.Layout(justify_content="space-between"),
        )
        status.add_class("srmq-status")
        # Next sits right under the verdict, before the explanation and the picture: see
        # QuestionView. The summary comes before the buttons and the reviewed question.
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

    def _html(self, value: str) -> widgets.HTML:
        return widgets.HTML(value, layout=self.look.text_layout, style=self.look.text_style)

    @property
    def view(self) -> QuestionView:
        """The question on screen (in an exam review: the one reviewed)."""
        position = self.reviewing if self.reviewing is not None else self.run.position
        return self.round[position]

    @property
    def feedback_text(self) -> str:
        """The feedback HTML the learner currently sees ("" when none)."""
        if self.run.finished and self.reviewing is None:
            return ""
        return self.view.feedback_text()

    def set_notice(self, text: str) -> None:
        """Show one line (plain text, escaped) above the quiz; "" removes it."""
        self.notice.value = notice_html(esc(text)) if text else ""

    def show_new_round(self, views: RoundViews) -> None:
        """Put the run's new round on screen, closing what the last one left."""
        old = getattr(self, "round", None)
        self.round = views
        self.reviewing = None
        self.summary.value = ""
        self.warning.value = ""
        self.submit_button.description = "Submit"
        self.show_question()
        if old is not None:
            old.close()

    def show_question(self) -> None:
        """Put the question at the round's position on screen; close the ones left."""
        position = self.run.position
        view = self.view
        if self.run.rules.feedback:
            self.warning.value = ""
            self.body.children = [view.head]
            self.after.children = [view.tail]
            self.round.keep((position, position + 1))
            # Nothing is drawn on the way to the first question: its picture is drawn when
            # it is answered (the first of a kernel imports matplotlib, so it follows the
            # feedback by a second or so); every later one is drawn ahead, while the
            # learner reads the feedback before it. A page of quizzes (Voila runs them all
            # before it shows any) draws nothing at all. Exam mode draws at the review.
        else:
            self.body.children = [view]
            self.after.children = []
            self.round.keep((position,))
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


class QuizScreen(QuizFrame):
    """A quiz run on screen: how answers, results and the exam review look; decides nothing."""

    def show_answered(self) -> None:
        """Refresh after an answer counted; with feedback, move focus and build ahead."""
        self.warning.value = ""
        self.show_status()
        state = self.run.round
        if state.rules.feedback:
            # the answered controls are now disabled, which drops keyboard focus: hand it
            # to Next, so Enter moves on and Shift+Tab goes back to the feedback
            self.next_button.focus()
            if not state.last:  # build the next question and its picture while this is read
                self.round[state.position + 1].prepare()

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
        """Show the score and summary; without feedback along the way, the review too."""
        state = self.run.round
        self.progress.value = "Finished"
        self.score_label.value = f"Score: {state.score} of {state.total}"
        self.body.children = []
        self.summary.value = summary_html(self.matrix, state.slots)
        self.review_button.disabled = not state.mistakes()
        self.new_button.disabled = not renewable
        self.nav.children = [self.review_button, self.new_button]
        if state.rules.feedback:
            self.after.children = []
            self.round.close()  # the answers are kept in the run; the summary tells them
            self.look.release()
        else:  # the exam review, one question at a time, under the summary and its buttons
            self.show_review(0)

    def show_review(self, position: int) -> None:
        """Exam review: show the question at `position` with its feedback and the pager."""
        state = self.run.round
        position = max(0, min(position, state.total - 1))
        self.reviewing = position
        view = self.round[position]
        view.set_number(position + 1, state.total)
        view.reveal()
        if self.pager is None:
            self.pager = ReviewPager(self.prev_button, self.next_button, self.show_review)
        self.pager.show(state.slots, position)
        self.after.children = [self.pager, view]
        self.round.keep((position,))

    @property
    def jump(self) -> widgets.Dropdown | None:
        """The exam review's "Go to" list (None before the first review)."""
        return self.pager.jump if self.pager is not None else None


class ReviewPager(widgets.HBox):
    """An exam review's pager: Previous, "Go to" any question, Next."""

    def __init__(
        self, prev: widgets.Button, next_: widgets.Button, go_to: Callable[[int], None]
    ) -> None:
        self.prev, self.next, self._go_to = prev, next_, go_to
        self.jump = widgets.Dropdown(
            options=[("1", 0)],
            value=0,
            description="Go to",
            layout=widgets.Layout(width="auto", max_width="34em"),
        )
        """Every question by number, right or wrong in words, and its text."""
        self.jump.add_class("srmq-review-jump")
        self.jump.observe(self._jumped, names="value")
        super().__init__([prev, self.jump, next_])
        self.add_class("srmq-review-pager")

    def show(self, slots: Sequence[Slot], position: int) -> None:
        """List the round's questions and mark `position` as the one shown."""
        options = []
        for i, slot in enumerate(slots, start=1):
            if slot.answer is None:
                said = "not answered"
            else:
                said = "right" if slot.answer.correct else "wrong"
            prompt = slot.question.prompt
            short = prompt if len(prompt) <= 70 else prompt[:69].rstrip() + "…"
            options.append((f"{i} · {said} · {short}", i - 1))
        self._showing = True
        try:
            if list(self.jump.options) != options:
                self.jump.options = options
            self.jump.value = position
        finally:
            self._showing = False
        self.prev.disabled = position == 0
        self.next.disabled = position == len(slots) - 1
        self.next.description, self.next.tooltip = "Next", "Next question"

    _showing = False

    def _jumped(self, change: dict[str, object]) -> None:
        if isinstance(change["new"], int) and not self._showing:
            self._go_to(change["new"])


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
        """Move to the next (+1) or previous (-1) question; past the last one, finish.

        In an exam review, page through the reviewed questions.
        """
        if self.reviewing is not None:
            self.show_review(self.reviewing + step)
            return
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
        self.show_new_round(RoundViews(state, partial(self._build_view, state)))

    def _build_view(self, state: Round, position: int) -> QuestionView:
        slot = state.slots[position]
        view = make_view(slot.question, self.matrix, exam=not state.rules.feedback, look=self.look)
        if slot.answer is not None:
            view.restore(slot.answer)  # revisited (exam) or reviewed: the kept answer
        # a view reports to its own round: one left behind is finished and takes nothing
        view.on_answer(partial(self._answered, state, position, view))
        view.on_clear(partial(self._cleared, state, position))
        return view

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
            for slot in self.run.round.slots:
                if slot.answer is not None:
                    for hook in self._hooks:
                        hook(slot.answer)
            self.round.close()  # the review builds the questions it shows
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
