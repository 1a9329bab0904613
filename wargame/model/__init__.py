"""Pydantic models: the deck schema, the game state and the events. No I/O, no UI."""
