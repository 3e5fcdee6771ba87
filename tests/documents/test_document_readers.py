"""Document readers and file discovery for batch ingestion: every format, encodings, bad input, walking dirs.

All fixtures are generated here in ``tmp_path`` (PDFs with fpdf2, DOCX with python-docx, XLSX with openpyxl).
"""

from __future__ import annotations

import io
import json
import os
import re
import time
import zipfile
from pathlib import Path
from typing import Any

import pytest

from kg.core.errors import BadInputError, DocumentError
from kg.documents import DocumentContent, Table, decode_bytes, read_document, supported_suffixes
from kg.ingest.discover import Found, Problem, discover

fpdf = pytest.importorskip("fpdf", reason="fpdf2 (a dev dependency) makes the test PDFs")
docx = pytest.importorskip("docx")
openpyxl = pytest.importorskip("openpyxl")
pypdf = pytest.importorskip("pypdf")

IS_ROOT = hasattr(os, "geteuid") and os.geteuid() == 0


def write(path: Path, data: bytes | str) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    if isinstance(data, str):
        path.write_bytes(data.encode("utf-8"))
    else:
        path.write_bytes(data)
    return path


def span(doc: DocumentContent, phrase: str) -> tuple[int, int]:
    """Offsets of ``phrase`` in the text, checked to slice back to it."""
    start = doc.text.index(phrase)
    end = start + len(phrase)
    assert doc.text[start:end] == phrase
    return start, end


def pdf_bytes(pages: list[str] | None, *, title: str | None = None) -> bytes:
    """A PDF with one text page per entry; ``None`` gives one page with only a filled rectangle (no text)."""
    pdf = fpdf.FPDF()
    if title:
        pdf.set_title(title)
    pdf.set_font("Helvetica", size=12)
    for text in pages or []:
        pdf.add_page()
        pdf.multi_cell(0, 10, text)
    if pages is None:
        pdf.add_page()
        pdf.rect(20, 20, 100, 60, style="F")
    return bytes(pdf.output())


def encrypted_pdf(raw: bytes, *, user: str, owner: str) -> bytes:
    writer = pypdf.PdfWriter(clone_from=pypdf.PdfReader(io.BytesIO(raw)))
    writer.encrypt(user_password=user, owner_password=owner, algorithm="AES-256")
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


def expect_error(path: Path, *fragments: str, **kwargs: int) -> str:
    with pytest.raises(DocumentError) as info:
        read_document(path, **kwargs)
    message = str(info.value)
    assert str(path) in message
    for fragment in fragments:
        assert fragment in message, message
    return message


# --- plain text and encodings -------------------------------------------------------------------------


def test_utf8_text_keeps_exact_characters_and_offsets(tmp_path: Path) -> None:
    raw = "Pump P-101\r\nThe pump uses a mechanical seal (Ø 45 mm).\r\n".encode()
    doc = read_document(write(tmp_path / "note.txt", raw))
    assert (doc.reader, doc.encoding, doc.encoding_note) == ("text", "utf-8", "valid UTF-8")
    assert doc.text == raw.decode("utf-8")  # CRLF kept: offsets map back to the file
    assert span(doc, "mechanical seal") == (28, 43)
    assert doc.size == len(raw) and len(doc.sha256) == 64
    assert doc.tables == [] and doc.warnings == []


def test_same_bytes_same_hash_and_utf8_bom_is_stripped(tmp_path: Path) -> None:
    a = read_document(write(tmp_path / "a.txt", "\ufeffSeal ring"))
    b = read_document(write(tmp_path / "b.txt", "\ufeffSeal ring"))
    c = read_document(write(tmp_path / "c.txt", "Seal ring"))
    assert a.text == "Seal ring" and (a.encoding, a.encoding_note) == ("utf-8", "BOM")
    assert a.sha256 == b.sha256 != c.sha256


def test_latin1_french_supplier_is_not_mojibake(tmp_path: Path) -> None:
    raw = "Fournisseur : Société Mécanique Lyonnaise\nPièce : joint torique\n".encode("latin-1")
    doc = read_document(write(tmp_path / "fournisseur.txt", raw))
    assert "Société Mécanique Lyonnaise" in doc.text
    assert "Ã" not in doc.text
    assert doc.encoding in ("cp1252", "latin-1")
    assert doc.encoding_note.startswith("charset-normalizer")


def test_short_latin1_phrase_alone(tmp_path: Path) -> None:
    doc = read_document(write(tmp_path / "s.txt", "Société Mécanique Lyonnaise".encode("latin-1")))
    assert doc.text == "Société Mécanique Lyonnaise"


def test_gbk_chinese_letter(tmp_path: Path) -> None:
    raw = "致采购部：\n宁波密封件有限公司提供O型圈。\n".encode("gbk")
    doc = read_document(write(tmp_path / "letter.txt", raw))
    assert "宁波密封件有限公司提供O型圈" in doc.text
    assert doc.encoding in ("gbk", "gb18030", "gb2312")
    start, end = span(doc, "O型圈")
    assert (start, end) == (17, 20)


def test_utf16_with_bom_and_without(tmp_path: Path) -> None:
    text = "Pump P-101 — mechanical seal\r\n"
    with_bom = read_document(write(tmp_path / "bom.txt", text.encode("utf-16")))
    assert with_bom.text == text  # BOM stripped, CRLF kept
    assert with_bom.encoding is not None and with_bom.encoding.startswith("utf-16")
    assert with_bom.encoding_note == "BOM"
    for codec in ("utf-16-le", "utf-16-be"):
        doc = read_document(write(tmp_path / f"{codec}.txt", text.encode(codec)))
        assert doc.text == text
        assert doc.encoding == codec
        assert "without BOM" in doc.encoding_note


def test_utf32_with_bom(tmp_path: Path) -> None:
    doc = read_document(write(tmp_path / "u32.md", "# Seals\nO-ring".encode("utf-32")))
    assert doc.text == "# Seals\nO-ring" and doc.encoding == "utf-32-le"


def test_damaged_utf8_keeps_utf8_and_warns() -> None:
    raw = ("Société Mécanique — joint torique, ½ pouce. " * 20).encode() + b"\xff end"
    decoded = decode_bytes(Path("d.txt"), raw)
    assert decoded.encoding == "utf-8" and decoded.text.startswith("Société Mécanique")
    assert decoded.text.endswith("\ufffd end")
    assert "1 invalid UTF-8 sequence" in decoded.warnings[0]


def test_legacy_bytes_late_in_a_large_ascii_file_are_still_detected(tmp_path: Path) -> None:
    raw = (
        b"Pump P-101 inspection log, all values nominal.\n" * 3000
        + "Réparé par Société Générale.\n".encode("cp1252")
    )
    assert len(raw) > 128 * 1024
    doc = read_document(write(tmp_path / "log.txt", raw))
    assert doc.text.endswith("Réparé par Société Générale.\n")


def test_one_megabyte_text_reads_fast(tmp_path: Path) -> None:
    line = "Pump P-101 has a mechanical seal supplied by Société Mécanique Lyonnaise.\n"
    raw = (line * (2**20 // len(line) + 1)).encode("utf-8")
    path = write(tmp_path / "big.txt", raw)
    start = time.perf_counter()
    doc = read_document(path)
    assert time.perf_counter() - start < 0.5
    assert doc.size == len(raw)
    legacy = write(tmp_path / "big-cp1252.txt", raw.decode("utf-8").encode("cp1252"))
    start = time.perf_counter()
    doc = read_document(legacy)
    assert time.perf_counter() - start < 0.5
    assert doc.encoding == "cp1252"


# --- markdown and HTML ----------------------------------------------------------------------------------


def test_markdown_is_kept_as_written(tmp_path: Path) -> None:
    source = "# Pump P-101 manual\n\n* **Seal**: mechanical, Flowserve\n* Bearing: SKF 6205\n"
    doc = read_document(write(tmp_path / "manual.md", source))
    assert doc.reader == "markdown" and doc.text == source
    assert doc.metadata["title"] == "Pump P-101 manual"
    assert doc.text[span(doc, "SKF 6205")[0] - 9 :].startswith("Bearing: SKF")


def test_markdown_crlf_title_has_no_carriage_return(tmp_path: Path) -> None:
    doc = read_document(write(tmp_path / "crlf.markdown", "Intro\r\n## Parts\r\n# Seal kit #\r\nText\r\n"))
    assert doc.metadata["title"] == "Seal kit" and doc.text.count("\r\n") == 4


def test_html_visible_text_blocks_and_title(tmp_path: Path) -> None:
    html = """<!DOCTYPE html><html><head><title>  Pump   P-101 </title>
    <meta name="author" content="Maintenance team"><style>p { color: red }</style>
    <script>var secret = "do not show";</script></head>
    <body><h1>Pump P-101</h1><p>The pump uses a <b>mechanical</b>
    seal from   Flowserve.</p><!-- hidden comment --><div hidden>hidden text</div>
    <table><tr><th>Part</th><th>Qty</th></tr><tr><td>O-ring</td><td>4</td></tr></table>
    <ul><li>Check alignment</li><li>Replace seal</li></ul>Line one<br>Line two</body></html>"""
    doc = read_document(write(tmp_path / "page.html", html))
    assert doc.reader == "html"
    assert doc.metadata == {"title": "Pump P-101", "author": "Maintenance team"}
    assert doc.text == (
        "Pump P-101\n\nThe pump uses a mechanical seal from Flowserve.\n\nPart | Qty\nO-ring | 4\n\n"
        "Check alignment\nReplace seal\n\nLine one\nLine two"
    )
    for gone in ("secret", "color", "hidden"):
        assert gone not in doc.text
    span(doc, "mechanical seal from Flowserve")


def test_html_declared_legacy_charset(tmp_path: Path) -> None:
    html = '<html><head><meta charset="windows-1252"></head><body><p>Société – 12 €</p></body></html>'
    doc = read_document(write(tmp_path / "old.htm", html.encode("cp1252")))
    assert doc.text == "Société – 12 €"
    assert (doc.encoding, doc.encoding_note) == ("cp1252", "HTML meta charset")


# --- PDF ------------------------------------------------------------------------------------------------


def test_pdf_pages_joined_with_blank_line(tmp_path: Path) -> None:
    raw = pdf_bytes(
        ["Pump P-101 uses a mechanical seal.", "Bearing SKF 6205 on the drive end."], title="Manual"
    )
    doc = read_document(write(tmp_path / "manual.pdf", raw))
    assert doc.reader == "pdf" and doc.encoding is None
    assert doc.text == "Pump P-101 uses a mechanical seal.\n\nBearing SKF 6205 on the drive end."
    assert doc.metadata["pages"] == "2" and doc.metadata["title"] == "Manual"
    second = int(doc.metadata["page_starts"].split(",")[1])
    assert doc.text[second:].startswith("Bearing SKF 6205")
    assert span(doc, "SKF 6205") == (44, 52)


def test_pdf_damage_that_pypdf_repairs_is_read_with_a_warning(tmp_path: Path) -> None:
    raw = re.sub(rb"startxref\s+\d+", b"startxref\n999", pdf_bytes(["Repaired text."]))
    doc = read_document(write(tmp_path / "repaired.pdf", raw))
    assert doc.text == "Repaired text."
    assert any(w.startswith("PDF: incorrect startxref pointer") for w in doc.warnings)


def test_pdf_encrypted_with_a_password_is_refused(tmp_path: Path) -> None:
    raw = encrypted_pdf(pdf_bytes(["Confidential seal drawing."]), user="secret", owner="owner")
    expect_error(write(tmp_path / "bad" / "secret.pdf", raw), "encrypted PDF", "qpdf", "--decrypt")


def test_pdf_encrypted_with_empty_user_password_opens(tmp_path: Path) -> None:
    raw = encrypted_pdf(pdf_bytes(["Restricted but readable."]), user="", owner="owner")
    doc = read_document(write(tmp_path / "restricted.pdf", raw))
    assert doc.text == "Restricted but readable."


def test_pdf_truncated_is_corrupt(tmp_path: Path) -> None:
    raw = pdf_bytes(["Pump P-101 uses a mechanical seal."])
    expect_error(write(tmp_path / "cut.pdf", raw[: len(raw) // 2]), "corrupt PDF", "fresh copy")


def test_pdf_without_text_layer_asks_for_ocr(tmp_path: Path) -> None:
    expect_error(write(tmp_path / "scan.pdf", pdf_bytes(None)), "scanned PDF without a text layer", "OCR")


def test_not_a_pdf_at_all(tmp_path: Path) -> None:
    expect_error(write(tmp_path / "fake.pdf", "just some text, no PDF header"), "corrupt PDF")


# --- DOCX -----------------------------------------------------------------------------------------------


def make_docx(path: Path) -> Path:
    document = docx.Document()
    document.core_properties.title = "Seal replacement"
    document.core_properties.author = "R. Dupont"
    document.add_heading("Seal replacement", level=1)
    document.add_paragraph("Remove the mechanical seal from pump P-101.")
    table = document.add_table(rows=3, cols=3)
    for r, values in enumerate([("Part", "Supplier", "Qty"), ("O-ring", "Parker", "2"), ("Seal", "", "1")]):
        for c, value in enumerate(values):
            table.cell(r, c).text = value
    table.cell(2, 1).merge(table.cell(2, 2))  # "Seal" row: Supplier+Qty merged (text of both kept)
    document.add_paragraph("Torque the bolts to 25 Nm.")
    document.save(str(path))
    return path


def test_docx_paragraphs_and_tables_in_document_order(tmp_path: Path) -> None:
    doc = read_document(make_docx(tmp_path / "procedure.docx"))
    assert doc.reader == "docx" and doc.encoding is None
    lines = doc.text.split("\n")
    assert lines[:4] == [
        "Seal replacement",
        "Remove the mechanical seal from pump P-101.",
        "Part | Supplier | Qty",
        "O-ring | Parker | 2",
    ]
    assert lines[-1] == "Torque the bolts to 25 Nm."
    assert lines.index("Torque the bolts to 25 Nm.") > lines.index("O-ring | Parker | 2")
    assert doc.tables[0].name == "table_1"
    assert doc.tables[0].header == ["Part", "Supplier", "Qty"]
    assert doc.tables[0].rows[0] == ["O-ring", "Parker", "2"]
    assert doc.tables[0].rows[1][0] == "Seal" and doc.tables[0].rows[1][1] == doc.tables[0].rows[1][2]
    assert doc.tables[0].row_numbers == [2, 3]
    assert any("merged" in w for w in doc.warnings)
    assert doc.metadata == {"title": "Seal replacement", "author": "R. Dupont"}
    span(doc, "mechanical seal from pump P-101")


def test_docx_that_is_not_a_zip_or_is_an_ole_file(tmp_path: Path) -> None:
    expect_error(write(tmp_path / "broken.docx", b"PK\x03\x04 truncated"), "corrupt DOCX", "save it again")
    ole = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 500
    expect_error(write(tmp_path / "locked.xlsx", ole), "OLE file", "password", ".xlsx")


def test_zip_that_is_not_a_docx(tmp_path: Path) -> None:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as z:
        z.writestr("hello.txt", "not a word document")
    expect_error(write(tmp_path / "other.docx", buffer.getvalue()), "corrupt DOCX")


# --- CSV ------------------------------------------------------------------------------------------------


def test_csv_rows_line_numbers_and_text_rendering(tmp_path: Path) -> None:
    source = 'part,supplier,note\r\nO-ring,Parker,"2 per pump,\nspare in store"\r\n\r\nSeal , Flowserve ,\r\n'
    doc = read_document(write(tmp_path / "parts.csv", source))
    assert doc.reader == "csv" and doc.metadata["delimiter"] == ","
    table = doc.tables[0]
    assert table == Table(
        "parts",
        ["part", "supplier", "note"],
        [["O-ring", "Parker", "2 per pump,\nspare in store"], ["Seal", "Flowserve", ""]],
        [2, 5],
    )
    assert (
        doc.text
        == "part: O-ring; supplier: Parker; note: 2 per pump, spare in store\npart: Seal; supplier: Flowserve"
    )
    span(doc, "supplier: Flowserve")


def test_csv_semicolon_with_decimal_commas_cp1252(tmp_path: Path) -> None:
    source = "Teil;Preis;Lieferant\nO-Ring;1,50;Müller GmbH\nDichtung;12,00;\n"
    doc = read_document(write(tmp_path / "preise.csv", source.encode("cp1252")))
    assert doc.metadata["delimiter"] == ";"
    assert doc.tables[0].header == ["Teil", "Preis", "Lieferant"]
    assert doc.tables[0].rows == [["O-Ring", "1,50", "Müller GmbH"], ["Dichtung", "12,00", ""]]
    assert doc.text.split("\n")[0] == "Teil: O-Ring; Preis: 1,50; Lieferant: Müller GmbH"


@pytest.mark.parametrize(("delimiter", "suffix"), [("\t", ".tsv"), ("|", ".csv")])
def test_csv_tab_and_pipe(tmp_path: Path, delimiter: str, suffix: str) -> None:
    rows = [["tag", "name", "site"], ["P-101", "Feed pump, main", "Lyon"], ["P-102", "Spare pump", "Lyon"]]
    source = "\n".join(delimiter.join(r) for r in rows) + "\n"
    doc = read_document(write(tmp_path / f"equipment{suffix}", source))
    assert doc.metadata["delimiter"] == delimiter
    assert doc.tables[0].rows[0] == ["P-101", "Feed pump, main", "Lyon"]


def test_csv_missing_header_cell_and_extra_cells_are_reported(tmp_path: Path) -> None:
    source = "part,,qty\nO-ring,Parker,2\nSeal,Flowserve,1,unexpected\n"
    doc = read_document(write(tmp_path / "bom.csv", source))
    table = doc.tables[0]
    assert table.header == ["part", "column_2", "qty"]
    assert table.rows == [["O-ring", "Parker", "2"], ["Seal", "Flowserve", "1"]]
    assert any("header cell 2 is empty" in w and "column_2" in w for w in doc.warnings)
    assert any("more cells than the header" in w and "(3)" in w for w in doc.warnings)


def test_csv_short_rows_padded_duplicate_headers_renamed(tmp_path: Path) -> None:
    doc = read_document(write(tmp_path / "d.csv", "name,name,qty\nSeal\nRing,Alt,3\n"))
    assert doc.tables[0].header == ["name", "name_2", "qty"]
    assert doc.tables[0].rows == [["Seal", "", ""], ["Ring", "Alt", "3"]]
    assert any("appears more than once" in w for w in doc.warnings)


def test_csv_with_only_blank_lines(tmp_path: Path) -> None:
    expect_error(write(tmp_path / "blank.csv", "\n \n,,\n"), "no rows")


# --- XLSX -----------------------------------------------------------------------------------------------


def set_cached_formula_values(path: Path, values: dict[str, str]) -> None:
    """openpyxl writes formulas without a cached result; put one in, as Excel would have."""
    with zipfile.ZipFile(path) as z:
        parts = {name: z.read(name) for name in z.namelist()}
    sheet = parts["xl/worksheets/sheet1.xml"].decode()
    for formula, value in values.items():
        assert f"<f>{formula}</f><v></v>" in sheet
        sheet = sheet.replace(f"<f>{formula}</f><v></v>", f"<f>{formula}</f><v>{value}</v>")
    parts["xl/worksheets/sheet1.xml"] = sheet.encode()
    with zipfile.ZipFile(path, "w") as z:
        for name, data in parts.items():
            z.writestr(name, data)


def make_xlsx(path: Path) -> Path:
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.title = "BOM"
    sheet["B1"] = "Bill of materials, pump P-101"  # a title above the table
    sheet.append([])
    sheet.append([None, "Part", "Supplier", None, "Qty", "Total"])
    sheet.append([None, "O-ring", "Parker", "spare", 4, "=E4*2"])
    sheet.append([None, "Gasket", None, None, 2.5, None])
    sheet.append([None, "Bolt", None, None, 8, None])
    sheet.merge_cells("C5:C6")
    sheet["C5"] = "Klinger"
    notes = book.create_sheet("Notes")
    notes["A1"] = "Replace the seal every 8000 h."
    book.create_sheet("Empty")
    book.save(str(path))
    set_cached_formula_values(path, {"E4*2": "8"})
    return path


def test_xlsx_header_row_merged_cells_formulas_and_text(tmp_path: Path) -> None:
    doc = read_document(make_xlsx(tmp_path / "bom.xlsx"))
    assert doc.reader == "xlsx" and doc.encoding is None
    [table] = doc.tables
    assert table.name == "BOM"
    assert table.header == ["Part", "Supplier", "column_4", "Qty", "Total"]
    assert table.rows == [
        ["O-ring", "Parker", "spare", "4", "8"],
        ["Gasket", "Klinger", "", "2.5", ""],
        ["Bolt", "Klinger", "", "8", ""],
    ]
    assert table.row_numbers == [4, 5, 6]
    assert "sheet 'BOM': 1 merged range(s) filled with their top-left value" in doc.warnings
    assert any("header cell 4 is empty" in w and "column_4" in w for w in doc.warnings)
    assert any("sheet 'Empty': empty" in w for w in doc.warnings)
    assert any("sheet 'Notes': no header row" in w for w in doc.warnings)
    assert doc.text.split("\n") == [
        "Sheet: BOM",
        "Bill of materials, pump P-101",
        "Part: O-ring; Supplier: Parker; column_4: spare; Qty: 4; Total: 8",
        "Part: Gasket; Supplier: Klinger; Qty: 2.5",
        "Part: Bolt; Supplier: Klinger; Qty: 8",
    ]
    assert doc.metadata["sheets"] == "3"
    span(doc, "Supplier: Klinger")


def test_xlsx_several_sheets_each_a_table(tmp_path: Path) -> None:
    book = openpyxl.Workbook()
    book.active.title = "Pumps"
    book.active.append(["tag", "name"])
    book.active.append(["P-101", "Feed pump"])
    motors = book.create_sheet("Motors")
    motors.append(["tag", "power_kw"])
    motors.append(["M-101", 55])
    book.save(str(tmp_path / "assets.xlsx"))
    doc = read_document(tmp_path / "assets.xlsx")
    assert [t.name for t in doc.tables] == ["Pumps", "Motors"]
    assert doc.text == "Sheet: Pumps\ntag: P-101; name: Feed pump\n\nSheet: Motors\ntag: M-101; power_kw: 55"


def test_xlsx_with_no_header_row_anywhere(tmp_path: Path) -> None:
    book = openpyxl.Workbook()
    book.active.title = "List"
    for i in range(3):
        book.active.append([f"item {i}"])
    book.save(str(tmp_path / "list.xlsx"))
    expect_error(tmp_path / "list.xlsx", "xlsx: no header row found in sheet 'List'", "column names")


def test_xlsx_empty_workbook(tmp_path: Path) -> None:
    openpyxl.Workbook().save(str(tmp_path / "empty.xlsx"))
    expect_error(tmp_path / "empty.xlsx", "every sheet is empty")


# --- JSON -----------------------------------------------------------------------------------------------


def test_json_list_of_flat_objects_is_a_table(tmp_path: Path) -> None:
    data = [{"part": "O-ring", "qty": 4, "spare": True}, {"part": "Seal", "qty": None, "maker": "Parker"}]
    doc = read_document(write(tmp_path / "parts.json", json.dumps(data, indent=2)))
    assert doc.reader == "json"
    assert doc.tables == [
        Table(
            "parts",
            ["part", "qty", "spare", "maker"],
            [["O-ring", "4", "true", ""], ["Seal", "", "", "Parker"]],
            [1, 2],
        )
    ]
    assert doc.text == "part: O-ring; qty: 4; spare: true\npart: Seal; maker: Parker"


def test_json_nested_becomes_one_line_per_leaf(tmp_path: Path) -> None:
    data = {
        "pump": {"tag": "P-101", "seal": {"maker": "Flowserve"}, "parts": [{"name": "O-ring"}, 3]},
        "x": None,
    }
    doc = read_document(write(tmp_path / "pump.json", json.dumps(data)))
    assert doc.tables == []
    assert (
        doc.text
        == "pump.tag: P-101\npump.seal.maker: Flowserve\npump.parts[0].name: O-ring\npump.parts[1]: 3"
    )
    span(doc, "pump.seal.maker: Flowserve")


def test_json_invalid_names_line_and_column(tmp_path: Path) -> None:
    message = expect_error(
        write(tmp_path / "bad.json", '{"a": 1,\n  "b" 2}'), "invalid JSON at line 2, column 7"
    )
    assert "json.tool" in message


# --- bad input ------------------------------------------------------------------------------------------


def test_document_error_is_a_bad_input_error() -> None:
    assert issubclass(DocumentError, BadInputError)


def test_empty_file(tmp_path: Path) -> None:
    expect_error(write(tmp_path / "empty.txt", b""), "empty file (0 bytes)")


def test_binary_content_in_a_txt(tmp_path: Path) -> None:
    raw = bytes(range(32)) * 100 + b"some text"
    message = expect_error(
        write(tmp_path / "x.txt", raw), "binary content", "control bytes", "not a text document"
    )
    assert "re-save it as UTF-8" in message


def test_random_bytes_are_binary(tmp_path: Path) -> None:
    raw = bytes((i * 7919 + 13) % 251 for i in range(20000)).replace(b"\x00", b"a")
    expect_error(write(tmp_path / "noise.txt", raw), "binary content")


def test_oversize_is_refused_before_reading(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    path = write(tmp_path / "big.txt", b"x" * 5000)
    opened: list[Path] = []
    real_open = Path.open

    def tracking_open(self: Path, *args: Any, **kwargs: Any) -> Any:
        opened.append(self)
        return real_open(self, *args, **kwargs)

    monkeypatch.setattr(Path, "open", tracking_open)
    monkeypatch.setattr(Path, "read_bytes", lambda self: pytest.fail("read the whole file"))
    expect_error(path, "4.9 KB is over the 1000 bytes limit", "--max-document-mb", max_bytes=1000)
    assert path not in opened
    read_document(path, max_bytes=5000)  # at the limit is fine
    assert path in opened


def test_default_limit_message_in_megabytes(tmp_path: Path) -> None:
    path = write(tmp_path / "big.txt", b"x")
    os.truncate(path, 52 * 2**20 + 400 * 1024)  # sparse: no 52 MB written
    expect_error(path, "52.4 MB is over the 25 MB limit; raise --max-document-mb or split the file.")


def test_unsupported_suffix(tmp_path: Path) -> None:
    message = expect_error(write(tmp_path / "setup.exe", b"MZ\x90\x00"), "unsupported file type .exe")
    assert all(s in message for s in supported_suffixes())
    expect_error(
        write(tmp_path / "old.doc", b"\xd0\xcf\x11\xe0"), "unsupported file type .doc", "Save it as .docx"
    )
    expect_error(write(tmp_path / "README", "hi"), "no file suffix")


def test_missing_file_and_directory(tmp_path: Path) -> None:
    expect_error(tmp_path / "gone.txt", "no such file or directory")
    (tmp_path / "dir.txt").mkdir()
    expect_error(tmp_path / "dir.txt", "is a directory")


@pytest.mark.skipif(IS_ROOT, reason="root reads files whatever their mode")
def test_unreadable_file(tmp_path: Path) -> None:
    path = write(tmp_path / "locked.txt", "secret")
    path.chmod(0)
    try:
        expect_error(path, "permission denied", "chmod")
    finally:
        path.chmod(0o644)


def test_permission_error_when_opening(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    path = write(tmp_path / "locked.txt", "secret")

    def denied(self: Path, *args: object, **kwargs: object) -> None:
        raise PermissionError(13, "Permission denied", str(self))

    monkeypatch.setattr(Path, "open", denied)
    expect_error(path, "permission denied", "chmod u+r")


def test_unexpected_library_failure_is_wrapped(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    import kg.documents as readers

    def boom(path: Path, raw: bytes, max_bytes: int) -> None:
        raise KeyError("word/document.xml")

    monkeypatch.setitem(readers.READERS, "text", boom)
    with pytest.raises(DocumentError, match=r"could not read it as text \(KeyError") as info:
        read_document(write(tmp_path / "a.txt", "x"))
    assert isinstance(info.value.__cause__, KeyError)


def test_supported_suffixes() -> None:
    suffixes = supported_suffixes()
    assert suffixes == tuple(sorted(suffixes))
    for s in (".txt", ".md", ".html", ".htm", ".pdf", ".docx", ".csv", ".xlsx", ".json"):
        assert s in suffixes


def test_suffix_is_case_insensitive(tmp_path: Path) -> None:
    assert read_document(write(tmp_path / "NOTE.TXT", "Seal")).reader == "text"


# --- discover -------------------------------------------------------------------------------------------


@pytest.fixture
def tree(tmp_path: Path) -> Path:
    root = tmp_path / "docs"
    write(root / "a.txt", "a")
    write(root / "b.pdf", b"%PDF")
    write(root / "image.png", b"\x89PNG")
    write(root / ".hidden.txt", "h")
    write(root / ".git" / "c.txt", "c")
    write(root / "sub" / "c.md", "c")
    write(root / "sub" / "deeper" / "d.csv", "d")
    write(root / "__pycache__" / "x.txt", "x")
    write(root / "kgdata" / "kg.lock", "")
    write(root / "kgdata" / "falkordb.log", "log")
    write(root / "kgdata" / "notes.txt", "inside our own data dir")
    return root


def names(found: list[Found], root: Path) -> list[str]:
    return [str(f.path.relative_to(root)) for f in found]


def test_discover_one_level_by_default(tree: Path) -> None:
    found, problems = discover([tree])
    assert names(found, tree) == ["a.txt", "b.pdf"]
    assert problems == []
    assert found[0] == Found(tree / "a.txt", (tree / "a.txt").resolve())


def test_discover_recursive_skips_hidden_and_data_dirs(tree: Path) -> None:
    found, problems = discover([tree], recursive=True)
    assert names(found, tree) == ["a.txt", "b.pdf", "sub/c.md", "sub/deeper/d.csv"]
    assert problems == []


def test_discover_suffix_filter(tree: Path) -> None:
    found, _ = discover([tree], recursive=True, suffixes=["PNG", ".md"])
    assert names(found, tree) == ["image.png", "sub/c.md"]


def test_discover_given_files_taken_whatever_their_suffix_and_hidden(tree: Path) -> None:
    found, problems = discover([tree / "image.png", tree / ".hidden.txt"])
    assert names(found, tree) == ["image.png", ".hidden.txt"]
    assert problems == []


def test_discover_missing_path(tree: Path) -> None:
    found, problems = discover([tree / "nope", tree / "a.txt"])
    assert names(found, tree) == ["a.txt"]
    assert problems == [Problem(tree / "nope", "no such file or directory")]


def test_discover_symlink_loop_reported_and_walk_goes_on(tree: Path) -> None:
    (tree / "sub" / "back").symlink_to(tree)
    found, problems = discover([tree], recursive=True)
    assert names(found, tree) == ["a.txt", "b.pdf", "sub/c.md", "sub/deeper/d.csv"]
    assert len(problems) == 1
    assert problems[0].path == tree / "sub" / "back"
    assert problems[0].reason.startswith(f"symlink loop: {tree / 'sub' / 'back'} -> {tree.resolve()}")


def test_discover_self_referencing_symlinks(tree: Path) -> None:
    (tree / "loop1.txt").symlink_to(tree / "loop2.txt")
    (tree / "loop2.txt").symlink_to(tree / "loop1.txt")
    _, problems = discover([tree])
    assert [p.path.name for p in problems] == ["loop1.txt", "loop2.txt"]
    assert all(p.reason.startswith("symlink loop") for p in problems)


def test_discover_broken_link(tree: Path) -> None:
    (tree / "dangling.txt").symlink_to(tree / "deleted.txt")
    found, problems = discover([tree])
    assert names(found, tree) == ["a.txt", "b.pdf"]
    assert problems == [Problem(tree / "dangling.txt", f"broken symbolic link -> {tree / 'deleted.txt'}")]
    _, given = discover([tree / "dangling.txt"])
    assert given[0].reason.startswith("broken symbolic link")


def test_discover_same_real_file_once(tree: Path) -> None:
    (tree / "alias.txt").symlink_to(tree / "a.txt")
    (tree / "sub" / "link-to-root").symlink_to(tree)  # not a loop from the top: a second way to the same dir
    found, problems = discover([tree, tree / "a.txt", tree / "sub"], recursive=True)
    assert names(found, tree) == ["a.txt", "b.pdf", "sub/c.md", "sub/deeper/d.csv"]
    assert len({f.real for f in found}) == len(found)
    assert [p.reason.split(":")[0] for p in problems] == ["symlink loop"]


def test_discover_unreadable_directory(tree: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    real_scandir = os.scandir
    locked = tree / "sub"

    def scandir(path: Path) -> Any:
        if Path(path) == locked:
            raise PermissionError(13, "Permission denied", str(path))
        return real_scandir(path)

    monkeypatch.setattr(os, "scandir", scandir)
    found, problems = discover([tree], recursive=True)
    assert names(found, tree) == ["a.txt", "b.pdf"]
    assert problems == [Problem(locked, "cannot list directory: permission denied; skipped")]


@pytest.mark.skipif(IS_ROOT, reason="root lists directories whatever their mode")
def test_discover_unreadable_directory_for_real(tree: Path) -> None:
    (tree / "sub").chmod(0)
    try:
        _, problems = discover([tree], recursive=True)
    finally:
        (tree / "sub").chmod(0o755)
    assert problems == [Problem(tree / "sub", "cannot list directory: permission denied; skipped")]


def test_discover_given_data_dir_is_refused(tree: Path) -> None:
    found, problems = discover([tree / "kgdata"])
    assert found == [] and "mfg-kg data directory" in problems[0].reason


def test_discover_then_read_every_file(tree: Path) -> None:
    write(tree / "b.pdf", pdf_bytes(["Pump manual."]))
    found, _ = discover([tree], recursive=True)
    texts = {f.path.name: read_document(f.path).text for f in found}
    assert texts == {"a.txt": "a", "b.pdf": "Pump manual.", "c.md": "c", "d.csv": ""}
