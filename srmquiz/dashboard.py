"""The instructor's side of a session: the answer key, the class dashboard and a live view."""

from __future__ import annotations

import os
import random
import time
from collections.abc import Iterable
from pathlib import Path
from typing import Any

import ipywidgets as widgets

from srmquiz.content import ContentError, load_matrix
from srmquiz.matrix import Matrix, UnknownIdError
from srmquiz.notebook import error_widget
from srmquiz.sessions import (
    Collected,
    Session,
    SessionCodeError,
    canonical,
    collect,
    export_result,
    key_answer,
    parse_code,
    result_document,
)
from srmquiz.ui import Answer, esc

PathLike = str | os.PathLike[str]


def _matrix_and_session(code: str, content: PathLike | None) -> tuple[Matrix, Session]:
    matrix = load_matrix(content)
    return matrix, parse_code(matrix, code)


def answer_key(code: str, *, content: PathLike | None = None) -> widgets.HTML:
    """A printable answer key for a session code: every question, its answer and why."""
    try:
        matrix, session = _matrix_and_session(code, content)
        questions = session.questions(matrix)
    except ContentError as exc:
        return error_widget(exc.problems)
    except (SessionCodeError, UnknownIdError, ValueError) as exc:
        return error_widget([str(exc)])
    rows = []
    for i, q in enumerate(questions, 1):
        answer = key_answer(q)
        rows.append(
            f"<tr><td>{i}</td><td>{esc(q.prompt)}</td><td><strong>{esc(answer)}</strong></td>"
            f"<td><small>{esc(q.explanation)}</small></td></tr>"
        )
    return widgets.HTML(
        f"<h3>Answer key for {esc(canonical(code))}</h3>"
        f"<p>{esc(session.describe(matrix))}. Choices appear to students in this order.</p>"
        "<table class='srmq-key' style='border-collapse:collapse'><thead><tr><th>#</th>"
        "<th style='text-align:left'>Question</th><th style='text-align:left'>Answer</th>"
        "<th style='text-align:left'>Why</th></tr></thead><tbody>"
        + "".join(rows)
        + "</tbody></table>"
    )


def _png_widget(png: bytes, width: str = "720px") -> widgets.Image:
    return widgets.Image(value=png, format="png", layout={"width": width, "max_width": "100%"})


def _unique_path(path: Path) -> Path:
    n = 2
    candidate = path
    while candidate.exists():
        candidate = path.with_name(f"{path.stem}-{n}{path.suffix}")
        n += 1
    return candidate


class Dashboard(widgets.VBox):
    """A class's results: scores, per-question difficulty, a service × layer heatmap of
    mistakes, the most-missed questions, and the grades as CSV."""

    def __init__(self, matrix: Matrix, collected: Collected) -> None:
        from srmquiz.charts import difficulty_bars, heatmap_png, score_histogram
        from srmquiz.stacks import figure_bytes

        self.matrix = matrix
        self.collected = collected
        c = collected
        summary = c.summary()
        head = (
            f"<h3>Session {esc(c.code or '(none)')}: {summary['students']} results</h3>"
            if c.results
            else "<h3>No results yet</h3><p>Nothing usable was found in the given places.</p>"
        )
        if c.results:
            head += f"<p>Mean score {summary['mean_percent']}%, median {summary['median_percent']}%.</p>"
        if c.skipped or c.notes:
            items = "".join(f"<li>skipped: {esc(s)}</li>" for s in c.skipped)
            items += "".join(f"<li>note: {esc(s)}</li>" for s in c.notes)
            head += f"<details open><summary>{len(c.skipped)} skipped</summary><ul>{items}</ul></details>"
        parts: list[widgets.Widget] = [widgets.HTML(head)]
        self.heatmap_values: dict[tuple[str, str], float] = {}
        if c.results:
            percents = [g["percent"] for g in c.grades()]
            parts.append(
                _png_widget(figure_bytes(score_histogram(percents, title="Scores")), "640px")
            )
            stats = c.question_stats()
            parts.append(
                _png_widget(
                    figure_bytes(difficulty_bars(stats, title="Share right per question")), "760px"
                )
            )
            cells = c.mistakes_by_cell()
            self.heatmap_values = {k: w / n for k, (w, n) in cells.items() if n}
            parts.append(
                _png_widget(
                    heatmap_png(
                        matrix,
                        self.heatmap_values,
                        title="Mistakes per service and layer (share of answers wrong)",
                        scale="mistakes",
                        counts=cells,
                    )
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
            description="Save grades as CSV", disabled=not c.results, tooltip="Never overwrites"
        )
        self.saved = widgets.HTML("")
        self.save_button.on_click(lambda _b: self.save_csv())
        parts.append(widgets.HBox([self.csv_name, self.save_button]))
        parts.append(self.saved)
        super().__init__(parts, layout=widgets.Layout(width="100%", max_width="70em"))
        self.add_class("srmquiz-dashboard")

    def _most_missed_html(self) -> str:
        rows = "".join(
            f"<tr><td>{esc(s['question_id'])}</td><td style='text-align:right'>"
            f"{s['percent_right']}% ({s['right']}/{s['asked']})</td><td>"
            + esc(
                "; ".join(f"{k}: {v}" for k, v in sorted(s["given"].items(), key=lambda kv: -kv[1]))
            )
            + "</td></tr>"
            for s in self.collected.most_missed(5)
        )
        return (
            "<h4>Most missed</h4><table><thead><tr><th style='text-align:left'>Question</th>"
            "<th>Right</th><th style='text-align:left'>Answers given</th></tr></thead>"
            f"<tbody>{rows}</tbody></table>"
        )

    def _grades_html(self) -> str:
        rows = "".join(
            f"<tr><td>{esc(g['learner'])}</td><td style='text-align:right'>{g['score']} of "
            f"{g['total']}</td><td style='text-align:right'>{g['percent']}%</td></tr>"
            for g in self.collected.grades()
        )
        return (
            "<h4>Grades</h4><table><thead><tr><th style='text-align:left'>Learner</th>"
            f"<th>Score</th><th>%</th></tr></thead><tbody>{rows}</tbody></table>"
        )

    def save_csv(self) -> Path | None:
        """Write the grades next to the notebook; an existing file is never overwritten."""
        if not self.collected.results:
            return None
        target = _unique_path(Path(self.csv_name.value.strip() or "grades.csv"))
        try:
            with open(target, "x", encoding="utf-8", newline="") as f:
                f.write(self.collected.to_csv())
        except OSError as exc:
            self.saved.value = (
                f"<p role='alert'>⚠ could not write {esc(target)}: {esc(exc.strerror)}</p>"
            )
            return None
        self.saved.value = f"<p>Saved the grades to <code>{esc(target)}</code>.</p>"
        return target


def dashboard(
    paths: Iterable[PathLike] = ("results",),
    *,
    db: PathLike | None = None,
    code: str | None = None,
    content: PathLike | None = None,
) -> Dashboard | widgets.HTML:
    """Collect results from folders/files (and a shared database) and show the class dashboard."""
    try:
        matrix = load_matrix(content)
    except ContentError as exc:
        return error_widget(exc.problems)
    return Dashboard(matrix, collect(paths, db=db, code=code, matrix=matrix))


class LiveView(widgets.VBox):
    """During a walkthrough: how the room answered the question most students are on.

    Reads the shared progress database; press Refresh (or tick Auto-refresh) to update.
    """

    def __init__(self, matrix: Matrix, code: str, db: PathLike | None) -> None:
        self.matrix = matrix
        self.code = code
        self.db = db
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
        from srmquiz.progress import ProgressError, Store

        try:
            with Store(self.db) as store:
                attempts = store.attempts(session=self.code)
        except ProgressError as exc:
            self.view.value = f"<p role='alert'>⚠ {esc(exc)}</p>"
            return
        stamp = time.strftime("%H:%M:%S")
        if not attempts:
            self.view.value = f"<p>No answers yet for {esc(self.code)} (checked {stamp}).</p>"
            return
        # the current question: the one with the most recent answer
        current = attempts[-1].question_id
        answers = [a for a in attempts if a.question_id == current]
        latest: dict[str, Any] = {}
        for a in answers:
            latest[a.learner] = a  # each learner's last answer counts once
        counts: dict[str, int] = {}
        for a in latest.values():
            key = ", ".join(a.given) or "(none)"
            counts[key] = counts.get(key, 0) + 1
        right = sum(a.correct for a in latest.values())
        total = len(latest)
        bars = "".join(
            f"<tr><td>{esc(k)}</td><td><div style='background:#0072B2;height:1em;width:"
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
            self._tick()

    def _tick(self) -> None:
        if not self.auto.value or self.comm is None:  # unticked, or the widget was closed
            return
        self.refresh()
        import threading

        timer = threading.Timer(5.0, self._tick)  # works whichever thread the kernel uses
        timer.daemon = True
        timer.start()


def live_view(code: str, *, db: PathLike | None = None, content: PathLike | None = None):  # type: ignore[no-untyped-def]
    """The live answer distribution of the current question of a session (shared database)."""
    try:
        matrix, _session = _matrix_and_session(code, content)
    except ContentError as exc:
        return error_widget(exc.problems)
    except (SessionCodeError, ValueError) as exc:
        return error_widget([str(exc)])
    return LiveView(matrix, canonical(code), db)


def demo_class(
    code: str,
    folder: PathLike,
    *,
    students: int = 12,
    seed: int = 0,
    content: PathLike | None = None,
) -> list[Path]:
    """Write simulated result files ("Demo student N") to preview the dashboard.

    Each simulated student is right more often on the layers the course states plainly
    and less often on shared cells, so the heatmap has something to show.
    """
    matrix, session = _matrix_and_session(code, content)
    questions = session.questions(matrix)
    rng = random.Random(seed)
    written = []
    for i in range(1, students + 1):
        skill = rng.uniform(0.45, 0.95)
        answers = []
        for q in questions:
            hard = (
                q.service is not None
                and q.layer is not None
                and (matrix.cell(q.service, q.layer).owner.value == "shared")
            )
            correct = rng.random() < (skill - 0.3 if hard else skill)
            if correct:
                given = q.answer
            elif q.kind == "build-the-stack":
                given = tuple("Customer" for _ in q.parts)
            else:
                given = (next(c for c in q.choices if c not in q.answer),)
            answers.append(Answer(q, tuple(given), q.grade(given), rng.uniform(3, 30)))
        doc = result_document(
            learner=f"Demo student {i}",
            code=canonical(code),
            matrix=matrix,
            answers=answers,
            questions=questions,
            started_at=1_700_000_000 + i,
            finished_at=1_700_000_600 + i,
        )
        written.append(export_result(doc, folder))
    return written
