"""Organisations across labels: which Supplier, Manufacturer and Organization entities are one company,
and which Supplier account a brand stands for.

Resolution never merges across labels, so "SKF" the manufacturer and "SKF Group" the supplier stay two
nodes; these look-ups relate them through their canonical keys. They read the resolver's label indexes.

Example:
    >>> from kg.ingest.resolve.label_index import KnownEntity, LabelIndex
    >>> suppliers = LabelIndex("Supplier")
    >>> _ = suppliers.add(KnownEntity("Supplier:parker hannifin", "Supplier", "Parker Hannifin Corp."))
    >>> supplier_account({"Supplier": suppliers}, "Manufacturer:parker")
    'Supplier:parker hannifin'
"""

from __future__ import annotations

from collections.abc import Mapping

from kg.ingest.resolve.canonical_keys import RELATED_LABELS, canonical_key
from kg.ingest.resolve.label_index import LabelIndex


def organization_keys(indexes: Mapping[str, LabelIndex], entity_id: str) -> set[str]:
    """Canonical keys of an organisation id: every key of the indexed entity, else its id's key; empty
    for an id of another label."""
    label, _, key = entity_id.partition(":")
    if label not in RELATED_LABELS or not key:
        return set()
    idx = indexes.get(label)
    if idx is not None and entity_id in idx.by_id:
        return set(idx.entities[idx.by_id[entity_id]].keys)
    return {canonical_key(label, key)}


def related_ids(indexes: Mapping[str, LabelIndex], entity_id: str) -> list[str]:
    """Ids of entities of the other organisation labels with a canonical key in common, sorted."""
    label = entity_id.split(":", 1)[0]
    keys = organization_keys(indexes, entity_id)
    found = {
        idx.entities[idx.by_key[k]].id
        for other, idx in indexes.items()
        if other in RELATED_LABELS and other != label
        for k in keys
        if k in idx.by_key
    }
    return sorted(found)


def supplier_account(indexes: Mapping[str, LabelIndex], entity_id: str) -> str | None:
    """The one known Supplier whose organisation key is the brand's or begins with it; None when there is
    none or more than one."""
    idx = indexes.get("Supplier")
    brands = organization_keys(indexes, entity_id)
    if idx is None or not brands:
        return None
    found = {
        idx.entities[i].id
        for key, i in idx.by_key.items()
        for brand in brands
        if key == brand or key.startswith(brand + " ")
    }
    return found.pop() if len(found) == 1 else None


def same_organization(indexes: Mapping[str, LabelIndex], a_id: str, b_id: str) -> bool:
    """Whether two organisation ids share a canonical key."""
    return bool(organization_keys(indexes, a_id) & organization_keys(indexes, b_id))
