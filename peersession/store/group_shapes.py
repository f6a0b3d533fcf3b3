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
_allowed121 = ('done', 'partial', 'not_done', 'renegotiated', 'dropped')
_allowed139 = ('done', 'partial', 'not_done', 'renegotiated', 'dropped')
_allowed147 = ('commitment', 'checkin', 'ask', 'win', 'note')
_allowed149 = ('session', 'commitment', 'checkin')
_allowed161 = ('active', 'reached', 'dropped')

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
    except KeyError:
        return False
    return True


def check_commitments(record: Any, ids: set[str]) -> bool:
    """Whether a record of the 'commitments' table has the commitment shape."""
    try:
        if not isinstance(record, dict): return False
        field105 = record['id']
        if type(field105) is not str: return False
        if field105 not in ids:
            if _is_id(field105) is None: return False
            ids.add(field105)
        field106 = record['group_id']
        if type(field106) is not str: return False
        if field106 not in ids:
            if _is_id(field106) is None: return False
            ids.add(field106)
        field107 = record['owner']
        if type(field107) is not str: return False
        if field107 not in ids:
            if _is_id(field107) is None: return False
            ids.add(field107)
        field108 = record['text']
        if not isinstance(field108, str): return False
        field109 = record['due']
        if field109 is not None:
            if not isinstance(field109, str): return False
            try:
                parsed110 = _date_from(field109)
            except ValueError: return False
            if not 1970 <= parsed110.year <= 2200: return False
        field111 = record['private']
        if not isinstance(field111, bool): return False
        field112 = record['made_at']
        if not isinstance(field112, str): return False
        try:
            parsed113 = _datetime_from(field112)
        except ValueError: return False
        if parsed113.tzinfo is None: return False
        if not 1970 <= parsed113.year <= 2200: return False
        field114 = record['made_in']
        if type(field114) is not str: return False
        if field114 not in ids:
            if _is_id(field114) is None: return False
            ids.add(field114)
        field115 = record['from_ask']
        if field115 is not None:
            if type(field115) is not str: return False
            if field115 not in ids:
                if _is_id(field115) is None: return False
                ids.add(field115)
        field116 = record['reviews']
        if not isinstance(field116, list): return False
        for item117 in field116:
            if not isinstance(item117, dict): return False
            field118 = item117['at']
            if not isinstance(field118, str): return False
            try:
                parsed119 = _datetime_from(field118)
            except ValueError: return False
            if parsed119.tzinfo is None: return False
            if not 1970 <= parsed119.year <= 2200: return False
            field120 = item117['status']
            if field120 not in _allowed121: return False
            field122 = item117['source']
            if not isinstance(field122, str): return False
            if 'source_id' in item117:
                field123 = item117['source_id']
                if field123 is not None:
                    if type(field123) is not str: return False
                    if field123 not in ids:
                        if _is_id(field123) is None: return False
                        ids.add(field123)
            if 'text' in item117:
                field124 = item117['text']
                if field124 is not None:
                    if not isinstance(field124, str): return False
            if 'due' in item117:
                field125 = item117['due']
                if field125 is not None:
                    if not isinstance(field125, str): return False
                    try:
                        parsed126 = _date_from(field125)
                    except ValueError: return False
                    if not 1970 <= parsed126.year <= 2200: return False
            if 'note' in item117:
                field127 = item117['note']
                if field127 is not None:
                    if not isinstance(field127, str): return False
        field128 = record['updated_at']
        if not isinstance(field128, str): return False
        try:
            parsed129 = _datetime_from(field128)
        except ValueError: return False
        if parsed129.tzinfo is None: return False
        if not 1970 <= parsed129.year <= 2200: return False
        if 'goal_id' in record:
            field130 = record['goal_id']
            if field130 is not None:
                if type(field130) is not str: return False
                if field130 not in ids:
                    if _is_id(field130) is None: return False
                    ids.add(field130)
    except KeyError:
        return False
    return True


def check_checkins(record: Any, ids: set[str]) -> bool:
    """Whether a record of the 'checkins' table has the check-in shape."""
    try:
        if not isinstance(record, dict): return False
        field131 = record['id']
        if type(field131) is not str: return False
        if field131 not in ids:
            if _is_id(field131) is None: return False
            ids.add(field131)
        field132 = record['group_id']
        if type(field132) is not str: return False
        if field132 not in ids:
            if _is_id(field132) is None: return False
            ids.add(field132)
        field133 = record['member_id']
        if type(field133) is not str: return False
        if field133 not in ids:
            if _is_id(field133) is None: return False
            ids.add(field133)
        field134 = record['at']
        if not isinstance(field134, str): return False
        try:
            parsed135 = _datetime_from(field134)
        except ValueError: return False
        if parsed135.tzinfo is None: return False
        if not 1970 <= parsed135.year <= 2200: return False
        field136 = record['statuses']
        if not isinstance(field136, dict): return False
        for key137, item138 in field136.items():
            if key137 not in ids:
                if _is_id(key137) is None: return False
                ids.add(key137)
            if item138 not in _allowed139: return False
        field140 = record['note']
        if field140 is not None:
            if not isinstance(field140, str): return False
        field141 = record['energy']
        if field141 is not None:
            if isinstance(field141, bool) or not isinstance(field141, int): return False
            if not -2147483647 <= field141 <= 2147483647: return False
        field142 = record['private']
        if not isinstance(field142, bool): return False
        field143 = record['updated_at']
        if not isinstance(field143, str): return False
        try:
            parsed144 = _datetime_from(field143)
        except ValueError: return False
        if parsed144.tzinfo is None: return False
        if not 1970 <= parsed144.year <= 2200: return False
    except KeyError:
        return False
    return True


def check_removals(record: Any, ids: set[str]) -> bool:
    """Whether a record of the 'removals' table has the removal shape."""
    try:
        if not isinstance(record, dict): return False
        field145 = record['id']
        if type(field145) is not str: return False
        if field145 not in ids:
            if _is_id(field145) is None: return False
            ids.add(field145)
        field146 = record['kind']
        if field146 not in _allowed147: return False
        field148 = record['record']
        if field148 not in _allowed149: return False
        field150 = record['record_id']
        if type(field150) is not str: return False
        if field150 not in ids:
            if _is_id(field150) is None: return False
            ids.add(field150)
        field151 = record['removed_at']
        if not isinstance(field151, str): return False
        try:
            parsed152 = _datetime_from(field151)
        except ValueError: return False
        if parsed152.tzinfo is None: return False
        if not 1970 <= parsed152.year <= 2200: return False
    except KeyError:
        return False
    return True


def check_goals(record: Any, ids: set[str]) -> bool:
    """Whether a record of the 'goals' table has the goal shape."""
    try:
        if not isinstance(record, dict): return False
        field153 = record['id']
        if type(field153) is not str: return False
        if field153 not in ids:
            if _is_id(field153) is None: return False
            ids.add(field153)
        field154 = record['group_id']
        if type(field154) is not str: return False
        if field154 not in ids:
            if _is_id(field154) is None: return False
            ids.add(field154)
        field155 = record['owner']
        if type(field155) is not str: return False
        if field155 not in ids:
            if _is_id(field155) is None: return False
            ids.add(field155)
        field156 = record['title']
        if not isinstance(field156, str): return False
        field157 = record['by']
        if field157 is not None:
            if not isinstance(field157, str): return False
            try:
                parsed158 = _date_from(field157)
            except ValueError: return False
            if not 1970 <= parsed158.year <= 2200: return False
        field159 = record['measure']
        if field159 is not None:
            if not isinstance(field159, str): return False
        field160 = record['status']
        if field160 not in _allowed161: return False
        field162 = record['private']
        if not isinstance(field162, bool): return False
        field163 = record['win_ids']
        if not isinstance(field163, list): return False
        for item164 in field163:
            if type(item164) is not str: return False
            if item164 not in ids:
                if _is_id(item164) is None: return False
                ids.add(item164)
        field165 = record['created_at']
        if not isinstance(field165, str): return False
        try:
            parsed166 = _datetime_from(field165)
        except ValueError: return False
        if parsed166.tzinfo is None: return False
        if not 1970 <= parsed166.year <= 2200: return False
        field167 = record['updated_at']
        if not isinstance(field167, str): return False
        try:
            parsed168 = _datetime_from(field167)
        except ValueError: return False
        if parsed168.tzinfo is None: return False
        if not 1970 <= parsed168.year <= 2200: return False
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
