"""The instructor's side of a session: the answer key, the class dashboard and a live view.

These widgets show what they are given: the entry points in :mod:`srmquiz.notebook` collect
the results, read the shared database and save the grades.
"""

from __future__ import annotations

import re
import time
from collections import Counter
from collections.abc import Callable, Mapping, Sequence
from typing import Any

import ipywidgets as widgets

from srmquiz.core.matrix import Matrix, Owner
from srmquiz.core.palette import BLUE
from srmquiz.core.questions import Question
from srmquiz.core.results import NAME_WIDTH, Collected, question_name, shown
from srmquiz.core.review import Attempt
from srmquiz.core.sessions import Session, canonical, printed_answer
from srmquiz.core.wording import Wording, count
from srmquiz.widgets.html import (
    RIGHT_MARK,
    WRONG_MARK,
    alert_html,
    esc,
    heatmap_alt,
    png_image,
    table_html,
)
from srmquiz.widgets.style import css, stylesheet

SaveHook = Callable[[str, str], str]
"""save(file name, CSV text) -> where it was saved; raises OSError when it cannot."""
ReadHook = Callable[[], tuple[list[Attempt], str]]
"""read() -> (the session's attempts so far, a problem line or "")."""

MAX_BARS = 64
"""Questions drawn as bars at most (a session has at most 64; more come only from odd input)."""
SIMULATED_BANNER = "Simulated class: these are not real students' results"
SIMULATED_NO_SAVE = (
    "Not saved: these grades come from a simulated class, not real students "
    "(srmquiz.demo_class); collect real result files to save grades."
)


def question_names(
    questions: Sequence[Question], texts: Mapping[str, str] | None = None
) -> Callable[[str], str]:
    """name(question id): "Q3 · its text…" for the session's questions (numbered as in its
    answer key), the text alone for others in ``texts``, the id only for unknown ones."""
    numbers = {q.id: i for i, q in enumerate(questions, 1)}
    known = {**(texts or {}), **{q.id: q.prompt for q in questions}}
    return lambda question_id: question_name(question_id, known, numbers)


def _chart(draw: Callable[[], widgets.Widget], what: str) -> widgets.Widget:
    """The chart draw() makes, or one line saying it could not be drawn: a chart never
    stops the rest of the dashboard."""
    try:
        return draw()
    except Exception as exc:
        return widgets.HTML(
            alert_html(f"could not draw {what} ({type(exc).__name__}: {shown(str(exc), 80)})")
        )


def _once(text: str) -> str:
    """The text with any sentence that repeats an earlier one (word for word) left out."""
    seen: set[str] = set()
    kept = []
    for sentence in re.split(r"(?<=[.!?])\s+", text.strip()):
        key = " ".join(sentence.casefold().split())
        if key and key not in seen:
            seen.add(key)
            kept.append(sentence)
    return " ".join(kept)


def _counted(n: int, what: str) -> str:
    """ "1 layer", "2 layers"."""
    return f"{n} {what}{'' if n == 1 else 's'}"


def key_answer_html(question: Question) -> str:
    """A question's answer as the answer key shows it (escaped here): build-the-stack one
    layer per line, top first as the stack is drawn; others the answer in bold."""
    if question.kind != "build-the-stack":
        return f"<strong>{esc(printed_answer(question))}</strong>"
    items = "".join(
        f"<li>{esc(p.name)}: <strong>{esc(p.answer)}</strong></li>"
        for p in reversed(question.parts)
    )
    return f"<ul class='srmq-key-layers'>{items}</ul>"


def key_why(matrix: Matrix, question: Question) -> str:
    """Why, as the answer key says it (plain text): the question's explanation, each
    sentence once, without the "what each side does" sentence the cell's own explanation
    already covers; build-the-stack: the layers per owner, counted in words."""
    words = Wording(matrix)
    if question.kind == "build-the-stack" and question.service is not None:
        stack = matrix.stack(question.service)
        counts = [(words.label(o), sum(c.owner is o for c in stack)) for o in Owner]
        listed = "; ".join(f"{label} {_counted(n, 'layer')}" for label, n in counts if n)
        name = matrix.service(question.service).name
        return f"{_counted(len(stack), 'layer')} on {name}: {listed}."
    text = question.explanation
    if question.service and question.layer and matrix.has(question.service, question.layer):
        parts = words.shared_parts(matrix.cell(question.service, question.layer))
        if parts and text.count(parts) == 1 and text.strip() != parts.strip():
            text = text.replace(parts, " ")
    return _once(text)


def answer_key_html(matrix: Matrix, code: str, session: Session) -> str:
    """A printable answer key for a session: every question, its answer and why.

    Carries srmquiz's stylesheet itself (it is one HTML widget): a table with borders and
    the "Why" in the page's own text size.
    """
    questions = session.questions(matrix)
    rows = [
        (str(i), esc(q.prompt), key_answer_html(q), esc(key_why(matrix, q)))
        for i, q in enumerate(questions, 1)
    ]
    return (
        f"<style>{css()}</style><div class='srmquiz srmq-card srmq-answer-key'>"
        f"<h3>Answer key for {esc(canonical(code))}</h3>"
        f"<p>{esc(session.describe(matrix))}. Choices appear to students in this order.</p>"
        + table_html(["#", "Question", "Answer", "Why"], rows, cls="srmq-key", numeric=[0])
        + "</div>"
    )


def _head_html(c: Collected) -> str:
    """The simulated-class banner (if it is one), the heading, the mean, what was skipped."""
    summary = c.summary()
    banner = ""
    if c.simulated:
        share = (
            ""
            if c.simulated == len(c.found)
            else f" ({c.simulated} of {len(c.found)} results are simulated)"
        )
        banner = (
            f"<p class='srmq-simulated' role='note'><strong>⚠ {esc(SIMULATED_BANNER)}"
            f"</strong>{esc(share)}. Its grades cannot be saved.</p>"
        )
    head = banner + (
        f"<h3>Session {esc(shown(c.code or '(none)', 60))}: {summary.students} results</h3>"
        if c.results
        else "<h3>No results yet</h3><p>Nothing usable was found in the given places.</p>"
    )
    if c.results:
        head += f"<p>Mean score {summary.mean_percent}%, median {summary.median_percent}%.</p>"
    if c.skipped or c.notes:
        items = "".join(f"<li>skipped: {esc(shown(s))}</li>" for s in c.skipped)
        items += "".join(f"<li>note: {esc(shown(s))}</li>" for s in c.notes)
        head += (
            f"<details open><summary>{len(c.skipped)} skipped</summary><ul>{items}</ul></details>"
        )
    return head


def _charts(
    matrix: Matrix, c: Collected, name: Callable[[str], str]
) -> tuple[list[widgets.Widget], dict[tuple[str, str], float]]:
    """The score histogram, the bars per question, the heatmap and its caption; and the
    heatmap's values (share wrong per service and layer)."""
    from srmquiz.draw.charts import (
        asked_services,
        difficulty_bars,
        heatmap_png,
        heatmap_width,
        score_histogram,
    )
    from srmquiz.draw.render import figure_bytes

    percents = [g.percent for g in c.grades()]
    stats = c.question_stats()
    shown_stats = sorted(stats, key=lambda s: (s.percent_right, -s.asked))[:MAX_BARS]
    title = "Share right per question (Q = number in the answer key)"
    if len(stats) > MAX_BARS:
        title += f" (the {MAX_BARS} hardest of {len(stats)})"
    names = {st.question_id: name(st.question_id) for st in shown_stats}
    cells = c.mistakes_by_cell()
    heatmap_values = {k: w / n for k, (w, n) in cells.items() if n}
    columns = asked_services(matrix, cells)
    charts = [
        _chart(
            lambda: png_image(
                figure_bytes(score_histogram(percents, title="Scores")),
                "640px",
                f"Histogram of the class's scores ({count(len(percents), 'result')}): "
                f"mean {c.summary().mean_percent}%, median {c.summary().median_percent}%.",
            ),
            "the score histogram",
        ),
        _chart(
            lambda: png_image(
                figure_bytes(difficulty_bars(shown_stats, title=title, names=names)),
                "900px",
                f"{title}: "
                + "; ".join(f"{names[st.question_id]}: {st.percent_right}%" for st in shown_stats)
                + ".",
            ),
            "the bars per question",
        ),
        _chart(
            lambda: png_image(
                heatmap_png(
                    matrix,
                    heatmap_values,
                    title="Mistakes per service and layer (share of answers wrong)",
                    scale="mistakes",
                    counts=cells,
                    services=columns,
                ),
                heatmap_width(columns),
                heatmap_alt(matrix, heatmap_values, "the class's"),
            ),
            "the heatmap",
        ),
        widgets.HTML(
            "<p class='srmq-caption'>Heatmap: each cell is the share of wrong answers "
            "to questions on that service and layer, with wrong/answered below; the "
            "stronger (darker red) the colour, the more mistakes; a blank cell with a "
            "dash was not asked. Only the services the session asked about are drawn.</p>"
        ),
    ]
    return charts, heatmap_values


def answers_given(question: Question | None, given: Sequence[tuple[str, int]]) -> str:
    """What the class answered, most often first: "AWS: 2; Shared: 1". A build-the-stack
    answer (an owner per layer) is told by how many layers it got right, "11 of 12 layers
    right: 2", not as a list of twelve owners."""
    tally: Counter[str] = Counter()
    for key, n in given:
        owners = key.split(", ")
        if question is not None and question.parts and len(owners) == len(question.parts):
            right = sum(o == p.answer for o, p in zip(owners, question.parts, strict=True))
            key = f"{right} of {count(len(question.parts), 'layer')} right"
        tally[key] += n
    return "; ".join(f"{k}: {v}" for k, v in sorted(tally.items(), key=lambda kv: -kv[1]))


class Dashboard(widgets.VBox):
    """A class's results: scores, per-question difficulty, a service × layer heatmap of
    mistakes, the most-missed questions, and the grades as CSV.

    ``questions``: the session's questions in answer-key order, so a question is named
    "Q3 · its text" (``texts``: question id -> text for any others). A simulated class
    (results marked simulated, see :func:`srmquiz.core.simulate.simulated_results`) is
    labelled as such at the top, and its grades are never saved.
    """

    def __init__(
        self,
        matrix: Matrix,
        collected: Collected,
        *,
        save: SaveHook | None = None,
        questions: Sequence[Question] = (),
        texts: Mapping[str, str] | None = None,
    ) -> None:
        self.matrix = matrix
        self.collected = collected
        self._save = save
        self.name = question_names(questions, texts)
        self.questions = {q.id: q for q in questions}
        """The session's questions by id (to read what a build-the-stack answer got right)."""
        c = collected
        self.simulated = c.simulated
        parts: list[widgets.Widget] = [widgets.HTML(_head_html(c))]
        self.heatmap_values: dict[tuple[str, str], float] = {}
        if c.results:
            charts, self.heatmap_values = _charts(matrix, c, self.name)
            parts += charts
            parts.append(widgets.HTML(self._most_missed_html()))
            parts.append(widgets.HTML(self._grades_html()))
        self.csv_name = widgets.Text(value="grades.csv", description="CSV file:")
        self.save_button = widgets.Button(
            description="Save grades as CSV",
            disabled=not c.results or save is None or bool(self.simulated),
            tooltip="Never overwrites",
            layout=widgets.Layout(width="auto"),
        )
        self.save_button.add_class("srmq-save")
        self.saved = widgets.HTML(f"<p>{esc(SIMULATED_NO_SAVE)}</p>" if self.simulated else "")
        self.save_button.on_click(lambda _b: self.save_csv())
        parts.append(widgets.HBox([self.csv_name, self.save_button]))
        parts.append(self.saved)
        super().__init__(
            [stylesheet(), *parts], layout=widgets.Layout(width="100%", max_width="70em")
        )
        self.add_class("srmquiz-dashboard")
        self.add_class("srmq-card")

    def _most_missed_html(self) -> str:
        rows = [
            (
                esc(self.name(s.question_id)),
                f"{s.percent_right}% ({s.right}/{s.asked})",
                esc(shown(answers_given(self.questions.get(s.question_id), s.given), 400)),
            )
            for s in self.collected.most_missed(5)
        ]
        headers = ["Question", "Right", "Answers given"]
        return "<h4>Most missed</h4>" + table_html(headers, rows, numeric=[1])

    def _grades_html(self) -> str:
        rows = [
            (esc(shown(g.learner, NAME_WIDTH)), f"{g.score} of {g.total}", f"{g.percent}%")
            for g in self.collected.grades()
        ]
        return "<h4>Grades</h4>" + table_html(["Learner", "Score", "%"], rows, numeric=[1, 2])

    def grades_csv(self) -> str:
        """The grades as CSV text, or for a simulated class one line saying why there are none."""
        return SIMULATED_NO_SAVE if self.simulated else self.collected.to_csv()

    def save_csv(self) -> str | None:
        """Save the grades under the typed name (an existing file is never overwritten).

        Refused, with a line saying why, for a simulated class."""
        if self.simulated:
            self.saved.value = alert_html(SIMULATED_NO_SAVE)
            return None
        if not self.collected.results or self._save is None:
            return None
        try:
            saved = self._save(self.csv_name.value.strip() or "grades.csv", self.collected.to_csv())
        except OSError as exc:
            self.saved.value = alert_html(f"could not write {exc.filename}: {exc.strerror}")
            return None
        self.saved.value = f"<p>Saved the grades to <code>{esc(saved)}</code>.</p>"
        return saved


class LiveView(widgets.VBox):
    """During a walkthrough: how the room answered the question most students are on.

    Reads the shared progress database; press Refresh (or tick Auto-refresh) to update.
    """

    def __init__(
        self,
        matrix: Matrix,
        code: str,
        read: ReadHook,
        *,
        questions: Sequence[Question] = (),
    ) -> None:
        self.matrix = matrix
        self.code = code
        self._read = read
        self.questions = {q.id: q for q in questions}
        self.name = question_names(questions)
        self.refresh_button = widgets.Button(
            description="Refresh", tooltip="Read the answers again"
        )
        self.auto = widgets.Checkbox(
            value=False, description="Auto-refresh every 5 s", indent=False
        )
        self.view = widgets.HTML("")
        self.refresh_button.on_click(lambda _b: self.refresh())
        self.auto.observe(self._auto_changed, names="value")
        super().__init__(
            [stylesheet(), widgets.HBox([self.refresh_button, self.auto]), self.view],
            layout=widgets.Layout(width="100%", max_width="60em"),
        )
        self.add_class("srmquiz-live")
        self.add_class("srmq-card")
        self.refresh()

    def refresh(self) -> None:
        """Read the session's answers again and show the current question's."""
        attempts, problem = self._read()
        if problem:
            self.view.value = alert_html(problem)
            return
        stamp = time.strftime("%H:%M:%S")
        if not attempts:
            self.view.value = f"<p>No answers yet for {esc(self.code)} (checked {stamp}).</p>"
            return
        # the current question: the one with the most recent answer
        current = attempts[-1].question_id
        answers = [a for a in attempts if a.question_id == current]
        latest: dict[str, Attempt] = {}
        for a in answers:
            latest[a.learner] = a  # each learner's last answer counts once
        counts: dict[str, int] = {}
        right_keys: set[str] = set()
        for a in latest.values():
            key = ", ".join(a.given) or "(none)"
            counts[key] = counts.get(key, 0) + 1
            if a.correct:
                right_keys.add(key)
        right = sum(a.correct for a in latest.values())
        total = len(latest)

        def mark(key: str) -> str:
            return (
                f"<td class='srmq-right'>{RIGHT_MARK} right answer</td>"
                if key in right_keys
                else f"<td>{WRONG_MARK} wrong</td>"
            )

        bars = "".join(
            f"<tr><td>{esc(k)}</td><td><div style='background:{BLUE};height:1em;width:"
            f"{round(240 * v / total)}px' aria-hidden='true'></div></td><td>{v} of {total}</td>"
            f"{mark(k)}</tr>"
            for k, v in sorted(counts.items(), key=lambda kv: -kv[1])
        )
        q = self.questions.get(current)
        answer = (
            f"<p class='srmq-right'>{RIGHT_MARK} Right answer: "
            f"<strong>{esc(printed_answer(q))}</strong></p>"
            if q is not None
            else ""
        )
        self.view.value = (
            f"<h4>{esc(self.name(current))}</h4>{answer}"
            f"<p>{total} student{'s' if total != 1 else ''} answered; {right} right "
            f"({round(100 * right / total)}%). Updated {stamp}.</p>"
            f"<table class='srmq-live-table'><thead><tr><th>Answer given</th>"
            f"<th><span class='srmq-sr'>Share</span></th><th>Students</th><th>Right?</th>"
            f"</tr></thead><tbody>{bars}</tbody></table>"
        )

    def _auto_changed(self, change: dict[str, Any]) -> None:
        if change["new"]:
            self.tick()

    def tick(self) -> None:
        """Refresh, and again in 5 s while Auto-refresh stays ticked and the widget open."""
        if not self.auto.value or self.comm is None:  # unticked, or the widget was closed
            return
        self.refresh()
        import threading

        timer = threading.Timer(5.0, self.tick)  # works whichever thread the kernel uses
        timer.daemon = True
        timer.start()
