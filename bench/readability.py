"""How readable the text we write is: partner pages, staff pages, Word reports and the CLI.

    .venv/bin/python -m bench.readability [--before DIR] [--engines fast,semantic] [--top 20]
        [--write]
    .venv/bin/python bench/readability.py --json FILE [--engines ...]   (collect only)

Loads the demo (``load_demo``: 300 responses, seed 2026) into a throwaway SQLite database and
reads, through Flask's test client, what people read:

- partner pages: the start page, the organisation ("about") page, each section, check
  answers and the confirmation of one invited partner answering, and the saved page of
  another who saves and leaves;
- staff pages (a signed-in admin): for a fast and a semantic run of the demo's first two
  free-text questions, the report page and its first theme's page; the consultation
  overview; the coding overview and the coding page of one response (codebook from the fast
  run of the first question);
- Word: the first run's report and the consultation's report (``.docx`` read with
  python-docx: paragraphs and table cells);
- CLI: ``report.html`` of ``consult-analyse themes`` on the demo's export (the app's CSV
  export rows, first free-text question, fast engine).

Navigation, header, footer, scripts, the back link, form fields' contents and
``<blockquote>`` quotes are stripped. Text is cut into blocks (paragraphs, list items,
headings, cells, labels) and blocks into sentences. What partners wrote is not scored:
theme labels, keywords and organisation names inside a sentence are replaced by a neutral
word ("this"), and a sentence is counted as the partners' (not ours) when half or more of its
word 4-grams occur in the answers. A sentence whose 4-grams occur in the consultation's own
wording (title, summary, questions, hints, options, notices: written by whoever runs the
consultation, here consult/demo.py) is counted apart as "consultation". Only OUR sentences
(templates and generated sentences) of 4 words or more are scored.

Scores per sentence, formulas implemented here (no dependency):

- Flesch reading ease = 206.835 - 1.015 * words/sentences - 84.6 * syllables/words;
- Flesch-Kincaid grade = 0.39 * words/sentences + 11.8 * syllables/words - 15.59 (reading
  age is about grade + 5);
- syllables: :func:`syllables`, groups of vowels (a e i o u y) in a word, less a silent final
  "e" (not "-le"), at least one per word; a number is one word of one syllable.

GOV.UK's guidance: sentences under 25 words, a reading age of about 9 for the public. The
table gives, per surface, the distinct sentences scored (figures written as N when telling
texts apart), the median words, reading ease and grade, the reading ease of the hardest tenth
(10th percentile) and the share over 25 words; then the hardest sentences (lowest reading
ease, 8 words or more, one per distinct text) with where each comes from: the template or
the Python file and function holding its longest literal run of words, searched in the
surface's own files first (a heuristic: a sentence built from short pieces can be put down to
another file sharing its words).

``--before DIR`` collects from another copy of the code (``git archive COMMIT | tar -x -C
DIR``) in its own process, for a before-and-after in the same conditions.
"""

from __future__ import annotations

import argparse
import ast
import io
import json
import os
import re
import statistics
import sys
import tempfile
from collections import Counter
from pathlib import Path
from typing import Any

from bench.demo_app import demo_app, run_demo_questions

ROOT = Path(__file__).resolve().parent.parent
SURFACES = ("partner", "staff", "word", "cli")
LONG = 25  # GOV.UK: aim for sentences under 25 words
MIN_WORDS = 4  # shorter blocks are labels and buttons, not sentences
PROSE_WORDS = 8  # a shorter block not ending as a sentence does (. ? ! :) is a heading or cell
HARD_MIN_WORDS = 8  # the hardest-sentences list leaves out short labels
HEADING = "## readab: readability of what the app and the library write (`bench/readability.py`)"
NEUTRAL = "this"

_VOWELS = re.compile(r"[aeiouy]+")
_WORD = re.compile(r"[A-Za-z][A-Za-z'’-]*|\d[\d,.:%]*")
# A sentence ends at . ! or ? before a capital, a figure or an opening quote, or before a
# lower-case word after a word of two letters or more ("... it counts. p is that chance"; not
# "e.g. the").
_SENTENCE_END = re.compile(
    r"(?<=[.!?])[\"'”’)]*\s+(?=[A-Z0-9\"“‘(£])|(?<=[a-z]{2}[.!?])\s+(?=[a-z])"
)
# A digest (a run's input fingerprint, a commit): not prose
_DIGEST = re.compile(r"\b[0-9a-f]{16,}\b")
# Tags inside a block of text; any other tag starts a block of its own.
_INLINE = frozenset(
    ["a", "abbr", "b", "bdi", "cite", "code", "em", "i", "kbd", "mark", "q", "s", "small"]
    + ["span", "strong", "sub", "sup", "time", "u"]
)


def syllables(word: str) -> int:
    """Syllables of one word, by vowel groups: each run of a, e, i, o, u, y is one; a final
    silent "e" (as in "make", not "table" or "free") is not; every word has at least one.
    Numbers count as one. Crude, but the same crude count before and after a change."""
    letters = re.sub(r"[^a-z]", "", word.lower())
    if not letters:
        return 1
    count = len(_VOWELS.findall(letters))
    if (
        count > 1
        and letters.endswith("e")
        and not letters.endswith(("le", "ee", "ye"))
        and letters[-2:-1] not in ("a", "e", "i", "o", "u", "y")
    ):
        count -= 1
    return max(1, count)


def words(sentence: str) -> list[str]:
    return _WORD.findall(sentence)


def scores(sentence: str) -> dict[str, float]:
    """Words, Flesch reading ease and Flesch-Kincaid grade of one sentence."""
    found = words(sentence)
    count = max(1, len(found))
    syllable_count = sum(syllables(w) for w in found)
    per_word = syllable_count / count
    return {
        "words": len(found),
        "ease": 206.835 - 1.015 * count - 84.6 * per_word,
        "grade": 0.39 * count + 11.8 * per_word - 15.59,
    }


def split_sentences(block: str) -> list[str]:
    block = re.sub(r"\s+", " ", block).strip()
    return [s.strip() for s in _SENTENCE_END.split(block) if s.strip()]


# ---------------------------------------------------------------- collecting (in the copy)


def html_blocks(html: str) -> list[str]:
    """The readable text blocks of a page: its <main> (or body) less navigation, header,
    footer, scripts, form fields' contents and blockquotes; a block is the direct text of a
    paragraph, list item, heading, cell, label, ... (nested blocks are their own)."""
    from bs4 import BeautifulSoup, NavigableString

    soup = BeautifulSoup(html, "html.parser")
    root = soup.find("main") or soup.body or soup
    for tag in root.find_all(
        ["nav", "header", "footer", "script", "style", "blockquote", "textarea", "template", "svg"]
    ):
        tag.decompose()
    for tag in root.find_all(class_=re.compile(r"consult-quote|govuk-back-link|skip-link")):
        tag.decompose()
    blocks: list[str] = []

    def walk(tag) -> str:
        parts: list[str] = []
        for child in tag.children:
            if isinstance(child, NavigableString):
                if child.__class__.__name__ not in ("Comment", "Doctype", "Declaration"):
                    parts.append(str(child))
            elif child.name == "br":
                parts.append(" ")
            elif child.name in _INLINE and "display-block" not in " ".join(child.get("class", [])):
                parts.append(walk(child))
            else:
                inner = walk(child)
                if inner.strip():
                    blocks.append(inner)
        return "".join(parts)

    top = walk(root)
    if top.strip():
        blocks.append(top)
    return [re.sub(r"\s+", " ", b).strip() for b in blocks if b.strip()]


def docx_blocks(body: bytes) -> list[str]:
    """Paragraphs and table cells of a Word document, read with python-docx; quotes (the
    "Quote" and "Intense Quote" styles) left out."""
    import docx

    document = docx.Document(io.BytesIO(body))
    blocks = [
        p.text
        for p in document.paragraphs
        if p.text.strip() and "Quote" not in (p.style.name if p.style is not None else "")
    ]
    for table in document.tables:
        for row in table.rows:
            seen = set()
            for cell in row.cells:
                if id(cell._tc) in seen:
                    continue
                seen.add(id(cell._tc))
                blocks.extend(p.text for p in cell.paragraphs if p.text.strip())
    return blocks


def _fill(page_html: str) -> dict[str, Any]:
    """A partner's answers for a page's form: each radio group's and select's first choice,
    the first checkbox, a short sentence in each text box, values already there kept."""
    from bs4 import BeautifulSoup

    form = BeautifulSoup(page_html, "html.parser").find("form", method="post")
    data: dict[str, Any] = {}
    if form is None:
        return data
    for field in form.find_all("input"):
        name, kind = field.get("name"), field.get("type", "text")
        if not name or kind in ("submit", "button"):
            continue
        if kind in ("radio", "checkbox"):
            data.setdefault(name, field.get("value", "on"))
        elif kind == "hidden" or field.get("value"):
            data[name] = field.get("value", "")
        elif kind == "email" or "email" in name:
            data[name] = "someone@example.org"
        elif kind == "number":
            data[name] = "3"
        else:
            data[name] = "Walsall Community Trust"
    for box in form.find_all("textarea"):
        data[box["name"]] = box.get_text() or "More buses in the evening would help us."
    for select in form.find_all("select"):
        values = [o.get("value") for o in select.find_all("option") if o.get("value")]
        if values and select.get("name"):
            data[select["name"]] = values[0]
    return data


def _page_name(path: str) -> str:
    tail = path.rstrip("/").rsplit("/", 2)
    if tail[-2] == "section":
        return f"section {tail[-1]}"
    return tail[-1] if tail[-1] not in ("", "consult") else "start"


def _partner_pages(app, client_factory) -> list[tuple[str, str]]:
    """(page, html) of one invited partner answering every page, then another saving."""
    from consult.demo import fresh_demo_invitation
    from consult.extensions import db

    pages: list[tuple[str, str]] = []
    with app.app_context():
        start_url, invite_url, _ = fresh_demo_invitation()
        db.session.remove()
    client = client_factory()
    page = client.get(invite_url, follow_redirects=True)
    pages.append(("start", page.get_data(as_text=True)))
    url = page.request.path
    for _ in range(20):
        html = page.get_data(as_text=True)
        posted = client.post(url, data={**_fill(html), "action": "continue"})
        if posted.status_code not in (302, 303):
            break
        url = posted.headers["Location"].split("?")[0]
        page = client.get(posted.headers["Location"], follow_redirects=True)
        url = page.request.path
        name = _page_name(url)
        pages.append((name, page.get_data(as_text=True)))
        if name == "confirmation" or "confirmation" in url or "sent" in url:
            break
    with app.app_context():
        _, invite_url, _ = fresh_demo_invitation()
        db.session.remove()
    other = client_factory()
    page = other.get(invite_url, follow_redirects=True)
    html = page.get_data(as_text=True)
    posted = other.post(page.request.path, data={**_fill(html), "action": "continue"})
    page = other.get(posted.headers["Location"], follow_redirects=True)
    posted = other.post(
        page.request.path, data={**_fill(page.get_data(as_text=True)), "action": "save"}
    )
    page = other.get(posted.headers["Location"], follow_redirects=True)
    pages.append(("saved", page.get_data(as_text=True)))
    return pages


def _csrf(html: str) -> dict[str, str]:
    found = re.search(r'name="csrf_token"[^>]*value="([^"]+)"', html)
    return {"csrf_token": found.group(1)} if found else {}


def _cli_report(consultation, question, folder: str) -> str:
    """report.html of ``consult-analyse themes`` on the app's CSV export of the demo."""
    import csv

    from analysis.cli import main as analyse
    from consult import exports
    from consult.extensions import db

    plan = exports.plan(consultation)
    headers = exports.headers(plan)
    path = Path(folder, "export.csv")
    with open(path, "w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(headers)
        for row in exports.rows(plan, db.session):
            writer.writerow(["" if v is None else str(v) for v in row])
    column = next(h for h in headers if question.text in h)
    out = Path(folder, "cli")
    code = analyse(
        [
            "themes",
            str(path),
            "--text-column",
            column,
            "--question",
            question.text,
            "--engine",
            "fast",
            "--quiet",
            "--out",
            str(out),
        ]
    )
    assert code == 0, code
    return (out / "report.html").read_text(encoding="utf-8")


def collect(engines: list[str]) -> dict[str, Any]:
    """Blocks of text by surface and page, and what is not ours: answers, the
    consultation's wording, labels/keywords and names (to replace or leave out)."""
    with tempfile.TemporaryDirectory() as folder:
        app = demo_app(folder)
        from sqlalchemy import select

        from consult.extensions import db
        from consult.models import Answer, Consultation, Organisation
        from consult.reports.models import RunTheme
        from tests.staff_helpers import PASSWORD, make_user

        with app.app_context():
            make_user("admin")
            db.session.remove()
        units: list[dict[str, str]] = []

        def add(surface: str, page: str, blocks: list[str]) -> None:
            units.extend({"surface": surface, "page": page, "text": b} for b in blocks)

        for name, html in _partner_pages(app, app.test_client):
            add("partner", name, html_blocks(html))

        client = app.test_client()
        page = client.get("/staff/sign-in")
        client.post(
            "/staff/sign-in",
            data={
                **_csrf(page.get_data(as_text=True)),
                "email": "admin@example.org",
                "password": PASSWORD,
            },
        )
        consultation_id, run_ids = run_demo_questions(app, engines, questions=2)
        for engine, run_id, _ in run_ids:
            html = client.get(f"/staff/reports/runs/{run_id}").get_data(as_text=True)
            add("staff", f"report ({engine})", html_blocks(html))
            theme = re.search(rf"/staff/reports/runs/{run_id}/themes/(\w+)", html)
            if theme:
                url = f"/staff/reports/runs/{run_id}/themes/{theme.group(1)}"
                add("staff", f"theme ({engine})", html_blocks(client.get(url).get_data(True)))
        overview = client.get(f"/staff/reports/consultations/{consultation_id}")
        add("staff", "overview", html_blocks(overview.get_data(as_text=True)))
        _, first_run, first_question = run_ids[0]
        report = client.get(f"/staff/reports/runs/{first_run}").get_data(as_text=True)
        client.post(
            f"/staff/reports/runs/{first_run}/codebook",
            data={**_csrf(report), "confirmed": "yes"},
        )
        coding = client.get(f"/staff/reports/questions/{first_question}/coding")
        add("staff", "coding overview", html_blocks(coding.get_data(as_text=True)))
        one = client.get(
            f"/staff/reports/questions/{first_question}/coding/next", follow_redirects=True
        )
        add("staff", "coding a response", html_blocks(one.get_data(as_text=True)))

        word = client.get(f"/staff/reports/runs/{first_run}/report.docx")
        add("word", "run report", docx_blocks(word.get_data()))
        whole = client.get(f"/staff/reports/consultations/{consultation_id}/report.docx")
        add("word", "consultation report", docx_blocks(whole.get_data()))

        with app.app_context():
            consultation = db.session.get(Consultation, consultation_id)
            question = next(q for q in consultation.questions if q.id == first_question)
            add("cli", "report.html", html_blocks(_cli_report(consultation, question, folder)))
            answers = [a for a in db.session.scalars(select(Answer.value)) if a]
            names = [n for n in db.session.scalars(select(Organisation.name)) if n]
            labels: list[str] = []
            for theme in db.session.scalars(select(RunTheme)):
                labels.append(theme.label)
                for entry in (theme.quotes or []) + (theme.summary or []):
                    answers.append(entry.get("text", ""))
            consultation_title, team = consultation.title, consultation.team_name or ""
            own = [consultation.title, consultation.summary or "", consultation.audience or ""]
            for name in ("privacy_notice", "what_happens_next", "invitation_message"):
                own.append(getattr(consultation, name, "") or "")
            for section in consultation.sections:
                own += [section.title, section.intro or ""]
            for q in consultation.questions:
                own += [q.text, q.hint or ""] + [o.label for o in q.options]
            db.session.remove()
    # the consultation's title and team inside our sentences ("Thank you for responding to
    # ...") are its words, not ours
    titles = [consultation_title, team]
    return {
        "units": units,
        "answers": answers,
        "consultation": own,
        "replace": names + labels + [t for t in titles if t],
    }


# ---------------------------------------------------------------- scoring (here)


def _grams(text: str, n: int = 4) -> set[tuple[str, ...]]:
    found = [w.lower() for w in words(text)]
    return {tuple(found[i : i + n]) for i in range(max(0, len(found) - n + 1))}


def _is_list(text: str, least: int = 4) -> bool:
    """A list, not prose: four (``least``) or more items split by commas or semicolons, most
    of three words or fewer (keywords, names) or each with a figure (timings, versions)."""
    items = [i for i in re.split(r"[,;]", text) if i.strip()]
    if len(items) < least:
        return False
    sizes = sorted(len(words(i)) for i in items)
    return sizes[len(sizes) // 2] <= 3 or all(re.search(r"\d", i) for i in items)


def _list_cut(sentence: str) -> str:
    """The sentence without a list that ends it ("Keywords: a, b, c, d" -> "Keywords:");
    nothing if it is all list."""
    head, colon, tail = sentence.rpartition(":")
    if colon and _is_list(tail, least=3):
        return head + ":"
    return "" if _is_list(sentence) else sentence


def classify(collected: dict[str, Any]) -> list[dict[str, Any]]:
    """Every sentence of 4 words or more, with its surface, page, owner (ours, partner,
    consultation) and scores; labels, keywords and names inside replaced by "this"."""
    partner_grams: set = set()
    for text in collected["answers"]:
        partner_grams |= _grams(text)
    own_grams: set = set()
    for text in collected["consultation"]:
        own_grams |= _grams(text)
    # labels and names of two words or more (one word, a keyword or "Funding", is too
    # often a word of ours as well)
    replace = sorted({r for r in collected["replace"] if " " in r.strip()}, key=len, reverse=True)
    pattern = (
        re.compile("|".join(rf"(?<!\w){re.escape(r)}(?!\w)" for r in replace), re.I)
        if replace
        else None
    )
    sentences, seen = [], set()
    for unit in collected["units"]:
        text = pattern.sub(NEUTRAL, unit["text"]) if pattern else unit["text"]
        for sentence in split_sentences(text):
            sentence = _list_cut(sentence)
            if not sentence:
                continue
            found = scores(sentence)
            if (
                _DIGEST.search(sentence)
                or found["words"] < MIN_WORDS
                or (
                    found["words"] < PROSE_WORDS
                    and sentence.rstrip("\"'”’)")[-1:] not in (".", "?", "!", ":")
                )
            ):
                continue
            key = (unit["surface"], re.sub(r"\d[\d,.:%]*", "N", sentence))
            if key in seen:
                continue
            seen.add(key)
            grams = _grams(sentence)
            owner = "ours"
            if grams and len(grams & partner_grams) >= len(grams) / 2:
                owner = "partner"
            elif grams and len(grams & own_grams) >= len(grams) / 2:
                owner = "consultation"
            sentences.append({**unit, "text": sentence, "owner": owner, **found})
    return sentences


def _tenth(values: list[float]) -> float:
    """The 10th percentile (the value itself when there is only one)."""
    return statistics.quantiles(values, n=10)[0] if len(values) > 1 else values[0]


def summary(sentences: list[dict[str, Any]]) -> dict[str, dict[str, float]]:
    result = {}
    for surface in (*SURFACES, "all"):
        chosen = [s for s in sentences if s["owner"] == "ours" and surface in (s["surface"], "all")]
        if not chosen:
            continue
        result[surface] = {
            "sentences": len(chosen),
            "words": statistics.median(s["words"] for s in chosen),
            "ease": statistics.median(s["ease"] for s in chosen),
            "grade": statistics.median(s["grade"] for s in chosen),
            "hard": _tenth([s["ease"] for s in chosen]),
            "long": sum(s["words"] > LONG for s in chosen) / len(chosen),
        }
    return result


def hardest(sentences: list[dict[str, Any]], top: int) -> list[dict[str, Any]]:
    seen, chosen = set(), []
    ours = [s for s in sentences if s["owner"] == "ours" and s["words"] >= HARD_MIN_WORDS]
    for sentence in sorted(ours, key=lambda s: (s["ease"], -s["words"])):
        key = re.sub(r"\d[\d,.%]*", "N", sentence["text"])
        if key in seen:
            continue
        seen.add(key)
        chosen.append(sentence)
        if len(chosen) == top:
            break
    return chosen


def _sources(code: Path) -> dict[str, str]:
    """Each template and Python file of the app and library, as one line of text: Python's
    implicit string joins and line breaks closed up, tags and Jinja expressions kept."""
    found = {}
    for path in [
        *code.glob("templates/**/*.html"),
        *code.glob("consult/**/*.py"),
        *code.glob("analysis/**/*.py"),
    ]:
        text = path.read_text(encoding="utf-8")
        if path.suffix == ".py":
            text = re.sub(r"(?:\\n)?[\"']\s*\n\s*(?:#[^\n]*\n\s*)*[rfb]*[\"']", "", text)
        found[str(path.relative_to(code))] = re.sub(r"\s+", " ", text)
    return found


def _where_in_python(path: Path, text: str, needle: str) -> str:
    offset = re.sub(r"\s+", " ", text).find(needle)
    # map the offset in the squeezed text back to a line: count words before it
    before = len(re.sub(r"\s+", " ", text)[:offset].split())
    original = path.read_text(encoding="utf-8")
    line = original.count("\n", 0, _nth_word_offset(original, before)) + 1
    best = ""
    for node in ast.walk(ast.parse(original)):
        if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)) and (
            node.lineno <= line <= (node.end_lineno or node.lineno)
        ):
            best = node.name
    return best or "module"


def _nth_word_offset(text: str, n: int) -> int:
    for i, match in enumerate(re.finditer(r"\S+", text)):
        if i == n:
            return match.start()
    return len(text)


# Where each surface's words are written first: the partner and staff pages' in templates,
# the Word reports' in consult/, the command line's in analysis/.
_SEARCH_FIRST = {
    "partner": "templates/",
    "staff": "templates/",
    "word": "consult/",
    "cli": "analysis/",
}


def source_of(sentence: str, surface: str, sources: dict[str, str], code: Path) -> str:
    """Where a sentence's longest run of literal words (3 or more) is written, looking first
    in the surface's own files."""
    first = _SEARCH_FIRST.get(surface, "")
    ordered = sorted(sources, key=lambda name: not name.startswith(first))
    found = re.findall(r"[A-Za-z][A-Za-z'’,;:-]*", sentence)
    for size in range(len(found), 2, -1):
        for start in range(0, len(found) - size + 1):
            needle = " ".join(found[start : start + size])
            for name in ordered:
                if needle in sources[name]:
                    if name.endswith(".py"):
                        return f"{name}:{_where_in_python(code / name, sources[name], needle)}"
                    return name
    return "?"


def collected_in(code: Path, engines: list[str]) -> dict[str, Any]:
    from bench.common import run_with_json

    return run_with_json(
        code, str(ROOT / "bench" / "readability.py"), ["--engines", ",".join(engines)]
    )


def table(before: dict | None, after: dict) -> list[str]:
    lines = [
        "| Surface | Sentences | Median words | Median reading ease | Hardest tenth's ease | "
        "Median grade | Over 25 words |",
        "|---|---|---|---|---|---|---|",
    ]
    for surface, row in after.items():
        old = (before or {}).get(surface)

        def cell(key: str, fmt: str, old=old, row=row) -> str:
            now = format(row[key], fmt)
            return f"{format(old[key], fmt)} → {now}" if old else now

        lines.append(
            f"| {surface} | {cell('sentences', '.0f')} | {cell('words', '.0f')} | "
            f"{cell('ease', '.0f')} | {cell('hard', '.0f')} | {cell('grade', '.1f')} | "
            f"{cell('long', '.1%')} |"
        )
    return lines


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--json", default="")
    parser.add_argument("--engines", default="fast,semantic")
    parser.add_argument("--before", default="")
    parser.add_argument("--top", type=int, default=20)
    parser.add_argument("--dump", default="", help="write every scored sentence (JSON) here")
    parser.add_argument("--write", action="store_true")
    parser.add_argument(
        "--section",
        default="readab-readability",
        help="BENCHMARKS.md section (markers) that --write replaces or appends",
    )
    parser.add_argument("--heading", default=HEADING, help="the section's ## heading")
    args = parser.parse_args(argv)
    engines = [e for e in args.engines.split(",") if e]
    if args.json:
        Path(args.json).write_text(json.dumps(collect(engines)), encoding="utf-8")
        return 0
    load_before = os.getloadavg()[0]
    before = None
    if args.before:
        before_sentences = classify(collected_in(Path(args.before), engines))
        before = summary(before_sentences)
    sentences = classify(collected_in(ROOT, engines))
    after = summary(sentences)
    load = max(load_before, os.getloadavg()[0])
    owners = Counter(s["owner"] for s in sentences)
    sources = _sources(ROOT)
    worst = hardest(sentences, args.top)
    if args.dump:
        Path(args.dump).write_text(json.dumps(sentences, indent=1), encoding="utf-8")
    lines = [
        args.heading,
        "",
        f"Command: `.venv/bin/python -m bench.readability --engines {args.engines}"
        + (" --before DIR" if args.before else "")
        + (f" --section {args.section}" if args.section != "readab-readability" else "")
        + f" --write`. Machine: {machine_name()}; one-minute load average {load:.1f} "
        "(shared with other helpers). The demo (300 responses, seed 2026) read through "
        "Flask's test client (see the script's docstring for the pages), our sentences only: "
        f"{owners['ours']} ours, {owners['partner']} the partners' (left out), "
        f"{owners['consultation']} the consultation's own wording (left out)."
        + (
            " Before → after: the base commit's code (`git archive`, own process) and "
            "this branch, each on a fresh demo."
            if before
            else ""
        ),
        "",
        *table(before, after),
        "",
        f"The {len(worst)} hardest of our sentences now (lowest reading ease, 8 words or "
        "more, one per text):",
        "",
        "| Ease | Grade | Words | Surface, page | Source | Sentence |",
        "|---|---|---|---|---|---|",
    ]
    for s in worst:
        text = s["text"].replace("|", "\\|")
        lines.append(
            f"| {s['ease']:.0f} | {s['grade']:.1f} | {s['words']} | {s['surface']}, "
            f"{s['page']} | `{source_of(s['text'], s['surface'], sources, ROOT)}` | {text} |"
        )
    text = "\n".join(lines)
    print(text)
    if args.write:
        from bench.common import write_section

        write_section(args.section, text)
    return 0


def machine_name() -> str:
    from bench.common import machine

    return machine()


if __name__ == "__main__":
    sys.exit(main())
