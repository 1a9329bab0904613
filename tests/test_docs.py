"""The documentation's examples work: the deck in decks/README.md loads, the README's
Python snippet plays a whole game."""

from __future__ import annotations

import re
from pathlib import Path

from wargame.engine import Game
from wargame.store.decks import parse_deck

ROOT = Path(__file__).parent.parent


def fenced(path: Path, lang: str) -> list[str]:
    return re.findall(rf"```{lang}\n(.*?)```", path.read_text(), flags=re.S)


def deck_examples() -> list[str]:
    return [b for b in fenced(ROOT / "decks" / "README.md", "toml") if "translates =" not in b]


def test_deck_readme_translation_example_is_a_translation_file():
    import tomllib

    from wargame.model.translation import Translation

    [example] = [b for b in fenced(ROOT / "decks" / "README.md", "toml") if "translates =" in b]
    tr = Translation.model_validate(tomllib.loads(example))
    assert tr.language == "ko" and tr.cards["neo-seoul"].options["US"]["evacuate"].extra == ["…"]


def test_deck_readme_example_loads_and_plays():
    example, _ = deck_examples()
    deck = parse_deck(example, "decks/README.md")
    assert deck.schema_version == 1
    game = Game.start(deck, seed=1)
    game.draw("neo-seoul")
    game.decide("ROK", "joint-cell")
    game.decide("JPN", "sdf-airlift")
    game.resolve()
    assert game.state.meters["trust.ROK-JPN"] == 42
    assert game.state.queue == ("neo-cell",)


def test_deck_readme_schema_2_example_loads():
    _, example = deck_examples()
    deck = parse_deck(example, "decks/README.md")
    assert deck.schema_version == 2
    assert [p.id for p in deck.phases] == ["friction", "provocation", "aftermath"]
    assert {r.actor for r in deck.red_cell} == {"China", "North Korea"}
    game = Game.start(deck, seed=1)
    game.draw("court")
    game.decide("ROK", "enforce")
    game.decide("JPN", "retaliate")
    game.resolve()
    assert game.state.flags == ("gsomia-lapsed", "seam-probed")
    assert game.state.queue == ("seam",)


def test_readme_python_example_plays_a_game(capsys):
    (snippet,) = fenced(ROOT / "README.md", "python")
    exec(compile(snippet, "README.md", "exec"), {})
    assert capsys.readouterr().out.strip()


def test_readme_opens_with_the_two_commands():
    lines = (ROOT / "README.md").read_text().splitlines()
    block = lines[lines.index("```sh") + 1 : lines.index("```sh") + 3]
    assert block[0].endswith(".venv/bin/wargame")
    assert block[1].endswith(".venv/bin/python -m pytest")
    assert block[1] in (ROOT / ".ci" / "run").read_text()
