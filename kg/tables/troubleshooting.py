"""Turn troubleshooting-table rows (symptom | possible cause | remedy) into failure chains.

Equipment manuals, service chapters and quality handbooks state their failure knowledge as a table: each row
a symptom (the failure mode the operator sees), the causes that bring it about and the remedies. A row
gives one FailureMode, a FailureCause per ``;``-separated cause (``cause -CAUSES-> mode``) and a
MaintenanceActivity per ``;``-separated remedy, attached where the row says it belongs:

* one cause: every remedy mitigates that cause; several causes and one remedy: the remedy mitigates each;
* as many remedies as causes: paired in order (``misalignment; imbalance | realign; balance``);
* otherwise the remedies mitigate the symptom (the row does not say which cause each one answers).

The table's scope is its ``item`` column when it has one (then ``item -HAS_FAILURE_MODE-> mode``), else
the document: the same symptom in two manuals gives two nodes, as the same mode on two FMEA items does.
A known tag or part number written in a remedy (else in the causes) is what the remedy is PERFORMED_ON;
one written in the symptom has the failure mode. A trailing remark in brackets ("High vibration (> 4.5
mm/s RMS)") stays in the evidence span, not in the name.

Example:
    >>> from kg.tables.merge import FactCollector
    >>> from kg.core.facts import Evidence
    >>> f = FactCollector()
    >>> ev = Evidence(doc_id="doc:m", start=0, end=9, extractor="t", confidence=1.0)
    >>> troubleshooting_row_facts(f, {"symptom": "High vibration (> 4.5 mm/s)",
    ...     "cause": "Misalignment; impeller imbalance", "remedy": "Realign; clean impeller"}, ev, {})
    >>> sorted((e.type, f.nodes[e.source].name, f.nodes[e.target].name) for e in f.edges.values())[:2]
    [('CAUSES', 'Impeller imbalance', 'High vibration'), ('CAUSES', 'Misalignment', 'High vibration')]
"""

from __future__ import annotations

import re
from collections.abc import Mapping

from kg.core.facts import EdgeFact, Evidence, NodeFact
from kg.core.keys import normalise_part_number
from kg.tables.merge import FactCollector, coded_node

#: a trailing remark in brackets: "(> 4.5 mm/s RMS to ISO 20816)", "(check pump OST-P-201)"
_REMARK = re.compile(r"\s*\([^()]*\)\s*$")
#: Markdown emphasis and code marks around words of a cell
_MARKS = re.compile(r"(\*\*|__|`)")
_TOKEN = re.compile(r"[\w./-]+")


def troubleshooting_row_facts(
    f: FactCollector, c: dict[str, str], ev: Evidence, labels: Mapping[str, str]
) -> None:
    scope = c.get("item") or ev.doc_id
    symptom = _name(c["symptom"])
    mode = f.node("FailureMode", symptom, ev, f"{scope}/{symptom}")
    items = [coded_node(f, _label(c["item"], labels), c["item"], ev)] if c.get("item") else []
    items += [coded_node(f, label, code, ev) for code, label in known_codes(c["symptom"], labels)]
    for item in dict.fromkeys(items):
        f.edge(item, "HAS_FAILURE_MODE", mode, ev)
    causes = [f.node("FailureCause", text, ev, f"{scope}/{text}") for text in _parts(c.get("cause", ""))]
    for cause in causes:
        f.edge(cause, "CAUSES", mode, ev)
    remedies = [f.node("MaintenanceActivity", text, ev) for text in _parts(c.get("remedy", ""))]
    for anchor, activity in _mitigations(mode, causes, remedies):
        f.edge(anchor, "MITIGATED_BY", activity, ev)
    on = known_codes(c.get("remedy", ""), labels) or known_codes(c.get("cause", ""), labels)
    targets = [coded_node(f, label, code, ev) for code, label in on] or items
    for activity in remedies:
        for target in targets:
            f.edge(activity, "PERFORMED_ON", target, ev)


def _mitigations(mode: str, causes: list[str], remedies: list[str]) -> list[tuple[str, str]]:
    """(what is mitigated, the remedy) pairs, by the rules of the module docstring."""
    if len(causes) == 1 or (causes and len(remedies) == 1):
        return [(cause, remedy) for cause in causes for remedy in remedies]
    if causes and len(causes) == len(remedies):
        return list(zip(causes, remedies, strict=True))
    return [(mode, remedy) for remedy in remedies]


def _parts(cell: str) -> list[str]:
    """A cell's ``;``-separated entries as names, first letter raised ("pump ran dry" -> "Pump ran dry")."""
    names = [_name(p) for p in cell.split(";")]
    return list(dict.fromkeys(n[:1].upper() + n[1:] for n in names if n))


def _name(cell: str) -> str:
    text = " ".join(_MARKS.sub("", cell).split()).strip(" .")
    bare = _REMARK.sub("", text)
    return bare if bare else text


def known_codes(cell: str, labels: Mapping[str, str]) -> list[tuple[str, str]]:
    """The known tags and part numbers written in ``cell`` (as written, with their label), in order.

    Example:
        >>> known_codes("Replace seal JC-T2100-35", {"jct210035": "Part"})
        [('JC-T2100-35', 'Part')]
        >>> known_codes("Maintenance instructions MI-OST-P-201", {"ostp201": "Equipment"})
        [('OST-P-201', 'Equipment')]
    """
    out: dict[str, str] = {}
    for token in _TOKEN.findall(_MARKS.sub("", cell)):
        token = token.strip("./-")
        # a tag inside a document number ("MI-OST-P-201": the maintenance instruction of OST-P-201)
        for code in (token, *(token[i + 1 :] for i, ch in enumerate(token) if ch == "-")):
            label = labels.get(normalise_part_number(code)) if any(ch.isdigit() for ch in code) else None
            if label is not None:
                out.setdefault(code, label)
                break
    return list(out.items())


def _label(code: str, labels: Mapping[str, str]) -> str:
    return labels.get(normalise_part_number(code), "Equipment")


def subject_failure_modes(
    nodes: list[NodeFact], edges: list[EdgeFact], title: str, labels: Mapping[str, str]
) -> FactCollector:
    """``equipment -HAS_FAILURE_MODE-> mode`` for each failure mode of a troubleshooting table that names no
    item, where the document's title names known equipment ("Maintenance Manual — Coolant Pumps LDS-P-101
    and LDS-P-102"): a manual's troubleshooting table is about the machines it is the manual of. The edge's
    evidence is the mode's row.

    Example:
        >>> from kg.core.facts import Evidence
        >>> ev = Evidence(doc_id="doc:m", start=0, end=9, extractor="t", confidence=1.0)
        >>> mode = NodeFact(label="FailureMode", name="Leak", key="doc:m/Leak", evidence=[ev])
        >>> f = subject_failure_modes([mode], [], "Pump LDS-P-101", {"ldsp101": "Equipment"})
        >>> [(f.nodes[e.source].name, e.type) for e in f.edges.values()]
        [('LDS-P-101', 'HAS_FAILURE_MODE')]
    """
    f = FactCollector()
    subjects = [code for code, label in known_codes(title, labels) if label == "Equipment"]
    placed = {e.target for e in edges if e.type == "HAS_FAILURE_MODE"}
    for mode in (n for n in nodes if n.label == "FailureMode" and n.id not in placed):
        for code in subjects:
            ev = mode.evidence[0]
            f.edge(coded_node(f, "Equipment", code, ev), "HAS_FAILURE_MODE", mode.id, ev)
    return f
