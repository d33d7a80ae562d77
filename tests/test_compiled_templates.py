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
    compiled = _counting_compile(monkeypatch)
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


def test_a_filter_passed_other_arguments_gets_its_own_code(tmp_path, monkeypatch):
    """The compiler writes a filter's call by what it is passed (``@pass_context``): a code
    made when the filter took only its value must not be run once it takes the context too
    (a deploy that changes a filter but no template)."""
    from jinja2 import pass_context

    folder = tmp_path / "compiled"
    source = "{{ name|greet }}"
    plain = JinjaEnvironment(
        bytecode_cache=CompiledTemplates(folder), loader=DictLoader({"p.html": source})
    )
    plain.filters["greet"] = lambda value: f"hello {value}"
    assert plain.get_template("p.html").render(name="Ann") == "hello Ann"

    @pass_context
    def greet(context, value):
        return f"{context['greeting']} {value}"

    compiled = _counting_compile(monkeypatch)
    later = JinjaEnvironment(
        bytecode_cache=CompiledTemplates(folder), loader=DictLoader({"p.html": source})
    )
    later.filters["greet"] = greet
    assert later.get_template("p.html").render(name="Ann", greeting="hi") == "hi Ann"
    assert compiled == ["p.html"] and len(list(folder.iterdir())) == 2
    # a filter that was missing when the code was made (compiled to fail when called) too
    assert compile_options(JinjaEnvironment(), "p.html") != compile_options(plain, "p.html")


def test_a_folder_or_file_others_may_write_to_is_not_read(tmp_path, monkeypatch):
    """Its files are run as code: one in a folder others may write to, or that others may
    write to itself, is passed over (compiled afresh), never loaded."""
    folder = tmp_path / "compiled"
    source = "<p>{{ x }}</p>"
    first = JinjaEnvironment(
        bytecode_cache=CompiledTemplates(folder), loader=DictLoader({"p.html": source})
    )
    first.get_template("p.html")
    assert folder.stat().st_mode & 0o077 == 0  # made for this user only
    (written,) = folder.iterdir()
    compiled = _counting_compile(monkeypatch)

    def load() -> None:
        loader = DictLoader({"p.html": source})
        environment = JinjaEnvironment(bytecode_cache=CompiledTemplates(folder), loader=loader)
        assert environment.get_template("p.html").render(x=1) == "<p>1</p>"

    folder.chmod(0o777)
    load()
    assert compiled == ["p.html"]
    folder.chmod(0o700)
    written.chmod(0o666)
    load()
    assert compiled == ["p.html", "p.html"]
    written.chmod(0o600)
    load()
    assert compiled == ["p.html", "p.html"]  # its own again: loaded


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
