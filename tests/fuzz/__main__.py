"""``make fuzz``: the long profile, its summary table, exit code 1 on any failure.

python -m tests.fuzz [--content N] [--results N] [--db N] [--seed S] [--jobs J]
                     [--timeout SECONDS] [--fast]
"""

from __future__ import annotations

import argparse
import dataclasses
import sys
import time

from tests.fuzz.profiles import FAST, LONG, profile_cases
from tests.fuzz.runner import failure_lines, run_cases, summary


def main(argv: list[str] | None = None) -> int:
    """Run a profile and print the summary; 0 when nothing failed."""
    parser = argparse.ArgumentParser(prog="python -m tests.fuzz", description=__doc__)
    parser.add_argument("--fast", action="store_true", help="the fast profile of make test")
    parser.add_argument("--content", type=int, help="content folders hypothesis draws")
    parser.add_argument("--results", type=int, help="result files hypothesis draws")
    parser.add_argument("--db", type=int, help="databases hypothesis draws")
    parser.add_argument("--seed", type=int, help="draw other cases (default: the same every run)")
    parser.add_argument("--jobs", type=int, help="worker processes")
    parser.add_argument("--timeout", type=float, help="seconds a case may take before it hangs")
    args = parser.parse_args(argv)
    profile = FAST if args.fast else LONG
    counts = {
        k: getattr(args, k) for k in ("content", "results", "db") if getattr(args, k) is not None
    }
    options = {k: getattr(args, k) for k in ("jobs", "timeout") if getattr(args, k) is not None}
    profile = dataclasses.replace(
        profile, **counts, options=dataclasses.replace(profile.options, **options)
    )
    start = time.monotonic()
    cases = profile_cases(profile, random_seed=args.seed)
    print(f"srmquiz fuzz, {profile.name} profile: {len(cases):,} cases", file=sys.stderr)
    outcomes = run_cases(cases, profile.options)
    print(summary(outcomes))
    failed = failure_lines(outcomes)
    if failed:
        print(f"\n{len(failed)} failed case(s):")
        print("\n".join(failed))
    print(f"\n{time.monotonic() - start:.0f} s", file=sys.stderr)
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
