"""Hostile input files, made on the fly (small in bytes, however much they claim or unpack
to), for the reader tests and bench/fuzz_files.py. Nothing here is committed as a file.

An XLSX is a zip of XML parts. :func:`xlsx_with` starts from a real one-sheet workbook made
by openpyxl and swaps parts for hostile ones. Huge parts are built without ever holding them:
deflate output for a chunk after a full flush is the same every time, so one compressed chunk
repeated N times unpacks to the chunk N times (a zip bomb, as an attacker would make it).
"""

from __future__ import annotations

import io
import struct
import zipfile
import zlib
from dataclasses import dataclass

from openpyxl import Workbook

SHEET = "xl/worksheets/sheet1.xml"
MAIN = 'xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"'


@dataclass
class Part:
    """One zip member as stored: deflated bytes, CRC-32 and size of what they unpack to."""

    name: str
    deflated: bytes
    crc: int
    size: int


def part(name: str, content: bytes) -> Part:
    """A member holding ``content``."""
    return repeated(name, content, b"", 0, b"")


def repeated(name: str, head: bytes, chunk: bytes, times: int, tail: bytes) -> Part:
    """A member unpacking to head + chunk * times + tail, built in about len(chunk) work."""
    squeeze = zlib.compressobj(9, zlib.DEFLATED, -15)
    start = squeeze.compress(head) + squeeze.flush(zlib.Z_FULL_FLUSH)
    block = squeeze.compress(chunk) + squeeze.flush(zlib.Z_FULL_FLUSH) if times else b""
    end = squeeze.compress(tail) + squeeze.flush()
    crc = zlib.crc32(head)
    if times:
        # CRC of chunk * times, a megabyte at a time.
        per = max(1, (1 << 20) // max(1, len(chunk)))
        bulk = chunk * per
        whole, rest = divmod(times, per)
        for _ in range(whole):
            crc = zlib.crc32(bulk, crc)
        crc = zlib.crc32(chunk * rest, crc)
    crc = zlib.crc32(tail, crc)
    return Part(name, start + block * times + end, crc, len(head) + len(chunk) * times + len(tail))


def zip_bytes(parts: list[Part], lie_about_size: bool = False) -> bytes:
    """A zip archive of these parts, written by hand (deflated, no zip64: sizes < 4 GB).
    ``lie_about_size`` declares every part as 100 bytes unpacked."""
    out = io.BytesIO()
    central = []
    for item in parts:
        name = item.name.encode()
        size = 100 if lie_about_size else item.size
        offset = out.tell()
        fields = (20, 0, 8, 0, 0, item.crc, len(item.deflated), size, len(name), 0)
        out.write(struct.pack("<4s5H3L2H", b"PK\x03\x04", *fields) + name + item.deflated)
        central.append(
            struct.pack(
                "<4s6H3L5H2L",
                b"PK\x01\x02",
                20,
                *fields,
                0,
                0,
                0,
                0,
                offset,
            )
            + name
        )
    start = out.tell()
    directory = b"".join(central)
    out.write(directory)
    count = len(parts)
    out.write(struct.pack("<4s4H2LH", b"PK\x05\x06", 0, 0, count, count, len(directory), start, 0))
    return out.getvalue()


def xlsx_bytes(rows: list[list[object]]) -> bytes:
    """A plain workbook with these rows, as openpyxl writes it."""
    book = Workbook()
    sheet = book.active
    for row in rows:
        sheet.append(row)
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def xlsx_with(replace: list[Part], lie_about_size: bool = False) -> bytes:
    """A real workbook (with a shared strings part) whose named parts are swapped."""
    base = xlsx_bytes([["id", "answer"], [1, "Buses"]])
    swapped = {item.name: item for item in replace}
    parts = []
    with zipfile.ZipFile(io.BytesIO(base)) as archive:
        names = archive.namelist()
        for name in names:
            parts.append(swapped.pop(name, None) or part(name, archive.read(name)))
    parts.extend(swapped.values())
    return zip_bytes(parts, lie_about_size)


def sheet_xml(rows_xml: bytes, dimension: str = "A1:B2") -> tuple[bytes, bytes]:
    """The head and tail of a worksheet part around ``rows_xml``."""
    head = (
        f'<?xml version="1.0" encoding="UTF-8"?><worksheet {MAIN}>'
        f'<dimension ref="{dimension}"/><sheetData>'
    ).encode() + rows_xml
    return head, b"</sheetData></worksheet>"


def inline(text: str, ref: str = "") -> bytes:
    """One inline-string cell."""
    where = f' r="{ref}"' if ref else ""
    return f'<c{where} t="inlineStr"><is><t>{text}</t></is></c>'.encode()


HEADER_ROW = b'<row r="1">' + inline("id", "A1") + inline("answer", "B1") + b"</row>"


def declared_everything() -> bytes:
    """4.7 KB or so declaring A1:XFD1048576 (every cell of a sheet) but holding two rows."""
    rows = HEADER_ROW + b'<row r="2">' + inline("1", "A2") + inline("Buses", "B2") + b"</row>"
    head, tail = sheet_xml(rows, "A1:XFD1048576")
    return xlsx_with([part(SHEET, head + tail)])


def many_rows(count: int) -> bytes:
    """A header and ``count`` one-cell rows (rows without numbers), a few hundred KB."""
    head, tail = sheet_xml(HEADER_ROW)
    row = b"<row>" + inline("x") + b"</row>"
    group = 10_000 if count >= 10_000 else 1
    whole, rest = divmod(count, group)
    return xlsx_with([repeated(SHEET, head, row * group, whole, row * rest + tail)])


def huge_cell(chars: int, chunk: int = 4096) -> bytes:
    """One answer of ``chars`` characters (rounded down to a multiple of ``chunk``) in the
    second row. With ``chunk`` of a megabyte, a gigabyte cell takes under a megabyte."""
    rows = HEADER_ROW + b'<row r="2">' + inline("1", "A2") + b'<c r="B2" t="inlineStr"><is><t>'
    head, tail = sheet_xml(rows)
    tail = b"</t></is></c></row>" + tail
    return xlsx_with([repeated(SHEET, head, b"a" * chunk, chars // chunk, tail)])


def far_cell(ref: str = "XFD2") -> bytes:
    """A header and a value far to the right (or down) at ``ref``."""
    rows = HEADER_ROW + f'<row r="{ref.lstrip("ABCDEFGHIJKLMNOPQRSTUVWXYZ")}">'.encode()
    rows += inline("far", ref) + b"</row>"
    head, tail = sheet_xml(rows, f"A1:{ref}")
    return xlsx_with([part(SHEET, head + tail)])


def lying_bomb(chars: int = 50_000_000) -> bytes:
    """A sheet that unpacks to ``chars`` bytes while its zip entry says 100."""
    head, tail = sheet_xml(HEADER_ROW)
    rows = (b"<row>" + inline("x" * 100) + b"</row>") * 1000
    return xlsx_with([repeated(SHEET, head, rows, chars // len(rows), tail)], lie_about_size=True)
