"""The facilitator's forms on the meeting screen: an ask, a commitment, a note...

Each form is described here (its fields, how it checks them, the action it
becomes) and opened through the :class:`~.form_host.FormHost`, docked over the
console so it never covers the room view. What was typed is kept as a draft
until the action it produces is saved.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, assert_never

from ...core import events as ev
from ...core.clock import local_date
from ...core.durations import format_duration, parse_date, parse_duration
from ...core.ids import new_id
from ...core.record_values import WIN_KINDS
from ..widgets.goals_review import STANDING_WORDS
from ..widgets.panel import FormName
from .form import Field, FormScreen, Validator, Values
from .form_host import FormHost

if TYPE_CHECKING:
    # The screen imports these forms: it is named here for mypy only.
    from .meeting import MeetingScreen


_TWO_HOURS = parse_duration("2h")
#: What a commitment's due date takes (said in the field: labels stay short, so a
#: form docked in a short console can put each label beside its field).
DUE_HINT = "empty: next meeting · YYYY-MM-DD or +2w"


class MeetingForms:
    """Builds and opens the meeting's forms; turns what was typed into actions."""

    def __init__(self, screen: MeetingScreen, host: FormHost) -> None:
        self.screen = screen
        self.host = host
        #: Unsaved form contents, by form: an accidental escape loses nothing.
        self.drafts: dict[str, Values] = {}

    def open_form(self, what: FormName, target: str | None = None) -> None:
        match what:
            case "ask":
                self._form_ask(target)
            case "commitment":
                self._form_commitment(target)
            case "note":
                self._form_note()
            case "win":
                self._form_win(target)
            case "renegotiate":
                self._form_renegotiate(target)
            case "outcome":
                self._form_outcome()
            case "extension":
                self._form_extension()
            case "next_date":
                self._form_next_date()
            case "role":
                self._form_role()
            case "requests":
                from .time_requests import TimeRequestsScreen

                self.host.open(TimeRequestsScreen(self.screen))
            case "goal_note":
                self._form_goal_note(target)
            case _:
                assert_never(what)

    def open_guest(self) -> None:
        """A guest joins this session (issue 24.3), from the attendance dialog's ``g``."""
        self._open(
            "guest",
            "Add a guest",
            [Field("name", "Guest's name", placeholder="one line")],
            lambda v: ev.GuestArrived(guest_id=new_id(), name=v["name"]),
            intro="This session only: speaks and is timed; no commitment, no role, "
            "never a member, and sent no private item.",
        )

    def _members(self, only_here: bool = False, committing: bool = False) -> list[tuple[str, str]]:
        """The members to choose from (those here only; or, for a commitment,
        no guest: nobody would review a guest's)."""
        meeting = self.screen.meeting
        members = meeting.setup.group.members
        ids = set(meeting.attended) if only_here else {m.id for m in members}
        if committing:
            ids -= meeting.setup.guest_ids
        return [(m.name, m.id) for m in members if m.id in ids]

    def _default_member(self, target: str | None = None, committing: bool = False) -> str | None:
        meeting = self.screen.meeting
        found = target or meeting.speaker
        if not found and meeting.current_ask:
            found = meeting.asks[meeting.current_ask].member_id
        if committing and found in meeting.setup.guest_ids:
            return None
        return found or None

    def _open(
        self,
        key: str,
        title: str,
        fields: list[Field],
        make_action: Callable[[Values], ev.Action],
        *,
        intro: str = "",
        validate: Validator | None = None,
    ) -> None:
        def submitted(values: Values | None) -> None:
            if values is None:
                return
            try:
                action = make_action(values)
            except ValueError as error:
                self.screen.peersession.report(error)
                return
            if self.screen.act(action):
                self.drafts.pop(key, None)

        self.host.open(
            FormScreen(
                title, fields, drafts=self.drafts, draft_key=key, intro=intro, validate=validate
            ),
            submitted,
        )

    def _form_ask(self, target: str | None) -> None:
        template_ = self.screen.meeting.setup.template
        default = format_duration(template_.ask_default_minutes * 60)

        def check(values: Values) -> str | None:
            if not values["member"]:
                return "Who is asking?"
            try:
                parse_duration(values["wanted"] or default, maximum=_TWO_HOURS)
            except ValueError as error:
                return str(error)
            return None

        self._open(
            "ask",
            "Add an ask",
            [
                Field(
                    "member", "Who asks", "choice", self._default_member(target), self._members()
                ),
                Field("text", "What do you need help with?", placeholder="one line"),
                Field("wanted", "Time wanted", value=default, placeholder="10m"),
                Field("private", "Private (stays in the room)", "check", False),
            ],
            lambda v: ev.AskAdded(
                ask_id=new_id(),
                member_id=v["member"],
                text=v["text"],
                wanted_seconds=parse_duration(
                    v["wanted"] or default, maximum=_TWO_HOURS
                ).total_seconds(),
                private=v["private"],
            ),
            validate=check,
        )

    def _check_due(self, values: Values, key: str = "due") -> str | None:
        if values.get(key):
            try:
                parse_date(values[key], today=local_date(self.screen.now()))
            except ValueError as error:
                return str(error)
        return None

    def _due(self, text: str | None) -> str | None:
        if not text:
            return None
        return parse_date(text, today=local_date(self.screen.now())).isoformat()

    def _form_commitment(self, target: str | None) -> None:
        if target is not None:
            # "Add for them" names the member: it wins over a member left in a draft.
            self.drafts.get("commitment", {}).pop("owner", None)

        setup = self.screen.meeting.setup

        def check(values: Values) -> str | None:
            if not values["owner"]:
                return "Whose commitment is it?"
            goal = values.get("goal")
            if goal and all(g.goal_id != goal for g in setup.goals_of(values["owner"])):
                return "That goal is another member's: pick one of theirs, or no goal."
            return self._check_due(values)

        fields = [
            Field(
                "owner",
                "Who commits",
                "choice",
                self._default_member(target, committing=True),
                self._members(committing=True),
            ),
            Field("text", "I will ...", placeholder="one concrete thing, by next time"),
            Field("due", "Due", value="", placeholder=DUE_HINT),
        ]
        if setup.goals:
            # Only when someone has an active goal: the form stays as short as it was.
            fields.append(Field("goal", "Serves goal", "choice", "", self._goal_options()))
        fields.append(Field("private", "Private (stays in the room)", "check", False))
        self._open(
            "commitment",
            "Add a commitment",
            fields,
            lambda v: ev.CommitmentAdded(
                commitment_id=new_id(),
                owner=v["owner"],
                text=v["text"],
                due=self._due(v["due"]),
                private=v["private"],
                goal_id=v.get("goal") or None,
            ),
            validate=check,
        )

    def _goal_options(self) -> list[tuple[str, str]]:
        """``no goal``, then each active goal as ``Member: title``, by member."""
        meeting = self.screen.meeting
        name = meeting.setup.group.name_of
        goals = sorted(meeting.setup.goals, key=lambda g: name(g.owner).casefold())
        return [("no goal", ""), *((f"{name(g.owner)}: {g.title}", g.goal_id) for g in goals)]

    def _form_note(self) -> None:
        # Where the note goes is the engine's answer, the one its rule files it by.
        where = self.screen.meeting.note_target().where
        self._open(
            "note",
            "Take a note",
            [
                Field("text", "Note", placeholder="what was said or decided"),
                Field("private", "Private (stays in the room)", "check", False),
            ],
            lambda v: ev.NoteAdded(note_id=new_id(), text=v["text"], private=v["private"]),
            intro=where,
        )

    def _form_win(self, target: str | None) -> None:
        self._open(
            "win",
            "Log a win",
            [
                Field(
                    "member", "Whose win", "choice", self._default_member(target), self._members()
                ),
                Field("kind", "Kind", "choice", "other", [(k, k) for k in WIN_KINDS]),
                Field("text", "What happened", placeholder="one line to celebrate"),
                Field("private", "Private (stays in the room)", "check", False),
            ],
            lambda v: ev.WinAdded(
                win_id=new_id(),
                member_id=v["member"],
                kind=v["kind"] or "other",
                text=v["text"],
                private=v["private"],
            ),
            validate=lambda v: None if v["member"] else "Whose win is it?",
        )

    def _form_renegotiate(self, target: str | None) -> None:
        if target is None:
            return
        item = self.screen.meeting.review_item(target)
        self._open(
            f"renegotiate-{target}",
            "Renegotiate a commitment",
            [
                Field("text", "New text", value=item.text, placeholder="empty: unchanged"),
                Field(
                    "due",
                    "New due date",
                    value="",
                    placeholder="empty: unchanged · YYYY-MM-DD or +3w",
                ),
            ],
            lambda v: ev.ReviewMarked(
                commitment_id=target,
                status="renegotiated",
                text=v["text"] if v["text"].strip() != item.text else None,
                due=self._due(v["due"]),
            ),
            intro=f"{self.screen.meeting.name(item.owner)}: {item.text}",
            validate=self._check_due,
        )

    def _form_goal_note(self, target: str | None) -> None:
        meeting = self.screen.meeting
        goal = next((g for g in meeting.goals_to_review() if g.goal_id == target), None)
        if goal is None:
            return
        said = meeting.goal_reviews.get(goal.goal_id)
        self._open(
            f"goal-{goal.goal_id}",
            "Where the goal stands",
            [
                Field(
                    "status",
                    "Stands",
                    "choice",
                    # Not given yet: the cursor starts here (typing picks it).
                    said.status if said else None,
                    [(word.lower(), status) for status, word in STANDING_WORDS.items()],
                ),
                Field(
                    "note", "Note", value=(said.note or "") if said else "", placeholder="optional"
                ),
            ],
            lambda v: ev.GoalReviewed(
                goal_id=goal.goal_id, status=v["status"], note=v["note"].strip() or None
            ),
            intro=f"{meeting.name(goal.owner)}: {goal.title}",
            validate=lambda v: None if v["status"] else "Where does the goal stand?",
        )

    def _form_outcome(self) -> None:
        meeting = self.screen.meeting
        if meeting.current_ask is None:
            self.screen.notice("No ask is in the hot seat.")
            return
        ask = meeting.asks[meeting.current_ask]
        helpers = [(n, i) for n, i in self._members(only_here=True) if i != ask.member_id]
        guest = ask.member_id in meeting.setup.guest_ids
        fields = [Field("helpers", "Who offered help", "multi", [], helpers)]
        if not guest:
            # A guest's "I will ..." would be a commitment nobody reviews: not asked.
            fields = [
                Field("outcome", "I will ...", placeholder="becomes their commitment; empty: none"),
                *fields,
                Field("due", "Due", value="", placeholder=DUE_HINT),
            ]
        goals = meeting.setup.goals_of(ask.member_id)
        if goals:
            # Only the asker's own goals: the outcome becomes their commitment.
            options = [("no goal", ""), *((g.title, g.goal_id) for g in goals)]
            fields.append(Field("goal", "Serves goal", "choice", "", options))
        fields.append(Field("private", "Private (stays in the room)", "check", ask.private))

        def check(values: Values) -> str | None:
            if values.get("goal") and not values["outcome"].strip():
                return "A goal is served by an outcome: write what they will do, or no goal."
            return self._check_due(values) if not guest else None

        self._open(
            f"outcome-{ask.id}",
            "Finish the ask",
            fields,
            lambda v: ev.AskEnded(
                outcome=v.get("outcome") or None,
                commitment_id=new_id() if v.get("outcome", "").strip() else None,
                due=self._due(v.get("due")),
                helpers=tuple(v["helpers"]),
                private=v["private"],
                goal_id=v.get("goal") or None,
            ),
            intro=f"{meeting.name(ask.member_id)}: {ask.text}",
            validate=check,
        )

    def _form_extension(self) -> None:
        meeting = self.screen.meeting
        # Say when a vote can be taken before anyone types the votes.
        refusal = meeting.extension_refusal(self.screen.now())
        if refusal:
            self.screen.notice(refusal[0].upper() + refusal[1:] + ".", severity="warning")
            return
        voters = str(len(meeting.here))

        def check(values: Values) -> str | None:
            for key in ("votes_for", "voters"):
                if not values[key].strip().isdigit():
                    return "Type the counts as whole numbers."
            return None

        self._open(
            "extension",
            "Vote to extend",
            [
                Field("votes_for", "Thumbs up", value="", placeholder="how many want more time"),
                Field("voters", "Voting", value=voters),
            ],
            lambda v: ev.ExtensionVoted(votes_for=int(v["votes_for"]), voters=int(v["voters"])),
            intro="A majority extends the timebox; each extension is shorter than the last.",
            validate=check,
        )

    def _form_next_date(self) -> None:
        self._open(
            "next_date",
            "Next meeting",
            [
                Field(
                    "date",
                    "Date",
                    value=self.screen.meeting.next_meeting or "",
                    placeholder="YYYY-MM-DD or +3w",
                )
            ],
            lambda v: ev.NextMeetingSet(date=self._due(v["date"]) or ""),
            validate=lambda v: (
                self._check_due(v, "date") or (None if v["date"] else "A date, please.")
            ),
        )

    def _form_role(self) -> None:
        meeting = self.screen.meeting
        if not meeting.roles:
            self.screen.notice("This session has no roles.")
            return
        first = next(iter(meeting.roles))
        # A new choice each time: what was picked last is on the screen already.
        self.drafts.pop("role", None)
        self._open(
            "role",
            "Give a role",
            [
                Field("role", "Role", "choice", first, [(r, r) for r in meeting.roles]),
                Field("member", "To", "choice", meeting.roles[first], self._members()),
            ],
            lambda v: ev.RoleGiven(role=v["role"], member_id=v["member"]),
            intro="This session only. If they hold another role, the two swap.",
            validate=lambda v: None if v["role"] and v["member"] else "Pick a role and a member.",
        )
