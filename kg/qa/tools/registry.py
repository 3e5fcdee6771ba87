"""Every tool a question can be routed to, in routing order, and the same by name.

The order matters: the router breaks ties between equally scored tools by it (and lists alternatives in
it), so the specific tools come before the general ``entity_detail``.

Example:
    >>> [t.name for t in TOOLS][-2:], TOOL_BY_NAME["bom"].title
    (['concentration', 'entity_detail'], 'Bill of materials')
"""

from __future__ import annotations

from kg.qa.tools.base import Tool
from kg.qa.tools.document_contents import DOCUMENT_CONTENTS
from kg.qa.tools.documents import DOCUMENTS
from kg.qa.tools.materials import MATERIALS
from kg.qa.tools.rankings import CONCENTRATION, CRITICALITY, RANKING
from kg.qa.tools.reliability import FAILURE_CHAINS
from kg.qa.tools.shapes import COUNTING, DECLINE, ENTITIES
from kg.qa.tools.sourcing import ALTERNATIVES, SUPPLIERS_OF
from kg.qa.tools.structure import BOM, ENTITY_DETAIL, SHORTEST_PATH, WHERE_USED
from kg.qa.tools.supply import SINGLE_SOURCE, SUPPLIER_IMPACT
from kg.qa.tools.work_orders import FAILURE_HISTORY

TOOLS: tuple[Tool, ...] = (
    DECLINE,  # question shapes first: their rules win (Tool.shape), in this order
    COUNTING,
    DOCUMENTS,
    RANKING,
    SUPPLIER_IMPACT,
    SINGLE_SOURCE,
    SUPPLIERS_OF,
    ALTERNATIVES,
    WHERE_USED,
    MATERIALS,
    BOM,
    FAILURE_CHAINS,
    FAILURE_HISTORY,
    SHORTEST_PATH,
    CRITICALITY,
    CONCENTRATION,
    DOCUMENT_CONTENTS,  # only when a question names a document by its number (the service picks it)
    ENTITIES,
    ENTITY_DETAIL,
)

TOOL_BY_NAME = {t.name: t for t in TOOLS}
