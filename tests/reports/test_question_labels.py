"""One way to write a question's short name ("Q4"): the coding and settle forms' stance
wording and the report pages ask ``runs.number_label``, never build it themselves (left27 #5)."""

from __future__ import annotations

import re
from pathlib import Path

from consult.reports import coding_forms, runs
from consult.reports.coding import PairedAnswer

TEMPLATES = Path(__file__).resolve().parents[2] / "templates"


def test_the_short_name_comes_from_one_helper():
    assert runs.number_label(4) == "Q4"
    paired = PairedAnswer(3, "Buses should be franchised", "Agree", "for", agreement=True)
    assert paired.label == "Q3"
    assert coding_forms.stance_labels(paired)["for"] == "Agrees with Q3"
    assert coding_forms.stance_legend(paired) == "Its stance: does it agree with Q3? (optional)"


def test_the_coding_fields_template_builds_no_short_name_itself():
    source = (TEMPLATES / "reports" / "coding" / "_fields.html").read_text(encoding="utf-8")
    assert re.search(r"Q\{\{", source) is None
    assert "paired.label" in source
    forms = Path(coding_forms.__file__).read_text(encoding="utf-8")
    assert 'f"Q{' not in forms and "Q{paired" not in forms


def test_no_module_or_template_builds_a_short_name_itself():
    """Every "Q4" in the app's wording, documents and pages comes from
    ``consult.wording.number_label`` (tidy29 #2): no f-string "Q{...}" in a module but that
    one, no "Q{{ ... }}" in a template."""
    package = Path(coding_forms.__file__).resolve().parents[1]
    built = [
        str(path.relative_to(package))
        for path in sorted(package.rglob("*.py"))
        if path.name != "wording.py" or path.parent != package
        if re.search(r"Q\{\w", path.read_text(encoding="utf-8"))
    ]
    assert built == []
    in_templates = [
        str(path.relative_to(TEMPLATES))
        for path in sorted(TEMPLATES.rglob("*.html"))
        if "Q{{" in path.read_text(encoding="utf-8")
    ]
    assert in_templates == []


def test_the_stance_wording_names_the_question_by_its_short_name():
    from consult.reports import wording

    assert "(their answer to Q7)" in wording.stance_basis(7)
    assert "(their agreement answer)" in wording.stance_basis(None)


def test_issued_summary_is_gone_delivered_summary_stays():
    from consult import invitations

    assert not hasattr(invitations, "issued_summary")
    assert invitations.delivered_summary(["sent", "sent"]) == "2 invitations emailed."
