"""smoke31: a response suggested as an example of a theme nobody has coded said "the model
cannot give a theme until they do" while the model had given that theme to responses by the
codebook's own words and examples (the demo's Q6, run 2's themes as the codebook, 10 coded:
T07 given to 10 responses, T08 to 11, neither coded by a person; the library's
``analysis.coverage.no_example`` lists neither). The words now follow that list."""

from __future__ import annotations

import pytest

from consult.reports import coding
from tests.helpers import soup
from tests.reports.review_helpers import answers_of
from tests.reports.test_coding_pages import (  # noqa: F401 (fixtures)
    analyst,
    applied_coding,
    make_codebook,
    run,
)

pytestmark = pytest.mark.backends("sqlite", "postgresql")
CANNOT = "the model cannot give a theme until they do"
FROM_CODEBOOK = "the model gives it only from the codebook's own words and examples until they do"


def _chosen(client, question_id: int, response_id: int) -> str:
    page = client.get(f"/staff/reports/questions/{question_id}/coding/{response_id}")
    found = [p for p in soup(page).find_all("p") if p.get_text().startswith("Chosen")]
    return " ".join(found[0].get_text().split())


@pytest.mark.parametrize("never_given", [False, True])
def test_an_uncoded_themes_suggestion_says_whether_the_model_gives_it(run, analyst, never_given):  # noqa: F811
    codebook = make_codebook(analyst, run)
    key, name = codebook.themes[2].key, codebook.themes[2].name
    ids = answers_of(run.question)["ids"]
    metrics = {
        "themes": {"coded": 10, "sample_f1": None, "no_example": [key] if never_given else []},
        "stance": {"accuracy": None},
    }
    reason = f"may be an example of theme {key}, which has 0 coded"
    applied_coding(codebook, [{"response_id": ids[5], "reason": reason}], metrics, 10)
    words = _chosen(analyst, run.question_id, ids[5])
    assert words.startswith(
        f"Chosen because it may be an example of theme {key} ({name}), which people have not "
        "coded any response with yet ("
    ), words
    assert (CANNOT in words) is never_given and (FROM_CODEBOOK in words) is not never_given
    assert coding.reason_words(codebook, reason).endswith(
        f"({CANNOT})" if never_given else f"({FROM_CODEBOOK})"
    )
