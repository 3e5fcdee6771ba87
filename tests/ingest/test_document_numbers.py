"""A document's own numbers and the numbers it cites, read from real header shapes."""

from __future__ import annotations

import pytest

from kg.ingest.document_numbers import document_numbers, is_document_number, number_key, numbers_in


def test_the_number_in_the_file_name_is_the_documents_own_not_the_tag_beside_it() -> None:
    n = document_numbers("NCR-2025-019_compressor_belt_OST-CMP-01.txt", None, "Compressor belt failure.")
    assert n.numbers == ["NCR-2025-019"]
    assert n.references == []


def test_a_labelled_number_in_the_header_is_own_and_the_customer_po_is_cited() -> None:
    text = (
        "TRELLEBORG SEALING SOLUTIONS\nCertificate of Conformity / Werksbescheinigung EN 10204 2.1\n\n"
        "Certificate No.:      TSS-CoC-2024-77120\nCustomer PO:          NWO-PO-24-0655\n"
        "Delivery note:        80-4471290\n"
    )
    n = document_numbers("trelleborg_certificate_of_conformity_OR-FKM75.txt", None, text)
    assert n.numbers == ["TSS-CoC-2024-77120"]  # OR-FKM75 in the file name is an article, not a number
    assert n.references == ["NWO-PO-24-0655"]  # a delivery note of digits only is no identifier here


@pytest.mark.parametrize(
    ("header", "own"),
    [
        ("| Our ref. | NWC-SQ-2024-003 |", "NWC-SQ-2024-003"),  # a markdown table
        ("Cert. no.        HTL-CC-25-01982", "HTL-CC-25-01982"),
        ("Notification no. TSS-DN-2025-006 · Date: 3 March 2025", "TSS-DN-2025-006"),
        ("PURCHASE ORDER No. NW-PO-24-0388            Date: 19/06/2024", "NW-PO-24-0388"),
    ],
)
def test_header_labels_name_the_documents_own_number(header: str, own: str) -> None:
    n = document_numbers("letter.txt", None, "Northwind Components Ltd\n" + header + "\nDear customer,")
    assert n.numbers == [own]


def test_the_title_names_the_number_and_the_body_cites_others_each_once() -> None:
    text = (
        "Spindle overheating on LDS-CNC-01-SP\n"  # the first line: a heading without a number
        "Alarm again, see NW-PO-25-0188 and NW-PO-25-0188; the 8D-2025-009 lessons apply."
    )
    n = document_numbers("investigation.html", "Technical investigation TI-2025-006", text)
    assert n.numbers == ["TI-2025-006"]
    assert n.references == ["NW-PO-25-0188", "8D-2025-009"]
    assert n.keys == ["8D2025009", "NWPO250188", "TI2025006"]


@pytest.mark.parametrize(
    "code", ["OST-CMP-01", "6205-2RSH", "JC-T2100-35", "2025-03-10", "24-00661", "OR-150X4-NBR70", "A10VSO45"]
)
def test_tags_part_numbers_dates_and_work_order_numbers_are_no_document_numbers(code: str) -> None:
    assert not is_document_number(code)
    assert numbers_in(f"Replaced {code} on the line.") == []


def test_a_kind_then_a_number_is_one_but_a_year_or_a_quantity_is_not() -> None:
    assert numbers_in("raised against PO 4500012345 and NCR no. 2025-019") == [
        "PO 4500012345",
        "NCR 2025-019",
    ]
    assert numbers_in("the QA 2024 review; CC 400 ml of oil") == []
    assert number_key("ncr 2025-019") == number_key("NCR-2025-019") == "NCR2025019"
