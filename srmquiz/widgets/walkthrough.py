"""The walkthrough's Prev/Next stepper: renders a :class:`~srmquiz.core.walkthrough.Tour`."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from contextlib import suppress
from functools import partial
from typing import Any, TypeVar

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
    png_size,
    sources_html,
)
from srmquiz.widgets.quiz import call_later_in_kernel
from srmquiz.widgets.style import stylesheet

PICTURE_HEIGHT = {
    True: "max(240px, 100vh - 300px)",
    False: "min(440px, max(220px, 100vh - 330px))",
}
"""How tall a picture may be (CSS), presenter or not: what a screen leaves under the
navigation row (JupyterLab's menus and toolbars take about 120 px of a 720 px projector)."""

PICTURE_SHARE = {True: 58, False: 50}
"""At most this share (percent) of the stepper's width goes to the picture beside the text."""


W = TypeVar("W", bound=widgets.DOMWidget)


def classed(widget: W, *names: str) -> W:
    """The widget with these CSS classes added (srmquiz's stylesheet styles them)."""
    for name in names:
        widget.add_class(name)
    return widget


class Walkthrough(widgets.VBox):
    """Prev/Next through the steps; a question step pauses until Next reveals the answer.

    Navigation on top; under it the picture on the left, sized to the height a screen
    leaves, and on the right the title, the text, the question for the room and, after
    Reveal, the answer: one screen per step, without scrolling. ``presenter=True`` (a
    projector) uses the whole width, large controls and type that grows with the screen.
    """

    def __init__(self, matrix: Matrix, steps: Sequence[Step], *, presenter: bool = False) -> None:
        self.tour = Tour(tuple(steps))
        self.matrix = matrix
        self.presenter = presenter
        sections = self.tour.sections
        self.jump = widgets.Dropdown(
            options=sections, value=sections[0], description="Section:", layout={"width": "auto"}
        )
        self.position_label = classed(widgets.Label(""), "srmq-walk-position")
        self.title = widgets.HTML("")
        self.text = widgets.HTML("")
        self.ask = widgets.HTML("")
        self.answer = widgets.HTML("")
        self.source = widgets.HTML("")
        self.picture = classed(Picture(), "srmq-walk-picture")
        # picture_box caps the width; a max-width in % would let the caption's column shrink
        # the picture to the width of the caption's longest word (own layout: not the caption's)
        self.picture.image.layout = widgets.Layout(max_width="none")
        self.prev_button = widgets.Button(description="◀ Previous", tooltip="Previous step")
        self.next_button = widgets.Button(
            description="Next ▶", button_style="primary", tooltip="Next step"
        )
        self.prev_button.on_click(lambda _b: self.prev())
        self.next_button.on_click(lambda _b: self.next())
        self._jumping = False
        self.jump.observe(self._jumped, names="value")
        self.nav = classed(
            widgets.HBox([self.prev_button, self.next_button, self.position_label, self.jump]),
            "srmq-walk-nav",
        )
        self.side = classed(
            widgets.VBox([self.title, self.text, self.ask, self.answer, self.source]),
            "srmq-walk-side",
        )
        self.body = classed(widgets.HBox([self.picture, self.side]), "srmq-walk-body")
        super().__init__(
            [stylesheet(), self.nav, self.body],
            layout=widgets.Layout(width="100%", max_width=None if presenter else "60em"),
        )
        classed(self, "srmquiz", "srmquiz-walkthrough", "srmq-walk")
        classed(self, *(["srmq-presenter"] if presenter else []))
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
        tour, step = self.tour, self.tour.step
        self.position_label.value = (
            f"Step {tour.position + 1} of {len(tour.steps)} · {step.section}"
        )
        self.title.value = f'<h2 class="srmq-walk-title">{esc(step.title)}</h2>'
        self.text.value = (
            f'<div class="srmq-walk-text">{paragraphs_html(step.text, step.items)}</div>'
        )
        self.ask.value = (
            callout(f"<strong>Ask the room:</strong> {esc(step.ask)}", colour=BLUE, cls="srmq-ask")
            if step.ask
            else ""
        )
        self.answer.value = (
            callout(
                f"<strong>Answer:</strong> {esc(step.answer)}", colour=ORANGE, cls="srmq-answer"
            )
            if step.ask and not tour.waiting
            else ""
        )
        self.source.value = sources_html(
            self.matrix, [step.source] if step.source else [], [step.note] if step.note else []
        )
        # the controls before the picture: they say what the next click does while the picture draws
        self.prev_button.disabled = tour.position == 0
        self.next_button.disabled = tour.at_end
        self.next_button.description = "Reveal answer" if tour.waiting else "Next ▶"
        self.next_button.tooltip = "Show the answer" if tour.waiting else "Next step"
        self._jumping = True
        self.jump.value = step.section
        self._jumping = False
        self._draw(tour.picture)
        draw_ahead(self._png, tour)

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
        # the <img> gets the width picture_box chose; its height follows at the picture's
        # own aspect (the PNG's size is on the element, so the box is kept before it loads)
        width, _height = picture_box(png, presenter=self.presenter)
        self.picture.show(png, picture_caption(self.matrix, picture, brief=True), width=width)


def draw_ahead(render: Callable[[StackPicture], bytes], tour: Tour) -> None:
    """Render :func:`picture_ahead` now, or in a kernel just after this step is sent."""
    ahead = picture_ahead(tour)
    if ahead is not None and not call_later_in_kernel(0.0, partial(_quietly, render, ahead)):
        _quietly(render, ahead)


def _quietly(render: Callable[[StackPicture], bytes], picture: StackPicture) -> None:
    with suppress(Exception):  # a broken picture is said when its step is shown
        render(picture)


def picture_ahead(tour: Tour) -> StackPicture | None:
    """What the next click shows, drawn while this step is talked about (in a kernel, once
    this step's picture is on its way): the revealed picture of a question for the room,
    else the next step's picture."""
    if tour.waiting and tour.step.after is not None:
        return tour.step.after
    if tour.position + 1 < len(tour.steps):
        return tour.steps[tour.position + 1].figure
    return None


def picture_box(png: bytes, *, presenter: bool) -> tuple[str, str]:
    """(width, height) in CSS for a picture beside the text: as tall as the screen allows,
    no wider than its share of the stepper, and always at the picture's own aspect ratio, so
    its box is reserved before it loads and nothing below or beside it moves.

    A wide picture (a comparison) outside presenter mode may take the whole width; the text
    then wraps under it. Widths in ``cqw`` are shares of the stepper's body (a CSS container).
    """
    w, h = png_size(png) or (4, 5)
    ratio = w / h
    share = PICTURE_SHARE[presenter] if presenter or ratio <= 1.2 else 100
    tall = PICTURE_HEIGHT[presenter]
    return (
        f"min(calc({ratio:.4f} * {tall}), {share}cqw)",
        f"min({tall}, {share / ratio:.3f}cqw)",
    )
