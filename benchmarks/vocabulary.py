"""What the benchmark's groups say: names, and templates filled from a few word lists.

The texts only need to look like a peer-mentoring group's (lengths, a mix of
common and rare words, markup characters in names and notes) so that files,
search indexes and screens are the size and shape people's are. ``grant``
is common on purpose (the many-hit search); :data:`ONE_HIT_WORD` appears in
no template, so the one note that carries it is its only hit.
"""

from __future__ import annotations

#: A word no template holds: planted once, in one note of one big group.
ONE_HIT_WORD = "quokka"
#: The note that carries it; its tail is what the search's results must show.
ONE_HIT_NOTE = "Outreach day: the quokka exhibit drew three new mentees"
ONE_HIT_SHOWN = "drew three new mentees"
#: In about 1 text in 25 (as in the demo's groups): hundreds of hits in a big group.
MANY_HIT_WORD = "grant"

MEMBER_NAMES: tuple[str, ...] = (
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
    "Elif Yılmaz",
    "Marcus Bell",
    "Ingrid Halvorsen",
    "Rohan Mehta",
    "Teresa Lucero",
    "Yusuf Demir",
    "Zoë [Dr.] O'Neil",
)

#: Group names are "<first> <second>": 10 x 10 distinct names, none inside another.
NAME_FIRST = (
    "Amber",
    "Birch",
    "Cedar",
    "Delta",
    "Ember",
    "Fjord",
    "Granite",
    "Harbor",
    "Indigo",
    "Juniper",
)
NAME_SECOND = (
    "Circle",
    "Table",
    "Round",
    "Forum",
    "Cohort",
    "Council",
    "Society",
    "Guild",
    "Collective",
    "Exchange",
)

WORDS: dict[str, tuple[str, ...]] = {
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
        "the book chapter",
        "the editorial",
    ),
    "duty": (
        "the curriculum committee",
        "clinic scheduling",
        "the promotions dossier",
        "residency interviews",
        "the search committee",
        "teaching rounds",
        "the IRB amendment",
        "the departmental retreat",
    ),
    "month": ("January", "March", "May", "June", "September", "October", "November"),
    "who": ("my chair", "my division chief", "a senior colleague", "my co-PI", "the dean"),
}

NOTES: tuple[str, ...] = (
    "Submitted the {grant}; waiting on the score",
    "{paper}: revise & resubmit",
    "Three deadlines this month: feeling stretched",
    "Clinic schedule changes in {month}",
    "Talked to {who} about protected time",
    "{duty} is eating Fridays",
    "Data for {paper} finally cleaned",
    "New RA starts in {month}",
    "Reviewer 2 wants a whole new analysis of {paper}",
    "Advice: get it in writing (50% effort, not 100%)",
    "Advice: ask {who} for a sponsor, not a mentor",
    "Drafted the specific aims for the {grant}",
    "Said no to {duty} for the first time",
)

ASKS: tuple[str, ...] = (
    "How do I say no to {duty} without hurting my promotion case?",
    "Reviewer 2 says [sic] the aims are 'overambitious' on the {grant}: rewrite or push back?",
    "Should I move {paper} to a lower-impact journal to get it out?",
    "How do I ask {who} for protected writing time?",
    "Two new RAs start in {month}: how do I run a first lab meeting?",
    "How do I handle a mentee who keeps missing deadlines?",
    "Is the {grant} worth a third submission?",
)

OUTCOMES: tuple[str, ...] = (
    "I will draft a reply to the reviewers and share it by email",
    "I will block two mornings a week for writing",
    "I will ask {who} for a 30-minute meeting about {duty}",
    "I will send {paper} to the second journal on the list",
)

COMMITMENTS: tuple[str, ...] = (
    "Send the aims page of the {grant} to two readers",
    "Write 500 words of {paper} every weekday",
    "Say no to one new request for {duty}",
    "Book the meeting with {who}",
    "Finish the figures for {paper}",
    "Read two funded {grant} applications",
    "Draft the teaching statement",
    "Update the CV and the promotions dossier",
)

REVIEW_NOTES: tuple[str, ...] = (
    "Reviewer comments took priority",
    "Out sick for a week",
    "Half done; the rest next time",
    "{duty} took the whole week",
)

WINS: dict[str, tuple[str, ...]] = {
    "promotion": ("Promoted to associate professor!", "Made division director"),
    "grant": ("{grant} funded!", "Fundable score on the {grant}"),
    "publication": ("{paper} accepted", "{paper} out online"),
    "award": ("Teaching award from the residents", "Early-career award"),
    "personal": ("Took a real vacation", "Ran the half marathon"),
    "other": ("Invited talk at the national meeting", "Joined a study section"),
}

CHECKIN_NOTES: tuple[str, ...] = (
    "Grant deadline ate my week",
    "On track",
    "Made progress on the draft",
    "Behind, but catching up",
)

RULES: tuple[str, ...] = (
    "Consistency in meeting",
    "Everything stays in confidence",
    "Accountability",
)
