"""The remote layer needs no Textual: the headless host, the seat client and the views
import none of it (the screens are in wargame.tui.remote), and its sources import no
screen, except the two commands that open one."""

from __future__ import annotations

import pytest

from tests.test_import_hygiene import PACKAGE, imported_names, modules_after_import

REMOTE = [
    "wargame.remote.views",
    "wargame.remote.codes",
    "wargame.remote.protocol",
    "wargame.remote.host",
    "wargame.remote.client",
    "wargame.remote.session",
    "wargame.remote.web",
    "wargame.remote.commands",
]


@pytest.mark.parametrize("module", REMOTE)
def test_remote_modules_import_no_textual(module):
    loaded = modules_after_import(module)
    assert module in loaded
    assert not [m for m in loaded if m.split(".")[0] == "textual"]


@pytest.mark.parametrize("path", sorted((PACKAGE / "remote").glob("*.py")), ids=lambda p: p.name)
def test_remote_sources_import_no_screen(path):
    names = imported_names(path)
    bad = {n for n in names if n.split(".")[0] == "textual" or n.startswith("wargame.tui")}
    if path.name == "commands.py":  # `host` and `join` open their screens, inside the command
        bad -= {"wargame.tui.remote.host", "wargame.tui.remote.join"}
    assert not bad, f"{path.name} imports {sorted(bad)}"
