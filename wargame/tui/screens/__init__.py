"""Screens of the wargame app."""
