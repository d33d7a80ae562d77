"""Send messages by SMTP when mail is configured, otherwise write them to instance/outbox.

A :class:`Postbox` keeps one SMTP connection open for a batch (invitations to many
organisations); :func:`send` delivers a single message.
"""

from __future__ import annotations

import re
import smtplib
from datetime import UTC, datetime
from email.headerregistry import Address
from email.message import EmailMessage
from email.utils import formatdate, make_msgid, parseaddr
from pathlib import Path
from types import TracebackType

from flask import current_app

from .models import Consultation
from .times import uk_time
from .wording import (
    RESUME_LINK_INTRO,
    contact_words,
    received_words,
    sender,
    share_warning,
    signature,
    what_happens_next,
)

# What a failed delivery raises: the server refused, dropped the connection or was unreachable.
DELIVERY_ERRORS = (smtplib.SMTPException, OSError)
# The server refused one message or recipient but the connection is fine.
REFUSED = (smtplib.SMTPRecipientsRefused, smtplib.SMTPResponseException)


def _reply(code: int, text: bytes | str) -> str:
    """An SMTP reply as the server sent it: "550 No such mailbox"."""
    if isinstance(text, bytes):
        text = text.decode("utf-8", "replace")
    return " ".join(f"{code} {text}".split())


def hard_bounce(error: BaseException) -> bool:
    """The mail server refused the recipient for good (a 5xx reply to RCPT TO): the address
    does not take mail, and sending to it again fails again. A 4xx reply is only "not now"."""
    return (
        isinstance(error, smtplib.SMTPRecipientsRefused)
        and bool(error.recipients)
        and all(500 <= code < 600 for code, _ in error.recipients.values())
    )


def failure_words(error: BaseException) -> str:
    """Why an email did not go, in words staff read on the page after Send and in the
    mail-merge file: not Python's repr of the error, which showed as "({'a@b.org': (550,
    b'No such mailbox')})" (smoke28)."""
    if isinstance(error, smtplib.SMTPRecipientsRefused):
        replies = "; ".join(_reply(code, text) for code, text in error.recipients.values())
        if hard_bounce(error):
            return f"the mail server refused this address ({replies})"
        return f"the mail server turned this address away for now ({replies}): try again later"
    if isinstance(error, smtplib.SMTPResponseException):
        return f"the mail server refused the email ({_reply(error.smtp_code, error.smtp_error)})"
    if isinstance(error, smtplib.SMTPException):
        return f"the mail server stopped answering ({error or type(error).__name__})"
    if isinstance(error, OSError):  # refused, unreachable or timed out
        why = error.strerror or str(error) or type(error).__name__
        return f"the mail server could not be reached ({why})"
    return str(error) or type(error).__name__


# Line breaks and other control characters: in a header they would end it (or start a new
# one, such as Bcc:), so the email library refuses them and the message would not be sent.
CONTROL = re.compile(r"[\x00-\x1f\x7f-\x9f\u2028\u2029]")


def header_text(value: str) -> str:
    """A value safe for one mail header: control characters and line breaks become spaces,
    runs of spaces one space. (A consultation title typed with a line break reads as one
    line in the subject.)"""
    return " ".join(CONTROL.sub(" ", value or "").split())


def sendable(address: str | None) -> bool:
    """Whether an address as saved in a draft (a draft keeps what was typed, checked or not)
    is one a message can be sent to."""
    if not address or not address.strip():
        return False
    # imported here, when an address is checked: not every process start (BENCHMARKS "ci33")
    from email_validator import EmailNotValidError, validate_email

    try:
        validate_email(address.strip(), check_deliverability=False)
    except EmailNotValidError:
        return False
    return True


def compose(
    to: str,
    subject: str,
    body: str,
    sender: tuple[str, str] | None = None,
    reply_to: str | None = None,
) -> EmailMessage:
    """A plain-text message; ``sender`` is (name, address), by default ``MAIL_SENDER``.
    Every header value goes through :func:`header_text` first; the message gets a ``Date``
    and a ``Message-ID``."""
    message = EmailMessage()
    if sender:
        name, address = (header_text(part) for part in sender)
        message["From"] = Address(display_name=name, addr_spec=address) if name else address
    else:
        message["From"] = header_text(current_app.config["MAIL_SENDER"])
    message["To"] = header_text(to)
    if reply_to and header_text(reply_to):
        message["Reply-To"] = header_text(reply_to)
    message["Subject"] = header_text(subject)
    # A Date and a Message-ID on every message: mail systems score their absence as spam,
    # and a partner keeping the confirmation email sees when it was sent. The id's domain is
    # the sender's (no lookup of this machine's name).
    message["Date"] = formatdate(localtime=False, usegmt=True)
    domain = parseaddr(str(message["From"]))[1].rpartition("@")[2] or "consult.invalid"
    message["Message-ID"] = make_msgid(domain=domain)
    message.set_content(body)
    return message


def mail_configured() -> bool:
    """Whether this service sends email at all: a ``MAIL_SERVER`` is set. Without one every
    message only goes to ``instance/outbox`` and nobody receives it, so no page should
    promise one (smoke walk 13, finding 4)."""
    return bool(current_app.config.get("MAIL_SERVER"))


class Postbox:
    """Delivers messages over one SMTP connection, or to the outbox when there is no server.

    Use as a context manager. A failed delivery raises one of :data:`DELIVERY_ERRORS`; when
    the connection itself failed, the next message opens a new one.
    """

    def __init__(self) -> None:
        self.config = current_app.config
        self.outbox = Path(current_app.instance_path) / "outbox"
        self._smtp: smtplib.SMTP | None = None

    def __enter__(self) -> Postbox:
        return self

    def __exit__(
        self,
        kind: type[BaseException] | None,
        error: BaseException | None,
        trace: TracebackType | None,
    ) -> None:
        self.close()

    def _connection(self) -> smtplib.SMTP:
        if self._smtp is None:
            config = self.config
            smtp = smtplib.SMTP(config["MAIL_SERVER"], int(config["MAIL_PORT"]), timeout=10)
            try:
                if config.get("MAIL_USE_TLS"):
                    smtp.starttls()
                if config.get("MAIL_USERNAME"):
                    smtp.login(config["MAIL_USERNAME"], config.get("MAIL_PASSWORD") or "")
            except BaseException:
                smtp.close()
                raise
            self._smtp = smtp
        return self._smtp

    def deliver(self, message: EmailMessage) -> Path | None:
        """Send one message; returns the outbox file when there is no SMTP server."""
        if not mail_configured():
            self.outbox.mkdir(parents=True, exist_ok=True)
            stamp = datetime.now(UTC).strftime("%Y%m%dT%H%M%S%f")
            path = self.outbox / f"{stamp}.eml"
            path.write_bytes(bytes(message))
            return path
        try:
            self._connection().send_message(message)
        except REFUSED:
            raise  # the connection is still usable: smtplib has reset the transaction
        except DELIVERY_ERRORS:
            self.close()  # the connection is gone: the next message opens a new one
            raise
        return None

    def close(self) -> None:
        """Say goodbye to the SMTP server, if connected."""
        if self._smtp is not None:
            smtp, self._smtp = self._smtp, None
            try:
                smtp.quit()
            except DELIVERY_ERRORS:
                smtp.close()


def send(
    to: str,
    subject: str,
    body: str,
    sender: tuple[str, str] | None = None,
    reply_to: str | None = None,
) -> Path | None:
    """Deliver one plain-text message; returns the outbox file when there is no SMTP server."""
    with Postbox() as postbox:
        return postbox.deliver(compose(to, subject, body, sender, reply_to))


def send_resume_link(
    consultation: Consultation, to: str, resume_url: str, individual: bool = False
) -> Path | None:
    """Email the partner a link back to their saved answers, from the consultation's sender
    and with its signature; returns the outbox file when no mail server is set up (nothing
    left this machine). ``individual``: the partner answers as an individual, who has no
    organisation to share the link within."""
    closing = (
        f"The consultation closes on {uk_time(consultation.closes_at)} (UK time).\n\n"
        if consultation.closes_at
        else ""
    )
    # The saved page's own sentences (consult.wording), so the two never say different things.
    return send(
        to,
        f"Your saved answers: {consultation.title}",
        "Your answers have been saved.\n\n"
        f"{RESUME_LINK_INTRO}\n{resume_url}\n\n"
        f"{closing}{share_warning(individual)}\n\n{signature(consultation)}\n",
        sender=sender(consultation),
        reply_to=consultation.contact_email.strip() or None,
    )


def send_response_copy(
    consultation: Consultation,
    to: str,
    reference: str,
    copy: str,
    individual: bool = False,
    submitted_at: datetime | None = None,
) -> Path | None:
    """Email the partner who just sent a response its reference number, what happens next
    and ``copy`` (the text of their answers, ``consult/survey/receipt.py``), from the
    consultation's sender and with its signature. Raises what :meth:`Postbox.deliver` raises;
    returns the outbox file when no mail server is set up (nothing left this machine).
    ``individual``: the partner answered as an individual (what happens next for them);
    ``submitted_at``: when it arrived, said as the page says it."""
    contact = consultation.contact_email.strip()
    next_steps = "\n\n".join(what_happens_next(consultation, individual))
    # The confirmation page's own sentences (consult.wording), in the page's order.
    return send(
        to,
        f"Response sent: {consultation.title} (reference {reference})",
        f"{received_words(consultation, submitted_at)}\n\n"
        f"Your reference number is {reference}.\n\n"
        f"What happens next\n\n{next_steps}\n\n"
        f"{contact_words(consultation)}\n\n"
        "A copy of your response is below. Keep this email for your records.\n\n"
        f"{copy}\n{signature(consultation)}\n",
        sender=sender(consultation),
        reply_to=contact or None,
    )
