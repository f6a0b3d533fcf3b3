"""What each key means on the check-in screen.

Two stages share the keyboard: picking a name (letters, backspace, enter) and
answering (one key per commitment, a digit for energy, enter saves). The
screen's ``check_action`` leaves only the current stage's actions active, so
the footer shows only keys that do something now.
"""

from __future__ import annotations

from textual.binding import Binding, BindingType

#: Actions that only make sense in one stage (hidden from the footer elsewhere).
PICK_ACTIONS = frozenset({"pick", "erase"})
ANSWER_ACTIONS = frozenset(
    {"save", "answer", "clear_answer", "focus_note", "energy", "toggle_private"}
)

#: One footer entry for the four answers ("d h n x Answer") keeps every key
#: within 80 columns; the intro line above the list spells out each one.
ANSWER_GROUP = Binding.Group("Answer")

CHECKIN_BINDINGS: list[BindingType] = [
    # check_action leaves one enter binding active per stage.
    Binding("enter", "pick", "Pick", id="checkin.pick"),
    Binding("enter", "save", "Save", id="checkin.save"),
    Binding("d", "answer('done')", "Done", id="checkin.done", group=ANSWER_GROUP),
    Binding("h", "answer('partial')", "Half done", id="checkin.partial", group=ANSWER_GROUP),
    Binding("n", "answer('not_done')", "Not yet", id="checkin.not_done", group=ANSWER_GROUP),
    Binding("x", "answer('dropped')", "Drop", id="checkin.drop", group=ANSWER_GROUP),
    Binding("u", "focus_note", "Update", id="checkin.note"),
    Binding("1", "energy(1)", "Energy", id="checkin.energy_1", key_display="1-5"),
    Binding("2", "energy(2)", "Energy 2", id="checkin.energy_2", show=False),
    Binding("3", "energy(3)", "Energy 3", id="checkin.energy_3", show=False),
    Binding("4", "energy(4)", "Energy 4", id="checkin.energy_4", show=False),
    Binding("5", "energy(5)", "Energy 5", id="checkin.energy_5", show=False),
    Binding("0", "energy(0)", "Clear energy", id="checkin.energy_clear", show=False),
    Binding("p", "toggle_private", "Private", id="checkin.private"),
    Binding("backspace", "clear_answer", "Clear answer", id="checkin.clear", show=False),
    Binding("backspace", "erase", "Erase a letter", id="checkin.erase", show=False),
    Binding("up", "move(-1)", "Previous", id="checkin.up", show=False),
    Binding("down", "move(1)", "Next", id="checkin.down", show=False),
    Binding("escape", "back", "Back", id="checkin.back"),
]
