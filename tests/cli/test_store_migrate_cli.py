"""``kg store migrate`` as a user runs it on a data directory written by mfg-kg 0.1."""

from __future__ import annotations

import json
import sys
from pathlib import Path

from typer.testing import CliRunner

from kg.cli import app
from kg.core.settings import StoreSettings
from kg.store.falkordb_store import open_falkordb
from kg.tables.structured import load_directory
from ontology import load_ontology

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "store"))
from legacy_v1 import write_v1

SAMPLES = Path(__file__).resolve().parents[2] / "samples" / "structured"
runner = CliRunner()


def test_an_old_data_directory_is_refused_then_migrated_and_answers(tmp_path: Path) -> None:
    data = tmp_path / "db"
    store = open_falkordb(StoreSettings(data_dir=str(data)))
    try:
        store.ensure_schema(load_ontology().graph_schema())
        write_v1(store, load_directory(SAMPLES).batch)
    finally:
        store.close()
    refused = runner.invoke(app, ["--data-dir", str(data), "supplier-impact", "Supplier:skf"])
    assert refused.exit_code != 0 and "kg store migrate" in refused.output
    done = runner.invoke(app, ["--data-dir", str(data), "store", "migrate", "--page", "50"])
    assert done.exit_code == 0, done.output
    assert "Converted" in done.output and "provenance layout 2" in done.output
    again = runner.invoke(app, ["--data-dir", str(data), "store", "migrate"])
    assert again.exit_code == 0 and "nothing to do" in again.output
    args = ["--data-dir", str(data), "audit", "--label", "Supplier", "--limit", "3", "--json"]
    answered = runner.invoke(app, args)
    assert answered.exit_code == 0, answered.output
    rows = json.loads(answered.output)
    assert len(rows) == 3  # the summary the migration wrote: extractors and the documents behind each
    assert all(r["made_by"] == ["csv-loader/0.1"] and r["documents"] >= 1 for r in rows), rows
    bad = runner.invoke(app, ["--data-dir", str(data), "store", "migrate", "--page", "0"])
    assert bad.exit_code != 0 and "--page" in bad.output
