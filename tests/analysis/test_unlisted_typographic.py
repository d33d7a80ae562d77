"""rev33a: :func:`analysis.stages.unlisted_points` compared the sentences the label's count
read (the analysis's normalised text: straight quotes) with the summary as shown, which
:func:`analysis.stages.typographic` gives back the answer's own curly quotes and dashes, so
every listed sentence with a curly apostrophe was also stored as "unlisted" and a reviewer's
recount read it twice (a second heading beside itself)."""

from __future__ import annotations

import pytest

from analysis import ThemeModel
from analysis.embeddings import available

pytestmark = [
    pytest.mark.coding_encoder,
    pytest.mark.skipif(not available(), reason="the semantic extra is not installed"),
]


def plain(text: str) -> str:
    return text.replace("\u2019", "'").replace("\u2014", "-").replace("\u2013", "-")


def test_a_listed_sentence_with_curly_quotes_is_never_unlisted():
    buses = [
        "The buses don\u2019t turn up on time in the evening.",
        "Bus services aren\u2019t reliable and should run to time.",
        "I can\u2019t get to work because the buses are late.",
    ]
    homes = [
        "We can\u2019t afford the rents here: build homes people can afford.",
        "There aren\u2019t enough affordable homes for key workers.",
        "Young people can\u2019t buy a home near the stations.",
    ]
    texts = [buses[i % 3] + f" Route {i}." for i in range(20)]
    texts += [homes[i % 3] + f" Ward {i}." for i in range(20)]
    model = ThemeModel(n_themes=2, engine="semantic", seed=0).fit(texts)
    curly = 0
    for theme in model.themes_:
        listed = [s["text"] for s in theme["summary"] if not s.get("only_point")]
        curly += sum("\u2019" in text for text in listed)
        unlisted = model.unlisted_points_.get(theme["id"]) or []
        assert not {plain(t) for t in unlisted} & {plain(t) for t in listed}
    assert curly  # the summaries show the answers' own apostrophes
