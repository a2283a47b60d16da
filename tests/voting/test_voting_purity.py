"""The voting core must stay pure: standard library only, no app layers."""

from __future__ import annotations

import ast
import sys
from pathlib import Path

VOTING_DIR = Path(__file__).resolve().parents[2] / "app" / "voting"

FORBIDDEN = ("flask", "sqlalchemy", "numpy", "scipy", "app.models", "app.services")


def _imported_modules(path: Path) -> list[str]:
    """Absolute names of every module imported by ``path`` (relative ones resolved)."""
    package = ["app", "voting"]
    tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
    names: list[str] = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names.extend(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base = package[: len(package) - (node.level - 1)]
                module = ".".join(base + ([node.module] if node.module else []))
            else:
                module = node.module or ""
            names.append(module)
            # "from app import models" imports app.models.
            names.extend(f"{module}.{alias.name}" for alias in node.names)
    return names


def _modules() -> list[Path]:
    files = sorted(VOTING_DIR.glob("*.py"))
    assert files, f"no modules found in {VOTING_DIR}"
    return files


def _hits(name: str) -> bool:
    return any(name == f or name.startswith(f + ".") for f in FORBIDDEN)


def test_no_forbidden_imports() -> None:
    offenders = {
        p.name: [n for n in _imported_modules(p) if _hits(n)] for p in _modules()
    }
    offenders = {k: v for k, v in offenders.items() if v}
    assert not offenders, f"app/voting must stay pure, found: {offenders}"


def test_only_stdlib_or_own_package() -> None:
    offenders = {}
    for path in _modules():
        bad = []
        for name in _imported_modules(path):
            root = name.split(".")[0]
            if name.startswith("app.voting") or name == "app.voting":
                continue
            if root in sys.stdlib_module_names or root == "__future__":
                continue
            bad.append(name)
        if bad:
            offenders[path.name] = bad
    assert not offenders, f"app/voting may only import the standard library: {offenders}"


def test_checker_detects_forbidden_imports(tmp_path: Path) -> None:
    # The guard itself must be able to fail.
    sample = tmp_path / "bad.py"
    sample.write_text("import numpy as np\nfrom flask import Flask\nfrom .. import models\n")
    found = _imported_modules(sample)
    assert _hits("numpy") and "numpy" in found
    assert "flask" in found
    assert "app.models" in found
