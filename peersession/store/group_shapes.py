"""A group file's load-time shape check, generated from ``core/stored.py``.

``python -m peersession.store.shape_check`` writes this module from the group
file's declared shapes with ``core/shape_compiler.py``;
``tests/test_index_shapes.py`` fails when it is out of step.
``store/shape_check.py`` runs it before anything else on a group's file, so
opening a history or a meeting need not import the declarations; a record it
turns down is checked again by the declared shape, which names the problem.
"""

# Generated: do not edit (see the docstring for how to write it again).

from __future__ import annotations

from typing import Any

_is_id = __import__('re').compile('[A-Za-z0-9_-]{1,64}').fullmatch
_datetime_from = __import__('datetime').datetime.fromisoformat
_date_from = __import__('datetime').date.fromisoformat
_isfinite = __import__('math').isfinite
_real = (int, float)
_allowed12 = ('present', 'absent', 'late')
_allowed28 = ('update', 'questions', 'advice')
_allowed60 = ('update', 'questions', 'advice')
_allowed68 = ('promotion', 'grant', 'publication', 'award', 'personal', 'other')
_allowed81 = ('done', 'partial', 'not_done', 'renegotiated', 'dropped')
_allowed99 = ('update', 'questions', 'advice')
_allowed125 = ('done', 'partial', 'not_done', 'renegotiated', 'dropped')
_allowed143 = ('done', 'partial', 'not_done', 'renegotiated', 'dropped')
_allowed151 = ('commitment', 'checkin', 'ask', 'win', 'note')
_allowed153 = ('session', 'commitment', 'checkin')
_allowed165 = ('active', 'reached', 'dropped')

#: The schema version the checks describe.
SCHEMA = 2


def check_sessions(record: Any, ids: set[str]) -> bool:
    """Whether a record of the 'sessions' table has the session shape."""
    try:
        if not isinstance(record, dict): return False
        field1 = record['id']
        if type(field1) is not str: return False
        if field1 not in ids:
            if _is_id(field1) is None: return False
            ids.add(field1)
        field2 = record['group_id']
        if type(field2) is not str: return False
        if field2 not in ids:
            if _is_id(field2) is None: return False
            ids.add(field2)
        field3 = record['template']
        if not isinstance(field3, str): return False
        field4 = record['started_at']
        if not isinstance(field4, str): return False
        try:
            parsed5 = _datetime_from(field4)
        except ValueError: return False
        if parsed5.tzinfo is None: return False
        if not 1970 <= parsed5.year <= 2200: return False
        field6 = record['ended_at']
        if not isinstance(field6, str): return False
        try:
            parsed7 = _datetime_from(field6)
        except ValueError: return False
        if parsed7.tzinfo is None: return False
        if not 1970 <= parsed7.year <= 2200: return False
        field8 = record['planned_minutes']
        if isinstance(field8, bool) or not isinstance(field8, int): return False
        if not -2147483647 <= field8 <= 2147483647: return False
        field9 = record['attendance']
        if not isinstance(field9, dict): return False
        for key10, item11 in field9.items():
            if key10 not in ids:
                if _is_id(key10) is None: return False
                ids.add(key10)
            if item11 not in _allowed12: return False
        field13 = record['order']
        if not isinstance(field13, list): return False
        for item14 in field13:
            if type(item14) is not str: return False
            if item14 not in ids:
                if _is_id(item14) is None: return False
                ids.add(item14)
        field15 = record['turns']
        if not isinstance(field15, list): return False
        for item16 in field15:
            if not isinstance(item16, dict): return False
            field17 = item16['member_id']
            if type(field17) is not str: return False
            if field17 not in ids:
                if _is_id(field17) is None: return False
                ids.add(field17)
            field18 = item16['seconds']
            if isinstance(field18, bool) or not isinstance(field18, _real) or not _isfinite(field18): return False
            if not -1000000000.0 <= field18 <= 1000000000.0: return False
            field19 = item16['passed']
            if not isinstance(field19, bool): return False
            field20 = item16['notes']
            if not isinstance(field20, list): return False
            for item21 in field20:
                if not isinstance(item21, dict): return False
                field22 = item21['id']
                if type(field22) is not str: return False
                if field22 not in ids:
                    if _is_id(field22) is None: return False
                    ids.add(field22)
                field23 = item21['text']
                if not isinstance(field23, str): return False
                field24 = item21['private']
                if not isinstance(field24, bool): return False
                field25 = item21['at']
                if not isinstance(field25, str): return False
                try:
                    parsed26 = _datetime_from(field25)
                except ValueError: return False
                if parsed26.tzinfo is None: return False
                if not 1970 <= parsed26.year <= 2200: return False
                if 'part' in item21:
                    field27 = item21['part']
                    if field27 not in _allowed28: return False
                if 'member_id' in item21:
                    field29 = item21['member_id']
                    if type(field29) is not str: return False
                    if field29 not in ids:
                        if _is_id(field29) is None: return False
                        ids.add(field29)
        field30 = record['asks']
        if not isinstance(field30, list): return False
        for item31 in field30:
            if not isinstance(item31, dict): return False
            field32 = item31['id']
            if type(field32) is not str: return False
            if field32 not in ids:
                if _is_id(field32) is None: return False
                ids.add(field32)
            field33 = item31['member_id']
            if type(field33) is not str: return False
            if field33 not in ids:
                if _is_id(field33) is None: return False
                ids.add(field33)
            field34 = item31['text']
            if not isinstance(field34, str): return False
            field35 = item31['wanted_seconds']
            if isinstance(field35, bool) or not isinstance(field35, _real) or not _isfinite(field35): return False
            if not -1000000000.0 <= field35 <= 1000000000.0: return False
            field36 = item31['private']
            if not isinstance(field36, bool): return False
            field37 = item31['votes']
            if isinstance(field37, bool) or not isinstance(field37, int): return False
            if not -2147483647 <= field37 <= 2147483647: return False
            field38 = item31['question_seconds']
            if isinstance(field38, bool) or not isinstance(field38, _real) or not _isfinite(field38): return False
            if not -1000000000.0 <= field38 <= 1000000000.0: return False
            field39 = item31['advice_seconds']
            if isinstance(field39, bool) or not isinstance(field39, _real) or not _isfinite(field39): return False
            if not -1000000000.0 <= field39 <= 1000000000.0: return False
            field40 = item31['extensions']
            if not isinstance(field40, list): return False
            for item41 in field40:
                if not isinstance(item41, dict): return False
                field42 = item41['minutes']
                if isinstance(field42, bool) or not isinstance(field42, _real) or not _isfinite(field42): return False
                if not -1000000000.0 <= field42 <= 1000000000.0: return False
                field43 = item41['votes_for']
                if isinstance(field43, bool) or not isinstance(field43, int): return False
                if not -2147483647 <= field43 <= 2147483647: return False
                field44 = item41['voters']
                if isinstance(field44, bool) or not isinstance(field44, int): return False
                if not -2147483647 <= field44 <= 2147483647: return False
                field45 = item41['granted']
                if not isinstance(field45, bool): return False
                field46 = item41['at']
                if not isinstance(field46, str): return False
                try:
                    parsed47 = _datetime_from(field46)
                except ValueError: return False
                if parsed47.tzinfo is None: return False
                if not 1970 <= parsed47.year <= 2200: return False
            field48 = item31['outcome']
            if field48 is not None:
                if not isinstance(field48, str): return False
            field49 = item31['commitment_id']
            if field49 is not None:
                if type(field49) is not str: return False
                if field49 not in ids:
                    if _is_id(field49) is None: return False
                    ids.add(field49)
            field50 = item31['helpers']
            if not isinstance(field50, list): return False
            for item51 in field50:
                if type(item51) is not str: return False
                if item51 not in ids:
                    if _is_id(item51) is None: return False
                    ids.add(item51)
            field52 = item31['notes']
            if not isinstance(field52, list): return False
            for item53 in field52:
                if not isinstance(item53, dict): return False
                field54 = item53['id']
                if type(field54) is not str: return False
                if field54 not in ids:
                    if _is_id(field54) is None: return False
                    ids.add(field54)
                field55 = item53['text']
                if not isinstance(field55, str): return False
                field56 = item53['private']
                if not isinstance(field56, bool): return False
                field57 = item53['at']
                if not isinstance(field57, str): return False
                try:
                    parsed58 = _datetime_from(field57)
                except ValueError: return False
                if parsed58.tzinfo is None: return False
                if not 1970 <= parsed58.year <= 2200: return False
                if 'part' in item53:
                    field59 = item53['part']
                    if field59 not in _allowed60: return False
                if 'member_id' in item53:
                    field61 = item53['member_id']
                    if type(field61) is not str: return False
                    if field61 not in ids:
                        if _is_id(field61) is None: return False
                        ids.add(field61)
            field62 = item31['done']
            if not isinstance(field62, bool): return False
        field63 = record['wins']
        if not isinstance(field63, list): return False
        for item64 in field63:
            if not isinstance(item64, dict): return False
            field65 = item64['id']
            if type(field65) is not str: return False
            if field65 not in ids:
                if _is_id(field65) is None: return False
                ids.add(field65)
            field66 = item64['member_id']
            if type(field66) is not str: return False
            if field66 not in ids:
                if _is_id(field66) is None: return False
                ids.add(field66)
            field67 = item64['kind']
            if field67 not in _allowed68: return False
            field69 = item64['text']
            if not isinstance(field69, str): return False
            field70 = item64['private']
            if not isinstance(field70, bool): return False
            field71 = item64['at']
            if not isinstance(field71, str): return False
            try:
                parsed72 = _datetime_from(field71)
            except ValueError: return False
            if parsed72.tzinfo is None: return False
            if not 1970 <= parsed72.year <= 2200: return False
        field73 = record['commitment_ids']
        if not isinstance(field73, list): return False
        for item74 in field73:
            if type(item74) is not str: return False
            if item74 not in ids:
                if _is_id(item74) is None: return False
                ids.add(item74)
        field75 = record['reviews']
        if not isinstance(field75, dict): return False
        for key76, item77 in field75.items():
            if key76 not in ids:
                if _is_id(key76) is None: return False
                ids.add(key76)
            if not isinstance(item77, dict): return False
            field78 = item77['at']
            if not isinstance(field78, str): return False
            try:
                parsed79 = _datetime_from(field78)
            except ValueError: return False
            if parsed79.tzinfo is None: return False
            if not 1970 <= parsed79.year <= 2200: return False
            field80 = item77['status']
            if field80 not in _allowed81: return False
            field82 = item77['source']
            if not isinstance(field82, str): return False
            if 'source_id' in item77:
                field83 = item77['source_id']
                if field83 is not None:
                    if type(field83) is not str: return False
                    if field83 not in ids:
                        if _is_id(field83) is None: return False
                        ids.add(field83)
            if 'text' in item77:
                field84 = item77['text']
                if field84 is not None:
                    if not isinstance(field84, str): return False
            if 'due' in item77:
                field85 = item77['due']
                if field85 is not None:
                    if not isinstance(field85, str): return False
                    try:
                        parsed86 = _date_from(field85)
                    except ValueError: return False
                    if not 1970 <= parsed86.year <= 2200: return False
            if 'note' in item77:
                field87 = item77['note']
                if field87 is not None:
                    if not isinstance(field87, str): return False
        field88 = record['ratings']
        if not isinstance(field88, dict): return False
        for key89, item90 in field88.items():
            if key89 not in ids:
                if _is_id(key89) is None: return False
                ids.add(key89)
            if isinstance(item90, bool) or not isinstance(item90, int): return False
            if not -2147483647 <= item90 <= 2147483647: return False
        field91 = record['notes']
        if not isinstance(field91, list): return False
        for item92 in field91:
            if not isinstance(item92, dict): return False
            field93 = item92['id']
            if type(field93) is not str: return False
            if field93 not in ids:
                if _is_id(field93) is None: return False
                ids.add(field93)
            field94 = item92['text']
            if not isinstance(field94, str): return False
            field95 = item92['private']
            if not isinstance(field95, bool): return False
            field96 = item92['at']
            if not isinstance(field96, str): return False
            try:
                parsed97 = _datetime_from(field96)
            except ValueError: return False
            if parsed97.tzinfo is None: return False
            if not 1970 <= parsed97.year <= 2200: return False
            if 'part' in item92:
                field98 = item92['part']
                if field98 not in _allowed99: return False
            if 'member_id' in item92:
                field100 = item92['member_id']
                if type(field100) is not str: return False
                if field100 not in ids:
                    if _is_id(field100) is None: return False
                    ids.add(field100)
        field101 = record['next_meeting']
        if field101 is not None:
            if not isinstance(field101, str): return False
            try:
                parsed102 = _date_from(field101)
            except ValueError: return False
            if not 1970 <= parsed102.year <= 2200: return False
        field103 = record['updated_at']
        if not isinstance(field103, str): return False
        try:
            parsed104 = _datetime_from(field103)
        except ValueError: return False
        if parsed104.tzinfo is None: return False
        if not 1970 <= parsed104.year <= 2200: return False
        if 'roles' in record:
            field105 = record['roles']
            if not isinstance(field105, list): return False
            for item106 in field105:
                if not isinstance(item106, dict): return False
                field107 = item106['role']
                if not isinstance(field107, str) or not field107.strip(): return False
                field108 = item106['member_id']
                if type(field108) is not str: return False
                if field108 not in ids:
                    if _is_id(field108) is None: return False
                    ids.add(field108)
    except KeyError:
        return False
    return True


def check_commitments(record: Any, ids: set[str]) -> bool:
    """Whether a record of the 'commitments' table has the commitment shape."""
    try:
        if not isinstance(record, dict): return False
        field109 = record['id']
        if type(field109) is not str: return False
        if field109 not in ids:
            if _is_id(field109) is None: return False
            ids.add(field109)
        field110 = record['group_id']
        if type(field110) is not str: return False
        if field110 not in ids:
            if _is_id(field110) is None: return False
            ids.add(field110)
        field111 = record['owner']
        if type(field111) is not str: return False
        if field111 not in ids:
            if _is_id(field111) is None: return False
            ids.add(field111)
        field112 = record['text']
        if not isinstance(field112, str): return False
        field113 = record['due']
        if field113 is not None:
            if not isinstance(field113, str): return False
            try:
                parsed114 = _date_from(field113)
            except ValueError: return False
            if not 1970 <= parsed114.year <= 2200: return False
        field115 = record['private']
        if not isinstance(field115, bool): return False
        field116 = record['made_at']
        if not isinstance(field116, str): return False
        try:
            parsed117 = _datetime_from(field116)
        except ValueError: return False
        if parsed117.tzinfo is None: return False
        if not 1970 <= parsed117.year <= 2200: return False
        field118 = record['made_in']
        if type(field118) is not str: return False
        if field118 not in ids:
            if _is_id(field118) is None: return False
            ids.add(field118)
        field119 = record['from_ask']
        if field119 is not None:
            if type(field119) is not str: return False
            if field119 not in ids:
                if _is_id(field119) is None: return False
                ids.add(field119)
        field120 = record['reviews']
        if not isinstance(field120, list): return False
        for item121 in field120:
            if not isinstance(item121, dict): return False
            field122 = item121['at']
            if not isinstance(field122, str): return False
            try:
                parsed123 = _datetime_from(field122)
            except ValueError: return False
            if parsed123.tzinfo is None: return False
            if not 1970 <= parsed123.year <= 2200: return False
            field124 = item121['status']
            if field124 not in _allowed125: return False
            field126 = item121['source']
            if not isinstance(field126, str): return False
            if 'source_id' in item121:
                field127 = item121['source_id']
                if field127 is not None:
                    if type(field127) is not str: return False
                    if field127 not in ids:
                        if _is_id(field127) is None: return False
                        ids.add(field127)
            if 'text' in item121:
                field128 = item121['text']
                if field128 is not None:
                    if not isinstance(field128, str): return False
            if 'due' in item121:
                field129 = item121['due']
                if field129 is not None:
                    if not isinstance(field129, str): return False
                    try:
                        parsed130 = _date_from(field129)
                    except ValueError: return False
                    if not 1970 <= parsed130.year <= 2200: return False
            if 'note' in item121:
                field131 = item121['note']
                if field131 is not None:
                    if not isinstance(field131, str): return False
        field132 = record['updated_at']
        if not isinstance(field132, str): return False
        try:
            parsed133 = _datetime_from(field132)
        except ValueError: return False
        if parsed133.tzinfo is None: return False
        if not 1970 <= parsed133.year <= 2200: return False
        if 'goal_id' in record:
            field134 = record['goal_id']
            if field134 is not None:
                if type(field134) is not str: return False
                if field134 not in ids:
                    if _is_id(field134) is None: return False
                    ids.add(field134)
    except KeyError:
        return False
    return True


def check_checkins(record: Any, ids: set[str]) -> bool:
    """Whether a record of the 'checkins' table has the check-in shape."""
    try:
        if not isinstance(record, dict): return False
        field135 = record['id']
        if type(field135) is not str: return False
        if field135 not in ids:
            if _is_id(field135) is None: return False
            ids.add(field135)
        field136 = record['group_id']
        if type(field136) is not str: return False
        if field136 not in ids:
            if _is_id(field136) is None: return False
            ids.add(field136)
        field137 = record['member_id']
        if type(field137) is not str: return False
        if field137 not in ids:
            if _is_id(field137) is None: return False
            ids.add(field137)
        field138 = record['at']
        if not isinstance(field138, str): return False
        try:
            parsed139 = _datetime_from(field138)
        except ValueError: return False
        if parsed139.tzinfo is None: return False
        if not 1970 <= parsed139.year <= 2200: return False
        field140 = record['statuses']
        if not isinstance(field140, dict): return False
        for key141, item142 in field140.items():
            if key141 not in ids:
                if _is_id(key141) is None: return False
                ids.add(key141)
            if item142 not in _allowed143: return False
        field144 = record['note']
        if field144 is not None:
            if not isinstance(field144, str): return False
        field145 = record['energy']
        if field145 is not None:
            if isinstance(field145, bool) or not isinstance(field145, int): return False
            if not -2147483647 <= field145 <= 2147483647: return False
        field146 = record['private']
        if not isinstance(field146, bool): return False
        field147 = record['updated_at']
        if not isinstance(field147, str): return False
        try:
            parsed148 = _datetime_from(field147)
        except ValueError: return False
        if parsed148.tzinfo is None: return False
        if not 1970 <= parsed148.year <= 2200: return False
    except KeyError:
        return False
    return True


def check_removals(record: Any, ids: set[str]) -> bool:
    """Whether a record of the 'removals' table has the removal shape."""
    try:
        if not isinstance(record, dict): return False
        field149 = record['id']
        if type(field149) is not str: return False
        if field149 not in ids:
            if _is_id(field149) is None: return False
            ids.add(field149)
        field150 = record['kind']
        if field150 not in _allowed151: return False
        field152 = record['record']
        if field152 not in _allowed153: return False
        field154 = record['record_id']
        if type(field154) is not str: return False
        if field154 not in ids:
            if _is_id(field154) is None: return False
            ids.add(field154)
        field155 = record['removed_at']
        if not isinstance(field155, str): return False
        try:
            parsed156 = _datetime_from(field155)
        except ValueError: return False
        if parsed156.tzinfo is None: return False
        if not 1970 <= parsed156.year <= 2200: return False
    except KeyError:
        return False
    return True


def check_goals(record: Any, ids: set[str]) -> bool:
    """Whether a record of the 'goals' table has the goal shape."""
    try:
        if not isinstance(record, dict): return False
        field157 = record['id']
        if type(field157) is not str: return False
        if field157 not in ids:
            if _is_id(field157) is None: return False
            ids.add(field157)
        field158 = record['group_id']
        if type(field158) is not str: return False
        if field158 not in ids:
            if _is_id(field158) is None: return False
            ids.add(field158)
        field159 = record['owner']
        if type(field159) is not str: return False
        if field159 not in ids:
            if _is_id(field159) is None: return False
            ids.add(field159)
        field160 = record['title']
        if not isinstance(field160, str): return False
        field161 = record['by']
        if field161 is not None:
            if not isinstance(field161, str): return False
            try:
                parsed162 = _date_from(field161)
            except ValueError: return False
            if not 1970 <= parsed162.year <= 2200: return False
        field163 = record['measure']
        if field163 is not None:
            if not isinstance(field163, str): return False
        field164 = record['status']
        if field164 not in _allowed165: return False
        field166 = record['private']
        if not isinstance(field166, bool): return False
        field167 = record['win_ids']
        if not isinstance(field167, list): return False
        for item168 in field167:
            if type(item168) is not str: return False
            if item168 not in ids:
                if _is_id(item168) is None: return False
                ids.add(item168)
        field169 = record['created_at']
        if not isinstance(field169, str): return False
        try:
            parsed170 = _datetime_from(field169)
        except ValueError: return False
        if parsed170.tzinfo is None: return False
        if not 1970 <= parsed170.year <= 2200: return False
        field171 = record['updated_at']
        if not isinstance(field171, str): return False
        try:
            parsed172 = _datetime_from(field171)
        except ValueError: return False
        if parsed172.tzinfo is None: return False
        if not 1970 <= parsed172.year <= 2200: return False
    except KeyError:
        return False
    return True


def has_shapes(tables: dict[str, dict[str, Any]]) -> bool:
    """Whether every record of every table has its shape."""
    ids: set[str] = set()
    for record in tables.get('sessions', {}).values():
        if not check_sessions(record, ids):
            return False
    for record in tables.get('commitments', {}).values():
        if not check_commitments(record, ids):
            return False
    for record in tables.get('checkins', {}).values():
        if not check_checkins(record, ids):
            return False
    for record in tables.get('removals', {}).values():
        if not check_removals(record, ids):
            return False
    for record in tables.get('goals', {}).values():
        if not check_goals(record, ids):
            return False
    return True
