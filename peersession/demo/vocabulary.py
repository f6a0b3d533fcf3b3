"""The words of the demo: members' names, group names, and what people say.

Templates hold ``{fields}`` filled from ``VOCAB`` (``state.Subs``) so the same
few hundred lines make years of different-looking sessions. The hostile name
and the search word are here so tests can find what every demo contains.
"""

from __future__ import annotations

from ..core.record_values import WinKind

#: A real name that is hostile to markup: brackets and an apostrophe.
HOSTILE_NAME = "Zoë [Dr.] O'Neil"
#: A word that appears once, in an ask three sessions ago, for search tests.
SEARCH_WORD = "sabbatical"

NAMES: tuple[str, ...] = (
    "Priya Raghunathan",
    "Mei-Ling Chen",
    "Kwame Mensah",
    "Siobhán Ní Bhriain",
    "José Álvarez-García",
    "Fatima Al-Sayed",
    "Hannah Schmidt",
    "Ngozi Okafor",
    "Björn Lindqvist",
    "Ana (Annie) D'Souza",
    "Rachel Goldberg",
    "Tomás Ortega",
    "Aiko Tanaka",
    "Leilani Kahananui",
    "Dmitri Volkov",
    "Amara Nwosu",
    "Sofía Castillo",
    "Grace Kim",
    "Olusegun Adeyemi",
    "Claire Dubois",
    "Nadia Haddad",
    "Elif Y\u0131lmaz",
    "Marcus Bell",
    "Ingrid Halvorsen",
    "Rohan Mehta",
    "Teresa Lucero",
    "Yusuf Demir",
)

GROUP_NAMES: tuple[str, ...] = (
    "Thursday Circle",
    "Women in Academic Medicine",
    "Early-Career Faculty",
    "Writing Accountability",
    "K Awardees",
    "Clinician Educators",
    "Junior PIs",
    "Mid-Career Leaders",
    "Tuesday Peer Group",
    "Grant Writers' Table",
)

WEEKDAYS = ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday")

# -- vocabulary ---------------------------------------------------------------------

VOCAB: dict[str, tuple[str, ...]] = {
    "grant": (
        "R01 resubmission",
        "K23 application",
        "foundation grant",
        "NSF CAREER proposal",
        "pilot grant",
        "R21 [resubmission]",
        "AHA career award",
        "VA merit award",
    ),
    "paper": (
        "the cohort paper",
        "the review article",
        "the methods paper",
        "the qualitative study write-up",
        "the case series",
        "the trial protocol paper",
        "the secondary analysis",
        "the perspective piece",
    ),
    "doc": (
        "promotion packet",
        "teaching portfolio",
        "tenure dossier",
        "mentoring plan",
        "personal statement",
        "biosketch",
        "IRB amendment",
        "lab budget",
    ),
    "conference": (
        "ADA Scientific Sessions",
        "PAS",
        "AcademyHealth",
        "the regional SGIM meeting",
        "the society's annual meeting",
    ),
    "award": (
        "early-career investigator award",
        "teaching excellence award",
        "mentoring award",
        "dean's innovation prize",
    ),
    "month": ("January", "March", "May", "August", "September", "November"),
    "project": ("the registry", "the pilot trial", "the biobank study", "the curriculum redesign"),
    "amount": ("$25k", "$50k", "$150k", "$1.2M"),
}

ASKS: tuple[tuple[str, tuple[str, ...]], ...] = (
    (
        "How do I negotiate protected research time with my chair?",
        (
            "I will ask the chair for 20% protected time, in writing",
            "I will bring a one-page proposal for protected time to my annual review",
        ),
    ),
    (
        "Should I take the associate program director role or protect my writing time?",
        (
            "I will ask for the role description and the salary support before deciding",
            "I will say no for now and revisit once {paper} is submitted",
        ),
    ),
    (
        "Reviewer 2 says [sic] the aims are 'overambitious' on the {grant}: rewrite or push back?",
        (
            "I will cut aim 3 and send the new aims page to {helper}",
            "I will draft a two-line rebuttal and run it past my K mentor",
        ),
    ),
    (
        "How do I say no to a third committee without hurting my promotion case?",
        (
            "I will decline the curriculum committee using the script we drafted",
            "I will ask the division chief which service counts for promotion",
        ),
    ),
    (
        "Feedback on the narrative section of my {doc}",
        (
            "I will rewrite the narrative around three themes and share it with {helper}",
            "I will send the {doc} to {helper} for a line edit",
        ),
    ),
    (
        "My co-author has sat on {paper} for four months. How do I move it forward?",
        (
            "I will set a two-week deadline and offer to take over the discussion",
            "I will call my co-author instead of emailing again",
        ),
    ),
    (
        "Two new RAs start next month: how do I run a first lab meeting?",
        (
            "I will write down lab expectations and share them at the first meeting",
            "I will borrow {helper}'s onboarding checklist",
        ),
    ),
    (
        "Is it worth applying for the {award} this cycle?",
        (
            "I will ask last year's winner for their application",
            "I will draft the nomination letter myself and send it to my sponsor",
        ),
    ),
    (
        "How do I handle a mentee who keeps missing deadlines?",
        (
            "I will set up fortnightly check-ins with written goals for my mentee",
            "I will have the direct conversation with my mentee this week",
        ),
    ),
    (
        "Budget cut by {amount} [again]: what do I drop from {project}?",
        (
            "I will rank the aims of {project} and cut the lowest one",
            "I will ask the program officer about a no-cost extension",
        ),
    ),
    (
        "Clinical service is eating my writing days: what works for you?",
        (
            "I will block Wednesday mornings for writing and decline meetings then",
            "I will ask the scheduler to cluster my clinics on two days",
        ),
    ),
    (
        "A counter-offer from another school came in: how do I negotiate a retention package?",
        (
            "I will list my three non-negotiables before talking to the dean",
            "I will ask {helper} to role-play the retention meeting with me",
        ),
    ),
)

SABBATICAL_ASK = (
    "I'm thinking about a sabbatical next year: how do I plan it so it counts for promotion?",
    (
        "I will ask faculty affairs for the leave policy and two past proposals",
        "I will draft a one-page plan for the leave year and share it with {helper}",
    ),
)

COMMITMENTS: tuple[str, ...] = (
    "Draft the specific aims page for the {grant}",
    "Send {paper} to co-authors for comments",
    "Block two writing mornings a week for {paper}",
    "Ask {peer} for feedback on my {doc}",
    "Email the chair about protected time",
    "Submit the abstract to {conference}",
    "Finish the response to reviewers on {paper}",
    "Update my CV and {doc}",
    "Say no to one new committee request",
    "Schedule a meeting with my sponsor about my {doc}",
    "Write 500 words a day on {paper}",
    "Read two funded {grant} applications",
    "Set up the data sharing agreement for {project}",
    "Take a full weekend off",
    "Meet my mentee about their {doc}",
    "Book the statistician for {project}",
    "Outline the discussion section of {paper}",
    "Ask the program officer about the {grant}",
)

TURN_NOTES: tuple[str, ...] = (
    "Submitted the {grant}; waiting on the score",
    "Stuck on the discussion of {paper}",
    "New RA starts in {month}",
    "Clinic schedule changes in {month}",
    "Three deadlines this month: feeling stretched",
    "Good feedback on the {doc} from the division chief",
    "Data for {project} finally cleaned",
    "Invited to review for a journal [first time]",
    "Teaching load doubled next term",
    "{paper}: revise & resubmit",
)

PRIVATE_NOTES: tuple[str, ...] = (
    "Considering leaving the department; keep this in the room",
    "Family health issue: may miss the next session",
    "Authorship conflict with a senior colleague",
    "Burned out; taking a week off",
    "Interviewing elsewhere",
)

# Notes taken in an ask, by its part. A live session records the part with the
# note and the recap labels it (Question, Advice), so the texts carry no label
# of their own. The two lists are the same length, so the seeded history draws
# the same numbers whichever part a note falls in.
QUESTION_NOTES: tuple[str, ...] = (
    "what does the chair actually control here?",
    "is there a deadline on the decision?",
    "who else has to sign off on it?",
    "what did your mentor say?",
    "how many hours a week would it really take?",
    "{helper} asked what happens if you say no",
    "has anyone in the division done it before?",
)
ADVICE_NOTES: tuple[str, ...] = (
    "get it in writing",
    "use the faculty affairs template",
    "ask what success looks like in a year",
    "{helper} offered to read a draft",
    "protect the writing time first, then say yes",
    "talk to the chair before the deadline, not after",
    "say no to one thing first",
)

WINS: dict[WinKind, tuple[str, ...]] = {
    "promotion": (
        "Promoted to associate professor",
        "Promoted to full professor",
        "Named associate program director",
    ),
    "grant": (
        "{grant} funded!",
        "Pilot grant awarded ({amount})",
        "Fundable score on the {grant}",
    ),
    "publication": (
        "{paper} accepted",
        "First senior-author paper out",
        "Invited commentary published",
        "{paper} is online first",
    ),
    "award": (
        "Won the {award}",
        "Best abstract at {conference}",
        "Residents' teaching award",
    ),
    "personal": (
        "Ran a half marathon",
        "Took a real vacation: no email!",
        "Kid started kindergarten",
        "Moved into the new house",
    ),
    "other": (
        "Invited to a study section as an early-career reviewer",
        "Keynote invitation at {conference}",
        "Mentee matched into fellowship",
        "Said no to a committee and felt fine",
    ),
}

PRIVATE_WINS: tuple[str, ...] = (
    "Finally got a diagnosis sorted out",
    "Negotiated a raise",
    "Got through a hard conversation with my chair",
)

WIN_CUMULATIVE: tuple[float, ...] = (0.05, 0.25, 0.55, 0.65, 0.88, 1.0)

RENEGOTIATED: tuple[str, ...] = (
    "First step only: {text}",
    "{text} (scaled back)",
    "{text}, with help from the group",
)

REVIEW_NOTES: tuple[str, ...] = (
    "Reviewer comments took priority",
    "Out sick for a week",
    "Halfway there",
    "Chair postponed the meeting",
    "Clinical weeks got in the way",
    "Waiting on co-authors",
)

SESSION_NOTES: tuple[str, ...] = (
    "Agreed to try the quick template over the holidays",
    "Next host: {peer}",
    "Room booked through {month}",
    "Reminder: everything stays in confidence",
    "Talked about inviting a new member in {month}",
)

CHECKIN_NOTES: tuple[str, ...] = (
    "Quick update before the next session",
    "Made progress on the draft",
    "Travel week, not much done",
    "On track",
    "Grant deadline ate my week",
)
