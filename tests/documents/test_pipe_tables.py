"""Pipe tables in Markdown and plain text are parsed into tables; the text stays as written."""

from __future__ import annotations

from pathlib import Path

from kg.documents import read_document
from kg.documents.pipe_tables import pipe_tables

MANUAL = """# Maintenance Manual — Coolant Pumps LDS-P-101 and LDS-P-102

## 7.4 Troubleshooting

| Symptom | Possible cause | Remedy |
|---|:---|---:|
| Coolant leaking at the seal | Pump ran dry; setting clips not removed | Replace seal; check **interlock** |
| Low flow \\| low pressure | Clogged suction strainer | |

Run for 30 minutes and check the seal for leakage.
"""


def test_a_markdown_manuals_table_is_parsed_with_its_lines_and_the_text_kept(tmp_path: Path) -> None:
    path = tmp_path / "manual.md"
    path.write_text(MANUAL)
    doc = read_document(path)
    assert doc.text == MANUAL
    [table] = doc.tables
    assert table.header == ["Symptom", "Possible cause", "Remedy"]
    assert table.rows == [
        [
            "Coolant leaking at the seal",
            "Pump ran dry; setting clips not removed",
            "Replace seal; check **interlock**",
        ],
        ["Low flow | low pressure", "Clogged suction strainer", ""],  # an escaped pipe is text
    ]
    assert table.row_numbers == [7, 8]
    assert MANUAL.splitlines()[table.row_numbers[0] - 1].startswith("| Coolant leaking")


def test_a_text_file_pasted_from_a_wiki_has_its_table_too(tmp_path: Path) -> None:
    path = tmp_path / "notes.txt"
    path.write_text("Problem | Cause\n--- | ---\nBelt squeal | Low tension\n")
    assert read_document(path).tables[0].rows == [["Belt squeal", "Low tension"]]


def test_pipes_without_a_delimiter_row_are_not_a_table() -> None:
    assert pipe_tables("Flow | pressure fell after the | seal change.\nNo table here.\n", "x.md") == []
    assert pipe_tables("", "x.md") == []


def test_an_html_pages_data_tables_are_tables_and_a_layout_table_is_not(tmp_path: Path) -> None:
    path = tmp_path / "service.html"
    path.write_text(
        "<html><body><table><tr><td>"  # an outer layout table holding the data table
        "<h2>Troubleshooting</h2><table>"
        "<tr><th>Symptom</th><th>Possible cause</th><th>Remedy</th></tr>"
        "<tr><td>Belt squeal at start</td><td>Low belt tension; <b>worn</b> belts</td>"
        "<td>Re-tension</td></tr>"
        "</table></td></tr></table></body></html>"
    )
    doc = read_document(path)
    [table] = doc.tables
    assert table.header == ["Symptom", "Possible cause", "Remedy"]
    assert table.rows == [["Belt squeal at start", "Low belt tension; worn belts", "Re-tension"]]
    assert "Belt squeal at start | Low belt tension; worn belts | Re-tension" in doc.text
