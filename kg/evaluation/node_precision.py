"""Node precision per class on the graph users get: every node of the judged classes is right when a table
creates it (a register or BOM is the user's own record) or when a person judged it right
(``bench/judgements/nodes.jsonl``, see its README); nodes nobody judged are counted and listed apart.

Example:
    >>> judged = {("Supplier", "SKF Group"): True, ("Supplier", "Katrin Vogel"): False}
    >>> c = score_nodes([("Supplier", "SKF Group", False), ("Supplier", "Katrin Vogel", False),
    ...     ("Supplier", "Acme Ltd", False), ("Supplier", "ERIKS", True)], judged)["Supplier"]
    >>> c["nodes"], c["right"], c["wrong"], c["precision"], c["wrong_names"], c["unjudged_names"]
    (4, 2, 1, 66.7, ['Katrin Vogel'], ['Acme Ltd'])
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from pathlib import Path
from typing import Any

from kg.graph.knowledge_graph import KnowledgeGraph

#: the classes whose precision issue #10 targets
JUDGED_CLASSES = ("Supplier", "Manufacturer", "Part", "Product", "FailureMode")
#: the extractor name table loaders put on their evidence
TABLE_EXTRACTORS = ("csv-loader",)


def load_judgements(path: Path) -> dict[tuple[str, str], bool]:
    """``{(class, name): right}`` from a judgements file (JSON lines with label, name, verdict)."""
    out: dict[tuple[str, str], bool] = {}
    for n, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
        if not line.strip():
            continue
        row = json.loads(line)
        if row.get("verdict") not in ("right", "wrong"):
            raise ValueError(f"{path}:{n}: verdict must be 'right' or 'wrong', got {row.get('verdict')!r}")
        out[(row["label"], row["name"])] = row["verdict"] == "right"
    return out


def graph_nodes(kg: KnowledgeGraph, classes: Iterable[str] = JUDGED_CLASSES) -> list[tuple[str, str, bool]]:
    """``(class, name, from a table)`` for every node of ``classes``."""
    out = []
    for label in classes:
        rows = kg.store.read(f"MATCH (n:{label}) RETURN n.name AS name, n.extractors AS extractors")
        for row in rows:
            extractors = [str(e) for e in row["extractors"] or []]
            out.append((label, row["name"], any(x.startswith(TABLE_EXTRACTORS) for x in extractors)))
    return out


def score_nodes(
    nodes: Iterable[tuple[str, str, bool]], judged: dict[tuple[str, str], bool]
) -> dict[str, dict[str, Any]]:
    """Per class: nodes, right, wrong, unjudged, precision over the judged (%), the wrong names (what to
    work on) and the unjudged ones (what to judge)."""
    out: dict[str, dict[str, Any]] = {}
    for label, name, from_table in nodes:
        c = out.setdefault(
            label,
            {"nodes": 0, "right": 0, "wrong": 0, "unjudged": 0, "wrong_names": [], "unjudged_names": []},
        )
        c["nodes"] += 1
        verdict = True if from_table else judged.get((label, name))
        if verdict is None:
            c["unjudged"] += 1
            c["unjudged_names"].append(name)
        else:
            c["right" if verdict else "wrong"] += 1
            if not verdict:
                c["wrong_names"].append(name)
    for c in out.values():
        judged_n = c["right"] + c["wrong"]
        c["precision"] = round(100 * c["right"] / judged_n, 1) if judged_n else None
        c["wrong_names"] = sorted(c.pop("wrong_names"))
        c["unjudged_names"] = c.pop("unjudged_names")
    return out
