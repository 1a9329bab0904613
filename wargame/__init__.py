"""wargame: a terminal seminar wargame for the US–ROK–Japan alliance."""

__version__ = "0.1.0"
