"""What partners read about a consultation, built from its own settings and questions.

Start pages, confirmations and emails take their wording from here, so no consultation shows
another's text: each setting left empty in the builder falls back to a neutral default.
"""

from __future__ import annotations

import re

from flask import current_app, url_for

from .models import Consultation, Question, stored_number
from .times import uk_time


def number_label(number: int) -> str:
    """A question's short name from its number, 'Q4': the one place it is written, for
    exports, imports, staff figures and the reports' pages and coding wording."""
    return f"Q{number}"


DEFAULT_TEAM = "The consultation team"


def plural(count: int, singular: str, many: str | None = None) -> str:
    """``1 section``, ``2 sections``, ``0 questions``, ``1,275 responses`` (also the
    templates' ``plural`` global)."""
    return f"{count:,} {singular if count == 1 else (many or singular + 's')}"


def _how_many_are(count: int, total: int, word: str) -> str:
    if total == 1:  # "It is optional" would read as the consultation being optional
        return f"The question is {word}."
    if total == 2:
        return f"Both are {word}."
    return f"All are {word}."


def size_summary(consultation: Consultation) -> str:
    """How many sections and questions there are, and which are required, from the real
    questions: ``It has 1 section and 2 questions. 1 is required and 1 is optional.``"""
    sections = len(consultation.sections)
    questions = consultation.questions
    total = len(questions)
    if total == 0:
        return f"It has {plural(sections, 'section')} and no questions yet."
    required = sum(1 for question in questions if question.required)
    optional = total - required
    sentence = f"It has {plural(sections, 'section')} and {plural(total, 'question')}. "
    if optional == 0:
        return sentence + _how_many_are(required, total, "required")
    if required == 0:
        return sentence + _how_many_are(optional, total, "optional")
    return (
        sentence
        + f"{required} {'is' if required == 1 else 'are'} required and "
        + f"{optional} {'is' if optional == 1 else 'are'} optional."
    )


def minutes(consultation: Consultation) -> str:
    """``It takes about 15 minutes.``: the minutes staff gave, or when they gave none
    (``MINUTES_NOT_GIVEN``), an estimate from the questions rather than a fixed figure."""
    minutes = stored_number(consultation.minutes_to_complete, 1, 600) or estimated_minutes(
        consultation
    )
    return f"It takes about {plural(minutes, 'minute')}."


def estimated_minutes(consultation: Consultation) -> int:
    """About 3 minutes for each text answer and 1 for each other question, at least 2."""
    return max(2, sum(3 if q.is_text else 1 for q in consultation.questions))


def team_name(consultation: Consultation) -> str:
    """Who runs the consultation, as partners should read it."""
    return consultation.team_name.strip() or DEFAULT_TEAM


def paragraphs(text: str) -> list[str]:
    """Blank-line separated paragraphs of a setting, without empty ones. A browser's text
    box sends its line breaks as "\r\n", and a blank line may hold spaces: both still
    separate paragraphs."""
    lines = (text or "").replace("\r\n", "\n").replace("\r", "\n")
    return [part.strip() for part in re.split(r"\n[ \t]*\n", lines) if part.strip()]


def asked(question: Question, individual: bool = False) -> str:
    """The question as a partner reads it: its wording for individuals (staff's, in the
    builder) to one answering as an individual (``individual``,
    ``consult.survey.about.is_individual``), else its text, which everyone else reads."""
    own = (question.text_individuals or "").strip() if individual else ""
    return own or question.text


def what_happens_next(consultation: Consultation, individual: bool = False) -> list[str]:
    """The confirmation page's "What happens next": the consultation's own wording (for a
    partner answering as an individual, ``individual``, its wording for individuals when it
    has one), or a neutral default naming the closing date: the date it really closed once
    it has (Close now may have closed it before the planned date), else the planned one."""
    own = paragraphs(consultation.what_happens_next_individuals) if individual else []
    own = own or paragraphs(consultation.what_happens_next)
    if own:
        return own
    team = team_name(consultation)
    closed = consultation.closed_on()
    if closed is not None:
        when = f"now that the consultation has closed (on {uk_time(closed, 'date')})"
    elif consultation.availability() == "closed":  # closed by hand, no time stored
        when = "now that the consultation has closed"
    elif consultation.closes_at:
        when = f"after the consultation closes on {uk_time(consultation.closes_at, 'date')}"
    else:
        when = "after the consultation closes"
    return [f"{team} will read every response {when}. We will publish a summary of what we heard."]


# --- said alike on the pages and in the emails that follow them (left18) -------------------

RESUME_LINK_INTRO = (
    "Use this link to come back to your answers on any device until the consultation closes:"
)


def share_warning(individual: bool = False) -> str:
    """Who may see a saved response's link, as the saved page and its email say it."""
    whom = "do not share it" if individual else "only share it with colleagues"
    return f"Anyone with the link can see and change your answers, so {whom}."


def received_words(consultation: Consultation, submitted_at=None) -> str:
    """The confirmation's thanks, with when the response arrived (when known)."""
    when = f" We received your response on {uk_time(submitted_at)}." if submitted_at else ""
    return f"Thank you for responding to {consultation.title}.{when}"


def contact_words(consultation: Consultation) -> str:
    """What to give when contacting the team about a sent response (plain text; the page
    links the address)."""
    contact = consultation.contact_email.strip()
    at = f" at {contact}" if contact else ""
    return f"If you contact us about your response{at}, give your reference number."


def privacy_url(consultation: Consultation) -> str:
    """The public link to the consultation's privacy notice."""
    return url_for("survey.privacy", slug=consultation.slug, _external=True)


def sender(consultation: Consultation) -> tuple[str, str]:
    """The (name, address) emails about this consultation come from: its own settings, else
    the organisation's name and the server's ``MAIL_SENDER``."""
    config = current_app.config
    name = (
        consultation.email_sender_name.strip()
        or consultation.team_name.strip()
        or f"{config['ORGANISATION_NAME']} consultations"
    )
    address = consultation.email_sender_address.strip() or config["MAIL_SENDER"]
    return name, address


def signature(consultation: Consultation) -> str:
    """The sign-off at the end of every email: the consultation's own, else its team, its
    organisation and its contact address."""
    own = (consultation.email_signature or "").strip()
    if own:
        return own
    lines = [team_name(consultation), current_app.config["ORGANISATION_NAME"]]
    if consultation.contact_email.strip():
        lines.append(consultation.contact_email.strip())
    return "\n".join(lines)


def invitation_message(consultation: Consultation) -> str:
    """The invitation's opening paragraph(s): the consultation's own wording, or a default."""
    own = (consultation.invitation_message or "").strip()
    if own:
        return own
    return (
        f"We would like your organisation's views on {consultation.title}. "
        + (consultation.summary.split("\n\n")[0].strip() if consultation.summary else "")
    ).strip()
