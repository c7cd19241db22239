"""Session codes: they fix a quiz, survive sloppy typing and catch every mistyped character."""

from __future__ import annotations

import itertools
import json
import random
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from srmquiz.core.kinds import KINDS
from srmquiz.core.matrix import Matrix
from srmquiz.core.sessions import (
    ALPHABET,
    Session,
    SessionCodeError,
    make_code,
    new_session,
    parse_code,
)

from .conftest import EIGHT_KINDS, widened


@settings(max_examples=60, deadline=None)
@given(
    services=st.lists(st.sampled_from(["ec2", "rds", "s3"]), min_size=1, unique=True),
    kinds=st.lists(
        st.sampled_from(["owner", "true-false", "which-are", "scenario"]), min_size=1, unique=True
    ),
    n=st.integers(1, 64),
    seed=st.integers(0, 1023),
    mode=st.sampled_from(["practice", "exam"]),
)
def test_a_code_round_trips_what_it_fixes(matrix, services, kinds, n, seed, mode):
    # services and kinds come back in the matrix's / KINDS order
    session = Session(
        tuple(s for s in matrix.service_ids if s in services),
        tuple(k for k in KINDS if k in kinds),
        n,
        seed,
        mode,
    )
    code = make_code(matrix, session)
    assert code.startswith("SRM-") and len(code) == 13
    assert parse_code(matrix, code) == session


def test_typed_codes_are_forgiving_about_case_dashes_and_look_alikes(matrix):
    code, session = new_session(matrix, ["ec2"], n=5, seed=12)
    body = code[4:].replace("-", "")
    variants = [code.lower(), f"srm {body[:4]} {body[4:]}", body, f"  {code}  "]
    if "0" in body or "1" in body:
        variants.append(body.replace("0", "O").replace("1", "l"))
    for typed in variants:
        assert parse_code(matrix, typed) == session, typed


def test_every_single_mistyped_character_is_caught(matrix):
    code, _ = new_session(matrix, n=10, seed=700)
    body = code[4:].replace("-", "")
    for i in range(8):
        for c in ALPHABET:
            if c != body[i]:
                with pytest.raises(SessionCodeError, match="mistyped|another version|services"):
                    parse_code(matrix, body[:i] + c + body[i + 1 :])


@pytest.mark.parametrize(
    ("typed", "message"),
    [
        ("", "(empty) is not a session code: it has 0 characters"),
        ("SRM-7K2Q", "has 4 characters after SRM-, not 8 (like SRM-85ZW-KGKJ) or 16"),
        ("SRM-7K2Q-M4X!", "'!' cannot appear in a session code"),
    ],
)
def test_malformed_codes_get_one_clear_line(matrix, typed, message):
    with pytest.raises(SessionCodeError) as err:
        parse_code(matrix, typed)
    assert message in str(err.value)
    assert "\n" not in str(err.value)


def test_every_kind_fits_in_a_session_code():
    """A long code has one bit per kind: a 17th kind needs a new code version, not a clash."""
    from srmquiz.core.sessions import WIDE_KINDS

    assert len(KINDS) <= WIDE_KINDS, "widen the kinds field of long codes and add a version"


def test_a_kind_past_the_long_code_s_sixteen_bits_is_refused(matrix, monkeypatch):
    import srmquiz.core.sessions as sessions

    extra = tuple(f"kind-{i}" for i in range(len(KINDS), 17))
    monkeypatch.setattr(sessions, "KINDS", (*KINDS, *extra))
    with pytest.raises(ValueError, match="cover the first 16 kinds only, not 'kind-16'"):
        make_code(matrix, Session(("ec2",), ("owner", "kind-16"), 5, 1))


# -- long codes: more services than a short code names ----------------------------------
def wide(matrix: Matrix, count: int) -> Matrix:
    """The shipped matrix widened to count services by renamed copies of EC2 (vm-0, ...)."""
    extra = count - len(matrix.services)
    return widened(matrix, [f"Virtual machine {i}" for i in range(extra)])


def test_a_quiz_that_fits_a_short_code_keeps_it(matrix):
    """Codes made before long codes existed keep their meaning: the same quiz, same code.
    (The course's eight kinds: all of today's KINDS no longer fit a short code's 8 bits.)"""
    session = Session(("ec2", "rds", "s3"), EIGHT_KINDS, 10, 700)
    assert make_code(wide(matrix, 20), session) == make_code(matrix, session)
    assert len(make_code(matrix, session)) == len("SRM-XXXX-XXXX")


@settings(max_examples=40, deadline=None)
@given(
    picked=st.sets(st.integers(0, 19), min_size=1).filter(lambda s: max(s) >= 8),
    n=st.integers(1, 64),
    seed=st.integers(0, 1023),
    mode=st.sampled_from(["practice", "exam"]),
)
def test_a_long_code_round_trips_twenty_services(matrix, picked, n, seed, mode):
    twenty = wide(matrix, 20)
    session = Session(
        tuple(twenty.service_ids[i] for i in sorted(picked)), ("owner", "compare"), n, seed, mode
    )
    code = make_code(twenty, session)
    assert len(code) == len("SRM-XXXX-XXXX-XXXX-XXXX") and code.count("-") == 4
    assert parse_code(twenty, code) == session
    assert parse_code(twenty, code.lower().replace("-", " ")) == session


def test_every_code_with_one_or_two_characters_mistyped_is_caught(matrix):
    """Short codes catch one wrong character; in long ones any two (the review found 15
    double mistypes in 1,000 that gave a short code's student another quiz)."""
    twenty = wide(matrix, 20)
    code, _ = new_session(twenty, n=10, seed=700)
    body = code[4:].replace("-", "")
    assert len(body) == 16
    for i in range(16):
        for c in ALPHABET:
            if c != body[i]:
                with pytest.raises(SessionCodeError, match="mistyped"):
                    parse_code(twenty, body[:i] + c + body[i + 1 :])
    rng = random.Random(7)
    for i, j in itertools.combinations(range(16), 2):
        for _ in range(6):
            typed = list(body)
            typed[i] = rng.choice([c for c in ALPHABET if c != body[i]])
            typed[j] = rng.choice([c for c in ALPHABET if c != body[j]])
            with pytest.raises(SessionCodeError, match="mistyped"):
                parse_code(twenty, "".join(typed))
    for i in range(15):  # two neighbours swapped
        if body[i] != body[i + 1]:
            swapped = body[:i] + body[i + 1] + body[i] + body[i + 2 :]
            with pytest.raises(SessionCodeError, match="mistyped"):
                parse_code(twenty, swapped)


def test_a_long_code_for_content_with_fewer_services_is_refused(matrix):
    twenty = wide(matrix, 20)
    code, _ = new_session(twenty, [twenty.service_ids[19]], n=3, seed=1)
    with pytest.raises(SessionCodeError, match="names services this content does not have"):
        parse_code(matrix, code)


def test_a_service_past_the_long_code_s_32_bits_is_refused(matrix):
    forty = wide(matrix, 40)
    past = forty.service_ids[32]  # the 33rd service
    with pytest.raises(ValueError, match=f"cover the first 32 services only, not '{past}'"):
        make_code(forty, Session((past,), ("owner",), 5, 1))


BEFORE_13 = Path(__file__).parent / "data" / "sessions-before-13.json"


@pytest.mark.parametrize("made", json.loads(BEFORE_13.read_text()), ids=lambda m: m["code"])
def test_codes_made_before_the_new_services_keep_their_meaning(matrix, made):
    """Codes made by srmquiz before issue #13 (file written by that version) still give the
    same services, kinds, count, seed and mode, though the matrix now has more of each, and
    their quiz still has the number of questions asked for."""
    session = parse_code(matrix, made["code"])
    assert list(session.services) == made["services"]
    assert set(session.kinds) == set(made["kinds"])
    assert (session.n, session.seed, session.mode) == (made["n"], made["seed"], made["mode"])
    questions = session.questions(matrix)
    assert len(questions) == made["n"]
    assert {q.service for q in questions} <= {*made["services"], None}
    assert {q.kind for q in questions} <= set(made["kinds"])
