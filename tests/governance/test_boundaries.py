"""The core imports no app: apps extend it through governance.extensions."""
import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
APPS = {"intake", "mediation", "grid", "petitions", "demo"}


def imported_modules(path):
    tree = ast.parse(path.read_text(), filename=str(path))
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            yield from (alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            yield node.module


def test_governance_imports_no_app():
    offenders = [
        f"{path.relative_to(ROOT)}: {module}"
        for path in sorted((ROOT / "governance").rglob("*.py"))
        for module in imported_modules(path)
        if module.split(".")[0] in APPS
    ]
    assert offenders == []


@pytest.mark.parametrize("source, expected", [
    ("import intake.models", ["intake.models"]),
    ("from grid.services import report", ["grid.services"]),
    ("def f():\n    from petitions import models\n", ["petitions"]),
])
def test_the_check_sees_imports_anywhere_in_a_module(tmp_path, source, expected):
    module = tmp_path / "m.py"
    module.write_text(source)
    assert list(imported_modules(module)) == expected
