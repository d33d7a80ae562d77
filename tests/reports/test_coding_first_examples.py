"""Themes nobody has coded yet, in the coding workspace: the overview warns that the model
cannot give them, and a response suggested as a theme's first example says so in words."""

from __future__ import annotations

import pytest

from consult.reports import coding
from tests.helpers import soup
from tests.reports.review_helpers import answers_of
from tests.reports.test_coding_pages import (  # noqa: F401 (fixtures)
    analyst,
    applied_coding,
    make_codebook,
    overview_url,
    run,
)

pytestmark = pytest.mark.backends("sqlite", "postgresql")
CODER = "first.analyst@example.gov.uk"


def _warning(client, question_id: int):
    found = soup(client.get(overview_url(question_id))).find(id="no-example")
    return " ".join(found.get_text(" ").split()) if found else None


def test_the_overview_names_the_themes_with_no_coded_example(run, analyst):  # noqa: F811
    codebook = make_codebook(analyst, run)
    first, second = codebook.themes[1], codebook.themes[3]
    metrics = {
        "themes": {"coded": 6, "sample_f1": None, "no_example": [first.key, second.key]},
        "stance": {"accuracy": None},
    }
    applied_coding(codebook, [], metrics=metrics, human_count=6)
    assert _warning(analyst, run.question_id) == (
        f"! Warning 2 themes of 4 have no coded example yet: {first.key} ({first.name}), "
        f"{second.key} ({second.name}). The model cannot give them to any response until "
        "people code a response with each: find and code one for each."
    )
    # Coded since the model was applied: that theme has an example now.
    coding.save_code(codebook, answers_of(run.question)["ids"][0], CODER, [first.key], None)
    warning = _warning(analyst, run.question_id)
    assert f"1 theme of 4 has no coded example yet: {second.key} ({second.name})." in warning
    assert first.key not in warning and "cannot give it to any response" in warning
    coding.save_code(codebook, answers_of(run.question)["ids"][1], CODER, [second.key], None)
    assert _warning(analyst, run.question_id) is None


def test_a_first_example_suggestion_reads_as_a_sentence(run, analyst):  # noqa: F811
    codebook = make_codebook(analyst, run)
    key, name = codebook.themes[2].key, codebook.themes[2].name
    reason = f"may be the first example of theme {key}, which has no coded example"
    assert coding.reason_words(codebook, reason) == (
        f"it may be the first example of theme {key} ({name}), which people have not coded "
        "any response with yet (the model cannot give a theme until they do)"
    )
    ids = answers_of(run.question)["ids"]
    applied_coding(codebook, [{"response_id": ids[5], "reason": reason}])
    page = analyst.get(f"/staff/reports/questions/{run.question_id}/coding/{ids[5]}")
    chosen = [p for p in soup(page).find_all("p") if p.get_text().startswith("Chosen")]
    assert "may be the first example of theme" in chosen[0].get_text()
    coding.save_code(codebook, ids[0], CODER, [key], None)
    assert coding.reason_words(codebook, reason) == (
        f"it may be an example of theme {key} ({name}), which people have coded 1 response "
        "with so far"
    )
