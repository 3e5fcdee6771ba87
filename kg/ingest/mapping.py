"""From extractor labels to ontology facts: refine entity classes and turn relations into typed edges.

The default extractor speaks the corpora's coarse labels; the graph speaks the ontology's classes:

- ``PhysicalObject`` → ``Equipment`` when it looks like equipment (a tag such as ``LDS-P-101``, or a head
  noun such as pump, compressor, press, conveyor, motor), else ``Part``.
- ``Organization`` → ``Manufacturer`` when the text says it made something (``manufacturedBy``), else
  ``Supplier`` (supplier documents are about who supplies what).
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
"""

from __future__ import annotations

import re

_HEADS = """
    pump compressor motor engine press conveyor lathe mill machine centre center gearbox turbine fan
    blower boiler chiller crane hoist robot furnace oven kiln mixer extruder generator transformer
    excavator truck loader dozer forklift vehicle tank vessel reactor separator cyclone crusher
    screen feeder dryer cooler heater exchanger unit station line cell skid drive spindle
"""
EQUIPMENT_HEADS = frozenset(_HEADS.split())
_TAG = re.compile(r"^[A-Z]{2,5}[-_ ]?[A-Z]{0,4}[-_ ]?\d{1,5}(?:[-_][A-Z0-9]{1,4})*$")
_WORD = re.compile(r"[A-Za-z]+")

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


def refine_label(label: str, text: str, *, manufactured: bool = False) -> str:
    """The ontology class for an extractor label (see the module doc)."""
    if label == "PhysicalObject":
        if looks_like_tag(text):
            return "Equipment"
        words = [w.lower() for w in _WORD.findall(text)]
        return "Equipment" if words and words[-1] in EQUIPMENT_HEADS else "Part"
    if label == "Organization":
        return "Manufacturer" if manufactured else "Supplier"
    return label


def graph_relation(relation: str, head_label: str) -> tuple[str, bool] | None:
    """``(graph type, reversed)`` for an extractor relation whose head has class ``head_label``."""
    return RELATIONS.get((relation, head_label)) or RELATIONS.get((relation, "*"))
