"""A codebook: the agreed themes that every response is coded against.

Each code has an id, a name, and optionally a description, keywords and example responses.
A codebook comes from a theme run (``themes.json`` written by ``consult-analyse themes``),
from a CSV or JSON file, or from a list typed by hand.

CSV columns: ``id`` (required), ``name`` (required), ``description``, ``keywords`` and
``examples`` (each ``;``-separated). JSON: a list of objects with the same keys, or an object
with a ``themes`` list (``themes.json`` is read this way: ``label`` stands for ``name`` and
``quotes`` for ``examples``).
"""

from __future__ import annotations

import csv
import io
import json
import re
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

from .cells import storable_text
from .errors import InputError

MAX_CODES = 500
MAX_CODEBOOK_BYTES = 20 * 1024 * 1024
# A theme id starts with a letter or digit (so no spreadsheet reads it as a formula) and
# holds no ';' or ',' (the separators of a LABELS cell and a CSV) and no control character;
# spaces and capitals are allowed ("Staff Attitude"), at most 64 characters.
_ID = re.compile(r"^[^\W_][^;,\x00-\x1f\x7f]{0,63}\Z")


_SENTENCE_END = re.compile(r"(?<=[.!?])\s+(?=[A-Z0-9'\"‘(])|\n+|\s+-\s+")


def description_sentences(description: str) -> list[str]:
    """A description's sentences (a stop before a capital; also its lines and its " - " list
    items, so "e.g. fans" stays whole), each stripped; fragments under three characters are
    left out."""
    parts = (part.strip(" -") for part in _SENTENCE_END.split(description))
    return [part for part in parts if len(part) >= 3]


@dataclass(frozen=True)
class Code:
    """One theme of a codebook."""

    id: str
    name: str
    description: str = ""
    keywords: tuple[str, ...] = ()
    examples: tuple[str, ...] = ()

    def text(self) -> str:
        """What the codebook says about this theme, as one text (for cold-start similarity)."""
        parts = [self.name, self.description, ", ".join(self.keywords)]
        return ". ".join(p for p in parts if p)

    def rows(self, describe: str = "whole") -> tuple[str, ...]:
        """The texts a coding model learns this theme from: with ``describe="whole"`` its
        :meth:`text` and each example; with ``"sentences"`` its name with its keywords, each
        sentence of its description on its own, then each example (a long definition that
        lists several aspects, "noise, temperature, lighting and smell", gives one row per
        aspect rather than one text cut at the encoder's length). Without a description both
        give the same rows."""
        if describe != "sentences" or not self.description:
            return (self.text(), *self.examples)
        head = ". ".join(p for p in (self.name, ", ".join(self.keywords)) if p)
        return (head, *description_sentences(self.description), *self.examples)


@dataclass(frozen=True)
class Codebook:
    """An ordered set of codes with unique ids."""

    codes: tuple[Code, ...] = field(default_factory=tuple)

    def __post_init__(self) -> None:
        seen: set[str] = set()
        for code in self.codes:
            if not _ID.match(code.id):
                raise InputError(
                    f"theme id '{code.id[:40]}' is not allowed: "
                    + (
                        "separate theme ids with ';'"
                        if "," in code.id
                        else "start with a letter or digit; no ';' or control characters; "
                        "at most 64 characters"
                    )
                )
            if code.id in seen:
                raise InputError(f"theme id '{code.id}' appears twice in the codebook")
            if not code.name.strip():
                raise InputError(f"theme '{code.id}' has no name")
            seen.add(code.id)
        if len(self.codes) > MAX_CODES:
            raise InputError(f"the codebook has {len(self.codes)} themes; at most {MAX_CODES}")

    @property
    def ids(self) -> list[str]:
        """Theme ids in codebook order."""
        return [code.id for code in self.codes]

    def __len__(self) -> int:
        return len(self.codes)

    def get(self, code_id: str) -> Code | None:
        """The code with this id, or None."""
        return next((c for c in self.codes if c.id == code_id), None)

    def named(self, code_id: str) -> str:
        """A theme as a person reads it: its id with its name, "xl (Leave (under MHA))"; the
        id alone when the name is the id (a codebook made from coded rows' ids) or unknown."""
        code = self.get(code_id)
        if code is None or code.name.strip() == code_id:
            return code_id
        return f"{code_id} ({code.name.strip()})"

    @classmethod
    def from_ids(cls, ids: list[str]) -> Codebook:
        """A bare codebook whose names are the ids (when only coded rows are given)."""
        return cls(tuple(Code(id=i, name=i) for i in ids))

    def to_records(self) -> list[dict[str, Any]]:
        """Plain dictionaries, for JSON."""
        return [
            {**asdict(c), "keywords": list(c.keywords), "examples": list(c.examples)}
            for c in self.codes
        ]

    def to_json(self) -> str:
        """The codebook as a JSON document readable by :func:`parse_codebook`."""
        return json.dumps({"themes": self.to_records()}, indent=2, ensure_ascii=False)


def _text(value: Any, field: str, where: str) -> str:
    """A JSON value as text: a string or number (None is empty); a list, object or true/false
    is refused rather than spelt as Python would ("None", "{'en': 'Buses'}")."""
    if value is None:
        return ""
    if isinstance(value, bool) or not isinstance(value, str | int | float):
        kind = "true or false" if isinstance(value, bool) else "a list or object"
        raise InputError(f"{where}: the theme's {field} must be text, not {kind}")
    return storable_text(str(value)).strip()


def _split(value: Any, field: str, where: str) -> tuple[str, ...]:
    if isinstance(value, dict) or (
        isinstance(value, list | tuple) and any(isinstance(v, list | dict | bool) for v in value)
    ):
        raise InputError(f"{where}: the theme's {field} must be text or a list of text")
    if isinstance(value, list | tuple):
        items = [_text(v, field, where) for v in value]
    else:
        items = [part.strip() for part in _text(value, field, where).split(";")]
    return tuple(item for item in items if item)


def _code(record: Any, where: str) -> Code:
    if not isinstance(record, dict):
        raise InputError(f"{where}: each theme must be an object with an id and a name")
    code_id = _text(record.get("id"), "id", where)
    name = _text(record.get("name") or record.get("label"), "name", where)
    if not code_id:
        raise InputError(f"{where}: a theme has no id")
    examples = record.get("examples")
    if examples is None and isinstance(record.get("quotes"), list):
        examples = [q.get("text", "") if isinstance(q, dict) else q for q in record["quotes"]]
    return Code(
        id=code_id,
        name=name or code_id,
        description=_text(record.get("description") or record.get("summary"), "description", where),
        keywords=_split(record.get("keywords"), "keywords", where),
        examples=_split(examples, "examples", where),
    )


def parse_codebook(data: bytes, name: str = "codebook") -> Codebook:
    """Read a codebook from CSV or JSON bytes (the format is told by content, then name)."""
    if data.startswith(b"PK\x03\x04"):
        raise InputError(
            f"{name}: a codebook is read from a CSV or JSON file, not a workbook: save its "
            "sheet as CSV"
        )
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise InputError(f"{name}: the codebook is not UTF-8 text") from None
    stripped = text.lstrip()
    if not stripped:
        raise InputError(f"{name}: the file is empty")  # as `themes` says of an empty input
    if stripped.startswith(("{", "[")) or name.lower().endswith(".json"):
        try:
            document = json.loads(text)
        except RecursionError:
            raise InputError(f"{name}: the JSON nests lists or objects too deeply") from None
        except json.JSONDecodeError as error:
            raise InputError(f"{name}: not valid JSON ({str(error)[:80]})") from None
        except ValueError:  # a number of thousands of digits
            raise InputError(f"{name}: not valid JSON (a number is too long)") from None
        records = document.get("themes") if isinstance(document, dict) else document
        if not isinstance(records, list):
            raise InputError(f"{name}: expected a list of themes, or an object with 'themes'")
        codes = [_code(r, f"{name}: theme {n}") for n, r in enumerate(records, start=1)]
        places = [f"theme {n}" for n in range(1, len(codes) + 1)]
        # themes.json lists its "no substantive answer" group; it is not a theme to code.
        kept = [i for i, c in enumerate(codes) if not c.id.startswith("non-substantive")]
        codes, places = [codes[i] for i in kept], [places[i] for i in kept]
    else:
        reader = csv.DictReader(io.StringIO(text, newline=""))
        try:
            fields = [f.strip().lower() for f in (reader.fieldnames or [])]
            if "id" not in fields or "name" not in fields:
                raise InputError(f"{name}: a codebook CSV needs 'id' and 'name' columns")
            reader.fieldnames = fields
            codes, places = [], []
            # Rows as a spreadsheet numbers them: the header is row 1, a cell on several
            # lines is still one row.
            for number, row in enumerate(reader, start=2):
                places.append(f"row {number}")
                codes.append(_code(row, f"{name}: {places[-1]}"))
        except csv.Error as error:
            reason = str(error)
            if "field larger than field limit" in reason:
                reason = f"a cell is longer than {csv.field_size_limit():,} characters"
            raise InputError(f"{name}: the CSV cannot be read: {reason}") from None
    if not codes:
        raise InputError(f"{name}: the codebook has no themes")
    _check_each(codes, places, name)
    return Codebook(tuple(codes))


def _check_each(codes: list[Code], places: list[str], name: str) -> None:
    """The codebook's own checks, theme by theme, so that a problem names the row (CSV) or
    theme (JSON) it is in: "codebook.csv: row 7: theme id 'T3' appears twice (first in row
    4)"."""
    first: dict[str, str] = {}
    for code, place in zip(codes, places, strict=True):
        try:
            Codebook((code,))
        except InputError as error:
            raise InputError(f"{name}: {place}: {error}") from None
        if code.id in first:
            raise InputError(
                f"{name}: {place}: theme id '{code.id}' appears twice in the codebook "
                f"(first in {first[code.id]})"
            )
        first[code.id] = place


def read_codebook(path: str | Path) -> Codebook:
    """Read a codebook file, with a clear error when it cannot be read."""
    path = Path(path)
    try:
        with open(path, "rb") as handle:  # bounded: /dev/zero or a pipe may never end
            data = handle.read(MAX_CODEBOOK_BYTES + 1)
    except OSError as error:
        raise InputError(f"cannot read the codebook {path}: {error.strerror}") from None
    if len(data) > MAX_CODEBOOK_BYTES:
        raise InputError(
            f"the codebook {path} is larger than {MAX_CODEBOOK_BYTES // (1024 * 1024)} MB"
        )
    return parse_codebook(data, path.name)
