"""Screens of a hosted game: the facilitator's host board, and a seat's join app."""
