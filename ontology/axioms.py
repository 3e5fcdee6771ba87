"""Closed-world reading of the OWL axioms that constrain relationships.

OWL itself is open-world: a domain axiom lets a reasoner *infer* a type, it never rejects a fact. The graph
needs the opposite, a gate for extracted facts, so here a fact ``(s, p, o)`` between node labels is allowed
iff

- ``s`` is-a every ``rdfs:domain`` of ``p`` and ``o`` is-a every ``rdfs:range`` of ``p``;
- for every ``owl:allValuesFrom`` restriction on ``p`` attached (``rdfs:subClassOf``) to ``s`` or one of
  its ancestors, ``o`` is-a the restriction's filler;
- when ``p`` is symmetric, the same holds for ``(o, p, s)``; when ``p`` has an ``owl:inverseOf`` ``q``,
  the same holds for ``(o, q, s)`` (both are entailed by the fact in OWL).

Class expressions may be named ``mfg:`` classes or ``owl:unionOf`` lists of them (nested unions are fine).
Anything else (intersections, complements, foreign classes) is refused with an :class:`OntologyError`
rather than silently misread. ``owl:someValuesFrom`` restrictions are existence claims and do not gate.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass

from rdflib import Graph, URIRef
from rdflib.collection import Collection
from rdflib.namespace import OWL, RDFS
from rdflib.term import Node

from kg.core.errors import OntologyError
from ontology._vocab import is_mfg, local_name

#: A union of named classes, by local name.
ClassExpr = frozenset[str]


@dataclass(frozen=True)
class PropertyAxioms:
    """What constrains one object property: all domains and ranges must hold, and applicable restrictions."""

    domains: tuple[ClassExpr, ...] = ()
    ranges: tuple[ClassExpr, ...] = ()
    #: (class the restriction is attached to, allowed object classes)
    restrictions: tuple[tuple[str, ClassExpr], ...] = ()


def class_expression(graph: Graph, node: Node, where: str) -> ClassExpr:
    """Read a named class or an ``owl:unionOf`` of them as a set of local names.

    Raises:
        OntologyError: the expression uses a construct the closed-world check cannot evaluate.
    """
    if isinstance(node, URIRef):
        if not is_mfg(node):
            raise OntologyError(
                f"{where} refers to {node}, which is not a class of this ontology. Use an mfg: class "
                "(align with outside vocabularies through skos:closeMatch instead)."
            )
        return frozenset({local_name(node)})
    members = graph.value(node, OWL.unionOf)
    if members is None:
        raise OntologyError(
            f"{where} uses a class expression other than a named class or owl:unionOf; the graph's "
            "closed-world check cannot evaluate it. Rewrite it as a union of named classes."
        )
    out: set[str] = set()
    for member in Collection(graph, members):
        out |= class_expression(graph, member, where)
    return frozenset(out)


def ancestors(graph: Graph, cls: URIRef) -> tuple[str, ...]:
    """Named ``mfg:`` superclasses of ``cls``, nearest first (breadth-first over ``rdfs:subClassOf``)."""
    seen: list[str] = []
    frontier = [cls]
    while frontier:
        following: list[URIRef] = []
        for node in frontier:
            for parent in sorted(graph.objects(node, RDFS.subClassOf), key=str):
                if isinstance(parent, URIRef) and is_mfg(parent) and parent != cls:
                    name = local_name(parent)
                    if name not in seen:
                        seen.append(name)
                        following.append(parent)
        frontier = following
    return tuple(seen)


def property_axioms(graph: Graph, prop: URIRef) -> PropertyAxioms:
    """Collect domains, ranges and ``owl:allValuesFrom`` restrictions of one object property."""
    name = local_name(prop)
    domains = tuple(
        class_expression(graph, d, f"rdfs:domain of {name}") for d in graph.objects(prop, RDFS.domain)
    )
    ranges = tuple(
        class_expression(graph, r, f"rdfs:range of {name}") for r in graph.objects(prop, RDFS.range)
    )
    restrictions: list[tuple[str, ClassExpr]] = []
    for restriction in graph.subjects(OWL.onProperty, prop):
        filler = graph.value(restriction, OWL.allValuesFrom)
        if filler is None:
            continue
        for owner in graph.subjects(RDFS.subClassOf, restriction):
            if isinstance(owner, URIRef) and is_mfg(owner):
                where = f"owl:allValuesFrom restriction on {name} of {local_name(owner)}"
                restrictions.append((local_name(owner), class_expression(graph, filler, where)))
    return PropertyAxioms(domains, ranges, tuple(sorted(restrictions, key=lambda r: (r[0], sorted(r[1])))))


class ClosedWorld:
    """Evaluates facts between node labels under the closed-world reading described in the module doc.

    Example:
        >>> world = ClosedWorld({"Supplier": ("Organization",), "Organization": ()})
        >>> world.is_a("Supplier", frozenset({"Organization"}))
        True
    """

    def __init__(self, ancestors_of: Mapping[str, tuple[str, ...]]):
        self._ancestors = dict(ancestors_of)

    def is_a(self, label: str, expr: ClassExpr) -> bool:
        """True when ``label`` is one of the classes of ``expr`` or a subclass of one."""
        return label in expr or any(a in expr for a in self._ancestors.get(label, ()))

    def allows(self, axioms: PropertyAxioms, subject: str, obj: str) -> bool:
        """Check one direction of one property: domains, ranges and restrictions that apply to ``subject``."""
        return (
            all(self.is_a(subject, d) for d in axioms.domains)
            and all(self.is_a(obj, r) for r in axioms.ranges)
            and all(
                self.is_a(obj, filler)
                for owner, filler in axioms.restrictions
                if self.is_a(subject, frozenset({owner}))
            )
        )

    def pairs(
        self,
        labels: Iterable[str],
        axioms: PropertyAxioms,
        *,
        symmetric: bool = False,
        inverse: PropertyAxioms | None = None,
    ) -> frozenset[tuple[str, str]]:
        """Every (subject, object) pair of ``labels`` the property allows, entailed directions included."""
        names = sorted(labels)
        out = set()
        for s in names:
            for o in names:
                if not self.allows(axioms, s, o):
                    continue
                if symmetric and not self.allows(axioms, o, s):
                    continue
                if inverse is not None and not self.allows(inverse, o, s):
                    continue
                out.add((s, o))
        return frozenset(out)
