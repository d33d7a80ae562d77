"""After a load run: is every acknowledged submission stored exactly once, and complete?

The database is read directly (never through the app's pages). Each simulated partner
writes a unique organisation name, so its response can be found whatever happened to its
browser; a page save is all-or-nothing, so a page is either stored exactly as sent or not at
all.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import select, text

from .load_client import Outcome, expected_answers


@dataclass
class Verdict:
    """What the database holds for the run's partners; ``problems`` is empty when sound."""

    acknowledged: int = 0
    stored_once: int = 0
    submitted_rows: int = 0  # submitted responses found for the run's partners
    drafts_checked: int = 0
    integrity: str = "not checked"
    problems: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.problems


def _page_state(stored: dict[int, str], expected: dict[int, str], ids: list[int]) -> str:
    present = [qid for qid in ids if qid in stored and stored[qid] != ""]
    if not present:
        return "absent"
    wanted = [qid for qid in ids if qid in expected]
    if all(stored.get(qid) == expected[qid] for qid in wanted):
        return "complete"
    return "partial"


def verify(app, definition: dict[str, Any], outcomes: list[Outcome]) -> Verdict:
    """Check every partner's response against what the partner was told happened."""
    from consult.extensions import db
    from consult.models import Answer, Response

    verdict = Verdict()
    section_ids = {
        section["position"]: [q["id"] for q in section["questions"]]
        for section in definition["sections"]
    }
    with app.app_context():
        for outcome in outcomes:
            plan = outcome.plan
            marker = plan.marker
            rows = db.session.scalars(
                select(Response).where(Response.organisation_name == marker)
            ).all()
            if len(rows) > 1:
                verdict.problems.append(f"{marker}: stored {len(rows)} times")
                continue
            response = rows[0] if rows else None
            verdict.submitted_rows += bool(response and response.status == "submitted")
            if outcome.acknowledged:
                verdict.acknowledged += 1
                if response is None or response.status != "submitted":
                    verdict.problems.append(f"{marker}: acknowledged but not submitted")
                    continue
                if outcome.reference and response.reference != outcome.reference:
                    verdict.problems.append(f"{marker}: reference differs")
                    continue
            if response is None:
                if outcome.saved_pages:
                    verdict.problems.append(f"{marker}: saved pages but no draft")
                continue
            answers = {
                a.question_id: a.value
                for a in db.session.scalars(select(Answer).where(Answer.response_id == response.id))
            }
            expected = expected_answers(definition, plan)
            saved = set(outcome.saved_pages)
            broken = []
            declared = {key: getattr(response, key) or "" for key in Response.DECLARED_FIELDS}
            if "organisation" in saved and declared != plan.organisation:
                broken.append("organisation")
            for position, ids in section_ids.items():
                state = _page_state(answers, expected, ids)
                page = f"section-{position}"
                if state == "partial" or (page in saved and state != "complete"):
                    broken.append(page)
            if outcome.acknowledged and not broken:
                verdict.stored_once += 1
            elif not outcome.acknowledged and saved:
                verdict.drafts_checked += 1
            if broken:
                verdict.problems.append(f"{marker}: pages not as sent: {broken}")
        if db.engine.dialect.name == "sqlite":
            with db.engine.connect() as connection:
                verdict.integrity = connection.execute(text("PRAGMA integrity_check")).scalar()
            if verdict.integrity != "ok":
                verdict.problems.append(f"integrity_check: {verdict.integrity}")
        db.engine.dispose()
    return verdict
