"""The remote layer needs no Textual: the headless host, the seat client and the views
import none of it (the screens are in wargame.tui.remote, the commands in wargame.cli), so
`wargame host --headless` runs without it. Which layer may import which is an
import-linter contract (pyproject.toml); this is the run-time check."""

from __future__ import annotations

import pytest

from tests.test_import_hygiene import modules_after_import

REMOTE = [
    "wargame.remote.views",
    "wargame.remote.codes",
    "wargame.remote.protocol",
    "wargame.remote.host",
    "wargame.remote.client",
    "wargame.remote.session",
    "wargame.remote.web",
    "wargame.cli.remote",
]


@pytest.mark.parametrize("module", REMOTE)
def test_remote_modules_import_no_textual(module):
    loaded = modules_after_import(module)
    assert module in loaded
    assert not [m for m in loaded if m.split(".")[0] == "textual"]
