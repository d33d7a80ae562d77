"""How far a draft has got, for a partner coming back to it (collect29 #4).

GOV.UK's task list pattern, as Citizen Space and GOV.UK Forms show it to someone returning:
each page of the journey (About you, then each section) with how many of its questions are
answered, the page they left off at, and "You have answered 3 of 7 questions". Nothing here
reads a request or renders a page: the start page's view passes the draft's stored answers.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, replace

from ..models import Consultation
from ..wording import plural
from .journey import CHECK_PAGE, ORGANISATION_PAGE, section_page

DONE = "Completed"
STARTED = "In progress"
NOT_STARTED = "Not started"


@dataclass(frozen=True)
class Step:
    """One page of the journey as the task list shows it."""

    title: str
    page: str
    answered: int
    total: int
    status: str
    left_off: bool = False

    @property
    def hint(self) -> str:
        """``2 of 3 questions answered``; empty for a page without questions (About you)."""
        if not self.total:
            return ""
        return f"{self.answered} of {plural(self.total, 'question')} answered"


@dataclass(frozen=True)
class Progress:
    """A draft's progress: its steps, questions answered of all, where it stopped."""

    steps: tuple[Step, ...]
    answered: int
    total: int
    left_off: str  # the page key (``Response.last_page``)

    @property
    def sentence(self) -> str:
        """``You have answered 3 of 7 questions.`` (``1 of 1 question``, ``none of the 7``)."""
        if not self.answered:
            return f"You have not answered any of the {plural(self.total, 'question')} yet."
        return f"You have answered {self.answered} of {plural(self.total, 'question')}."

    @property
    def left_off_title(self) -> str | None:
        """The title of the page the partner left off at; None at Check your answers."""
        return next((step.title for step in self.steps if step.left_off), None)


def _status(answered: int, total: int) -> str:
    if total and answered >= total:
        return DONE
    return STARTED if answered else NOT_STARTED


def draft_progress(
    consultation: Consultation,
    answers: Mapping[int, str | None],
    about_title: str,
    about_done: bool,
    last_page: str,
) -> Progress:
    """The progress of a draft of ``consultation`` whose stored answers are ``answers``
    (question id -> value; an empty value is no answer), About you saved (``about_done``)
    under the title ``about_title``, last saved on ``last_page``."""
    answered_ids = {qid for qid, value in answers.items() if (value or "").strip()}
    steps = [
        Step(
            title=about_title,
            page=ORGANISATION_PAGE,
            answered=0,
            total=0,
            status=DONE if about_done else NOT_STARTED,
        )
    ]
    pages = [ORGANISATION_PAGE, *(section_page(s) for s in consultation.sections), CHECK_PAGE]
    reached = pages.index(last_page) if last_page in pages else 0
    for index, section in enumerate(consultation.sections, start=1):
        ids = [question.id for question in section.questions]
        answered = sum(1 for qid in ids if qid in answered_ids)
        page = section_page(section)
        status = _status(answered, len(ids))
        if not ids and index < reached:
            status = DONE  # nothing to answer, and the partner has gone past it
        steps.append(
            Step(
                title=section.title,
                page=page,
                answered=answered,
                total=len(ids),
                status=status,
            )
        )
    left_off = _left_off(steps, last_page)
    steps = [replace(step, left_off=step.page == left_off) for step in steps]
    total = sum(step.total for step in steps)
    answered = sum(step.answered for step in steps)
    return Progress(steps=tuple(steps), answered=answered, total=total, left_off=left_off)


def _left_off(steps: list[Step], last_page: str) -> str:
    """The page the draft left off at: its ``last_page`` when that is still a page of the
    journey; else (a section deleted since, an unknown key) the first page not completed,
    or Check your answers when every page is (fixc29 #3: never "checking your answers" for
    a draft that did not get there)."""
    if last_page == CHECK_PAGE or any(step.page == last_page for step in steps):
        return last_page
    return next((step.page for step in steps if step.status != DONE), CHECK_PAGE)
