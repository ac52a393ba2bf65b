"""Which text encoding a CSV file is in: UTF-8 with or without BOM, UTF-16, GB18030.

CRMs and spreadsheets save text in a handful of encodings. Excel's "CSV UTF-8" starts with
a byte-order mark (BOM); its "Unicode text" is UTF-16 with a BOM; Chinese exports from
Windows systems are in GB18030 (of which GBK and GB2312 are subsets). :func:`detect_encoding`
reads the first megabyte of a file and decides in this order:

1. a BOM names the encoding (UTF-8, UTF-16 little or big endian);
2. UTF-16 without a BOM shows as a zero byte beside most ASCII characters;
3. text that decodes as UTF-8 is UTF-8 (other encodings almost never do by chance);
4. text that decodes as GB18030 and whose characters are the common Chinese ones (those
   of GB2312, 6,763 hanzi) is GB18030, with a one-line note saying so;
5. anything else is refused, with the encodings that would decode the file, the likeliest
   first: GB18030, Big5, Shift-JIS, EUC-KR for East Asian text, cp1252 for Western
   European text (never latin-1 first: it decodes every byte, so it proves nothing).

Example:

>>> import tempfile, pathlib
>>> path = pathlib.Path(tempfile.mkdtemp()) / "orders.csv"
>>> _ = path.write_bytes("客户名称,下单日期,订单金额\\n张三,1997/1/12,¥539.00\\n".encode("gb18030"))
>>> found = detect_encoding(path)
>>> found.encoding
'gb18030'
>>> _ = path.write_bytes("customer_id,date\\nC1,2024-01-31\\n".encode("utf-16"))
>>> detect_encoding(path).encoding
'utf-16'
"""

from __future__ import annotations

import codecs
from dataclasses import dataclass
from pathlib import Path

from ..cli.errors import UsageError

__all__ = ["AUTO", "Detected", "decoding_hint", "detect_encoding"]

#: The ``--encoding`` value that asks for detection (the default).
AUTO = "auto"
#: How much of the file the detection reads.
SAMPLE_BYTES = 1 << 20

#: Encodings tried when a file is not UTF-8, with the words a message uses for each.
_CANDIDATES: tuple[tuple[str, str], ...] = (
    ("gb18030", "GB18030, Chinese (simplified)"),
    ("big5", "Big5, Chinese (traditional)"),
    ("shift_jis", "Shift-JIS, Japanese"),
    ("euc-kr", "EUC-KR, Korean"),
    ("cp1252", "cp1252, Western European (Windows)"),
)
#: East Asian text: ideographs, kana, hangul and full-width forms.
_EAST_ASIAN = ((0x3000, 0x30FF), (0x3400, 0x9FFF), (0xAC00, 0xD7AF), (0xFF00, 0xFFEF))


@dataclass(frozen=True)
class Detected:
    """The encoding to read a file with (a Python codec name) and the note to show, if any."""

    encoding: str
    note: str | None = None


def _decodes(raw: bytes, encoding: str, whole_file: bool) -> str | None:
    """``raw`` decoded strictly, or None. A sample cut mid-character still decodes."""
    decoder = codecs.getincrementaldecoder(encoding)(errors="strict")
    try:
        return decoder.decode(raw, final=whole_file)
    except UnicodeDecodeError:
        return None


def _east_asian(character: str) -> bool:
    code = ord(character)
    return any(low <= code <= high for low, high in _EAST_ASIAN)


def _plausibility(text: str, encoding: str) -> float:
    """How much ``text`` (decoded with ``encoding``) looks like real text, 0 to 1.

    East Asian encodings: the share of non-ASCII characters that are common East Asian
    ones (for GB18030: the hanzi and signs GB2312 has, or signs that are not East Asian,
    such as ¥). cp1252: the share of non-ASCII characters
    standing alone between ASCII ones, as accented letters do in European words (text in
    a two-byte encoding read as cp1252 comes out as runs of symbols).
    """
    foreign = [i for i, c in enumerate(text) if ord(c) > 127]
    if not foreign:
        return 1.0
    if encoding == "cp1252":
        alone = sum(
            1
            for i in foreign
            if text[i].isalpha()
            and (i == 0 or ord(text[i - 1]) < 128)
            and (i + 1 == len(text) or ord(text[i + 1]) < 128)
        )
        return alone / len(foreign)
    common = 0
    for i in foreign:
        character = text[i]
        if encoding == "gb18030":
            # Common hanzi are in GB2312; signs such as ¥ are not East Asian at all. Western
            # text read as GB18030 turns into rare hanzi outside GB2312.
            # (GB2312 also has kana, which text in another East Asian encoding read as
            # GB18030 turns into: they do not count.)
            if not _east_asian(character):
                common += 1
            elif not 0x3040 <= ord(character) <= 0x30FF:
                try:
                    character.encode("gb2312")
                    common += 1
                except UnicodeEncodeError:
                    pass
        elif _east_asian(character):
            common += 1
    return common / len(foreign)


def _ranked(raw: bytes, whole_file: bool) -> list[tuple[float, str, str]]:
    """The candidate encodings that decode ``raw``: (plausibility, codec, words), best first."""
    found = []
    for encoding, words in _CANDIDATES:
        text = _decodes(raw, encoding, whole_file)
        if text is not None:
            found.append((_plausibility(text, encoding), encoding, words))
    return sorted(found, key=lambda item: -item[0])


def _utf16_without_bom(raw: bytes) -> str | None:
    """``"utf-16-le"``/``"utf-16-be"`` when every other byte is zero (ASCII in UTF-16)."""
    sample = raw[:4096]
    if len(sample) < 4:
        return None
    even, odd = sample[0::2], sample[1::2]
    if odd.count(0) > 0.4 * len(odd) and even.count(0) < 0.05 * len(even):
        return "utf-16-le"
    if even.count(0) > 0.4 * len(even) and odd.count(0) < 0.05 * len(odd):
        return "utf-16-be"
    return None


def decoding_hint(raw: bytes, whole_file: bool = False) -> str:
    """The encodings that decode ``raw``, likeliest first, as the end of a message.

    Example: ``decoding_hint("价格".encode("gb18030"))`` is ``"it decodes as GB18030,
    Chinese (simplified); give --encoding gb18030"``.
    """
    ranked = _ranked(raw, whole_file)
    if not ranked:
        return "no common encoding decodes it (a binary file?); save it as UTF-8 text"
    likely = [item for item in ranked if item[0] >= 0.5] or ranked[:1]
    words = " or ".join(words for _, _, words in likely[:3])
    return f"it decodes as {words}; give --encoding {likely[0][1]}"


def detect_encoding(path: Path) -> Detected:
    """The encoding of the text file ``path`` (see the module's description for how).

    A file none of the rules recognise is a :class:`~addin.cli.errors.UsageError` naming
    the encodings that would decode it.
    """
    with path.open("rb") as stream:
        raw = stream.read(SAMPLE_BYTES + 1)
    whole_file = len(raw) <= SAMPLE_BYTES
    raw = raw[:SAMPLE_BYTES]
    if raw.startswith(codecs.BOM_UTF8):
        return Detected("utf-8-sig")
    if raw.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return Detected("utf-16", f"{path.name}: read as UTF-16 text (Excel's Unicode text)")
    utf16 = _utf16_without_bom(raw)
    if utf16 is not None and _decodes(raw, utf16, whole_file) is not None:
        return Detected(utf16, f"{path.name}: read as {utf16.upper()} text (no byte-order mark)")
    if _decodes(raw, "utf-8", whole_file) is not None:
        return Detected("utf-8")
    ranked = _ranked(raw, whole_file)
    if ranked and ranked[0][1] == "gb18030" and ranked[0][0] >= 0.9:
        return Detected(
            "gb18030",
            f"{path.name}: read as GB18030 (Chinese) text, as it is not UTF-8; give "
            "--encoding to choose another",
        )
    bad = _first_bad_byte(raw)
    raise UsageError(
        f"{path.name}: is not UTF-8 text (byte {bad}); {decoding_hint(raw, whole_file)}"
    )


def _first_bad_byte(raw: bytes) -> int:
    """The offset of the first byte that is not valid UTF-8."""
    try:
        raw.decode("utf-8")
    except UnicodeDecodeError as error:
        return error.start
    return len(raw)
