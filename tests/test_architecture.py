"""The architecture as configuration: import-linter's contracts (layers, no UI library below
the TUI, no import circles) and mypy on the model, the engine and the store, both read from
pyproject.toml. Any broken contract or type error fails the suite, so CI enforces both."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).parent.parent
BIN = Path(sys.executable).parent

pytestmark = pytest.mark.slow


def run(tool: str, *args: str) -> subprocess.CompletedProcess[str]:
    exe = BIN / tool if (BIN / tool).exists() else shutil.which(tool)
    assert exe, f"{tool} is not installed (it is in the test extra)"
    return subprocess.run([str(exe), *args], cwd=ROOT, capture_output=True, text=True, timeout=600)


def test_import_contracts_are_kept():
    out = run("lint-imports", "--no-cache")
    assert out.returncode == 0, out.stdout + out.stderr
    assert "0 broken" in out.stdout


def test_the_contracts_see_an_upward_import(tmp_path):
    """The contracts bite: a copy of the package where the engine imports the store breaks
    the layers contract."""
    pkg = tmp_path / "wargame"
    shutil.copytree(ROOT / "wargame", pkg, ignore=shutil.ignore_patterns("__pycache__"))
    with (pkg / "engine" / "__init__.py").open("a") as f:
        f.write("\nimport wargame.store.saves  # noqa\n")
    shutil.copy(ROOT / "pyproject.toml", tmp_path / "pyproject.toml")
    exe = BIN / "lint-imports"
    out = subprocess.run(
        [str(exe), "--no-cache"],
        cwd=tmp_path,
        capture_output=True,
        text=True,
        timeout=600,
        env={"PYTHONPATH": str(tmp_path), "PATH": ""},
    )
    assert out.returncode != 0
    assert "wargame.engine -> wargame.store.saves" in out.stdout


def test_model_engine_and_store_type_check():
    out = run("mypy", "--no-incremental")
    assert out.returncode == 0, out.stdout + out.stderr
