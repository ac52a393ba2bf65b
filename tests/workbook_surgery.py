"""Helpers that damage a workbook on purpose, for the bad-file tests: change one zip member's
XML, rewrite one cell's XML, or build an OLE compound file (an .xls or encrypted workbook)."""

from __future__ import annotations

import re
import struct
import zipfile
from collections.abc import Callable
from pathlib import Path


def patched(source: Path, target: Path, member: str, change: Callable[[str], str]) -> Path:
    """``source`` with one zip member's XML changed, written to ``target``."""
    with zipfile.ZipFile(source) as old, zipfile.ZipFile(target, "w", zipfile.ZIP_DEFLATED) as new:
        for info in old.infolist():
            data = old.read(info.filename)
            if info.filename == member:
                data = change(data.decode()).encode()
            new.writestr(info, data)
    return target


def set_cell_xml(xml: str, coordinate: str, inner: str, cell_type: str = "n") -> str:
    """Replace the XML of one cell of a sheet."""
    pattern = rf'<c r="{coordinate}"([^>]*?)(?:/>|>.*?</c>)'
    match = re.search(pattern, xml)
    assert match, coordinate
    style = re.search(r's="\d+"', match.group(1))
    attributes = f" {style.group(0)}" if style else ""
    return (
        xml[: match.start()]
        + f'<c r="{coordinate}"{attributes} t="{cell_type}">{inner}</c>'
        + xml[match.end() :]
    )


def cfb(streams: dict[str, bytes]) -> bytes:
    """A minimal valid OLE compound file (version 3) holding ``streams`` (each >= 4096 bytes).

    Enough to be an .xls workbook (a "Workbook" stream) or an encrypted Office file
    ("EncryptionInfo" and "EncryptedPackage" streams), as Excel writes them: a header, one
    FAT sector (sector 0), one directory sector (sector 1), then the streams.
    """
    sector, end, free, fat_mark = 512, 0xFFFFFFFE, 0xFFFFFFFF, 0xFFFFFFFD
    names = list(streams)
    chains, next_sector = [], 2
    for name in names:
        count = -(-len(streams[name]) // sector)
        chains.append(list(range(next_sector, next_sector + count)))
        next_sector += count
    fat = [fat_mark, end]
    for chain in chains:
        fat += [*chain[1:], end]
    fat += [free] * (128 - len(fat))
    header = (
        b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
        + b"\0" * 16
        + struct.pack("<HHHHH", 0x3E, 3, 0xFFFE, 9, 6)
        + b"\0" * 6
        + struct.pack("<9I", 0, 1, 1, 0, 4096, end, 0, end, 0)
        + struct.pack("<109I", 0, *([free] * 108))
    )
    assert len(header) == sector

    def entry(name: str, kind: int, child: int, right: int, start: int, size: int) -> bytes:
        encoded = (name + "\0").encode("utf-16-le")
        return (
            encoded.ljust(64, b"\0")
            + struct.pack("<HBB", len(encoded), kind, 1)  # length, type, colour black
            + struct.pack("<III", free, right, child)  # left, right sibling, child
            + b"\0" * 36  # CLSID, state bits, creation and modification times
            + struct.pack("<IQ", start, size)
        )

    directory = entry("Root Entry", 5, 1, free, end, 0)
    for index, name in enumerate(names):
        right = index + 2 if index + 1 < len(names) else free
        directory += entry(name, 2, free, right, chains[index][0], len(streams[name]))
    body = struct.pack("<128I", *fat) + directory.ljust(sector, b"\0")
    for name, chain in zip(names, chains, strict=True):
        body += streams[name].ljust(len(chain) * sector, b"\0")
    return header + body
