"""The "Start an analysis" form: which question, which engine, how many themes, the seed,
the segments and the side margin. Checked on the server; :func:`settings` turns it into
``start_run`` settings."""

from __future__ import annotations

from typing import Any

from wtforms import RadioField, SelectMultipleField, StringField
from wtforms.validators import ValidationError

from ..edge import bounded_int
from ..models import Question
from ..staff.kept_forms import StaffForm
from .pages import SEGMENTS, question_title
from .runs import SIDE_MARGIN, RunError, parse_side_margin, side_margin_words

ENGINES = [
    ("auto", "Automatic (recommended): the semantic engine when it is installed, else fast"),
    (
        "fast",
        "Fast: word statistics only, seconds even for thousands of answers; it can put "
        "different points that share words into one large theme",
    ),
    ("semantic", "Semantic: sentence meaning as well as words, slower and usually better"),
]
MAX_THEMES = 60
MAX_SEED = 2**32 - 1


class RunForm(StaffForm):
    question = RadioField(
        "Which question do you want to analyse?", choices=[], validate_choice=False
    )
    engine = RadioField("Engine", choices=ENGINES, default="auto", validate_choice=False)
    themes = StringField("Number of themes")
    seed = StringField("Seed", default="0")
    side_margin = StringField("Side margin", default=f"{SIDE_MARGIN:g}")
    segments = SelectMultipleField(
        "Break themes down by",
        choices=[(name, heading) for name, (heading, *_rest) in SEGMENTS.items()],
        default=["partner_type"],
    )

    def validate_question(self, field) -> None:
        if str(field.data or "") not in {value for value, _ in field.choices}:
            raise ValidationError("Select the question to analyse")

    def validate_engine(self, field) -> None:
        if field.data not in {value for value, _ in ENGINES}:
            raise ValidationError("Select an engine")

    def validate_seed(self, field) -> None:
        raw = (field.data or "").strip()
        if raw and bounded_int(raw, None, low=0, high=MAX_SEED) is None:
            raise ValidationError(f"Enter the seed as a whole number from 0 to {MAX_SEED}")

    def validate_side_margin(self, field) -> None:
        try:
            parse_side_margin(field.data or "")
        except RunError:
            raise ValidationError(
                "Enter the side margin as a number from 0 to 1, like 0.2, or 'off'"
            ) from None

    def validate_themes(self, field) -> None:
        raw = (field.data or "").strip().lower()
        if raw in ("", "auto"):
            return
        try:
            count = int(raw)
        except ValueError:
            raise ValidationError(
                "Enter the number of themes as a whole number, like 8, or leave it blank"
            ) from None
        if not 2 <= count <= MAX_THEMES:
            raise ValidationError(f"Enter a number of themes from 2 to {MAX_THEMES}")

    def items(self, name: str) -> list[dict[str, Any]]:
        """GOV.UK radios or checkboxes items for field ``name``, the chosen ones ticked."""
        field = self[name]
        data = field.data if isinstance(field.data, list) else [field.data]
        chosen = {str(value) for value in data if value is not None}
        return [
            {"value": value, "text": label, "checked": str(value) in chosen}
            for value, label in field.choices
        ]

    def offer(self, questions: list[Question]) -> None:
        """Offer these questions (the consultation's free-text ones)."""
        self.question.choices = [(str(q.id), question_title(q)) for q in questions]


def settings(form: RunForm) -> dict[str, Any]:
    """The form's answers as run settings {engine, n_themes, seed, segments, side_margin}."""
    raw = (form.themes.data or "").strip().lower()
    return {
        "engine": form.engine.data or "auto",
        "n_themes": int(raw) if raw not in ("", "auto") else "auto",
        "seed": int((form.seed.data or "").strip() or 0),
        "segments": list(form.segments.data or []),
        "side_margin": parse_side_margin(form.side_margin.data or ""),
    }


def repeat(form: RunForm, settings: dict[str, Any], engine_used: str | None = None) -> None:
    """Fill ``form`` with an earlier run's ``settings`` (its "Run again" link): the engine it
    used (else the one asked for), its number of themes, seed, segments and side margin
    (smoke10 finding 11: the form showed its defaults, and a rerun lost the run's area
    breakdown; a run that never recorded its side margin leaves the default)."""
    engines = {value for value, _ in ENGINES}
    asked = str(settings.get("engine") or "auto")
    form.engine.data = engine_used if engine_used in engines else asked
    count = settings.get("n_themes")
    form.themes.data = "" if count in (None, "", "auto") else str(count)
    form.seed.data = str(settings.get("seed") or 0)
    known = {value for value, _ in form.segments.choices}
    form.segments.data = [name for name in settings.get("segments") or [] if name in known]
    if "side_margin" in settings:
        form.side_margin.data = side_margin_words(settings)
