"""A theme holding a campaign's copies says so, on the report page, in Word and in Excel:
how many of its answers (main theme and mentions) come from which campaign, linked to the
campaign, so a reader does not take the count as so many separate views. Before, only the
Campaigns part at the end named the campaign, and the theme's figures looked like that many
partners had each said it."""

from __future__ import annotations

import io
from collections import Counter

import pytest
from docx import Document
from openpyxl import load_workbook
from sqlalchemy import select

from consult.extensions import db
from consult.reports import documents
from consult.reports.models import RunAssignment, RunTheme
from tests.helpers import make_consultation, soup
from tests.reports.stored_runs import store_synthetic_run
from tests.staff_helpers import signed_in

pytestmark = pytest.mark.backends("sqlite", "postgresql")


@pytest.fixture
def run(app):
    consultation = make_consultation()
    why = next(q for q in consultation.questions if q.explains is not None)
    return store_synthetic_run(consultation, why, responses=80)


def copies_by_theme(run) -> tuple[int, Counter, Counter]:
    """(the campaign's size, its copies by main theme key, its copies by theme mentioned)."""
    rows = db.session.execute(
        select(RunTheme.key, RunAssignment.themes, RunAssignment.flags)
        .join(RunTheme, RunTheme.id == RunAssignment.theme_id)
        .where(RunAssignment.run_id == run.id, RunAssignment.duplicate_group == "D1")
    ).all()
    assert rows and all("campaign" in flags for _, _, flags in rows)
    main = Counter(key for key, _, _ in rows)
    mentions = Counter(entry[0] for _, themes, _ in rows for entry in themes)
    return len(rows), main, mentions


def expected(run, size: int, main: Counter, mentions: Counter) -> dict[str, str]:
    """Theme key -> the sentence its figures must carry."""
    said = {}
    for theme in db.session.scalars(select(RunTheme).where(RunTheme.run_id == run.id)):
        if not mentions[theme.key]:
            continue
        counts = f"{mentions[theme.key]} of the {theme.mentions} answers that mention it"
        if main[theme.key] == mentions[theme.key] and theme.size == theme.mentions:
            counts = f"{main[theme.key]} of the {theme.size} answers in this theme"  # smoke29
        elif main[theme.key]:
            counts = (
                f"{main[theme.key]} of the {theme.size} answers with this as main theme "
                f"({mentions[theme.key]} of the {theme.mentions} that mention it)"
            )
        said[theme.key] = (
            f"{counts} come from campaign 1. It is one text sent by {size} respondents, "
            f"so count it as one view, not {size}."
        )
    return said


def test_report_page_says_within_the_theme_how_many_answers_a_campaign_sent(app, run):
    size, main, mentions = copies_by_theme(run)
    said = expected(run, size, main, mentions)
    assert said
    page = soup(signed_in(app, "viewer").get(f"/staff/reports/runs/{run.id}"))
    for section in page.select("section.consult-theme"):
        key = section["id"].removeprefix("theme-")
        row = section.find(id=f"theme-{key}-campaigns")
        if key not in said:
            assert row is None, key
            continue
        assert row is not None, key
        assert said[key] in " ".join(row.get_text(" ").split()).replace(" :", ":").replace(
            " .", "."
        )
        assert row.find("a", href="#campaign-1").get_text() == "campaign 1"
    # one campaign is "1 campaign" (the engine's stored text said "1 campaigns")
    part = " ".join(page.find(id="campaigns").parent.get_text(" ").split())
    assert f"{size} responses from 1 campaign." in part and "1 campaigns" not in part
    # the link lands on the campaign, which names the themes its copies went to
    campaign = page.find(id="campaign-1")
    for key in main:
        assert campaign.find("a", href=f"#theme-{key}").get_text() == key
    assert homes(main) in " ".join(campaign.get_text("").split())


def test_word_and_excel_say_it_too(app, run):
    size, main, mentions = copies_by_theme(run)
    said = expected(run, size, main, mentions)
    document = Document(io.BytesIO(documents.run_docx(run)))
    paragraphs = [p.text for p in document.paragraphs]
    for key, sentence in said.items():
        heading = next(i for i, p in enumerate(paragraphs) if p.startswith(f"{key}: "))
        following = paragraphs[heading : heading + 6]
        assert any(sentence in p and p.startswith("From campaigns") for p in following), key
    assert "Campaigns" in paragraphs
    table = next(t for t in document.tables if t.rows[0].cells[0].text == "Campaign")
    assert [c.text for c in table.rows[1].cells][:4] == [
        "1",
        "D1",
        str(size),
        homes(main),
    ]

    workbook = load_workbook(io.BytesIO(documents.run_xlsx(run)))
    rows = list(workbook["Themes"].values)
    column = rows[0].index("From campaigns (see the Campaigns sheet)")
    count = rows[0].index("Main theme of: answers from campaigns (one copied text each)")
    for row in rows[1:]:
        if row[0] in said:
            assert row[column] == said[row[0]] and row[count] == main[row[0]]
        elif row[0] and row[0] != "NS":
            assert not row[column] and not row[count]
    campaigns = list(workbook["Campaigns"].values)
    assert campaigns[1][:4] == (1, "D1", size, homes(main))


def homes(main: Counter) -> str:
    """The main themes of a campaign's copies as the Campaigns part lists them."""
    return ", ".join(f"{key} ({n})" for key, n in sorted(main.items(), key=lambda i: (-i[1], i[0])))


def test_theme_page_says_it_too(app, run):
    size, main, mentions = copies_by_theme(run)
    client = signed_in(app, "viewer")
    for key, sentence in expected(run, size, main, mentions).items():
        page = soup(client.get(f"/staff/reports/runs/{run.id}/themes/{key}"))
        note = page.find(id="theme-campaign-1")
        assert note is not None, key
        assert sentence in " ".join(note.get_text(" ").split()).replace(" :", ":").replace(
            " .", "."
        )
        assert note.find("a")["href"] == f"/staff/reports/runs/{run.id}#campaign-1"


def test_report_page_tells_repeated_answers_from_campaigns(app, run):
    """Review: "No campaigns: no long text was sent by several respondents" while the CSV
    flagged answers "duplicate" in groups: the page says both, with the counts."""
    from consult.reports.pages import duplicate_groups

    groups = duplicate_groups(run)
    assert groups and "D1" in groups
    page = soup(signed_in(app, "viewer").get(f"/staff/reports/runs/{run.id}"))
    said = " ".join(page.find(id="duplicates").get_text().split())
    assert said.startswith(
        f"{sum(groups.values())} answers were repeated, word for word or nearly, in "
        f"{len(groups)} duplicate"
    )
    assert "Campaigns are texts of 20 words or more sent by 3 or more respondents" in said
    assert "The duplicate group column of the coding download names the group" in said
    # smoke16 #16: what the other repeats are is quoted from the largest of them, never a
    # guessed "such as “Agree”"
    from consult.reports.pages import largest_repeat

    example = largest_repeat(run)
    assert "Agree" not in said
    if example:
        from analysis.report import repeat_example

        quoted = repeat_example(example).removesuffix(" …")
        assert f"grouped as duplicates, such as “{quoted}" in said
    else:  # every repeat here is a campaign's: nothing to quote
        assert "0 are" not in said and "campaign" in said.split(".")[0]
        assert "grouped as duplicates." in said
