"""A student's classroom session: name and code, Start, the quiz, then the result kept.

The widget decides nothing about storage: whoever makes it passes ``on_start`` (called
with the new quiz, the learner and the code, e.g. to record answers) and ``keep``
(called with the finished :class:`~srmquiz.core.results.ResultDocument`; returns one
plain-text line per place it was kept, or could not be).
"""

from __future__ import annotations

import time
from collections.abc import Callable
from typing import Any

import ipywidgets as widgets

from srmquiz.core.matrix import Matrix
from srmquiz.core.results import ResultDocument
from srmquiz.core.sessions import SessionCodeError, canonical, parse_code
from srmquiz.widgets.html import alert_html, esc
from srmquiz.widgets.quiz import Quiz
from srmquiz.widgets.style import stylesheet

StartHook = Callable[[Quiz, str, str], None]
"""on_start(quiz, learner, code)."""
KeepHook = Callable[[ResultDocument], list[str]]
"""keep(result document) -> one line per place it was kept (plain text)."""


class Classroom(widgets.VBox):
    """A student's session: name and code, Start, the quiz, then the result saved and exported."""

    def __init__(
        self,
        matrix: Matrix,
        *,
        name: str = "",
        code: str = "",
        on_start: StartHook | None = None,
        keep: KeepHook | None = None,
    ) -> None:
        self.matrix = matrix
        self._on_start = on_start
        self._keep = keep
        self.name = widgets.Text(value=name, description="Your name:", placeholder="e.g. Ana Silva")
        # Enter in the code field starts: with continuous_update off, the value reaches
        # the kernel when the field is committed (Enter, or leaving it after a change).
        self.code = widgets.Text(
            value=code,
            description="Session code:",
            placeholder="SRM-XXXX-XXXX",
            continuous_update=False,
        )
        self.start_button = widgets.Button(
            description="Start", button_style="primary", tooltip="Start the session quiz"
        )
        self.message = widgets.HTML("")
        self.area = widgets.VBox()
        self.quiz: Quiz | None = None
        self.result: ResultDocument | None = None
        self._started = 0.0
        self._starting = False
        self.start_button.on_click(lambda _b: self.start())
        self.code.observe(self._code_entered, names="value")
        style = {"description_width": "8em"}
        self.name.style, self.code.style = style, style
        self.message.add_class("srmq-message")
        super().__init__(
            [stylesheet(), self.name, self.code, self.start_button, self.message, self.area],
            layout=widgets.Layout(width="100%", max_width="60em"),
        )
        self.add_class("srmquiz-classroom")
        self.add_class("srmq-card")

    def _code_entered(self, change: dict[str, Any]) -> None:
        """Enter in the code field (a committed code) starts, as Start does."""
        if not self._starting and change["new"].strip():
            self.start()

    def _say(self, text: str, *, problem: bool = False) -> None:
        """Show one line of plain text (escaped here); a problem is announced as an alert."""
        self.message.value = alert_html(text) if problem else f"<p>{esc(text)}</p>"

    def start(self) -> None:
        """Start the session quiz, or say what is missing; a second start does nothing."""
        if self.quiz is not None:
            return  # a double click, or Enter after Start: one quiz per session
        learner = self.name.value.strip()
        if not learner:
            self._say(
                "Type your name first, so your instructor can find your result.", problem=True
            )
            return
        try:
            session = parse_code(self.matrix, self.code.value)
            questions = session.questions(self.matrix)
        except (SessionCodeError, ValueError) as exc:
            self._say(str(exc), problem=True)
            return
        code = canonical(self.code.value)
        self._starting = True  # showing the canonical code must not start again
        try:
            self.code.value = code
        finally:
            self._starting = False
        self.name.disabled = self.code.disabled = self.start_button.disabled = True
        self.quiz = Quiz(
            questions,
            matrix=self.matrix,
            mode=session.mode,
            title=f"Session {code}: {session.describe(self.matrix)}",
        )
        self._started = time.time()
        if self._on_start is not None:
            self._on_start(self.quiz, learner, code)
        self.quiz.on_finish(lambda q: self._finished(q, learner, code))
        self._say(f"Good luck, {learner}. Your answers are kept as you go.")
        self.area.children = [self.quiz]

    def _finished(self, made: Quiz, learner: str, code: str) -> None:
        doc = ResultDocument.build(
            learner=learner,
            code=code,
            matrix=self.matrix,
            answers=made.answers,
            questions=made.questions,
            started_at=self._started,
            finished_at=time.time(),
        )
        self.result = doc
        kept = self._keep(doc) if self._keep is not None else []
        where = "; ".join(kept) or "not kept anywhere"
        self._say(f"Finished: {doc.score} of {doc.total}. Your result is {where}.")
