"""Which function applies which facilitator action.

Each rule of the meeting is a plain function ``(meeting, action, at)``
registered for its action class with :func:`handles`. The engine looks the
handler up by the action's class, so a handler's signature is checked by mypy
against the action it takes (no method names built from strings), and an
action without a handler fails loudly when the engine is imported, not in
the middle of a meeting.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Any, TypeVar

from pendulum import DateTime

from . import events as ev

if TYPE_CHECKING:
    from .state import MeetingState as Meeting

A = TypeVar("A", bound=ev.Action)
Handler = Callable[["Meeting", A, DateTime], None]

_HANDLERS: dict[type[ev.Action], Callable[[Meeting, Any, DateTime], None]] = {}


def handles(kind: type[A]) -> Callable[[Handler[A]], Handler[A]]:
    """Register the decorated function as the rule that applies ``kind``."""

    def register(handler: Handler[A]) -> Handler[A]:
        if kind in _HANDLERS:
            raise RuntimeError(f"two handlers for {kind.TYPE}")
        _HANDLERS[kind] = handler
        return handler

    return register


def apply_action(meeting: Meeting, action: ev.Action, at: DateTime) -> None:
    """Run the rule registered for ``action``'s class."""
    try:
        handler = _HANDLERS[type(action)]
    except KeyError:
        raise RuntimeError(f"no rule applies {action.TYPE}") from None
    handler(meeting, action, at)


def unhandled(kinds: list[type[ev.Action]]) -> list[str]:
    """The action types among ``kinds`` that no rule applies (for the engine's self-check)."""
    return [k.TYPE for k in kinds if k not in _HANDLERS]
