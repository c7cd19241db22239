"""The instructor walkthrough: the course's path as steps, and a Prev/Next stepper widget.

Steps come from two places. ``content/walkthrough.toml`` holds the narration (an
introduction, a lead-in per service, the rules, the comparison, the class quiz);
the steps that reveal a stack one layer at a time are built from the matrix, so a
change of owner in ``matrix.toml`` shows up here without editing anything else.

A "who owns this?" step pauses: the first Next reveals the answer, the second moves on.
"""

from __future__ import annotations

import os
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import ipywidgets as widgets

from srmquiz.content import (
    ContentError,
    _Checker,
    _read,
    display_path,
    find_content_dir,
    load_matrix,
)
from srmquiz.matrix import Matrix, Owner, UnknownIdError
from srmquiz.notebook import error_widget
from srmquiz.ui import Picture, esc

FILE = "walkthrough.toml"
ASK_MODES = ["all", "changes"]


@dataclass(frozen=True, slots=True)
class Narration:
    title: str
    text: str
    source: str
    where: str
    figure: str = ""


@dataclass(frozen=True, slots=True)
class ServicePart:
    service: str
    lead: str
    ask: str
    source: str
    where: str


@dataclass(frozen=True, slots=True)
class Script:
    """content/walkthrough.toml, validated against the matrix."""

    intro: tuple[Narration, ...]
    services: tuple[ServicePart, ...]
    rules: Narration
    comparison: Narration
    class_quiz: Narration


@dataclass(frozen=True, slots=True)
class Figure:
    """What to draw for a step: one stack (maybe partly revealed) or the comparison."""

    services: tuple[str, ...]
    highlight: tuple[str, ...] = ()
    reveal: tuple[str, ...] | None = None

    def png(self, matrix: Matrix, presenter: bool) -> bytes:
        from srmquiz.stacks import comparison_png, stack_png

        if len(self.services) == 1:
            return stack_png(
                matrix,
                self.services[0],
                self.highlight,
                presenter=presenter,
                reveal=self.reveal,
            )
        return comparison_png(matrix, self.services, self.highlight, presenter=presenter)


@dataclass(frozen=True, slots=True)
class Step:
    section: str
    title: str
    text: str
    """Plain text (escaped when shown); paragraphs separated by blank lines."""
    figure: Figure | None = None
    ask: str = ""
    """A question for the room; when set, the step pauses until Next reveals `answer`."""
    answer: str = ""
    after: Figure | None = None
    """The figure once the answer is revealed."""
    items: tuple[str, ...] = ()
    """Bullet points (plain text)."""
    source: tuple[str, str] | None = None


def load_script(matrix: Matrix, directory: str | os.PathLike[str] | None = None) -> Script:
    """Read content/walkthrough.toml or raise ContentError (one line per problem)."""
    base = Path(directory) if directory is not None else find_content_dir()
    problems: list[str] = []
    data, _ = _read(base, FILE, problems)
    check = _Checker(display_path(base / FILE), problems)
    script = None
    if data is not None:
        script = _script(data, check, matrix)
    if problems or script is None:
        raise ContentError(problems or [f"{display_path(base / FILE)}: unusable"])
    return script


def _narration(value: Any, path: str, check: _Checker, matrix: Matrix) -> Narration | None:
    table = check.table(
        value,
        path,
        {"title": str, "text": str, "source": str, "where": str},
        {"figure": str},
    )
    if table is None:
        return None
    check.nonempty(table, path, "title", "text", "where")
    if table["source"] not in matrix.sources:
        check.one_of(table["source"], f"{path}.source", sorted(matrix.sources), "source")
    figure = table.get("figure", "")
    if figure:
        check.one_of(figure, f"{path}.figure", ["foundations"], "figure")
    return Narration(table["title"], table["text"], table["source"], table["where"], figure)


def _script(data: dict[str, Any], check: _Checker, matrix: Matrix) -> Script | None:
    from srmquiz.content import list_of_tables

    top = check.table(
        data,
        "",
        {
            "schema_version": int,
            "intro": list_of_tables,
            "services": dict,
            "rules": dict,
            "comparison": dict,
            "class-quiz": dict,
        },
    )
    if top is None:
        return None
    intro = [_narration(v, f"intro[{i}]", check, matrix) for i, v in enumerate(top["intro"])]
    parts = []
    for sid, value in top["services"].items():
        path = f"services.{sid}"
        if sid not in matrix.service_ids:
            check.one_of(sid, path, matrix.service_ids, "service")
            continue
        table = check.table(value, path, {"lead": str, "ask": str, "source": str, "where": str})
        if table is None:
            continue
        check.nonempty(table, path, "lead", "where")
        check.one_of(table["ask"], f"{path}.ask", ASK_MODES)
        if table["source"] not in matrix.sources:
            check.one_of(table["source"], f"{path}.source", sorted(matrix.sources), "source")
        parts.append(ServicePart(sid, table["lead"], table["ask"], table["source"], table["where"]))
    if not top["services"]:
        check.add("services", "is empty")
    rules = _narration(top["rules"], "rules", check, matrix)
    comparison = _narration(top["comparison"], "comparison", check, matrix)
    class_quiz = _narration(top["class-quiz"], "class-quiz", check, matrix)
    if None in intro or rules is None or comparison is None or class_quiz is None:
        return None
    return Script(tuple(intro), tuple(parts), rules, comparison, class_quiz)  # type: ignore[arg-type]


def answer_text(matrix: Matrix, service: str, layer: str) -> str:
    """'Customer. <why>' for one cell, with each side's part for a shared cell."""
    cell = matrix.cell(service, layer)
    text = f"{matrix.owner_label(cell.owner)}. {cell.explanation}"
    if cell.owner is Owner.SHARED:
        text += " " + matrix.templates.explanations["shared_parts"].format(
            aws_part=cell.aws_part, customer_part=cell.customer_part
        )
    return text


def always(matrix: Matrix, owner: Owner) -> list[str]:
    """Layer ids with the same owner on every service."""
    return [
        la.id
        for la in matrix.layers
        if all(matrix.cell(s, la.id).owner is owner for s in matrix.service_ids)
    ]


def build_steps(matrix: Matrix, script: Script) -> list[Step]:
    """The whole walkthrough, in order."""
    steps: list[Step] = []
    for n in script.intro:
        figure = None
        if n.figure == "foundations":
            base = always(matrix, Owner.AWS)
            first = script.services[0].service if script.services else matrix.service_ids[0]
            figure = Figure((first,), highlight=tuple(base), reveal=tuple(base))
        steps.append(Step("Introduction", n.title, n.text, figure, source=(n.source, n.where)))
    previous: str | None = None
    for part in script.services:
        svc = matrix.service(part.service)
        category = matrix.categories[svc.category]
        section = svc.name
        known: list[str] = []
        asked = matrix.layer_ids
        if part.ask == "changes" and previous is not None:
            asked = [
                lid
                for lid in matrix.layer_ids
                if matrix.cell(part.service, lid).owner != matrix.cell(previous, lid).owner
            ]
            known = [lid for lid in matrix.layer_ids if lid not in asked]
        items: tuple[str, ...] = ()
        if known:
            prev_name = matrix.service(previous).name if previous else ""
            items = tuple(
                f"{matrix.layer(lid).name}: {matrix.owner_label(matrix.cell(part.service, lid).owner)}"
                f", as on {prev_name}"
                for lid in known
            )
        steps.append(
            Step(
                section,
                f"{svc.name} ({category.short})",
                f"{part.lead}\n\n{category.name}: {category.description}",
                Figure((part.service,), reveal=tuple(known)),
                items=items,
                source=(part.source, part.where),
            )
        )
        for lid in asked:
            layer = matrix.layer(lid)
            cell = matrix.cell(part.service, lid)
            before = tuple(known)
            known.append(lid)
            steps.append(
                Step(
                    section,
                    f"{svc.name}: {layer.name}",
                    layer.description,
                    Figure((part.service,), highlight=(lid,), reveal=before),
                    ask=f"On {svc.name}, who owns {layer.noun}: AWS, the customer, or both?",
                    answer=answer_text(matrix, part.service, lid),
                    after=Figure((part.service,), highlight=(lid,), reveal=tuple(known)),
                    source=(cell.source, cell.where),
                )
            )
        previous = part.service
    r = script.rules
    aws_always = always(matrix, Owner.AWS)
    customer_always = always(matrix, Owner.CUSTOMER)
    items = (
        "AWS, on every service: " + ", ".join(matrix.layer(x).name for x in aws_always),
        "The customer, on every service: "
        + ", ".join(matrix.layer(x).name for x in customer_always),
    )
    steps.append(
        Step(
            "Rules",
            r.title,
            r.text,
            Figure(tuple(matrix.service_ids), highlight=tuple(aws_always + customer_always)),
            items=items,
            source=(r.source, r.where),
        )
    )
    if matrix.controls:
        by_cat = {
            cat: [c.name for c in matrix.controls if c.category == cat]
            for cat in matrix.control_categories
        }
        steps.append(
            Step(
                "Rules",
                "Controls: inherited, shared, customer-specific",
                " ".join(c.description for c in matrix.control_categories.values()),
                items=tuple(
                    f"{matrix.control_categories[cat].name}: {', '.join(names)}"
                    for cat, names in by_cat.items()
                    if names
                ),
                source=(matrix.controls[0].source, "control categories"),
            )
        )
    c = script.comparison
    steps.append(
        Step(
            "Comparison",
            c.title,
            c.text,
            Figure(tuple(p.service for p in script.services) or tuple(matrix.service_ids)),
            source=(c.source, c.where),
        )
    )
    q = script.class_quiz
    steps.append(Step("Class quiz", q.title, q.text, source=(q.source, q.where)))
    return steps


@dataclass
class _State:
    position: int = 0
    revealed: set[int] = field(default_factory=set)


class Walkthrough(widgets.VBox):
    """Prev/Next through the steps; a question step pauses until Next reveals the answer.

    ``presenter=True`` uses large type and large figures for a projector.
    """

    def __init__(self, matrix: Matrix, steps: Sequence[Step], *, presenter: bool = False) -> None:
        if not steps:
            raise ValueError("a walkthrough needs at least one step")
        self.matrix = matrix
        self.steps = list(steps)
        self.presenter = presenter
        self._state = _State()
        size = "1.6em" if presenter else "1.05em"
        self._font = size
        sections = list(dict.fromkeys(s.section for s in self.steps))
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
    def position(self) -> int:
        return self._state.position

    @property
    def step(self) -> Step:
        return self.steps[self._state.position]

    @property
    def waiting(self) -> bool:
        """The step on screen asks the room and its answer is not shown yet."""
        return bool(self.step.ask) and self.position not in self._state.revealed

    # -- actions --------------------------------------------------------------
    def next(self) -> None:
        """Reveal the answer of a waiting question; otherwise go to the next step."""
        if self.waiting:
            self._state.revealed.add(self.position)
        elif self.position + 1 < len(self.steps):
            self._state.position += 1
        self._render()

    def prev(self) -> None:
        if self.position > 0:
            self._state.position -= 1
            self._render()

    def goto(self, index: int) -> None:
        if not 0 <= index < len(self.steps):
            raise IndexError(f"step {index + 1} does not exist (1 to {len(self.steps)})")
        self._state.position = index
        self._render()

    def _jumped(self, change: dict[str, Any]) -> None:
        if self._jumping:
            return
        first = next(i for i, s in enumerate(self.steps) if s.section == change["new"])
        self.goto(first)

    # -- drawing --------------------------------------------------------------
    def _render(self) -> None:
        step, n = self.step, len(self.steps)
        f = self._font
        self.position_label.value = f"Step {self.position + 1} of {n} · {step.section}"
        self.title.value = (
            f'<h2 style="font-size:calc({f} * 1.5);margin:4px 0">{esc(step.title)}</h2>'
        )
        paragraphs = "".join(f"<p>{esc(p)}</p>" for p in step.text.split("\n\n") if p.strip())
        bullets = "".join(f"<li>{esc(i)}</li>" for i in step.items)
        bullets = f"<ul>{bullets}</ul>" if bullets else ""
        self.text.value = f'<div style="font-size:{f}">{paragraphs}{bullets}</div>'
        waiting = self.waiting
        self.ask.value = (
            f'<div class="srmq-ask" style="font-size:calc({f} * 1.2);border-left:6px solid '
            f'#0072B2;padding:2px 10px"><strong>Ask the room:</strong> {esc(step.ask)}</div>'
            if step.ask
            else ""
        )
        if step.ask and not waiting:
            self.answer.value = (
                f'<div class="srmq-answer" style="font-size:{f};border-left:6px solid #E69F00;'
                f'padding:2px 10px"><strong>Answer:</strong> {esc(step.answer)}</div>'
            )
        else:
            self.answer.value = ""
        self._draw(step.after if (step.after is not None and not waiting) else step.figure)
        if step.source:
            sid, where = step.source
            src = self.matrix.sources.get(sid)
            title = src.title if src else sid
            self.source.value = f"<p><small>Source: {esc(title)} ({esc(where)})</small></p>"
        else:
            self.source.value = ""
        self.prev_button.disabled = self.position == 0
        last = self.position == n - 1
        self.next_button.disabled = last and not waiting
        self.next_button.description = "Reveal answer" if waiting else "Next ▶"
        self.next_button.tooltip = "Show the answer" if waiting else "Next step"
        self._jumping = True
        self.jump.value = step.section
        self._jumping = False
        if waiting and step.after is not None:
            step.after.png(self.matrix, self.presenter)  # ready before the reveal click

    def _draw(self, figure: Figure | None) -> None:
        if figure is None:
            self.picture.layout.display = "none"
            return
        try:
            png = figure.png(self.matrix, self.presenter)
        except Exception as exc:  # a missing picture must not stop the class
            self.picture.layout.display = "none"
            self.answer.value += f"<p><small>(No picture: {esc(exc)})</small></p>"
            return
        names = [self.matrix.service(s).name for s in figure.services]
        if len(names) > 1:
            caption = "Stacks side by side: " + ", ".join(esc(x) for x in names) + "."
        else:
            hidden = (
                len(self.matrix.layers) - len(figure.reveal) if figure.reveal is not None else 0
            )
            caption = f"The {esc(names[0])} stack, bottom to top"
            caption += f"; {hidden} layers still hidden as “?”." if hidden else "."
        if figure.highlight:
            outlined = ", ".join(esc(self.matrix.layer(x).name) for x in figure.highlight)
            caption += f" Outlined: {outlined}."
        width = "100%" if len(names) > 1 else ("700px" if self.presenter else "460px")
        self.picture.show(png, caption, width=width)

    def text_on_screen(self) -> str:
        """Everything the audience can read now (for tests and screen readers)."""
        parts = [self.title.value, self.text.value, self.ask.value, self.answer.value]
        if self.picture.shown:
            parts.append(self.picture.caption.value)
        return "".join(parts)


def walkthrough(
    *,
    presenter: bool = False,
    content: str | os.PathLike[str] | None = None,
) -> Walkthrough | widgets.HTML:
    """The instructor walkthrough as a Prev/Next stepper (presenter=True: large type)."""
    try:
        matrix = load_matrix(content)
        script = load_script(matrix, content)
        return Walkthrough(matrix, build_steps(matrix, script), presenter=presenter)
    except ContentError as exc:
        return error_widget(exc.problems)
    except (UnknownIdError, ValueError) as exc:
        return error_widget([str(exc)])
