"""smoke27 finding: a wrapped chart label's lines were <tspan>s with nothing between them, so
the label's text (copied from the page, read by a text extractor or a print-to-text) ran its
lines together: "Voluntary, community or socialenterprise", "Business representative
body(chamber of commerce, trade ormembership body)". A space now separates the lines; it sits
at the end of a line, so the drawing does not change."""

from __future__ import annotations

from bs4 import BeautifulSoup

from analysis.charts import bar_chart

LABELS = [
    "Voluntary, community or social enterprise",
    "Business representative body (chamber of commerce, trade or membership body)",
    "Business",
]


def test_a_wrapped_labels_text_reads_as_the_label():
    svg = BeautifulSoup(bar_chart("T", [(label, 3) for label in LABELS], "c"), "html.parser").svg
    labels = svg.find_all("text")[::2]
    assert [text.get_text() for text in labels] == LABELS
    assert len(labels[1].find_all("tspan")) == 3  # still drawn on three lines
    assert [span["x"] for span in labels[1].find_all("tspan")] == ["0", "0", "0"]


def test_a_label_wrapped_at_a_hyphen_or_inside_a_word_gets_no_space():
    hyphen = "Invite school groups to university research days and hands-on workshops"
    long_word = "Supercalifragilisticexpialidociousnessforeverandeveragain and more"
    svg = BeautifulSoup(bar_chart("T", [(hyphen, 2), (long_word, 1)], "c"), "html.parser").svg
    labels = svg.find_all("text")[::2]
    assert len(labels[0].find_all("tspan")) > 1 and len(labels[1].find_all("tspan")) > 1
    assert [text.get_text() for text in labels] == [hyphen, long_word]
