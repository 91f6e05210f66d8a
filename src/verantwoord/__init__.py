"""Verantwoord: governance of AI and algorithms for Dutch municipalities."""

__version__ = "0.1.0"
