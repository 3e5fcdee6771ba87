"""Nothing becomes a node that is not an entity: the rules that judge a model's mention before it is resolved.

A fine-tuned extractor still marks words that name nothing a user would look up: pronouns ("it", "we"),
bare numbers and units ("20", "mm"), document identifiers ("PO 4500012345", "8D-2024-017": they belong on the
Document), trade terms ("DAP", "FCA Incoterms 2020"), standards ("ISO 9001", "IATF 16949") and people
("Katrin Vogel", signed under a letter). Some marks are entities of another class: an equipment tag is
equipment, not an organisation; "NBR" is a material, not a supplier. Each rule below is one function of the
surface (and, for people, of the names the document itself introduces as people); :func:`judge` applies them
in order and says which rule decided, so ingestion counts what each rule removed (per document).

Mentions that the gazetteer linked to a known entity are not judged: a name the graph already holds is an
entity by definition.

Example:
    >>> judge("Organization", "we").rule, judge("Supplier", "LDS-P-101").label
    ('pronoun', 'Equipment')
    >>> judge("Supplier", "SKF Group").keep
    True
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass

from kg.ingest.mapping import looks_like_tag


def wordlist(text: str) -> frozenset[str]:
    """The whitespace-separated words of ``text``: word lists read best as words."""
    return frozenset(text.split())


#: the class a dropped mention gets: no ontology class, so it becomes no node and takes part in no edge
DROPPED = ""

ORGANISATION_LABELS = frozenset({"Organization", "Supplier", "Manufacturer"})
ITEM_LABELS = frozenset({"PhysicalObject", "Equipment", "Part", "Product"})

#: pronouns, determiners and other words that refer to something named elsewhere
FUNCTION_WORDS = wordlist(
    """
    i me my mine we us our ours you your yours he him his she her hers it its they them their
    theirs this that these those which who whom whose what one ones itself themselves ourselves a
    an the some any each every all both either neither other another such same here there herein
    thereof hereby
    """
)
#: words that name a role or a kind, not one organisation or item ("our supplier", "the product")
GENERIC_WORDS = wordlist(
    """
    supplier suppliers vendor vendors company companies manufacturer manufacturers customer
    customers sub-supplier subcontractor contractor distributor distributors partner partners firm
    firms business party parties buyer seller purchaser organisation organization group team
    department product products part parts item items component components article articles goods
    material materials unit units thing things system systems device devices equipment
    """
)
#: Incoterms 2020 and 2010 (trade terms of delivery)
TRADE_TERMS = frozenset(
    ("EXW", "FCA", "FAS", "FOB", "CFR", "CIF", "CPT", "CIP", "DAP", "DPU", "DDP", "DAT", "DDU")
)
#: standards bodies and regulations whose name alone is never an organisation or item the user looks up
_STANDARD_ALONE = "ISO|IATF|DIN|ASTM|IEC|SAE|ANSI|ASME|FMVSS|REACH|RoHS|WEEE|ATEX|VDA|IPC|JEDEC|NEMA"
#: shorter prefixes that are standards only with a number (EN 10204, BS 4504, MIL-STD-810, UL 94)
_STANDARD_NUMBERED = "EN|BS|JIS|GB|AS|MIL|UL|API|NFPA|CFR|PED|CSA|NACE|AWS|AMS|AISI|SAE"
_STANDARD = re.compile(
    rf"^(?:DIN\s+)?(?:(?:{_STANDARD_ALONE})(?:[\s/.:-]*(?:STD|Spec|TS|TR)?[\s/.:-]*[A-Z]?\d[\w.:/-]*)*"
    rf"|(?:{_STANDARD_NUMBERED})(?:[\s/.:-]*(?:STD|Spec|TS|TR)?[\s/.:-]*[A-Z]?\d[\w.:/-]*)+)"
    r"(?:\s+(?:certified|certificate|certification|standard|compliant|compliance))?$",
    re.IGNORECASE,
)
_DOCUMENT_ID = re.compile(
    r"^(?:(?:PO|P\.O\.|NCR|8D|CAPA|CC|RMA|ECN|ECR|PCN|EOL|WO|INV|SCAR|QN|RFQ|CoC|CoA|LOT|batch)"
    r"(?:\s*(?:no\.?|nr\.?|number|#))?[\s#:./-]*[A-Z]{0,4}[-/]?\d[\w./-]*"
    r"|(?:purchase\s+order|order|invoice|report|delivery\s+note|complaint|claim|notice|certificate|"
    r"quotation|offer|drawing|revision|rev\.?)(?:\s*(?:no\.?|nr\.?|number|#))?[\s#:./-]*[A-Z]{0,4}[-/]?\d[\w./-]*)$",
    re.IGNORECASE,
)
_NUMBER_OR_UNIT = re.compile(
    r"^[\s\d.,:/%±x×+\-–]*(?:mm|cm|m|km|µm|um|in|inch|ft|kg|g|t|lb|lbs|n|nm|kn|bar|psi|pa|kpa|mpa|v|kv|a|ma|w|kw|"
    r"hp|rpm|hz|°c|°f|c|k|h|hrs?|min|s|ms|pcs|ea|qty|l|ml|gal|%|eur|usd|€|\$|excl|incl|vat|net|gross)?"
    r"[\s\d.,:/%±x×+\-–]*$",
    re.IGNORECASE,
)
#: materials a model may type as an organisation or an item: elastomers, polymers, metals by name or code
MATERIAL_WORDS = wordlist(
    """
    nbr hnbr fkm ffkm epdm viton nitrile neoprene silicone ptfe teflon peek pom pa6 pa66 pvc pe
    hdpe ldpe pp abs pc pet pbt pur pu tpu polyamide polyurethane polypropylene polyethylene nylon
    rubber elastomer steel stainless aluminium aluminum brass bronze copper cast-iron iron zinc
    nickel titanium inconel chrome chromium tungsten carbide ceramic graphite resin epoxy glass
    fibreglass fiberglass
    """
)


@dataclass(frozen=True)
class Verdict:
    """What to do with a mention: keep it (possibly as another class) or drop it, and which rule decided."""

    keep: bool
    label: str
    rule: str | None = None


def _words(surface: str) -> list[str]:
    return [w.strip(".,;:!?()[]\"'«»“”‘’").lower() for w in surface.split()]


def is_function_word(surface: str) -> bool:
    """Only pronouns and determiners: "it", "we", "our", "these", "the one"."""
    words = [w for w in _words(surface) if w]
    return bool(words) and all(w in FUNCTION_WORDS for w in words)


def is_generic(surface: str) -> bool:
    """Only role or kind words, perhaps after a determiner: "our supplier", "the products"."""
    words = [w for w in _words(surface) if w and w not in FUNCTION_WORDS]
    return bool(words) and all(w in GENERIC_WORDS for w in words)


def too_short(surface: str) -> bool:
    """Fewer than two letters or digits: "x", "-", "A"."""
    return sum(c.isalnum() for c in surface) < 2


def is_number_or_unit(surface: str) -> bool:
    """Numbers, quantities, money and bare units: "20", "35 Nm", "mm", "EUR 1,200", "excl"."""
    return bool(_NUMBER_OR_UNIT.match(surface.strip()))


def is_document_identifier(surface: str) -> bool:
    """References to documents: "PO 4500012345", "NCR-2024-031", "8D-2025-009", "report no. 17"."""
    return bool(_DOCUMENT_ID.match(surface.strip()))


def is_trade_term(surface: str) -> bool:
    """Incoterms: "DAP", "EXW (Incoterms 2020)" (not "DAF Trucks": a term followed by a name is kept)."""
    words = surface.replace("(", " ").replace(")", " ").split()
    return (
        bool(words)
        and (words[0].upper() in TRADE_TERMS)
        and (len(words) == 1 or "incoterm" in surface.lower())
    )


def is_standard(surface: str) -> bool:
    """Standards and regulations: "ISO 9001:2015", "IATF 16949", "DIN EN 10204 3.1", "RoHS"."""
    return bool(_STANDARD.match(surface.strip()))


def is_material(surface: str) -> bool:
    """A material by name or code ("NBR", "FKM 75", "stainless steel"), with nothing else in the name."""
    words = [w for w in _words(surface) if w and not any(c.isdigit() for c in w)]
    return bool(words) and all(w in MATERIAL_WORDS for w in words)


def is_person(surface: str, people: Iterable[str]) -> bool:
    """The surface is, or is part of, a name the document introduces as a person's (see privacy)."""
    words = set(_words(surface))
    return bool(words) and any(words <= set(_words(name)) for name in people)


def judge(label: str, surface: str, people: Iterable[str] = ()) -> Verdict:
    """Apply the rules in order; the first that applies decides.

    Args:
        label: the ontology class the mention was given (after refinement).
        surface: the mention's text, whitespace-normalised.
        people: names the document itself introduces as people (by honorific, role label or sign-off).
    """
    s = surface.strip()
    drops = (
        ("too_short", too_short),
        ("pronoun", is_function_word),
        ("number_or_unit", is_number_or_unit),
        ("document_id", is_document_identifier),
        ("trade_term", is_trade_term),
        ("standard", is_standard),
    )
    for rule, test in drops:
        if test(s):
            return Verdict(False, label, rule)
    if label in ORGANISATION_LABELS | ITEM_LABELS and is_generic(s):
        return Verdict(False, label, "generic_word")
    if label in ORGANISATION_LABELS and is_person(s, people):
        return Verdict(False, label, "person")
    if label in ORGANISATION_LABELS | ITEM_LABELS and is_material(s):  # before tags: "FKM 75" is a grade
        kind = "organisation" if label in ORGANISATION_LABELS else "item"
        return Verdict(True, "Material", f"material_not_{kind}")
    if label in ORGANISATION_LABELS and looks_like_tag(s):
        return Verdict(True, "Equipment", "tag_not_organisation")
    return Verdict(True, label)
