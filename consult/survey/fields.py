"""Turn bound form fields into GOV.UK Frontend macro parameters (kept out of templates)."""

from __future__ import annotations

import re
from typing import Any

from markupsafe import Markup
from wtforms import Field

from ..fragments import COUNTED_INPUT
from ..models import Question, text_limit, without_optional_mark
from ..wording import asked
from . import about
from .forms import OrganisationForm, question_choices


def _error(field: Field) -> dict[str, str] | None:
    return {"text": field.errors[0]} if field.errors else None


def _items(field: Field, choices: list[tuple[str, str]], multiple: bool) -> list[dict[str, Any]]:
    data = field.data or ([] if multiple else "")
    return [
        {"value": value, "text": label, "checked": (value in data) if multiple else value == data}
        for value, label in choices
    ]


def _checking(params: dict[str, Any], value: str | None) -> dict[str, Any]:
    """Radios ``params`` with the item ``value`` checked instead (as they were when
    ``value`` is None or empty)."""
    if not value:
        return params
    items = [{**item, "checked": item["value"] == value} for item in params["items"]]
    return {**params, "items": items}


def question_params(
    question: Question, field: Field, individual: bool = False
) -> tuple[str, dict[str, Any]]:
    """The GOV.UK macro that draws this question, and its parameters; worded for a partner
    answering as an individual (``individual``) when it has wording for them."""
    hint = {"text": question.hint} if question.hint else None
    # GOV.UK style: an optional question says so after its label or legend.
    # Never twice, nor on a required question, when the text came with its own (a definition
    # imported, or written before the builder took it off).
    wording = asked(question, individual)
    text = without_optional_mark(wording) or wording
    text = text if question.required else f"{text} (optional)"
    if question.is_text:
        params: dict[str, Any] = {
            "name": field.name,
            "id": field.id,
            "value": field.data or "",
            "label": {"text": text, "classes": "govuk-label--s"},
            "hint": hint,
            "errorMessage": _error(field),
            # Typed right to left (Arabic, Urdu, Hebrew...) it runs and aligns that way.
            "attributes": {"dir": "auto"},
        }
        if question.kind == "long_text":
            limit = text_limit(question)
            params.update(
                {
                    "maxlength": limit,
                    "rows": 6,
                    # The macro's own hint prints the bare number ("5000"); the error message
                    # and the live count (GOV.UK Frontend's JavaScript) write "5,000".
                    "textareaDescriptionText": f"You can enter up to {limit:,} characters.",
                }
            )
            return "character_count", params
        params["spellcheck"] = True
        if question.max_length:
            # A limit the team set is said before it is met, not only in the error after,
            # and counted live as the partner types (GOV.UK Frontend's character count, which
            # takes an input as well as a textarea; collect29 #6): the message under the box
            # reads "You can enter up to 50 characters." without JavaScript.
            limit = text_limit(question)
            params.update(
                {
                    "classes": "govuk-js-character-count",
                    "describedBy": f"{field.id}-info",
                    "formGroup": {
                        "classes": "govuk-character-count",
                        "attributes": {
                            "data-module": "govuk-character-count",
                            "data-maxlength": str(limit),
                        },
                    },
                }
            )
            return COUNTED_INPUT, params
        return "input", params
    multiple = question.kind == "multiple_choice"
    params = {
        "name": field.name,
        "idPrefix": field.id,
        "fieldset": {"legend": {"text": text, "classes": "govuk-fieldset__legend--s"}},
        "hint": hint,
        "errorMessage": _error(field),
        "items": _items(field, question_choices(question), multiple),
    }
    # Agreement questions use the same (large) radios as every other choice on the page:
    # GOV.UK keeps one size unless there is a reason for small ones (many filters, say).
    return ("checkboxes" if multiple else "radios"), params


# The email field's hint says every use of the address: a copy of the response goes to it on
# sending (``receipt.recipient``); on the open link a link back to the answers goes to it when
# the partner asks; an invited organisation comes back through its invitation link instead.
# An invited organisation's field starts with the address its invitation went to, which the
# person never typed (smoke16): labelled "Contact email", its hint says where it came from and
# what it is for (the team sees it with the response, ``review.STAFF_LABELS``).
INVITED_EMAIL_LABEL = "Contact email (optional)"
FROM_INVITATION = "This is the address your invitation went to: change it if needed."
EMAIL_HINT_OPEN = (
    "We will only use this to email you a copy of your response when you send it, and a link "
    "to come back to your answers if you ask for one."
)
# Two short sentences (a review found about 70 words saying "the address your invitation was
# sent to" twice): no link is promised, the invitation link being the invited way back.
EMAIL_HINT_INVITED = (
    f"{FROM_INVITATION} We use it to contact you about this response and to email you a copy "
    "of your response when you send it."
)
# The same when this service sends no email at all (no mail server is set up,
# :func:`consult.mail.mail_configured`): it promises none, and says how to keep a copy.
EMAIL_HINT_NO_MAIL_OPEN = (
    "This service does not send email, so nothing is emailed to this address. You can "
    "download a copy of your response when you send it, and copy the link back to your "
    "answers when you save them."
)
EMAIL_HINT_NO_MAIL_INVITED = (
    f"{FROM_INVITATION} This service does not send email. The team uses your address only to "
    "contact you about this response. You can download a copy of your response when you "
    "send it."
)


def email_hint(invited: bool, emails: bool) -> str:
    """The email field's hint ("Your email"; an invited organisation's "Contact email"):
    what the address is used for on this journey (``invited`` or the open link), when this
    service sends email (``emails``)."""
    if not emails:
        return EMAIL_HINT_NO_MAIL_INVITED if invited else EMAIL_HINT_NO_MAIL_OPEN
    return EMAIL_HINT_INVITED if invited else EMAIL_HINT_OPEN


# Asked where the organisation is based, an individual says where they live.
INDIVIDUAL_AREA_HINT = "If you are answering as an individual, choose where you live."

# A name may be written right to left: it runs and aligns as written.
AUTO_DIR = {"dir": "auto"}


def organisation_params(
    form: OrganisationForm,
    invited: bool = False,
    emails: bool = True,
    organisation_type: str = "",
    organisation_area: str = "",
) -> dict[str, dict[str, Any]]:
    """Macro parameters for each field of the "about your organisation" page; ``invited``
    when the response came through an invitation (whose link is the way back); ``emails``
    when this service sends email (a mail server is set up). A partner who chose
    "Individual" is asked about themselves, not an organisation (``about``); the type
    chosen under "For an organisation" is then ``organisation_type`` (set aside when they
    switched, ``set_aside``), so that switching back finds it as it was. The area question's
    fieldset carries both its wordings and the organisation's stored area
    (``organisation_area``): choosing "As an individual", the page's script asks "Where do you
    live?" and unticks the organisation's area, which is not theirs (fixc17)."""
    chosen = form.partner_type.data
    individual = about.is_individual(chosen)

    def text(field: Field, label: str = "", **extra: Any) -> dict[str, Any]:
        return {
            "name": field.name,
            "id": field.id,
            "value": field.data or "",
            "label": {"text": label or field.label.text, "classes": "govuk-label--s"},
            "errorMessage": _error(field),
            **extra,
        }

    def radios(
        field: Field, choices: list[tuple[str, str]], legend: str = "", **extra: Any
    ) -> dict[str, Any]:
        legend = legend or field.label.text
        return {
            "name": field.name,
            "idPrefix": field.id,
            "fieldset": {"legend": {"text": legend, "classes": "govuk-fieldset__legend--s"}},
            "errorMessage": _error(field),
            "items": _items(field, choices, multiple=False),
            **extra,
        }

    return {
        "answering_as": radios(form.answering_as, form.answering_as.choices),
        # Revealed under "For an organisation" (``with_reveal``): an individual is not asked.
        "organisation_name": text(
            form.organisation_name, autocomplete="organization", attributes=AUTO_DIR
        ),
        "partner_type": _checking(
            radios(form.partner_type, about.ORGANISATION_TYPES),
            organisation_type if individual else None,
        ),
        "size_band": radios(form.size_band, form.size_band.choices),
        "area": _with_legends(
            radios(
                form.area,
                form.area.choices,
                legend=about.area_legend(chosen),
                # Asked where they live once they chose "Individual": no hint needed then.
                **({} if invited or individual else {"hint": {"text": INDIVIDUAL_AREA_HINT}}),
            ),
            organisation_area,
        ),
        "respondent_name": text(form.respondent_name, autocomplete="name", attributes=AUTO_DIR),
        "respondent_email": text(
            form.respondent_email,
            INVITED_EMAIL_LABEL if invited else "",
            type="email",
            autocomplete="email",
            spellcheck=False,
            hint={"text": email_hint(invited, emails)},
        ),
    }


def _with_legends(params: dict[str, Any], organisation_area: str) -> dict[str, Any]:
    """The area radios with both wordings of their question, and the organisation's stored
    area, for the page's script (``consult/static/js/init.mjs``)."""
    attributes = {
        "data-organisation-legend": about.AREA_LEGEND,
        "data-individual-legend": about.INDIVIDUAL_AREA_LEGEND,
    }
    if organisation_area:
        attributes["data-organisation-area"] = organisation_area
    return {**params, "fieldset": {**params["fieldset"], "attributes": attributes}}


def note_id(name: str, conflicts: dict | None, updated: list | None) -> str | None:
    """The id of the note drawn under the field ``name`` about a colleague's answer (its
    clash, ``conflict_note``; or its update, ``updated_note``), if any."""
    if conflicts and name in conflicts:
        return f"{name}-conflict"
    if updated and name in updated:
        return f"{name}-updated"
    return None


def with_note(kind: str, params: dict[str, Any], note: str | None) -> dict[str, Any]:
    """The field's parameters with the note about a colleague's answer (``note``, its id) in
    the field's accessible description (WCAG 1.3.1, fixc17): a set of radios or checkboxes
    by its fieldset, a text input itself. A character count's textarea takes no extra
    description from GOV.UK's macro: :func:`describe_textarea` adds it to the drawn HTML."""
    if not note:
        return params
    if kind in ("radios", "checkboxes"):
        fieldset = dict(params.get("fieldset") or {})
        fieldset["describedBy"] = " ".join(filter(None, [fieldset.get("describedBy"), note]))
        return {**params, "fieldset": fieldset}
    if kind in ("input", COUNTED_INPUT):
        return {**params, "describedBy": " ".join(filter(None, [params.get("describedBy"), note]))}
    return params


def describe_textarea(html: str, field_id: str, note: str | None) -> Markup:
    """A drawn character count whose textarea (``field_id``) is also described by ``note``."""
    if not note:
        return Markup(html)
    tag = re.compile(
        r'(<textarea\b[^>]*\bid="' + re.escape(field_id) + r'"[^>]*?\baria-describedby=")'
    )
    return Markup(tag.sub(lambda m: m.group(1) + note + " ", str(html), count=1))


def with_reveal(params: dict[str, Any], value: str, html: str) -> dict[str, Any]:
    """Radios ``params`` with ``html`` revealed under the item ``value`` when it is chosen
    (GOV.UK Frontend's conditional reveal; shown anyway without JavaScript)."""
    items = [
        {**item, "conditional": {"html": str(html)}} if item["value"] == value else item
        for item in params["items"]
    ]
    return {**params, "items": items}
