"""The question views: one question on screen, reporting its answer.

Widgets only: grading comes from :class:`~srmquiz.core.questions.Question`, the feedback
HTML from :mod:`srmquiz.widgets.feedback`; everything that reaches an HTML widget is
escaped. A view is made when its question comes on screen and closed, with every widget
under it, when it leaves (see :class:`~srmquiz.widgets.quiz.Quiz`): a kept answer is put
back with :meth:`QuestionView.restore`.

Single-choice feedback is prepared for every choice in advance and switched in the
browser: ``jslink((toggle, "index"), (stack, "selected_index"))`` shows the pane of
the clicked choice in the same frame, while an observer in the kernel records and
scores the answer (measured in tests/benchmarks).
"""

from __future__ import annotations

import time
from collections.abc import Callable, Sequence

import ipywidgets as widgets
from ipywidgets.widgets.widget_bool import CheckboxStyle
from ipywidgets.widgets.widget_string import HTMLStyle

from srmquiz.core.matrix import Matrix
from srmquiz.core.questions import Answer, Question
from srmquiz.core.wording import count
from srmquiz.widgets.feedback import (
    explanation_html,
    feedback_picture,
    multi_detail_html,
    multi_verdict_html,
    single_detail_html,
    single_verdict_html,
    unanswered_html,
    unanswered_verdict_html,
)
from srmquiz.widgets.html import RIGHT_MARK, WRONG_MARK, Picture, esc, no_picture_html, verdict_html

__all__ = [
    "AnswerHook",
    "BuildStackView",
    "Look",
    "MultiChoiceView",
    "QuestionView",
    "SingleChoiceView",
    "close_tree",
    "make_view",
]

AnswerHook = Callable[[Answer], None]


def _box(
    kind: type[widgets.Box],
    layout: widgets.Layout,
    cls: str,
    children: Sequence[widgets.Widget] = (),
) -> widgets.Box:
    box = kind(list(children), layout=layout)
    box.add_class(cls)
    return box


class Look:
    """Layout and style models shared by every view of one quiz.

    Each widget is a model the kernel sends to the browser, with its own Layout and Style
    models unless it is given shared ones: sharing them keeps a question at a few dozen
    models. A quiz's views share one Look (each part made when first needed), and closing
    a view leaves it open.
    """

    def __init__(self) -> None:
        self.text_layout = widgets.Layout()
        self.text_style = HTMLStyle()
        self.box_layout = widgets.Layout(width="100%")
        self.button_layout = widgets.Layout()
        """The layout of the quiz's buttons and of a view's Check button."""
        self.button_style = widgets.ButtonStyle()
        """The style of the quiz's buttons and of a view's Check button."""
        self._made: dict[str, widgets.Widget] = {}

    def _part(self, name: str, make: Callable[[], widgets.Widget]) -> widgets.Widget:
        if name not in self._made:
            self._made[name] = make()
        return self._made[name]

    def auto_layout(self) -> widgets.Layout:
        """``width: auto`` for choice buttons and checkboxes."""
        part = self._part("auto", lambda: widgets.Layout(width="auto"))
        assert isinstance(part, widgets.Layout)
        return part

    def choice_style(self, button_width: str) -> widgets.ToggleButtonsStyle:
        """Toggle buttons `button_width` wide."""
        part = self._part(
            f"toggle {button_width}", lambda: widgets.ToggleButtonsStyle(button_width=button_width)
        )
        assert isinstance(part, widgets.ToggleButtonsStyle)
        return part

    def checkbox_style(self) -> CheckboxStyle:
        """The style of a select-all question's checkboxes."""
        part = self._part("checkbox", CheckboxStyle)
        assert isinstance(part, CheckboxStyle)
        return part

    def shared(self) -> tuple[widgets.Widget, ...]:
        """The models a view must not close (they belong to the quiz)."""
        base = (self.text_layout, self.text_style, self.box_layout)
        return (*base, self.button_layout, self.button_style, *self._made.values())

    def release(self) -> None:
        """Close the parts only views use (call when no view is open; made again if needed)."""
        for part in self._made.values():
            part.close()
        self._made.clear()


def close_tree(root: widgets.Widget, keep: Sequence[widgets.Widget] = ()) -> None:
    """Close `root` and every widget under it (children, layouts, styles), except `keep`.

    ``Widget.close`` closes one model: a box's children and its Layout would stay open
    in the kernel and the browser. Closing the whole tree is what keeps a long quiz at a
    constant number of models.
    """
    kept = {id(w) for w in keep}
    seen: set[int] = set()
    todo = [root]
    while todo:
        widget = todo.pop()
        if id(widget) in seen or id(widget) in kept:
            continue
        seen.add(id(widget))
        todo.extend(getattr(widget, "children", ()))
        for name in ("layout", "style"):
            part = getattr(widget, name, None) if widget.has_trait(name) else None
            if isinstance(part, widgets.Widget):
                todo.append(part)
        widgets.Widget.close(widget)  # this model only (a view's own close calls here)


class QuestionBase(widgets.VBox):
    """A question's answer on screen: recorded once (practice) or as it changes (exam),
    put back when the question is shown again, and every widget closed when it leaves."""

    question: Question
    matrix: Matrix | None
    exam: bool
    look: Look
    answer: Answer | None

    def _begin(
        self, question: Question, matrix: Matrix | None, *, exam: bool, look: Look | None
    ) -> None:
        self.question = question
        self.matrix = matrix
        self.exam = exam
        self.look = look or Look()
        self.closed = False
        """The view left the screen and its widgets are closed."""
        self._restoring = False
        self.answer = None
        self.shown_at = time.monotonic()
        self.answered_at: float | None = None
        """When the kernel received the scored answer (time.monotonic())."""
        self._hooks: list[AnswerHook] = []
        self._clear_hooks: list[Callable[[], None]] = []

    def close(self) -> None:
        """Close every widget of this view (the quiz's shared Look stays open)."""
        if self.closed:
            return
        self.closed = True
        keep = self.look.shared()
        for loose in self._loose():
            close_tree(loose, keep=keep)
        close_tree(self, keep=keep)

    def _loose(self) -> list[widgets.Widget]:
        """This view's widgets outside its tree of children (links; an exam's unused Check)."""
        return []

    def restore(self, answer: Answer) -> None:
        """Show a kept answer again (an exam question revisited, or reviewed)."""
        self._restoring = True
        try:
            self._set_controls(answer.given)
        finally:
            self._restoring = False
        self.answer = answer
        if not self.exam:
            self._lock(answer.given)

    def _set_controls(self, given: Sequence[str]) -> None:
        raise NotImplementedError

    def _lock(self, given: Sequence[str]) -> None:
        """Practice: show the feedback of a kept answer, controls disabled."""
        raise NotImplementedError

    def on_answer(self, hook: AnswerHook) -> None:
        """Call hook(answer) when an answer is recorded (in exam mode: every change)."""
        self._hooks.append(hook)

    def on_clear(self, hook: Callable[[], None]) -> None:
        """Call hook() when an exam answer is taken back to nothing."""
        self._clear_hooks.append(hook)

    def _record(self, given: Sequence[str]) -> None:
        if self._restoring:
            return  # a kept answer put back on screen: already counted
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


class QuestionView(QuestionBase):
    """Base class: one question on screen, reporting the first answer to `on_answer`.

    Two parts, so the quiz can put its Next button between them: :attr:`head` (prompt,
    choices, Check, the one-line verdict) and :attr:`tail` (why, sources and the picture,
    side by side where there is room). Focus moves to Next after an answer, and a browser
    scrolls a focused control into view: with Next right under the verdict, the verdict
    and the start of the explanation stay on screen whatever the picture's size.
    """

    def __init__(
        self,
        question: Question,
        matrix: Matrix | None,
        *,
        exam: bool = False,
        look: Look | None = None,
    ) -> None:
        self._begin(question, matrix, exam=exam, look=look)
        # the view's text and boxes share the quiz's layouts and style (see Look)
        self._text_layout = self.look.text_layout
        self._text_style = self.look.text_style
        self._box_layout = self.look.box_layout
        self.message = self._html("")
        self.number: widgets.HTML | None = None
        """"Question 3 of 8" above the question in an exam review (made then)."""
        prompt = esc(question.prompt)
        if question.title:
            prompt = f"<strong>{esc(question.title)}</strong><br>{prompt}"
        self.prompt = self._html(f'<div class="srmq-prompt">{prompt}</div>')
        self.picture = Picture(text_layout=self._text_layout, text_style=self._text_style)
        self.stack_button: widgets.Button | None = None
        """In an exam review: draws the picture when asked (and hides it again)."""
        self._prepared = False
        self._pending: tuple[bytes, str, str] | None = None
        self.head = _box(widgets.VBox, self._box_layout, "srmq-question")
        self.tail = _box(widgets.VBox, self._box_layout, "srmq-question-tail")
        super().__init__([self.head, self.tail], layout=self._box_layout)
        self.add_class("srmq-view")
        self._build()

    def _build(self) -> None:
        """Make the controls and the feedback of this kind of question, and lay them out."""
        raise NotImplementedError

    def _html(self, value: str) -> widgets.HTML:
        return widgets.HTML(value, layout=self._text_layout, style=self._text_style)

    def _check_button(self, tooltip: str) -> widgets.Button:
        return widgets.Button(
            description="Check",
            button_style="primary",
            tooltip=tooltip,
            layout=self.look.button_layout,
            style=self.look.button_style,
        )

    def _lay_out(
        self, controls: Sequence[widgets.Widget], verdict: widgets.Widget, detail: widgets.Widget
    ) -> None:
        self.head.children = [self.prompt, *controls, self.message, verdict]
        detail.add_class("srmq-detail")
        self.tail.children = [
            _box(widgets.HBox, self._box_layout, "srmq-feedback-row", [detail, self.picture])
        ]

    def prepare(self) -> None:
        """Render the feedback picture (once: ahead, while the question before is read, or
        when this one is answered)."""
        if self._prepared or self.closed:
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
        """Show the feedback picture, drawing it now if it was not drawn ahead (the first
        question of a quiz: its picture follows its feedback by the time it takes to draw)."""
        self.prepare()
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


def _choice_buttons(options: Sequence[str], **kwargs: object) -> widgets.ToggleButtons:
    toggle = widgets.ToggleButtons(options=list(options), value=None, **kwargs)
    toggle.add_class("srmq-choices")
    return toggle


class SingleChoiceView(QuestionView):
    """One click answers: toggle buttons, feedback panes switched client-side."""

    def _build(self) -> None:
        self.choices = _choice_buttons(
            self.question.choices,
            style=self.look.choice_style("auto"),
            layout=self.look.auto_layout(),
        )
        announce = not self.exam
        self.panes = [
            self._html(single_verdict_html(self.question, c, announce=announce))
            for c in self.question.choices
        ]
        """The verdict for each choice, in choice order."""
        self.detail_panes = [
            self._html(single_detail_html(self.matrix, self.question, c))
            for c in self.question.choices
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
        if not self.exam:
            self.link = widgets.jslink((self.choices, "index"), (self.feedback, "selected_index"))
            self.detail_link = widgets.jslink(
                (self.choices, "index"), (self.details, "selected_index")
            )
        self.choices.observe(self._changed, names="index")
        self._lay_out([self.choices], self.feedback, self.details)

    def _loose(self) -> list[widgets.Widget]:
        return [x for x in (self.link, self.detail_link) if x is not None]

    def _set_controls(self, given: Sequence[str]) -> None:
        self.choices.index = self.question.choices.index(given[0])

    def _lock(self, given: Sequence[str]) -> None:
        self._show(self.question.choices.index(given[0]))
        self.choices.disabled = True
        self._reveal_picture()

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
        if isinstance(index, int) and not self._restoring:
            self._show(index)
            self.choices.disabled = True
            self._record([self.question.choices[index]])
            self._reveal_picture()

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

    def _build(self) -> None:
        box_layout, box_style = self.look.auto_layout(), self.look.checkbox_style()
        self.boxes = [
            widgets.Checkbox(
                value=False, description=c, indent=False, layout=box_layout, style=box_style
            )
            for c in self.question.choices
        ]
        self.check = self._check_button("Check my answer")
        self.check.on_click(self._check)
        self.verdict = self._html("")
        self.feedback = self._html("")
        """Choice by choice, why, and the sources (the verdict is in :attr:`verdict`)."""
        self.feedback.add_class("srmq-multi-feedback")
        for box in self.boxes:
            box.observe(self._toggled, names="value")
        boxes = _box(widgets.VBox, self._box_layout, "srmq-checkboxes", self.boxes)
        controls = [boxes] if self.exam else [boxes, self.check]
        self._lay_out(controls, self.verdict, self.feedback)

    def selected(self) -> list[str]:
        """The ticked choices, in choice order."""
        return [b.description for b in self.boxes if b.value]

    def _loose(self) -> list[widgets.Widget]:
        return [self.check]

    def _set_controls(self, given: Sequence[str]) -> None:
        for box in self.boxes:
            box.value = box.description in given

    def _lock(self, given: Sequence[str]) -> None:
        self._show(given)
        self._reveal_picture()
        for box in self.boxes:
            box.disabled = True
        self.check.disabled = True

    def _toggled(self, _change: object) -> None:
        if self._restoring:
            return
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

    def _build(self) -> None:
        self.rows: dict[str, widgets.ToggleButtons] = {}
        self.marks: dict[str, widgets.HTML] = {}
        cells: list[widgets.Widget] = []
        toggle_layout = self.look.auto_layout()
        toggle_style = self.look.choice_style("6.5em")
        for part in reversed(self.question.parts):  # shown like the AWS diagram: data on top
            toggle = _choice_buttons(
                self.question.choices,
                style=toggle_style,
                layout=toggle_layout,
                tooltips=[f"{part.name}: {c}" for c in self.question.choices],
            )
            toggle.observe(self._changed, names="value")
            mark = self._html("")
            mark.add_class("srmq-mark")
            self.rows[part.layer] = toggle
            self.marks[part.layer] = mark
            # an HTML name wraps where a Label would cut "Network & firewall configuration"
            label = self._html(f'<span class="srmq-layer-name">{esc(part.name)}</span>')
            label.add_class("srmq-layer-label")
            cells += [label, toggle, mark]
        self.check = self._check_button("Check every layer")
        self.check.on_click(self._check)
        self.verdict = self._html("")
        self.feedback = self._html("")
        """The wrong layers' reasons, why, and the sources (the verdict is in :attr:`verdict`)."""
        # one grid of name, owner buttons and mark per layer (a box per row would be
        # fifteen more models to send for a fifteen-layer stack)
        stack = _box(widgets.GridBox, self._box_layout, "srmq-stack-rows", cells)
        controls = [stack] if self.exam else [stack, self.check]
        self._lay_out(controls, self.verdict, self.feedback)
        self._given: list[str | None] | None = None

    def choices_by_layer(self) -> list[str | None]:
        """The chosen owner per layer, bottom to top (None where nothing is chosen)."""
        return [self.rows[p.layer].value for p in self.question.parts]

    def _loose(self) -> list[widgets.Widget]:
        return [self.check]

    def _set_controls(self, given: Sequence[str]) -> None:
        for part, owner in zip(self.question.parts, given, strict=True):
            self.rows[part.layer].value = owner

    def _lock(self, given: Sequence[str]) -> None:
        self._show(given)
        self._draw_picture()
        for toggle in self.rows.values():
            toggle.disabled = True
        self.check.disabled = True

    def _changed(self, _change: object) -> None:
        if self._restoring:
            return
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


def make_view(
    question: Question, matrix: Matrix | None, *, exam: bool = False, look: Look | None = None
) -> QuestionView:
    """The right view for a question's kind."""
    if question.kind == "build-the-stack":
        return BuildStackView(question, matrix, exam=exam, look=look)
    if question.multi:
        return MultiChoiceView(question, matrix, exam=exam, look=look)
    return SingleChoiceView(question, matrix, exam=exam, look=look)
