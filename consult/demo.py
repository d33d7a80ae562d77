"""The demo consultation and its synthetic responses (clearly marked as invented)."""

from __future__ import annotations

import random
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from datetime import datetime, time, timedelta

from sqlalchemy import func, select

from . import demo_text as text
from .answers import encode_choices
from .demo_dress import Voice, drawn, write
from .demo_names import BUSINESS_PLACES, LOCALITIES, name_key, name_uniquely
from .extensions import db
from .models import (
    Answer,
    Consultation,
    Invitation,
    Option,
    Organisation,
    Question,
    Response,
    Section,
    utcnow,
)
from .times import from_uk, to_uk
from .tokens import hash_token, new_reference, new_token

DEMO_SLUG = "trailblazer-devolution-deal"
DEMO_TITLE = "West Midlands Trailblazer Devolution Deal: partner consultation"

SUMMARY = (
    "The Trailblazer Devolution Deal gives the West Midlands more control over funding for "
    "transport, housing, skills and employment support. We want partners' views on how the "
    "combined authority should use these powers.\n\n"
    "This is a demonstration: the responses already loaded were written by a generator and "
    "are synthetic."
)
AUDIENCE = (
    "Organisations that work with the West Midlands Combined Authority: businesses, chambers "
    "and membership bodies, further education colleges, schools, universities, councils, public "
    "agencies and voluntary and community groups. One response per organisation: colleagues "
    "can contribute to the same response."
)
PRIVACY = (
    "The West Midlands Combined Authority is the data controller. We use your answers to shape "
    "how the deal is delivered, under our public task. We publish a summary of responses but "
    "never the names of individuals.\n\n"
    "We keep responses for two years after the consultation closes, then delete them. You can "
    "ask us to withdraw your response at any time before then."
)
# What the privacy notice promises ("two years after the consultation closes"): the setting
# `flask purge` acts on must keep that promise (consult.retention_notice checks it).
RETENTION_DAYS = 730

# The demo's own wording for its confirmation page and emails (other consultations set theirs
# in the builder, or get neutral defaults).
TEAM = "The Devolution Deal team"
CONTACT_EMAIL = "devolution.consultation@example.org"
WHAT_HAPPENS_NEXT = (
    "The Devolution Deal team will read every response after the consultation closes. We will "
    "publish a summary of what partners told us and how it shaped the deal.\n\n"
    "Partners who responded will be invited to a briefing on the deal's delivery plan."
)
# The same for someone answering as an individual: no partners' briefing is promised.
WHAT_HAPPENS_NEXT_INDIVIDUALS = (
    "The Devolution Deal team will read every response after the consultation closes. We will "
    "publish a summary of what people told us and how it shaped the deal. We never publish "
    "the names of individuals who responded."
)
INVITATION_MESSAGE = (
    "The Trailblazer Devolution Deal gives the West Midlands more control over funding for "
    "transport, housing, skills and employment support. We would like your organisation's "
    "views on how the combined authority should use these powers."
)
SIGNATURE = "The Devolution Deal team\nWest Midlands Combined Authority\n" + CONTACT_EMAIL

# How a question worded for an organisation reads to someone answering as an individual
# (``Question.text_individuals``), by its text in SECTIONS.
FOR_INDIVIDUALS = {
    "Which economic pressures affect your organisation most?": (
        "Which economic pressures affect you most?"
    ),
}

# (title, intro, questions); a question is (kind, text, hint, required, options, why_key)
SECTIONS: list[tuple[str, str, list[tuple]]] = [
    (
        "Working with government",
        "The deal changes how the combined authority works with its constituent and "
        "non-constituent authorities, the region's MPs and government agencies.",
        [
            (
                "agreement",
                "The single funding settlement gives the region enough control over "
                "how money is spent",
                "",
                True,
                None,
                "funding",
            ),
            (
                "long_text",
                "How should the combined authority work with councils, MPs and "
                "government agencies to deliver the deal?",
                "For example, joint boards, shared data or regular briefings.",
                False,
                None,
                "government",
            ),
            (
                "single_choice",
                "Which area should come first for joint working with government?",
                "",
                False,
                [
                    ("transport", "Transport"),
                    ("housing", "Housing and regeneration"),
                    ("skills", "Skills and adult learning"),
                    ("net_zero", "Net zero"),
                    ("employment", "Employment support"),
                ],
                None,
            ),
        ],
    ),
    (
        "Business and the economy",
        "The deal works with chambers of commerce, membership bodies and the Regional Business "
        "Council on the pressures and opportunities businesses face.",
        [
            (
                "agreement",
                "The Regional Business Council should have a formal role in deciding "
                "how deal funding is spent",
                "",
                True,
                None,
                "business_council",
            ),
            (
                "multiple_choice",
                "Which economic pressures affect your organisation most?",
                "Select all that apply.",
                False,
                [
                    ("energy", "Energy costs"),
                    ("recruitment", "Recruiting skilled staff"),
                    ("finance", "Access to finance"),
                    ("transport", "Transport and congestion"),
                    ("rates", "Business rates"),
                    ("supply", "Supply chains"),
                ],
                None,
            ),
            (
                "long_text",
                "What opportunities should the deal unlock for businesses in the region?",
                "",
                False,
                None,
                "opportunities",
            ),
        ],
    ),
    (
        "Innovation, skills and universities",
        "The deal covers schools, colleges, adult learning, university research and the next "
        "generation of innovators.",
        [
            (
                "agreement",
                "The adult skills budget should be devolved in full to the combined authority",
                "",
                True,
                None,
                "adult_skills",
            ),
            (
                "single_choice",
                "How well does adult learning in the region meet employers' needs?",
                "",
                False,
                [
                    ("very_well", "Very well"),
                    ("fairly_well", "Fairly well"),
                    ("not_very_well", "Not very well"),
                    ("not_at_all", "Not at all"),
                    ("dont_know", "Don't know"),
                ],
                None,
            ),
            (
                "long_text",
                "How can schools, colleges and universities work together to grow the "
                "next generation of innovators?",
                "",
                False,
                None,
                "innovators",
            ),
        ],
    ),
    (
        "Anything else",
        "",
        [
            (
                "long_text",
                "Is there anything else you would like to tell us about the deal?",
                "",
                False,
                None,
                "anything_else",
            ),
        ],
    ),
]

# How likely each partner type is to agree with each agreement question.
LEANING = {
    "business": {"funding": 0.6, "business_council": 0.85, "adult_skills": 0.6},
    "business_body": {"funding": 0.6, "business_council": 0.9, "adult_skills": 0.6},
    "fe_college": {"funding": 0.6, "business_council": 0.4, "adult_skills": 0.8},
    "school": {"funding": 0.5, "business_council": 0.35, "adult_skills": 0.6},
    "university": {"funding": 0.7, "business_council": 0.5, "adult_skills": 0.55},
    "local_authority_constituent": {"funding": 0.75, "business_council": 0.3, "adult_skills": 0.7},
    "local_authority_non_constituent": {
        "funding": 0.3,
        "business_council": 0.3,
        "adult_skills": 0.4,
    },
    "public_body": {"funding": 0.6, "business_council": 0.4, "adult_skills": 0.6},
    "vcse": {"funding": 0.5, "business_council": 0.2, "adult_skills": 0.65},
}
TYPE_WEIGHTS = {
    "business": 30,
    "business_body": 8,
    "fe_college": 8,
    "school": 10,
    "university": 6,
    "local_authority_constituent": 7,
    "local_authority_non_constituent": 5,
    "public_body": 8,
    "vcse": 18,
}
CONSTITUENT = [
    "birmingham",
    "coventry",
    "dudley",
    "sandwell",
    "solihull",
    "walsall",
    "wolverhampton",
]
# Outside the West Midlands: a county that is not in it (Shropshire is a non-constituent
# member of the combined authority).
OUTSIDE_PLACE = "Leicestershire"
# The place each area's bodies are named after, both when drawn (_organisation) and when
# renamed (demo_names.name_uniquely), and the middle words of business names.
NAMED_AFTER = {
    "birmingham": "Birmingham",
    "coventry": "Coventry",
    "dudley": "Dudley",
    "sandwell": "Sandwell",
    "solihull": "Solihull",
    "walsall": "Walsall",
    "wolverhampton": "Wolverhampton",
    "non_constituent": "Warwickshire",
    "outside": OUTSIDE_PLACE,
}
NAME_WORDS = text.NAME_PARTS["business"][1]


@dataclass
class DrawnName:
    """An organisation's name, type and area, named apart from the database."""

    name: str
    partner_type: str
    area: str


@dataclass
class DemoSummary:
    title: str
    organisations: int
    submitted: int
    drafts: int
    # The demo's names (as in an empty database) that organisations already in the
    # database hold, so the demo's organisations took others.
    taken: list[str] = field(default_factory=list)


def database_is_empty() -> bool:
    """True when no consultation has been created yet."""
    return not db.session.scalar(select(func.count(Consultation.id)))


def closing_time(now: datetime, days: int = 42) -> datetime:
    """11:59pm UK time on the day ``days`` after ``now`` (UK calendar), as an aware UTC time:
    a closing time a partner can read, not the minute the demo happened to be loaded."""
    day = to_uk(now + timedelta(days=days)).date()  # type: ignore[union-attr]
    return from_uk(datetime.combine(day, time(23, 59)))  # type: ignore[return-value]


def build_consultation() -> tuple[Consultation, dict[int, str]]:
    """The demo consultation, and the question ids of its free-text questions by topic."""
    now = utcnow()
    consultation = Consultation(
        slug=DEMO_SLUG,
        title=DEMO_TITLE,
        summary=SUMMARY,
        audience=AUDIENCE,
        status="open",
        opens_at=now - timedelta(days=21),
        closes_at=closing_time(now),
        privacy_notice=PRIVACY,
        retention_days=RETENTION_DAYS,
        minutes_to_complete=15,
        team_name=TEAM,
        contact_email=CONTACT_EMAIL,
        what_happens_next=WHAT_HAPPENS_NEXT,
        what_happens_next_individuals=WHAT_HAPPENS_NEXT_INDIVIDUALS,
        email_sender_name="West Midlands Combined Authority: Devolution Deal consultation",
        invitation_message=INVITATION_MESSAGE,
        email_signature=SIGNATURE,
    )
    db.session.add(consultation)
    topics: dict[int, str] = {}
    for s_index, (title, intro, questions) in enumerate(SECTIONS, start=1):
        section = Section(position=s_index, title=title, intro=intro)
        consultation.sections.append(section)
        position = 0
        for kind, q_text, hint, required, options, topic in questions:
            position += 1
            question = Question(
                position=position,
                kind=kind,
                text=q_text,
                text_individuals=FOR_INDIVIDUALS.get(q_text, ""),
                hint=hint,
                required=required,
            )
            for o_index, (value, label) in enumerate(options or [], start=1):
                question.options.append(Option(position=o_index, value=value, label=label))
            section.questions.append(question)
            if kind == "agreement":
                position += 1
                why = Question(
                    position=position,
                    kind="long_text",
                    text="Why do you say that?",
                    hint="",
                    required=False,
                    explains=question,
                )
                section.questions.append(why)
                db.session.flush()
                topics[why.id] = topic
                topics[question.id] = "agree:" + topic
            elif kind == "long_text":
                db.session.flush()
                topics[question.id] = topic
    db.session.flush()
    return consultation, topics


def _organisation(rng: random.Random, index: int) -> Organisation:
    partner_type = rng.choices(list(TYPE_WEIGHTS), weights=list(TYPE_WEIGHTS.values()))[0]
    area = (
        rng.choice(CONSTITUENT)
        if rng.random() < 0.85
        else rng.choice(["non_constituent", "outside"])
    )
    place = NAMED_AFTER[area]
    first, second, suffix = text.NAME_PARTS["business"]
    suffix_choices = text.ORG_SUFFIXES.get(partner_type)
    suffix_word = rng.choice(suffix_choices) if suffix_choices else ""
    names = {
        "business": f"{rng.choice(first)} {rng.choice(second)} {rng.choice(suffix)}",
        "school": f"{rng.choice(first)} {suffix_word}",
        "university": f"University of {place}" if rng.random() < 0.5 else f"{place} {suffix_word}",
        "local_authority_constituent": f"{place} City Council",
        "local_authority_non_constituent": f"{place} District Council",
    }
    name = names.get(partner_type) or f"{place} {suffix_word}"
    # Every random draw above is kept (the answers' draws follow them, so the demo's answers
    # and figures stay the same); only names and areas are made to agree with the type.
    area, name = _consistent(partner_type, area, name, suffix_word, index)
    size = (
        rng.choice(["micro", "small", "small", "medium", "large"])
        if partner_type == "business"
        else None
    )
    return Organisation(
        # A placeholder while the answers are drawn (names are unique where stored); the
        # drawn name before it is made unique by demo_names.name_uniquely in load_demo.
        name=f"{name}{PLACEHOLDER}{index})",
        partner_type=partner_type,
        size_band=size,
        area=area,
        contact_email=f"consultation-contact-{index}@example.org",
    )


PLACEHOLDER = " (demo "


def drawn_name(name: str) -> str:
    """An organisation's drawn name, without the placeholder's " (demo N)"."""
    return name.split(PLACEHOLDER)[0]


# Real councils, so a demo organisation's name, type and area agree: the seven constituent
# members of the combined authority, one per area, and some non-constituent members.
CONSTITUENT_COUNCILS = {
    "birmingham": "Birmingham City Council",
    "coventry": "Coventry City Council",
    "dudley": "Dudley Metropolitan Borough Council",
    "sandwell": "Sandwell Metropolitan Borough Council",
    "solihull": "Solihull Metropolitan Borough Council",
    "walsall": "Walsall Council",
    "wolverhampton": "City of Wolverhampton Council",
}
NON_CONSTITUENT_COUNCILS = [
    "Shropshire Council",
    "Telford and Wrekin Council",
    "Warwickshire County Council",
    "Cannock Chase District Council",
    "Nuneaton and Bedworth Borough Council",
    "Rugby Borough Council",
    "Tamworth Borough Council",
    "Redditch Borough Council",
    "North Warwickshire Borough Council",
    "Stratford-on-Avon District Council",
]


def _consistent(
    partner_type: str, area: str, name: str, suffix_word: str, index: int
) -> tuple[str, str]:
    """(area, name) made to agree with the type, with no random draw: a constituent council
    is one of the seven and in its area; a non-constituent council is in a non-constituent
    area; a school is named after a place in its area; a place-named body outside the West
    Midlands is already named after a county outside it (NAMED_AFTER); a business named
    after a place elsewhere ("Rowley Robotics Ltd" outside the West Midlands: Rowley Regis is
    in Sandwell) takes a first word that names no place (BUSINESS_PLACES). Names are settled
    here, before any answer is drawn, so a campaign letter is signed with the name kept."""
    if partner_type == "local_authority_constituent":
        if area not in CONSTITUENT_COUNCILS:
            area = CONSTITUENT[index % len(CONSTITUENT)]
        return area, CONSTITUENT_COUNCILS[area]
    if partner_type == "local_authority_non_constituent":
        return "non_constituent", NON_CONSTITUENT_COUNCILS[index % len(NON_CONSTITUENT_COUNCILS)]
    if partner_type == "school":
        places = LOCALITIES[area]
        return area, f"{places[index % len(places)]} {suffix_word}"
    if partner_type == "business":
        first, rest = name.split(" ", 1)
        if area not in BUSINESS_PLACES.get(first, {area}):
            placeless = [w for w in text.NAME_PARTS["business"][0] if w not in BUSINESS_PLACES]
            return area, f"{placeless[index % len(placeless)]} {rest}"
    return area, name


def _agreement(rng: random.Random, lean: float) -> tuple[str, str]:
    roll = rng.random()
    if roll < lean * 0.9:
        return rng.choice(["strongly_agree", "agree", "agree"]), "for"
    if roll < lean * 0.9 + 0.12:
        return "neither", "mixed"
    return rng.choice(["disagree", "disagree", "strongly_disagree"]), "against"


def _phrasing(rng: random.Random, point: tuple[str, ...]) -> str:
    """One of a point's phrasings: the first for half of the partners who make it, another
    otherwise, so a theme holds its main point and the variety real answers have."""
    if len(point) == 1 or rng.random() < 0.5:
        return point[0]
    return rng.choice(point[1:])


def _compose(
    rng: random.Random,
    points: list[tuple[str, ...]],
    told: Counter,
    others: list[tuple[str, ...]],
    voice: Voice,
    written: list[set],
    own: list[tuple[str, ...]] | None = None,
) -> str:
    """An answer making these points in turn, as ``voice``'s partner writes them
    (consult.demo_dress.write: ``written`` holds the long answers to the question so far).

    Partners rarely write the same long answer by chance: phrasings another partner has
    already used together (``told``, 12 words or more) are chosen again, and if every choice
    is used up a point from ``others`` is added, so that chance repeats seldom look like the
    planted campaign. With ``own`` (the partner's side of the argument) the added point is
    one of its points instead: a partner who agrees never adds a reason to disagree. The
    draws are made as without ``own`` (the swap takes none), so the rest of the demo stays
    as it was."""
    swap = None
    for _ in range(8):
        phrasings = tuple(_phrasing(rng, point) for point in points)
        if told[tuple(sorted(phrasings))] < 1 or sum(len(p.split()) for p in phrasings) < 12:
            break
    else:
        extra = [p for p in others if p not in points and p[0] not in text.PLAIN]
        if extra:
            point = rng.choice(extra)
            phrasings = (*phrasings, _phrasing(rng, point))
            if own is not None and point not in own:
                swap = _own_point(point, phrasings, extra, own, points, told)
    # Counted as drawn, so the later draws stay as they were; a swapped answer is counted
    # apart too, for the next swap to avoid.
    told[tuple(sorted(phrasings))] += 1
    if swap:
        told[("swapped", *sorted((*phrasings[:-1], swap)))] += 1
    sentences = [(sentence, *drawn(rng, sentence)) for sentence in phrasings]
    if swap is not None:
        # The drawn point's sentence was drawn for above (so the later draws stay as they
        # were); its own point's, when there is one, is drawn for on its own generator.
        sentences = sentences[:-1]
        if swap:
            sentences.append((swap, *drawn(random.Random(sum(told.values())), swap)))
    return write(sentences, voice, written)


def _own_point(
    point: tuple[str, ...],
    phrasings: tuple[str, ...],
    extra: list[tuple[str, ...]],
    own: list[tuple[str, ...]],
    points: list[tuple[str, ...]],
    told: Counter,
) -> str:
    """The sentence said instead of the last of ``phrasings`` (of ``point``, from the other
    side): a phrasing of one of ``own``'s points not yet made, looked for from the drawn
    point's place in ``extra``, that no partner has said with the others (``told``); else
    the first looked at; "" (say nothing more) when ``own`` has no point left."""
    left = [p for p in own if p not in points and p[0] not in text.PLAIN]
    if not left:
        return ""
    start = extra.index(point)
    choices = [
        phrasing for step in range(len(left)) for phrasing in left[(start + step) % len(left)]
    ]
    said = phrasings[:-1]
    fresh = [
        c
        for c in choices
        if told[tuple(sorted((*said, c)))] + told[("swapped", *sorted((*said, c)))] < 1
    ]
    return (fresh or choices)[0]


def _campaign_text(rng: random.Random, organisation_name: str) -> str:
    """The chamber's template, sometimes signed or lightly edited (near-duplicates)."""
    body = text.CAMPAIGN
    roll = rng.random()
    if roll < 0.3:
        return body + f" Signed on behalf of {drawn_name(organisation_name)}."
    if roll < 0.45:
        return body.replace("energy costs", "rising energy costs")
    return body


def _answers_for(
    rng, consultation, topics, organisation, campaign, told, words: random.Random, written
) -> dict[int, str]:
    """An organisation's answers, drawn on ``rng``; ``words`` chooses how it frames them."""
    partner_type = organisation.partner_type
    area = organisation.area
    place = NAMED_AFTER[area] if area in CONSTITUENT else None
    voice = Voice(partner_type, organisation.size_band, place, words)
    answers: dict[int, str] = {}
    stances: dict[str, str] = {}
    for question in consultation.questions:
        topic = topics.get(question.id, "")
        if question.kind == "agreement":
            key = topic.split(":", 1)[1]
            value, stances[key] = _agreement(rng, LEANING[partner_type][key])
            answers[question.id] = value
        elif question.explains_id is not None:
            stance = stances.get(topic, "mixed")
            if campaign and topic == "business_council":
                answers[question.id] = _campaign_text(rng, organisation.name)
            elif rng.random() < 0.8:
                points = text.WHY[topic][stance]
                picks = rng.sample(points, k=min(2, len(points)))
                others = [p for side in text.WHY[topic].values() for p in side]
                # A mixed view may add a reason from either side; a clear one only its own
                # side's or a qualified (mixed) one, never the other side's.
                own = None if stance == "mixed" else [*points, *text.WHY[topic].get("mixed", [])]
                answers[question.id] = _compose(
                    rng,
                    picks[: rng.choice([1, 2, 2])],
                    told[question],
                    others,
                    voice,
                    written[question],
                    own,
                )
        elif question.kind == "long_text" and rng.random() < 0.7:
            picks = rng.sample(text.OPEN[topic], k=2)
            answers[question.id] = _compose(
                rng,
                picks[: rng.choice([1, 2])],
                told[question],
                text.OPEN[topic],
                voice,
                written[question],
            )
        elif question.kind == "single_choice" and rng.random() < 0.9:
            answers[question.id] = rng.choice(question.options).value
        elif question.kind == "multiple_choice" and rng.random() < 0.85:
            chosen = rng.sample(question.options, k=rng.randint(1, 3))
            answers[question.id] = encode_choices([o.value for o in chosen], question)
    return answers


def load_demo(responses: int = 300, seed: int = 2026) -> DemoSummary:
    """Create the demo consultation, organisations, invitations and synthetic responses."""
    rng = random.Random(seed)
    words = random.Random(f"{seed} words")  # how partners frame their points (demo_dress)
    told: defaultdict[object, Counter] = defaultdict(Counter)  # phrasings each question got
    written: defaultdict[object, list] = defaultdict(list)  # its long answers (demo_dress)
    existing = db.session.scalars(select(Organisation.name)).all()
    consultation, topics = build_consultation()
    now = utcnow()
    organisations = [_organisation(rng, i) for i in range(1, int(responses * 1.25) + 1)]
    db.session.add_all(organisations)
    db.session.flush()
    submitted = drafts = 0
    signed: list[Organisation] = []  # campaign letters signed with the drawn name
    answered: list[tuple[Organisation, Response]] = []
    for index, organisation in enumerate(organisations):
        invitation = Invitation(
            consultation=consultation,
            organisation=organisation,
            token_hash=hash_token(new_token()),
            expires_at=consultation.closes_at,
            sent_at=consultation.opens_at,  # invited the day it opened
        )
        db.session.add(invitation)
        if index >= responses:
            continue  # invited, not started
        is_draft = rng.random() < 0.08
        campaign = (
            organisation.partner_type in ("business", "business_body") and rng.random() < 0.15
        )
        started = now - timedelta(days=20) + timedelta(minutes=rng.randint(0, 20 * 24 * 60))
        response = Response(
            consultation=consultation,
            invitation=invitation,
            reference=new_reference(),
            status="draft" if is_draft else "submitted",
            organisation_name=organisation.name,
            partner_type=organisation.partner_type,
            size_band=organisation.size_band,
            area=organisation.area,
            created_at=started,
            updated_at=started,
            submitted_at=None if is_draft else started + timedelta(minutes=rng.randint(5, 90)),
            last_page="section-2" if is_draft else "check",
        )
        db.session.add(response)
        answered.append((organisation, response))
        for question_id, value in _answers_for(
            rng, consultation, topics, organisation, campaign, told, words, written
        ).items():
            if value.endswith(f" Signed on behalf of {drawn_name(organisation.name)}."):
                signed.append(organisation)
            response.answers.append(
                Answer(question_id=question_id, value=value, updated_at=started)
            )
        drafts += is_draft
        submitted += not is_draft
    # Names are made unique once the answers are drawn (no random draw: the answers stay as
    # they were), those who signed a campaign letter keeping the name they signed it with,
    # and none taking an existing organisation's name.
    drawn = {id(o): drawn_name(o.name) for o in organisations}
    for organisation in organisations:
        organisation.name = drawn[id(organisation)]
    # The names they would have in an empty database, to tell which were taken.
    alone = [DrawnName(o.name, o.partner_type, o.area) for o in organisations]
    by_id = {id(o): a for o, a in zip(organisations, alone, strict=True)}
    name_uniquely(alone, NAMED_AFTER, NAME_WORDS, first=[by_id[id(o)] for o in signed])
    name_uniquely(organisations, NAMED_AFTER, NAME_WORDS, first=signed, taken=existing)
    for organisation, response in answered:
        response.organisation_name = organisation.name
        _sign_again(response, drawn[id(organisation)], organisation.name)
    db.session.commit()
    held = {name_key(name) for name in existing}
    taken = [a.name for a in alone if name_key(a.name) in held]
    return DemoSummary(DEMO_TITLE, len(organisations), submitted, drafts, taken)


def _sign_again(response: Response, old: str, new: str) -> None:
    """A campaign letter signed with a name its sender could not keep (an organisation
    already in the database has it), signed again with the sender's new name."""
    if old == new:
        return
    for answer in response.answers:
        if answer.value.endswith(f" Signed on behalf of {old}."):
            answer.value = answer.value.removesuffix(f"{old}.") + f"{new}."


def fresh_demo_invitation() -> tuple[str, str, str] | None:
    """A new invitation token for a demo organisation that has not responded.

    Tokens are stored only as hashes, so the demo cannot print an old link: it issues a
    fresh one (replacing that organisation's previous link) every time it is asked.
    """
    consultation = db.session.scalar(select(Consultation).where(Consultation.slug == DEMO_SLUG))
    if consultation is None:
        return None
    responded = select(Response.invitation_id).where(Response.invitation_id.is_not(None))
    invitation = db.session.scalar(
        select(Invitation)
        .where(Invitation.consultation_id == consultation.id, Invitation.id.not_in(responded))
        .order_by(Invitation.id)
    )
    if invitation is None:
        return None
    token = new_token()
    invitation.token_hash = hash_token(token)
    invitation.expires_at = consultation.closes_at or utcnow() + timedelta(days=90)
    db.session.commit()
    return f"/c/{consultation.slug}", f"/i/{token}", invitation.organisation.name
