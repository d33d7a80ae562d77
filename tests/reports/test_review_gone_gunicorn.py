"""smoke12 findings 2 (#20) and 18 (#21) through a real gunicorn process (the setup of
tests/reports/test_merge_gunicorn.py): after a merge over HTTP, the merged-away theme's page
(a link saved before the merge) says where it went instead of showing stale counts, and the
history of a key the run never had is not found."""

from __future__ import annotations

import pytest

from tests.reports.test_merge_gunicorn import finished_run  # noqa: F401 - fixture
from tests.test_gunicorn import served  # noqa: F401 - the served fixture

pytestmark = [pytest.mark.backends("sqlite", "postgresql"), pytest.mark.coding_encoder]


def test_a_merged_away_themes_saved_link_says_where_it_went(finished_run):  # noqa: F811
    run = finished_run("fast", seconds=240, poll=0.3)
    staff, run_path = run.staff, run.path
    pair = sorted(run.themes)[:2]
    for key in pair:
        saved = staff.request(f"{run_path}/themes/{key}")
        assert saved.status == 200 and "Main theme of" in saved.text
    merged = staff.form(f"{run_path}/merge", {"themes": pair})
    assert merged.status == 302, merged.text[:500]
    keep = merged.headers["Location"].rsplit("#theme-", 1)[1]
    (gone,) = [key for key in pair if key != keep]
    page = staff.request(f"{run_path}/themes/{gone}")
    assert page.status == 200 and "Main theme of" not in page.text
    notice = page.soup().find(id="theme-gone").get_text(" ", strip=True)
    assert notice.startswith(f"{gone} was merged into {keep} on ")
    links = {a["href"] for a in page.soup().find_all("a")}
    assert {f"{run_path}/themes/{keep}", f"{run_path}/history?key={gone}"} <= links
    assert staff.request(f"{run_path}/history?key={gone}").status == 200
    assert staff.request(f"{run_path}/history?key=ZZ").status == 404
    assert staff.request(f"{run_path}/merge?key=T99").status == 404
