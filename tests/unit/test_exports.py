"""Exports: Markdown that cannot be broken, ICS that parses back, bundles that keep secrets."""

from __future__ import annotations

import json
import re
from datetime import UTC, datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

import msgspec
import pendulum
import pytest
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st
from icalendar import Calendar
from markdown_it import MarkdownIt
from msgspec.structs import replace

from peersession.core.commitment_state import commitment_is_open, current_commitment_text
from peersession.core.model import Group, Member
from peersession.core.record_types import read_as
from peersession.core.session_records import Commitment, Session
from peersession.core.slot import Slot, parse_at, series_uid
from peersession.demo import HOSTILE_NAME, DemoHistory, demo_history
from peersession.errors import UserError
from peersession.exports.bundle import (
    BUNDLE_VERSION,
    build_bundle,
    dumps_bundle,
    parse_bundle,
)
from peersession.exports.escape import REPLACEMENT, markdown_text, one_line
from peersession.exports.ics import render_ics
from peersession.exports.markdown import render_markdown
from peersession.exports.text import render_text
from peersession.store.schema import SCHEMA_VERSION

from engine_support import read_sessions

TODAY = pendulum.date(2026, 3, 10)
AT = "2026-03-05T16:00:00+00:00"

# Anything that would drive a terminal or reorder a line, in any export.
RAW_CONTROL = re.compile("[\x00-\x09\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]")

HOSTILE_FRAGMENTS = [
    "[/]", "[link=x]", "[b]", "*", "**", "_", "#", "# ", "|", "||", "`", "```", "~~", "~~~",
    "<b>", "</div>", "<!--", "&amp;", "&#65;", "\\", "\n", "\r\n", "\t", "    ", "---", "***",
    "1.", "1)", "- ", "+ ", "> ", "=", "![", "](http://x)", "[x]: http://y", "\x1b[31m",
    "\x1b]8;;http://evil\x07", "\x00", "\x7f", "\x9b", "\u202e", "\u2066", "\u200b", "\u2028",
    "\x85", "😀", "👩\u200d🔬", "\ud800", "Zoë", "O'Neil", "x" * 10_000,
]  # fmt: skip

hostile_text = st.lists(
    st.one_of(st.sampled_from(HOSTILE_FRAGMENTS), st.text(max_size=12)), max_size=6
).map("".join)

PARSER = MarkdownIt("commonmark").enable("table").enable("strikethrough")


@pytest.fixture(scope="module")
def demo() -> DemoHistory:
    return demo_history(today=TODAY)


# --- hand-made documents -------------------------------------------------------------


def make_group(name: str, member_names: list[str]) -> Group:
    return Group(
        id="g1",
        name=name,
        members=tuple(Member(f"m{i}", n) for i, n in enumerate(member_names)),
        next_meeting=pendulum.date(2026, 3, 26),
        created_at=pendulum.datetime(2026, 1, 1, tz="UTC").isoformat(),
    )


def make_commitment(cid: str, owner: str, text: str, *, private: bool) -> Commitment:
    return read_as(
        Commitment,
        {
            "id": cid,
            "group_id": "g1",
            "owner": owner,
            "text": text,
            "due": "2026-03-26",
            "private": private,
            "made_at": AT,
            "made_in": "s1",
            "from_ask": None,
            "reviews": [],
            "updated_at": AT,
        },
    )


def make_session(
    texts: list[str], secret: str, commitments: list[Commitment], reviewed: list[str]
) -> Session:
    """A session where every public field holds ``texts`` and every private one ``secret``."""

    def ask(aid: str, text: str, private: bool, cid: str | None, outcome: str) -> dict[str, Any]:
        return {
            "id": aid,
            "member_id": "m0",
            "text": text,
            "wanted_seconds": 600.0,
            "private": private,
            "votes": 1,
            "question_seconds": 60.0,
            "advice_seconds": 120.0,
            "extensions": [],
            "outcome": outcome,
            "commitment_id": cid,
            "helpers": ["m1"],
            "notes": [{"id": f"n{aid}", "text": secret, "private": True, "at": AT}],
            "done": True,
        }

    public_cid = next(c.id for c in commitments if not c.private)
    private_cid = next(c.id for c in commitments if c.private)
    return read_as(
        Session,
        {
            "id": "s1",
            "group_id": "g1",
            "template": "full",
            "started_at": AT,
            "ended_at": "2026-03-05T17:55:00+00:00",
            "planned_minutes": 120,
            "attendance": {"m0": "present", "m1": "late"},
            "order": ["m0", "m1"],
            "turns": [],
            "asks": [
                ask("a1", texts[0], False, public_cid, texts[1]),
                ask("a2", secret, True, None, secret),
                # A public ask whose commitment is private: its outcome is private too.
                ask("a3", texts[2], False, private_cid, secret),
            ],
            "wins": [
                {
                    "id": "w1",
                    "member_id": "m1",
                    "kind": "grant",
                    "text": texts[3],
                    "private": False,
                    "at": AT,
                },
                {
                    "id": "w2",
                    "member_id": "m1",
                    "kind": "award",
                    "text": secret,
                    "private": True,
                    "at": AT,
                },
            ],
            "commitment_ids": [c.id for c in commitments if c.made_in == "s1"],
            "reviews": {
                cid: {
                    "at": AT,
                    "status": "renegotiated",
                    "source": "session",
                    "source_id": "s1",
                    "text": texts[4] if cid == "old-public" else secret,
                }
                for cid in reviewed
            },
            "ratings": {"m0": 8, "m1": 9},
            "notes": [{"id": "n1", "text": secret, "private": True, "at": AT}],
            "next_meeting": "2026-03-26",
            "updated_at": "2026-03-05T17:55:00+00:00",
        },
    )


def hostile_history(texts: list[str], secret: str) -> tuple[Group, Session, list[Commitment]]:
    group = make_group(texts[5] or "G", [texts[6] or "A", texts[7] or "B"])
    old_public = make_commitment("old-public", "m1", texts[8], private=False)
    old_private = make_commitment("old-private", "m1", secret, private=True)
    old_public.made_in = old_private.made_in = "s0"
    commitments = [
        make_commitment("c1", "m0", texts[1], private=False),
        make_commitment("c2", "m0", secret, private=True),
        old_public,
        old_private,
    ]
    session = make_session(texts, secret, commitments, ["old-public", "old-private"])
    return group, session, commitments


def plain_lines(markdown: str) -> list[tuple[str, str]]:
    """(block kind, rendered plain text) of every block, in order."""
    blocks: list[tuple[str, str]] = []
    kind = ""
    for token in PARSER.parse(markdown):
        if token.type in ("heading_open", "list_item_open"):
            kind = token.tag if token.type == "heading_open" else "li"
        elif token.type == "paragraph_open" and token.level == 0:
            kind = "p"
        elif token.type == "inline":
            blocks.append((kind, "".join(c.content for c in token.children or [])))
    return blocks


def assert_markdown_invariant(markdown: str) -> None:
    """Every line is ours (blank, a heading, a bullet, a note's bullet under its
    item, _none_), and parsing gives back exactly those blocks: lists nested one
    level (notes under their item) and no deeper, no links, code, HTML or tables."""
    lines = markdown.split("\n")
    assert lines[-1] == "", "the document ends with one newline"
    for previous, line in zip(["", *lines], lines[:-1], strict=False):
        assert re.fullmatch(r"|#{1,3} \S.*|- \S.*|  - \S.*|_none_", line), (
            f"not our line: {line[:80]!r}"
        )
        if line.startswith("  - "):
            assert previous.startswith(("- ", "  - ")), f"a note outside an item: {line[:80]!r}"
    tokens = PARSER.parse(markdown)
    allowed = {
        "heading_open", "heading_close", "bullet_list_open", "bullet_list_close",
        "list_item_open", "list_item_close", "paragraph_open", "paragraph_close", "inline",
    }  # fmt: skip
    assert {t.type for t in tokens} <= allowed
    headings = [t for t in tokens if t.type == "heading_open"]
    assert len(headings) == sum(1 for line in lines if line.startswith("#"))
    items = [t for t in tokens if t.type == "list_item_open"]
    assert len(items) == sum(1 for line in lines if line.startswith(("- ", "  - ")))
    nested = [t.level for t in tokens if t.type == "bullet_list_open"]
    assert set(nested) <= {0, 2}, "notes one level under their item, nothing deeper"
    assert len([t for t in items if t.level == 3]) == sum(1 for ln in lines if ln[:4] == "  - ")
    for token in tokens:
        if token.type != "inline":
            continue
        children = token.children or []
        kinds = {c.type for c in children}
        assert kinds <= {"text", "strong_open", "strong_close", "em_open", "em_close"}, kinds
        for i, child in enumerate(children):
            if child.type == "em_open":
                assert children[i + 1].content in ("none", "(private)")


# --- escaping ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("typed", "escaped"),
    [
        ("# not a heading", "\\# not a heading"),
        ("- not a list", "\\- not a list"),
        ("+ nor this", "\\+ nor this"),
        ("1. nor this", "1\\. nor this"),
        ("12) nor this", "12\\) nor this"),
        ("8.5 average", "8.5 average"),
        ("[link](http://x)", "\\[link\\](http://x)"),
        ("<b>bold</b>", "\\<b\\>bold\\</b\\>"),
        ("a | b", "a \\| b"),
        ("*_`~&", "\\*\\_\\`\\~\\&"),
        ("two\nlines\r\nhere\u2028too", "two lines here too"),
        ("red \x1b[31m alert", f"red {REPLACEMENT}\\[31m alert"),
        ("nul\x00 del\x7f csi\x9b", f"nul{REPLACEMENT} del{REPLACEMENT} csi{REPLACEMENT}"),
        ("\u202eevil", f"{REPLACEMENT}evil"),
        ("zero\u200bwidth 👩\u200d🔬", "zero\u200bwidth 👩\u200d🔬"),
        (HOSTILE_NAME, "Zoë \\[Dr.\\] O'Neil"),
    ],
)
def test_markdown_text_escapes_markup_and_controls(typed: str, escaped: str) -> None:
    assert markdown_text(typed) == escaped


@settings(max_examples=300, suppress_health_check=[HealthCheck.too_slow])
@given(hostile_text)
@example("x" * 10_000)
@example("[" * 5_000 + "]" * 5_000)
@example("1.")
@example("- - -")
def test_escaped_text_renders_as_exactly_the_text_typed(text: str) -> None:
    escaped = markdown_text(text)
    assert "\n" not in escaped and not RAW_CONTROL.search(escaped)
    expected = one_line(text)
    for source, kind in ((f"- {escaped}", "li"), (f"# {escaped}", "h1"), (f"x {escaped}", "p")):
        if not expected and kind == "li":
            continue
        blocks = plain_lines(source)
        prefix = "x " if kind == "p" else ""
        assert blocks == [(kind, (prefix + expected).strip())], source[:200]


# --- Markdown recap ---------------------------------------------------------------------


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(hostile_text, min_size=9, max_size=9))
def test_markdown_recap_keeps_its_shape_shows_public_text_and_no_secret(texts: list[str]) -> None:
    group, session, commitments = hostile_history(texts, "SECRET")
    markdown = render_markdown(group, [session], commitments)
    assert "SECRET" not in markdown
    assert not RAW_CONTROL.search(markdown)
    assert_markdown_invariant(markdown)
    rendered = "\n".join(text for _, text in plain_lines(markdown))
    for public in (texts[0], texts[1], texts[3], texts[4], group.name, group.members[0].name):
        assert one_line(public) in rendered


def test_markdown_recap_includes_private_items_only_when_asked() -> None:
    texts = ["ask", "I will act", "ask three", "a grant", "smaller", "G", "Ana", "Bo", "old"]
    group, session, commitments = hostile_history(texts, "SECRET")
    public = render_markdown(group, [session], commitments)
    assert "SECRET" not in public and "(private)" not in public
    private = render_markdown(group, [session], commitments, include_private=True)
    assert private.count("SECRET") >= 4, "private win, ask, commitment and review"
    assert "_(private)_" in private
    assert_markdown_invariant(private)


def test_markdown_recap_has_every_section(demo: DemoHistory) -> None:
    markdown = render_markdown(demo.group, read_sessions(demo.sessions[-1:]), demo.commitments())
    titles = [text for kind, text in plain_lines(markdown) if kind == "h2"]
    assert titles == [
        "Attendance", "Roles", "Wins", "Review of earlier commitments", "Updates",
        "Commitments", "Asks", "Rating", "Next meeting",
    ]  # fmt: skip
    assert markdown.startswith("# Thursday Circle: session of Thursday 5 March 2026\n")
    assert "Zoë \\[Dr.\\] O'Neil" in markdown


def test_markdown_of_every_session_is_newest_first(demo: DemoHistory) -> None:
    markdown = render_markdown(demo.group, read_sessions(demo.sessions), demo.commitments())
    titles = [text for kind, text in plain_lines(markdown) if kind == "h2"]
    days = [pendulum.from_format(t.removeprefix("Session of "), "dddd D MMMM YYYY") for t in titles]
    assert len(days) == len(demo.sessions) and days == sorted(days, reverse=True)
    assert markdown.startswith(f"# Thursday Circle: {len(demo.sessions)} sessions\n")
    assert_markdown_invariant(markdown)


def _private_only_texts(demo: DemoHistory) -> set[str]:
    """Texts of private items that no public item happens to share."""
    private: set[str] = set()
    public: set[str] = set()
    for session in demo.sessions:
        for item in [*session["asks"], *session["wins"]]:
            (private if item["private"] else public).add(item["text"])
        for ask in session["asks"]:
            if ask["outcome"]:
                public.add(ask["outcome"])
    for c in demo.commitments():
        (private if c.private else public).add(current_commitment_text(c))
        (private if c.private else public).add(c.text)
    return {one_line(t) for t in private - public}


def test_markdown_of_the_demo_holds_no_private_text(demo: DemoHistory) -> None:
    secrets = _private_only_texts(demo)
    assert secrets, "the demo has private items"
    markdown = render_markdown(demo.group, read_sessions(demo.sessions), demo.commitments())
    rendered = "\n".join(text for _, text in plain_lines(markdown))
    leaked = {s for s in secrets if s in rendered}
    assert not leaked
    everything = render_markdown(
        demo.group, read_sessions(demo.sessions), demo.commitments(), include_private=True
    )
    shown = "\n".join(text for _, text in plain_lines(everything))
    assert any(s in shown for s in secrets)


# --- ICS ------------------------------------------------------------------------------------


def only_event(data: bytes) -> Any:
    calendar = Calendar.from_ical(data)
    events = list(calendar.walk("VEVENT"))
    assert len(events) == 1
    return events[0]


def test_ics_of_the_demo_parses_back(demo: DemoHistory) -> None:
    now = datetime(2026, 3, 10, 12, tzinfo=UTC)
    data = render_ics(demo.group, demo.commitments(), now=now)
    assert data.startswith(b"BEGIN:VCALENDAR\r\n")
    event = only_event(data)
    # The demo's series: its Thursdays at 16:00 UTC, every three weeks.
    assert event.decoded("dtstart") == datetime(2026, 3, 5, 16, 0, tzinfo=ZoneInfo("UTC"))
    assert event.decoded("duration") == timedelta(minutes=120)
    assert str(event["summary"]) == "Thursday Circle: peer-mentoring session"
    assert str(event["uid"]) == f"{demo.group.id}-series@peersession"
    assert event.decoded("dtstamp") == now
    # By default the invitation carries the meeting, not anyone's commitments.
    default = str(event["description"])
    assert default.splitlines() == [
        "Ground rules: Consistency in meeting (and 2 more)",
        "Before the meeting, check in on your commitments: peersession checkin 'Thursday Circle'",
    ]
    assert not any(current_commitment_text(c) in default for c in demo.commitments())
    listed = render_ics(demo.group, demo.commitments(), with_commitments=True, now=now)
    description = str(only_event(listed)["description"])
    assert description.startswith(default + "\n\nOpen commitments:\n")
    open_public = [c for c in demo.commitments() if commitment_is_open(c) and not c.private]
    for c in open_public:
        assert current_commitment_text(c) in description
    public_texts = {current_commitment_text(c) for c in open_public}
    for c in demo.commitments():
        if c.private and commitment_is_open(c) and current_commitment_text(c) not in public_texts:
            assert current_commitment_text(c) not in description


def test_ics_uid_is_stable_across_exports(demo: DemoHistory) -> None:
    first = only_event(render_ics(demo.group, []))
    again = only_event(render_ics(demo.group, demo.commitments()))
    assert first["uid"] == again["uid"] == series_uid(demo.group.id)


def test_ics_of_a_group_without_a_slot_is_refused() -> None:
    group = make_group("G", ["Ana"])
    with pytest.raises(UserError, match="no meeting slot"):
        render_ics(group, [])


def with_slot(group: Group) -> Group:
    slot = Slot(anchor=pendulum.date(2026, 3, 26), at=parse_at("16:00"), zone="Europe/London")
    return replace(group, slot=slot)


# A typed backslash-N, which icalendar's own escaping turned into a line break.
@example(["", "\\N; a,b", "", "", "", "\\N", "", "", ""])
@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(hostile_text, min_size=9, max_size=9))
def test_ics_of_hostile_text_parses_back_with_no_control_characters(texts: list[str]) -> None:
    group, _, commitments = hostile_history(texts, "SECRET")
    group = with_slot(group)
    data = render_ics(group, commitments, with_commitments=True)
    assert not RAW_CONTROL.search(data.decode("utf-8").replace("\r\n", ""))
    event = only_event(data)
    assert str(event["summary"]) == f"{one_line(group.name)}: peer-mentoring session"
    description = str(event["description"])
    assert "SECRET" not in description
    assert one_line(texts[1]) in description
    everything = only_event(
        render_ics(group, commitments, with_commitments=True, include_private=True)
    )
    assert "SECRET (due 2026-03-26) (private)" in str(everything["description"])
    # Without --with-commitments, not even the public ones: the first rule and
    # the pointer to the check-in, nothing else.
    plain = str(only_event(render_ics(group, commitments))["description"]).split("\n")
    assert len(plain) == 2 and plain[0].startswith("Ground rules: ")
    assert plain[1].startswith("Before the meeting, check in on your commitments: peersession ")


# --- JSON bundle ----------------------------------------------------------------------------


def private_ids_of(demo: DemoHistory) -> set[str]:
    ids: set[str] = set()
    for session in demo.sessions:
        for item in [*session["asks"], *session["wins"], *session["notes"]]:
            if item["private"]:
                ids.add(item["id"])
        for holder in [*session["asks"], *session["turns"]]:
            ids.update(n["id"] for n in holder["notes"] if n["private"])
    ids.update(c.id for c in demo.commitments() if c.private)
    ids.update(c.id for c, _ in demo.checkins if c.private)
    return ids


def test_bundle_without_private_items_holds_no_private_id(demo: DemoHistory) -> None:
    hidden = private_ids_of(demo)
    assert hidden
    checkins = [c for c, _ in demo.checkins]
    text = dumps_bundle(
        build_bundle(demo.group, read_sessions(demo.sessions), demo.commitments(), checkins)
    )
    assert not {i for i in hidden if i in text}
    full = dumps_bundle(
        build_bundle(
            demo.group,
            read_sessions(demo.sessions),
            demo.commitments(),
            checkins,
            include_private=True,
        )
    )
    assert hidden <= {i for i in hidden if i in full}


def test_bundle_records_its_version_and_the_history_schema(demo: DemoHistory) -> None:
    bundle = build_bundle(demo.group, read_sessions(demo.sessions), demo.commitments())
    assert bundle["version"] == BUNDLE_VERSION and bundle["schema"] == SCHEMA_VERSION
    assert parse_bundle(dumps_bundle(bundle)) == json.loads(dumps_bundle(bundle))


def test_bundle_text_has_no_raw_control_characters() -> None:
    texts = ["\x1b[31m", "\x00", "\u202e", "\x9b", "e", "G\x07", "Ana", "Bo", "f"]
    group, session, commitments = hostile_history(texts, "SECRET")
    text = dumps_bundle(build_bundle(group, [session], commitments, include_private=True))
    assert not RAW_CONTROL.search(text)
    assert json.loads(text)["sessions"][0]["asks"][0]["text"] == "\x1b[31m", "kept exactly"


def test_every_recap_dates_a_session_where_the_group_meets(demo: DemoHistory) -> None:
    """Late evening in UTC is the next morning in Auckland: the Markdown and the
    plain-text recap both give the day where the group meets, not the viewer's."""
    slot = Slot(anchor=pendulum.date(2026, 3, 6), at=parse_at("01:30"), zone="Pacific/Auckland")
    group = replace(demo.group, slot=slot)
    first, last = read_sessions([demo.sessions[0], demo.sessions[-1]])
    session = msgspec.structs.replace(last, started_at="2026-03-05T12:30:00+00:00")
    commitments = demo.commitments()
    markdown = render_markdown(group, [session], commitments)
    text = render_text(group, [session], commitments)
    assert markdown.splitlines()[0].endswith("session of Friday 6 March 2026")
    assert text.splitlines()[0].endswith("session of Friday 6 March 2026")
    several = render_text(group, [session, first], commitments)
    assert "Session of Friday 6 March 2026" in several
