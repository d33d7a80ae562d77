"""Templates compiled once a process: every app shares
:data:`consult.templating.COMPILED_TEMPLATES`, so a second app renders from the first one's
code, and renders exactly what it would have."""

from __future__ import annotations

import re

from flask import render_template
from jinja2 import Environment as JinjaEnvironment

from consult import create_app
from consult.templating import COMPILED_TEMPLATES, CompiledTemplates, compile_options


def _app(tmp_path, name: str):
    return create_app(
        {
            "TESTING": True,
            "DATABASE_URL": f"sqlite:///{tmp_path / name}.sqlite",
            "SECRET_KEY": "compiled",
            "SERVER_NAME": "localhost",
        }
    )


def _render(app, template: str) -> str:
    """The page as rendered, its request's random nonces left out."""
    with app.test_request_context("/"):
        page = render_template(template, title="A page", body="Its words.")
    return re.sub(r'nonce="[^"]+"', 'nonce=""', page)


def test_a_second_app_compiles_no_template_and_renders_the_same(tmp_path, monkeypatch):
    first = _app(tmp_path, "first")
    assert first.jinja_env.bytecode_cache is COMPILED_TEMPLATES
    page = _render(first, "errors/error.html")
    second = _app(tmp_path, "second")
    compiled: list[str] = []
    original = JinjaEnvironment.compile

    def counting(self, source, name=None, filename=None, raw=False, defer_init=False):
        compiled.append(name)
        return original(self, source, name, filename, raw, defer_init)

    monkeypatch.setattr(JinjaEnvironment, "compile", counting)
    assert _render(second, "errors/error.html") == page
    assert compiled == []  # the page and every macro it imports came from the first app
    # an app without the shared code compiles them and renders the same page
    alone = _app(tmp_path, "alone")
    alone.jinja_env.bytecode_cache = None
    assert _render(alone, "errors/error.html") == page
    assert "errors/error.html" in compiled


def test_an_edited_template_or_other_options_are_compiled_afresh():
    cache = CompiledTemplates()
    environment = JinjaEnvironment(bytecode_cache=cache)
    source = "{% if x %}\n  yes\n{% endif %}"
    bucket = cache.get_bucket(environment, "page.html", None, source)
    assert bucket.code is None
    bucket.code = environment.compile(source, "page.html")
    cache.set_bucket(bucket)
    assert cache.get_bucket(environment, "page.html", None, source).code is bucket.code
    assert cache.get_bucket(environment, "page.html", None, source + " ").code is None
    assert cache.get_bucket(environment, "other.html", None, source).code is None
    trimmed = JinjaEnvironment(bytecode_cache=cache, trim_blocks=True)
    assert compile_options(trimmed, "page.html") != compile_options(environment, "page.html")
    assert cache.get_bucket(trimmed, "page.html", None, source).code is None
    # the options change what is rendered, so a shared code would have been wrong
    assert trimmed.from_string(source).render(x=1) != environment.from_string(source).render(x=1)
