"""Command line: ``srmquiz matrix|questions|draw|validate|session|results`` (also
``python -m srmquiz``).

Every command prints a clear one-line error and exits non-zero on bad input: 1 for
content problems, `results collect` finding no usable result, or `draw` unable to write
its file; 2 for a wrong argument (unknown service, kind, ...).
"""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Sequence
from pathlib import Path

from srmquiz.core.bank import generate
from srmquiz.core.banklint import SEEDS, check_bank
from srmquiz.core.kinds import KINDS
from srmquiz.core.matrix import Matrix, UnknownIdError
from srmquiz.core.pictures import StackPicture
from srmquiz.core.sessions import (
    SessionCodeError,
    canonical,
    new_session,
    parse_code,
    printed_answer,
)
from srmquiz.core.table import matrix_table
from srmquiz.core.version import __version__
from srmquiz.data.content import ContentError, display_path, find_content_dir, load_matrix, validate


def _content_option(parser: argparse.ArgumentParser, default: object) -> None:
    parser.add_argument(
        "--content",
        metavar="DIR",
        default=default,
        help="content folder to read instead of the shipped one",
    )


def build_parser() -> argparse.ArgumentParser:
    """The argument parser of every command."""
    parser = argparse.ArgumentParser(
        prog="srmquiz",
        description="Learn the AWS shared responsibility model: matrix, questions, checks.",
    )
    parser.add_argument("--version", action="version", version=f"srmquiz {__version__}")
    _content_option(parser, None)
    sub = parser.add_subparsers(dest="command", metavar="COMMAND", required=True)

    p = sub.add_parser("matrix", help="show the responsibility matrix")
    _content_option(p, argparse.SUPPRESS)
    p.add_argument("--json", action="store_true", help="machine-readable JSON")

    p = sub.add_parser("questions", help="list the generated question bank")
    _content_option(p, argparse.SUPPRESS)
    p.add_argument("--json", action="store_true", help="machine-readable JSON")
    p.add_argument("--seed", type=int, default=0, help="order and wording seed (default 0)")
    p.add_argument(
        "--service", action="append", metavar="ID", help="only these services (repeatable)"
    )
    p.add_argument(
        "--category", action="append", metavar="ID", help="also every service of this category"
    )
    p.add_argument(
        "--kind", action="append", metavar="K", help=f"only these kinds: {', '.join(KINDS)}"
    )

    p = sub.add_parser("draw", help="draw layer stacks or the whole matrix to PNG, SVG or PDF")
    _content_option(p, argparse.SUPPRESS)
    p.add_argument("services", nargs="*", metavar="SERVICE", help="service ids, e.g. ec2 rds s3")
    p.add_argument(
        "--spectrum",
        action="store_true",
        help="the services (all if none named) from the customer's largest share to the smallest",
    )
    p.add_argument(
        "--matrix",
        action="store_true",
        help="the whole matrix: every service across, every layer down (no SERVICE needed)",
    )
    p.add_argument("-o", "--output", required=True, metavar="FILE", help="FILE.png, .svg or .pdf")
    p.add_argument(
        "--highlight", action="append", default=[], metavar="LAYER", help="outline a layer"
    )
    p.add_argument("--presenter", action="store_true", help="large fonts for slides")
    p.add_argument("--force", action="store_true", help="replace FILE if it exists")

    p = sub.add_parser("validate", help="check a content folder; list every problem")
    p.add_argument("dir", nargs="?", metavar="DIR", help="content folder (default: shipped)")
    p.add_argument(
        "--bank",
        action="store_true",
        help="also render every question for many seeds and check its wording",
    )
    p.add_argument(
        "--seeds",
        type=int,
        metavar="N",
        help=f"with --bank: how many seeds to render (default {len(SEEDS)})",
    )

    p = sub.add_parser("session", help="classroom session codes: create one, print its key")
    _content_option(p, argparse.SUPPRESS)
    ssub = p.add_subparsers(dest="action", metavar="ACTION", required=True)
    q = ssub.add_parser("new", help="make a session code every student types to get one quiz")
    _content_option(q, argparse.SUPPRESS)
    q.add_argument("--service", action="append", metavar="ID", help="services (default: all)")
    q.add_argument(
        "--category", action="append", metavar="ID", help="also every service of this category"
    )
    q.add_argument("--kind", action="append", metavar="K", help="kinds (default: all)")
    q.add_argument("-n", type=int, default=10, help="number of questions, 1 to 64 (default 10)")
    q.add_argument("--seed", type=int, help="0 to 1023 (default: random)")
    q.add_argument("--mode", default="practice", help="practice or exam")
    q = ssub.add_parser("key", help="print the answer key of a session code")
    _content_option(q, argparse.SUPPRESS)
    q.add_argument("code", help="e.g. SRM-85ZW-KGKJ")

    p = sub.add_parser("results", help="collect students' result files")
    rsub = p.add_subparsers(dest="action", metavar="ACTION", required=True)
    q = rsub.add_parser("collect", help="aggregate result files, folders and/or a database")
    _content_option(q, argparse.SUPPRESS)
    q.add_argument("paths", nargs="*", metavar="PATH", help="result .json files or folders")
    q.add_argument("--db", metavar="PATH", help="also read results saved in this database")
    q.add_argument("--code", help="the session to collect (default: the most common one)")
    q.add_argument(
        "--format", choices=["table", "csv", "json"], default="table", help="output format"
    )
    return parser


def _load(args: argparse.Namespace) -> Matrix:
    return load_matrix(args.content)


def cmd_matrix(args: argparse.Namespace) -> int:
    """Print the matrix as a table or as JSON."""
    matrix = _load(args)
    if args.json:
        print(json.dumps(matrix.to_dict(), indent=2, ensure_ascii=False))
        return 0
    print(matrix_table(matrix))
    return 0


def cmd_questions(args: argparse.Namespace) -> int:
    """Print the question bank, readable or as JSON."""
    matrix = _load(args)
    try:
        services = matrix.select(args.service, args.category)
    except ValueError as exc:
        print(f"srmquiz: {exc}", file=sys.stderr)
        return 2
    bank = generate(matrix, seed=args.seed, services=services, kinds=args.kind)
    if args.json:
        print(json.dumps([q.to_dict() for q in bank], indent=2, ensure_ascii=False))
        return 0
    for n, q in enumerate(bank, 1):
        print(f"{n}. [{q.kind}] {q.prompt}")
        if q.kind == "build-the-stack":
            for part in q.parts:
                print(f"     {part.name}: {part.answer}")
        else:
            for choice in q.choices:
                mark = "*" if choice in q.answer else " "
                print(f"   {mark} {choice}")
        print(f"     {q.explanation}")
        print()
    print(f"{len(bank)} questions (seed {args.seed})")
    return 0


def cmd_draw(args: argparse.Namespace) -> int:
    """Draw stacks to a PNG, SVG or PDF file."""
    from srmquiz.draw.render import figure_bytes
    from srmquiz.draw.stacks import draw_picture

    out = Path(args.output)
    fmt = out.suffix.lower().lstrip(".")
    if fmt not in ("png", "svg", "pdf"):
        print(
            f"srmquiz: {out}: unknown format {out.suffix!r}; use .png, .svg or .pdf",
            file=sys.stderr,
        )
        return 2
    if not args.force and (out.exists() or out.is_symlink()):
        print(f"srmquiz: {out}: already exists; use --force to replace it", file=sys.stderr)
        return 1
    matrix = _load(args)
    if args.matrix:
        if args.services or args.spectrum or args.highlight:
            print(
                "srmquiz: draw: --matrix draws every service; name no SERVICE, "
                "--spectrum or --highlight with it",
                file=sys.stderr,
            )
            return 2
        from srmquiz.draw.matrix import draw_matrix

        data = figure_bytes(draw_matrix(matrix), fmt)
    else:
        services = tuple(args.services) or (tuple(matrix.service_ids) if args.spectrum else ())
        if not services:
            print(
                "srmquiz: draw: name at least one service (or use --spectrum or --matrix)",
                file=sys.stderr,
            )
            return 2
        picture = StackPicture(services, tuple(args.highlight), spectrum=args.spectrum)
        data = figure_bytes(draw_picture(matrix, picture, presenter=args.presenter), fmt)
    try:
        if args.force:
            out.write_bytes(data)
        else:
            with open(out, "xb") as f:  # a file that appeared meanwhile is kept too
                f.write(data)
    except FileExistsError:
        print(f"srmquiz: {out}: already exists; use --force to replace it", file=sys.stderr)
        return 1
    except OSError as exc:
        print(f"srmquiz: {out}: cannot write: {exc.strerror}", file=sys.stderr)
        return 1
    print(f"wrote {out}")
    return 0


def cmd_validate(args: argparse.Namespace) -> int:
    """Check a content folder; one line per problem. ``--bank`` also checks the bank's wording."""
    if args.seeds is not None and (not args.bank or args.seeds < 1):
        print("srmquiz: --seeds N goes with --bank and needs N of at least 1", file=sys.stderr)
        return 2
    directory = Path(args.dir) if args.dir else Path(args.content or find_content_dir())
    problems = validate(directory)
    if problems:
        for line in problems:
            print(line)
        print(f"{len(problems)} problem(s) in {display_path(directory)}", file=sys.stderr)
        return 1
    if args.bank:
        return _check_bank(directory, args.seeds or len(SEEDS))
    print(f"{display_path(directory)}: ok")
    return 0


def _check_bank(directory: Path, seeds: int) -> int:
    findings = check_bank(load_matrix(directory), range(seeds))
    over = f"over {seeds} seed{'s' if seeds != 1 else ''}"
    for finding in findings:
        print(finding.line)
    if findings:
        questions = len({f.question_id for f in findings})
        in_questions = f"in {questions} question{'s' if questions != 1 else ''}"
        print(f"{len(findings)} finding(s) {in_questions} {over}", file=sys.stderr)
        return 1
    print(f"{display_path(directory)}: ok, and the bank reads clean {over}")
    return 0


def cmd_session(args: argparse.Namespace) -> int:
    """Make a session code, or print a code's answer key."""
    matrix = _load(args)
    if args.action == "new":
        try:
            code, session = new_session(
                matrix,
                matrix.select(args.service, args.category),
                kinds=args.kind,
                n=args.n,
                seed=args.seed,
                mode=args.mode,
            )
        except ValueError as exc:
            print(f"srmquiz: {exc}", file=sys.stderr)
            return 2
        print(code)
        print(f"  {session.describe(matrix)}", file=sys.stderr)
        return 0
    try:
        session = parse_code(matrix, args.code)
        questions = session.questions(matrix)
    except (SessionCodeError, ValueError) as exc:
        print(f"srmquiz: {exc}", file=sys.stderr)
        return 2
    print(f"Answer key for {canonical(args.code)}: {session.describe(matrix)}")
    for n, q in enumerate(questions, 1):
        print(f"{n}. {q.prompt}\n   Answer: {printed_answer(q)}")
    return 0


def cmd_results(args: argparse.Namespace) -> int:
    """Collect result files and a database into grades."""
    from srmquiz.data.results import collect

    if not args.paths and not args.db:
        print("srmquiz: give result files or folders, or --db PATH", file=sys.stderr)
        return 2
    matrix = _load(args)
    collected = collect(args.paths, db=args.db, code=args.code, matrix=matrix)
    if args.format == "csv":
        sys.stdout.write(collected.to_csv())
    elif args.format == "json":
        print(collected.to_json())
    else:
        print(collected.to_table())
    if args.format != "table":  # the table lists them itself; CSV and JSON keep stdout clean
        for line in collected.skipped:
            print(f"srmquiz: skipped {line}", file=sys.stderr)
        for line in collected.notes:
            print(f"srmquiz: note: {line}", file=sys.stderr)
    return 0 if collected.results else 1


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command line; return the exit code."""
    parser = build_parser()
    args = parser.parse_args(argv)
    handlers = {
        "matrix": cmd_matrix,
        "questions": cmd_questions,
        "draw": cmd_draw,
        "validate": cmd_validate,
        "session": cmd_session,
        "results": cmd_results,
    }
    try:
        return handlers[args.command](args)
    except ContentError as exc:
        for line in exc.problems:
            print(f"srmquiz: {line}", file=sys.stderr)
        return 1
    except UnknownIdError as exc:
        print(f"srmquiz: {exc}", file=sys.stderr)
        return 2
    except BrokenPipeError:  # e.g. `srmquiz questions | head`
        sys.stderr.close()
        return 0


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
