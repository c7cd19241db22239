"""Session codes: they fix a quiz, survive sloppy typing and catch every mistyped character."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from srmquiz.core.kinds import KINDS
from srmquiz.core.sessions import (
    ALPHABET,
    Session,
    SessionCodeError,
    make_code,
    new_session,
    parse_code,
)


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
        ("SRM-7K2Q", "has 4 characters after SRM-, not 8"),
        ("SRM-7K2Q-M4X!", "'!' cannot appear in a session code"),
    ],
)
def test_malformed_codes_get_one_clear_line(matrix, typed, message):
    with pytest.raises(SessionCodeError) as err:
        parse_code(matrix, typed)
    assert message in str(err.value)
    assert "\n" not in str(err.value)


def test_every_kind_fits_in_a_session_code():
    """A code has one bit per kind: a ninth kind needs a new code version, not a silent clash."""
    from srmquiz.core.sessions import MAX_KINDS

    assert len(KINDS) <= MAX_KINDS, "widen the kinds field of session codes and bump CODE_VERSION"


def test_a_kind_past_the_code_s_eight_bits_is_refused(matrix, monkeypatch):
    import srmquiz.core.sessions as sessions

    monkeypatch.setattr(sessions, "KINDS", (*KINDS, "ninth"))
    with pytest.raises(ValueError, match="session codes cover the first 8 kinds only, not 'ninth'"):
        make_code(matrix, Session(("ec2",), ("owner", "ninth"), 5, 1))
