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

from analysis.bases import bases_sentence, whole_percent
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


def theme_sentence(client, run, key: str) -> str:
    page = soup(client.get(f"/staff/reports/runs/{run.id}/themes/{key}"))
    return words(page.find(id="theme-size").get_text())


def test_the_theme_page_gives_both_bases_where_many_said_nothing(app, stored):  # noqa: F811
    """smoke31 #3: the theme page said "Main theme of 26 answers (14%); mentioned by 36 (19%),
    of the 187 answers." for Q13's T01, the run page "...; 33% of the 110 with something to
    say"."""
    theme = next(t for t in stored.themes if not t.hidden)
    client = signed_in(app, "analyst")
    assert SAY not in theme_sentence(client, stored, theme.key)
    empty_answers(stored, 15)  # a quarter of the 60 answered
    said = theme_sentence(client, stored, theme.key)
    db_theme = next(t for t in stored.themes if t.key == theme.key)
    size, mentions = db_theme.size, db_theme.mentions
    expected = (
        f"Of the 45 {SAY} (15 of the 60 answered said nothing substantive): main theme of "
        f"{whole_percent(size / 45)}, mentioned by {whole_percent(mentions / 45)}."
    )
    assert expected in said, said


SAID_MAIN = "Share of the answers with something to say (main theme)"
SAID_MENTIONS = "Share of the answers with something to say mentioning it"


def themes_sheet(client, run) -> list[tuple]:
    from openpyxl import load_workbook

    reply = client.get(f"/staff/reports/runs/{run.id}/report.xlsx")
    assert reply.status_code == 200
    return list(load_workbook(io.BytesIO(reply.data), read_only=True)["Themes"].values)


def test_the_excel_themes_sheet_gives_both_bases_where_many_said_nothing(app, stored):  # noqa: F811
    """smoke31 #4: the page and Word give Q13's shares of the 110 with something to say; the
    workbook's Themes sheet gave only shares of the 187 answered."""
    client = signed_in(app, "analyst")
    header = themes_sheet(client, stored)[0]
    assert SAID_MAIN not in header and SAID_MENTIONS not in header
    empty_answers(stored, 15)  # a quarter of the 60 answered
    rows = themes_sheet(client, stored)
    header = rows[0]
    main, mentions = header.index(SAID_MAIN), header.index(SAID_MENTIONS)
    assert header.index("Share of answers mentioning it") < main < mentions
    themes = {t.key: t for t in stored.themes if not t.hidden}
    checked = 0
    for row in rows[1:]:
        if row[0] in themes:
            theme = themes[row[0]]
            assert row[main] == round(theme.size / 45, 4)
            assert row[mentions] == round(theme.mentions / 45, 4)
            checked += 1
        else:  # the closing rows (no substantive answer, answered, ...) leave them blank
            assert row[main] in (None, "") and row[mentions] in (None, ""), row
    assert checked == len(themes)
