"""Classroom session codes: a short code fixes a whole quiz.

A session code such as ``SRM-85ZW-KGKJ`` carries the whole quiz: which services and
kinds, how many questions, the seed and the mode, plus check characters, so every student
who types it gets the same questions in the same order with the same choice order, and a
mistyped code is caught instead of giving another quiz. Codes use Crockford's base 32: no
I, L, O or U; when typed, I and L read as 1, O as 0.

Two lengths, told apart by their length:

- **short** (version 1, ``SRM-XXXX-XXXX``): 35 bits and a Luhn mod 32 check character,
  which catches every single mistyped character. It names the first eight services of the
  content and the first eight kinds; a quiz that fits is always given a short code, so
  codes made by earlier versions of srmquiz keep their meaning.
- **long** (version 2, ``SRM-XXXX-XXXX-XXXX-XXXX``): 14 characters of data for up to 32
  services and 16 kinds, and two Reed-Solomon check characters over GF(32), which catch
  every code with one or two characters mistyped (two swapped neighbours included).
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
"""The short code's version (its first bit)."""
LONG_CODE_VERSION = 2
"""The long code's version (its first three bits)."""
MAX_N = 64
MAX_SEED = 1023
MAX_SERVICES = 8
"""A short code has one bit per service: it can name the first eight services."""
MAX_KINDS = 8
"""A short code has one bit per kind: it can name the first eight kinds."""
WIDE_SERVICES = 32
"""A long code has one bit per service: it can name the first 32 services of the content."""
WIDE_KINDS = 16
"""A long code has one bit per kind: KINDS may not grow past 16 without a new version."""
SHORT, LONG = 8, 16
"""Characters after "SRM-" in a short and a long code."""

# GF(32) with the primitive polynomial x^5 + x^2 + 1: powers of alpha and their logs.
_EXP: list[int] = []
_LOG = [0] * 32
_x = 1
for _i in range(31):
    _EXP.append(_x)
    _LOG[_x] = _i
    _x <<= 1
    if _x & 32:
        _x ^= 0b100101
_EXP += _EXP  # alpha^(i + j) without a modulo


def _gf_mul(a: int, b: int) -> int:
    return 0 if a == 0 or b == 0 else _EXP[_LOG[a] + _LOG[b]]


def _rs_check(data: Sequence[int]) -> list[int]:
    """The two check symbols that make data + check a Reed-Solomon codeword with roots
    alpha and alpha^2 (distance 3: any two wrong symbols are detected)."""
    g1, g0 = _EXP[1] ^ _EXP[2], _EXP[3]  # (x + a)(x + a^2) = x^2 + (a + a^2) x + a^3
    r1 = r0 = 0
    for d in data:
        feedback = d ^ r1
        r1 = r0 ^ _gf_mul(feedback, g1)
        r0 = _gf_mul(feedback, g0)
    return [r1, r0]


def _rs_ok(symbols: Sequence[int]) -> bool:
    """True when symbols is a codeword (the polynomial is zero at alpha and alpha^2)."""
    for root in (_EXP[1], _EXP[2]):
        value = 0
        for s in symbols:
            value = _gf_mul(value, root) ^ s
        if value:
            return False
    return True


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
    """Encode a session: a short code when it fits, else a long one (checked against this
    matrix's services and kinds)."""
    ids = matrix.service_ids
    for sid in session.services:
        matrix.service(sid)
        if ids.index(sid) >= WIDE_SERVICES:
            raise ValueError(
                f"session codes cover the first {WIDE_SERVICES} services only, not {sid!r}"
            )
    for kind in session.kinds:
        if kind not in KINDS:
            raise ValueError(f"unknown kind {kind!r}; valid: {', '.join(KINDS)}")
        if KINDS.index(kind) >= WIDE_KINDS:
            raise ValueError(f"session codes cover the first {WIDE_KINDS} kinds only, not {kind!r}")
    if not 1 <= session.n <= MAX_N:
        raise ValueError(f"a session has 1 to {MAX_N} questions, not {session.n}")
    if not 0 <= session.seed <= MAX_SEED:
        raise ValueError(f"a session seed is 0 to {MAX_SEED}, not {session.seed}")
    check_mode(session.mode)
    session.questions(matrix)  # a code that gives no quiz is refused now, not in class
    services = sum(1 << ids.index(s) for s in session.services)
    kinds = sum(1 << KINDS.index(k) for k in session.kinds)
    short = services < 1 << MAX_SERVICES and kinds < 1 << MAX_KINDS
    bits = CODE_VERSION if short else LONG_CODE_VERSION
    for value, width in (
        (services, MAX_SERVICES if short else WIDE_SERVICES),
        (kinds, MAX_KINDS if short else WIDE_KINDS),
        (session.n - 1, 6),
        (session.seed, 10),
        (MODES.index(session.mode), 1),
    ):
        bits = (bits << width) | value
    size = 7 if short else 14
    digits = [(bits >> (5 * i)) & 31 for i in reversed(range(size))]
    digits += [_luhn32(digits)] if short else _rs_check(digits)
    text = "".join(ALPHABET[d] for d in digits)
    return canonical(text)


def normalize(code: str) -> str:
    """Upper case, no spaces or dashes, I/L read as 1 and O as 0, the SRM prefix dropped."""
    text = "".join(code.split()).upper().replace("-", "")
    if text.startswith(PREFIX):
        text = text[len(PREFIX) :]
    return text.translate(str.maketrans("ILO", "110"))


def canonical(code: str) -> str:
    """A typed code as it is printed: SRM-XXXX-XXXX or SRM-XXXX-XXXX-XXXX-XXXX."""
    text = normalize(code)
    return "-".join([PREFIX] + [text[i : i + 4] for i in range(0, max(len(text), 1), 4)])


def parse_code(matrix: Matrix, code: str) -> Session:
    """Decode a session code, or raise SessionCodeError with one line saying what is wrong."""
    shown = code.strip() or "(empty)"
    text = normalize(code)
    if len(text) not in (SHORT, LONG):
        raise SessionCodeError(
            f"{shown!s} is not a session code: it has {len(text)} characters after SRM-, "
            f"not {SHORT} (like SRM-85ZW-KGKJ) or {LONG}"
        )
    bad = sorted({c for c in text if c not in ALPHABET})
    if bad:
        raise SessionCodeError(f"{shown}: {''.join(bad)!r} cannot appear in a session code")
    digits = [ALPHABET.index(c) for c in text]
    short = len(text) == SHORT
    if not (_luhn32(digits[:-1]) == digits[-1] if short else _rs_ok(digits)):
        check = "check character does not" if short else "check characters do not"
        raise SessionCodeError(
            f"{shown}: a character is mistyped (the {check} match); "
            "compare it with the code on the board"
        )
    bits = 0
    for d in digits[: -1 if short else -2]:
        bits = (bits << 5) | d
    width_s, width_k = (MAX_SERVICES, MAX_KINDS) if short else (WIDE_SERVICES, WIDE_KINDS)
    fields = []
    for width in (1, 10, 6, width_k, width_s):  # read back from the low end
        fields.append(bits & ((1 << width) - 1))
        bits >>= width
    mode, seed, n, kinds, services = fields
    if bits != (CODE_VERSION if short else LONG_CODE_VERSION):
        raise SessionCodeError(f"{shown}: made by another version of srmquiz (code version {bits})")
    ids = matrix.service_ids
    chosen = tuple(ids[i] for i in range(min(len(ids), width_s)) if services >> i & 1)
    if services >> min(len(ids), width_s) or not chosen:
        raise SessionCodeError(f"{shown}: names services this content does not have")
    if kinds >> len(KINDS):
        raise SessionCodeError(f"{shown}: names question kinds this srmquiz does not have")
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
        tuple(services) if services is not None else tuple(matrix.service_ids[:WIDE_SERVICES]),
        tuple(kinds) if kinds is not None else tuple(KINDS),
        n,
        seed if seed is not None else secrets.randbelow(MAX_SEED + 1),
        mode,
    )
    return make_code(matrix, session), session
