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


def test_issued_summary_is_gone_delivered_summary_stays():
    from consult import invitations

    assert not hasattr(invitations, "issued_summary")
    assert invitations.delivered_summary(["sent", "sent"]) == "2 invitations emailed."
