"""The walkthrough's Prev/Next stepper: renders a :class:`~srmquiz.core.walkthrough.Tour`."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import ipywidgets as widgets

from srmquiz.core.matrix import Matrix
from srmquiz.core.palette import BLUE, ORANGE
from srmquiz.core.pictures import StackPicture
from srmquiz.core.walkthrough import Step, Tour
from srmquiz.widgets.html import (
    Picture,
    callout,
    esc,
    no_picture_html,
    paragraphs_html,
    picture_caption,
    sources_html,
)


class Walkthrough(widgets.VBox):
    """Prev/Next through the steps; a question step pauses until Next reveals the answer.

    ``presenter=True`` uses large type and large figures for a projector.
    """

    def __init__(self, matrix: Matrix, steps: Sequence[Step], *, presenter: bool = False) -> None:
        self.tour = Tour(tuple(steps))
        self.matrix = matrix
        self.presenter = presenter
        self._font = "1.6em" if presenter else "1.05em"
        sections = self.tour.sections
        self.jump = widgets.Dropdown(
            options=sections, value=sections[0], description="Section:", layout={"width": "auto"}
        )
        self.position_label = widgets.Label("")
        self.title = widgets.HTML("")
        self.text = widgets.HTML("")
        self.ask = widgets.HTML("")
        self.answer = widgets.HTML("")
        self.picture = Picture()
        self.prev_button = widgets.Button(description="◀ Previous", tooltip="Previous step")
        self.next_button = widgets.Button(
            description="Next ▶", button_style="primary", tooltip="Next step"
        )
        self.prev_button.on_click(lambda _b: self.prev())
        self.next_button.on_click(lambda _b: self.next())
        self._jumping = False
        self.jump.observe(self._jumped, names="value")
        self.source = widgets.HTML("")
        nav = widgets.HBox([self.prev_button, self.next_button, self.position_label, self.jump])
        super().__init__(
            [nav, self.title, self.text, self.ask, self.picture, self.answer, self.source],
            layout=widgets.Layout(width="100%", max_width="80em" if presenter else "60em"),
        )
        self.add_class("srmquiz-walkthrough")
        self._render()

    # -- state ----------------------------------------------------------------
    @property
    def steps(self) -> tuple[Step, ...]:
        """Every step, in order."""
        return self.tour.steps

    @property
    def position(self) -> int:
        """The step on screen (0-based)."""
        return self.tour.position

    @property
    def step(self) -> Step:
        """The step on screen."""
        return self.tour.step

    @property
    def waiting(self) -> bool:
        """The step on screen asks the room and its answer is not shown yet."""
        return self.tour.waiting

    # -- actions --------------------------------------------------------------
    def next(self) -> None:
        """Reveal the answer of a waiting question; otherwise go to the next step."""
        self.tour.next()
        self._render()

    def prev(self) -> None:
        """Go back one step."""
        self.tour.prev()
        self._render()

    def goto(self, index: int) -> None:
        """Go to step `index` (0-based); IndexError names the valid range."""
        self.tour.goto(index)
        self._render()

    def _jumped(self, change: dict[str, Any]) -> None:
        if not self._jumping:
            self.tour.goto_section(change["new"])
            self._render()

    # -- drawing --------------------------------------------------------------
    def _render(self) -> None:
        tour, step, f = self.tour, self.tour.step, self._font
        self.position_label.value = (
            f"Step {tour.position + 1} of {len(tour.steps)} · {step.section}"
        )
        self.title.value = (
            f'<h2 style="font-size:calc({f} * 1.5);margin:4px 0">{esc(step.title)}</h2>'
        )
        self.text.value = (
            f'<div style="font-size:{f}">{paragraphs_html(step.text, step.items)}</div>'
        )
        self.ask.value = (
            callout(
                f"<strong>Ask the room:</strong> {esc(step.ask)}",
                colour=BLUE,
                cls="srmq-ask",
                font_size=f"calc({f} * 1.2)",
            )
            if step.ask
            else ""
        )
        self.answer.value = (
            callout(
                f"<strong>Answer:</strong> {esc(step.answer)}",
                colour=ORANGE,
                cls="srmq-answer",
                font_size=f,
            )
            if step.ask and not tour.waiting
            else ""
        )
        self._draw(tour.picture)
        self.source.value = sources_html(
            self.matrix, [step.source] if step.source else [], [step.note] if step.note else []
        )
        self.prev_button.disabled = tour.position == 0
        self.next_button.disabled = tour.at_end
        self.next_button.description = "Reveal answer" if tour.waiting else "Next ▶"
        self.next_button.tooltip = "Show the answer" if tour.waiting else "Next step"
        self._jumping = True
        self.jump.value = step.section
        self._jumping = False
        if tour.waiting and step.after is not None:
            self._png(step.after)  # ready before the reveal click

    def _png(self, picture: StackPicture) -> bytes:
        from srmquiz.draw.stacks import picture_png

        return picture_png(self.matrix, picture, presenter=self.presenter)

    def _draw(self, picture: StackPicture | None) -> None:
        if picture is None:
            self.picture.hide()
            return
        try:
            png = self._png(picture)
        except Exception as exc:  # a missing picture must not stop the class
            self.picture.hide()
            self.answer.value += no_picture_html(exc)
            return
        single = "700px" if self.presenter else "460px"
        width = "100%" if picture.comparison else single
        self.picture.show(png, picture_caption(self.matrix, picture), width=width)
