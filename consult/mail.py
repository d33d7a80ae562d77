"""Send a message by SMTP when mail is configured, otherwise write it to instance/outbox."""

from __future__ import annotations

import smtplib
from datetime import UTC, datetime
from email.message import EmailMessage
from pathlib import Path

from flask import current_app

from .models import Consultation


def send(to: str, subject: str, body: str) -> Path | None:
    """Deliver one plain-text message; returns the outbox file when there is no SMTP server."""
    config = current_app.config
    message = EmailMessage()
    message["From"] = config["MAIL_SENDER"]
    message["To"] = to
    message["Subject"] = subject
    message.set_content(body)
    if config.get("MAIL_SERVER"):
        with smtplib.SMTP(config["MAIL_SERVER"], int(config["MAIL_PORT"]), timeout=10) as smtp:
            if config.get("MAIL_USE_TLS"):
                smtp.starttls()
            if config.get("MAIL_USERNAME"):
                smtp.login(config["MAIL_USERNAME"], config.get("MAIL_PASSWORD") or "")
            smtp.send_message(message)
        return None
    outbox = Path(current_app.instance_path) / "outbox"
    outbox.mkdir(parents=True, exist_ok=True)
    stamp = datetime.now(UTC).strftime("%Y%m%dT%H%M%S%f")
    path = outbox / f"{stamp}.eml"
    path.write_bytes(bytes(message))
    return path


def send_resume_link(consultation: Consultation, to: str, resume_url: str) -> None:
    """Email the partner a link back to their saved answers."""
    closing = (
        f"The consultation closes on {consultation.closes_at:%-d %B %Y}.\n\n"
        if consultation.closes_at
        else ""
    )
    send(
        to,
        f"Your saved answers: {consultation.title}",
        "Your answers have been saved.\n\n"
        f"To continue your response, open this link:\n{resume_url}\n\n"
        f"{closing}Anyone with this link can see and change your answers, so do not share it "
        "outside your organisation.\n",
    )
