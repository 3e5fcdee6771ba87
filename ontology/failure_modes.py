"""Failure-mode codes (the ``mfg:FailureModeCodes`` SKOS scheme) and lookup by code or wording."""

from __future__ import annotations

import re
from collections.abc import Iterable

from rdflib import Graph, URIRef
from rdflib.namespace import SKOS

from kg.core.errors import OntologyError
from ontology._vocab import MFG, text, texts
from ontology.records import FailureModeCode

_APOSTROPHES = re.compile(r"['’`]")
_NON_WORD = re.compile(r"[\W_]+")


def normalize(phrase: str) -> str:
    """Case-fold and drop punctuation so that 'Won’t start' and 'wont  start' compare equal."""
    return _NON_WORD.sub(" ", _APOSTROPHES.sub("", phrase.casefold())).strip()


def read_failure_modes(graph: Graph, source: str) -> list[FailureModeCode]:
    """Every concept of ``mfg:FailureModeCodes``, sorted by code.

    Raises:
        OntologyError: the scheme is missing, or a concept has no ``skos:notation``.
    """
    if (MFG.FailureModeCodes, None, None) not in graph:
        raise OntologyError(
            f"{source} does not define the SKOS scheme {MFG.FailureModeCodes}; point failure_modes= at "
            "a file that does (see ontology/failure_modes.ttl)."
        )
    out = []
    for concept in graph.subjects(SKOS.inScheme, MFG.FailureModeCodes):
        code = text(graph, concept, SKOS.notation)
        if not code:
            raise OntologyError(
                f"{source}: failure-mode concept {concept} has no skos:notation; add its code."
            )
        equipment = [c for c in graph.objects(concept, MFG.appliesToEquipmentClass) if isinstance(c, URIRef)]
        out.append(
            FailureModeCode(
                code=code,
                iri=str(concept),
                pref_label=text(graph, concept, SKOS.prefLabel) or code,
                alt_labels=texts(graph, concept, SKOS.altLabel),
                definition=text(graph, concept, SKOS.definition) or "",
                applies_to=tuple(sorted(text(graph, c, SKOS.notation) or str(c) for c in equipment)),
            )
        )
    return sorted(out, key=lambda f: f.code)


class FailureModeIndex:
    """Case- and punctuation-insensitive lookup of failure-mode codes.

    A code wins over a preferred label, which wins over an alternative label, so the answer is the same
    whatever order the file lists concepts in.

    Example:
        >>> from ontology import load_ontology
        >>> index = FailureModeIndex(load_ontology().failure_modes())
        >>> index.find("vib").pref_label, index.find("Seal leak").code
        ('vibration', 'ELP')
    """

    def __init__(self, codes: Iterable[FailureModeCode]):
        self._tiers: tuple[dict[str, FailureModeCode], ...] = ({}, {}, {})
        for fm in codes:
            self._tiers[0].setdefault(normalize(fm.code), fm)
            self._tiers[1].setdefault(normalize(fm.pref_label), fm)
            for alt in fm.alt_labels:
                self._tiers[2].setdefault(normalize(alt), fm)

    def find(self, code_or_label: str) -> FailureModeCode | None:
        """The failure mode whose code, preferred label or alternative label matches, else None."""
        key = normalize(code_or_label)
        for tier in self._tiers:
            if key in tier:
                return tier[key]
        return None
