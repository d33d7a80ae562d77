"""smoke31: the overview and the consultation Word report's "What partners said" give a
theme's share of those with something to say too, where many said nothing substantive (the
rule of :mod:`analysis.bases`, which the run page and its Word report already follow).

Found in the walk: the demo's Q13 ("anything else?", 77 of 187 said nothing substantive)
reads "19%" for its first theme on the overview and "mentioned by 36 of the 187 answers
(19%)" in the Word summary, with no word of the 77; its run page says "19% ...; 33% of the
110 with something to say". Through the test client on a stored run."""

from __future__ import annotations

import io

import pytest
from docx import Document

from analysis.bases import bases_sentence
from tests.helpers import soup
from tests.reports.test_two_bases import SAY, empty_answers, stored, words  # noqa: F401
from tests.staff_helpers import signed_in

pytestmark = pytest.mark.backends("sqlite", "postgresql")


def overview_section(client, run):
    page = soup(client.get(f"/staff/reports/consultations/{run.consultation_id}"))
    return page.find(id=f"question-{run.question_id}").find_parent("section")


def partners_said_text(client, run) -> str:
    reply = client.get(f"/staff/reports/consultations/{run.consultation_id}/report.docx")
    assert reply.status_code == 200
    document = Document(io.BytesIO(reply.data))
    lines = [p.text for p in document.paragraphs]
    start = lines.index("What partners said")
    end = next(i for i, line in enumerate(lines) if i > start + 2 and line == "Themes at a glance")
    return words(" ".join(lines[start:end]))


def test_few_empty_answers_keep_one_base(app, stored):  # noqa: F811
    client = signed_in(app, "analyst")
    section = overview_section(client, stored)
    assert SAY not in section.get_text()
    assert section.find(id=f"overview-bases-{stored.question_id}") is None
    assert SAY not in partners_said_text(client, stored)


def test_many_empty_answers_give_both_bases(app, stored):  # noqa: F811
    empty_answers(stored, 15)  # a quarter of the 60 answered
    client = signed_in(app, "analyst")
    section = overview_section(client, stored)
    note = words(section.find(id=f"overview-bases-{stored.question_id}").get_text())
    assert note.startswith(bases_sentence(60, 15)[:-1]), note
    assert "in the “All” column" in note
    rows = section.find("tbody").find_all("tr")
    assert rows
    for row in rows:
        cells = row.find_all("td")
        all_cell = words(cells[1].get_text())  # the flags, then "All"
        share, other = all_cell.split(" ", 1)
        assert share.endswith("%") and other.endswith(f"of the 45 {SAY}"), all_cell
    said = partners_said_text(client, stored)
    assert f"Answered by 60 of 60 submitted responses. {bases_sentence(60, 15)}" in said
    assert f"of the 45 {SAY})." in said, said
