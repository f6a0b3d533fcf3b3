"""The history's correction keys: a saved text corrected, marked private, or removed.

The search screen's results are saved items; these functions correct the one
selected, through the same rules and the same write as ``peersession edit``
(``core/corrections.py``, ``store/corrections.py``). A removal asks first. The
rules' own lines say what changed or why not; people's text is shown literally.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

from textual.content import Content

from ...core.corrections import Correction, describe
from ...core.saved_items import (
    KIND_WORDS,
    TEXT_FIELD,
    CorrectionError,
    Located,
    find_item,
    item_doc,
)
from ...core.search import SearchItem
from ...errors import UserError
from ...store.corrections import correct, prepare, records_of
from .confirm import ConfirmScreen
from .form import Field, FormScreen, Values

if TYPE_CHECKING:
    from .history_base import HistoryBase


def located_for(screen: HistoryBase, item: SearchItem) -> Located | None:
    """The saved item a search result shows, if the text shown is its own (not an
    ask's outcome or a review's note, which are corrected with their item)."""
    store = screen.peersession.store
    try:
        records = records_of(store.group_tables(item.group_id))
        located = find_item(records, item.target_id)
        own = item_doc(records, located).get(TEXT_FIELD[located.kind])
    except (CorrectionError, UserError):
        own = None
    if own is None or own != item.text or located.item_id != item.target_id:
        goal = item.kind == "goal"  # goals have their own door, with its rules
        screen.notify(
            "A goal is changed with `peersession goal edit` (its title, date or status)."
            if goal
            else "Only a note's, an ask's, a win's, a commitment's or a check-in's own text "
            "is corrected here; select that text.",
            severity="warning",
            markup=False,
            timeout=4,
        )
        return None
    return located


def _apply(
    screen: HistoryBase, item: SearchItem, correction: Correction, done: Callable[[], None]
) -> None:
    app = screen.peersession
    try:
        located = prepare(app.store, item.group_id, item.target_id, correction)
        result = correct(
            app.store, item.group_id, located.item_id, correction, app.clock.now().isoformat()
        )
    except UserError as error:
        app.report(error)
        return
    group = app.store.find_group(item.group_id)
    member = result.located.member_id
    who = group.name_of(member) if member else None
    app.notify(
        describe(result.located, result.correction, who, group.name),
        title="Corrected",
        markup=False,
        timeout=5,
    )
    done()


def edit_item(
    screen: HistoryBase, item: SearchItem, drafts: dict[str, Values], done: Callable[[], None]
) -> None:
    """A form with the item's text and its private flag; saving corrects what changed."""
    located = located_for(screen, item)
    if located is None:
        return
    word = KIND_WORDS[located.kind]

    def submitted(values: Values | None) -> None:
        if values is None:
            return
        text = str(values["text"])
        private = bool(values["private"])
        # A one-line field shows a text's line breaks as spaces: unchanged is unchanged.
        same = text.split() == item.text.split()
        correction = Correction(
            text=None if same else text,
            private=private if private != item.private else None,
        )
        if not correction.fields:
            screen.notify("Nothing changed.", markup=False, timeout=2)
            return
        drafts.pop(located.item_id, None)
        _apply(screen, item, correction, done)

    screen.app.push_screen(
        FormScreen(
            f"Correct this {word}",
            [
                Field("text", "Text", value=item.text),
                Field("private", "Private (stays in the room)", kind="check", value=item.private),
            ],
            drafts=drafts,
            draft_key=located.item_id,
            intro=f"{word} {located.item_id}",
        ),
        submitted,
    )


def remove_item(screen: HistoryBase, item: SearchItem, done: Callable[[], None]) -> None:
    """Ask, then remove: the text leaves this machine's history; a tombstone stays."""
    located = located_for(screen, item)
    if located is None:
        return
    question = Content.assemble(
        (f"Remove this {KIND_WORDS[located.kind]} for good?", "bold"),
        "\n",
        Content(item.text),
        "\n",
        Content.styled(
            "Its text leaves this machine's history and search; a tombstone keeps its id.", "dim"
        ),
    )

    def answered(yes: bool | None) -> None:
        if yes:
            _apply(screen, item, Correction(remove=True), done)

    screen.app.push_screen(ConfirmScreen(question), answered)
