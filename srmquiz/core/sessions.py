"""Classroom session codes: a short code fixes a whole quiz.

A session code such as ``SRM-85ZW-KGKJ`` carries the whole quiz in 40 bits: which
services and kinds, how many questions, the seed and the mode, plus a check character
(Luhn mod 32), so every student who types it gets the same questions in the same order
with the same choice order, and a mistyped code is caught instead of giving another quiz.
Codes use Crockford's base 32: no I, L, O or U; when typed, I and L read as 1, O as 0.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from srmquiz.core.bank import generate, pick
from srmquiz.core.kinds import KINDS
from srmquiz.core.matrix import Matrix
from srmquiz.core.questions import Question
from srmquiz.core.quizrun import MODES, check_mode

ALPHABET = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"
PREFIX = "SRM"
CODE_VERSION = 1
MAX_N = 64
MAX_SEED = 1023
MAX_SERVICES = 8
"""A code has one bit per service: it can name the first eight services of the content."""
MAX_KINDS = 8
"""A code has one bit per kind: KINDS may not grow past eight without a new CODE_VERSION."""


class SessionCodeError(ValueError):
    """A code that does not decode (mistyped, or made for other content)."""


@dataclass(frozen=True, slots=True)
class Session:
    """What a session code fixes."""

    services: tuple[str, ...]
    kinds: tuple[str, ...]
    n: int
    seed: int
    mode: str = "practice"

    def questions(self, matrix: Matrix) -> list[Question]:
        """The quiz every student with this code gets: same questions, order and choices."""
        bank = generate(matrix, seed=self.seed, services=self.services, kinds=self.kinds)
        if not bank:
            raise ValueError("no questions match this session's services and kinds")
        return pick(bank, self.n, seed=self.seed)

    def describe(self, matrix: Matrix) -> str:
        """The session in words, e.g. '10 questions on Amazon EC2 (all kinds), practice mode, seed 7'."""
        names = ", ".join(matrix.service(s).name for s in self.services)
        kinds = "all kinds" if set(self.kinds) == set(KINDS) else ", ".join(self.kinds)
        return f"{self.n} questions on {names} ({kinds}), {self.mode} mode, seed {self.seed}"


def printed_answer(question: Question) -> str:
    """The answer as an answer key prints it (build-the-stack: every layer, top first)."""
    if question.kind == "build-the-stack":
        return "; ".join(f"{p.name}: {p.answer}" for p in reversed(question.parts))
    return ", ".join(question.answer)


def _luhn32(values: Sequence[int]) -> int:
    """Luhn mod N check character: catches every single mistyped character."""
    factor, total = 2, 0
    for v in reversed(values):
        addend = factor * v
        total += addend // 32 + addend % 32
        factor = 1 if factor == 2 else 2
    return (32 - total % 32) % 32


def make_code(matrix: Matrix, session: Session) -> str:
    """Encode a session as SRM-XXXX-XXXX (checked against this matrix's services and kinds)."""
    ids = matrix.service_ids
    for sid in session.services:
        matrix.service(sid)
        if ids.index(sid) >= MAX_SERVICES:
            raise ValueError(
                f"session codes cover the first {MAX_SERVICES} services only, not {sid!r}"
            )
    for kind in session.kinds:
        if kind not in KINDS:
            raise ValueError(f"unknown kind {kind!r}; valid: {', '.join(KINDS)}")
        if KINDS.index(kind) >= MAX_KINDS:
            raise ValueError(f"session codes cover the first {MAX_KINDS} kinds only, not {kind!r}")
    if not 1 <= session.n <= MAX_N:
        raise ValueError(f"a session has 1 to {MAX_N} questions, not {session.n}")
    if not 0 <= session.seed <= MAX_SEED:
        raise ValueError(f"a session seed is 0 to {MAX_SEED}, not {session.seed}")
    check_mode(session.mode)
    session.questions(matrix)  # a code that gives no quiz is refused now, not in class
    services = sum(1 << ids.index(s) for s in session.services)
    kinds = sum(1 << KINDS.index(k) for k in session.kinds)
    bits = CODE_VERSION
    for value, width in (
        (services, MAX_SERVICES),
        (kinds, MAX_KINDS),
        (session.n - 1, 6),
        (session.seed, 10),
        (MODES.index(session.mode), 1),
    ):
        bits = (bits << width) | value
    digits = [(bits >> (5 * i)) & 31 for i in reversed(range(7))]
    digits.append(_luhn32(digits))
    text = "".join(ALPHABET[d] for d in digits)
    return f"{PREFIX}-{text[:4]}-{text[4:]}"


def normalize(code: str) -> str:
    """Upper case, no spaces or dashes, I/L read as 1 and O as 0, the SRM prefix dropped."""
    text = "".join(code.split()).upper().replace("-", "")
    if text.startswith(PREFIX):
        text = text[len(PREFIX) :]
    return text.translate(str.maketrans("ILO", "110"))


def canonical(code: str) -> str:
    """A typed code as it is printed: SRM-XXXX-XXXX (after normalize)."""
    text = normalize(code)
    return f"{PREFIX}-{text[:4]}-{text[4:]}"


def parse_code(matrix: Matrix, code: str) -> Session:
    """Decode a session code, or raise SessionCodeError with one line saying what is wrong."""
    shown = code.strip() or "(empty)"
    text = normalize(code)
    if len(text) != 8:
        raise SessionCodeError(
            f"{shown!s} is not a session code: it has {len(text)} characters after SRM-, "
            "not 8 (like SRM-85ZW-KGKJ)"
        )
    bad = sorted({c for c in text if c not in ALPHABET})
    if bad:
        raise SessionCodeError(f"{shown}: {''.join(bad)!r} cannot appear in a session code")
    digits = [ALPHABET.index(c) for c in text]
    if _luhn32(digits[:7]) != digits[7]:
        raise SessionCodeError(
            f"{shown}: a character is mistyped (the check character does not match); "
            "compare it with the code on the board"
        )
    bits = 0
    for d in digits[:7]:
        bits = (bits << 5) | d
    fields = []
    for width in (1, 10, 6, MAX_KINDS, MAX_SERVICES):  # read back from the low end
        fields.append(bits & ((1 << width) - 1))
        bits >>= width
    mode, seed, n, kinds, services = fields
    if bits != CODE_VERSION:
        raise SessionCodeError(f"{shown}: made by another version of srmquiz (code version {bits})")
    ids = matrix.service_ids
    chosen = tuple(ids[i] for i in range(min(len(ids), MAX_SERVICES)) if services >> i & 1)
    if services >> min(len(ids), MAX_SERVICES) or not chosen:
        raise SessionCodeError(f"{shown}: names services this content does not have")
    kind_ids = tuple(k for i, k in enumerate(KINDS) if kinds >> i & 1)
    if not kind_ids:
        raise SessionCodeError(f"{shown}: names no question kinds")
    return Session(chosen, kind_ids, n + 1, seed, MODES[mode])


def new_session(
    matrix: Matrix,
    services: Iterable[str] | None = None,
    *,
    kinds: Iterable[str] | None = None,
    n: int = 10,
    seed: int | None = None,
    mode: str = "practice",
) -> tuple[str, Session]:
    """An instructor's new session (a random seed unless one is given) and its code."""
    import secrets

    session = Session(
        tuple(services) if services is not None else tuple(matrix.service_ids[:MAX_SERVICES]),
        tuple(kinds) if kinds is not None else tuple(KINDS),
        n,
        seed if seed is not None else secrets.randbelow(MAX_SEED + 1),
        mode,
    )
    return make_code(matrix, session), session
