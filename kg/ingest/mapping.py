"""From extractor labels to ontology facts: refine entity classes and turn relations into typed edges.

The default extractor speaks the corpora's coarse labels; the graph speaks the ontology's classes:

- ``PhysicalObject`` → ``Equipment`` when it looks like equipment (a tag such as ``LDS-P-101``, or a head
  noun such as pump, compressor, press, conveyor, motor), else ``Part``.
- ``Organization`` → ``Manufacturer`` when the text says it made something (``manufacturedBy``, "made by X",
  "X (manufacturer)"), ``Supplier`` when it says it sells or delivers something (``suppliedBy``/``provides``,
  "supplier: X", "ordered from X"), else it stays an ``Organization``: a name alone says nothing of a role,
  and the letterheads, signatures and agencies of prose are no suppliers. (Ingestion then looks such an
  organisation up among the known suppliers and manufacturers, so "Parker" still joins Parker Hannifin.)
- Relations, as (head, extractor relation, tail) → graph edge:

  ================================  ===========================================
  hasPart(object, object)           object ``HAS_PART`` object
  hasPatient(activity, object)      activity ``PERFORMED_ON`` object
  hasPatient(failure mode, object)  object ``HAS_FAILURE_MODE`` failure mode
  hasProperty(x, property)          x ``HAS_PROPERTY`` property
  suppliedBy(x, organization)       x ``SUPPLIED_BY`` supplier
  provides(organization, x)         x ``SUPPLIED_BY`` supplier
  manufacturedBy(x, organization)   x ``MANUFACTURED_BY`` manufacturer
  madeOf(x, material)               x ``MADE_OF`` material
  hasFailureMode(object, mode)      object ``HAS_FAILURE_MODE`` mode
  causes(cause or mode, mode/eff.)  cause ``CAUSES`` mode or effect
  mitigatedBy(mode or cause, act.)  mode ``MITIGATED_BY`` activity
  performedOn(activity, object)     activity ``PERFORMED_ON`` object
  locatedAt(x, site)                x ``LOCATED_AT`` site
  ================================  ===========================================

  Anything else (e.g. ``hasAgent``: who did the work) is not a graph fact and is left out. Whether the
  ontology allows the resulting edge (domain/range) is checked later, by the caller, against the ontology.

Example:
    >>> refine_label("PhysicalObject", "coolant supply pump"), refine_label("PhysicalObject", "mech seal")
    ('Equipment', 'Part')
    >>> refine_label("PhysicalObject", "pump A10VSO 45"), refine_label("PhysicalObject", "seal kit PHSK320")
    ('Equipment', 'Part')
    >>> refine_label("Product", "chiller"), refine_label("Product", "Grundfos CR pump")
    ('Equipment', 'Product')
    >>> refine_label("PhysicalObject", "PV046 series"), refine_label("PhysicalObject", "pump series")
    ('Product', 'Part')
"""

from __future__ import annotations

import re

_HEADS = """
    pump compressor motor engine press conveyor lathe mill machine centre center gearbox turbine fan
    blower boiler chiller crane hoist robot furnace oven kiln mixer extruder generator transformer
    excavator truck loader dozer forklift vehicle tank vessel reactor separator cyclone crusher
    screen feeder dryer cooler heater exchanger unit station line cell skid drive spindle bench loop plc
"""
EQUIPMENT_HEADS = frozenset(_HEADS.split())
_TAG = re.compile(r"^[A-Z]{2,5}[-_ ]?[A-Z]{0,4}[-_ ]?\d{1,5}(?:[-_][A-Z0-9]{1,4})*$")
_WORD = re.compile(r"[A-Za-z]+")
#: a model designation and "series": "PV046 series", "A10VSO series", "Series 45"
_PRODUCT_LINE = re.compile(r"^(?:(?=\S*[A-Za-z])(?=\S*\d)\S+\s+series|[Ss]eries\s+\S*\d\S*)$")

RELATIONS: dict[tuple[str, str], tuple[str, bool]] = {
    # (extractor relation, head's refined class family) -> (graph type, reversed?)
    ("hasPart", "*"): ("HAS_PART", False),
    ("hasPatient", "MaintenanceActivity"): ("PERFORMED_ON", False),
    ("hasPatient", "FailureMode"): ("HAS_FAILURE_MODE", True),
    ("hasProperty", "*"): ("HAS_PROPERTY", False),
    ("suppliedBy", "*"): ("SUPPLIED_BY", False),
    ("provides", "*"): ("SUPPLIED_BY", True),
    ("manufacturedBy", "*"): ("MANUFACTURED_BY", False),
    ("madeOf", "*"): ("MADE_OF", False),
    # the prose corpus' relations (docs/ANNOTATION.md) name the graph's directly
    ("hasFailureMode", "*"): ("HAS_FAILURE_MODE", False),
    ("causes", "*"): ("CAUSES", False),
    ("mitigatedBy", "*"): ("MITIGATED_BY", False),
    ("performedOn", "*"): ("PERFORMED_ON", False),
    ("locatedAt", "*"): ("LOCATED_AT", False),
}


def looks_like_tag(text: str) -> bool:
    """Equipment tags: ``LDS-P-101``, ``OST-HP-02``, ``P101``, ``CMP-01``."""
    return bool(_TAG.match(text.strip().upper())) and any(c.isdigit() for c in text)


def looks_like_code(text: str) -> bool:
    """Part numbers and tags: every token has a digit or is a short upper-case suffix (``22210 E``,
    ``6205-2RSH``, ``JC-T2100-35``); such names compare without separators and case."""
    tokens = text.split()
    return (
        any(c.isdigit() for c in text)
        and 0 < len(tokens) <= 3
        and all(any(c.isdigit() for c in t) or (len(t) <= 3 and t.isupper()) for t in tokens)
    )


#: words just before an organisation's name that give its role: "supplier: X", "ordered from X", "made by X"
_SUPPLIER_BEFORE = re.compile(
    r"\b(?:supplier|suppliers|distributor|vendor|dealer|stockist|supplied\s+by|purchased\s+from|ordered\s+from|"
    r"bought\s+from|sourced\s+from|sold\s+by|delivered\s+by|procured\s+from|supplier\s+name)\b[\s:,\-–(\"']*$",
    re.IGNORECASE,
)
_MAKER_BEFORE = re.compile(
    r"\b(?:manufacturer|manufactured\s+by|made\s+by|produced\s+by|OEM|maker|brand)\b[\s:,\-–(\"']*$",
    re.IGNORECASE,
)
#: the buying side: "Purchaser: X", "issued for X", "X buys ... from", "X ordered" ("To:" is either side)
_BUYER_BEFORE = re.compile(
    r"(?:\b(?:purchaser|buyer|customer|client|consignee|bill\s+to|ship\s+to|deliver\s+to|sold\s+to|"
    r"issued\s+for|installed\s+at|prepared\s+for)\b)[\s:,\-–(\"']*$",
    re.IGNORECASE,
)
_BUYER_AFTER = re.compile(
    r"^\s*(?:buys|bought|purchases|purchased|orders|ordered|receives|received|placed)\b", re.IGNORECASE
)
_ROLE_AFTER = re.compile(
    r"^[\s,(\-–]*(?:(?:is|as)\s+)?(?:our|the|a|an)?\s*(?:approved\s+|preferred\s+|sole\s+|new\s+)?"
    r"(?P<role>supplier|distributor|vendor|dealer|manufacturer|OEM|maker)\b",
    re.IGNORECASE,
)


def stated_role(before: str, after: str) -> str | None:
    """``"Supplier"`` or ``"Manufacturer"`` when the words around an organisation's name give its role,
    ``"Buyer"`` when they make it the buying side (a purchaser, an addressee: never a supplier).

    Example:
        >>> stated_role("Supplier: ", " s.r.o., Ostrava"), stated_role("bearings made by ", ".")
        ('Supplier', 'Manufacturer')
        >>> stated_role("Purchaser: ", ", Purchasing"), stated_role("clean room. ", " buys the set from")
        ('Buyer', 'Buyer')
        >>> stated_role("Katrin Vogel, ", ", Hose Products Division") is None
        True
    """
    before, after = before[-40:], after[:40]
    if _BUYER_BEFORE.search(before) or _BUYER_AFTER.match(after):
        return "Buyer"
    if _MAKER_BEFORE.search(before):
        return "Manufacturer"
    if _SUPPLIER_BEFORE.search(before):
        return "Supplier"
    found = _ROLE_AFTER.match(after)
    if found is None:
        return None
    sells = found["role"].lower() in ("supplier", "distributor", "vendor", "dealer")
    return "Supplier" if sells else "Manufacturer"


def _names_equipment(text: str) -> bool:
    """The head noun, after any model code ("pump A10VSO 45"), is an equipment noun ("pumps" too)."""
    named = [t for t in text.split() if not any(c.isdigit() for c in t)]
    words = [w.lower() for w in _WORD.findall(" ".join(named) or text)]
    head = words[-1] if words else ""
    singulars = (head, head[:-1] if head.endswith("s") else "", head[:-2] if head.endswith("es") else "")
    return any(h in EQUIPMENT_HEADS for h in singulars if h)


def refine_label(label: str, text: str, *, manufactured: bool = False, supplied: bool = False) -> str:
    """The ontology class for an extractor label (see the module doc). A product named only by a lower-case
    equipment noun ("the chiller") is equipment: a product carries a brand or a model."""
    if label == "PhysicalObject" and _PRODUCT_LINE.match(text):
        return "Product"  # "the PV046 series", "Series 45 pumps": a maker's product line, not one item
    if label == "PhysicalObject":
        return "Equipment" if looks_like_tag(text) or _names_equipment(text) else "Part"
    if label == "Product" and text.islower() and _names_equipment(text):
        return "Equipment"
    if label == "Organization":
        return "Manufacturer" if manufactured else "Supplier" if supplied else "Organization"
    return label


def graph_relation(relation: str, head_label: str) -> tuple[str, bool] | None:
    """``(graph type, reversed)`` for an extractor relation whose head has class ``head_label``."""
    return RELATIONS.get((relation, head_label)) or RELATIONS.get((relation, "*"))
