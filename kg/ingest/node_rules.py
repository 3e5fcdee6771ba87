"""Nothing becomes a node that is not an entity: the rules that judge a model's mention before it is resolved.

A fine-tuned extractor still marks words that name nothing a user would look up: pronouns ("it", "we"),
bare numbers and units ("20", "mm"), document identifiers ("PO 4500012345", "8D-2024-017": they belong on the
Document), trade terms ("DAP", "FCA Incoterms 2020"), standards ("ISO 9001", "IATF 16949") and people
("Katrin Vogel", signed under a letter). Some marks are entities of another class: an equipment tag is
equipment, not an organisation; "NBR" is a material, not a supplier. Each rule below is one function of the
surface (and, for people, of the names the document itself introduces as people); :func:`judge` applies them
in order and says which rule decided, so ingestion counts what each rule removed (per document).

Item mentions that name a place, an alarm, an activity, a document, a reading or a failure ("pump pit",
"level alarm", "torque table", "gear pitting") are judged by :mod:`kg.ingest.not_items`.

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

import regex

from kg.ingest.item_heads import is_lone_name, item_heads
from kg.ingest.mapping import EQUIPMENT_HEADS, looks_like_code, looks_like_tag
from kg.ingest.not_items import item_verdict
from kg.ingest.privacy.name_patterns import pattern_names


def wordlist(text: str) -> frozenset[str]:
    """The whitespace-separated words of ``text``: word lists read best as words."""
    return frozenset(text.split())


#: the class a dropped mention gets: no ontology class, so it becomes no node and takes part in no edge
DROPPED = ""

ORGANISATION_LABELS = frozenset({"Organization", "Supplier", "Manufacturer"})
ITEM_LABELS = frozenset({"PhysicalObject", "Equipment", "Part", "Product"})
FAILURE_LABELS = frozenset({"FailureMode", "FailureCause", "FailureEffect"})

#: pronouns, determiners and other words that refer to something named elsewhere
FUNCTION_WORDS = wordlist(
    """
    i me my mine we us our ours you your yours he him his she her hers it its they them their
    theirs this that these those which who whom whose what one ones itself themselves ourselves a
    an the some any each every all both either neither other another such same here there herein
    thereof hereby cannot can't could may might must shall should would
    """
)
#: words that name a role or a kind, not one organisation or item ("our supplier", "the product")
GENERIC_WORDS = wordlist(
    """
    supplier suppliers vendor vendors company companies manufacturer manufacturers customer
    customers sub-supplier subcontractor contractor distributor distributors partner partners firm
    firms business party parties buyer seller purchaser organisation organization group team
    department mr mrs ms dr prof ing dipl herr frau mgr bc sir madam
    product products part parts item items component components article articles goods
    material materials unit units thing things system systems device devices equipment
    quality purchasing procurement maintenance engineering production logistics stores warehouse
    finance sales management operations plant site centre center works factory office headquarters
    hq division service assembly assemblies kit kits
    """
)
#: legal forms: a name that carries one is an organisation's
LEGAL_FORMS = wordlist(
    """
    ltd ltd. limited plc inc inc. corp corp. corporation llc gmbh ag kg se sa s.a. sas s.a.s. srl s.r.l.
    spa s.p.a. bv b.v. nv n.v. ab oy as a/s a.s. s.r.o. sp. z o.o. co co. company kk k.k.
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
#: units as written (case matters: "3M" is a company, "3 m" a length), with their ALL-CAPS forms
_UNITS = (
    "mm|cm|m|km|µm|um|in|inch|ft|kg|g|t|lb|lbs|N|Nm|kN|bar|psi|Pa|kPa|MPa|V|kV|A|mA|W|kW|hp|rpm|Hz|°C|°F|K|h|hrs?|"
    "min|s|ms|pcs|ea|qty|l|L|ml|gal|%|EUR|USD|CZK|GBP|€|\\$|£|excl|incl|VAT|net|gross|"
    "MM|CM|KM|KG|LBS|NM|KN|BAR|PSI|KPA|MPA|KV|KW|HP|RPM|HZ|PCS|EA|QTY|ML|EXCL|INCL"
)
_NUMBER_OR_UNIT = re.compile(
    rf"^[\s\d.,:/%±x×+\-–]*(?:(?:{_UNITS})(?:/(?:{_UNITS}))?)?\.?[\s\d.,:/%±x×+\-–]*$"
)  # "mm/s" too
#: what document references start with, or carry as a segment ("TSS-CoC-2024-77120")
_DOCUMENT_PREFIXES = wordlist(
    "po ncr 8d capa cc rma ecn ecr pcn eol wo inv scar qn rfq coc coa lot batch ir qa"
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

#: working fluids: an item mention whose last word is one is a material ("press hydraulic oil")
FLUIDS = wordlist("water oil oils coolant lubricant lubricants grease fluid inhibitor glycol emulsion")
#: headings of a report's sections and columns of a form or price table: a word that files text, not an item
#: ("Scope", "Containment" and "Root cause" of an 8D report; "Qty", "Sub-total" of an order)
LAYOUT_WORDS = wordlist(
    """
    scope background summary containment root cause causes contacts contact scorecard field fields route
    folder remarks remark notes note comments comment description status owner revision page appendix
    attachment annex qty quantity total sub-total subtotal amount price unit gbp eur usd czk excl incl vat
    net gross asset assets consumables spares spare spare-part
    """
)
#: words that only qualify an item's name ("full", "rotary"): alone, they name nothing
MODIFIER_WORDS = wordlist(
    """
    full empty main central radial axial rotary second first third new old upper lower front rear left
    right inner outer complete partial standard special interim temporary
    """
)

#: words after which a name or phrase goes on: one that ends in them was cut short ("loss of", "out of")
UNFINISHED_WORDS = wordlist("of to from by with for in on at into onto than as and or nor the an")

#: a person's name, then a role or department: "Daniel Okafor, Reliability Engineer", "Jo Lee (quality)"
_ROLE_WORDS = (
    r"engineer|manager|technician|technicians|quality|maintenance|reliability|purchasing|procurement|buyer|"
    r"director|supervisor|planner|inspector|lead|leader|head|officer|specialist|coordinator|operator|"
    r"production|logistics|engineering|sales|account|ceo|cfo|coo|owner|team|purchaser|requisitioner"
)
_NAME_WORD = r"\p{Lu}[\p{Ll}\p{M}]+(?:-\p{Lu}[\p{Ll}\p{M}]+)?"
_NAME_WITH_ROLE = regex.compile(
    rf"(?<![\w.])(?P<name>{_NAME_WORD}(?:[ \t]+{_NAME_WORD}){{1,2}})[ \t]*(?:,|\(|–|-|\|)[ \t]*"
    rf"(?:the[ \t]+)?(?:\w+[ \t]+)?(?i:{_ROLE_WORDS})\b"
)
#: a role label, then a name: "Buyer: Helen Marsh", "Quality engineer - Jo Lee"
_ROLE_THEN_NAME = regex.compile(
    rf"(?i:\b(?:{_ROLE_WORDS}))[ \t]*[:–-][ \t]*(?P<name>{_NAME_WORD}(?:[ \t]+{_NAME_WORD}){{1,2}})"
)
#: an initial and a surname: "D. Okafor", "P. Dvořák" (organisations are not written so)
_INITIAL_SURNAME = regex.compile(rf"(?<![\w.])\p{{Lu}}\.[ \t]?(?P<name>{_NAME_WORD})(?!\w)")
_NUMBERING = re.compile(r"(?:\s+\(?\d{1,2}[.)])+$")
_POSTCODE = re.compile(r"^(?:[A-Z]{1,2}\d[A-Z\d]?\s*\d[A-Z]{2}|\d{3}\s?\d{2}|\d{5})$")  # UK, CZ/SK, DE/FR/US
_ADDRESS_WORDS = wordlist(
    """
    street st road rd way lane avenue ave drive close park estate str strasse straße gasse weg platz ulice
    třída namesti náměstí rue attn attn. attention p.o. box
    """
)


def people_in(text: str) -> list[str]:
    """Names a document introduces as people's: after a title, role label or sign-off (privacy's patterns),
    before a role ("Daniel Okafor, Reliability Engineer"), or as initial and surname ("D. Okafor": the
    surname, so that "Okafor" alone later in the text is known too)."""
    names = [text[h.start : h.end] for h in pattern_names(text)]
    names += [m["name"] for m in _NAME_WITH_ROLE.finditer(text)]
    names += [m["name"] for m in _ROLE_THEN_NAME.finditer(text)]
    names += [m["name"] for m in _INITIAL_SURNAME.finditer(text)]
    return list(dict.fromkeys(names))


@dataclass(frozen=True)
class Verdict:
    """What to do with a mention: keep it (possibly as another class) or drop it, and which rule decided."""

    keep: bool
    label: str
    rule: str | None = None


def _words(surface: str) -> list[str]:
    return [w.strip(".,;:!?()[]\"'«»“”‘’").lower() for w in surface.split()]


def is_function_word(surface: str) -> bool:
    """Only pronouns, determiners, prepositions and modal verbs: "it", "we", "our", "these", "the one", "at",
    "cannot"."""
    words = [w for w in _words(surface) if w]
    return bool(words) and all(w in FUNCTION_WORDS or w in UNFINISHED_WORDS for w in words)


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
    """References to documents: "PO 4500012345", "NCR-2024-031", "8D-2025-009", "report no. 17",
    "TSS-CoC-2024-77120" (a document kind among the segments of a code with four digits or more)."""
    s = surface.strip()
    segments = {x.lower() for x in re.split(r"[-/\s#:]+", s) if x}
    digits = sum(c.isdigit() for c in s)
    return bool(_DOCUMENT_ID.match(s)) or (digits >= 4 and bool(segments & _DOCUMENT_PREFIXES))


def is_trade_term(surface: str) -> bool:
    """Incoterms and contract terms: "DAP", "EXW (Incoterms 2020)", "force majeure" (not "DAF Trucks")."""
    words = surface.replace("(", " ").replace(")", " ").split()
    lowered = surface.lower()
    if "incoterm" in lowered or "majeure" in lowered:  # "CZK Incoterms", "force majeure": contract terms
        return True
    return bool(words) and words[0].upper() in TRADE_TERMS and len(words) == 1


def is_standard(surface: str) -> bool:
    """Standards and regulations: "ISO 9001:2015", "IATF 16949", "DIN EN 10204 3.1", "RoHS"."""
    return bool(_STANDARD.match(surface.strip()))


def is_material(surface: str) -> bool:
    """A material by name or code ("NBR", "FKM 75", "stainless steel", "elastomers"), with nothing else in
    the name, or a working fluid ("coolant", "press hydraulic oil", "scale inhibitor")."""
    words = [w.removesuffix("s") if w.endswith("ers") else w for w in _words(surface)]
    words = [w for w in words if w and not any(c.isdigit() for c in w)]
    return bool(words) and (all(w in MATERIAL_WORDS for w in words) or words[-1] in FLUIDS)


def is_unfinished(surface: str) -> bool:
    """A phrase cut short: two words or more, the last a preposition, conjunction or article ("loss of",
    "out of"; not "Compressor A", a designation)."""
    words = [w for w in _words(surface) if w]
    return len(words) >= 2 and words[-1] in UNFINISHED_WORDS


def is_item_word(surface: str) -> bool:
    """Only head nouns of items, as written in the training data, as a failure's name: "hose", "pump seal" (a
    thing, not what went wrong; "stops" and "sticks" are verbs here, not plurals)."""
    words = [w for w in _words(surface) if w]
    return bool(words) and len(words) <= 2 and all(w in item_heads() for w in words)


def is_bare_material(surface: str) -> bool:
    """Only materials and working fluids: "water", "hydraulic oil" is not ("hydraulic" says more)."""
    words = [w for w in _words(surface) if w]
    return bool(words) and all(w in MATERIAL_WORDS or w in FLUIDS for w in words)


def is_layout_word(surface: str) -> bool:
    """Only section headings, form columns and price words: "Scope", "Qty", "Sub-total", "Unit GBP",
    "CZK excl.", "Root"."""
    words = [w for w in _words(surface) if w]
    return bool(words) and all(w in LAYOUT_WORDS or w.removesuffix("s") in LAYOUT_WORDS for w in words)


def is_modifier(surface: str) -> bool:
    """One word that qualifies an item's name but names none: an adjective ("full", "Rotary", "5-axis") or a
    past participle ("machined", "removed", "tapered")."""
    words = _words(surface)
    if len(words) == 1 and re.fullmatch(r"\d+-[a-z]{3,}", words[0]):  # "5-axis", "3-phase", "2-stage"
        return True
    if len(words) != 1 or not words[0].isalpha():
        return False
    w = words[0]
    return w in MODIFIER_WORDS or (len(w) >= 5 and w.endswith("ed") and not w.endswith("eed"))


def is_address(surface: str) -> bool:
    """A postcode or a street or attention line: "LS10 4QT", "Calder Way", "Ostrava Attn."."""
    words = set(_words(surface))
    return bool(_POSTCODE.match(surface.strip())) or bool(words & _ADDRESS_WORDS)


def is_code(surface: str) -> bool:
    """A part-number-like code: one token with letters, digits and a separator ("FL-NEUPEX-B110")."""
    s = surface.strip()
    return (
        " " not in s
        and len(s) >= 5
        and any(c in s for c in "-/.")
        and any(c.isdigit() for c in s)
        and looks_like_code(s)
    )


def names_equipment(surface: str) -> bool:
    """A description of equipment, not a company: the last word a lower-case equipment noun and no legal
    form ("Leeds press", "Ostrava press line"); a company capitalises its words ("Grundfos Pumps")."""
    words = surface.split()
    if len(words) < 2 or set(_words(surface)) & LEGAL_FORMS:
        return False
    last = words[-1]
    return last.islower() and any(w in EQUIPMENT_HEADS for w in (last, last.removesuffix("s"), last[:-2]))


def is_person(surface: str, people: Iterable[str]) -> bool:
    """A name written as a person's ("T. Ellis"), or one the document introduces as a person's (see
    :func:`people_in`): the same words, or a first name and a known surname ("Petr Dvořák" after "P. Dvořák").
    A name with a legal form ("Parker Ltd") is an organisation's, whoever shares its words."""
    surface = _NUMBERING.sub("", surface.strip())  # "Okafor 3.": a list number read into the name
    if _INITIAL_SURNAME.fullmatch(surface):
        return True
    words = _words(surface)
    if not words or len(words) > 3 or not all(w[:1].isalpha() for w in surface.split()):
        return False
    if set(words) & LEGAL_FORMS:
        return False
    known = [set(_words(name)) for name in people]
    surnames = {_words(name)[-1] for name in people if name.split()}
    return any(set(words) <= k for k in known) or (words[-1] in surnames and surface[:1].isupper())


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
    if is_unfinished(s):
        return Verdict(False, label, "unfinished")
    if label in FAILURE_LABELS and is_bare_material(s):  # "water": the medium, not what went wrong
        return Verdict(True, "Material", "material_not_failure")
    if label in FAILURE_LABELS and is_item_word(s):
        return Verdict(True, "Part", "item_not_failure")
    if label in ORGANISATION_LABELS | ITEM_LABELS | {"Site"} and is_generic(s):  # "our supplier", "plant"
        return Verdict(False, label, "generic_word")
    if label == "Site" and s.islower() and _words(s)[-1] in GENERIC_WORDS:  # "sister plant": no name
        return Verdict(False, label, "generic_word")
    if label in ORGANISATION_LABELS and not any(c.isupper() for c in s):
        return Verdict(False, label, "not_a_name")  # "transport", "direct": organisations are named
    if label in ORGANISATION_LABELS and is_person(s, people):
        return Verdict(False, label, "person")
    if label in ORGANISATION_LABELS | {"Site"} and is_address(s):  # a street is no site: "Calder Way"
        return Verdict(False, label, "address")
    if label in ITEM_LABELS and is_layout_word(s):
        return Verdict(False, label, "layout_word")
    if label in ITEM_LABELS and is_modifier(s):
        return Verdict(False, label, "modifier_only")
    if label in ITEM_LABELS - {"Product"} and is_lone_name(s):  # "Northwind", "Champion": not an item
        return Verdict(False, label, "lone_name")
    if label in ITEM_LABELS - {"Product"} and (other := item_verdict(s)) is not None:  # "pump pit"
        return Verdict(other[1] is not None, other[1] or label, other[0])
    if label in ORGANISATION_LABELS | ITEM_LABELS and is_material(s):  # before tags: "FKM 75" is a grade
        kind = "organisation" if label in ORGANISATION_LABELS else "item"
        return Verdict(True, "Material", f"material_not_{kind}")
    if label in ORGANISATION_LABELS and looks_like_tag(s):
        return Verdict(True, "Equipment", "tag_not_organisation")
    if label in ORGANISATION_LABELS and is_code(s):
        return Verdict(True, "Part", "code_not_organisation")
    if label in ORGANISATION_LABELS and names_equipment(s):  # a description, not an identity: no node
        return Verdict(False, label, "equipment_description")
    return Verdict(True, label)
