"""Phrase banks for the synthetic demo responses. Everything here is invented."""

from __future__ import annotations

# Reasons partners give, by stance, for each agreement question (keyed by a short name). Each
# point is a tuple of phrasings: the first is the commonest, the others make the same point with
# another reason or detail, as different partners would.
WHY = {
    "funding": {
        "for": [
            (
                "A single settlement lets us plan transport and housing together instead of "
                "bidding for small pots every year.",
                "With one pot of money we can join up transport, housing and regeneration "
                "schemes instead of running them separately.",
                "Pooling the funding streams into one settlement ends the juggling of dozens of "
                "separate grants with different rules.",
            ),
            (
                "Multi-year funding would give councils the certainty to commit to long projects.",
                "Knowing our budget five years ahead means we can keep skilled staff instead of "
                "offering short contracts.",
                "Annual funding rounds stop us signing long contracts with builders and "
                "operators; a multi-year settlement fixes that.",
            ),
            (
                "Fewer competitive bids means less money wasted on consultants writing "
                "applications.",
                "Our officers spend months each year writing bids to Whitehall; that time should "
                "go on delivery.",
                "Bidding competitions reward the councils with the biggest bid teams, not the "
                "best projects.",
            ),
            (
                "Local control means decisions are made by people who know the region.",
                "Priorities set in the West Midlands will fit our places better than ones set "
                "in London.",
                "Leaders who live here can see which neighbourhoods need investment most.",
            ),
        ],
        "against": [
            (
                "The settlement is still too small for the scale of need across the region.",
                "Once inflation is counted, the money is less than the grants it replaces.",
                "The sums on offer will not even repair the roads.",
            ),
            (
                "Too many conditions remain attached, so it is not real control over funding.",
                "Government still signs off every programme, so the ring-fences have only been "
                "renamed.",
                "Reporting rules and outcome targets set nationally leave little room to decide "
                "locally.",
            ),
            (
                "Non-constituent authorities risk being left out of decisions about the money.",
                "Councils outside the seven constituent members have no vote on how the "
                "settlement is spent.",
                "Shire districts could pay in but see little of the investment.",
            ),
            (
                "Accountability to residents is unclear when so much is decided at regional level.",
                "Residents will not know whether to blame their council or the mayor when "
                "things go wrong.",
                "Scrutiny committees need more power to question how the combined authority "
                "spends the money.",
            ),
        ],
        "mixed": [
            (
                "The principle is right but the amount is too small and the rules too tight.",
                "We welcome the direction, but the first years' allocation will not cover "
                "existing commitments.",
            ),
            (
                "We support more control, but smaller councils need a fair share of the "
                "settlement.",
                "Control is welcome if the funding formula protects the smaller boroughs.",
            ),
        ],
    },
    "business_council": {
        "for": [
            (
                "Businesses create the jobs, so the Regional Business Council should shape "
                "spending.",
                "Firms that pay business rates should have a say in how the growth money is "
                "invested.",
                "Private investors will follow if business helps choose the projects.",
            ),
            (
                "A formal role would give chambers and employers a real voice in investment "
                "decisions.",
                "Chambers already gather members' views; a formal seat would make sure they are "
                "heard.",
                "Advisory panels are too often ignored; a formal role would make employers' "
                "advice count.",
            ),
            (
                "Employers know where the skills gaps are and can target the money well.",
                "Manufacturers can tell you which technician roles they cannot fill today.",
                "Business leaders see shortages in welding, coding and care before the official "
                "statistics do.",
            ),
        ],
        "against": [
            (
                "Spending decisions must stay with elected members, not unelected business "
                "leaders.",
                "Public money should be decided by people voters can remove at the ballot box.",
                "Giving a business board a formal vote blurs who is accountable for public "
                "spending.",
            ),
            (
                "Large firms would dominate and small businesses would not be heard.",
                "Only big employers have time to sit on boards, not sole traders.",
                "Seats would go to the largest companies, whose interests differ from the "
                "high-street firm's.",
            ),
            (
                "The voluntary and community sector also needs a seat, not only business.",
                "Charities and social enterprises deliver many of the services this money pays "
                "for and should be at the table.",
                "Trade unions and community groups should sit beside employers on any such board.",
            ),
        ],
        "mixed": [
            (
                "An advisory role is sensible, but final decisions should rest with elected "
                "leaders.",
                "Business should be consulted on every major scheme, but the vote should stay "
                "with the combined authority board.",
            ),
        ],
    },
    "adult_skills": {
        "for": [
            (
                "Full devolution of the adult skills budget lets colleges respond to local "
                "employers.",
                "Colleges could change courses within months when a new employer opens, not "
                "wait for national rules.",
                "Devolving the whole budget ends the split between nationally and locally "
                "funded courses.",
            ),
            (
                "Courses could be matched to local jobs in construction, digital and green skills.",
                "Retrofit, heat pump and solar courses are needed here but are poorly funded.",
                "We could fund short courses in cyber security and data for adults changing "
                "careers.",
            ),
            (
                "Learners would get more flexible part-time courses that fit around work.",
                "Evening and weekend classes would let parents and shift workers retrain.",
                "Learners could build up qualifications in short blocks instead of one full year.",
            ),
        ],
        "against": [
            (
                "Colleges need stable national funding rules; devolution adds another layer of "
                "bureaucracy.",
                "Another set of regional funding rules means more audits and paperwork for "
                "colleges.",
                "Colleges that recruit learners from several regions would face different rules "
                "on each side of the border.",
            ),
            (
                "Funding could be spread too thinly across the region.",
                "Dividing the budget among many small providers would leave none with enough to "
                "run specialist courses.",
                "Expensive engineering courses may lose out if money is spread evenly.",
            ),
        ],
        "mixed": [
            (
                "Devolve it, but protect funding for English, maths and basic digital skills.",
                "Devolution is fine as long as free English and maths courses stay.",
            ),
        ],
    },
}

# Suggestions partners give to each open question, as points with their phrasings (see WHY).
OPEN = {
    "government": [
        (
            "Set up a joint board with constituent and non-constituent councils that meets "
            "every quarter.",
            "A standing partnership board for every council in the region would stop "
            "decisions being made in silos.",
            "Council leaders across the region should meet the mayor each quarter to agree "
            "priorities.",
        ),
        (
            "Share data between councils, the police and health partners so services join up.",
            "One shared data platform would let partners spot families who need help early.",
            "Agree data-sharing rules once so every project does not have to negotiate its own.",
        ),
        (
            "MPs should be briefed regularly so they can press government on the region's "
            "priorities.",
            "Hold a cross-party meeting of the region's MPs every term.",
            "Give MPs a short briefing pack on the deal so they argue the same case in Parliament.",
        ),
        (
            "Agree one plan for transport and housing growth rather than separate plans per "
            "council.",
            "A single spatial plan would put new homes beside new tram and rail lines.",
            "Councils should stop competing for the same developers and agree together where "
            "growth goes.",
        ),
        (
            "Give non-constituent authorities a proper vote on matters that affect their "
            "residents.",
            "Neighbouring shire councils should have voting seats, not observer status.",
        ),
        (
            "Work with the Department for Work and Pensions on employment support for young "
            "people.",
            "Jobcentres and the combined authority should run one employment service for young "
            "people, not two.",
            "Put careers advisers and work coaches in one place so young people get help "
            "without being passed around.",
        ),
        (
            "Bus services are unreliable and should be brought under public control across "
            "the region.",
            "Franchising the buses would let the combined authority set fares, routes and "
            "timetables.",
            "Staff cannot rely on buses that often do not turn up.",
        ),
    ],
    "opportunities": [
        (
            "Invest in advanced manufacturing and electric vehicle supply chains around Coventry.",
            "The gigafactory should anchor a cluster of local battery and component suppliers.",
            "Help engineering firms switch from petrol engine parts to electric vehicle "
            "components.",
        ),
        (
            "Help small firms with energy costs and retrofitting so they can cut their bills.",
            "Grants for insulation, solar panels and heat pumps would cut running costs for "
            "workshops.",
            "Many small manufacturers cannot afford the up-front cost of energy efficiency "
            "upgrades.",
        ),
        (
            "Improve rail and bus links so staff can get to industrial estates without a car.",
            "Shift workers need buses that run early in the morning and late at night.",
            "Reopen local railway stations so employers can recruit from a wider area.",
        ),
        (
            "Back the creative and digital sector in Birmingham with grants and workspace.",
            "Affordable studio and office space would keep games and media start-ups in the "
            "region.",
            "Film and television production is growing here and needs studio space and skills.",
        ),
        (
            "Simplify access to finance for start-ups and small businesses.",
            "A regional investment fund should offer the small loans that banks will not.",
            "One front door for business support would stop firms being passed between schemes.",
        ),
        (
            "Use public procurement to buy from local small businesses and social enterprises.",
            "Split big public contracts into smaller lots that local firms can bid for.",
            "Councils and hospitals should buy more from suppliers based in the region.",
        ),
        (
            "Support exporters to find new markets after the loss of European customers.",
            "Trade missions and help with customs paperwork would get more small firms exporting.",
            "Firms that stopped selling to Europe need advice on rules of origin and new markets.",
        ),
    ],
    "innovators": [
        (
            "Universities should open their labs to schools so pupils see science as a career.",
            "Pupils who visit a working laboratory are more likely to choose science at A level.",
            "Invite school groups to university research days and hands-on workshops.",
        ),
        (
            "Create more degree apprenticeships with local employers in engineering and digital.",
            "Degree apprenticeships let young people earn a salary while they study for a degree.",
            "Employers, colleges and universities should design apprenticeship routes from "
            "level 3 to degree level together.",
        ),
        (
            "Colleges and universities should share a single careers service for young people.",
            "Careers advice should show every route, from apprenticeships to degrees, in one "
            "place.",
        ),
        (
            "Fund teacher placements in industry so lessons reflect real jobs.",
            "Teachers who spend a week in a local firm can bring real examples into lessons.",
        ),
        (
            "Give schools money for STEM clubs and robotics competitions in disadvantaged areas.",
            "After-school coding and robotics clubs spark interest where families cannot pay "
            "for them.",
        ),
        (
            "Make it easier for adults to return to learning with free part-time courses.",
            "Adults who left school early need a second chance at maths and digital skills.",
        ),
        (
            "Research funding should reach the region's universities, not only London and "
            "the South East.",
            "Too much research money goes to Oxford, Cambridge and London; the region's "
            "universities need a fair share.",
        ),
    ],
    "anything_else": [
        (
            "Please keep partners informed about how responses are used.",
            "Publish a summary of what partners said and what changed as a result.",
            "Tell us what happens next and when the final deal will be agreed.",
        ),
        (
            "The timetable for the consultation was too short for our board to meet.",
            "Six weeks over the summer holidays is not enough time for volunteers to respond.",
            "Small organisations needed more notice to gather their members' views.",
        ),
        (
            "Net zero must run through every part of the deal, not be an add-on.",
            "Every project funded by the deal should be tested against the region's carbon "
            "targets.",
            "Warm homes and clean transport should be counted as part of the climate plan.",
        ),
        (
            "Housing affordability is the biggest issue for our staff and should be a priority.",
            "Our key workers cannot afford to rent near where they work.",
            "Build more social housing so young people can stay in the region.",
        ),
        ("Thank you for the chance to respond.",),
        ("n/a",),
        ("No further comments.",),
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

# Answers that say nothing: written as they are, with no opener or closer.
PLAIN = {"Thank you for the chance to respond.", "n/a", "No further comments."}

# Suggestions start with a verb ("Set up a joint board ..."); these openers read well before one.
SUGGESTION_VERBS = {
    "agree",
    "back",
    "build",
    "create",
    "devolve",
    "fund",
    "give",
    "help",
    "hold",
    "improve",
    "invest",
    "invite",
    "make",
    "publish",
    "put",
    "reopen",
    "set",
    "share",
    "simplify",
    "split",
    "support",
    "tell",
    "use",
    "work",
}

# Openers, as partners frame what they say. Every one is an opener the theming reads past
# (analysis.statements.strip_openers), as it reads past real partners' openers. In them
# "{our}" is "Our members" or "Our staff" (by the kind of body), "{as_we}" "As a college, we"
# or "As a college in Walsall, we" (consult.demo_dress).
#
# The first sentence of an answer, a statement:
OPENERS = [
    "We think ",
    "In our view, ",
    "{our} feel that ",
    "Put simply, ",
    "In our experience, ",
    "We believe ",
    "{as_we} think ",
    "{as_we} believe ",
]
# ... a statement said alone (a summing up):
ALONE_OPENERS = ["Overall, "]
# ... a statement that starts with "We" ("We support more control, ...") or "Our":
WE_OPENERS = ["Put simply, ", "In short, "]
# A later sentence of the same answer, a statement:
LATER_OPENERS = ["We also think ", "Also, ", "{our} also feel that ", "We also believe "]
# A suggestion, first or later in the answer:
SUGGESTION_OPENERS = [
    "Above all, ",
    "We would ask the combined authority to ",
    "{our} would like the combined authority to ",
    "We would urge the combined authority to ",
]
LATER_SUGGESTION_OPENERS = [
    "We would also ask the combined authority to ",
    "Also, ",
    "We also ask you to ",
]

# Where a partner says where they are or what they are, woven in only where the sentence
# takes it (all else is left as it is). Sentences are named by how they start.
#
# Statements about local conditions, which may start "In Walsall, ..." (or "In our area,
# ..." from outside the seven boroughs):
PLACE_LEADS = (
    "Leaders who live here",
    "Residents will not know",
    "Employers know where",
    "Manufacturers can tell you",
    "Business leaders see shortages",
    "Charities and social enterprises deliver",
    "Colleges could change courses",
    "Courses could be matched",
    "Retrofit, heat pump",
    "Evening and weekend classes",
    "Learners would get more",
    "One shared data platform",
    "Jobcentres and the combined",
    "Bus services are unreliable",
    "Staff cannot rely",
    "Many small manufacturers",
    "Shift workers need buses",
    "Firms that stopped selling",
    "Adults who left school",
    "Housing affordability is",
    "Our key workers cannot",
)
# Statements of what something means for the partner, which may start "For a council like
# ours, ...", and the partners they fit (None: any):
LIKE_OURS_LEADS = {
    "Control is welcome if": {"local_authority_constituent", "local_authority_non_constituent"},
    "The timetable for the consultation": None,
    "Six weeks over the summer": {"vcse", "business_body", "school"},
    "Annual funding rounds": {"local_authority_constituent", "public_body"},
    "Fewer competitive bids": {
        "local_authority_constituent",
        "local_authority_non_constituent",
        "fe_college",
        "university",
        "public_body",
        "vcse",
    },
    "Knowing our budget": {
        "local_authority_constituent",
        "local_authority_non_constituent",
        "fe_college",
        "university",
        "public_body",
        "vcse",
    },
}
# Sentences whose last words take a qualifier after them, and the partners it fits (a type,
# or a type and size; None: any):
# "{in_place}" is "in Walsall" or "in our area", "{of_place}" "of Walsall" (one of the seven
# boroughs only).
TAILS = {
    "The sums on offer will not even repair the roads": (" {in_place}", None),
    "Simplify access to finance for start-ups and small businesses": (" {in_place}", None),
    "Grants for insulation, solar panels and heat pumps": (" like ours", {"business"}),
    "Give schools money for STEM clubs": (" {of_place}", None),
    "Make it easier for adults to return to learning": (" {in_place}", None),
    "Only big employers have time": (" like us", {"business:micro"}),
    "Another set of regional funding rules": (" like ours", {"fe_college"}),
}
# How partners name what they are ("As a college, ...", "For a charity like ours, ...").
BODIES = {
    "business": "business",
    "business_body": "membership body",
    "fe_college": "college",
    "school": "school",
    "university": "university",
    "local_authority_constituent": "council",
    "local_authority_non_constituent": "non-constituent council",
    "public_body": "public body",
    "vcse": "charity",
}
# A business names itself by its size.
BUSINESSES = {"micro": "small firm", "small": "small business", "large": "large employer"}
# Bodies that speak for members ("Our members feel that ..."); the others speak for staff.
MEMBER_BODIES = {
    "business_body",
    "vcse",
    "local_authority_constituent",
    "local_authority_non_constituent",
}
