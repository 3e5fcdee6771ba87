"""Turn FMEA rows into failure modes, causes, effects and activities; see :mod:`kg.tables.structured`."""

from __future__ import annotations

from collections.abc import Mapping

from kg.core.facts import Evidence, PropertyValue
from kg.core.keys import normalise_part_number
from kg.tables.csv_table import RowProblem
from kg.tables.merge import CODE_PROPERTY, RATINGS, FactCollector, coded_node


def fmea_row_facts(f: FactCollector, c: dict[str, str], ev: Evidence, labels: Mapping[str, str]) -> None:
    item_code, mode_text = c["item"], c["failure_mode"]
    item = coded_node(f, _item_label(c, labels), item_code, ev)
    ratings: dict[str, PropertyValue] = {**_ratings(c)}
    extra = {k: c[k] for k in ("failure_mode_code", "function") if c.get(k)}
    mode = f.node("FailureMode", mode_text, ev, f"{item_code}/{mode_text}", **extra, **ratings)
    f.edge(item, "HAS_FAILURE_MODE", mode, ev, **ratings)
    anchor = mode
    if c.get("cause"):
        anchor = f.node("FailureCause", c["cause"], ev, f"{item_code}/{mode_text}/{c['cause']}")
        f.edge(anchor, "CAUSES", mode, ev, **ratings)
    if c.get("effect"):
        effect = f.node("FailureEffect", c["effect"], ev, f"{item_code}/{mode_text}/{c['effect']}")
        f.edge(mode, "CAUSES", effect, ev, **{k: v for k, v in ratings.items() if k == "severity"})
    if c.get("leads_to_failure_mode"):
        nxt = c["leads_to_failure_mode"]
        if normalise_part_number(nxt) == normalise_part_number(mode_text):
            raise RowProblem(
                "leads_to_failure_mode names the row's own mode; clear it", "leads_to_failure_mode"
            )
        f.edge(mode, "CAUSES", f.node("FailureMode", nxt, ev, f"{item_code}/{nxt}"), ev)
    for column, relation in (("detection_method", "DETECTED_BY"), ("recommended_action", "MITIGATED_BY")):
        if c.get(column):
            activity = f.node("MaintenanceActivity", c[column], ev)
            f.edge(anchor, relation, activity, ev)
            f.edge(activity, "PERFORMED_ON", item, ev)


def _item_label(c: dict[str, str], labels: Mapping[str, str]) -> str:
    given = c.get("item_type", "")
    if given:
        match = next((label for label in CODE_PROPERTY if label.casefold() == given.casefold()), None)
        if match is None:
            raise RowProblem(f"item_type {given!r} must be Equipment or Part", "item_type")
        return match
    return labels.get(normalise_part_number(c["item"]), "Equipment")


def _rating(column: str, value: str, high: int) -> int:
    if not value.isdigit() or not 1 <= int(value) <= high:
        raise RowProblem(f"{column} {value!r} must be a whole number from 1 to {high}", column)
    return int(value)


def _ratings(c: dict[str, str]) -> dict[str, int]:
    out = {k: _rating(k, c[k], 10) for k in RATINGS if c.get(k)}
    if c.get("rpn"):
        out["rpn"] = _rating("rpn", c["rpn"], 1000)
    if all(k in out for k in RATINGS):
        product = out["severity"] * out["occurrence"] * out["detection"]
        if out.setdefault("rpn", product) != product:
            raise RowProblem(
                f"rpn {out['rpn']} is not severity x occurrence x detection = {product}; "
                "correct the rpn or the ratings",
                "rpn",
            )
    return out


def known_item_labels(facts: FactCollector) -> dict[str, str]:
    """Normalised tag/part number -> label, Equipment first so a tag wins over an equal part number."""
    labels: dict[str, str] = {}
    for label in ("Equipment", "Part"):
        for node in facts.nodes.values():
            if node.label == label and node.key:
                labels.setdefault(normalise_part_number(node.key), label)
    return labels
