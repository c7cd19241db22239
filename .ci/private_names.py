"""Fail when a module imports another module's private (underscore) name.

ruff's SLF001 catches ``obj._private`` reach-ins and PLC2701 private imports from other
packages; neither flags ``from srmquiz.x import _name`` inside srmquiz itself, so this
does (srmquiz/ and tests/ alike). Usage: python .ci/private_names.py DIR... ; exit 1 and
one line per import on a finding.
"""

from __future__ import annotations

import ast
import sys
from pathlib import Path


def module_name(path: Path) -> str:
    parts = list(path.with_suffix("").parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


def imported_from(node: ast.ImportFrom, here: str, is_package: bool) -> str:
    if not node.level:
        return node.module or ""
    base = here.split(".")
    base = base if is_package else base[:-1]
    base = base[: len(base) - (node.level - 1)]
    return ".".join([*base, node.module] if node.module else base)


def findings(path: Path) -> list[str]:
    here = module_name(path)
    tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
    out = []
    for node in ast.walk(tree):
        if not isinstance(node, ast.ImportFrom):
            continue
        source = imported_from(node, here, path.name == "__init__.py")
        if source == here or not source.startswith(("srmquiz", "tests")):
            continue
        for alias in node.names:
            if alias.name.startswith("_") and not alias.name.startswith("__"):
                out.append(
                    f"{path}:{node.lineno}: imports private name {alias.name!r} from {source}"
                )
    return out


def main(roots: list[str]) -> int:
    problems = [
        line for root in roots for p in sorted(Path(root).rglob("*.py")) for line in findings(p)
    ]
    for line in problems:
        print(line)
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:] or ["srmquiz", "tests"]))
