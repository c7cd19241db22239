"""The instructor's side of a session: the answer key, the class dashboard and a live view.

These widgets show what they are given: the entry points in :mod:`srmquiz.notebook` collect
the results, read the shared database and save the grades.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from typing import Any

import ipywidgets as widgets

from srmquiz.core.matrix import Matrix
from srmquiz.core.palette import BLUE
from srmquiz.core.results import NAME_WIDTH, Collected, shown
from srmquiz.core.review import Attempt
from srmquiz.core.sessions import Session, canonical, printed_answer
from srmquiz.widgets.html import alert_html, esc, png_image, table_html

SaveHook = Callable[[str, str], str]
"""save(file name, CSV text) -> where it was saved; raises OSError when it cannot."""
ReadHook = Callable[[], tuple[list[Attempt], str]]
"""read() -> (the session's attempts so far, a problem line or "")."""

MAX_BARS = 64
"""Questions drawn as bars at most (a session has at most 64; more come only from odd input)."""


def _chart(draw: Callable[[], widgets.Widget], what: str) -> widgets.Widget:
    """The chart draw() makes, or one line saying it could not be drawn: a chart never
    stops the rest of the dashboard."""
    try:
        return draw()
    except Exception as exc:
        return widgets.HTML(
            alert_html(f"could not draw {what} ({type(exc).__name__}: {shown(str(exc), 80)})")
        )


def answer_key_html(matrix: Matrix, code: str, session: Session) -> str:
    """A printable answer key for a session: every question, its answer and why."""
    questions = session.questions(matrix)
    rows = [
        (
            str(i),
            esc(q.prompt),
            f"<strong>{esc(printed_answer(q))}</strong>",
            f"<small>{esc(q.explanation)}</small>",
        )
        for i, q in enumerate(questions, 1)
    ]
    return (
        f"<h3>Answer key for {esc(canonical(code))}</h3>"
        f"<p>{esc(session.describe(matrix))}. Choices appear to students in this order.</p>"
        + table_html(["#", "Question", "Answer", "Why"], rows, cls="srmq-key", numeric=[0])
    )


class Dashboard(widgets.VBox):
    """A class's results: scores, per-question difficulty, a service × layer heatmap of
    mistakes, the most-missed questions, and the grades as CSV."""

    def __init__(
        self, matrix: Matrix, collected: Collected, *, save: SaveHook | None = None
    ) -> None:
        from srmquiz.draw.charts import difficulty_bars, heatmap_png, score_histogram
        from srmquiz.draw.render import figure_bytes

        self.matrix = matrix
        self.collected = collected
        self._save = save
        c = collected
        summary = c.summary()
        head = (
            f"<h3>Session {esc(shown(c.code or '(none)', 60))}: {summary.students} results</h3>"
            if c.results
            else "<h3>No results yet</h3><p>Nothing usable was found in the given places.</p>"
        )
        if c.results:
            head += f"<p>Mean score {summary.mean_percent}%, median {summary.median_percent}%.</p>"
        if c.skipped or c.notes:
            items = "".join(f"<li>skipped: {esc(shown(s))}</li>" for s in c.skipped)
            items += "".join(f"<li>note: {esc(shown(s))}</li>" for s in c.notes)
            head += f"<details open><summary>{len(c.skipped)} skipped</summary><ul>{items}</ul></details>"
        parts: list[widgets.Widget] = [widgets.HTML(head)]
        self.heatmap_values: dict[tuple[str, str], float] = {}
        if c.results:
            percents = [g.percent for g in c.grades()]
            parts.append(
                _chart(
                    lambda: png_image(
                        figure_bytes(score_histogram(percents, title="Scores")), "640px"
                    ),
                    "the score histogram",
                )
            )
            stats = c.question_stats()
            shown_stats = sorted(stats, key=lambda s: (s.percent_right, -s.asked))[:MAX_BARS]
            title = "Share right per question"
            if len(stats) > MAX_BARS:
                title += f" (the {MAX_BARS} hardest of {len(stats)})"
            parts.append(
                _chart(
                    lambda: png_image(
                        figure_bytes(difficulty_bars(shown_stats, title=title)), "760px"
                    ),
                    "the bars per question",
                )
            )
            cells = c.mistakes_by_cell()
            self.heatmap_values = {k: w / n for k, (w, n) in cells.items() if n}
            parts.append(
                _chart(
                    lambda: png_image(
                        heatmap_png(
                            matrix,
                            self.heatmap_values,
                            title="Mistakes per service and layer (share of answers wrong)",
                            scale="mistakes",
                            counts=cells,
                        )
                    ),
                    "the heatmap",
                )
            )
            parts.append(
                widgets.HTML(
                    "<p><small>Heatmap: each cell is the share of wrong answers to questions on "
                    "that service and layer, with wrong/answered below; darker means more "
                    "mistakes; a dash means not asked.</small></p>"
                )
            )
            parts.append(widgets.HTML(self._most_missed_html()))
            parts.append(widgets.HTML(self._grades_html()))
        self.csv_name = widgets.Text(value="grades.csv", description="CSV file:")
        self.save_button = widgets.Button(
            description="Save grades as CSV",
            disabled=not c.results or save is None,
            tooltip="Never overwrites",
        )
        self.saved = widgets.HTML("")
        self.save_button.on_click(lambda _b: self.save_csv())
        parts.append(widgets.HBox([self.csv_name, self.save_button]))
        parts.append(self.saved)
        super().__init__(parts, layout=widgets.Layout(width="100%", max_width="70em"))
        self.add_class("srmquiz-dashboard")

    def _most_missed_html(self) -> str:
        rows = [
            (
                esc(shown(s.question_id, 80)),
                f"{s.percent_right}% ({s.right}/{s.asked})",
                esc(
                    shown(
                        "; ".join(f"{k}: {v}" for k, v in sorted(s.given, key=lambda kv: -kv[1])),
                        400,
                    )
                ),
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

    def save_csv(self) -> str | None:
        """Save the grades under the typed name (an existing file is never overwritten)."""
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

    def __init__(self, matrix: Matrix, code: str, read: ReadHook) -> None:
        self.matrix = matrix
        self.code = code
        self._read = read
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
            [widgets.HBox([self.refresh_button, self.auto]), self.view],
            layout=widgets.Layout(width="100%", max_width="60em"),
        )
        self.add_class("srmquiz-live")
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
        for a in latest.values():
            key = ", ".join(a.given) or "(none)"
            counts[key] = counts.get(key, 0) + 1
        right = sum(a.correct for a in latest.values())
        total = len(latest)
        bars = "".join(
            f"<tr><td>{esc(k)}</td><td><div style='background:{BLUE};height:1em;width:"
            f"{round(240 * v / total)}px' aria-hidden='true'></div></td><td>{v} of {total}</td></tr>"
            for k, v in sorted(counts.items(), key=lambda kv: -kv[1])
        )
        self.view.value = (
            f"<h4>{esc(current)}</h4><p>{total} student{'s' if total != 1 else ''} answered; "
            f"{right} right "
            f"({round(100 * right / total)}%). Updated {stamp}.</p><table>{bars}</table>"
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
