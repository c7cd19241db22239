"""The calls a notebook makes: ``srmquiz.quiz(...)``, ``srmquiz.dashboard(...)`` and the rest.

Entry points wire storage into widgets: they read the content, open the progress
database and result folders, and hand the widgets what to show and whom to call back.
Bad input (broken content, an unknown service or kind, a mistyped session code, an
unusable database) comes back as one short message in the notebook, never a traceback:
every entry point goes through :func:`entry_point`.
"""

from __future__ import annotations

import functools
import os
import secrets
import time
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import ParamSpec, TypeVar

import ipywidgets as widgets

from srmquiz.core.bank import generate, pick
from srmquiz.core.matrix import Matrix, UnknownIdError
from srmquiz.core.questions import Answer, Question
from srmquiz.core.quizrun import check_mode
from srmquiz.core.results import Collected, ResultDocument
from srmquiz.core.review import Attempt, review_order
from srmquiz.core.sessions import Session, canonical, parse_code
from srmquiz.core.simulate import simulated_results
from srmquiz.core.walkthrough import build_steps
from srmquiz.data.content import ContentError, load_matrix, load_script
from srmquiz.data.files import write_new
from srmquiz.data.progress import ProgressError, Store, default_learner
from srmquiz.data.results import collect, export_result
from srmquiz.widgets.classroom import Classroom
from srmquiz.widgets.dashboard import Dashboard, LiveView, answer_key_html
from srmquiz.widgets.history import history_widget
from srmquiz.widgets.html import error_widget
from srmquiz.widgets.quiz import Quiz
from srmquiz.widgets.walkthrough import Walkthrough

PathLike = str | os.PathLike[str]
P = ParamSpec("P")
R = TypeVar("R")


def entry_point(fn: Callable[P, R]) -> Callable[P, R | widgets.HTML]:
    """Show bad input as one short message in place of the widget, never a traceback."""

    @functools.wraps(fn)
    def shown(*args: P.args, **kwargs: P.kwargs) -> R | widgets.HTML:
        try:
            return fn(*args, **kwargs)
        except ContentError as exc:
            return error_widget(exc.problems)
        except (UnknownIdError, ProgressError, ValueError) as exc:  # SessionCodeError too
            return error_widget([str(exc)])
        except OSError as exc:  # a folder that cannot be written, a disk that is full
            return error_widget([f"{exc.filename or 'srmquiz'}: {exc.strerror or exc}"])

    return shown


# -- learners ---------------------------------------------------------------------
@entry_point
def quiz(
    services: Iterable[str] | None = None,
    *,
    kinds: Iterable[str] | None = None,
    n: int | None = 10,
    seed: int | None = None,
    mode: str = "practice",
    title: str | None = None,
    content: PathLike | None = None,
    learner: str | None = None,
    db: PathLike | None = None,
    record: bool = True,
) -> Quiz:
    """Return a quiz widget: `n` questions on `services` of `kinds` (all by default).

    ``mode="exam"`` holds feedback back until one Submit at the end. The same
    ``seed`` gives the same questions in the same order; without one a new seed is
    drawn and shown in the title, so a quiz can be repeated. Every answer is kept in
    the progress database (``db``, default ``$SRMQUIZ_DB`` or the per-user file) under
    ``learner`` (default: ``$SRMQUIZ_LEARNER``, the JupyterHub user or the login name)
    unless ``record=False``.
    """
    matrix = load_matrix(content)
    chosen = list(services) if services is not None else None
    wanted = list(kinds) if kinds is not None else None
    check_mode(mode)
    if n is not None and n < 1:
        raise ValueError(f"n must be at least 1, not {n}")

    def make(s: int) -> list[Question]:
        bank = generate(matrix, seed=s, services=chosen, kinds=wanted)
        if not bank:
            raise ValueError("no questions match these services and kinds")
        return pick(bank, n, seed=s)

    first_seed = seed if seed is not None else secrets.randbelow(10_000)
    questions = make(first_seed)
    heading = title if title is not None else _title(matrix, chosen, mode)
    made = Quiz(
        questions,
        matrix=matrix,
        mode=mode,
        title=f"{heading} · seed {first_seed}",
        new_quiz=lambda: make(secrets.randbelow(10_000)),
    )
    if record:
        attach_progress(made, Recorder(learner, db))
    return made


def _title(matrix: Matrix, services: list[str] | None, mode: str) -> str:
    names = [matrix.service(s).name for s in services] if services else ["AWS"]
    kind = "Exam" if mode == "exam" else "Quiz"
    return f"{kind}: shared responsibility on {', '.join(names)}"


class Recorder:
    """Keeps a quiz's answers in the progress store; never stops the quiz if it cannot."""

    def __init__(self, learner: str | None, db: PathLike | None, session: str = "") -> None:
        self.learner = learner or default_learner()
        self.session = session
        self.problem = ""
        self.store: Store | None = None
        try:
            self.store = Store(db)
            self.problem = self.store.notice
        except ProgressError as exc:
            self.problem = f"{exc}; answers are not being saved"

    def __call__(self, answer: Answer) -> None:
        """Keep one answer; on failure say so once and stop trying."""
        if self.store is None:
            return
        attempt = Attempt.from_answer(
            answer, learner=self.learner, answered_at=time.time(), session=self.session
        )
        try:
            self.store.record(attempt)
        except Exception as exc:  # a full disk must not cost the learner the quiz
            self.problem = f"{self.store.path}: could not save an answer ({exc})"
            self.store = None


def attach_progress(made: Quiz, recorder: Recorder) -> Recorder:
    """Record every answer of a quiz; a problem with the database shows as a notice."""
    made.set_notice(recorder.problem)

    def hook(answer: Answer) -> None:
        recorder(answer)
        if recorder.problem:
            made.set_notice(recorder.problem)

    made.on_answer(hook)
    return recorder


@entry_point
def review(
    services: Iterable[str] | None = None,
    *,
    n: int = 10,
    learner: str | None = None,
    db: PathLike | None = None,
    content: PathLike | None = None,
) -> Quiz:
    """A quiz of what is due first (Leitner boxes), then questions never seen, then the rest.

    Progress comes from the same database the quizzes write to, so after a kernel
    restart (or on another day) the questions answered wrongly come back first.
    """
    matrix = load_matrix(content)
    if n < 1:
        raise ValueError(f"n must be at least 1, not {n}")
    bank = generate(matrix, seed=0, services=list(services) if services is not None else None)
    recorder = Recorder(learner, db)
    who = recorder.learner
    boxes = recorder.store.boxes(who) if recorder.store is not None else {}
    now = time.time()
    order = review_order([q.id for q in bank], boxes, now)[:n]
    by_id = {q.id: q for q in bank}
    due = sum(1 for i in order if i in boxes and boxes[i].due <= now)
    new = sum(1 for i in order if i not in boxes)
    made = Quiz(
        [by_id[i] for i in order],
        matrix=matrix,
        title=f"Review for {who}: {due} due, {new} new, {len(order) - due - new} ahead of time",
    )
    attach_progress(made, recorder)
    return made


@entry_point
def history(
    *,
    learner: str | None = None,
    db: PathLike | None = None,
    content: PathLike | None = None,
) -> widgets.VBox:
    """What this learner has answered so far, and mastery per service and layer as a heatmap."""
    matrix = load_matrix(content)
    who = learner or default_learner()
    with Store(db) as store:
        attempts = store.attempts(who)
        boxes = store.boxes(who)
        pairs = [(s, la) for s in matrix.service_ids for la in matrix.layer_ids]
        counts = store.mastery(who, pairs)
        notice = store.notice
    return history_widget(matrix, who, attempts, boxes, counts, notice)


@entry_point
def classroom(
    *,
    name: str = "",
    code: str = "",
    results_dir: PathLike = "results",
    db: PathLike | None = None,
    content: PathLike | None = None,
) -> Classroom:
    """The student's session form: type a name and the code from the board, press Start.

    Answers are kept in the progress database as they are given; the finished result is
    saved there too and exported as ``results_dir/CODE-NAME.json`` for the instructor.
    """
    matrix = load_matrix(content)
    recorders: list[Recorder] = []

    def on_start(made: Quiz, learner: str, session_code: str) -> None:
        recorders.append(attach_progress(made, Recorder(learner, db, session_code)))

    def keep(doc: ResultDocument) -> list[str]:
        return _keep_result(doc, recorders[-1].store if recorders else None, results_dir)

    made = Classroom(matrix, name=name, code=code, on_start=on_start, keep=keep)
    if name and code:
        made.start()
    return made


def _keep_result(doc: ResultDocument, store: Store | None, folder: PathLike) -> list[str]:
    """Save a finished result in the database and as a file; one line per place."""
    kept = []
    if store is not None:
        try:
            store.save_result(doc.learner, doc.code, doc.to_dict())
            kept.append("kept in your progress database")
        except Exception as exc:  # the export below may still work
            kept.append(f"not kept in the database ({exc})")
    try:
        path = export_result(doc, folder)
        kept.append(f"exported to {path}: hand this file to your instructor")
    except OSError as exc:
        kept.append(f"could not export to {folder}: {exc.strerror}")
    return kept


# -- instructors ------------------------------------------------------------------
@entry_point
def walkthrough(*, presenter: bool = False, content: PathLike | None = None) -> Walkthrough:
    """The instructor walkthrough as a Prev/Next stepper (presenter=True: large type)."""
    matrix = load_matrix(content)
    script = load_script(matrix, content)
    return Walkthrough(matrix, build_steps(matrix, script), presenter=presenter)


def _session(code: str, content: PathLike | None) -> tuple[Matrix, Session]:
    matrix = load_matrix(content)
    return matrix, parse_code(matrix, code)


@entry_point
def answer_key(code: str, *, content: PathLike | None = None) -> widgets.HTML:
    """A printable answer key for a session code: every question, its answer and why."""
    matrix, session = _session(code, content)
    return widgets.HTML(answer_key_html(matrix, code, session))


@entry_point
def dashboard(
    paths: Iterable[PathLike] = ("results",),
    *,
    db: PathLike | None = None,
    code: str | None = None,
    content: PathLike | None = None,
) -> Dashboard:
    """Collect results from folders/files (and a shared database) and show the class dashboard.

    Save grades as CSV writes next to the notebook and never overwrites a file.
    """
    matrix = load_matrix(content)
    collected: Collected = collect(paths, db=db, code=code, matrix=matrix)

    def save(name: str, text: str) -> str:
        return str(write_new(Path(name), text))

    return Dashboard(matrix, collected, save=save)


@entry_point
def live_view(
    code: str, *, db: PathLike | None = None, content: PathLike | None = None
) -> LiveView:
    """The live answer distribution of the current question of a session (shared database)."""
    matrix, _session_ = _session(code, content)
    session_code = canonical(code)

    def read() -> tuple[list[Attempt], str]:
        try:
            with Store(db) as store:
                return store.attempts(session=session_code), ""
        except ProgressError as exc:
            return [], str(exc)

    return LiveView(matrix, session_code, read)


@entry_point
def demo_class(
    code: str,
    folder: PathLike,
    *,
    students: int = 12,
    seed: int = 0,
    content: PathLike | None = None,
) -> list[Path]:
    """Write simulated result files ("Demo student N") to preview the dashboard."""
    matrix, session = _session(code, content)
    docs = simulated_results(matrix, code, session, students=students, seed=seed)
    return [export_result(doc, folder) for doc in docs]
