"""The package carries what it needs: bundled decks and stylesheets are in the wheel, and
`wargame` finds the default deck from any folder."""

from __future__ import annotations

import os
import subprocess
import sys
import zipfile
from pathlib import Path

ROOT = Path(__file__).parent.parent


def test_wheel_ships_decks_and_stylesheets(tmp_path):
    subprocess.run(
        [sys.executable, "-m", "pip", "wheel", "--no-deps", "-q", "-w", str(tmp_path), str(ROOT)],
        check=True,
        capture_output=True,
        timeout=300,
    )
    (wheel,) = tmp_path.glob("wargame-*.whl")
    names = set(zipfile.ZipFile(wheel).namelist())
    assert "wargame/decks/fault-lines.toml" in names
    assert any(n.startswith("wargame/tui/") and n.endswith(".tcss") for n in names)
    for lang in ("ko", "ja"):  # the compiled catalogs: a non-editable install speaks them
        assert f"wargame/locale/{lang}/LC_MESSAGES/wargame.mo" in names
    assert not any(n.startswith(("tests/", "saves/", "benchmarks/")) for n in names)


def test_default_deck_is_found_from_any_folder(tmp_path):
    proc = subprocess.run(
        [sys.executable, "-m", "wargame", "play", "--headless", "--seed", "3"],
        cwd=tmp_path,
        # A headless game is saved like any other: into the user data folder, here a
        # private one (XDG_DATA_HOME is where platformdirs puts it on Linux).
        env={**os.environ, "XDG_DATA_HOME": str(tmp_path / "data")},
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert proc.returncode == 0, proc.stderr
    assert "Fault Lines" in proc.stdout.splitlines()[0]
    assert "Ended on turn" in proc.stdout
    assert len(list((tmp_path / "data" / "wargame" / "saves").glob("*.toml"))) == 1
