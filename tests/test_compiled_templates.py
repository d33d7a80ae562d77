"""Templates compiled once a process: every app shares
:data:`consult.templating.COMPILED_TEMPLATES`, so a second app renders from the first one's
code, and renders exactly what it would have."""

from __future__ import annotations

import re
import urllib.request

from flask import render_template
from jinja2 import DictLoader
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


def _counting_compile(monkeypatch) -> list[str]:
    """The names of the templates Jinja compiles from now on."""
    compiled: list[str] = []
    original = JinjaEnvironment.compile

    def counting(self, source, name=None, filename=None, raw=False, defer_init=False):
        compiled.append(name)
        return original(self, source, name, filename, raw, defer_init)

    monkeypatch.setattr(JinjaEnvironment, "compile", counting)
    return compiled


def test_a_folder_gives_the_next_process_the_code_and_passes_over_a_bad_file(tmp_path, monkeypatch):
    """With a folder, a cache that has never seen a template (a new process) reads its
    code from the file the first one wrote, and renders the same; an edited source, other
    options or an unreadable file are compiled afresh (and the file written again)."""
    folder = tmp_path / "compiled"
    source = "{% for x in items %}<li>{{ x }}</li>{% endfor %}"
    first = CompiledTemplates(folder)
    made = JinjaEnvironment(bytecode_cache=first, loader=DictLoader({"p.html": source}))
    assert made.get_template("p.html").render(items=["<a>", 2]) == "<li><a></li><li>2</li>"
    files = sorted(folder.iterdir())
    assert len(files) == 1 and files[0].suffix == ".code"

    compiled = _counting_compile(monkeypatch)
    second = CompiledTemplates(folder)  # another process: nothing in memory
    again = JinjaEnvironment(bytecode_cache=second, loader=DictLoader({"p.html": source}))
    assert again.get_template("p.html").render(items=["<a>", 2]) == "<li><a></li><li>2</li>"
    assert compiled == []
    escaping = JinjaEnvironment(
        bytecode_cache=CompiledTemplates(folder),
        loader=DictLoader({"p.html": source}),
        autoescape=True,
    )  # other options: another file, not the first one's code
    assert escaping.get_template("p.html").render(items=["<a>"]) == "<li>&lt;a&gt;</li>"
    assert compiled == ["p.html"] and len(list(folder.iterdir())) == 2

    edited = JinjaEnvironment(
        bytecode_cache=CompiledTemplates(folder), loader=DictLoader({"p.html": source + "."})
    )
    assert edited.get_template("p.html").render(items=[1]) == "<li>1</li>."
    assert compiled == ["p.html", "p.html"] and len(list(folder.iterdir())) == 3

    files[0].write_bytes(b"not code")
    broken = JinjaEnvironment(
        bytecode_cache=CompiledTemplates(folder), loader=DictLoader({"p.html": source})
    )
    assert broken.get_template("p.html").render(items=[3]) == "<li>3</li>"
    assert compiled == ["p.html", "p.html", "p.html"]
    assert files[0].read_bytes() != b"not code"  # written again, whole
    assert not list(folder.glob("*.tmp"))


def test_an_app_keeps_the_process_code_where_its_setting_says(tmp_path, monkeypatch):
    monkeypatch.setenv("CONSULT_COMPILED_TEMPLATES_FOLDER", str(tmp_path / "kept"))
    _app(tmp_path, "kept")
    assert COMPILED_TEMPLATES.folder == str(tmp_path / "kept")
    monkeypatch.delenv("CONSULT_COMPILED_TEMPLATES_FOLDER")
    _app(tmp_path, "none")
    assert COMPILED_TEMPLATES.folder is None


def test_a_second_gunicorn_loads_the_templates_the_first_one_compiled(database_url, tmp_path):
    """Through real gunicorn processes (``wsgi.py`` compiles every template as a process
    starts): the first writes each template's code to the folder before it answers, the
    second writes none (it read them all) and serves the same page."""
    from tests.reports_helpers import worker_environment
    from tests.test_gunicorn import gunicorn_process

    folder = tmp_path / "compiled"
    env = worker_environment(
        database_url, tmp_path / "instance", COMPILED_TEMPLATES_FOLDER=str(folder)
    )
    pages = []
    for start in ("first", "second"):
        with gunicorn_process(env, tmp_path / f"{start}.log") as (base, _):
            if start == "first":
                written = {path.name: path.stat().st_mtime_ns for path in folder.iterdir()}
            with urllib.request.urlopen(base + "/", timeout=60) as reply:
                assert reply.status == 200
                pages.append(re.sub(r'nonce="[^"]+"', 'nonce=""', reply.read().decode()))
    assert len(written) >= 100 and all(name.endswith(".code") for name in written)
    assert {path.name: path.stat().st_mtime_ns for path in folder.iterdir()} == written
    assert pages[0] == pages[1] and "<h1" in pages[0]
