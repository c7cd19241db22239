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
import sqlite3
import time
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import TYPE_CHECKING, ParamSpec, TypeVar

import ipywidgets as widgets

from srmquiz.core.bank import generate, pick
from srmquiz.core.matrix import Matrix, UnknownIdError
from srmquiz.core.questions import Answer, Question
from srmquiz.core.quizrun import check_mode
from srmquiz.core.review import Attempt
from srmquiz.core.text import one_line
from srmquiz.data.content import ContentError, load_matrix
from srmquiz.data.figcache import DiskStore
from srmquiz.data.progress import (
    BUSY_TIMEOUT_S,
    OPEN_PATIENCE_S,
    DatabaseBusy,
    ProgressError,
    Store,
    default_learner,
    default_path,
    is_private,
)
from srmquiz.draw.render import use_store
from srmquiz.widgets.html import error_widget
from srmquiz.widgets.quiz import Quiz

# Pictures drawn in one kernel are kept on disk for the next (each Voila page is a new
# kernel): see srmquiz.data.figcache.
use_store(DiskStore())

# The other entry points import their parts when called: a learner's first quiz waits for
# the quiz's modules only (measured in `make bench`: Run All to the first choice).
if TYPE_CHECKING:
    from srmquiz.core.results import Collected, ResultDocument
    from srmquiz.core.sessions import Session
    from srmquiz.widgets.classroom import Classroom
    from srmquiz.widgets.dashboard import Dashboard, LiveView
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
        except sqlite3.Error as exc:  # last resort: every read and write should say it first
            db = kwargs.get("db") or default_path()
            where = one_line(str(db))
            return error_widget([f"{where}: progress database problem ({one_line(str(exc), 120)})"])

    return shown


# -- learners ---------------------------------------------------------------------
LEARNER_VARS = ("SRMQUIZ_LEARNER", "JUPYTERHUB_USER")
"""Environment variables that name the learner, in order."""
_typed: dict[str, str] = {}
"""Progress database (absolute path) -> the name typed at the last classroom Start in this
kernel that kept its answers there."""


def _db_key(db: PathLike | None) -> str:
    return str((Path(db).expanduser() if db is not None else default_path()).absolute())


def current_learner(db: PathLike | None = None) -> str:
    """Whose answers a call without ``learner=`` reads and writes.

    In this order: the name typed at a classroom session's Start in this kernel (for the
    same progress database);
    ``$SRMQUIZ_LEARNER``; the JupyterHub user; the name last used for a classroom session
    in this user's own progress database (never a shared one, see
    :func:`~srmquiz.data.progress.is_private`); the login name. So after a kernel restart
    a classroom learner's history and review still find their answers.
    """
    typed = _typed.get(_db_key(db))
    if typed:
        return typed
    if any(os.environ.get(v) for v in LEARNER_VARS):
        return default_learner()
    return _remembered_learner(db) or default_learner()


def _remembered_learner(db: PathLike | None) -> str | None:
    """The name of the latest classroom answer in this user's own database, or None."""
    path = Path(db).expanduser() if db is not None else default_path()
    if not is_private(path):
        return None
    try:
        with Store(path, readonly=True) as store:
            return store.last_session_learner()
    except (ProgressError, sqlite3.Error, OSError):
        return None  # a name to prefill is a convenience: never an error


def _prefilled_name(db: PathLike | None) -> str:
    """The classroom form's name: typed before in this kernel, the environment, or remembered."""
    typed = _typed.get(_db_key(db))
    if typed:
        return typed
    for var in LEARNER_VARS:
        if os.environ.get(var):
            return os.environ[var]
    return _remembered_learner(db) or ""


@entry_point
def quiz(
    services: Iterable[str] | None = None,
    *,
    categories: Iterable[str] | None = None,
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

    A service named brings its variants (``["lambda"]`` also asks about Lambda with
    container images); ``categories`` (``["serverless"]``) adds every service of those
    categories. Questions that name no service (controls, ideas) come with the whole model.

    ``mode="exam"`` holds feedback back until one Submit at the end. The same
    ``seed`` gives the same questions in the same order; without one a new seed is
    drawn and shown in the title, so a quiz can be repeated. Every answer is kept in
    the progress database (``db``, default ``$SRMQUIZ_DB`` or the per-user file) under
    ``learner`` (default: :func:`current_learner`) unless ``record=False``.
    """
    matrix = load_matrix(content)
    chosen = matrix.select(
        list(services) if services is not None else None,
        list(categories) if categories is not None else None,
    )
    wanted = list(kinds) if kinds is not None else None
    check_mode(mode)
    if n is not None and n < 1:
        raise ValueError(f"n must be at least 1, not {n}")

    def make(s: int) -> list[Question]:
        bank = _bank(matrix, s, chosen, wanted)
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
        attach_progress(made, Recorder(learner or current_learner(db), db))
    return made


_banks: dict[tuple[str, int, tuple[str, ...] | None, tuple[str, ...] | None], list[Question]] = {}
"""(content checksum, seed, services, kinds) -> the bank generated from them."""
KEEP_BANKS = 16


def _bank(
    matrix: Matrix, seed: int, services: list[str] | None, kinds: list[str] | None
) -> list[Question]:
    """The question bank, generated once per content checksum, seed and selection."""
    if not matrix.checksum:  # a matrix made in code, not read from files: nothing to key on
        return generate(matrix, seed=seed, services=services, kinds=kinds)
    key = (
        matrix.checksum,
        seed,
        tuple(services) if services is not None else None,
        tuple(kinds) if kinds is not None else None,
    )
    if key not in _banks:
        while len(_banks) >= KEEP_BANKS:
            del _banks[next(iter(_banks))]
        _banks[key] = generate(matrix, seed=seed, services=services, kinds=kinds)
    return list(_banks[key])


def _title(matrix: Matrix, services: list[str] | None, mode: str) -> str:
    names = [matrix.service(s).name for s in services] if services else ["AWS"]
    kind = "Exam" if mode == "exam" else "Quiz"
    return f"{kind}: shared responsibility on {', '.join(names)}"


class Recorder:
    """Keeps a quiz's answers in the progress store; never stops the quiz if it cannot.

    While another kernel holds the database, answers wait here (``pending``) and are saved
    with the next answer or when the quiz finishes; the notice says how many are waiting.
    A Check never waits for the database longer than about BUSY_TIMEOUT_S.
    """

    def __init__(self, learner: str | None, db: PathLike | None, session: str = "") -> None:
        self.learner = learner or default_learner()
        self.session = session
        self.db = db
        self.problem = ""
        self.store: Store | None = None
        self.pending: list[Attempt] = []
        self.saving = True  # False once answers cannot be saved at all
        self._busy = False  # answers are waiting because the database was busy
        self._busy_at = -BUSY_TIMEOUT_S  # when a wait for the lock last ran out
        self._open(OPEN_PATIENCE_S)

    @property
    def where(self) -> str:
        """The database path as it appears in messages."""
        return (
            self.store.shown if self.store is not None else one_line(str(self.db or default_path()))
        )

    def _open(self, patience: float) -> bool:
        try:
            self.store = Store(self.db, patience=patience)
        except DatabaseBusy as exc:
            self._busy, self._busy_at = True, time.monotonic()
            self.problem = f"{exc}; answers will wait here until it is free"
            return False
        except ProgressError as exc:
            self.problem = f"{exc}; answers are not being saved"
            self.saving = False
            return False
        if not self.store.writable:
            self.problem = f"{self.store.notice}; answers are not being saved"
            self.saving = False
        else:
            self.problem = self.store.notice
        return True

    def __call__(self, answer: Answer) -> None:
        """Keep one answer (with any still waiting); a busy database keeps it waiting."""
        if not self.saving:
            return
        self.pending.append(
            Attempt.from_answer(
                answer, learner=self.learner, answered_at=time.time(), session=self.session
            )
        )
        self.flush()

    def _waiting(self) -> str:
        n = len(self.pending)
        return f"{n} answer{'s' if n != 1 else ''}"

    def flush(self) -> bool:
        """Try to save every waiting answer now; True when none is left waiting.

        Waits up to BUSY_TIMEOUT_S for another kernel's lock, but not again right after
        such a wait ran out (an exam's Submit records every answer at once): then it only
        looks whether the lock is gone.
        """
        if not self.saving or not self.pending:
            return not self.pending
        recent = time.monotonic() - self._busy_at < BUSY_TIMEOUT_S
        wait = 0.0 if recent else BUSY_TIMEOUT_S
        if self.store is None and not self._open(wait):
            if self.saving:
                self.problem = f"{self.where}: database busy: {self._waiting()} waiting to be saved"
            return False
        assert self.store is not None
        with self.store.waiting(wait):
            while self.pending:
                try:
                    self.store.record(self.pending[0])
                except DatabaseBusy:
                    self._busy, self._busy_at = True, time.monotonic()
                    self.problem = (
                        f"{self.where}: database busy: {self._waiting()} waiting to be saved"
                    )
                    return False
                except Exception as exc:  # a full disk must not cost the learner the quiz
                    self.problem = (
                        f"{self.where}: could not save an answer ({one_line(str(exc), 120)}); "
                        "answers are not being saved"
                    )
                    self.saving = False
                    return False
                self.pending.pop(0)
        if self._busy:
            self._busy = False
            self.problem = f"{self.where}: database free again; every answer is saved"
        return True

    def finish(self) -> None:
        """At the end of a quiz: save what waits, else say plainly it is not saved."""
        if self.pending and self.saving and not self.flush() and self.saving:
            self.problem = (
                f"{self.where}: database still busy: {self._waiting()} not saved "
                "(tried again at each answer and at the end)"
            )

    def keep_result(self, learner: str, session: str, document: dict[str, object]) -> str:
        """Save a finished session's result in the database; one line saying how it went."""
        if self.store is None or not self.saving:
            return f"not kept in the database ({self.problem or 'no database'})"
        if self.pending:  # finish() just found it busy: do not wait again
            return f"not kept in the database (busy; {self._waiting()} not saved either)"
        try:
            self.store.save_result(learner, session, document)
        except Exception as exc:  # the export may still work
            return f"not kept in the database ({one_line(str(exc), 160)})"
        return "kept in your progress database"


def attach_progress(made: Quiz, recorder: Recorder) -> Recorder:
    """Record every answer of a quiz; a problem with the database shows as a notice."""
    made.set_notice(recorder.problem)

    def hook(answer: Answer) -> None:
        recorder(answer)
        made.set_notice(recorder.problem)

    def finished(_quiz: Quiz) -> None:
        recorder.finish()
        made.set_notice(recorder.problem)

    made.on_answer(hook)
    made.on_finish(finished)
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
    from srmquiz.core.review import review_order

    matrix = load_matrix(content)
    if n < 1:
        raise ValueError(f"n must be at least 1, not {n}")
    bank = _bank(matrix, 0, list(services) if services is not None else None, None)
    recorder = Recorder(learner or current_learner(db), db)
    who = recorder.learner
    boxes = {}
    if recorder.store is not None:
        try:
            boxes = recorder.store.boxes(who)
        except ProgressError as exc:  # answers are still saved; the order is just not known
            recorder.problem = f"{exc}; review order unknown, new questions first"
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
    """What a learner has answered so far, and their mistakes per service and layer.

    ``learner`` defaults to :func:`current_learner` (after a classroom session in this
    kernel: the name typed there); the widget says whose record it shows, and which
    other learners the database holds.
    """
    from srmquiz.widgets.history import history_widget

    matrix = load_matrix(content)
    who = learner or current_learner(db)
    path = Path(db).expanduser() if db is not None else default_path()
    if not path.exists():  # nothing saved yet: say so, and make no file or folder
        return history_widget(matrix, who, [], {}, "")
    with Store(path, readonly=True) as store:  # a read never changes the file
        attempts = store.attempts(who)
        boxes = store.boxes(who)
        others = [(name, n) for name, n in store.learners() if name != who]
        notice = store.notice
    # a question as the learner saw it: a session's own wording, else the bank's
    texts = {q.id: q.prompt for q in _bank(matrix, 0, None, None)}
    for code in dict.fromkeys(a.session for a in attempts if a.session):
        texts.update({q.id: q.prompt for q in _session_questions(matrix, code)})
    return history_widget(matrix, who, attempts, boxes, notice, texts=texts, others=others)


@entry_point
def classroom(
    *,
    name: str = "",
    code: str = "",
    results_dir: PathLike = "results",
    db: PathLike | None = None,
    content: PathLike | None = None,
) -> Classroom:
    """The student's session form: type a name and the code from the board, press Start
    (or Enter in the code field).

    The name is prefilled (see :func:`current_learner`) unless given. Answers are kept in
    the progress database as they are given, under the typed name, which from then on is
    this kernel's learner: ``srmquiz.history()`` and ``srmquiz.review()`` show them. The
    finished result is saved there too and exported as ``results_dir/CODE-NAME.json`` for
    the instructor.
    """
    from srmquiz.widgets.classroom import Classroom

    matrix = load_matrix(content)
    recorders: list[Recorder] = []

    def on_start(made: Quiz, learner: str, session_code: str) -> None:
        _typed[_db_key(db)] = learner
        recorders.append(attach_progress(made, Recorder(learner, db, session_code)))

    def keep(doc: ResultDocument) -> list[str]:
        return _keep_result(doc, recorders[-1] if recorders else None, results_dir)

    made = Classroom(
        matrix, name=name or _prefilled_name(db), code=code, on_start=on_start, keep=keep
    )
    if name and code:
        made.start()
    return made


def _keep_result(doc: ResultDocument, recorder: Recorder | None, folder: PathLike) -> list[str]:
    """Save a finished result in the database and as a file; one line per place."""
    from srmquiz.data.results import export_result

    kept = []
    if recorder is not None:
        kept.append(recorder.keep_result(doc.learner, doc.code, doc.to_dict()))
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
    from srmquiz.core.walkthrough import build_steps
    from srmquiz.data.content import load_script
    from srmquiz.widgets.walkthrough import Walkthrough

    matrix = load_matrix(content)
    script = load_script(matrix, content)
    return Walkthrough(matrix, build_steps(matrix, script), presenter=presenter)


def _session(code: str, content: PathLike | None) -> tuple[Matrix, Session]:
    from srmquiz.core.sessions import parse_code

    matrix = load_matrix(content)
    return matrix, parse_code(matrix, code)


@entry_point
def answer_key(code: str, *, content: PathLike | None = None) -> widgets.HTML:
    """A printable answer key for a session code: every question, its answer and why."""
    from srmquiz.widgets.dashboard import answer_key_html

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

    Questions are named by their number in the session's answer key and their text. Save
    grades as CSV writes next to the notebook and never overwrites a file; a simulated
    class (:func:`demo_class`) is labelled as one and its grades are never saved.
    """
    from srmquiz.data.files import write_new
    from srmquiz.data.results import collect
    from srmquiz.widgets.dashboard import Dashboard

    matrix = load_matrix(content)
    collected: Collected = collect(paths, db=db, code=code, matrix=matrix)

    def save(name: str, text: str) -> str:
        return str(write_new(Path(name), text))

    return Dashboard(
        matrix,
        collected,
        save=save,
        questions=_session_questions(matrix, collected.code),
        texts={q.id: q.prompt for q in _bank(matrix, 0, None, None)},
    )


def _session_questions(matrix: Matrix, code: str | None) -> list[Question]:
    """The session's questions in answer-key order ([] when the code does not decode here)."""
    from srmquiz.core.sessions import parse_code

    if not code:
        return []
    try:
        return parse_code(matrix, code).questions(matrix)
    except ValueError:  # SessionCodeError too: results of another content's session
        return []


@entry_point
def live_view(
    code: str, *, db: PathLike | None = None, content: PathLike | None = None
) -> LiveView:
    """The live answer distribution of the current question of a session (shared database).

    The question is named by its number in the answer key and its text; the right answer
    is marked in words.
    """
    from srmquiz.core.sessions import canonical
    from srmquiz.widgets.dashboard import LiveView

    matrix, session = _session(code, content)
    session_code = canonical(code)

    path = Path(db).expanduser() if db is not None else default_path()

    def read() -> tuple[list[Attempt], str]:
        if not path.exists():  # no answer saved yet; the view says so (and no file is made)
            return [], ""
        try:
            with Store(path, readonly=True) as store:  # a read never changes the file
                return store.attempts(session=session_code), ""
        except ProgressError as exc:
            return [], str(exc)
        except sqlite3.Error as exc:
            return [], f"{one_line(str(path))}: cannot read it ({one_line(str(exc), 120)})"

    return LiveView(matrix, session_code, read, questions=session.questions(matrix))


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
    from srmquiz.core.simulate import simulated_results
    from srmquiz.data.results import export_result

    matrix, session = _session(code, content)
    docs = simulated_results(matrix, code, session, students=students, seed=seed)
    return [export_result(doc, folder) for doc in docs]


# -- the model ----------------------------------------------------------------------
@entry_point
def matrix_picture(*, content: PathLike | None = None) -> widgets.VBox:
    """The whole responsibility matrix as a picture with alt text and a caption (notebook
    01); the same matrix as text is ``srmquiz matrix`` in a terminal."""
    from srmquiz.data.figcache import cached_png
    from srmquiz.draw.matrix import matrix_alt, matrix_png
    from srmquiz.widgets.figure import figure_widget

    matrix = load_matrix(content)
    caption = (
        "Who secures each layer of each service: colour, hatching and a word per cell "
        "(- where a service has no such layer). As text: srmquiz matrix in a terminal."
    )
    # drawn once per content and version, then read from the cache by every new kernel
    # (each Voila page is one): no matplotlib on the way to notebook 01's first question
    if matrix.checksum:
        png = cached_png(("matrix", matrix.checksum), lambda: matrix_png(matrix))
    else:
        png = matrix_png(matrix)
    return figure_widget(png, matrix_alt(matrix), caption, cls="srmquiz-matrix")
