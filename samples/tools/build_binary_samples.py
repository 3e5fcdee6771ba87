"""Build the binary and oddly-encoded sample documents of samples/ from text sources.

Run from anywhere:

    .venv/bin/python samples/tools/build_binary_samples.py          # build everything
    .venv/bin/python samples/tools/build_binary_samples.py --check  # build, then verify read-back

What it writes (all paths relative to samples/):

* documents/<folder>/<name>.pdf   from tools/sources/<folder>/<name>.md   (fpdf2, real text, embedded DejaVu font)
* documents/<folder>/<name>.docx  from tools/sources/<folder>/<name>.md   (python-docx)
* documents/fmea/ostrava_press_line_fmea.xlsx   from the rows held in this script (openpyxl; sheet "FMEA"
  with merged item/function cells, sheet "Notes" with a notes table)
* documents/supplier/*_latin1.txt, *_utf16.txt, *_gbk.txt   from tools/sources/supplier/*.txt (UTF-8),
  re-encoded to ISO-8859-1, UTF-16-LE with BOM (CRLF line ends) and GBK
* bad/…   inputs for the loader's error handling: an empty .txt, random bytes named .txt, a truncated PDF,
  a password-protected PDF, a CSV with missing header cells and a byte-identical duplicate of a good document

The source .md files use a small Markdown subset: '#'/'##'/'###' headings, paragraphs (consecutive lines are
joined), '- ' bullets, '1. ' numbered items (the number is kept as text), and '|' tables (first row is the
header; '|---|' separator rows are optional and ignored). '**' is stripped. Lines of one paragraph keep their
line breaks (write running text on one line; use consecutive lines for letter heads and address blocks).

Output is deterministic: fixed creation/modification dates in the PDF/DOCX/XLSX metadata, fixed PDF file IDs,
ZIP members of DOCX/XLSX rewritten with a fixed timestamp, seeded random bytes. Running the script twice gives
byte-identical files (checked with fpdf2 2.8.9, python-docx 1.2.0, openpyxl 3.1.5, pypdf 7.1.0).

Requirements (install into the repo venv):

    .venv/bin/pip install fpdf2 python-docx openpyxl pypdf

and the DejaVu Sans TrueType fonts (Debian/Ubuntu package ``fonts-dejavu-core``; the PDFs need a Unicode font
for "–", "µ", "ř", "ů" ...). Set NWC_FONT_DIR to a directory holding DejaVuSans.ttf and DejaVuSans-Bold.ttf
if they are elsewhere than /usr/share/fonts/truetype/dejavu. The encrypted PDF uses RC4-128, which pypdf
implements itself (no ``cryptography`` needed). Its password is ``nwc-2025``.
"""

from __future__ import annotations

import argparse
import csv
import datetime as dt
import hashlib
import io
import os
import random
import re
import sys
import zipfile
from dataclasses import dataclass
from pathlib import Path

SAMPLES = Path(__file__).resolve().parents[1]
SOURCES = SAMPLES / "tools" / "sources"
DOCS = SAMPLES / "documents"
BAD = SAMPLES / "bad"
FONT_DIR = Path(os.environ.get("NWC_FONT_DIR", "/usr/share/fonts/truetype/dejavu"))
ZIP_DATE = (2025, 1, 1, 0, 0, 0)
PDF_PASSWORD = "nwc-2025"


@dataclass(frozen=True)
class Binary:
    source: str  # relative to tools/sources, .md
    target: str  # relative to documents/
    title: str
    author: str
    date: dt.datetime


def _d(y: int, m: int, d: int) -> dt.datetime:
    return dt.datetime(y, m, d, 9, 0, 0, tzinfo=dt.UTC)


BINARIES = [
    Binary(
        "supplier/parker_hannifin_force_majeure_2025-03.md",
        "supplier/parker_hannifin_force_majeure_2025-03.pdf",
        "Notice of Force Majeure HPD-FM-2025-02",
        "Parker Hannifin Corporation, Hose Products Division",
        _d(2025, 3, 3),
    ),
    Binary(
        "supplier/john_crane_datasheet_T2100.md",
        "supplier/john_crane_datasheet_T2100.pdf",
        "Product Data Sheet T2100 single cartridge seal",
        "John Crane UK Ltd",
        _d(2023, 9, 18),
    ),
    Binary(
        "supplier/leeds_precision_inspection_certificate_3.1_NWC-SS-35.md",
        "supplier/leeds_precision_inspection_certificate_3.1_NWC-SS-35.pdf",
        "Inspection Certificate EN 10204 3.1 LPE-31-24-0562",
        "Leeds Precision Engineering Ltd",
        _d(2024, 4, 22),
    ),
    Binary(
        "supplier/thk_datasheet_HSR25A.md",
        "supplier/thk_datasheet_HSR25A.pdf",
        "LM Guide HSR25A application sheet",
        "THK Europe B.V.",
        _d(2024, 2, 20),
    ),
    Binary(
        "supplier/purchase_order_NWO-PO-24-0517_ksb.md",
        "supplier/purchase_order_NWO-PO-24-0517_ksb.docx",
        "Purchase Order NWO-PO-24-0517",
        "Jana Nováková",
        _d(2024, 8, 14),
    ),
    Binary(
        "supplier/schaeffler_product_change_notice_2025-07.md",
        "supplier/schaeffler_product_change_notice_2025-07.docx",
        "Product Change Notification PCN-2025-0419",
        "Schaeffler AG Customer Quality",
        _d(2025, 7, 14),
    ),
    Binary(
        "supplier/bosch_rexroth_repair_quotation_A10VSO45.md",
        "supplier/bosch_rexroth_repair_quotation_A10VSO45.docx",
        "Repair Quotation RQ-UK-2025-3317",
        "Bosch Rexroth Ltd Service Centre",
        _d(2025, 9, 9),
    ),
    Binary(
        "quality/NCR-2025-004_hose_burst_OST-HP-02.md",
        "quality/NCR-2025-004_hose_burst_OST-HP-02.docx",
        "NCR-2025-004 Hydraulic hose burst OST-HP-02-HPU",
        "Martin Kovář",
        _d(2025, 2, 13),
    ),
    Binary(
        "quality/incident_report_IR-2025-041_conveyor_gearbox_LDS-CV-01-GB.md",
        "quality/incident_report_IR-2025-041_conveyor_gearbox_LDS-CV-01-GB.docx",
        "IR-2025-041 Conveyor gearbox LDS-CV-01-GB",
        "Daniel Okafor",
        _d(2025, 9, 5),
    ),
    Binary(
        "manuals/press_hpu_maintenance_manual_excerpt.md",
        "manuals/press_hpu_maintenance_manual_excerpt.pdf",
        "Hydraulic Press HL 250 - Maintenance of the hydraulic power unit",
        "Moravia Press Systems a.s.",
        _d(2023, 5, 2),
    ),
    Binary(
        "manuals/screw_compressor_service_chapter.md",
        "manuals/screw_compressor_service_chapter.pdf",
        "Screw compressor LDS-CMP-01 service chapter",
        "Northwind Components Ltd maintenance",
        _d(2024, 6, 10),
    ),
    Binary(
        "manuals/circulation_pump_manual_excerpt.md",
        "manuals/circulation_pump_manual_excerpt.pdf",
        "Maintenance instructions MI-OST-P-201",
        "Northwind Components s.r.o. maintenance",
        _d(2025, 2, 3),
    ),
]

ENCODED = [
    # (source under tools/sources, target under documents/, codec)
    (
        "supplier/societe_mecanique_lyonnaise_offer_latin1.txt",
        "supplier/societe_mecanique_lyonnaise_offer_latin1.txt",
        "latin-1",
    ),
    (
        "supplier/hydraulika_ostrava_offer_utf16.txt",
        "supplier/hydraulika_ostrava_offer_utf16.txt",
        "utf-16-bom",
    ),
    ("supplier/ningbo_sealing_letter_gbk.txt", "supplier/ningbo_sealing_letter_gbk.txt", "gbk"),
]

# --------------------------------------------------------------------------------------------------------------
# Markdown subset
# --------------------------------------------------------------------------------------------------------------


@dataclass
class Block:
    kind: str  # h1 h2 h3 p bullet number table
    text: str = ""
    rows: list[list[str]] | None = None


_NUM = re.compile(r"^\d+\.\s")
_SEP = re.compile(r"^\|[\s:|-]+\|?$")


def _clean(text: str) -> str:
    return text.replace("**", "").strip()


def parse(md: str) -> list[Block]:
    blocks: list[Block] = []
    para: list[str] = []

    def flush() -> None:
        if para:
            blocks.append(Block("p", _clean("\n".join(para))))
            para.clear()

    lines = md.splitlines()
    i = 0
    while i < len(lines):
        line = lines[i].rstrip()
        stripped = line.strip()
        if not stripped:
            flush()
        elif stripped.startswith("#"):
            flush()
            level = len(stripped) - len(stripped.lstrip("#"))
            blocks.append(Block(f"h{min(level, 3)}", _clean(stripped[level:])))
        elif stripped.startswith("|"):
            flush()
            rows = []
            while i < len(lines) and lines[i].strip().startswith("|"):
                row = lines[i].strip()
                if not _SEP.match(row):
                    cells = [_clean(c) for c in row.strip("|").split("|")]
                    rows.append(cells)
                i += 1
            width = max(len(r) for r in rows)
            blocks.append(Block("table", rows=[r + [""] * (width - len(r)) for r in rows]))
            continue
        elif stripped.startswith("- "):
            flush()
            blocks.append(Block("bullet", _clean(stripped[2:])))
        elif _NUM.match(stripped):
            flush()
            blocks.append(Block("number", _clean(stripped)))
        elif blocks and blocks[-1].kind in ("bullet", "number") and not para and line.startswith("  "):
            blocks[-1].text += " " + _clean(stripped)  # continuation of a list item
        else:
            para.append(stripped)
        i += 1
    flush()
    return blocks


# --------------------------------------------------------------------------------------------------------------
# PDF
# --------------------------------------------------------------------------------------------------------------


def build_pdf(spec: Binary, blocks: list[Block]) -> bytes:
    from fpdf import FPDF
    from fpdf.fonts import FontFace

    pdf = FPDF(format="A4")
    pdf.set_creation_date(spec.date)
    pdf.set_title(spec.title)
    pdf.set_author(spec.author)
    pdf.set_creator("Northwind Components sample corpus (fictional)")
    pdf.set_producer("fpdf2")
    pdf.set_margins(18, 18, 18)
    pdf.set_auto_page_break(True, margin=18)
    pdf.add_font("DejaVu", "", str(FONT_DIR / "DejaVuSans.ttf"))
    pdf.add_font("DejaVu", "B", str(FONT_DIR / "DejaVuSans-Bold.ttf"))
    pdf.add_page()
    width = pdf.epw
    for b in blocks:
        if b.kind in ("h1", "h2", "h3"):
            size = {"h1": 15, "h2": 12, "h3": 10.5}[b.kind]
            pdf.ln(2)
            pdf.set_font("DejaVu", "B", size)
            pdf.multi_cell(width, size * 0.5, b.text, align="L")
            pdf.ln(1.5)
        elif b.kind == "p":
            pdf.set_font("DejaVu", "", 9.5)
            pdf.multi_cell(width, 5, b.text, align="L")
            pdf.ln(2)
        elif b.kind in ("bullet", "number"):
            pdf.set_font("DejaVu", "", 9.5)
            prefix = "• " if b.kind == "bullet" else ""
            pdf.set_x(pdf.l_margin + 4)
            pdf.multi_cell(width - 4, 5, prefix + b.text, align="L")
            pdf.ln(0.8)
        elif b.kind == "table":
            assert b.rows
            ncols = len(b.rows[0])
            size = 8.5 if ncols <= 4 else 7.5
            pdf.set_font("DejaVu", "", size)
            with pdf.table(
                width=width,
                line_height=size * 0.5,
                text_align="LEFT",
                headings_style=FontFace(emphasis="BOLD", fill_color=(225, 230, 236)),
                padding=1.2,
            ) as table:
                for row in b.rows:
                    r = table.row()
                    for cell in row:
                        r.cell(cell)
            pdf.ln(3)
    return bytes(pdf.output())


# --------------------------------------------------------------------------------------------------------------
# DOCX / XLSX (ZIP containers)
# --------------------------------------------------------------------------------------------------------------


_MODIFIED = re.compile(rb"(<dcterms:modified[^>]*>)[^<]*(</dcterms:modified>)")


def normalise_zip(data: bytes, modified: dt.datetime | None = None) -> bytes:
    """Rewrite a ZIP container with fixed member timestamps, so the output is reproducible.

    openpyxl stamps docProps/core.xml with the time of saving; ``modified`` pins that value too.
    """
    src = zipfile.ZipFile(io.BytesIO(data))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst:
        for info in src.infolist():
            body = src.read(info.filename)
            if modified is not None and info.filename == "docProps/core.xml":
                stamp = modified.strftime("%Y-%m-%dT%H:%M:%SZ").encode()
                body = _MODIFIED.sub(lambda m, s=stamp: m.group(1) + s + m.group(2), body)
            new = zipfile.ZipInfo(info.filename, date_time=ZIP_DATE)
            new.compress_type = zipfile.ZIP_DEFLATED
            new.external_attr = 0o644 << 16
            dst.writestr(new, body)
    return out.getvalue()


def build_docx(spec: Binary, blocks: list[Block]) -> bytes:
    import docx
    from docx.shared import Pt

    document = docx.Document()
    props = document.core_properties
    props.title = spec.title
    props.author = spec.author
    props.last_modified_by = spec.author
    props.created = spec.date.replace(tzinfo=None)
    props.modified = spec.date.replace(tzinfo=None)
    props.revision = 1
    props.comments = "Fictional sample document (Northwind Components)"
    style = document.styles["Normal"]
    style.font.name = "Calibri"
    style.font.size = Pt(10.5)
    for b in blocks:
        if b.kind == "h1":
            document.add_heading(b.text, level=1)
        elif b.kind == "h2":
            document.add_heading(b.text, level=2)
        elif b.kind == "h3":
            document.add_heading(b.text, level=3)
        elif b.kind == "p":
            document.add_paragraph(b.text)
        elif b.kind == "bullet":
            document.add_paragraph(b.text, style="List Bullet")
        elif b.kind == "number":
            p = document.add_paragraph(b.text)
            p.paragraph_format.left_indent = Pt(14)
        elif b.kind == "table":
            assert b.rows
            table = document.add_table(rows=len(b.rows), cols=len(b.rows[0]))
            table.style = "Table Grid"
            for r, row in enumerate(b.rows):
                for c, cell in enumerate(row):
                    table.cell(r, c).text = cell
                    if r == 0:
                        for run in table.cell(r, c).paragraphs[0].runs:
                            run.bold = True
            document.add_paragraph("")
    buf = io.BytesIO()
    document.save(buf)
    return normalise_zip(buf.getvalue())


FMEA_HEADER = [
    "item",
    "function",
    "failure_mode",
    "cause",
    "effect",
    "severity",
    "occurrence",
    "detection",
    "rpn",
    "recommended_action",
]
# item, function, failure mode, cause, effect, S, O, D, recommended action. Consecutive rows of one item are merged.
FMEA_ROWS = [
    (
        "OST-HP-02",
        "Form brackets at up to 250 t",
        "Structural deficiency",
        "Fatigue cracking of press frame welds",
        "Press out of service for weeks",
        10,
        1,
        7,
        "Annual magnetic particle inspection of frame welds",
    ),
    (
        "OST-HP-02",
        "Form brackets at up to 250 t",
        "External leakage of utility medium",
        "Cylinder rod O-ring swelling from wrong compound (NBR fitted instead of FKM)",
        "Oil leak at rod gland; slip hazard; press stopped for repair",
        6,
        3,
        4,
        "Goods-receipt colour and Shore A check of FKM O-rings; NBR and FKM O-rings on separate shelves",
    ),
    (
        "OST-HP-02",
        "Form brackets at up to 250 t",
        "Parameter deviation",
        "Ram guide bushing wear from interrupted grease lubrication",
        "Ram out of parallel; die damage; scrap brackets",
        6,
        3,
        5,
        "Weekly greasing of ram guides; check grease lines; measure bushing clearance every 6 months",
    ),
    (
        "OST-HP-02-HPU",
        "Supply hydraulic pressure at 210 bar to press",
        "External leakage of utility medium",
        "Hose assembly beyond 6-year service life",
        "Hose burst; oil spray; fire risk; press stopped",
        8,
        3,
        4,
        "Replace all hose assemblies every 6 years; keep 2 spare PH-2SN08-1500 and approved alternative HO-2SN08-1500",
    ),
    (
        "OST-HP-02-HPU",
        "Supply hydraulic pressure at 210 bar to press",
        "Overheating",
        "Cooling water flow too low (impeller of OST-P-201 fouled by scale)",
        "Oil temperature alarm; press run at reduced speed; faster ageing of seals and oil",
        5,
        4,
        2,
        "Flow alarm on cooling water loop; weekly water-treatment check",
    ),
    (
        "OST-HP-02-HPU",
        "Supply hydraulic pressure at 210 bar to press",
        "Internal leakage",
        "Wear of pump PV046R1K1T1NMMC from particle contamination of the oil",
        "Slow ram; longer cycle time",
        5,
        3,
        5,
        "Oil analysis to ISO 4406 every 3 months; case-drain flow measurement every 3 months",
    ),
    (
        "OST-HP-02-HPU",
        "Supply hydraulic pressure at 210 bar to press",
        "Plugged / choked",
        "Pressure filter element HD-0160D010BN4HC saturated",
        "Filter bypass opens; unfiltered oil reaches pump and valves",
        6,
        4,
        2,
        "Change element when indicator trips; wire clogging indicator to press PLC",
    ),
    (
        "PH-2SN08-1500",
        "Carry oil at 210 bar from pump to manifold",
        "External leakage of utility medium",
        "Hose abrasion at clamp",
        "Hose burst; oil spray; press stopped",
        8,
        4,
        3,
        "Rubber-lined clamps and abrasion sleeves at every contact point; weekly hose inspection raises follow-up work order",
    ),
    (
        "PH-2SN08-1500",
        "Carry oil at 210 bar from pump to manifold",
        "External leakage of utility medium",
        "Incorrect installation: twisted hose or bend radius below 90 mm",
        "Leak at fitting; early burst",
        7,
        2,
        5,
        "Follow lay line; check bend radius at installation",
    ),
    (
        "OR-50X3-FKM75",
        "Seal cylinder rod against hydraulic oil",
        "External leakage of utility medium",
        "Compression set and hardening after long service at 70-85 °C",
        "Oil weep at rod gland",
        4,
        4,
        3,
        "Replace cylinder rod O-rings every 4 years",
    ),
    (
        "PV046R1K1T1NMMC",
        "Deliver variable oil flow at 210 bar",
        "Noise",
        "Cavitation from low oil level or blocked suction strainer",
        "Pump damage; foaming oil",
        6,
        2,
        4,
        "Daily oil level check; low-level switch on tank",
    ),
    (
        "OST-CV-02",
        "Transfer blanks between presses",
        "Breakdown",
        "Belt mistracking from misaligned idlers",
        "Belt edge damage; blanks fall off conveyor",
        5,
        3,
        3,
        "Weekly belt tracking check",
    ),
]
FMEA_NOTES = [
    ("No.", "Topic", "Note"),
    (
        1,
        "Team",
        "P. Dvořák (maintenance lead), M. Kovář (quality), E. Benešová (process engineering), T. Horák (technician)",
    ),
    (
        2,
        "Revision",
        "Rev. 3 of 15.04.2025, after NCR-2025-004 (hose burst) and the Parker Hannifin force majeure notice HPD-FM-2025-02",
    ),
    (
        3,
        "Rating scales",
        "Severity, occurrence and detection 1-10; RPN = S x O x D. Action required for RPN >= 100 or S >= 9",
    ),
    (
        4,
        "Supplier risk",
        "PH-2SN08-1500 is bought from Parker Hannifin only for Ostrava; HO-2SN08-1500 from Hydraulika Ostrava s.r.o. approved as alternative on 10.03.2025",
    ),
    (
        5,
        "Relation to structured/fmea.csv",
        "Hose abrasion at clamp on OST-HP-02-HPU was rated 8/5/3 (RPN 120); re-rated on the hose assembly itself after abrasion sleeves were fitted",
    ),
    (
        6,
        "O-ring compound",
        "FKM only on OST-HP-02 (oil at cylinder up to 85 °C); NBR O-rings OR-50X3-NBR70 are for LDS-HP-01 only (NCR-2024-031)",
    ),
    (
        7,
        "Guide bushings",
        "Bronze bushings SML-BG-80-CUSN12 (CuSn12) from Société Mécanique Lyonnaise fitted 08.01.2025",
    ),
]


def build_xlsx() -> bytes:
    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Border, Font, PatternFill, Side

    wb = Workbook()
    created = dt.datetime(2025, 4, 15, 10, 0, 0)
    wb.properties.creator = "Petr Dvořák"
    wb.properties.lastModifiedBy = "Martin Kovář"
    wb.properties.title = "FMEA press line Plant Beta – Ostrava"
    wb.properties.created = created
    wb.properties.modified = created
    ws = wb.active
    ws.title = "FMEA"
    thin = Side(style="thin", color="999999")
    border = Border(left=thin, right=thin, top=thin, bottom=thin)
    ws.append(FMEA_HEADER)
    for cell in ws[1]:
        cell.font = Font(bold=True)
        cell.fill = PatternFill("solid", fgColor="DDE4EE")
        cell.border = border
    for item, fn, fm, cause, eff, s, o, d, act in FMEA_ROWS:
        ws.append([item, fn, fm, cause, eff, s, o, d, s * o * d, act])
    # merge consecutive rows of the same item (and its function): the usual FMEA worksheet layout
    last = len(FMEA_ROWS) + 1
    r = 2
    while r <= last:
        end = r
        while end < last and ws.cell(end + 1, 1).value == ws.cell(r, 1).value:
            end += 1
        if end > r:
            ws.merge_cells(start_row=r, start_column=1, end_row=end, end_column=1)
            ws.merge_cells(start_row=r, start_column=2, end_row=end, end_column=2)
        r = end + 1
    for row in ws.iter_rows(min_row=2):
        for cell in row:
            cell.alignment = Alignment(wrap_text=True, vertical="top")
            cell.border = border
    for col, w in zip("ABCDEFGHIJ", (18, 28, 26, 40, 40, 9, 11, 10, 7, 50)):
        ws.column_dimensions[col].width = w
    ws.freeze_panes = "A2"

    notes = wb.create_sheet("Notes")
    for row in FMEA_NOTES:
        notes.append(list(row))
    for cell in notes[1]:
        cell.font = Font(bold=True)
    notes.column_dimensions["A"].width = 6
    notes.column_dimensions["B"].width = 30
    notes.column_dimensions["C"].width = 110
    buf = io.BytesIO()
    wb.save(buf)
    return normalise_zip(buf.getvalue(), modified=created)


# --------------------------------------------------------------------------------------------------------------
# Encoded text and bad inputs
# --------------------------------------------------------------------------------------------------------------


def encode(text: str, codec: str) -> bytes:
    if codec == "utf-16-bom":
        return b"\xff\xfe" + text.replace("\n", "\r\n").encode("utf-16-le")
    return text.encode(codec)  # strict: fails loudly if a character does not fit the codec


def _encrypt_pdf(data: bytes) -> bytes:
    from pypdf import PdfReader, PdfWriter
    from pypdf.generic import ArrayObject, ByteStringObject

    writer = PdfWriter(clone_from=PdfReader(io.BytesIO(data)))
    fixed = ByteStringObject(hashlib.md5(b"nwc-encrypted-sample").digest())

    def fixed_ids() -> None:  # pypdf draws the file ID at random; pin it so the output is reproducible
        writer._ID = ArrayObject((fixed, fixed))

    writer.generate_file_identifiers = fixed_ids  # type: ignore[method-assign]
    writer.add_metadata(
        {"/Producer": "pypdf", "/CreationDate": "D:20250304090000Z", "/ModDate": "D:20250304090000Z"}
    )
    writer.encrypt(user_password=PDF_PASSWORD, owner_password=PDF_PASSWORD + "-owner", algorithm="RC4-128")
    buf = io.BytesIO()
    writer.write(buf)
    return buf.getvalue()


def build_bad(outputs: dict[Path, bytes]) -> dict[Path, bytes]:
    bad: dict[Path, bytes] = {}
    bad[BAD / "empty.txt"] = b""
    rng = random.Random(20250301)
    bad[BAD / "binary_garbage.txt"] = bytes(rng.getrandbits(8) for _ in range(4096))
    pdf = outputs[DOCS / "supplier/parker_hannifin_force_majeure_2025-03.pdf"]
    bad[BAD / "truncated_datasheet.pdf"] = pdf[: len(pdf) * 2 // 5]
    bad[BAD / "encrypted_supplier_notice.pdf"] = _encrypt_pdf(pdf)
    rows = [
        ["work_order", "", "date", "description", "", "status"],
        ["24-00901", "LDS-P-101", "2024-04-30", "chk seal area after seal change, dry", "J.Hartley", "CLOSE"],
        ["24-00902", "LDS-CMP-01", "2024-04-30", "belt tension ok", "M.Ainsworth", "CLOSE"],
        ["24-00907", "LDS-HP-01-HPU", "2024-05-01", "hose insp ok", "K.Brennan", "CLOSE"],
    ]
    buf = io.StringIO()
    csv.writer(buf, lineterminator="\n").writerows(rows)
    bad[BAD / "work_orders_missing_header_cells.csv"] = buf.getvalue().encode("utf-8")
    original = DOCS / "supplier/skf_qualification_letter.md"
    bad[BAD / "skf_approval_letter_copy.md"] = original.read_bytes()
    return bad


# --------------------------------------------------------------------------------------------------------------


def build() -> dict[Path, bytes]:
    outputs: dict[Path, bytes] = {}
    for spec in BINARIES:
        blocks = parse((SOURCES / spec.source).read_text(encoding="utf-8"))
        target = DOCS / spec.target
        outputs[target] = build_pdf(spec, blocks) if target.suffix == ".pdf" else build_docx(spec, blocks)
    outputs[DOCS / "fmea/ostrava_press_line_fmea.xlsx"] = build_xlsx()
    for source, target, codec in ENCODED:
        outputs[DOCS / target] = encode((SOURCES / source).read_text(encoding="utf-8"), codec)
    outputs.update(build_bad(outputs))
    for path, data in outputs.items():
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(data)
    return outputs


def check(outputs: dict[Path, bytes]) -> None:
    """Read every output back with the library a loader would use."""
    import docx
    import openpyxl
    from pypdf import PdfReader

    for path in sorted(outputs):
        rel = path.relative_to(SAMPLES)
        if path.parent == BAD:
            continue
        if path.suffix == ".pdf":
            reader = PdfReader(path)
            text = "\n".join(page.extract_text() or "" for page in reader.pages)
            assert len(text) > 500, rel
            print(f"ok  {rel}: {len(reader.pages)} page(s), {len(text)} chars of text")
        elif path.suffix == ".docx":
            d = docx.Document(str(path))
            n = sum(len(p.text) for p in d.paragraphs) + sum(
                len(c.text) for t in d.tables for row in t.rows for c in row.cells
            )
            assert n > 500, rel
            print(f"ok  {rel}: {len(d.paragraphs)} paragraphs, {len(d.tables)} tables")
        elif path.suffix == ".xlsx":
            wb = openpyxl.load_workbook(path)
            print(
                f"ok  {rel}: sheets {wb.sheetnames}, merged {[str(r) for r in wb['FMEA'].merged_cells.ranges]}"
            )
        else:
            print(f"ok  {rel}: {len(outputs[path])} bytes")
    enc = PdfReader(BAD / "encrypted_supplier_notice.pdf")
    assert enc.is_encrypted and enc.decrypt(PDF_PASSWORD) and "Force Majeure" in enc.pages[0].extract_text()
    print("ok  bad/encrypted_supplier_notice.pdf: encrypted, opens with the password")
    try:
        PdfReader(BAD / "truncated_datasheet.pdf").pages[-1].extract_text()
        print("note bad/truncated_datasheet.pdf: pypdf recovered part of it (strict=False)")
    except Exception as exc:  # noqa: BLE001 - any failure is the point of the file
        print(f"ok  bad/truncated_datasheet.pdf: fails as intended ({type(exc).__name__})")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--check", action="store_true", help="read every output back after building")
    args = parser.parse_args(argv)
    if not (FONT_DIR / "DejaVuSans.ttf").exists():
        print(f"DejaVuSans.ttf not found in {FONT_DIR}; set NWC_FONT_DIR", file=sys.stderr)
        return 2
    outputs = build()
    for path in sorted(outputs):
        print(f"wrote {path.relative_to(SAMPLES)} ({len(outputs[path])} bytes)")
    if args.check:
        check(outputs)
    return 0


if __name__ == "__main__":
    sys.exit(main())
