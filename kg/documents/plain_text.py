"""Readers for plain text (.txt) and Markdown (.md, .markdown): decoded text, kept exactly."""

from __future__ import annotations

import re
from pathlib import Path

from kg.documents.charset import decode_bytes
from kg.documents.content import ParsedFile


def read_text(path: Path, raw: bytes, max_bytes: int) -> ParsedFile:
    """A .txt file: the decoded text as it is."""
    decoded = decode_bytes(path, raw)
    return ParsedFile(decoded.text, decoded=decoded)


def read_markdown(path: Path, raw: bytes, max_bytes: int) -> ParsedFile:
    """A Markdown file: the decoded text as it is (markup kept), the first ``#`` heading as its title."""
    decoded = decode_bytes(path, raw)
    parsed = ParsedFile(decoded.text, decoded=decoded)
    if heading := re.search(r"^ {0,3}#[ \t]+(.+?)[ \t#]*\r?$", decoded.text, re.MULTILINE):
        parsed.metadata["title"] = heading.group(1)
    return parsed
