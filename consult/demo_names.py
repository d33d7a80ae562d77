"""Unique, realistic names for the demo's organisations (all invented, except the councils).

The demo draws each organisation's type, area and a first name at random
(``consult.demo._organisation``); drawn names repeat ("Sandwell Food Bank" eight times, four
"Birmingham City Council"). :func:`name_uniquely` then gives every organisation a name of
its own with no random draw, so the draws, and the answers that follow them, stay the same:
an organisation keeps its drawn name unless an earlier one has it, and then takes the next
free name for its type and area (another place in its area, another kind of body of its
type). The councils are real and few: the seven constituent councils and the
non-constituent members, one each; a council answering again answers for one of its
services ("Birmingham City Council, Housing"), as council departments do. Names are compared
as :func:`name_key` does, ignoring a company's legal form, so there is no "Forge Digital Ltd"
beside a "Forge Digital LLP".
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from itertools import count
from typing import Protocol

# Places in each area (a name's place keeps it in its area: Lye is in Dudley).
LOCALITIES = {
    "birmingham": [
        "Erdington",
        "Kings Heath",
        "Selly Oak",
        "Handsworth",
        "Acocks Green",
        "Northfield",
        "Small Heath",
        "Sutton Coldfield",
        "Digbeth",
        "Moseley",
    ],
    "coventry": [
        "Earlsdon",
        "Tile Hill",
        "Foleshill",
        "Canley",
        "Binley",
        "Holbrooks",
        "Radford",
        "Willenhall Wood",
    ],
    "dudley": [
        "Lye",
        "Stourbridge",
        "Brierley Hill",
        "Sedgley",
        "Halesowen",
        "Kingswinford",
        "Netherton",
        "Coseley",
    ],
    "sandwell": [
        "Rowley Regis",
        "Tipton",
        "Oldbury",
        "Smethwick",
        "West Bromwich",
        "Wednesbury",
        "Great Barr",
        "Cradley Heath",
    ],
    "solihull": [
        "Shirley",
        "Knowle",
        "Dorridge",
        "Chelmsley Wood",
        "Balsall Common",
        "Olton",
        "Castle Bromwich",
        "Meriden",
    ],
    "walsall": [
        "Aldridge",
        "Bloxwich",
        "Brownhills",
        "Darlaston",
        "Willenhall",
        "Pelsall",
        "Streetly",
        "Rushall",
    ],
    "wolverhampton": [
        "Tettenhall",
        "Bilston",
        "Wednesfield",
        "Penn",
        "Whitmore Reans",
        "Low Hill",
        "Fallings Park",
        "Ettingshall",
    ],
    "non_constituent": [
        "Nuneaton",
        "Rugby",
        "Cannock",
        "Tamworth",
        "Redditch",
        "Bedworth",
        "Telford",
        "Stratford-upon-Avon",
    ],
    "outside": [
        "Loughborough",
        "Hinckley",
        "Market Harborough",
        "Melton Mowbray",
        "Coalville",
        "Lutterworth",
        "Oakham",
        "Ashby-de-la-Zouch",
    ],
}

# First words of business names (consult/demo_text.py NAME_PARTS) that name a place, and the
# areas a business so named may be in: Rowley Regis is in Sandwell, Lye in Dudley, Sutton
# Coldfield in Birmingham, the Wrekin in Telford and Wrekin (a non-constituent member), the
# Lickey Hills on Birmingham's edge, the Clent Hills above Halesowen, the Forest of Arden
# across Solihull, Coventry and Warwickshire. The other first words (Midland, Forge, Canal,
# rivers) name no one place.
BUSINESS_PLACES = {
    "Rowley": {"sandwell"},
    "Lye": {"dudley"},
    "Sutton": {"birmingham"},
    "Wrekin": {"non_constituent"},
    "Lickey": {"birmingham"},
    "Clent": {"dudley"},
    "Arden": {"solihull", "coventry", "non_constituent"},
}

# Real bodies a drawn name can hit ("University of Birmingham"): the demo's partners are
# invented, except the councils (there are only so many), so these are never used.
REAL_NAMES = {
    "University of Birmingham",
    "Birmingham City University",
    "University of Wolverhampton",
    "Coventry University",
    "University of Warwick",
    "Aston University",
    "Sandwell College",
    "Dudley College",
    "Walsall College",
    "Solihull College",
    "Birmingham Metropolitan College",
    "University College Birmingham",
    "University of Coventry",
}

# The services a council answers for when it answers more than once.
COUNCIL_SERVICES = [
    "Transport and Highways",
    "Housing",
    "Skills and Employment",
    "Economic Development",
    "Public Health",
    "Planning and Regeneration",
    "Children's Services",
    "Adult Social Care",
    "Environment and Climate",
    "Culture and Leisure",
]

# The kinds of body of each type, tried in turn after the drawn one ("{place} {kind}").
KINDS = {
    "business_body": [
        "Chamber of Commerce",
        "Manufacturers Forum",
        "Retail Association",
        "Traders Association",
        "Business Improvement District",
        "Hospitality Association",
    ],
    "fe_college": [
        "College",
        "Technical College",
        "Further Education College",
        "College of Arts and Technology",
        "Adult Education Centre",
    ],
    "school": [
        "Academy",
        "High School",
        "Sixth Form College",
        "Primary School",
        "Church of England Academy",
        "Community School",
    ],
    "university": [
        "Metropolitan University",
        "City University",
        "Institute of Technology",
        "University College",
    ],
    "public_body": [
        "Integrated Care Board",
        "Fire Service",
        "Police",
        "Housing Agency",
        "Community Health Partnership",
        "Employment and Skills Hub",
    ],
    "vcse": [
        "Community Trust",
        "Youth Network",
        "Food Bank",
        "Social Enterprise Hub",
        "Credit Union",
        "Carers Network",
        "Refugee Support Group",
    ],
}


# A company's legal form at the end of its name, ignored when names are compared.
LEGAL_FORMS = {"ltd", "limited", "llp", "plc"}


def name_key(name: str) -> str:
    """A name as the demo compares names: case folded, spaces collapsed and any legal form
    at the end dropped ("Forge Digital LLP" and "forge digital Ltd" are one name)."""
    words = name.casefold().replace(".", "").split()
    if len(words) > 1 and words[-1] in LEGAL_FORMS:
        words = words[:-1]
    return " ".join(words)


class Named(Protocol):
    """What a name is chosen for: an organisation's drawn name, type and area."""

    name: str
    partner_type: str
    area: str


def name_uniquely(
    organisations: Iterable[Named],
    place_of: dict[str, str],
    business_words: list[str],
    first: Iterable[Named] = (),
    taken: Iterable[str] = (),
) -> None:
    """Give each organisation a name no earlier one has (as :func:`name_key` compares them),
    in place, with no random draw: its drawn name when free, else the first free of
    :func:`_candidates`. ``place_of``: the place an area's bodies are named after
    ("Sandwell"); ``business_words``: the middle words of business names, tried in turn
    after the drawn one; ``first``: organisations named before the rest (so they keep their
    drawn names: a letter was signed with it); ``taken``: names already in use (organisations
    already in the database), which no organisation takes."""
    used = {name_key(name) for name in taken}
    ahead = list({id(o): o for o in first}.values())
    chosen = {id(o) for o in ahead}
    rest = [o for o in organisations if id(o) not in chosen]
    for organisation in [*ahead, *rest]:
        for name in _candidates(organisation, place_of, business_words):
            if name_key(name) not in used and name not in REAL_NAMES:
                break
        organisation.name = name
        used.add(name_key(name))


def _candidates(
    organisation: Named, place_of: dict[str, str], business_words: list[str]
) -> Iterator[str]:
    """The names an organisation may take, its drawn name first (real bodies' names among
    them are passed over by :func:`name_uniquely`)."""
    yield from _named_after_type(organisation, place_of, business_words)
    # Only when every name above is taken (a database already holding the demo's names):
    # the drawn name numbered, which is always free in the end.
    for number in count(2):
        yield f"{organisation.name} ({number})"


def _named_after_type(
    organisation: Named, place_of: dict[str, str], business_words: list[str]
) -> Iterator[str]:
    """The drawn name, then the names of an organisation's type and area in turn."""
    drawn, kind, area = organisation.name, organisation.partner_type, organisation.area
    yield drawn
    if kind in ("local_authority_constituent", "local_authority_non_constituent"):
        for service in COUNCIL_SERVICES:
            yield f"{drawn}, {service}"
        return
    if kind == "business":
        first, middle, suffix = _business_parts(drawn, business_words)
        start = business_words.index(middle) if middle in business_words else 0
        for step in range(1, len(business_words)):
            yield f"{first} {business_words[(start + step) % len(business_words)]} {suffix}"
        for place in LOCALITIES[area]:
            yield f"{place} {middle} {suffix}"
        return
    kinds = KINDS.get(kind, [])
    drawn_kind = next((k for k in sorted(kinds, key=len, reverse=True) if drawn.endswith(k)), "")
    ordered = [drawn_kind, *(k for k in kinds if k != drawn_kind)] if drawn_kind else kinds
    places = [place_of[area], *LOCALITIES[area]]
    if kind == "school":
        places = LOCALITIES[area]  # schools are named after a place in their area
    for place in places:
        for body in ordered:
            if kind == "university" and body == "University College":
                yield f"University College {place}"
            else:
                yield f"{place} {body}"


def _business_parts(name: str, business_words: list[str]) -> tuple[str, str, str]:
    """A drawn business name's first word, middle words and suffix ("Arden", "Digital",
    "Ltd")."""
    words = name.split(" ")
    first, suffix = words[0], words[-1]
    middle = " ".join(words[1:-1])
    return first, middle, suffix
