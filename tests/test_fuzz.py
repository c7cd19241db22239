"""The fuzz harness's fast profile (issue #12): hostile content folders, result files and
progress databases never give a traceback, a hang, a memory blow-up or a message of more
than one line, and invalid input is never silently accepted.

The cases are the reliability review's (tests 1, 3a and 4; tests/fuzz/corpus.py) plus
ones hypothesis draws the same way every run; ``make fuzz`` runs the long profile.
"""

from __future__ import annotations

import pytest

from tests.fuzz.profiles import FAST, profile_cases
from tests.fuzz.runner import Outcome, failure_lines, run_cases, summary


@pytest.fixture(scope="module")
def outcomes() -> list[Outcome]:
    return run_cases(profile_cases(FAST), FAST.options)


@pytest.mark.parametrize("kind", ["content", "results", "db"])
def test_hostile_input_is_refused_cleanly(outcomes: list[Outcome], kind: str) -> None:
    mine = [o for o in outcomes if o.case.kind == kind]
    assert mine
    failed = failure_lines([o for o in mine if not o.skipped])
    assert not failed, summary(mine) + "\n\n" + "\n".join(failed)


def test_the_profile_reaches_what_it_promises(outcomes: list[Outcome]) -> None:
    tried = {k: sum(1 for o in outcomes if o.case.kind == k) for k in ("content", "results", "db")}
    assert tried["content"] >= FAST.content
    assert tried["results"] >= FAST.results
    assert tried["db"] >= 10
