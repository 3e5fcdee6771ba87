"""The house rules of docs/ARCHITECTURE.md that import-linter does not check.

- No ``_private`` name crosses a module: ``from kg.tables.csv_table import _cells`` in another module is a
  seam that was never made public. A package may use its own private modules (``ontology._vocab``,
  ``extractors.corpora._common``) from inside that package.
- Modules stay small enough to read: every module of our packages under 400 lines, every function under 60.
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[2]
PACKAGES = ("kg", "api", "extractors", "ontology")
MAX_MODULE_LINES = 400
MAX_FUNCTION_LINES = 60


def _modules() -> list[Path]:
    return sorted(p for pkg in PACKAGES for p in (REPO / pkg).rglob("*.py") if "datasets" not in p.parts)


def _module_name(path: Path) -> str:
    parts = path.relative_to(REPO).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def _private(name: str) -> bool:
    return name.startswith("_") and not name.startswith("__")


def crossings(path: Path) -> list[str]:
    """Each import in ``path`` of a private name or private module from outside its owner."""
    here = _module_name(path)
    package = here if path.name == "__init__.py" else here.rpartition(".")[0]
    found = []
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if (
            not isinstance(node, ast.ImportFrom)
            or not node.module
            or node.module.split(".")[0] not in PACKAGES
        ):
            continue
        parts = node.module.split(".")
        for i, part in enumerate(parts):
            owner = ".".join(parts[:i])
            if _private(part) and not (package == owner or package.startswith(owner + ".")):
                found.append(f"{path.relative_to(REPO)}:{node.lineno} imports private module {node.module}")
        found += [
            f"{path.relative_to(REPO)}:{node.lineno} imports {a.name} from {node.module}"
            for a in node.names
            if _private(a.name)
        ]
    return found


def test_no_private_name_crosses_a_module() -> None:
    assert [c for p in _modules() for c in crossings(p)] == []


def test_the_rule_catches_a_private_import(tmp_path: Path) -> None:
    bad = REPO / "kg" / "graph" / "_probe_for_test.py"
    try:
        bad.write_text("from kg.tables.csv_table import _secret\nfrom ontology._vocab import MFG\n")
        found = crossings(bad)
    finally:
        bad.unlink()
    assert len(found) == 2 and "_secret" in found[0] and "ontology._vocab" in found[1]


@pytest.mark.parametrize("path", _modules(), ids=lambda p: str(p.relative_to(REPO)))
def test_modules_and_functions_stay_readable(path: Path) -> None:
    text = path.read_text(encoding="utf-8")
    lines = text.count("\n")
    assert lines <= MAX_MODULE_LINES, f"{path.name} has {lines} lines: split it at its seams"
    long = [
        f"{n.name} ({n.end_lineno - n.lineno + 1} lines)"
        for n in ast.walk(ast.parse(text))
        if isinstance(n, ast.FunctionDef | ast.AsyncFunctionDef)
        and (n.end_lineno or 0) - n.lineno >= MAX_FUNCTION_LINES
    ]
    assert long == [], f"{path.name}: break these into named steps"
