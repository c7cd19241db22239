"""One-line entry points for notebooks: ``srmquiz.quiz(...)``.

Bad input (broken content, an unknown service or kind) is shown as a short message
in the notebook instead of a traceback.
"""

from __future__ import annotations

import os
import secrets
import time
from collections.abc import Iterable

import ipywidgets as widgets

from srmquiz.content import ContentError, load_matrix
from srmquiz.matrix import Matrix, UnknownIdError
from srmquiz.progress import (
    Attempt,
    BoxState,
    ProgressError,
    Store,
    default_learner,
    review_order,
)
from srmquiz.questions import generate, pick
from srmquiz.ui import Answer, Quiz, esc


def error_widget(lines: Iterable[str]) -> widgets.HTML:
    """A visible, escaped message (one line per problem) in place of a widget."""
    items = "".join(f"<div>{esc(line)}</div>" for line in lines)
    return widgets.HTML(
        f'<div class="srmq-error" role="alert" style="border-left:6px solid #D55E00;'
        f'padding:4px 10px"><strong>srmquiz could not start:</strong>{items}</div>'
    )


def quiz(
    services: Iterable[str] | None = None,
    *,
    kinds: Iterable[str] | None = None,
    n: int | None = 10,
    seed: int | None = None,
    mode: str = "practice",
    title: str | None = None,
    content: str | os.PathLike[str] | None = None,
    learner: str | None = None,
    db: str | os.PathLike[str] | None = None,
    record: bool = True,
) -> Quiz | widgets.HTML:
    """Return a quiz widget: `n` questions on `services` of `kinds` (all by default).

    ``mode="exam"`` holds feedback back until one Submit at the end. The same
    ``seed`` gives the same questions in the same order; without one a new seed is
    drawn and shown in the title, so a quiz can be repeated. Every answer is kept in
    the progress database (``db``, default ``$SRMQUIZ_DB`` or the per-user file) under
    ``learner`` (default: the login name) unless ``record=False``.
    """
    try:
        matrix = load_matrix(content)
        services = list(services) if services is not None else None
        kinds = list(kinds) if kinds is not None else None
        if mode not in ("practice", "exam"):
            raise ValueError(f"unknown mode {mode!r}; valid: practice, exam")
        if n is not None and n < 1:
            raise ValueError(f"n must be at least 1, not {n}")

        def make(s: int) -> list:
            bank = generate(matrix, seed=s, services=services, kinds=kinds)
            if not bank:
                raise ValueError("no questions match these services and kinds")
            return pick(bank, n, seed=s)

        first_seed = seed if seed is not None else secrets.randbelow(10_000)
        questions = make(first_seed)
    except ContentError as exc:
        return error_widget(exc.problems)
    except (UnknownIdError, ValueError) as exc:
        return error_widget([str(exc)])

    def new_quiz() -> list:
        return make(secrets.randbelow(10_000))

    heading = title if title is not None else _title(matrix, services, mode)
    made = Quiz(
        questions,
        matrix=matrix,
        mode=mode,
        title=f"{heading} · seed {first_seed}",
        new_quiz=new_quiz,
    )
    if record:
        attach_progress(made, learner, db)
    return made


class Recorder:
    """Keeps a quiz's answers in the progress store; never stops the quiz if it cannot."""

    def __init__(self, learner: str | None, db: str | os.PathLike[str] | None, session: str = ""):
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
        if self.store is None:
            return
        q = answer.question
        try:
            self.store.record(
                Attempt(
                    learner=self.learner,
                    question_id=q.id,
                    given=answer.given,
                    correct=answer.correct,
                    answered_at=time.time(),
                    session=self.session,
                    kind=q.kind,
                    service=q.service,
                    layer=q.layer,
                    seconds=answer.seconds,
                )
            )
        except Exception as exc:  # a full disk must not cost the learner the quiz
            self.problem = f"{self.store.path}: could not save an answer ({exc})"
            self.store = None


def attach_progress(
    made: Quiz, learner: str | None, db: str | os.PathLike[str] | None, session: str = ""
) -> Recorder:
    recorder = Recorder(learner, db, session)
    made.set_notice(recorder.problem)

    def hook(answer: Answer) -> None:
        recorder(answer)
        if recorder.problem:
            made.set_notice(recorder.problem)

    made.on_answer(hook)
    return recorder


def review(
    services: Iterable[str] | None = None,
    *,
    n: int = 10,
    learner: str | None = None,
    db: str | os.PathLike[str] | None = None,
    content: str | os.PathLike[str] | None = None,
) -> Quiz | widgets.HTML:
    """A quiz of what is due first (Leitner boxes), then questions never seen, then the rest.

    Progress comes from the same database the quizzes write to, so after a kernel
    restart (or on another day) the questions answered wrongly come back first.
    """
    try:
        matrix = load_matrix(content)
        services = list(services) if services is not None else None
        if n < 1:
            raise ValueError(f"n must be at least 1, not {n}")
        bank = generate(matrix, seed=0, services=services)
    except ContentError as exc:
        return error_widget(exc.problems)
    except (UnknownIdError, ValueError) as exc:
        return error_widget([str(exc)])
    who = learner or default_learner()
    boxes = {}
    problem = ""
    try:
        with Store(db) as store:
            boxes = store.boxes(who)
            problem = store.notice
    except ProgressError as exc:
        problem = f"{exc}; answers are not being saved"
    now = time.time()
    order = review_order([q.id for q in bank], boxes, now)
    by_id = {q.id: q for q in bank}
    questions = [by_id[i] for i in order[:n]]
    due = sum(1 for i in order[:n] if i in boxes and boxes[i].due <= now)
    new = sum(1 for i in order[:n] if i not in boxes)
    made = Quiz(
        questions,
        matrix=matrix,
        title=f"Review for {who}: {due} due, {new} new, {len(questions) - due - new} ahead of time",
    )
    recorder = attach_progress(made, who, db)
    if problem and not recorder.problem:
        made.set_notice(problem)
    return made


def history(
    *,
    learner: str | None = None,
    db: str | os.PathLike[str] | None = None,
    content: str | os.PathLike[str] | None = None,
) -> widgets.VBox | widgets.HTML:
    """What this learner has answered so far, and mastery per service and layer as a heatmap."""
    try:
        matrix = load_matrix(content)
    except ContentError as exc:
        return error_widget(exc.problems)
    who = learner or default_learner()
    try:
        with Store(db) as store:
            attempts = store.attempts(who)
            boxes = store.boxes(who)
            notice = store.notice
            from srmquiz.progress import mastery

            pairs = [(s, la) for s in matrix.service_ids for la in matrix.layer_ids]
            counts = mastery(store, who, pairs)
    except ProgressError as exc:
        return error_widget([str(exc)])
    return history_widget(matrix, who, attempts, boxes, counts, notice)


def history_widget(
    matrix: Matrix,
    who: str,
    attempts: list[Attempt],
    boxes: dict[str, BoxState],
    counts: dict[tuple[str, str], tuple[int, int]],
    notice: str,
) -> widgets.VBox:
    """The learner's record in words, the most recent answers, and the mastery heatmap."""
    from srmquiz.charts import heatmap_png

    if not attempts:
        text = f"<p>No answers kept yet for <strong>{esc(who)}</strong>. Take a quiz above.</p>"
        parts: list[widgets.Widget] = [widgets.HTML(text)]
    else:
        right = sum(a.correct for a in attempts)
        first = time.strftime("%Y-%m-%d", time.localtime(attempts[0].answered_at))
        now = time.time()
        due = sum(1 for b in boxes.values() if b.due <= now)
        mastered = sum(1 for b in boxes.values() if b.box >= 3)
        text = (
            f"<p><strong>{esc(who)}</strong>: {len(attempts)} answers since {first}, "
            f"{right} right ({round(100 * right / len(attempts))}%). "
            f"{len(boxes)} different questions seen; {mastered} answered right at least twice "
            f"in a row; {due} due for review now.</p>"
        )
        recent = "".join(
            f"<li>{'✓ right' if a.correct else '✗ wrong'}: {esc(a.question_id)}</li>"
            for a in attempts[-5:][::-1]
        )
        values = {k: (m / n if n else None) for k, (m, n) in counts.items()}
        png = heatmap_png(
            matrix,
            values,
            title="Mastery: questions answered right at least twice in a row",
            scale="mastery",
            counts={k: v for k, v in counts.items() if v[1]},
        )
        image = widgets.Image(
            value=png, format="png", layout={"width": "720px", "max_width": "100%"}
        )
        caption = widgets.HTML(
            "<p><small>Each cell: the percentage of that service and layer's questions "
            "you have mastered, and how many of how many; a dash means not asked yet. "
            "<code>srmquiz.review()</code> asks what is due first.</small></p>"
        )
        parts = [widgets.HTML(text + f"<p>Most recent:</p><ul>{recent}</ul>"), image, caption]
    if notice:
        parts.insert(0, widgets.HTML(f"<p role='alert'>⚠ {esc(notice)}</p>"))
    return widgets.VBox(parts)


def _title(matrix, services, mode) -> str:  # type: ignore[no-untyped-def]
    names = [matrix.service(s).name for s in services] if services else ["AWS"]
    kind = "Exam" if mode == "exam" else "Quiz"
    return f"{kind}: shared responsibility on {', '.join(names)}"


class Classroom(widgets.VBox):
    """A student's session: name and code, Start, the quiz, then the result saved and exported."""

    def __init__(
        self,
        matrix: Matrix,
        *,
        name: str = "",
        code: str = "",
        results_dir: str | os.PathLike[str] = "results",
        db: str | os.PathLike[str] | None = None,
    ) -> None:
        self.matrix = matrix
        self.results_dir = results_dir
        self.db = db
        self.name = widgets.Text(value=name, description="Your name:", placeholder="e.g. Ana Silva")
        self.code = widgets.Text(
            value=code, description="Session code:", placeholder="SRM-XXXX-XXXX"
        )
        self.start_button = widgets.Button(
            description="Start", button_style="primary", tooltip="Start the session quiz"
        )
        self.message = widgets.HTML("")
        self.area = widgets.VBox()
        self.quiz: Quiz | None = None
        self.saved_to: str | None = None
        self.result: dict[str, object] | None = None
        self.start_button.on_click(lambda _b: self.start())
        style = {"description_width": "8em"}
        self.name.style, self.code.style = style, style
        super().__init__(
            [self.name, self.code, self.start_button, self.message, self.area],
            layout=widgets.Layout(width="100%", max_width="60em"),
        )
        self.add_class("srmquiz-classroom")

    def _say(self, text: str, *, problem: bool = False) -> None:
        mark = "⚠ " if problem else ""
        role = " role='alert'" if problem else ""
        self.message.value = f"<p{role}>{mark}{text}</p>"

    def start(self) -> None:
        from srmquiz.sessions import SessionCodeError, parse_code

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
            self._say(esc(exc), problem=True)
            return
        from srmquiz.sessions import canonical

        code = canonical(self.code.value)
        self.code.value = code
        self.name.disabled = self.code.disabled = self.start_button.disabled = True
        self.quiz = Quiz(
            questions,
            matrix=self.matrix,
            mode=session.mode,
            title=f"Session {code}: {session.describe(self.matrix)}",
        )
        self._started = time.time()
        self.recorder = attach_progress(self.quiz, learner, self.db, session=code)
        self.quiz.on_finish(lambda q: self._finished(q, learner, code))
        self._say(f"Good luck, {esc(learner)}. Your answers are kept as you go.")
        self.area.children = [self.quiz]

    def _finished(self, made: Quiz, learner: str, code: str) -> None:
        from srmquiz.sessions import export_result, result_document

        doc = result_document(
            learner=learner,
            code=code,
            matrix=self.matrix,
            answers=made.answers,
            questions=made.questions,
            started_at=self._started,
            finished_at=time.time(),
        )
        self.result = doc
        saved = []
        if self.recorder.store is not None:
            try:
                self.recorder.store.save_result(learner, code, doc)
                saved.append("kept in your progress database")
            except Exception as exc:
                saved.append(f"not kept in the database ({esc(exc)})")
        try:
            path = export_result(doc, self.results_dir)
            self.saved_to = str(path)
            saved.append(f"exported to <code>{esc(path)}</code>: hand this file to your instructor")
        except OSError as exc:
            saved.append(f"could not export to {esc(self.results_dir)}: {esc(exc.strerror)}")
        self._say(
            f"Finished: {doc['score']} of {doc['total']}. Your result is " + "; ".join(saved) + "."
        )


def classroom(
    *,
    name: str = "",
    code: str = "",
    results_dir: str | os.PathLike[str] = "results",
    db: str | os.PathLike[str] | None = None,
    content: str | os.PathLike[str] | None = None,
) -> Classroom | widgets.HTML:
    """The student's session form: type a name and the code from the board, press Start."""
    try:
        matrix = load_matrix(content)
    except ContentError as exc:
        return error_widget(exc.problems)
    made = Classroom(matrix, name=name, code=code, results_dir=results_dir, db=db)
    if name and code:
        made.start()
    return made
