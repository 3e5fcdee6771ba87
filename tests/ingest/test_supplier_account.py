"""A brand named as a source in text ("impeller from KSB") is the brand's one supplier account, not a second
supplier: single-source analysis and supplier concentration must not double-count it."""

from __future__ import annotations

import shutil
from pathlib import Path

from fakes import FakeExtractor

from kg.core.settings import ExtractorSettings, Settings, StoreSettings
from kg.graph.knowledge_graph import open_knowledge_graph
from kg.ingest.service import ingestor_for

SAMPLES = Path(__file__).resolve().parents[2] / "samples" / "structured"
WORK_ORDERS = "work_order,asset,date,description\n24-2523,OST-P-201,03.09.2024,{text}\n"


def source_extractor(item: str, brand: str) -> FakeExtractor:
    """Marks ``item`` and ``brand`` and says the item is supplied by the brand."""
    return FakeExtractor({"PhysicalObject": [item], "Organization": [brand]}, [(item, "suppliedBy", brand)])


def _suppliers(tmp_path: Path, item: str, brand: str, text: str) -> list[str]:
    docs = tmp_path / "docs"
    docs.mkdir()
    shutil.copy(SAMPLES / "bom.csv", docs / "bom.csv")
    (docs / "orders.csv").write_text(WORK_ORDERS.format(text=text), encoding="utf-8")
    settings = Settings(
        store=StoreSettings(data_dir=tmp_path / "db"), extractor=ExtractorSettings(model=tmp_path / "none")
    )
    with open_knowledge_graph(settings) as kg:
        with ingestor_for(
            kg,
            settings,
            extractor=source_extractor(item, brand),
        ) as ingestor:
            assert not ingestor.run([docs / "bom.csv"]).failed  # the tables first: the accounts are known
        with ingestor_for(
            kg,
            settings,
            extractor=source_extractor(item, brand),
        ) as ingestor:
            assert not ingestor.run([docs / "orders.csv"]).failed
        rows = kg.store.read(  # every source of the item, under whichever class the text's mention took
            "MATCH (p:Entity)-[:SUPPLIED_BY]->(s:Entity) WHERE p.part_number = $pn OR p.name = $pn"
            " RETURN DISTINCT s.id AS id ORDER BY id",
            {"pn": item},
        )
    return [r["id"] for r in rows]


def test_a_brand_named_as_source_is_its_one_supplier_account(tmp_path: Path) -> None:
    found = _suppliers(tmp_path, "NWC-IMP-250", "KSB", "fit new impeller NWC-IMP-250 from KSB + wear rings")
    assert found == ["Supplier:ksb pumpy and armatury"]  # still single-sourced; no edge to Manufacturer:ksb


def test_a_brand_with_several_accounts_stays_the_manufacturer(tmp_path: Path) -> None:
    # HYDAC Technology Ltd (UK) and HYDAC International GmbH are separate accounts: no guess between them
    found = _suppliers(tmp_path, "HD-0160D010BN4HC", "HYDAC", "new filter HD-0160D010BN4HC from HYDAC")
    assert "Manufacturer:hydac" in found
