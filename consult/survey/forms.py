"""WTForms built per page from the consultation's questions: the one place forms are made."""

from __future__ import annotations

import weakref
from collections.abc import Callable
from typing import Any

from flask_wtf import FlaskForm
from flask_wtf.csrf import _FlaskFormCSRF
from markupsafe import escape
from sqlalchemy import inspect
from werkzeug.datastructures import MultiDict
from wtforms import Field, RadioField, SelectMultipleField, StringField, TextAreaField
from wtforms.validators import DataRequired, Email, Length, Optional, StopValidation

from analysis import cells

from ..answers import choices as question_choices
from ..answers import encode_choices
from ..models import Question, Section, text_limit
from ..reference import AREAS, INDIVIDUAL, PARTNER_TYPES, SIZE_BANDS
from ..templating import form_errors
from ..wording import asked
from . import about

# The one partner type asked how many people it employs (the size question's own words).
BUSINESS = "business"


def normalise_newlines(value: Any) -> Any:
    """Browsers send textarea line breaks as CRLF; count and keep them as one character."""
    if isinstance(value, str):
        return value.replace("\r\n", "\n").replace("\r", "\n")
    return value


# Unicode's explicit direction controls (embeddings, overrides, isolates): invisible, and in
# a one-line field such as a name they can reverse how the text after them shows in lists,
# CSV and Excel, a known spoofing trick (smoke18w #10). Right-to-left text needs none of them.
# The characters are analysis.cells's, which shows them wherever staff read text.
DIRECTION_CONTROLS = dict.fromkeys(map(ord, cells.DIRECTION_CONTROLS))


def without_direction_controls(value: Any) -> Any:
    """A one-line field's text without Unicode's explicit direction controls (U+202A to
    U+202E, U+2066 to U+2069)."""
    if isinstance(value, str):
        return value.translate(DIRECTION_CONTROLS)
    return value


# Error messages quote a question whole, never cut: one longer than this is not quoted at
# all (the message still says what to do, and its link leads to the question).
QUOTE_LIMIT = 120


def quoted_question(text: str) -> str:
    """`` ‘question’`` (with a leading space) as an error message ends, or "" when too long."""
    text = " ".join(text.split())
    return f" ‘{text}’" if len(text) <= QUOTE_LIMIT else ""


def question_messages(question: Question, individual: bool = False) -> tuple[str, str]:
    """The GOV.UK-style messages for an unanswered required question and for text over its
    limit, each quoting the whole question as the partner reads it (``individual``: its
    wording for individuals, ``consult.wording.asked``), or none of it when it is long."""
    quoted = quoted_question(asked(question, individual))
    about = f" to{quoted}" if quoted else ""
    if question.kind == "agreement":
        missing = "Select how much you agree or disagree" + (f" with{quoted}" if quoted else "")
    elif question.kind == "multiple_choice":
        missing = f"Select at least one answer{about}"
    elif question.kind in ("long_text", "short_text"):
        missing = f"Enter your answer{about}"
    else:
        missing = f"Select an answer{about}"
    limit = text_limit(question) if question.kind in ("long_text", "short_text") else None
    # The GOV.UK Design System's character count wording says "or less"; "or fewer" is the
    # right word for a count (smoke17).
    too_long = f"Your answer{about} must be {limit:,} characters or fewer" if limit else ""
    return missing, too_long


def build_question_field(question: Question, individual: bool = False) -> Field:
    """A WTForms field for one question, with GOV.UK-style error messages, worded for an
    individual (``individual``) when the question has wording for them."""
    text = asked(question, individual)
    missing, too_long = question_messages(question, individual)
    if question.kind in ("long_text", "short_text"):
        validators: list[Any] = [
            DataRequired(missing) if question.required else Optional(),
            Length(max=text_limit(question), message=too_long),
        ]
        field_class = TextAreaField if question.kind == "long_text" else StringField
        if question.kind == "long_text":
            return field_class(text, validators=validators, filters=[normalise_newlines])
        return field_class(
            text, validators=validators, filters=[normalise_newlines, without_direction_controls]
        )
    # A value no option has (a scripted or tampered post): plain words, not WTForms' "'x' is
    # not a valid choice for this field." (smoke12).
    about_list = f" for{quoted}" if (quoted := quoted_question(text)) else ""
    if question.kind == "multiple_choice":
        return SelectMultipleField(
            text,
            choices=question_choices(question),
            validators=[DataRequired(missing)] if question.required else [Optional()],
            # WTForms formats this message with "%": a "%" in the question is doubled
            invalid_choice_message=f"Select answers from the list{about_list}".replace("%", "%%"),
        )
    return RadioField(
        text,
        choices=question_choices(question),
        validators=[DataRequired(missing)] if question.required else [Optional()],
        invalid_choice_message=f"Select an answer from the list{about_list}",
    )


class CSRFToken:
    """A page's CSRF token, signed when the page first shows it: most posts redirect, and
    signing a token no page shows is wasted work on every save. Reads as the token."""

    __slots__ = ("_make", "_token")

    def __init__(self, make: Callable[[], str]) -> None:
        self._make = make
        self._token: str | None = None

    def __str__(self) -> str:
        if self._token is None:
            self._token = self._make()
        return self._token

    def __html__(self) -> str:
        return str(escape(str(self)))

    def __eq__(self, other: object) -> bool:
        return str(self) == str(other)

    def __hash__(self) -> int:
        return hash(str(self))


class LazyCSRF(_FlaskFormCSRF):
    """Flask-WTF's CSRF for a form, with the token made only when it is shown."""

    def generate_csrf_token(self, csrf_token_field) -> CSRFToken:  # type: ignore[override]
        parent = super().generate_csrf_token
        return CSRFToken(lambda: parent(csrf_token_field))


class PageForm(FlaskForm):
    """Base for survey pages: CSRF is checked here so an expired token keeps the answers."""

    class Meta(FlaskForm.Meta):
        csrf_class = LazyCSRF

    @property
    def csrf_expired(self) -> bool:
        """True when the only trouble is a missing or expired CSRF token."""
        csrf = getattr(self, "csrf_token", None)
        return bool(csrf is not None and csrf.errors)

    def validate_answers(self) -> bool:
        """Check every answer but not the CSRF token: for a page drawn again, on a GET, from
        what its POST sent (that POST's token was checked when it was sent)."""
        valid = True
        for name, field in self._fields.items():
            if name == "csrf_token":
                continue
            inline = getattr(type(self), f"validate_{name}", None)
            if not field.validate(self, [inline] if inline else ()):
                valid = False
        return valid

    def posted_fields(self, formdata: MultiDict) -> list[tuple[str, str]]:
        """The (name, value) pairs of ``formdata`` that belong to this form's answers."""
        return [
            (name, value)
            for name, value in formdata.items(multi=True)
            if name in self._fields and name != "csrf_token"
        ]

    def field_errors(self) -> list[tuple[str, str]]:
        """(field id, message) pairs for the error summary, in page order."""
        return form_errors(self)


def section_form(
    section: Section,
    formdata: MultiDict | None = None,
    csrf: bool = True,
    individual: bool = False,
) -> PageForm:
    """A form for one section page, bound to ``formdata`` when given; its questions (and
    error messages) worded for an individual when ``individual``."""
    form_class = _section_form_class(section, individual)
    meta = {} if csrf else {"csrf": False}
    return form_class(formdata=formdata, meta=meta)


# Form classes of published sections (consult/published.py), made once per copy and
# audience (for an individual or not): a copy never changes (a changed consultation is a new
# copy), and they are dropped with their copy.
_FORM_CLASSES: weakref.WeakKeyDictionary[Section, dict[bool, type[PageForm]]] = (
    weakref.WeakKeyDictionary()
)


def _section_form_class(section: Section, individual: bool = False) -> type[PageForm]:
    """The form class of a section page: kept for a published (detached, read-only) copy,
    made afresh for a section a staff page is working on."""
    if not inspect(section).detached:
        return _make_section_form_class(section, individual)
    made = _FORM_CLASSES.setdefault(section, {})
    form_class = made.get(individual)
    if form_class is None:
        form_class = made[individual] = _make_section_form_class(section, individual)
    return form_class


def _make_section_form_class(section: Section, individual: bool = False) -> type[PageForm]:
    fields = {
        question.field_name: build_question_field(question, individual)
        for question in section.questions
    }
    return type(f"Section{section.id}Form", (PageForm,), fields)


def _size_band_required(form: OrganisationForm, field: Field) -> None:
    """A size is needed for businesses only; for others an empty answer is fine."""
    if field.data:
        return
    field.errors[:] = []  # drop "Not a valid choice" for an empty answer
    if form.partner_type.data == BUSINESS:
        raise StopValidation("Select the size of your business")
    raise StopValidation()


def _for_organisation(form: OrganisationForm) -> bool:
    return form.answering_as.data == about.FOR_ORGANISATION


def _answering_as_required(form: OrganisationForm, field: Field) -> None:
    """Whom the answers are for is needed first (read from the partner type when the page
    did not say: :meth:`OrganisationForm.process`)."""
    field.errors[:] = []  # drop "Not a valid choice": the message below says what to do
    if field.data is None:
        raise StopValidation(about.ANSWERING_AS_MISSING)


def _organisation_name_required(form: OrganisationForm, field: Field) -> None:
    """A name is needed from an organisation only: an individual has none to give (they
    were asked for one all the same, an earlier walk found; then could type their own, and
    staff read "Organisation: Me"). Unasked until "For an organisation" is chosen."""
    if not _for_organisation(form):
        field.errors[:] = []
        raise StopValidation()
    if field.data and field.data.strip():
        return
    field.errors[:] = []
    raise StopValidation("Enter the name of your organisation")


def _partner_type_required(form: OrganisationForm, field: Field) -> None:
    """An organisation says which type it is; an individual's is theirs already."""
    if not _for_organisation(form):
        field.errors[:] = []
        raise StopValidation()
    if field.data and not about.is_individual(field.data) and not field.errors:
        return
    field.errors[:] = []
    raise StopValidation("Select which best describes your organisation")


def _area_required(form: OrganisationForm, field: Field) -> None:
    """An area is needed from everyone; left empty, an individual is asked where they live
    (they have no organisation to be based anywhere)."""
    if field.data:
        return
    field.errors[:] = []  # drop "Not a valid choice" for an empty answer
    raise StopValidation(about.area_missing(form.partner_type.data))


class OrganisationForm(PageForm):
    """About your organisation: who is answering, prefilled from the invitation.

    ``answering_as`` is not stored: it is read from the partner type (and a name) when the
    page did not send it, and an individual's partner type is theirs whatever else the page
    sent (:meth:`process`). An invitation's draft (:attr:`invited`) is the invited
    organisation's: it is never answered as an individual, whatever the page sent (fixc17).
    """

    # Set on the form of an invitation's draft (:func:`organisation_form`).
    invited = False

    answering_as = RadioField(
        about.ANSWERING_AS_LEGEND,
        choices=about.ANSWERING_AS,
        validators=[_answering_as_required],
    )
    organisation_name = StringField(
        "Organisation name",
        filters=[without_direction_controls],
        validators=[
            _organisation_name_required,
            Length(max=200, message="Organisation name must be 200 characters or fewer"),
        ],
    )
    partner_type = RadioField(
        about.PARTNER_TYPE_LEGEND,
        choices=PARTNER_TYPES,
        validators=[_partner_type_required],
    )
    size_band = RadioField(
        "If you are a business, how many people do you employ?",
        choices=SIZE_BANDS,
        validators=[_size_band_required],
    )
    area = RadioField(
        about.AREA_LEGEND,
        choices=AREAS,
        validators=[_area_required],
    )
    respondent_name = StringField(
        "Your name (optional)",
        filters=[without_direction_controls],
        validators=[
            Optional(),
            Length(max=200, message="Your name must be 200 characters or fewer"),
        ],
    )
    respondent_email = StringField(
        "Your email address (optional)",
        filters=[without_direction_controls],
        validators=[
            Optional(),
            Length(max=320, message="Email address must be 320 characters or fewer"),
            Email("Enter an email address in the correct format, like name@example.com"),
        ],
    )

    def process(
        self,
        formdata: Any = None,
        obj: Any = None,
        data: Any = None,
        extra_filters: Any = None,
        **kwargs: Any,
    ) -> None:
        """Bind the fields, then settle whom the answers are for (:func:`about.answering_as`):
        answering as an individual, the partner type is theirs; for an organisation, the
        individual's type (not among the types offered under it) is no answer."""
        super().process(formdata, obj, data, extra_filters, **kwargs)
        if self.invited:
            self.answering_as.data = about.FOR_ORGANISATION
        who = about.answering_as(
            self.answering_as.data, self.partner_type.data, self.organisation_name.data
        )
        self.answering_as.data = who
        if who == about.AS_INDIVIDUAL:
            self.partner_type.data = INDIVIDUAL
        elif who == about.FOR_ORGANISATION and about.is_individual(self.partner_type.data):
            self.partner_type.data = None

    def typed(self) -> dict[str, str]:
        """What the page stores (``encode_typed``): not ``answering_as``; for an individual
        no organisation name, whatever the (visible, without JavaScript) field held: theirs
        is never stored as an organisation's; and a size only for a business, the one type
        asked for it (``_size_band_required``): a size chosen before switching to another
        type, or to "As an individual", is never exported or counted as theirs."""
        typed = encode_typed(self, {})
        typed.pop("answering_as", None)
        if self.answering_as.data == about.AS_INDIVIDUAL:
            typed["organisation_name"] = ""
        if self.partner_type.data != BUSINESS:
            typed["size_band"] = ""
        return typed


class InvitedOrganisationForm(OrganisationForm):
    """The page of an invitation's draft: for the invited organisation only."""

    invited = True


def organisation_form(
    formdata: MultiDict | None = None, csrf: bool = True, invited: bool = False
) -> OrganisationForm:
    """The "about your organisation" form, bound to ``formdata`` when given; ``invited``: the
    draft came by an invitation, so it answers for the invited organisation only."""
    form_class = InvitedOrganisationForm if invited else OrganisationForm
    return form_class(formdata=formdata, meta={} if csrf else {"csrf": False})


class StartForm(PageForm):
    """The start page's single button."""


class CheckForm(PageForm):
    """The check-answers page's submit button."""


def encode_typed(form: PageForm, questions: dict[str, Question]) -> dict[str, str]:
    """What the partner typed on a page, as the strings a draft stores.

    Text is kept exactly (even when too long: it is a draft, nothing is lost); a choice
    is kept only when it is one of the choices offered.
    """
    typed: dict[str, str] = {}
    for field in form:
        if field.name == "csrf_token":
            continue
        question = questions.get(field.name)
        if isinstance(field, SelectMultipleField):
            allowed = {value for value, _ in field.choices}
            chosen = [value for value in (field.data or []) if value in allowed]
            typed[field.name] = encode_choices(chosen, question) if question else ""
        elif isinstance(field, RadioField):
            allowed = {value for value, _ in field.choices}
            typed[field.name] = field.data if field.data in allowed else ""
        else:
            typed[field.name] = field.data or ""
    return typed
