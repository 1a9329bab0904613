"""The pure core runs without the UI: importing it never pulls in textual or rich.

The static rules (which layer may import which, no UI library below the TUI, no import
circles) are import-linter contracts in pyproject.toml, checked by test_architecture.py;
these are the run-time checks, in a fresh interpreter (sys.modules after the import)."""

from __future__ import annotations

import json
import subprocess
import sys

import pytest

UI = ("textual", "rich")
PURE = ["wargame.model", "wargame.engine", "wargame.store.decks"]


def modules_after_import(*modules: str) -> list[str]:
    """Every module a fresh interpreter holds after importing `modules`."""
    code = f"import json, sys, {', '.join(modules)}; print(json.dumps(sorted(sys.modules)))"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    return json.loads(out.stdout)


def ui_modules_after_import(module: str) -> list[str]:
    return sorted({m.split(".")[0] for m in modules_after_import(module)} & set(UI))


@pytest.mark.parametrize(
    "module",
    [
        *PURE,
        "wargame.model.deck",
        "wargame.model.condition",
        "wargame.model.game",
        "wargame.engine.rules",
        "wargame.engine.replay",
    ],
)
def test_pure_modules_import_no_ui(module):
    assert ui_modules_after_import(module) == []


def test_the_check_sees_ui_imports():
    """The same probe does see textual and rich where they belong."""
    assert ui_modules_after_import("wargame.tui.app") == ["rich", "textual"]


# Headless tools: saves, the after-action analysis and exports, the author tools. They may
# print with rich, but must never need Textual (they run in CI and on servers).
HEADLESS = [
    "wargame.store.saves",
    "wargame.aar",
    "wargame.aar.analysis",
    "wargame.aar.export",
    "wargame.author.lint",
    "wargame.author.playtest",
    "wargame.author.simulate",
]


@pytest.mark.parametrize("module", HEADLESS)
def test_headless_modules_import_no_textual(module):
    loaded = modules_after_import(module)
    assert module in loaded
    assert not [m for m in loaded if m.split(".")[0] == "textual"]


def test_pure_core_imports_no_shell():
    """The model and the engine stand alone: no UI library, and none of the shells around them
    (store, aar, tui, cli)."""
    loaded = modules_after_import("wargame.model", "wargame.engine")
    assert "wargame.engine.rules" in loaded  # the probe sees wargame's own modules
    shells = ("wargame.store", "wargame.aar", "wargame.tui", "wargame.cli", "wargame.author")
    bad = [m for m in loaded if m.split(".")[0] in UI or m.startswith(shells)]
    assert bad == []


def test_the_probe_sees_shells():
    """Importing a shell does show up, so an empty answer above means something."""
    loaded = modules_after_import("wargame.store.saves")
    assert "wargame.store.saves" in loaded and "wargame.engine" in loaded


# --- startup: what the board's first frame does not need is imported when first used ---

BOARD_NEEDS_NOT = [
    "wargame.aar",  # the after-action review and its exporters
    "wargame.author",  # lint, playtests, the simulator
    "wargame.tui.screens.aar",
    "wargame.tui.screens.decide",
    "wargame.tui.screens.ending",
    "wargame.tui.screens.facilitator",
    "wargame.tui.screens.help",
    "wargame.tui.screens.hotwash",
    "wargame.tui.screens.launcher",
    "wargame.tui.screens.resolution",
    "textual.widgets._markdown",  # the help's
    "textual.widgets._text_area",  # the decision's rationale
]


def loaded(mods: list[str], prefixes: list[str]) -> list[str]:
    return [m for m in mods if any(m == p or m.startswith(p + ".") for p in prefixes)]


def test_the_board_imports_only_what_its_first_frame_needs():
    """Startup (issue #7): the screens the board opens, the AAR and the author tools cost
    a tenth of a second or more to import; they load when first opened."""
    mods = modules_after_import("wargame.tui.app", "wargame.tui.screens.game")
    assert loaded(mods, BOARD_NEEDS_NOT) == []


def test_the_command_line_imports_no_exporter_or_ui():
    """Building the parser, which every command does (`wargame play` too), imports neither
    the AAR exporters nor Textual."""
    code = (
        "import json, sys, wargame.cli; wargame.cli.build_parser(); "
        "print(json.dumps(sorted(sys.modules)))"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    mods = json.loads(out.stdout)
    assert loaded(mods, ["wargame.aar.export", "wargame.aar.analysis", *UI]) == []
    # The command modules import their work when a command runs: `wargame --help` loads
    # neither the models nor the store.
    assert loaded(mods, ["pydantic", "wargame.model", "wargame.store", "filelock"]) == []
    assert "wargame.cli.saves" in mods  # every command group is imported, and seen


def test_export_format_names_match_the_exporters():
    from wargame.aar.export import FORMATS
    from wargame.cli.export import FORMAT_NAMES

    assert list(FORMAT_NAMES) == sorted(FORMATS)
