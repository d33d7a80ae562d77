"""Small helpers every template can call."""

from __future__ import annotations

import hashlib
import marshal
import os
import re
import stat
import sys
import tempfile
from collections import ChainMap
from collections.abc import MutableMapping
from types import CodeType
from typing import Any
from urllib.parse import quote

import jinja2
from flask import Flask, request
from flask.templating import Environment as FlaskEnvironment
from jinja2 import Environment as JinjaEnvironment
from jinja2.bccache import Bucket, BytecodeCache
from markupsafe import Markup, escape

from .stacked_table import stacked


class TemplateGlobals(ChainMap):
    """A template's globals over the environment's (Jinja's own ``ChainMap``), whose
    ``keys()`` is a real set.

    Every ``{% from ... import %}`` asks Jinja which of the page's globals the imported
    template lacks (``context.globals_keys - template.globals.keys()``). With a plain
    ``ChainMap`` that difference looks each key up map by map in Python, a few hundred
    lookups a page; with a set it is one C operation. The keys are the same.
    """

    def keys(self):  # type: ignore[override]
        return set().union(*self.maps)


class CompiledTemplates(BytecodeCache):
    """The compiled code of every template, shared by all the apps one process makes.

    Jinja compiles a template once per environment, and each app has its own: a process
    that makes many apps (the test suite makes one a test) compiled the same templates
    again for each, most of a test's time on a staff page. A template's code depends only
    on its source and the environment's compile options, so it is kept by template name,
    those options and the source's checksum (an edited template is compiled afresh); the
    code object itself is kept. A process with one app (a gunicorn worker) compiles each
    template once, as before.

    With a ``folder`` (the ``COMPILED_TEMPLATES_FOLDER`` setting) the code is also written
    there (``marshal``, as Jinja's own file cache writes it), one file a template, named by
    the same key, the Jinja version and the Python version that made it, and a process that
    lacks a template's code reads it from there before compiling it: a new web process then
    loads its templates instead of compiling them (about 1.5 CPU seconds each). A file that
    cannot be read or written is passed over (the template is compiled, as without a
    folder). Only the app's own user may write to the folder: its files are run as code, so
    a folder or file that is not the process's user's, or that others may write to, is not
    read.
    """

    def __init__(self, folder: str | os.PathLike[str] | None = None) -> None:
        self._codes: dict[tuple[str, str], CodeType] = {}
        self.folder = folder

    def get_bucket(
        self, environment: JinjaEnvironment, name: str, filename: str | None, source: str
    ) -> Bucket:
        key = repr((name, filename, compile_options(environment, name)))
        bucket = Bucket(environment, key, self.get_source_checksum(source))
        self.load_bytecode(bucket)
        return bucket

    def load_bytecode(self, bucket: Bucket) -> None:
        code = self._codes.get((bucket.key, bucket.checksum))
        if code is None and self.folder:
            code = self._read(bucket)
            if code is not None:
                self._codes[(bucket.key, bucket.checksum)] = code
        if code is not None:
            bucket.code = code

    def dump_bytecode(self, bucket: Bucket) -> None:
        if bucket.code is not None:
            self._codes[(bucket.key, bucket.checksum)] = bucket.code
            if self.folder:
                self._write(bucket)

    def path(self, bucket: Bucket) -> str:
        """The file in :attr:`folder` for ``bucket``'s template, source and options."""
        made_by = (bucket.key, bucket.checksum, jinja2.__version__, sys.implementation.cache_tag)
        name = hashlib.sha256(repr(made_by).encode("utf-8")).hexdigest()
        return os.path.join(os.fspath(self.folder), f"{name}.code")

    def _read(self, bucket: Bucket) -> CodeType | None:
        try:
            if not _only_ours(os.stat(self.folder)):
                return None
            with open(self.path(bucket), "rb") as file:
                if not _only_ours(os.fstat(file.fileno())):
                    return None
                code = marshal.load(file)
        except (OSError, EOFError, ValueError, TypeError):
            return None
        return code if isinstance(code, CodeType) else None

    def _write(self, bucket: Bucket) -> None:
        """Write the code to a file of its own first, then move it into place, so another
        process never reads a half-written file."""
        try:
            os.makedirs(self.folder, mode=0o700, exist_ok=True)
            handle, temporary = tempfile.mkstemp(dir=self.folder, suffix=".tmp")
            try:
                with os.fdopen(handle, "wb") as file:
                    marshal.dump(bucket.code, file)
                os.replace(temporary, self.path(bucket))
            except BaseException:
                os.unlink(temporary)
                raise
        except OSError:
            pass

    def clear(self) -> None:
        self._codes.clear()


def _only_ours(status: os.stat_result) -> bool:
    """Whether a compiled template's folder or file is this process's user's and nobody
    else may write to it: its code is run, so a file another user could have put or changed
    is passed over (the template is compiled afresh)."""
    return status.st_uid == os.geteuid() and not status.st_mode & (stat.S_IWGRP | stat.S_IWOTH)


def compile_options(environment: JinjaEnvironment, name: str) -> tuple[Any, ...]:
    """What Jinja's compiler reads from ``environment`` to compile the template ``name``."""
    autoescape = environment.autoescape
    return (
        environment.block_start_string,
        environment.block_end_string,
        environment.variable_start_string,
        environment.variable_end_string,
        environment.comment_start_string,
        environment.comment_end_string,
        environment.line_statement_prefix,
        environment.line_comment_prefix,
        environment.trim_blocks,
        environment.lstrip_blocks,
        environment.newline_sequence,
        environment.keep_trailing_newline,
        environment.optimized,
        environment.is_async,
        _passed(environment.finalize) if environment.finalize else None,
        bool(autoescape(name)) if callable(autoescape) else bool(autoescape),
        tuple(sorted(environment.extensions)),
        type(environment).code_generator_class,
        environment.sandboxed,
        # the compiler writes each filter's and test's call by whether it exists and what it is
        # passed (context, eval context, environment): a code made for another set calls them wrong
        tuple(sorted((key, _passed(value)) for key, value in environment.filters.items())),
        tuple(sorted((key, _passed(value)) for key, value in environment.tests.items())),
    )


def _passed(function: Any) -> str:
    """What Jinja passes ``function`` before its arguments (``@pass_context`` and the like)."""
    kind = getattr(function, "jinja_pass_arg", None)  # what jinja2.utils.pass_* set
    return getattr(kind, "name", "")


COMPILED_TEMPLATES = CompiledTemplates()


class Environment(FlaskEnvironment):
    """Flask's Jinja environment, with :class:`TemplateGlobals` for each template and the
    process's :data:`COMPILED_TEMPLATES`."""

    def __init__(self, app: Flask, **options: Any) -> None:
        options.setdefault("bytecode_cache", COMPILED_TEMPLATES)
        super().__init__(app, **options)

    def make_globals(self, d: MutableMapping[str, Any] | None) -> MutableMapping[str, Any]:
        return TemplateGlobals({} if d is None else d, self.globals)


def form_errors(form) -> list[tuple[str, str]]:
    """(field id, message) pairs for a form's error summary, in field order (no CSRF field)."""
    return [(f.id, e) for f in form if f.name != "csrf_token" for e in f.errors]


def errors_for_summary(errors: list) -> list[dict[str, str]]:
    """Error summary items: (field id, message) pairs link to a field on the same page;
    ready-made ``{"text", "href"}`` items pass through."""
    return [
        error if isinstance(error, dict) else {"text": error[1], "href": f"#{error[0]}"}
        for error in errors
    ]


# Control characters ``str.splitlines`` (so Jinja's ``indent``) breaks lines at, besides
# "\n": a carriage return, vertical tab, form feed, file/group/record separators and
# NEL. None can be written as a character reference (``&#133;`` reads as "…").
OTHER_LINE_BREAKS = re.compile("[\r\x0b\x0c\x1c\x1d\x1e\x85]")


def answer_html(value: object) -> Markup:
    """An answer as HTML for a summary list or table cell, shown exactly as typed.

    The answer sits in its own ``white-space: pre-wrap`` span, so its line breaks and spaces
    show but the template's indentation around it does not, with ``dir="auto"`` so that an
    answer written right to left reads that way (its full stop at its end, on the left).
    Its line breaks are written as ``&#10;`` so a component that indents its ``html`` (as
    the summary list does) cannot add spaces inside the answer; so are the line and
    paragraph separators (U+2028, U+2029, as pasted from some editors), which that
    indenting (``str.splitlines``) also breaks at. The control characters it breaks at
    (which partners' forms drop, but other sources may not) are shown as line breaks.
    """
    text = "" if value is None else str(value)
    text = OTHER_LINE_BREAKS.sub("\n", text.replace("\r\n", "\n"))
    body = str(escape(text)).replace("\n", "&#10;")
    body = body.replace("\u2028", "&#8232;").replace("\u2029", "&#8233;")
    return Markup(f'<span class="consult-pre-wrap" dir="auto">{body}</span>')


def compile_templates(app: Flask) -> int:
    """Compile every template of the app now; returns how many.

    Jinja compiles a template the first time a page uses it, which makes a new web
    process's first pages slow (about a second of CPU for the partner journey's templates
    and the GOV.UK macros they import). ``wsgi.py`` calls this as each production process
    starts, before it takes requests."""
    env = app.jinja_env
    names = [name for name in env.list_templates() if name.endswith(".html")]
    for name in names:
        env.get_template(name)
    return len(names)


CLOSING = {"(": ")", "[": "]", "“": "”", "‘": "’"}


def cut_at_word(text: str, limit: int) -> str:
    """``text`` single-spaced and cut to at most about ``limit`` characters at a word, never
    mid-word, ending "…" (a trailing space, comma, colon, dash or "(" dropped first); short
    text as it is. Brackets it opened stay open: :func:`clip_words` closes them."""
    text = " ".join(str(text).split())
    if len(text) <= limit:
        return text
    cut = text[:limit]
    if " " in cut:
        cut = cut[: cut.rindex(" ")]
    return cut.rstrip(" ,;:-–(") + "…"


def clip_words(text: str, limit: int = 80) -> str:
    """``text`` cut to at most about ``limit`` characters for a label (a link's visually
    hidden words, a region's name): at a word, never mid-word, with "…" and every bracket or
    quotation mark it opened closed again, so a screen reader never reads a half word or an
    unbalanced "(": 'Q2: Why do you say that? (about Q1: How far do you…)'. Short text as
    it is."""
    text = " ".join(str(text).split())
    if len(text) <= limit:
        return text
    cut = cut_at_word(text, limit)
    opened: list[str] = []
    for character in cut:
        if character in CLOSING:
            opened.append(CLOSING[character])
        elif opened and character == opened[-1]:
            opened.pop()
    return cut + "".join(reversed(opened))


def form_action() -> str:
    """The address a page's form posts to: the page's own, without its fragment.

    A form with no ``action`` posts to the page's address as the browser shows it, fragment
    and all (a "Change" link's ``#q10``); the redirect answering the post names no fragment,
    so the browser keeps that one (RFC 9110, 10.2.2) on every page after it, down to the
    confirmation's address. The link's fragment has done its job once the page is drawn.

    Built from the request's own path and query string (the server never sees a fragment),
    not through ``url_for``: a query argument named like one of its keywords (``_anchor``,
    ``_scheme``, ``_method``, ``_external``) would crash it or make the form post to an
    absolute address. Always a relative address on this site: ``/c/slug/check?return=x``."""
    path = "/" + quote(request.script_root + request.path, safe="/:@!$&'()*+,;=~").lstrip("/")
    query = request.query_string.decode("latin-1")
    return f"{path}?{query}" if query else path


def register_template_helpers(app: Flask) -> None:
    """Make the helpers available to every template."""
    from .exports import source_words
    from .import_times import submitted_words
    from .summary_list import summary_list
    from .times import uk_time
    from .wording import number_label, plural

    app.jinja_env.globals["plural"] = plural
    app.jinja_env.globals["number_label"] = number_label
    app.jinja_env.globals["source_words"] = source_words
    app.jinja_env.globals["summary_list"] = summary_list
    app.jinja_env.globals["errors_for_summary"] = errors_for_summary
    app.jinja_env.globals["form_action"] = form_action
    app.jinja_env.filters["answer_html"] = answer_html
    app.jinja_env.filters["uk_time"] = uk_time
    app.jinja_env.filters["submitted_words"] = submitted_words
    app.jinja_env.filters["clip_words"] = clip_words
    app.jinja_env.filters["stacked"] = stacked
