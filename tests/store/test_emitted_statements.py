"""Every Cypher builder must be in the list CI lints with Neo4j's parser, or it could ship unlinted."""

from __future__ import annotations

import inspect

import pytest

from kg.core.graph_schema import GraphSchema
from kg.store import cypher, neo4j_store, writes


@pytest.mark.parametrize("module", [cypher, writes], ids=["cypher", "writes"])
def test_every_builder_is_linted(schema: GraphSchema, module: object) -> None:
    emitted = {q for _, q, _ in neo4j_store.emitted_statements(schema)}
    source = inspect.getsource(neo4j_store.emitted_statements)
    builders = [
        (name, fn)
        for name, fn in inspect.getmembers(module, inspect.isfunction)
        if fn.__module__ == module.__name__ and not name.startswith("_") and name not in cypher.FRAGMENTS  # type: ignore[attr-defined]
    ]
    assert len(builders) > 10
    planned = {"merge_nodes", "merge_edges", "merge_edge_evidence"}  # per label/type, via plan_upsert
    for name, fn in builders:
        if inspect.signature(fn).parameters:
            assert f"cypher.{name}(" in source or name in planned, name
        elif name == "delete_document_steps":
            assert set(fn()) <= emitted
        else:
            assert fn() in emitted, f"{name}() is not in neo4j_store.emitted_statements()"


def test_every_statement_has_the_parameters_it_uses(schema: GraphSchema) -> None:
    import re

    for name, query, params in neo4j_store.emitted_statements(schema):
        used = set(re.findall(r"\$(\w+)", query))
        assert used <= set(params), f"{name}: uses {used - set(params)} without example values"
