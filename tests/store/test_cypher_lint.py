"""Lint Cypher with Neo4j's own linter (``@neo4j-cypher/language-support`` via ``tools/cypher-lint``).

Checks that the saved Browser queries in ``docs/neo4j/saved-queries.cypher`` and every statement the Neo4j
backend can emit parse and pass Neo4j's Cypher 5 semantic analysis, with their parameters declared,
without a Neo4j server. Needs Node.js and ``npm ci`` in ``tools/cypher-lint`` (``make test`` does it).
"""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import tempfile
from collections.abc import Iterable, Mapping, Sequence
from pathlib import Path
from typing import Any

import pytest
from browser_queries import saved_queries

ROOT = Path(__file__).resolve().parents[2]
LINT_DIR = ROOT / "tools" / "cypher-lint"
LINTER = LINT_DIR / "lint.mjs"
NODE = shutil.which("node")
IN_CI = os.environ.get("CI", "").strip().lower() not in ("", "0", "false", "no")
SETUP_HINT = "run `make test` (it runs npm ci in tools/cypher-lint)"

#: The documented graph model, used when the ontology package cannot be loaded.
DOCUMENTED_CLASSES = (
    "Organization",
    "Supplier",
    "Manufacturer",
    "Equipment",
    "Part",
    "Material",
    "Product",
    "FailureMode",
    "FailureCause",
    "FailureMechanism",
    "FailureEffect",
    "MaintenanceActivity",
    "Process",
    "Site",
    "Property",
)
DOCUMENTED_REL_TYPES = (
    "HAS_PART",
    "SUPPLIED_BY",
    "MANUFACTURED_BY",
    "HAS_FAILURE_MODE",
    "CAUSES",
    "MITIGATED_BY",
    "DETECTED_BY",
    "PERFORMED_ON",
    "LOCATED_AT",
    "MADE_OF",
    "ALTERNATIVE_TO",
    "HAS_PROPERTY",
    "PRODUCES",
    "MENTIONED_IN",
    "PART_OF",
    "IN_CHUNK",
)
PROPERTY_KEYS = (
    "id",
    "name",
    "aliases",
    "sources",
    "evidence",
    "confidence",
    "first_seen",
    "last_seen",
    "part_number",
    "tag",
    "severity",
    "occurrence",
    "detection",
    "rpn",
    "failure_mode_code",
    "path",
    "content_hash",
    "work_order",
    "date",
)

_linter_missing = (
    "Node.js is not on PATH"
    if NODE is None
    else "tools/cypher-lint/node_modules is missing"
    if not (LINT_DIR / "node_modules" / "@neo4j-cypher" / "language-support").is_dir()
    else None
)
if _linter_missing and not IN_CI:
    pytest.skip(
        f"Cypher linter unavailable ({_linter_missing}): {SETUP_HINT}, or `npm ci --no-audit --no-fund` "
        "in tools/cypher-lint.",
        allow_module_level=True,
    )

pytestmark = pytest.mark.node


@pytest.fixture(scope="module", autouse=True)
def _linter_installed() -> None:
    """In CI a missing linter is a broken setup, not a reason to skip."""
    if _linter_missing:
        pytest.fail(f"Cypher linter unavailable ({_linter_missing}): {SETUP_HINT}", pytrace=False)


def run_linter(
    statements: Iterable[Mapping[str, Any]],
    labels: Iterable[str] | None = None,
    rel_types: Iterable[str] | None = None,
    props: Iterable[str] | None = None,
) -> dict[str, Any]:
    """Lint ``statements`` ({"name", "query", "params": [names] or {name: value}}) with Neo4j's linter.

    Returns the linter's summary ``{"checked": N, "errors": [...], "warnings": [...]}``; each diagnostic
    has ``name``, ``index``, 1-based ``line``/``column`` and ``message``. Unknown labels/relationship
    types are warnings when both ``labels`` and ``rel_types`` are given.
    """
    payload: dict[str, Any] = {"statements": list(statements)}
    if labels is not None:
        payload["labels"] = sorted(set(labels))
    if rel_types is not None:
        payload["relationshipTypes"] = sorted(set(rel_types))
    if props is not None:
        payload["propertyKeys"] = sorted(set(props))
    assert NODE is not None
    with tempfile.TemporaryDirectory(prefix="cypher-lint-") as tmp:
        path = Path(tmp) / "statements.json"
        path.write_text(json.dumps(payload, default=str), encoding="utf-8")
        proc = subprocess.run(
            [NODE, str(LINTER), str(path)],
            cwd=LINT_DIR,
            capture_output=True,
            text=True,
            timeout=300,
            check=False,
        )
    if proc.returncode not in (0, 1):
        raise AssertionError(f"cypher linter failed (exit {proc.returncode}):\n{proc.stderr}{proc.stdout}")
    result: dict[str, Any] = json.loads(proc.stdout)
    assert result["checked"] == len(payload["statements"])
    assert (proc.returncode == 1) == bool(result["errors"]), "exit status disagrees with the error list"
    return result


def _report(diagnostics: Sequence[Mapping[str, Any]], queries: Mapping[str, str]) -> str:
    """Readable lines: statement name, position, message and the offending source line."""
    out = []
    for d in diagnostics:
        lines = queries.get(d["name"], "").splitlines()
        src = lines[d["line"] - 1].strip() if 0 < d["line"] <= len(lines) else ""
        out.append(f"- [{d['name']}] {d['line']}:{d['column']} {d['message']}\n    {src}")
    return "\n".join(out)


# --- (a) the linter itself -------------------------------------------------------------------------------

_SANITY = [
    {"name": "valid", "query": "MATCH (n:Entity) WHERE n.id = $id RETURN n", "params": ["id"]},
    {"name": "syntax-error", "query": "MATCH (n RETURN n", "params": []},
    {"name": "undeclared-param", "query": "MATCH (n:Entity) WHERE n.id = $id RETURN n", "params": []},
    {
        "name": "param-by-value",
        "query": "MATCH (n:Entity) WHERE n.id = $id RETURN n",
        "params": {"id": "Part:x"},
    },
    # toJSON is FalkorDB-only: the built-in function registry makes an unknown function an error.
    {"name": "falkordb-only-function", "query": "RETURN toJSON({a: 1}) AS j", "params": []},
    {"name": "label-typo", "query": "MATCH (n:Equipmnet) RETURN n", "params": []},
]


@pytest.fixture(scope="module")
def sanity() -> dict[str, dict[str, list[dict[str, Any]]]]:
    """The linter's errors and warnings per sanity statement (one linter run for all of them)."""
    result = run_linter(_SANITY, labels=["Entity", "Equipment"], rel_types=["HAS_PART"], props=["id"])
    per: dict[str, dict[str, list[dict[str, Any]]]] = {
        s["name"]: {"errors": [], "warnings": []} for s in _SANITY
    }
    for kind in ("errors", "warnings"):
        for d in result[kind]:
            per[d["name"]][kind].append(d)
    return per


def test_linter_accepts_valid_query(sanity: dict[str, dict[str, list[dict[str, Any]]]]) -> None:
    assert sanity["valid"] == {"errors": [], "warnings": []}


def test_linter_rejects_syntax_error(sanity: dict[str, dict[str, list[dict[str, Any]]]]) -> None:
    errors = sanity["syntax-error"]["errors"]
    assert errors, "MATCH (n RETURN n was accepted"
    assert (errors[0]["line"], errors[0]["column"]) == (1, 10)


def test_linter_rejects_undeclared_parameter(sanity: dict[str, dict[str, list[dict[str, Any]]]]) -> None:
    assert any("$id" in e["message"] for e in sanity["undeclared-param"]["errors"]), sanity
    assert sanity["param-by-value"]["errors"] == []


def test_linter_rejects_functions_neo4j_lacks(sanity: dict[str, dict[str, list[dict[str, Any]]]]) -> None:
    assert any("toJSON" in e["message"] for e in sanity["falkordb-only-function"]["errors"]), sanity


def test_linter_warns_on_unknown_label(sanity: dict[str, dict[str, list[dict[str, Any]]]]) -> None:
    assert sanity["label-typo"]["errors"] == []
    assert any("Equipmnet" in w["message"] for w in sanity["label-typo"]["warnings"]), sanity


# --- (b) saved Browser queries -----------------------------------------------------------------------------


#: labels the store writes beside the ontology's classes
STORE_LABELS = ("Entity", "Document", "Chunk", "Evidence", "GraphMeta", "AppliedBatch")


def _graph_vocabulary() -> tuple[list[str], list[str]]:
    """Labels and relationship types of the ontology, or the documented model if it cannot be loaded."""
    try:
        from ontology import load_ontology

        schema = load_ontology().graph_schema()
    except ImportError:
        return [*DOCUMENTED_CLASSES, *STORE_LABELS], list(DOCUMENTED_REL_TYPES)
    return [*schema.labels, *STORE_LABELS], list(schema.all_relationship_types)


def test_saved_queries_file_is_well_formed() -> None:
    queries = saved_queries()
    names = [q.name for q in queries]
    assert 8 <= len(queries) <= 12, names
    assert len(set(names)) == len(names), f"duplicate query names: {names}"
    for q in queries:
        code = "\n".join(line for line in q.cypher.splitlines() if not line.lstrip().startswith("//"))
        assert code.endswith(";") and code.count(";") == 1, f"{q.name!r}: one statement ending in ';'"
        assert set(q.used) == set(q.declared), (
            f"{q.name!r}: parameters used {sorted(q.used)} but declared with :param {sorted(q.declared)}"
        )
        for banned in ("elementId(", "datetime(", "=~", "EXISTS {", "EXISTS{"):
            assert banned not in code, f"{q.name!r} uses {banned!r}, outside the portable Cypher subset"
        assert not re.search(r"\[[^\]]*:\w+\|:", code), f"{q.name!r}: write type unions as [:A|B]"


def test_saved_queries_lint_clean() -> None:
    queries = saved_queries()
    labels, rel_types = _graph_vocabulary()
    result = run_linter(
        [{"name": q.name, "query": q.cypher, "params": list(q.used)} for q in queries],
        labels,
        rel_types,
        PROPERTY_KEYS,
    )
    sources = {q.name: q.cypher for q in queries}
    assert result["errors"] == [], "Neo4j rejects saved queries:\n" + _report(result["errors"], sources)
    assert result["warnings"] == [], "Neo4j warns about saved queries:\n" + _report(
        result["warnings"], sources
    )


# --- (c) every statement the Neo4j backend emits ----------------------------------------------------------


def _api_statements() -> list[tuple[str, str, dict[str, Any]]]:
    """The API's own read queries (kg/graph/queries.py) run on either backend too."""
    from kg.graph import item_queries, queries

    one = {"id": "Part:x", "limit": 10, "records": ["csv-loader"]}
    many = {"ids": ["Part:x"], "records": None}
    return [
        ("api:alternatives", queries.alternatives(), one),
        ("api:suppliers_of", queries.suppliers_of(), many),
        ("api:fits_as_alternative", queries.fits_as_alternative(), one),
        ("api:where_used", queries.where_used(), one),
        ("api:bom", queries.bom(), one),
        ("api:documents_by_id", queries.documents_by_id(), many),
        ("api:work_order_events", queries.work_order_events(), one),
        ("api:entities_in_spans", queries.entities_in_spans(),
         {"spans": [{"key": "k", "doc": "d", "start": 0, "end": 5}]}),
        ("api:entity_refs", queries.entity_refs(), many),
        ("api:supply_network", queries.supply_network(),
         {"types": list(queries.SUPPLY_RELATIONS), "limit": 10, "records": None}),
        ("api:audit_candidates", queries.audit_candidates(), {"label": "Supplier", "limit": 10}),
        # question answering's reads (issue #11)
        ("api:site_scope", queries.site_scope(), {"id": "Site:x", "records": ["csv-loader"]}),
        ("api:located_at", item_queries.located_at(), {"id": "Equipment:x", "records": ["csv-loader"]}),
        ("api:made_of", item_queries.made_of(), many),
        ("api:mitigations", item_queries.mitigations(), many),
        ("api:fitted_in", item_queries.fitted_in(), many),
        ("api:makers_of", item_queries.makers_of(), many),
        ("api:document_fmea_lines", item_queries.document_fmea_lines(), {"doc": "fmea.xlsx#1"}),
        ("api:document_entity_ids", item_queries.document_entity_ids(), {"doc": "fmea.xlsx#1"}),
        ("api:all_work_order_rows", queries.all_work_order_rows(), {"limit": 10}),
        ("api:all_documents", queries.all_documents(), {"limit": 10}),
        ("api:documents_numbered", queries.documents_numbered(), {"keys": ["NCR2025019"], "limit": 10}),
        ("api:mode_origins", queries.mode_origins(), many),
        ("api:documents_mentioning", queries.documents_mentioning(), {"ids": ["Site:x"]}),
        ("api:multi_source_items", queries.multi_source_items(), {"limit": 10, "records": None}),
        ("api:document_contents", queries.document_contents(), {"id": "d.txt#1", "limit": 10}),
        ("api:chunks_in_document", queries.chunks_in_document(), {"ids": ["Part:x"], "doc": "d", "limit": 5}),
        ("api:recorded_entities", queries.recorded_entities(),
         {"label": "Supplier", "records": ["csv-loader"], "limit": 10}),
        ("api:failure_mode_ratings", queries.failure_mode_ratings(), {"records": ["csv-loader"]}),
        ("api:supply_pairs", queries.supply_pairs(), {"records": ["csv-loader"]}),
        ("api:equipment_parents", queries.equipment_parents(), {"records": ["csv-loader"]}),
        ("api:all_failure_chains", queries.all_failure_chains(), {"records": None, "limit": 10}),
        ("api:mode_consequences", queries.mode_consequences(), {"ids": ["x"], "records": ["csv-loader"]}),
        ("api:bom_lines", queries.bom_lines(), {"records": ["csv-loader"], "limit": 10, "items": None}),
        ("api:organisations", queries.organisations(), {"labels": ["Supplier"]}),
    ]  # fmt: skip


@pytest.fixture(scope="module")
def emitted() -> tuple[list[tuple[str, str, dict[str, Any]]], dict[str, Any]]:
    """(name, cypher, example_params) of every Neo4j backend statement, and the linter's verdict on them."""
    try:
        from kg.store.neo4j_store import emitted_statements
        from ontology import load_ontology
    except ImportError as e:
        pytest.fail(
            f"cannot import emitted_statements/load_ontology ({e}); the Neo4j backend must list the "
            "statements it emits as kg.store.neo4j_store.emitted_statements(schema)",
            pytrace=False,
        )

    schema = load_ontology().graph_schema()
    statements = list(emitted_statements(schema))
    statements += _api_statements()
    labels = [*schema.labels, *STORE_LABELS]
    props = set(PROPERTY_KEYS)
    for _, _, params in statements:
        for value in params.values():
            if isinstance(value, Mapping):
                props.update(str(k) for k in value)
    result = run_linter(
        [{"name": name, "query": cypher, "params": dict(params)} for name, cypher, params in statements],
        labels,
        schema.all_relationship_types,
        props,
    )
    return statements, result


def test_emitted_statements_are_listed(emitted: tuple[list[tuple[str, str, dict[str, Any]]], Any]) -> None:
    statements, _ = emitted
    assert statements, "emitted_statements() returned nothing"
    names = [name for name, _, _ in statements]
    assert len(set(names)) == len(names), f"duplicate statement names: {names}"
    for name, cypher, params in statements:
        assert isinstance(name, str) and isinstance(cypher, str) and cypher.strip(), name
        assert isinstance(params, Mapping), f"{name}: example params must be a dict"


def test_emitted_statements_lint_clean(emitted: tuple[list[tuple[str, str, dict[str, Any]]], Any]) -> None:
    statements, result = emitted
    sources = {name: cypher for name, cypher, _ in statements}
    assert result["errors"] == [], "Neo4j rejects statements the backend emits:\n" + _report(
        result["errors"], sources
    )


def test_emitted_statements_use_known_vocabulary_and_no_deprecated_syntax(
    emitted: tuple[list[tuple[str, str, dict[str, Any]]], Any],
) -> None:
    statements, result = emitted
    sources = {name: cypher for name, cypher, _ in statements}
    bad = [
        w
        for w in result["warnings"]
        if w.get("deprecated")
        or "deprecated" in w["message"]
        or "is not present in the database" in w["message"]
    ]
    assert bad == [], "Unknown labels/types or deprecated syntax in emitted statements:\n" + _report(
        bad, sources
    )
