"""A partner's copy of the response they sent: a text file to download, and an email on sending.

The text is built by ``lost.as_text``, as the closed draft's saved answers and a lost page's
typed answers are: the consultation's title, when the response was sent (UK time), its
reference, then "About your organisation" ("About you" for an individual) and every section
with every question and its answer ("Not answered" for one left empty), as the confirmation
page lists them.

The email goes after the submission is committed, to the address the partner gave ("Your
email"); an invited organisation that left it empty gets it at its invitation address. Whatever goes
wrong sending it, the submission stands and the confirmation page says the email could not
be sent, offering the download instead.

Nothing here reads a request: views pass the consultation and response.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from flask import current_app

from ..mail import send_response_copy, sendable
from ..models import Consultation, Response
from ..times import uk_time
from . import about, lost, review

UNSAFE_IN_FILE_NAME = re.compile(r"[^A-Za-z0-9]+")


def copy_text(consultation: Consultation, response: Response) -> str:
    """The sent response as plain text: title, time sent, reference and every answer."""
    rows = [(row.key, row.value) for row in review.organisation_rows(response)]
    sections = [(about.title(response.partner_type), rows)]
    sections += [
        (section.title, [(row.key, row.value) for row in review.section_rows(section, response)])
        for section in consultation.sections
    ]
    heading = ("Your response to", f"Sent on {uk_time(response.submitted_at)} (UK time).")
    details = [f"Reference number: {response.reference}"]
    return lost.as_text(consultation, [], heading, details, sections)


def file_name(consultation: Consultation, response: Response) -> str:
    """The downloaded file's name: letters, digits and hyphens only, so it is safe in a
    ``Content-Disposition`` header and on any file system."""
    name = UNSAFE_IN_FILE_NAME.sub("-", f"{consultation.slug}-response-{response.reference}")
    return f"{name.strip('-') or 'response'}.txt"


def recipient(response: Response) -> str | None:
    """The address a copy of the response goes to, or None when there is none to use: the
    email the partner gave ("Your email", an invited organisation's "Contact email"); an
    invited organisation that gave none (the field starts with its invitation address, and
    may be cleared) falls back to its invitation address."""
    given = response.respondent_email
    if sendable(given) or response.invitation_id is None:
        address = given
    else:
        invitation = response.invitation
        address = invitation.organisation.contact_email if invitation is not None else None
    return address.strip() if sendable(address) else None


@dataclass(frozen=True)
class EmailedCopy:
    """Where the copy was emailed, whether it went, and whether it only went to the outbox
    (``kept``: no mail server is set up, so it never left this machine)."""

    to: str
    sent: bool
    kept: bool = False


def email_copy(consultation: Consultation, response: Response) -> EmailedCopy | None:
    """Email the sent response's copy to :func:`recipient`; None when there is no address.

    Call it only after the submission is committed. Any failure (the mail server down or
    refusing, an address the email library will not take) is logged and reported as
    ``sent=False``, never raised: the response has been sent, and the partner is told to
    download the copy instead."""
    to = recipient(response)
    if to is None:
        return None
    copy = copy_text(consultation, response)  # read before the mail server is involved
    try:
        outbox = send_response_copy(
            consultation,
            to,
            response.reference,
            copy,
            individual=about.is_individual(response.partner_type),
            submitted_at=response.submitted_at,
        )
    except Exception:  # the submission stands, whatever went wrong
        current_app.logger.warning(
            "Could not email the copy of response %s", response.reference, exc_info=True
        )
        return EmailedCopy(to, sent=False)
    return EmailedCopy(to, sent=True, kept=outbox is not None)
