"""Decode a text file's bytes without guessing in a way that garbles it.

Read in this order: a byte-order mark (UTF-8, UTF-16 or UTF-32) wins; then UTF-16 without a
mark when its zero bytes show it; then strict UTF-8; then Windows-1252, but only when the
result reads like Western European text. Text in a multi-byte encoding (Shift-JIS, GBK, Big5,
EUC-KR...) often decodes as Windows-1252 without an error yet comes out as nonsense such as
``‚±‚ñ‚É‚¿‚Í``; such a file is refused with :class:`EncodingError`, so the caller can ask
for the encoding by name (``consult-analyse --encoding shift_jis``) instead of analysing
garbage.
"""

from __future__ import annotations

import codecs

from .errors import InputError

BOMS = (
    (codecs.BOM_UTF32_LE, "utf-32"),
    (codecs.BOM_UTF32_BE, "utf-32"),
    (codecs.BOM_UTF8, "utf-8-sig"),
    (codecs.BOM_UTF16_LE, "utf-16"),
    (codecs.BOM_UTF16_BE, "utf-16"),
)
# Characters Windows-1252 text in English and other Western European languages is made of,
# beyond ASCII: accented letters, typographic punctuation, currency and a few symbols.
WESTERN = set(
    "ÀÁÂÃÄÅÆÇÈÉÊËÌÍÎÏÐÑÒÓÔÕÖØÙÚÛÜÝÞßàáâãäåæçèéêëìíîïðñòóôõöøùúûüýþÿ"
    "ŒœŠšŽžŸ‘’“”–—…€£¥¢§°·«»©®™•\u00a0½¼¾±×²³µ¶¹º¿¡"
)
# Below this share of Western characters among non-ASCII ones, or above this share of
# non-ASCII characters that follow another one, 1252 text is taken to be something else.
MIN_WESTERN_SHARE = 0.8
MAX_RUN_SHARE = 0.5
MIN_EVIDENCE = 6  # non-ASCII characters needed before judging


class EncodingError(InputError):
    """The file's text encoding cannot be told safely; name it to read the file."""


def _utf16_without_bom(data: bytes) -> str | None:
    """'utf-16-le' or 'utf-16-be' when zero bytes sit in every other position, as they do in
    UTF-16 text that is mostly ASCII; otherwise None."""
    sample = data[:4096]
    if len(sample) < 4 or len(data) % 2:
        return None
    even = sample[0::2].count(0) / len(sample[0::2])
    odd = sample[1::2].count(0) / len(sample[1::2])
    if odd > 0.3 and even < 0.02:
        return "utf-16-le"
    if even > 0.3 and odd < 0.02:
        return "utf-16-be"
    return None


def looks_western(text: str) -> bool:
    """True when text decoded as Windows-1252 reads like Western European text: its
    non-ASCII characters are mostly letters and punctuation of those languages and mostly
    stand alone between ASCII ones (multi-byte encodings give runs of symbols)."""
    non_ascii = 0
    western = 0
    runs = 0
    previous = False
    for char in text:
        if char < "\x80":
            previous = False
            continue
        non_ascii += 1
        western += char in WESTERN
        runs += previous
        previous = True
    if non_ascii < MIN_EVIDENCE:
        return western == non_ascii or non_ascii <= 2
    return western / non_ascii >= MIN_WESTERN_SHARE and runs / non_ascii <= MAX_RUN_SHARE


def decode(data: bytes, encoding: str | None = None) -> tuple[str, str]:
    """The text and the name of the encoding it was read with. ``encoding`` forces one
    (any name Python knows, e.g. ``shift_jis``); otherwise see the module's docstring.
    Raises :class:`EncodingError` (an InputError) when the text cannot be read safely."""
    if encoding:
        try:
            codecs.lookup(encoding)
        except LookupError:
            raise InputError(f"unknown text encoding '{encoding}'") from None
        try:
            return data.decode(encoding), encoding
        except LookupError:  # a bytes-to-bytes codec such as rot13 or base64
            raise InputError(f"'{encoding}' is not a text encoding") from None
        except UnicodeDecodeError as error:
            raise InputError(
                f"the file is not valid {encoding} text (byte {error.start + 1:,})"
            ) from None
        except UnicodeError:  # a codec that fails without a position ('undefined')
            raise InputError(f"the file is not valid {encoding} text") from None
    for mark, name in BOMS:
        if data.startswith(mark):
            try:
                return data.decode(name), name.replace("-sig", "")
            except UnicodeDecodeError as error:
                raise InputError(
                    f"the file starts like {name.replace('-sig', '').upper()} but is not valid "
                    f"{name.replace('-sig', '').upper()} text (byte {error.start + 1:,})"
                ) from None
    utf16 = _utf16_without_bom(data)
    if utf16:
        try:
            return data.decode(utf16), utf16
        except UnicodeDecodeError:
            pass
    try:
        return data.decode("utf-8"), "utf-8"
    except UnicodeDecodeError:
        pass
    try:
        text = data.decode("cp1252")
    except UnicodeDecodeError:
        text = None
    if text is not None and looks_western(text):
        return text, "cp1252"
    raise EncodingError(
        "cannot tell the file's text encoding: it is not UTF-8 and does not read as "
        "Windows-1252 (it may be Shift-JIS, GBK or another encoding); save it as UTF-8"
    )
