"""The fast profile (``make test``) and the long one (``make fuzz``): which cases, how run."""

from __future__ import annotations

from dataclasses import dataclass

from tests.fuzz.cases import Case
from tests.fuzz.corpus import corpus
from tests.fuzz.runner import Options
from tests.fuzz.strategies import content_cases, db_cases, draw_cases, result_cases


@dataclass(frozen=True)
class Profile:
    """How many cases of each kind hypothesis draws on top of the corpus, and how they run."""

    name: str
    content: int
    results: int
    db: int
    huge: int
    """Size of the huge strings and files (characters or bytes)."""
    max_depth: int
    """Deepest nesting the content strategies draw (the corpus always has 100,000)."""
    options: Options


FAST = Profile("fast", 100, 40, 12, 200_000, 2_000, Options(timeout=10.0, jobs=2))
LONG = Profile(
    "long",
    1_000,
    200,
    60,
    2_000_000,
    100_000,
    Options(timeout=10.0, jobs=2, draw_all=True, dashboard_all=True),
)


def profile_cases(profile: Profile, *, random_seed: int | None = None) -> list[Case]:
    """The corpus plus the drawn cases; without a seed the same cases every run."""
    sizes = sorted({1_000, 100_000, profile.huge})
    return [
        *corpus(profile.huge),
        *draw_cases(
            content_cases(max_depth=profile.max_depth, sizes=sizes),
            profile.content,
            random_seed=random_seed,
        ),
        *draw_cases(result_cases(), profile.results, random_seed=random_seed),
        *draw_cases(db_cases(), profile.db, random_seed=random_seed),
    ]
