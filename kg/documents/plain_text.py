"""Readers for plain text (.txt) and Markdown (.md, .markdown): decoded text, kept exactly."""

from __future__ import annotations

import re
from pathlib import Path

from kg.documents.charset import decode_bytes
from kg.documents.content import ParsedFile
from kg.documents.pipe_tables import pipe_tables


def read_text(path: Path, raw: bytes, max_bytes: int) -> ParsedFile:
    """A .txt file: the decoded text as it is, and its pipe tables."""
    decoded = decode_bytes(path, raw)
    parsed = ParsedFile(decoded.text, decoded=decoded)
    parsed.tables = pipe_tables(decoded.text, path.name)
    return parsed


def read_markdown(path: Path, raw: bytes, max_bytes: int) -> ParsedFile:
    """A Markdown file: the decoded text as it is (markup kept), its pipe tables, the first ``#`` heading as
    its title."""
    decoded = decode_bytes(path, raw)
    parsed = ParsedFile(decoded.text, decoded=decoded)
    parsed.tables = pipe_tables(decoded.text, path.name)
    if heading := re.search(r"^ {0,3}#[ \t]+(.+?)[ \t#]*\r?$", decoded.text, re.MULTILINE):
        parsed.metadata["title"] = heading.group(1)
    return parsed
