"""How the "about you" page and its answers are worded for who is answering.

The page itself is "About you" (:data:`PAGE_TITLE`) whoever answers: it asks first whether
they answer for an organisation, so its title assumes neither. A partner answering for an
organisation then reads "Where is your organisation based?", and "About your organisation"
and "Type of organisation" over their answers. One answering as an individual (partner type
``individual``, ``consult.reference.INDIVIDUAL``) has no organisation: once they have chosen
"Individual", every page they see (the page itself drawn again, check your answers, the
confirmation, the copy of the response, the saved-answers and lost-answers pages, the
resume-link email) speaks to them, not to an organisation. Before they choose, the page's
questions are worded for an organisation, with a hint telling an individual what to do
(``consult.survey.fields.INDIVIDUAL_AREA_HINT``). The consultation's own questions are worded
for them too where staff gave a wording for individuals (``consult.wording.asked``).

Who is answering is asked first ("Are you answering for an organisation or as an
individual?", :data:`ANSWERING_AS`): the organisation's name and type are revealed under "For
an organisation" only (GOV.UK's conditional reveal; without JavaScript they show, and are not
used for an individual). An individual's answer is never stored as an organisation's name
(:func:`answering_as`, ``consult.survey.forms``).

Staff pages word an individual's response for an individual too ("Responding as:
Individual", :data:`STAFF_INDIVIDUAL_LABELS`; the list's type column, an organisation's,
left blank for them: :func:`staff_type`), by the same rule (:func:`is_individual`).
"""

from __future__ import annotations

from analysis.cells import shown_hidden

from ..reference import INDIVIDUAL, PARTNER_TYPES

# The page's title, whoever answers; the heading of its answers elsewhere says who answered.
PAGE_TITLE = "About you"
ORGANISATION_TITLE = "About your organisation"
INDIVIDUAL_TITLE = "About you"

# The page's questions (legends) and the error for an empty answer, by who is answering.
PARTNER_TYPE_LEGEND = "Which of these best describes your organisation?"
AREA_LEGEND = "Where is your organisation based?"
INDIVIDUAL_AREA_LEGEND = "Where do you live?"
AREA_MISSING = "Select where your organisation is based"
INDIVIDUAL_AREA_MISSING = "Select where you live"

# Summary rows (check answers, confirmation, copies) whose label differs for an individual
# ("Type of organisation", "Based in"); the others read alike for both.
INDIVIDUAL_ROW_LABELS = {"partner_type": "Answering as", "area": "Where you live"}

# The page's first question: for an organisation (its name and type revealed under it) or as
# an individual. Not stored: read from, and written as, the partner type.
FOR_ORGANISATION = "organisation"
AS_INDIVIDUAL = "individual"
ANSWERING_AS_LEGEND = "Are you answering for an organisation or as an individual?"
ANSWERING_AS: list[tuple[str, str]] = [
    (FOR_ORGANISATION, "For an organisation"),
    (AS_INDIVIDUAL, "As an individual"),
]
# The types offered under "For an organisation": every partner type but the individual's.
ORGANISATION_TYPES = [(value, label) for value, label in PARTNER_TYPES if value != INDIVIDUAL]
ANSWERING_AS_MISSING = "Select whether you are answering for an organisation or as an individual"

# Staff read an individual's response: the heading of its details, and the labels of the
# rows that name an organisation (the response list's column says "Responding as").
STAFF_ORGANISATION_TITLE = "About the organisation"
STAFF_INDIVIDUAL_TITLE = "About the respondent"
STAFF_INDIVIDUAL_LABELS = {"partner_type": "Responding as", "area": "Lives in"}
# An invited organisation whose partner answered as an individual: which one was invited.
INVITED_LABEL = "Invitation sent to"
# The response list's column naming who responded: an organisation's name, or this.
STAFF_RESPONDING_AS = "Responding as"
STAFF_AS_INDIVIDUAL = "Individual"


def is_individual(partner_type: str | None) -> bool:
    """Whether the partner type given (stored, or typed on the page) is an individual's."""
    return partner_type == INDIVIDUAL


def title(partner_type: str | None) -> str:
    """The heading of the page's answers elsewhere (check answers, the confirmation, the
    copy): for an organisation or an individual. The page's own is :data:`PAGE_TITLE`."""
    return INDIVIDUAL_TITLE if is_individual(partner_type) else ORGANISATION_TITLE


def answering_as(chosen: str | None, partner_type: str | None, name: str | None) -> str | None:
    """Whom the page's answers are for: :data:`AS_INDIVIDUAL` or :data:`FOR_ORGANISATION`,
    as ``chosen`` on the page; when it was not (stored answers, an older page, a scripted
    post), as the partner type says, or an organisation when a name was given; else None."""
    if chosen in (FOR_ORGANISATION, AS_INDIVIDUAL):
        return chosen
    if is_individual(partner_type):
        return AS_INDIVIDUAL
    if partner_type or (name or "").strip():
        return FOR_ORGANISATION
    return None


def area_legend(partner_type: str | None) -> str:
    """The question asking where the organisation is based (where an individual lives)."""
    return INDIVIDUAL_AREA_LEGEND if is_individual(partner_type) else AREA_LEGEND


def area_missing(partner_type: str | None) -> str:
    """The error for the area question left unanswered."""
    return INDIVIDUAL_AREA_MISSING if is_individual(partner_type) else AREA_MISSING


def row_label(name: str, label: str, partner_type: str | None, staff: bool = False) -> str:
    """A summary row's label for the field ``name`` (``label``: its organisation wording),
    for the partner or (``staff``) for staff reading the response."""
    if is_individual(partner_type):
        return (STAFF_INDIVIDUAL_LABELS if staff else INDIVIDUAL_ROW_LABELS).get(name, label)
    return label


# The response list's column beside "Responding as": the organisation's type. An individual
# has none (their "Responding as" already says "Individual", ux16): the cell says so once,
# to a screen reader, and shows a dash.
STAFF_TYPE_HEADING = "Type of organisation"
STAFF_NO_TYPE = "Not an organisation"


def staff_type(partner_type: str | None, labels: dict[str, str]) -> str | None:
    """The type cell of the staff response list: the type's label (``labels``), "–" when
    none was given, or None for an individual (drawn as :data:`STAFF_NO_TYPE`, hidden)."""
    if is_individual(partner_type):
        return None
    return labels.get(partner_type or "", "–")


def staff_title(partner_type: str | None) -> str:
    """The heading of a response's details on its staff page."""
    return STAFF_INDIVIDUAL_TITLE if is_individual(partner_type) else STAFF_ORGANISATION_TITLE


def responding_as(partner_type: str | None, organisation_name: str | None) -> str:
    """Who responded, as the staff response list says it: an organisation's name (hidden
    characters shown, ``analysis.cells.shown_hidden``: an imported name may hold them), or
    "Individual" (never a name an individual's response may carry); "–" for none."""
    if is_individual(partner_type):
        return STAFF_AS_INDIVIDUAL
    return shown_hidden((organisation_name or "").strip()) or "–"
