"""One-line entry points for notebooks: ``srmquiz.quiz(...)``.

Bad input (broken content, an unknown service or kind) is shown as a short message
in the notebook instead of a traceback.
"""

from __future__ import annotations

import os
import secrets
from collections.abc import Iterable

import ipywidgets as widgets

from srmquiz.content import ContentError, load_matrix
from srmquiz.matrix import UnknownIdError
from srmquiz.questions import generate, pick
from srmquiz.ui import Quiz, esc


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
) -> Quiz | widgets.HTML:
    """Return a quiz widget: `n` questions on `services` of `kinds` (all by default).

    ``mode="exam"`` holds feedback back until one Submit at the end. The same
    ``seed`` gives the same questions in the same order; without one a new seed is
    drawn and shown in the title, so a quiz can be repeated.
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
    return Quiz(
        questions,
        matrix=matrix,
        mode=mode,
        title=f"{heading} · seed {first_seed}",
        new_quiz=new_quiz,
    )


def _title(matrix, services, mode) -> str:  # type: ignore[no-untyped-def]
    names = [matrix.service(s).name for s in services] if services else ["AWS"]
    kind = "Exam" if mode == "exam" else "Quiz"
    return f"{kind}: shared responsibility on {', '.join(names)}"
