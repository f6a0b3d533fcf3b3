"""The engine's refusal, importable without loading the engine."""

from __future__ import annotations


class InvalidAction(Exception):
    """An action that does not fit the meeting's state; nothing was changed."""
