"""Fixed lists the whole service shares: partner types, business sizes, areas, scales."""

from __future__ import annotations

PARTNER_TYPES: list[tuple[str, str]] = [
    ("business", "Business"),
    (
        "business_body",
        "Business representative body (chamber of commerce, trade or membership body)",
    ),
    ("fe_college", "Further education college"),
    ("school", "School or sixth form"),
    ("university", "University"),
    ("local_authority_constituent", "Local authority (constituent)"),
    ("local_authority_non_constituent", "Local authority (non-constituent)"),
    ("public_body", "Other public body or agency"),
    ("vcse", "Voluntary, community or social enterprise"),
    ("individual", "Individual"),
    ("other", "Other"),
]

# The partner type of someone answering for no organisation: they are not asked for an
# organisation's name, and pages showing one say so rather than leave it blank.
INDIVIDUAL = "individual"

SIZE_BANDS: list[tuple[str, str]] = [
    ("micro", "Micro (fewer than 10 employees)"),
    ("small", "Small (10 to 49 employees)"),
    ("medium", "Medium (50 to 249 employees)"),
    ("large", "Large (250 or more employees)"),
]

AREAS: list[tuple[str, str]] = [
    ("birmingham", "Birmingham"),
    ("coventry", "Coventry"),
    ("dudley", "Dudley"),
    ("sandwell", "Sandwell"),
    ("solihull", "Solihull"),
    ("walsall", "Walsall"),
    ("wolverhampton", "Wolverhampton"),
    ("non_constituent", "A non-constituent authority area"),
    ("outside", "Outside the West Midlands"),
]

AGREEMENT_SCALE: list[tuple[str, str]] = [
    ("strongly_agree", "Strongly agree"),
    ("agree", "Agree"),
    ("neither", "Neither agree nor disagree"),
    ("disagree", "Disagree"),
    ("strongly_disagree", "Strongly disagree"),
]

QUESTION_KINDS: list[tuple[str, str]] = [
    ("long_text", "Long text"),
    ("short_text", "Short text"),
    ("single_choice", "Single choice"),
    ("multiple_choice", "Multiple choice"),
    ("agreement", "5-point agreement scale"),
]

PARTNER_TYPE_LABELS = dict(PARTNER_TYPES)
SIZE_BAND_LABELS = dict(SIZE_BANDS)
AREA_LABELS = dict(AREAS)
AGREEMENT_LABELS = dict(AGREEMENT_SCALE)


def choice_lookup(choices: list[tuple[str, str]]) -> dict[str, str]:
    """Map what people type for a choice (its code, its label, the label before any
    bracketed note, case-insensitive) to the stored code."""
    table: dict[str, str] = {}
    for value, label in choices:
        for key in (value, value.replace("_", " "), label, label.split(" (")[0]):
            table[key.lower()] = value
    return table


PARTNER_LOOKUP = choice_lookup(PARTNER_TYPES)
AREA_LOOKUP = choice_lookup(AREAS)
SIZE_LOOKUP = choice_lookup(SIZE_BANDS)
