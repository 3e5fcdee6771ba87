"""Tables in a PDF's page layout: columns set apart by wide gaps, cells wrapped onto the lines below."""

from __future__ import annotations

from pathlib import Path

import pytest

from kg.documents import read_document
from kg.documents.layout_tables import layout_tables

fpdf = pytest.importorskip("fpdf", reason="fpdf2 (a dev dependency) makes the test PDFs")

# pypdf's layout text of a real service manual's troubleshooting table (rows set apart by blank lines, a
# cause set higher than its symptom), then a heading and a paragraph after it
PAGE = """6.4 Troubleshooting

Symptom                             Possible cause                        Remedy

Compressor trips on high            Oil cooler fouled; low oil level;     Clean cooler; top up oil;
discharge temperature               thermostatic valve stuck              replace thermostatic valve kit

                                    Seal elastomer swelling from water
Water leak at the seal              treatment chemicals (EPDM); dry       Replace seal with FKM version
                                    running

6.5 Belt drive

Re-tension the belts after 30 minutes under load; skipping it leads to belt slip and squeal.
"""


def test_wrapped_cells_and_blank_separated_rows_are_one_row_each() -> None:
    [table] = layout_tables(PAGE, "manual.pdf page 1")
    assert table.header == ["Symptom", "Possible cause", "Remedy"]
    assert table.rows == [
        [
            "Compressor trips on high discharge temperature",
            "Oil cooler fouled; low oil level; thermostatic valve stuck",
            "Clean cooler; top up oil; replace thermostatic valve kit",
        ],
        [
            "Water leak at the seal",
            "Seal elastomer swelling from water treatment chemicals (EPDM); dry running",
            "Replace seal with FKM version",
        ],
    ]
    assert table.row_numbers == [5, 8]


def test_rows_without_blank_lines_start_where_the_first_column_and_another_have_text() -> None:
    page = (
        "Task                                     Interval      Note\n"
        "Check oil level and oil temperature      daily         alarm at 60 °C\n"
        "(max. 55 °C)\n"
        "Inspect hose assemblies for abrasion     weekly        see 9.4\n"
    )
    [table] = layout_tables(page, "p")
    assert [r[0] for r in table.rows] == [
        "Check oil level and oil temperature (max. 55 °C)",
        "Inspect hose assemblies for abrasion",
    ]


def test_paragraphs_and_two_column_lines_alone_are_no_table() -> None:
    assert layout_tables("A paragraph of prose.\n\nAnother one, with   three spaces.\n", "p") == []
    assert layout_tables("Supplier:     John Crane\n\nThe seal is fitted.\n", "p") == []


def test_a_pdf_manuals_troubleshooting_table_is_read_from_its_layout(tmp_path: Path) -> None:
    pdf = fpdf.FPDF()
    pdf.add_page()
    pdf.set_font("Helvetica", size=10)
    rows = [
        ("Symptom", "Possible cause", "Remedy"),
        ("Belt squeal at start", "Low belt tension; worn belts", "Re-tension or replace belt set"),
        ("Motor vibration, bearing noise", "Motor bearing 6309-2Z/C3 worn", "Replace bearings"),
    ]
    for row in rows:
        for text in row:
            pdf.cell(62, 8, text)
        pdf.ln(12)
    path = tmp_path / "compressor.pdf"
    pdf.output(str(path))

    doc = read_document(path)

    assert "Belt squeal at start" in doc.text  # the text layer is unchanged
    [table] = doc.tables
    assert table.header == ["Symptom", "Possible cause", "Remedy"]
    assert table.rows[1] == [
        "Motor vibration, bearing noise",
        "Motor bearing 6309-2Z/C3 worn",
        "Replace bearings",
    ]
