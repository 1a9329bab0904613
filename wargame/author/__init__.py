"""Deck author tools: lint, scripted playtests and a balance simulator.

Pure Python over the engine (no Textual, no rich): `wargame.cli.author` is the only module
that prints, with rich, for the `wargame lint`, `playtest` and `simulate` commands.
"""
