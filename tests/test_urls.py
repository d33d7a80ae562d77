"""URLs built during a request are remembered per app (consult/urls.py): the same URLs as
Flask builds, for the script root each request is mounted at; each route's URL builders are
werkzeug's, compiled once a process."""

from __future__ import annotations

from flask import url_for
from werkzeug.routing import Rule as WerkzeugRule

from consult.urls import App, Rule


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


def _same_function(one, other) -> bool:
    """Whether two compiled builders are the same code (werkzeug writes each from source)."""
    return (
        all(
            getattr(one.__code__, part) == getattr(other.__code__, part)
            for part in ("co_code", "co_consts", "co_names", "co_varnames", "co_argcount")
        )
        and one.__defaults__ == other.__defaults__
    )


def test_every_routes_builders_are_werkzeugs_and_shared_by_the_next_app(app):
    """Each rule's URL builders are the ones werkzeug compiles for it, and an app built
    next in this process reuses them (consult/urls.py: most of create_app's time)."""
    from consult import create_app

    rules = list(app.url_map.iter_rules())
    assert len(rules) > 50 and all(isinstance(rule, Rule) for rule in rules)
    for rule in rules:
        for cached, append_unknown in ((rule._build, False), (rule._build_unknown, True)):
            fresh = WerkzeugRule._compile_builder(rule, append_unknown)
            assert _same_function(cached.__func__, fresh), rule.rule
    other = create_app({"TESTING": True, "DATABASE_URL": "sqlite://"})
    mine = {(rule.endpoint, rule.rule): rule for rule in rules}
    for rule in other.url_map.iter_rules():
        same = mine[rule.endpoint, rule.rule]
        assert rule._build.__func__ is same._build.__func__
        assert rule._build_unknown.__func__ is same._build_unknown.__func__
    with other.test_request_context("/"):
        built = url_for("survey.section", slug="x y", position=3, **{"return": "check"})
    assert built == "/c/x%20y/section/3?return=check"


def test_a_rule_whose_default_fills_its_own_variable_is_compiled_as_werkzeug_does():
    """Such a default is written into the builder, so it is never shared by pattern."""
    first, second = App("one"), App("two")
    first.add_url_rule("/p/<int:page>", "a", lambda page: "", defaults={"page": 1})
    first.add_url_rule("/p/<int:page>", "b", lambda page: "")
    second.add_url_rule("/p/<int:page>", "a", lambda page: "", defaults={"page": 2})
    with first.test_request_context("/"):
        assert url_for("a") == "/p/1" and url_for("b", page=5) == "/p/5"
    with second.test_request_context("/"):
        assert url_for("a") == "/p/2"
