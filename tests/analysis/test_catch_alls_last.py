"""A theme flagged mixed (a catch-all) is listed after the themes that make one point, so its
label does not lead the report as the top finding (smoke17s #2: the demo's fast "Simplify
access to finance for start-ups and small businesses", 97 of 184 answers, about 20 of them
on finance, headed the overview and the Word report)."""

from __future__ import annotations

from bs4 import BeautifulSoup

from analysis.mixed import CATCH_ALLS_LAST, catch_alls_last, mixed_themes
from analysis.report import render_report
from tests.analysis.test_cli_report_checks import _glance
from tests.analysis.test_cli_report_words import _document


def test_flagged_themes_go_after_the_others_each_group_in_its_order():
    assert catch_alls_last(range(4), [True, False, False, False]) == [1, 2, 3, 0]
    assert catch_alls_last(range(4), [True, False, True, False]) == [1, 3, 0, 2]
    assert catch_alls_last([2, 0, 1], [False, False, False]) == [2, 0, 1]
    assert catch_alls_last([], []) == []


def test_mixed_themes_flags_as_is_mixed_does_over_the_whole_run():
    # the demo's Q8 (fast engine): one large theme of no keywords, most answers several points
    sizes = [97, 20, 18, 15, 12, 10, 7, 5]
    flagged = mixed_themes(sizes, [0.8] + [0.85] * 7, [None] * 8, sizes, [0] + [5] * 7)
    assert flagged == [True] + [False] * 7
    # not measured (a stored run before the measure): nothing flagged
    assert mixed_themes(sizes, [None] * 8, [None] * 8, sizes, [0] * 8) == [False] * 8


def _fast_catch_all() -> dict:
    document = _document(stance_measured=True)
    document["summary"]["answered"] = 200
    catch_all, ordinary, short = document["themes"]
    catch_all |= {"label": "Simplify access to finance", "multi_point": 0.8, "size": 150}
    ordinary |= {"multi_point": 0.9, "size": 15}
    short |= {"multi_point": 0.85, "size": 15}
    for theme in document["themes"]:
        theme["label_point"] = None  # the fast engine counts none
    catch_all["keywords"] = []
    return document


def _order(html: str) -> list[str]:
    return [name for name in _glance(html) if name != "headers"]


def _sections(html: str) -> list[str]:
    soup = BeautifulSoup(html, "html.parser")
    return [h["id"] for h in soup.find_all("h2") if h.get("id", "").startswith("h-T")]


def test_the_cli_report_lists_a_flagged_catch_all_last_and_says_why():
    document = _fast_catch_all()
    html = render_report(document)
    assert _order(html)[:3] == ["T02 Theme 2", "T03 Theme 3", "T01 Simplify access to finance"]
    assert _sections(html) == ["h-T02", "h-T03", "h-T01"]
    assert CATCH_ALLS_LAST in html
    soup = BeautifulSoup(html, "html.parser")
    assert soup.find("caption").get_text().startswith("Themes by number of answers, mixed last")
    # with words of its own it is not a catch-all: largest first, nothing said
    document["themes"][0]["keywords"] = ["finance", "start-ups", "loans"]
    html = render_report(document)
    assert _order(html)[0] == "T01 Simplify access to finance"
    assert CATCH_ALLS_LAST not in html and "mixed last" not in html
