"""Forms for the staff workspace."""

from __future__ import annotations

from flask_wtf.file import FileField
from wtforms import (
    BooleanField,
    EmailField,
    PasswordField,
    SelectField,
    StringField,
    TextAreaField,
)
from wtforms.validators import (
    DataRequired,
    Email,
    Length,
    NumberRange,
    Optional,
    Regexp,
)

from ..models import ROLES, as_utc
from ..reference import AREAS, PARTNER_TYPES, QUESTION_KINDS, SIZE_BANDS
from ..retention_notice import conflict
from ..times import from_uk, missing_day, parse_uk_datetime, uk_time
from ..whole_number import WholeNumberField
from .kept_forms import StaffForm

# Staff addresses are plain ASCII before the @ (no SMTPUTF8): "ana😀@example.org" was added as
# a user (smoke18w #13), an address many mail servers cannot deliver to.
EMAIL_FORMAT = "Enter an email address in the correct format, like name@example.com"


def too_long(label: str, limit: int) -> str:
    """A length error that names its field, as the partner forms' do ("Name must be 200
    characters or fewer"), not WTForms' "Field cannot be longer than 200 characters."
    (smoke18w #13)."""
    return f"{label} must be {limit:,} characters or fewer"


def optional_email() -> list:
    """The validators of an email address that may be left empty: at most 320 characters
    (the longest an address can be) and in the correct format."""
    return [
        Optional(),
        Length(max=320, message=too_long("Email address", 320)),
        Email(EMAIL_FORMAT, allow_smtputf8=False),
    ]


class UserForm(StaffForm):
    email = EmailField(
        "Email address",
        validators=[
            DataRequired("Enter an email address"),
            Email(EMAIL_FORMAT, allow_smtputf8=False),
        ],
    )
    name = StringField(
        "Name", validators=[Optional(), Length(max=200, message=too_long("Name", 200))]
    )
    # No role is chosen for the admin adding a user: a preselected Admin (the first role)
    # would give a new colleague every permission when the field is skipped.
    role = SelectField(
        "Role",
        choices=[("", "Choose a role"), *((r, r.title()) for r in ROLES)],
        validators=[DataRequired("Select the user's role")],
    )
    password = PasswordField(
        "Password (at least 12 characters)",
        validators=[
            DataRequired("Enter a password"),
            Length(min=12, message="The password must be at least 12 characters"),
        ],
    )


class RoleForm(StaffForm):
    role = SelectField("Role", choices=[(r, r.title()) for r in ROLES])


class UKDateTimeField(StringField):
    """A date and time typed on a UK clock (GMT or BST) the way pages show one ("31 March
    2027 at 5pm"; "31/03/2027 17:00" and ISO 8601 read too, see
    :func:`consult.times.parse_uk_datetime`); ``data`` is the instant in UTC. A date alone
    means the start of that day, or its last minute (11:59pm) with ``end_of_day``."""

    def __init__(
        self, label=None, validators=None, moment: str = "time", end_of_day: bool = False, **kw
    ):
        super().__init__(label, validators, **kw)
        self.moment = moment
        self.end_of_day = end_of_day

    def process_data(self, value) -> None:
        self.data = as_utc(value)  # stored times are UTC (naive when read from SQLite)

    def process_formdata(self, valuelist) -> None:
        text = valuelist[0] if valuelist else ""
        if not text.strip():
            self.data = None
            return
        found = parse_uk_datetime(text)
        if found is None:
            self.data = None
            if why := missing_day(text):
                raise ValueError(f"Enter a real date for the {self.moment}: {why}")
            raise ValueError(
                f"Enter the {self.moment} as a date and time, like 31 March 2027 at 5pm "
                "or 31/03/2027 17:00"
            )
        local, has_time = found
        if not has_time and self.end_of_day:
            local = local.replace(hour=23, minute=59)
        self.data = from_uk(local)

    def _value(self) -> str:
        if self.raw_data:
            return " ".join(self.raw_data)
        return uk_time(self.data)


class ConsultationForm(StaffForm):
    title = StringField(
        "Title",
        validators=[DataRequired("Enter a title"), Length(max=200, message=too_long("Title", 200))],
    )
    slug = StringField(
        "Web address name",
        validators=[
            DataRequired("Enter a web address name"),
            Length(max=80, message=too_long("Web address name", 80)),
            Regexp(
                r"^[a-z0-9]+(?:-[a-z0-9]+)*$",
                message="Use lower-case letters, numbers and hyphens, like bus-strategy-2027",
            ),
        ],
    )
    summary = TextAreaField(
        "Summary", validators=[Optional(), Length(max=5000, message=too_long("Summary", 5000))]
    )
    audience = TextAreaField(
        "Who should answer",
        validators=[Optional(), Length(max=2000, message=too_long("Who should answer", 2000))],
    )
    privacy_notice = TextAreaField(
        "Privacy notice",
        validators=[Optional(), Length(max=10000, message=too_long("Privacy notice", 10000))],
    )
    opens_at = UKDateTimeField("Opens (UK time)", validators=[Optional()], moment="opening time")
    closes_at = UKDateTimeField(
        "Closes (UK time)", validators=[Optional()], moment="closing time", end_of_day=True
    )
    minutes_to_complete = WholeNumberField(
        "Minutes to complete",
        validators=[Optional(), NumberRange(1, 600, "Enter a number of minutes between 1 and 600")],
    )
    retention_days = WholeNumberField(
        "Keep responses for (days after closing)",
        validators=[Optional(), NumberRange(1, 3650, "Enter a number of days between 1 and 3650")],
    )
    allow_open_link = BooleanField("Anyone with the link can respond", default=True)
    allow_invitations = BooleanField("Invited organisations can respond", default=True)
    # What partners read: each left empty falls back to a neutral default (consult/wording.py).
    team_name = StringField(
        "Team name", validators=[Optional(), Length(max=200, message=too_long("Team name", 200))]
    )
    contact_email = EmailField(
        "Contact email address",
        validators=optional_email(),
    )
    what_happens_next = TextAreaField(
        "What happens next",
        validators=[Optional(), Length(max=5000, message=too_long("What happens next", 5000))],
    )
    what_happens_next_individuals = TextAreaField(
        "What happens next, for someone answering as an individual",
        validators=[
            Optional(),
            Length(max=5000, message=too_long("What happens next for individuals", 5000)),
        ],
    )
    email_sender_name = StringField(
        "Emails come from (name)",
        validators=[Optional(), Length(max=200, message=too_long("The sender name", 200))],
    )
    email_sender_address = EmailField(
        "Emails come from (address)",
        validators=optional_email(),
    )
    invitation_message = TextAreaField(
        "Invitation message",
        validators=[Optional(), Length(max=5000, message=too_long("Invitation message", 5000))],
    )
    email_signature = TextAreaField(
        "Email signature",
        validators=[Optional(), Length(max=2000, message=too_long("Email signature", 2000))],
    )

    def validate(self, extra_validators=None) -> bool:
        """Each field's own checks, then: the consultation must close after it opens, and
        the privacy notice must not promise another retention period than the setting keeps
        (an empty setting keeps responses until deleted, so the check runs after the
        fields' own)."""
        if not super().validate(extra_validators):
            return False
        opens, closes = self.opens_at.data, self.closes_at.data
        if opens and closes and closes <= opens:
            self.closes_at.errors.append(
                f"The closing time must be after the opening time ({uk_time(opens)})"
            )
            return False
        problem = conflict(self.privacy_notice.data, self.retention_days.data)
        if problem:
            self.retention_days.errors.append(problem)
            return False
        return True


class SectionForm(StaffForm):
    title = StringField(
        "Section title",
        validators=[
            DataRequired("Enter a title"),
            Length(max=200, message=too_long("Section title", 200)),
        ],
    )
    intro = TextAreaField(
        "Introduction",
        validators=[Optional(), Length(max=5000, message=too_long("Introduction", 5000))],
    )


class QuestionForm(StaffForm):
    kind = SelectField("Kind", choices=QUESTION_KINDS)
    text = TextAreaField(
        "Question",
        validators=[
            DataRequired("Enter the question"),
            Length(max=2000, message=too_long("Question", 2000)),
        ],
    )
    hint = TextAreaField(
        "Hint", validators=[Optional(), Length(max=2000, message=too_long("Hint", 2000))]
    )
    # The one way a question serves individuals: its wording for them (consult.wording.asked).
    text_individuals = TextAreaField(
        "Question for someone answering as an individual (optional)",
        validators=[
            Optional(),
            Length(max=2000, message=too_long("The question for individuals", 2000)),
        ],
    )
    required = BooleanField("Required")
    max_length = WholeNumberField(
        "Character limit (text questions)",
        validators=[Optional(), NumberRange(1, 100000, "Enter a limit between 1 and 100,000")],
    )
    options = TextAreaField(
        "Options, one per line (choice questions)",
        validators=[Optional(), Length(max=10000, message=too_long("Options", 10000))],
    )
    with_why = BooleanField("Add a 'Why do you say that?' question (agreement scales)")


class OrganisationForm(StaffForm):
    name = StringField(
        "Name",
        validators=[
            DataRequired("Enter the organisation's name"),
            Length(max=200, message=too_long("Organisation name", 200)),
        ],
    )
    # No type or area is chosen for the person adding an organisation: a preselected first
    # option (Business, Birmingham) would be saved silently when they skip the field.
    # A value no option has, or no value at all (a hand-made post): the field's own message,
    # not WTForms' "Not a valid choice." (tidy30).
    partner_type = SelectField(
        "Partner type",
        choices=[("", "Choose a partner type"), *PARTNER_TYPES],
        validators=[DataRequired("Select the organisation's partner type")],
        invalid_choice_message="Select the organisation's partner type",
    )
    size_band = SelectField(
        "Business size",
        choices=[("", "Not a business"), *SIZE_BANDS],
        invalid_choice_message="Select the organisation's business size, or Not a business",
    )
    area = SelectField(
        "Area",
        choices=[("", "Choose an area"), *AREAS],
        validators=[DataRequired("Select the organisation's area")],
        invalid_choice_message="Select the organisation's area",
    )
    contact_email = EmailField(
        "Contact email",
        validators=[Optional(), Email("Enter an email address in the correct format")],
    )


class UploadForm(StaffForm):
    file = FileField("File")


class ReasonForm(StaffForm):
    reason = TextAreaField(
        "Reason",
        validators=[
            DataRequired("Enter the reason for removing this response's data"),
            Length(max=2000, message="The reason must be 2,000 characters or fewer"),
        ],
    )


class EmptyForm(StaffForm):
    """A form that only carries a CSRF token (buttons that change something)."""
