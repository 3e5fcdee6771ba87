"""The tools a question can be routed to: each wraps an analyst endpoint and returns facts.

A tool declares the entities it needs (slots, with the ontology classes each accepts), example questions
for the embedding router, and a few high-precision keyword rules. Its result is a :class:`ToolOutput`: the
entities that answer, the facts behind them (triples the explainer may use and the grounding check
compares against), and the ids to cite.

- :mod:`~kg.qa.tools.base`: :class:`Tool`, :class:`Slot`, :class:`ToolOutput` and answer phrasing;
- :mod:`~kg.qa.tools.answer_facts`: :class:`FactList`, the builder every tool turns its rows into facts with;
- :mod:`~kg.qa.tools.supply`, :mod:`~kg.qa.tools.structure`, :mod:`~kg.qa.tools.reliability`,
  :mod:`~kg.qa.tools.rankings`: the tools by family, each next to its runner;
- :mod:`~kg.qa.tools.registry`: :data:`TOOLS` in routing order and :data:`TOOL_BY_NAME`.

Example:
    >>> [t.name for t in TOOLS][:3]
    ['supplier_impact', 'single_source', 'suppliers_of']
    >>> TOOL_BY_NAME["where_used"].slots[0].labels
    ('Part', 'Equipment', 'Material', 'Product')
"""

from kg.qa.tools.answer_facts import FactList
from kg.qa.tools.base import ASSET, ITEM, SUPPLIER, Runner, Slot, Tool, ToolOutput
from kg.qa.tools.registry import TOOL_BY_NAME, TOOLS
from kg.qa.tools.work_orders import failure_history

__all__ = [
    "ASSET",
    "ITEM",
    "SUPPLIER",
    "TOOLS",
    "TOOL_BY_NAME",
    "FactList",
    "Runner",
    "Slot",
    "Tool",
    "ToolOutput",
    "failure_history",
]
