"""The index file's load-time shape check, generated from ``core/stored.py``.

``python -m peersession.store.shape_check`` writes this module from the index's
declared shapes with ``core/shape_compiler.py``; ``tests/test_index_shapes.py``
fails when it is out of step. ``store/shape_check.py`` runs it before anything
else on an index, so the app's start need not import the declarations; a
record it turns down is checked again by the declared shape, which names the
problem.
"""

# Generated: do not edit (see the docstring for how to write it again).

from __future__ import annotations

from typing import Any

_is_id = __import__('re').compile('[A-Za-z0-9_-]{1,64}').fullmatch
_datetime_from = __import__('datetime').datetime.fromisoformat
_date_from = __import__('datetime').date.fromisoformat
_isfinite = __import__('math').isfinite
_real = (int, float)
from peersession.core.group_rules import readable_slot as _rule36
from peersession.core.group_rules import group_rules as _rule57

#: The schema version the checks describe.
SCHEMA = 2


def check_groups(record: Any, ids: set[str]) -> bool:
    """Whether a record of the 'groups' table has the indexed group shape."""
    try:
        if not isinstance(record, dict): return False
        field1 = record['id']
        if type(field1) is not str: return False
        if field1 not in ids:
            if _is_id(field1) is None: return False
            ids.add(field1)
        field2 = record['name']
        if not isinstance(field2, str) or not field2.strip(): return False
        field3 = record['members']
        if not isinstance(field3, list): return False
        for item4 in field3:
            if not isinstance(item4, dict): return False
            field5 = item4['id']
            if type(field5) is not str: return False
            if field5 not in ids:
                if _is_id(field5) is None: return False
                ids.add(field5)
            field6 = item4['name']
            if not isinstance(field6, str) or not field6.strip(): return False
            if 'active' in item4:
                field7 = item4['active']
                if not isinstance(field7, bool): return False
            if 'shares_wins' in item4:
                field8 = item4['shares_wins']
                if not isinstance(field8, bool): return False
        field9 = record['created_at']
        if not isinstance(field9, str): return False
        try:
            parsed10 = _datetime_from(field9)
        except ValueError: return False
        if parsed10.tzinfo is None: return False
        if not 1970 <= parsed10.year <= 2200: return False
        if 'cadence_days' in record:
            field11 = record['cadence_days']
            if isinstance(field11, bool) or not isinstance(field11, int): return False
            if not -36600 <= field11 <= 36600: return False
        if 'length_minutes' in record:
            field12 = record['length_minutes']
            if isinstance(field12, bool) or not isinstance(field12, int): return False
            if not -2147483647 <= field12 <= 2147483647: return False
        if 'ground_rules' in record:
            field13 = record['ground_rules']
            if not isinstance(field13, list): return False
            for item14 in field13:
                if not isinstance(item14, str): return False
        if 'template' in record:
            field15 = record['template']
            if not isinstance(field15, str): return False
        if 'next_meeting' in record:
            field16 = record['next_meeting']
            if field16 is not None:
                if not isinstance(field16, str): return False
                try:
                    parsed17 = _date_from(field16)
                except ValueError: return False
                if not 1970 <= parsed17.year <= 2200: return False
        if 'agenda' in record:
            field18 = record['agenda']
            if field18 is not None:
                if not isinstance(field18, list): return False
                for item19 in field18:
                    if not isinstance(item19, dict): return False
        if 'question_share' in record:
            field20 = record['question_share']
            if field20 is not None:
                if isinstance(field20, bool) or not isinstance(field20, _real) or not _isfinite(field20): return False
                if not -1000000000.0 <= field20 <= 1000000000.0: return False
        if 'extensions_minutes' in record:
            field21 = record['extensions_minutes']
            if field21 is not None:
                if not isinstance(field21, list): return False
                for item22 in field21:
                    if isinstance(item22, bool) or not isinstance(item22, _real) or not _isfinite(item22): return False
                    if not -1000000000.0 <= item22 <= 1000000000.0: return False
        if 'slot' in record:
            field23 = record['slot']
            if field23 is not None:
                if not isinstance(field23, dict): return False
                field24 = field23['anchor']
                if not isinstance(field24, str): return False
                try:
                    parsed25 = _date_from(field24)
                except ValueError: return False
                if not 1970 <= parsed25.year <= 2200: return False
                field26 = field23['at']
                if not isinstance(field26, str): return False
                field27 = field23['zone']
                if not isinstance(field27, str): return False
                if 'skipped' in field23:
                    field28 = field23['skipped']
                    if not isinstance(field28, list): return False
                    for item29 in field28:
                        if not isinstance(item29, str): return False
                        try:
                            parsed30 = _date_from(item29)
                        except ValueError: return False
                        if not 1970 <= parsed30.year <= 2200: return False
                if 'moved' in field23:
                    field31 = field23['moved']
                    if not isinstance(field31, dict): return False
                    for key32, item33 in field31.items():
                        if key32 not in ids:
                            if _is_id(key32) is None: return False
                            ids.add(key32)
                        if not isinstance(item33, str): return False
                        try:
                            parsed34 = _date_from(item33)
                        except ValueError: return False
                        if not 1970 <= parsed34.year <= 2200: return False
                if 'sequence' in field23:
                    field35 = field23['sequence']
                    if isinstance(field35, bool) or not isinstance(field35, int): return False
                    if not -2147483647 <= field35 <= 2147483647: return False
                try:
                    _rule36(field23)
                except ValueError: return False
        if 'roles' in record:
            field37 = record['roles']
            if not isinstance(field37, list): return False
            for item38 in field37:
                if not isinstance(item38, str) or not item38.strip(): return False
        if 'next_roles' in record:
            field39 = record['next_roles']
            if not isinstance(field39, list): return False
            for item40 in field39:
                if not isinstance(item40, dict): return False
                field41 = item40['role']
                if not isinstance(field41, str) or not field41.strip(): return False
                field42 = item40['member_id']
                if type(field42) is not str: return False
                if field42 not in ids:
                    if _is_id(field42) is None: return False
                    ids.add(field42)
        if 'summary' in record:
            field43 = record['summary']
            if not isinstance(field43, dict): return False
            if 'sessions' in field43:
                field44 = field43['sessions']
                if isinstance(field44, bool) or not isinstance(field44, int): return False
                if not -2147483647 <= field44 <= 2147483647: return False
            if 'last_session_at' in field43:
                field45 = field43['last_session_at']
                if field45 is not None:
                    if not isinstance(field45, str): return False
                    try:
                        parsed46 = _datetime_from(field45)
                    except ValueError: return False
                    if parsed46.tzinfo is None: return False
                    if not 1970 <= parsed46.year <= 2200: return False
            if 'open_commitments' in field43:
                field47 = field43['open_commitments']
                if isinstance(field47, bool) or not isinstance(field47, int): return False
                if not -2147483647 <= field47 <= 2147483647: return False
            if 'roles_held' in field43:
                field48 = field43['roles_held']
                if not isinstance(field48, dict): return False
                field49 = field48['by_role']
                if not isinstance(field49, list): return False
                for item50 in field49:
                    if not isinstance(item50, dict): return False
                    field51 = item50['role']
                    if not isinstance(field51, str) or not field51.strip(): return False
                    field52 = item50['member_ids']
                    if not isinstance(field52, list): return False
                    for item53 in field52:
                        if type(item53) is not str: return False
                        if item53 not in ids:
                            if _is_id(item53) is None: return False
                            ids.add(item53)
                    if 'this_round' in item50:
                        field54 = item50['this_round']
                        if isinstance(field54, bool) or not isinstance(field54, int): return False
                        if not -2147483647 <= field54 <= 2147483647: return False
                field55 = field48['any_role']
                if not isinstance(field55, list): return False
                for item56 in field55:
                    if type(item56) is not str: return False
                    if item56 not in ids:
                        if _is_id(item56) is None: return False
                        ids.add(item56)
        try:
            _rule57(record)
        except ValueError: return False
    except KeyError:
        return False
    return True


def has_shapes(tables: dict[str, dict[str, Any]]) -> bool:
    """Whether every record of every table has its shape."""
    ids: set[str] = set()
    for record in tables.get('groups', {}).values():
        if not check_groups(record, ids):
            return False
    return True
