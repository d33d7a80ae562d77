"""One bar chart for the theme report and the dashboard: analysis.charts.bar_chart."""

from __future__ import annotations

from bs4 import BeautifulSoup

from analysis import report
from analysis.charts import bar_chart


def test_bar_chart_is_named_scaled_and_escaped():
    svg = BeautifulSoup(
        bar_chart("Modes <used>", [("Bus & coach", 4), ("Tram", 2)], "c1"), "html.parser"
    ).svg
    assert svg["role"] == "img" and svg["aria-labelledby"] == "c1"
    assert svg.find("title", id="c1").get_text() == "Modes <used>"
    widths = [float(rect["width"]) for rect in svg.find_all("rect")]
    assert widths == [380.0, 190.0]
    assert [t.get_text() for t in svg.find_all("text")] == ["Bus & coach", "4", "Tram", "2"]
    assert svg["width"] == "760"


def test_long_labels_wrap_and_are_never_cut():
    label = "Business representative body (chamber of commerce, trade or membership body)"
    svg = BeautifulSoup(bar_chart("T", [(label, 3), ("Other", 1)], "c3"), "html.parser").svg
    first = svg.find("text")
    lines = [span.get_text() for span in first.find_all("tspan")]
    assert len(lines) == 3 and " ".join(lines) == label
    rects = svg.find_all("rect")
    assert float(rects[1]["y"]) - float(rects[0]["y"]) == 26 + 2 * 18  # the row grew
    assert svg["height"] == str(5 + 26 + 2 * 18 + 26 + 5)


def test_fluid_chart_shrinks_with_its_container():
    svg = BeautifulSoup(bar_chart("T", [("A", 1)], "c2", fluid=True), "html.parser").svg
    assert svg["width"] == "100%" and svg["viewbox"] == "0 0 760 36"
    assert not svg.has_attr("height")


def test_the_theme_report_draws_with_the_same_function():
    assert report.bar_chart is bar_chart
