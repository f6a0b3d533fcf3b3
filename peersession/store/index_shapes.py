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
from peersession.core.group_rules import readable_slot as _rule35
from peersession.core.group_rules import group_rules as _rule56

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
        field8 = record['created_at']
        if not isinstance(field8, str): return False
        try:
            parsed9 = _datetime_from(field8)
        except ValueError: return False
        if parsed9.tzinfo is None: return False
        if not 1970 <= parsed9.year <= 2200: return False
        if 'cadence_days' in record:
            field10 = record['cadence_days']
            if isinstance(field10, bool) or not isinstance(field10, int): return False
            if not -36600 <= field10 <= 36600: return False
        if 'length_minutes' in record:
            field11 = record['length_minutes']
            if isinstance(field11, bool) or not isinstance(field11, int): return False
            if not -2147483647 <= field11 <= 2147483647: return False
        if 'ground_rules' in record:
            field12 = record['ground_rules']
            if not isinstance(field12, list): return False
            for item13 in field12:
                if not isinstance(item13, str): return False
        if 'template' in record:
            field14 = record['template']
            if not isinstance(field14, str): return False
        if 'next_meeting' in record:
            field15 = record['next_meeting']
            if field15 is not None:
                if not isinstance(field15, str): return False
                try:
                    parsed16 = _date_from(field15)
                except ValueError: return False
                if not 1970 <= parsed16.year <= 2200: return False
        if 'agenda' in record:
            field17 = record['agenda']
            if field17 is not None:
                if not isinstance(field17, list): return False
                for item18 in field17:
                    if not isinstance(item18, dict): return False
        if 'question_share' in record:
            field19 = record['question_share']
            if field19 is not None:
                if isinstance(field19, bool) or not isinstance(field19, _real) or not _isfinite(field19): return False
                if not -1000000000.0 <= field19 <= 1000000000.0: return False
        if 'extensions_minutes' in record:
            field20 = record['extensions_minutes']
            if field20 is not None:
                if not isinstance(field20, list): return False
                for item21 in field20:
                    if isinstance(item21, bool) or not isinstance(item21, _real) or not _isfinite(item21): return False
                    if not -1000000000.0 <= item21 <= 1000000000.0: return False
        if 'slot' in record:
            field22 = record['slot']
            if field22 is not None:
                if not isinstance(field22, dict): return False
                field23 = field22['anchor']
                if not isinstance(field23, str): return False
                try:
                    parsed24 = _date_from(field23)
                except ValueError: return False
                if not 1970 <= parsed24.year <= 2200: return False
                field25 = field22['at']
                if not isinstance(field25, str): return False
                field26 = field22['zone']
                if not isinstance(field26, str): return False
                if 'skipped' in field22:
                    field27 = field22['skipped']
                    if not isinstance(field27, list): return False
                    for item28 in field27:
                        if not isinstance(item28, str): return False
                        try:
                            parsed29 = _date_from(item28)
                        except ValueError: return False
                        if not 1970 <= parsed29.year <= 2200: return False
                if 'moved' in field22:
                    field30 = field22['moved']
                    if not isinstance(field30, dict): return False
                    for key31, item32 in field30.items():
                        if key31 not in ids:
                            if _is_id(key31) is None: return False
                            ids.add(key31)
                        if not isinstance(item32, str): return False
                        try:
                            parsed33 = _date_from(item32)
                        except ValueError: return False
                        if not 1970 <= parsed33.year <= 2200: return False
                if 'sequence' in field22:
                    field34 = field22['sequence']
                    if isinstance(field34, bool) or not isinstance(field34, int): return False
                    if not -2147483647 <= field34 <= 2147483647: return False
                try:
                    _rule35(field22)
                except ValueError: return False
        if 'roles' in record:
            field36 = record['roles']
            if not isinstance(field36, list): return False
            for item37 in field36:
                if not isinstance(item37, str) or not item37.strip(): return False
        if 'next_roles' in record:
            field38 = record['next_roles']
            if not isinstance(field38, list): return False
            for item39 in field38:
                if not isinstance(item39, dict): return False
                field40 = item39['role']
                if not isinstance(field40, str) or not field40.strip(): return False
                field41 = item39['member_id']
                if type(field41) is not str: return False
                if field41 not in ids:
                    if _is_id(field41) is None: return False
                    ids.add(field41)
        if 'summary' in record:
            field42 = record['summary']
            if not isinstance(field42, dict): return False
            if 'sessions' in field42:
                field43 = field42['sessions']
                if isinstance(field43, bool) or not isinstance(field43, int): return False
                if not -2147483647 <= field43 <= 2147483647: return False
            if 'last_session_at' in field42:
                field44 = field42['last_session_at']
                if field44 is not None:
                    if not isinstance(field44, str): return False
                    try:
                        parsed45 = _datetime_from(field44)
                    except ValueError: return False
                    if parsed45.tzinfo is None: return False
                    if not 1970 <= parsed45.year <= 2200: return False
            if 'open_commitments' in field42:
                field46 = field42['open_commitments']
                if isinstance(field46, bool) or not isinstance(field46, int): return False
                if not -2147483647 <= field46 <= 2147483647: return False
            if 'roles_held' in field42:
                field47 = field42['roles_held']
                if not isinstance(field47, dict): return False
                field48 = field47['by_role']
                if not isinstance(field48, list): return False
                for item49 in field48:
                    if not isinstance(item49, dict): return False
                    field50 = item49['role']
                    if not isinstance(field50, str) or not field50.strip(): return False
                    field51 = item49['member_ids']
                    if not isinstance(field51, list): return False
                    for item52 in field51:
                        if type(item52) is not str: return False
                        if item52 not in ids:
                            if _is_id(item52) is None: return False
                            ids.add(item52)
                    if 'this_round' in item49:
                        field53 = item49['this_round']
                        if isinstance(field53, bool) or not isinstance(field53, int): return False
                        if not -2147483647 <= field53 <= 2147483647: return False
                field54 = field47['any_role']
                if not isinstance(field54, list): return False
                for item55 in field54:
                    if type(item55) is not str: return False
                    if item55 not in ids:
                        if _is_id(item55) is None: return False
                        ids.add(item55)
        try:
            _rule56(record)
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
