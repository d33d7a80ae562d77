"""How the "about you" page and its answers are worded for who is answering.

A partner answering for an organisation reads "About your organisation", "Where is your
organisation based?" and "Type of organisation". One answering as an individual (partner type
``individual``, ``consult.reference.INDIVIDUAL``) has no organisation: once they have chosen
"Individual", every page they see (the page itself drawn again, check your answers, the
confirmation, the copy of the response, the saved-answers and lost-answers pages, the
resume-link email) speaks to them, not to an organisation. Before they choose, the page is
worded for an organisation, with hints telling an individual what to do
(``consult.survey.fields.INDIVIDUAL_HINT``).

Staff pages keep the organisation wording: staff read every response alike.
"""

from __future__ import annotations

from ..reference import INDIVIDUAL

ORGANISATION_TITLE = "About your organisation"
INDIVIDUAL_TITLE = "About you"

# The page's questions (legends) and the error for an empty answer, by who is answering.
PARTNER_TYPE_LEGEND = "Which of these best describes your organisation?"
INDIVIDUAL_PARTNER_TYPE_LEGEND = "Which of these best describes you?"
AREA_LEGEND = "Where is your organisation based?"
INDIVIDUAL_AREA_LEGEND = "Where do you live?"
AREA_MISSING = "Select where your organisation is based"
# The organisation name, once they chose "Individual": not theirs to give (fix, review note).
INDIVIDUAL_NAME_LABEL = "Organisation name (optional)"
INDIVIDUAL_NAME_HINT = "You are answering as an individual, so you can leave this empty."
INDIVIDUAL_AREA_MISSING = "Select where you live"

# Summary rows (check answers, confirmation, copies) whose label differs for an individual
# ("Type of organisation", "Based in"); the others read alike for both.
INDIVIDUAL_ROW_LABELS = {"partner_type": "Answering as", "area": "Where you live"}


def is_individual(partner_type: str | None) -> bool:
    """Whether the partner type given (stored, or typed on the page) is an individual's."""
    return partner_type == INDIVIDUAL


def title(partner_type: str | None) -> str:
    """The page's title and the heading of its answers elsewhere."""
    return INDIVIDUAL_TITLE if is_individual(partner_type) else ORGANISATION_TITLE


def partner_type_legend(partner_type: str | None) -> str:
    """The question asking which partner type best describes who is answering."""
    if is_individual(partner_type):
        return INDIVIDUAL_PARTNER_TYPE_LEGEND
    return PARTNER_TYPE_LEGEND


def name_label(partner_type: str | None, label: str) -> str:
    """The organisation name field's label (``label``: its organisation wording)."""
    return INDIVIDUAL_NAME_LABEL if is_individual(partner_type) else label


def area_legend(partner_type: str | None) -> str:
    """The question asking where the organisation is based (where an individual lives)."""
    return INDIVIDUAL_AREA_LEGEND if is_individual(partner_type) else AREA_LEGEND


def area_missing(partner_type: str | None) -> str:
    """The error for the area question left unanswered."""
    return INDIVIDUAL_AREA_MISSING if is_individual(partner_type) else AREA_MISSING


def row_label(name: str, label: str, partner_type: str | None) -> str:
    """A summary row's label for the field ``name`` (``label``: its organisation wording)."""
    if is_individual(partner_type):
        return INDIVIDUAL_ROW_LABELS.get(name, label)
    return label
