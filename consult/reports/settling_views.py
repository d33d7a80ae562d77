"""Settling disagreements between coders (routes on :data:`consult.reports.bp`): the list of
responses coded differently, and the page where the team's agreed code is saved. Thin views
over :mod:`consult.reports.settling`; those who code (the ``review`` permission) settle.
"""

from __future__ import annotations

from flask import abort, flash, redirect, request, url_for
from flask_login import current_user

from analysis.cells import shown_hidden

from ..staff.kept_forms import first_showing
from ..staff.permissions import requires
from ..templating import form_errors
from . import bp, coding, settling
from .coding_forms import NO_THEME, NO_THEME_LABEL, CodeForm
from .coding_views import CODE, _codebook_or_404, _render
from .wording import stance_label


@bp.app_template_global("settled_by")
def settled_by(email: str | None, at, colleague: bool = False) -> str:
    """Who settled a code and when, for the person reading the page: "you (…)" for their
    own, else the colleague's name where the team has one, and email
    (:func:`consult.reports.settling.settler_words`)."""
    from sqlalchemy import select

    from ..extensions import db
    from ..models import User

    name = db.session.scalar(select(User.name).where(User.email == email)) if email else ""
    viewer = current_user.email if current_user.is_authenticated else ""
    return settling.settler_words(email, at, viewer, (name or "").strip(), colleague)


@bp.get("/questions/<int:question_id>/coding/disagreements")
@requires(CODE)
def coding_disagreements(question_id: int):
    """Responses two or more people coded differently, with who coded what."""
    question, codebook = _codebook_or_404(question_id)
    return _render(
        "disagreements.html",
        question,
        codebook=codebook,
        disagreements=settling.disagreements(codebook),
        names={t.key: t.name for t in codebook.themes},
    )


@bp.route(
    "/questions/<int:question_id>/coding/disagreements/<int:response_id>",
    methods=["GET", "POST"],
)
@requires(CODE)
def settle_response(question_id: int, response_id: int):
    """Settle one response: the agreed themes and stance, empty or starting from one coder's
    code (``?start=<code id>``); saved as the response's human code."""
    question, codebook = _codebook_or_404(question_id)
    found = coding.response_text(codebook, response_id)
    codes = settling.coder_codes(codebook, response_id) if found is not None else []
    if found is None or len(codes) < 2:
        abort(404)
    response, text = found
    form = CodeForm()
    form.themes.choices = [(t.key, f"{t.key}: {t.name}") for t in codebook.themes]
    paired = coding.paired_answer(question, response)
    starting = settling.starting_code(codes, paired.stance if paired else None)
    start = request.args.get("start", type=int)
    if first_showing() and start is not None:
        chosen = next((c for c in codes if c.id == start), None)
        if chosen is None:
            abort(404)
        form.themes.data = list(chosen.themes) or [NO_THEME]
        form.stance.data = chosen.stance or ""
    elif first_showing():
        if starting.themes is not None:
            form.themes.data = list(starting.themes) or [NO_THEME]
        form.stance.data = starting.stance or ""
    # A form sent with no stance at all (not even "Not coded for stance") must not drop the
    # stance every coder agreed on.
    agreed = settling.agreed_stance(codes)
    unsent = request.method == "POST" and form.stance.name not in request.form
    if form.validate_on_submit() and not (unsent and agreed):
        stance = form.stance.data or None
        try:
            settling.settle(codebook, response_id, current_user.email, form.chosen_themes(), stance)
        except coding.CodingError as error:
            form.themes.errors = [*form.themes.errors, str(error)]
        else:
            dropped = settling.dropped_stance(codes, stance)
            note = (
                f" Its stance is not coded, though every person who coded it said "
                f"‘{stance_label(dropped)}’."
                if dropped
                else ""
            )
            flash(f"Settled the coding of response {response.reference}.{note}", "success")
            return redirect(url_for("reports.coding_disagreements", question_id=question_id))
    if unsent and agreed:
        form.stance.errors = [
            f"Choose a stance: every person who coded it said ‘{stance_label(agreed)}’"
        ]
    errors = form_errors(form)
    return _render(
        "settle.html",
        question,
        codebook=codebook,
        response=response,
        text=shown_hidden(text),  # as every staff page shows an answer
        codes=codes,
        start=start,
        settled=settling.settled_code(codebook, response_id),
        form=form,
        errors=errors,
        names={t.key: t.name for t in codebook.themes},
        no_theme=(NO_THEME, NO_THEME_LABEL),
        paired=paired,
        starting_words=(
            settling.starting_words(starting, len(codes), paired.number if paired else None)
            if start is None
            else ""
        ),
    ), (400 if errors else 200)
