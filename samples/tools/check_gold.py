"""Validate samples/gold/*.json and samples/gold/aliases.json against the sample documents.

    .venv/bin/python samples/tools/check_gold.py

Checks, for every gold file:
* ``document`` exists under samples/documents/ and the gold file name is that path with "/" -> "__", no extension;
* every entity has a label from the ontology's node labels, a name and at least one mention, and every
  mention is a verbatim substring of the document's text (see ``document_text`` for what "text" is per format);
* (label, name) pairs are unique and a name is used under one label only in one document;
* every relation's head and tail are entity names of the file, and the head/tail labels fit the
  relationship's domain and range (ontology/manufacturing.ttl, read by hand into DOMAIN_RANGE below);
* no duplicate relations.

For aliases.json: every alias string occurs verbatim somewhere in samples/structured/ or samples/documents/
(document text as above), and no alias is listed under two canonical entries of one label.

Requirements: pypdf, python-docx, openpyxl (same as build_binary_samples.py). Standard library otherwise.
"""

from __future__ import annotations

import html
import json
import re
import sys
from html.parser import HTMLParser
from pathlib import Path

SAMPLES = Path(__file__).resolve().parents[1]
DOCS = SAMPLES / "documents"
GOLD = SAMPLES / "gold"

LABELS = {
    "Equipment",
    "Part",
    "Supplier",
    "Manufacturer",
    "Organization",
    "Product",
    "FailureMode",
    "FailureCause",
    "FailureMechanism",
    "FailureEffect",
    "MaintenanceActivity",
    "Material",
    "Process",
    "Property",
    "Site",
}
ORG = {"Organization", "Supplier", "Manufacturer"}
CAUSE = {"FailureCause", "FailureMechanism"}
# relationship type -> (allowed head labels, allowed tail labels); FailureCause/FailureMechanism may only
# CAUSE a FailureMode (owl:allValuesFrom restriction in the ontology).
DOMAIN_RANGE = {
    "HAS_PART": ({"Equipment", "Part", "Product"}, {"Equipment", "Part"}),
    "SUPPLIED_BY": ({"Part", "Equipment", "Material", "Product"}, {"Supplier"}),
    "MANUFACTURED_BY": ({"Part", "Equipment", "Product", "Material"}, {"Manufacturer"}),
    "MADE_OF": ({"Part", "Equipment", "Product"}, {"Material"}),
    "HAS_FAILURE_MODE": ({"Equipment", "Part"}, {"FailureMode"}),
    "CAUSES": (CAUSE | {"FailureMode"}, {"FailureMode", "FailureEffect"}),
    "DETECTED_BY": ({"FailureMode"} | CAUSE, {"MaintenanceActivity"}),
    "MITIGATED_BY": ({"FailureMode"} | CAUSE, {"MaintenanceActivity"}),
    "PERFORMED_ON": ({"MaintenanceActivity"}, {"Equipment", "Part"}),
    "LOCATED_AT": ({"Equipment", "Process"} | ORG, {"Site"}),
    "ALTERNATIVE_TO": ({"Part", "Material", "Product"} | ORG, {"Part", "Material", "Product"} | ORG),
    "HAS_PROPERTY": ({"Equipment", "Part", "Material", "Product", "Process"}, {"Property"}),
    "PRODUCES": ({"Process", "Equipment"}, {"Product", "Part", "Material"}),
}


_SPACE = re.compile(r"[ \t\r\n]+")


class _Visible(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []
        self._skip = 0

    def handle_starttag(self, tag: str, attrs: list) -> None:
        if tag in ("script", "style"):
            self._skip += 1
        if tag in (
            "p",
            "div",
            "br",
            "tr",
            "li",
            "h1",
            "h2",
            "h3",
            "h4",
            "table",
            "header",
            "footer",
            "ul",
            "ol",
        ):
            self.parts.append("\n")
        if tag in ("td", "th"):
            self.parts.append("\t")

    def handle_endtag(self, tag: str) -> None:
        if tag in ("script", "style"):
            self._skip -= 1

    def handle_data(self, data: str) -> None:
        if not self._skip:
            self.parts.append(_SPACE.sub(" ", data))  # source line breaks inside a text run render as spaces


def decode(raw: bytes) -> str:
    """Decode a text file the way a tolerant loader would: BOM, UTF-8, GBK (if it yields CJK), Latin-1.
    Line ends are normalised to "\\n" (universal newlines), as open() in text mode does."""
    return _decode(raw).replace("\r\n", "\n").replace("\r", "\n")


def _decode(raw: bytes) -> str:
    if raw.startswith(b"\xff\xfe") or raw.startswith(b"\xfe\xff"):
        return raw.decode("utf-16")
    if raw.startswith(b"\xef\xbb\xbf"):
        return raw[3:].decode("utf-8")
    try:
        return raw.decode("utf-8")
    except UnicodeDecodeError:
        pass
    try:
        text = raw.decode("gbk")
        if any("\u4e00" <= ch <= "\u9fff" for ch in text):
            return text
    except UnicodeDecodeError:
        pass
    return raw.decode("latin-1")


def document_text(path: Path) -> str:
    """The text a mention must be found in: decoded text for .txt/.md/.csv/.json, visible text (entities
    unescaped, runs of spaces/tabs/newlines inside a text run collapsed to one space, block elements on new
    lines) for .html, pypdf's extract_text() for .pdf (pages joined by newlines), paragraphs and then
    table cells (one per line) for .docx, all cell values for .xlsx."""
    suffix = path.suffix.lower()
    if suffix == ".html":
        parser = _Visible()
        parser.feed(decode(path.read_bytes()))
        return html.unescape("".join(parser.parts))
    if suffix == ".pdf":
        from pypdf import PdfReader

        return "\n".join(page.extract_text() or "" for page in PdfReader(path).pages)
    if suffix == ".docx":
        import docx

        d = docx.Document(str(path))
        parts = [p.text for p in d.paragraphs]
        for table in d.tables:
            for row in table.rows:
                parts.extend(cell.text for cell in row.cells)
        return "\n".join(parts)
    if suffix == ".xlsx":
        import openpyxl

        wb = openpyxl.load_workbook(path)
        return "\n".join(
            str(c.value) for ws in wb for row in ws.iter_rows() for c in row if c.value is not None
        )
    return decode(path.read_bytes())


def check_gold_file(path: Path) -> list[str]:
    errors: list[str] = []
    data = json.loads(path.read_text(encoding="utf-8"))
    doc = data.get("document", "")
    expected = doc.rsplit(".", 1)[0].replace("/", "__") + ".json"
    if path.name != expected:
        errors.append(f"file name should be {expected}")
    src = DOCS / doc
    if not src.is_file():
        return errors + [f"document {doc} not found"]
    text = document_text(src)
    labels: dict[str, str] = {}
    for e in data.get("entities", []):
        label, name, mentions = e.get("label"), e.get("name"), e.get("mentions") or []
        if label not in LABELS:
            errors.append(f"entity {name!r}: unknown label {label!r}")
        if name in labels:
            errors.append(f"entity name {name!r} used twice ({labels[name]}, {label})")
        labels[name] = label
        if not mentions:
            errors.append(f"entity {name!r}: no mentions")
        if len(set(mentions)) != len(mentions):
            errors.append(f"entity {name!r}: duplicate mentions")
        for m in mentions:
            if m not in text:
                errors.append(f"entity {name!r}: mention {m!r} not in document text")
    seen = set()
    for r in data.get("relations", []):
        head, type_, tail = r.get("head"), r.get("type"), r.get("tail")
        key = (head, type_, tail)
        if key in seen:
            errors.append(f"duplicate relation {key}")
        seen.add(key)
        if type_ not in DOMAIN_RANGE:
            errors.append(f"relation {key}: unknown type")
            continue
        if head not in labels or tail not in labels:
            errors.append(f"relation {key}: head or tail is not an entity of this file")
            continue
        dom, rng = DOMAIN_RANGE[type_]
        if labels[head] not in dom or labels[tail] not in rng:
            errors.append(f"relation {key}: {labels[head]} -> {labels[tail]} outside domain/range")
        if type_ == "CAUSES" and labels[head] in CAUSE and labels[tail] != "FailureMode":
            errors.append(f"relation {key}: a cause may only cause a FailureMode")
    return errors


def corpus_text() -> str:
    parts = []
    for p in sorted((SAMPLES / "structured").rglob("*")) + sorted(DOCS.rglob("*")):
        if p.is_file():
            parts.append(document_text(p))
    return "\n\f\n".join(parts)


def check_aliases(path: Path) -> list[str]:
    errors: list[str] = []
    data = json.loads(path.read_text(encoding="utf-8"))
    corpus = corpus_text()
    for label, entries in data.items():
        if label in ("notes", "distinct", "ambiguous"):
            continue
        owner: dict[str, str] = {}
        for canonical, aliases in entries.items():
            for a in aliases:
                if a in owner and owner[a] != canonical:
                    errors.append(f"{label}: alias {a!r} listed under {owner[a]!r} and {canonical!r}")
                owner[a] = canonical
                if a not in corpus:
                    errors.append(f"{label}/{canonical}: alias {a!r} does not occur in samples/")
    return errors


def main() -> int:
    failed = 0
    files = sorted(p for p in GOLD.glob("*.json") if p.name != "aliases.json")
    for path in files:
        errors = check_gold_file(path)
        data = json.loads(path.read_text(encoding="utf-8"))
        status = "ok " if not errors else "ERR"
        print(f"{status} {path.name}: {len(data['entities'])} entities, {len(data['relations'])} relations")
        for e in errors:
            print(f"      {e}")
        failed += bool(errors)
    aliases = GOLD / "aliases.json"
    if aliases.exists():
        errors = check_aliases(aliases)
        print(f"{'ok ' if not errors else 'ERR'} aliases.json")
        for e in errors:
            print(f"      {e}")
        failed += bool(errors)
    print(f"{len(files)} gold files, {failed} with errors")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
