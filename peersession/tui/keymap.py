"""Every key binding of the app, by id, and where it applies.

What ``peersession keys`` prints and what a user needs to write ``[keymap]``
in config.toml (``"meeting.pause" = "p"``). The list is read from the
``BINDINGS`` of every screen and widget in :mod:`peersession.tui` (found by
walking the package, so a new screen is listed without anyone remembering to
add it); :data:`PLACES` names where each class's keys apply, in the order the
listing shows them.
"""

from __future__ import annotations

import importlib
import inspect
import pkgutil
import re
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from types import MappingProxyType

from textual.binding import Binding
from textual.dom import DOMNode
from textual.keys import format_key

#: Where each class's keys apply, by class name, in the order they are listed.
PLACES: Mapping[str, str] = MappingProxyType(
    {
        "PeersessionApp": "everywhere",
        "HomeScreen": "home screen",
        "MeetingScreen": "meeting: every phase",
        "AttendanceList": "meeting: opening (attendance)",
        "ReviewPanel": "meeting: review phase",
        "UpdatesPanel": "meeting: updates phase",
        "AsksPanel": "meeting: asks phase",
        "CommitmentsPanel": "meeting: commitments phase",
        "ClosePanel": "meeting: close phase",
        "AttendanceScreen": "meeting: late arrivals and leavers (l)",
        "FormScreen": "meeting: forms (ask, commitment, note, win)",
        "PrivacyCheckbox": "meeting: a form's private box",
        "TickList": "meeting: a form's list to tick (who offered help)",
        "ConfirmScreen": "a question to confirm",
        "ResumeScreen": "an interrupted session: resume or set aside",
        "HistoryScreen": "history: sessions and check-ins",
        "SessionScreen": "history: one session",
        "MemberScreen": "history: a member's timeline",
        "CommitmentsScreen": "history: open commitments",
        "SearchScreen": "history: search",
        "_Picker": "history: choosing a group or member",
        "CheckinScreen": "check-in",
        "HelpScreen": "this help",
    }
)


@dataclass(frozen=True)
class KeyRow:
    """One binding: its id, its keys (as ``[keymap]`` takes them) and where it applies."""

    id: str
    keys: tuple[str, ...]
    default_keys: tuple[str, ...]
    description: str
    where: str

    @property
    def remapped(self) -> bool:
        return self.keys != self.default_keys


def place_of(cls: type[object]) -> str:
    """Where the keys of ``cls`` apply (its class name in words, if not in PLACES)."""
    for klass in cls.__mro__:
        if klass.__name__ in PLACES:
            return PLACES[klass.__name__]
    words = re.sub(r"(?<!^)(?=[A-Z])", " ", cls.__name__.strip("_")).lower()
    return words


def key_display(key: str) -> str:
    """``question_mark`` → ``?``, ``ctrl+p`` → ``^p``: as the footer shows it."""
    *modifiers, name = key.split("+")
    shown = format_key(name)
    if "ctrl" in modifiers:
        modifiers.remove("ctrl")
        shown = f"^{shown}"
    return "+".join([*modifiers, shown])


def binding_classes() -> list[type[DOMNode]]:
    """Every class in :mod:`peersession.tui` that declares its own BINDINGS,
    in the order of :data:`PLACES` (others after, by name)."""
    from .. import tui

    found: dict[str, type[DOMNode]] = {}
    for info in pkgutil.walk_packages(tui.__path__, f"{tui.__name__}."):
        module = importlib.import_module(info.name)
        for cls in vars(module).values():
            if (
                inspect.isclass(cls)
                and issubclass(cls, DOMNode)
                and cls.__module__ == module.__name__
                and "BINDINGS" in cls.__dict__
            ):
                found[f"{cls.__module__}.{cls.__qualname__}"] = cls
    order = list(PLACES)

    def rank(cls: type[DOMNode]) -> tuple[int, str]:
        name = cls.__name__
        return (order.index(name) if name in order else len(order), name)

    return sorted(found.values(), key=rank)


def declared_bindings(cls: type[DOMNode]) -> Iterator[Binding]:
    """The bindings ``cls`` declares itself (not those it inherits)."""
    for binding in cls.__dict__["BINDINGS"]:
        if isinstance(binding, Binding):
            yield binding
        else:
            key, action, *description = binding
            yield Binding(key, action, description[0] if description else "")


def key_rows(keymap: Mapping[str, str] | None = None) -> list[KeyRow]:
    """Every binding with an id, once, with the user's ``keymap`` applied."""
    keymap = keymap or {}
    rows: list[KeyRow] = []
    seen: set[str] = set()
    for cls in binding_classes():
        where = place_of(cls)
        for binding in declared_bindings(cls):
            if binding.id is None or binding.id in seen:
                continue
            seen.add(binding.id)
            default = tuple(k.strip() for k in binding.key.split(","))
            keys = (
                tuple(k.strip() for k in keymap[binding.id].split(","))
                if (binding.id in keymap)
                else default
            )
            rows.append(KeyRow(binding.id, keys, default, binding.description, where))
    return rows


def unnamed_bindings() -> list[str]:
    """``Class: key`` for every binding without an id (they cannot be remapped)."""
    return [
        f"{cls.__qualname__}: {binding.key}"
        for cls in binding_classes()
        for binding in declared_bindings(cls)
        if binding.id is None
    ]
