"""The package surface: public API, light import, content found when installed."""

from __future__ import annotations

import subprocess
import sys
import zipfile
from pathlib import Path

import srmquiz

ROOT = Path(__file__).parents[1]


def test_all_is_sorted_and_importable():
    assert srmquiz.__all__ == sorted(srmquiz.__all__)
    for name in srmquiz.__all__:
        assert hasattr(srmquiz, name), name


def test_the_lazy_table_the_type_imports_and_all_name_the_same_things():
    """__init__ keeps three lists (what mypy sees, where each name lives, __all__) in step."""
    import ast
    import importlib

    tree = ast.parse((ROOT / "srmquiz" / "__init__.py").read_text())
    checked = next(n for n in tree.body if isinstance(n, ast.If))  # if TYPE_CHECKING:
    typed = {
        a.asname or a.name for n in checked.body if isinstance(n, ast.ImportFrom) for a in n.names
    }
    table = next(
        n
        for n in tree.body
        if isinstance(n, ast.AnnAssign | ast.Assign) and "_WHERE" in ast.unparse(n)
    )
    where = ast.literal_eval(table.value)
    assert typed == set(where)
    assert srmquiz.__all__ == sorted([*where, "__version__"])
    for name, module in where.items():
        assert getattr(srmquiz, name) is getattr(importlib.import_module(module), name), name


def test_import_is_light():
    code = "import sys, srmquiz; print(sorted(m for m in ('matplotlib', 'ipywidgets') if m in sys.modules))"
    out = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, cwd=ROOT, check=True
    )
    assert out.stdout.strip() == "[]"


def test_wheel_carries_the_content_and_finds_it(tmp_path: Path):
    """A wheel installed anywhere finds srmquiz/_content (not the repo's content/)."""
    subprocess.run(
        [
            sys.executable,
            "-m",
            "pip",
            "wheel",
            "--no-deps",
            "--no-build-isolation",
            "-q",
            "-w",
            str(tmp_path / "dist"),
            str(ROOT),
        ],
        check=True,
        capture_output=True,
    )
    wheel = next((tmp_path / "dist").glob("srmquiz-*.whl"))
    site = tmp_path / "site"
    with zipfile.ZipFile(wheel) as zf:
        names = zf.namelist()
        assert "srmquiz/_content/matrix.toml" in names
        zf.extractall(site)
    code = "import srmquiz; print(srmquiz.find_content_dir()); print(len(srmquiz.generate(srmquiz.load_matrix())))"
    out = subprocess.run(
        [sys.executable, "-c", code],
        capture_output=True,
        text=True,
        cwd=tmp_path,
        env={"PYTHONPATH": str(site), "PATH": "/usr/bin:/bin"},
        check=True,
    )
    found, count = out.stdout.split()
    assert found == str(site / "srmquiz" / "_content")
    assert int(count) > 100
