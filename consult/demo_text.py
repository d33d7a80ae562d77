"""Phrase banks for the synthetic demo responses. Everything here is invented."""

from __future__ import annotations

# Reasons partners give, by stance, for each agreement question (keyed by a short name).
WHY = {
    "funding": {
        "for": [
            "A single settlement lets us plan transport and housing together instead of bidding "
            "for small pots every year.",
            "Multi-year funding would give councils the certainty to commit to long projects.",
            "Fewer competitive bids means less money wasted on consultants writing applications.",
            "Local control means decisions are made by people who know the region.",
        ],
        "against": [
            "The settlement is still too small for the scale of need across the region.",
            "Too many conditions remain attached, so it is not real control over funding.",
            "Non-constituent authorities risk being left out of decisions about the money.",
            "Accountability to residents is unclear when so much is decided at regional level.",
        ],
        "mixed": [
            "The principle is right but the amount is too small and the rules too tight.",
            "We support more control, but smaller councils need a fair share of the settlement.",
        ],
    },
    "business_council": {
        "for": [
            "Businesses create the jobs, so the Regional Business Council should shape spending.",
            "A formal role would give chambers and employers a real voice in investment decisions.",
            "Employers know where the skills gaps are and can target the money well.",
        ],
        "against": [
            "Spending decisions must stay with elected members, not unelected business leaders.",
            "Large firms would dominate and small businesses would not be heard.",
            "The voluntary and community sector also needs a seat, not only business.",
        ],
        "mixed": [
            "An advisory role is sensible, but final decisions should rest with elected leaders.",
        ],
    },
    "adult_skills": {
        "for": [
            "Full devolution of the adult skills budget lets colleges respond to local employers.",
            "Courses could be matched to local jobs in construction, digital and green skills.",
            "Learners would get more flexible part-time courses that fit around work.",
        ],
        "against": [
            "Colleges need stable national funding rules; devolution adds another layer of "
            "bureaucracy.",
            "Funding could be spread too thinly across the region.",
        ],
        "mixed": [
            "Devolve it, but protect funding for English, maths and basic digital skills.",
        ],
    },
}

OPEN = {
    "government": [
        "Set up a joint board with constituent and non-constituent councils that meets "
        "every quarter.",
        "Share data between councils, the police and health partners so services join up.",
        "MPs should be briefed regularly so they can press government on the region's priorities.",
        "Agree one plan for transport and housing growth rather than separate plans per council.",
        "Give non-constituent authorities a proper vote on matters that affect their residents.",
        "Work with the Department for Work and Pensions on employment support for young people.",
        "Bus services are unreliable and should be brought under public control across the region.",
    ],
    "opportunities": [
        "Invest in advanced manufacturing and electric vehicle supply chains around Coventry.",
        "Help small firms with energy costs and retrofitting so they can cut their bills.",
        "Improve rail and bus links so staff can get to industrial estates without a car.",
        "Back the creative and digital sector in Birmingham with grants and workspace.",
        "Simplify access to finance for start-ups and small businesses.",
        "Use public procurement to buy from local small businesses and social enterprises.",
        "Support exporters to find new markets after the loss of European customers.",
    ],
    "innovators": [
        "Universities should open their labs to schools so pupils see science as a career.",
        "Create more degree apprenticeships with local employers in engineering and digital.",
        "Colleges and universities should share a single careers service for young people.",
        "Fund teacher placements in industry so lessons reflect real jobs.",
        "Give schools money for STEM clubs and robotics competitions in disadvantaged areas.",
        "Make it easier for adults to return to learning with free part-time courses.",
        "Research funding should reach the region's universities, not only London and "
        "the South East.",
    ],
    "anything_else": [
        "Please keep partners informed about how responses are used.",
        "The timetable for the consultation was too short for our board to meet.",
        "Net zero must run through every part of the deal, not be an add-on.",
        "Housing affordability is the biggest issue for our staff and should be a priority.",
        "Thank you for the chance to respond.",
        "n/a",
        "No further comments.",
    ],
}

# A copy-paste campaign some chamber members sent word for word.
CAMPAIGN = (
    "As members of the Black Country Chamber we ask that the Regional Business Council is given "
    "a formal role in deciding how deal funding is spent, and that small firms get help with "
    "energy costs and business rates."
)

NAME_PARTS = {
    "business": (
        [
            "Midland",
            "Forge",
            "Brindley",
            "Canal",
            "Tame",
            "Arden",
            "Sutton",
            "Lickey",
            "Severn",
            "Rowley",
            "Clent",
            "Wrekin",
            "Stour",
            "Lye",
            "Bourn",
        ],
        [
            "Engineering",
            "Logistics",
            "Digital",
            "Foods",
            "Precision Castings",
            "Creative",
            "Build",
            "Care",
            "Motors",
            "Robotics",
            "Print",
            "Energy",
        ],
        ["Ltd", "Ltd", "plc", "LLP", "Ltd"],
    ),
}

ORG_SUFFIXES = {
    "business_body": ["Chamber of Commerce", "Manufacturers Forum", "Retail Association"],
    "fe_college": ["College", "Technical College", "Further Education College"],
    "school": ["Academy", "High School", "Sixth Form College"],
    "university": ["Metropolitan University", "City University"],
    "public_body": ["Integrated Care Board", "Fire Service", "Police", "Housing Agency"],
    "vcse": ["Community Trust", "Youth Network", "Food Bank", "Social Enterprise Hub"],
}

OPENERS = [
    "We think ",
    "In our view, ",
    "Our members feel that ",
    "Overall, ",
    "Put simply, ",
    "From our experience, ",
    "Honestly, ",
    "As a partner, we believe ",
]
CLOSERS = [
    "",
    " for our members",
    " in our area",
    " across the Black Country",
    " over the next five years",
    " for young people in particular",
    " as a priority",
    " if the deal is to succeed",
    " for organisations like ours",
    " in Coventry",
    " in Birmingham and Solihull",
    " in Walsall",
    " for rural parts of the region",
]
