"""URLs built during a request are remembered per app (consult/urls.py): the same URLs as
Flask builds, for the script root each request is mounted at."""

from __future__ import annotations

from flask import url_for

from consult.urls import App


def test_remembered_urls_match_flask_and_follow_the_script_root(app):
    assert isinstance(app, App)
    with app.test_request_context("/"):
        first = url_for("survey.section", slug="a-b", position=2, **{"return": "check"})
        again = url_for("survey.section", slug="a-b", position=2, **{"return": "check"})
        static = url_for("static", filename="css/consult.css")
        external = url_for("survey.start", slug="a-b", _external=True)
        anchored = url_for("survey.check", slug="a-b", _anchor="q 1")
    assert first == again == "/c/a-b/section/2?return=check"
    assert static == "/static/css/consult.css"
    assert external == "http://localhost/c/a-b"
    assert anchored == "/c/a-b/check#q%201"
    with app.test_request_context("/", environ_overrides={"SCRIPT_NAME": "/consult"}):
        mounted = url_for("survey.section", slug="a-b", position=2, **{"return": "check"})
        mounted_static = url_for("static", filename="css/consult.css")
    assert mounted == "/consult/c/a-b/section/2?return=check"
    assert mounted_static == "/consult/static/css/consult.css"


def test_values_other_than_text_and_numbers_are_built_every_time(app):
    with app.test_request_context("/"):
        built = url_for("survey.start", slug="a-b", extra=["x", "y"])
    assert built == "/c/a-b?extra=x&extra=y"
    assert not any(
        key[0] == "survey.start" and key[1] == (("slug", "a-b"), ("extra", ["x", "y"]))
        for key in app._built_urls
    )


def test_links_with_a_token_are_not_kept(app):
    with app.test_request_context("/"):
        link = url_for("survey.resume", slug="a-b", token="secret-token")
    assert link == "/c/a-b/resume/secret-token"
    assert not any("secret-token" in str(key) for key in app._built_urls)
