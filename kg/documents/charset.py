"""Decode a byte-format document (.txt .md .html .csv .json) into text, deciding its encoding.

:func:`decode_bytes` tries, in order: a BOM, strict UTF-8 (or UTF-8 with a few broken sequences), UTF-16
without a BOM, an HTML ``<meta charset>``, then charset-normalizer on a bounded sample. Decoded text is kept
exactly (newlines are not normalised) so offsets map back to the file's characters. Bytes no text encoding
fits raise :class:`kg.core.errors.DocumentError`.
"""

from __future__ import annotations

import codecs
import contextlib
import re
from dataclasses import dataclass
from pathlib import Path

from kg.core.errors import DocumentError

SAMPLE = 64 * 1024  # bytes looked at for binary content and charset detection
_MAX_CONTROL = 0.10  # share of control bytes above which a file is binary, not text
_CONTROL_BYTES = bytes([*range(0x00, 0x09), 0x0B, *range(0x0E, 0x20), 0x7F])  # not \t \n \f \r
_CONTROL_CHARS = re.compile("[\x00-\x08\x0b\x0e-\x1f\x7f]")
_BOMS = (  # UTF-32 first: its LE BOM starts with the UTF-16 LE one
    (codecs.BOM_UTF32_LE, "utf-32-le"),
    (codecs.BOM_UTF32_BE, "utf-32-be"),
    (codecs.BOM_UTF8, "utf-8"),
    (codecs.BOM_UTF16_LE, "utf-16-le"),
    (codecs.BOM_UTF16_BE, "utf-16-be"),
)
#: Legacy encodings charset-normalizer may choose among (others mostly produce confident mojibake).
_CANDIDATES = ["cp1252", "latin_1", "gb18030", "shift_jis", "utf_16"]
_META_CHARSET = re.compile(rb"""<meta[^>]{0,200}?charset\s*=\s*["']?\s*([A-Za-z0-9_.:-]+)""", re.IGNORECASE)


@dataclass(frozen=True)
class Decoded:
    """Text decoded from bytes, with how its encoding was decided (see :func:`decode_bytes`).

    Example:
        >>> Decoded("Société", "cp1252", "charset-normalizer (1.00)").encoding
        'cp1252'
    """

    text: str
    encoding: str
    note: str
    warnings: tuple[str, ...] = ()


def decode_bytes(path: Path, raw: bytes, *, html: bool = False) -> Decoded:
    """Decode a byte-format document, deciding the encoding as described in the module docstring.

    Raises:
        DocumentError: the bytes are binary (too many control bytes, or no candidate encoding fits).

    Example:
        >>> d = decode_bytes(Path("a.txt"), "Société".encode("utf-16"))
        >>> d.text, d.encoding, d.note
        ('Société', 'utf-16-le', 'BOM')
    """
    for bom, encoding in _BOMS:
        if raw.startswith(bom):
            return _check_text(path, _decode_whole(raw[len(bom) :], encoding, "BOM"))
    head = raw[:SAMPLE]
    control = (len(head) - len(head.translate(None, _CONTROL_BYTES))) / len(head) if head else 0.0
    first_bad = 0
    if control <= _MAX_CONTROL:
        utf8 = _utf8(raw)
        if isinstance(utf8, Decoded):
            return utf8
        first_bad = utf8
    utf16 = _utf16_without_bom(head)
    if utf16 is not None:
        with contextlib.suppress(UnicodeDecodeError):
            return _check_text(
                path, Decoded(raw.decode(utf16), utf16, "UTF-16 without BOM (alternate NUL bytes)")
            )
    if control > _MAX_CONTROL:
        raise _binary(path, f"{control:.0%} control bytes")
    if html and (declared := _declared_charset(raw)) is not None:
        return declared
    return _check_text(path, _detect_legacy(path, raw, first_bad))


def _utf8(raw: bytes) -> Decoded | int:
    """UTF-8 if the bytes are (almost all) valid UTF-8, else the offset of the first invalid byte."""
    try:
        return Decoded(raw.decode("utf-8"), "utf-8", "valid UTF-8")
    except UnicodeDecodeError as e:
        first_bad = e.start
    text = raw.decode("utf-8", "replace")
    bad = text.count("\ufffd")
    valid_non_ascii = len(text) - len(text.encode("ascii", "ignore")) - bad
    # A few broken sequences among many valid multi-byte ones: a damaged UTF-8 file, not a legacy encoding
    # (cp1252 or GBK text rarely forms valid UTF-8 sequences by chance).
    if valid_non_ascii >= 20 * bad:
        return Decoded(
            text,
            "utf-8",
            "mostly valid UTF-8",
            (f"{bad} invalid UTF-8 sequence(s) (first at byte {first_bad}) replaced with U+FFFD",),
        )
    return first_bad


def _utf16_without_bom(head: bytes) -> str | None:
    pairs = len(head) // 2
    if pairs < 2:
        return None
    even_nuls = head[0 : pairs * 2 : 2].count(0)
    odd_nuls = head[1 : pairs * 2 : 2].count(0)
    if odd_nuls >= 0.25 * pairs and even_nuls * 4 < odd_nuls:
        return "utf-16-le"  # ASCII 'A' is 41 00 in little-endian
    if even_nuls >= 0.25 * pairs and odd_nuls * 4 < even_nuls:
        return "utf-16-be"
    return None


def _declared_charset(raw: bytes) -> Decoded | None:
    match = _META_CHARSET.search(raw[:4096])
    if match is None:
        return None
    try:
        encoding = codecs.lookup(match.group(1).decode("ascii")).name
    except LookupError:
        return None
    if encoding in ("latin-1", "iso8859-1", "ascii"):
        encoding = "cp1252"  # what browsers do (WHATWG encoding standard)
    try:
        return Decoded(raw.decode(encoding), encoding, "HTML meta charset")
    except UnicodeDecodeError:
        return None


def _detect_legacy(path: Path, raw: bytes, first_bad: int) -> Decoded:
    """charset-normalizer on a bounded sample around the first non-UTF-8 byte, then a decode of the whole."""
    from charset_normalizer import from_bytes

    start = raw.rfind(b"\n", max(0, first_bad - 4096), first_bad) + 1 or first_bad
    sample = raw[start : start + SAMPLE]
    if start + SAMPLE < len(raw) and (cut := sample.rfind(b"\n")) > SAMPLE // 2:
        sample = sample[: cut + 1 + (sample[cut + 1 : cut + 2] == b"\x00")]  # keep a UTF-16 LE newline whole
    best = from_bytes(sample, cp_isolation=_CANDIDATES, enable_fallback=False).best()
    if best is None:
        raise _binary(path, "tried UTF-8, UTF-16, cp1252, GB18030 and Shift-JIS")
    encoding = codecs.lookup(best.encoding).name
    note = f"charset-normalizer ({1 - best.chaos:.2f})"
    if encoding == "cp1252":
        try:
            return Decoded(raw.decode("cp1252"), "cp1252", note)
        except UnicodeDecodeError:  # one of the 5 bytes cp1252 leaves undefined: latin-1 decodes them all
            return Decoded(raw.decode("latin-1"), "latin-1", note + ", latin-1 for bytes cp1252 lacks")
    return _decode_whole(raw, encoding, note)


def _decode_whole(raw: bytes, encoding: str, note: str) -> Decoded:
    try:
        return Decoded(raw.decode(encoding), encoding, note)
    except UnicodeDecodeError as e:
        text = raw.decode(encoding, "replace")
        bad = text.count("\ufffd")
        return Decoded(
            text,
            encoding,
            note,
            (f"{bad} byte sequence(s) invalid in {encoding} (first at byte {e.start}) replaced with U+FFFD",),
        )


def _check_text(path: Path, decoded: Decoded) -> Decoded:
    head = decoded.text[:SAMPLE]
    share = len(_CONTROL_CHARS.findall(head)) / len(head) if head else 0.0
    if share > _MAX_CONTROL:
        raise _binary(path, f"{share:.0%} control characters as {decoded.encoding}")
    return decoded


def _binary(path: Path, why: str) -> DocumentError:
    return DocumentError(
        f"{path}: binary content (no text encoding fits: {why}) — not a text document. Check that it is the "
        "file you meant; if it is text, re-save it as UTF-8."
    )
