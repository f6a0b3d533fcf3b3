"""Writing a demo history into a data folder, fast, and the throwaway demo folder.

``seed_demo`` writes a whole generated history in one transaction on the
group's file (plus one on the index for the group itself): bulk inserts, not
hundreds of ``commit_session`` calls, so thousands of sessions take seconds.
``make_demo_dir`` is what ``peersession demo`` runs on: a fresh private
temporary folder, never the user's real data folder.
"""

from __future__ import annotations

import json
import os
import tempfile
from pathlib import Path
from typing import Any

import pendulum
from pendulum import Date
from tinydb import TinyDB

from ..core.clock import local_date
from ..core.record_types import stored
from ..demo import DemoHistory, demo_history
from ..errors import UserError
from .atomic import DIR_MODE
from .history import HistoryStore

DEMO_DIR_PREFIX = "peersession-demo-"


def _fresh_copy(docs: object) -> Any:
    """A deep copy of JSON documents (the store keeps what it is given, so the
    caller's history must not be shared); a JSON round trip is the fastest way."""
    return json.loads(json.dumps(docs, ensure_ascii=False))


def seed_demo(store: HistoryStore, history: DemoHistory) -> None:
    """Add the demo group and everything it did to ``store``.

    Refuses (UserError) when a group of the same name is already there. The
    commitments land with every later review applied, exactly as committing
    the sessions and check-ins one by one would leave them.
    """
    store.add_group(history.group)
    sessions: list[dict[str, Any]] = _fresh_copy([r.session for r in history.records])
    # Already fresh records, built for this call.
    commitments = [stored(c) for c in history.commitments()]
    checkins = [stored(c) for c, _ in history.checkins]  # new dicts, the file's own

    def write(db: TinyDB) -> None:
        db.table("sessions", cache_size=0).insert_multiple(sessions)
        db.table("commitments", cache_size=0).insert_multiple(commitments)
        db.table("checkins", cache_size=0).insert_multiple(checkins)

    # One locked, atomic write of the group's file; it refreshes the summary after.
    store.mutate_group_file(history.group.id, write)


def make_demo_dir(*, today: Date | None = None, root: Path | None = None) -> Path:
    """A fresh data folder (mode 0700) holding the default demo group: a throwaway
    temporary one, or ``root`` when given (it must be new or empty)."""
    if root is None:
        root = Path(tempfile.mkdtemp(prefix=DEMO_DIR_PREFIX))
    elif root.exists() and (not root.is_dir() or any(root.iterdir())):
        raise UserError(f"{root}: not an empty folder; the demo fills a new or empty one")
    else:
        root.mkdir(parents=True, exist_ok=True)
    os.chmod(root, DIR_MODE)
    seed_demo(HistoryStore(root), demo_history(today=today or local_date(pendulum.now("UTC"))))
    return root
