"""Known entities found by name: whole words only, codes case-insensitive, names as written."""

from __future__ import annotations

from kg.ingest.gazetteer import Gazetteer

ENTRIES = [
    ("Part", "6205-2RSH", "Part:62052rsh"),
    ("Part", "22210 E", "Part:22210e"),
    ("Supplier", "SKF", "Supplier:skf"),
    ("Supplier", "Aktiebolaget SKF", "Supplier:skf"),
    ("Supplier", "Gates", "Supplier:gates"),
    ("Equipment", "LDS-P-101", "Equipment:ldsp101"),
    ("Part", "deep groove ball bearing", "Part:x"),  # a kind of thing, not an identifier
    ("FailureCause", "Mechanical seal face wear", "FailureCause:x"),  # descriptive classes are not names
    ("Part", "42", "Part:42"),  # bare numbers are not names
]


def _found(text: str) -> list[tuple[str, str]]:
    return [(text[m.start : m.end], m.entity_id) for m in Gazetteer(ENTRIES).find(text)]


def test_longest_known_name_wins_and_spans_are_exact() -> None:
    text = "Aktiebolaget SKF ships the 6205-2rsh bearing and 22210 E."
    assert _found(text) == [
        ("Aktiebolaget SKF", "Supplier:skf"),
        ("6205-2rsh", "Part:62052rsh"),
        ("22210 E", "Part:22210e"),
    ]


def test_whole_words_only_and_names_case_sensitive() -> None:
    assert _found("motor LDS-P-101-M and LDS-P-101.") == [("LDS-P-101", "Equipment:ldsp101")]
    assert _found("the gates were closed; Gates belts") == [("Gates", "Supplier:gates")]
    assert _found("Mechanical seal face wear on part 42, deep groove ball bearing") == []
    assert Gazetteer().find("SKF") == [] and Gazetteer(ENTRIES).find("   ") == []
