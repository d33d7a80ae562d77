"""The ``stacked`` template filter (consult/stacked_table.py): a table's body and foot cells
are labelled with their column's header, so that below the tablet breakpoint each row reads
as a block (smoke16 #15); the browser side is tests/test_browser_stacked_tables.py."""

from __future__ import annotations

from bs4 import BeautifulSoup
from markupsafe import Markup

from consult.stacked_table import STACK_CLASS, stacked

TABLE = """<table class="govuk-table"><caption>Runs</caption>
<thead class="govuk-table__head"><tr><th scope="col">Run</th><th scope="col">Said &amp; done</th>
<th scope="col" class="govuk-table__header--numeric">Answers</th>
<th scope="col"><span class="govuk-visually-hidden">Actions</span></th></tr></thead>
<tbody><tr><th scope="row"><a href="/runs/1">Run 1</a></th><td>a &lt; b</td><td>40</td>
<td><a href="/delete">Delete</a></td></tr>
<tr><td colspan="4">No runs.</td></tr></tbody>
<tfoot><tr><th scope="row">All</th><td data-label="Kept">x</td><td>80</td><td></td></tr></tfoot>
</table>"""


def test_cells_take_their_columns_header_and_the_table_its_roles():
    done = stacked(TABLE)
    assert isinstance(done, Markup)
    table = BeautifulSoup(str(done), "html.parser").table
    assert table["class"] == [STACK_CLASS, "govuk-table"] and table["role"] == "table"
    assert [g["role"] for g in table.find_all(["thead", "tbody", "tfoot"])] == ["rowgroup"] * 3
    assert {tr["role"] for tr in table.find_all("tr")} == {"row"}
    assert {th["role"] for th in table.thead.find_all("th")} == {"columnheader"}
    first = table.tbody.tr
    assert first.th["role"] == "rowheader" and not first.th.has_attr("data-label")
    # Entities stay entities; a header only screen readers hear labels nothing on screen.
    assert [td.get("data-label") for td in first.find_all("td")] == ["Said & done", "Answers", None]
    assert 'data-label="Said &amp; done"' in str(done) and "a &lt; b" in str(done)
    spanning = table.tbody.find_all("tr")[1].td
    assert spanning["role"] == "cell" and not spanning.has_attr("data-label")
    foot = table.tfoot.find_all("td")
    assert [td.get("data-label") for td in foot] == ["Kept", "Answers", None]
    # Nothing else changes: the same words in the same order.
    assert (
        BeautifulSoup(str(done), "html.parser").get_text()
        == BeautifulSoup(TABLE, "html.parser").get_text()
    )


def test_each_table_reads_its_own_headers():
    two = TABLE + TABLE.replace("Said &amp; done", "Other")
    tables = BeautifulSoup(str(stacked(two)), "html.parser").find_all("table")
    assert [t.tbody.td["data-label"] for t in tables] == ["Said & done", "Other"]
