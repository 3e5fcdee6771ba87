"""Words in an item's place that name no item: a place, an alarm signal, an activity, a document, a position
on an item, a reading, a contaminant or a failure. A model trained on work orders marks "pump pit", "level
alarm", "gear set exchange", "FMEA", "pump suction", "brg freq", "swarf" and "gear pitting" as physical
objects; none is a part a buyer orders or an engineer fits.

The test is on the mention's head, its last word ("spindle temperature alarm" is an alarm signal; "alarm horn"
is a horn), after a trailing designation ("zone C", "line 2"), and on its first word for instructions
("loosen fittings") and inspection methods ("MPI frame welds"). The lists are general English and maintenance
vocabulary, not names from any one document, and leave out every word the extractor's training data marks as
a physical object at least twice and more often than as anything else: "floor", "edge" (a wing's leading
edge), "skin" (a fuselage's), "label" (a recalled certification label), "outlet", "slot", "interlock", "table"
(a machine's rotary table); "alarm" is a signal only after a measured property ("smoke alarm" is a device).
:func:`kg.ingest.node_rules.judge` applies :func:`item_verdict` to Part and Equipment mentions (a Product is
a named thing a recall is about) and counts each rule by name.

Example:
    >>> item_verdict("pump pit"), item_verdict("level alarm"), item_verdict("smoke alarm")
    (('place', None), ('signal', None), None)
    >>> item_verdict("gear pitting"), item_verdict("Burst hose"), item_verdict("swarf")
    (('failure_not_item', 'FailureMode'), ('failure_not_item', 'FailureMode'), ('contaminant', 'Material'))
    >>> item_verdict("DE brg 6.8"), item_verdict("check valve"), item_verdict("Loosen fittings")
    (('reading', None), None, ('instruction', None))
    >>> t = "Remove the setting clips."
    >>> modifies_next(t, (11, 18), [19]), modifies_next(t, (11, 18), [])
    (True, False)
"""

from __future__ import annotations

import re
from collections.abc import Collection

from kg.ingest.item_heads import is_item_head


def _wordlist(text: str) -> frozenset[str]:
    return frozenset(text.split())


#: head nouns that name something other than an item, by what they name
HEADS: dict[str, frozenset[str]] = {
    "place": _wordlist(
        "pit pits hall halls room rooms bay bays yard building buildings workshop basement "
        "cellar corridor aisle dock zone zones area areas premises plant plants"
    ),
    "signal": _wordlist(
        "signal signals warning warnings setpoint set-point setpoints "
        "reading readings trend trends message messages"
    ),
    "activity": _wordlist(
        "exchange replacement overhaul repair repairs inspection inspections strip-down teardown tear-down "
        "thermography test tests testing analysis calibration alignment lubrication cleaning servicing "
        "installation removal refurbishment recondition reconditioning"
    ),
    "document": _wordlist(
        "report reports fmea sheet sheets datasheet manual manuals drawing drawings procedure "
        "procedures instruction instructions certificate certificates checklist schedule log "
        "record records specification"
    ),
    "position": _wordlist("inlet suction discharge side sides top bottom axis axes de nde"),  # drive end
    "feature": _wordlist("groove grooves keyway keyways chamfer chamfers notch profile profiles"),
    "body_part": _wordlist("finger fingers hand hands"),
    "packaging": _wordlist("carton cartons pallet pallets packaging crate crates"),
    "property": _wordlist(
        "pressure diameter temperature temp flow speed backlash clearance runout vibration vib frequency "
        "freq torque voltage length width height thickness depth hardness npsh preload level capacity "
        "output efficiency rating tension stiffness viscosity humidity current amperage"
    ),
}
#: a material's properties a datasheet or certificate lists, named in more than one word (test names):
#: "compression set" is a seal compound's property, not a set of parts
PROPERTY_PHRASES = frozenset(
    {
        "compression set",
        "tensile strength",
        "tear strength",
        "yield strength",
        "elongation at break",
        "volume swell",
        "volume change",
        "shore hardness",
        "surface finish",
        "surface roughness",
    }
)
#: what contaminates a fluid or a surface: a material, not an item
CONTAMINANTS = _wordlist(
    "mist swarf particle particles debris dust dirt sludge fines grit deposits sediment contaminant "
    "contaminants contamination"
)
#: failures written where an item was expected ("noise", "gear pitting", "pinhole")
FAILURE_HEADS = _wordlist(
    "noise pitting pinhole bypass burn-through leak leaks leakage crack cracks cracking wear corrosion "
    "fracture seizure overheating misalignment blockage clog clogging erosion cavitation spalling fatigue "
    "scoring"
)
#: a failed state before an item's name: the phrase says what went wrong ("burst hose", "slipping belts")
FAILED_STATES = _wordlist(
    "worn burst cracked broken leaking seized damaged failed corroded blocked clogged slipping torn chipped "
    "pitted melted burnt burned overheated ruptured"
)
#: places on a machine that are parts elsewhere ("pump outlet" against "oxygen outlet", "press floor" against
#: "cabin floor"): a position when a machine's name comes first
_ON_A_MACHINE = _wordlist("outlet outlets floor edge edges end side top bottom")
_MACHINES = _wordlist(
    "pump compressor press tank fan blower mixer conveyor gearbox motor turbine boiler chiller exchanger "
    "cooler heater furnace oven kiln dryer separator cyclone extruder lathe mill"
)
#: what lists values: a table or chart of a property is a document ("torque table"), a "rotary table" a part
_OF_VALUES = _wordlist("table tables chart charts curve curves")
#: instructions that open with a verb (not "check": a check valve is a part)
INSTRUCTION_VERBS = _wordlist(
    "replace loosen tighten inspect remove install adjust verify lubricate flush renew retorque re-torque "
    "refit"
)
#: how often, written before a task in work orders ("qtrly ballbar", "wkly hose insp")
SCHEDULE_WORDS = _wordlist(
    "daily weekly wkly monthly mthly quarterly qtrly annual annually yearly biannual half-yearly"
)
#: adjectives that qualify an item's head: a name that ends in one was cut before it ("press hydraulic")
CUT_BEFORE_HEAD = _wordlist("hydraulic pneumatic electric electrical electronic mechanical thermal manual")
#: words for a kind of thing, after a hyphen: "finished-goods", "spare-parts" qualify nothing named
KIND_WORDS = _wordlist("goods products items parts materials")
#: a route between two items, written as one word: "pump-to-manifold", "motor-to-gearbox"
_ROUTE = re.compile(r"^[a-z]+-to-[a-z]+$")
#: inspection methods written before what they inspect ("MPI frame welds", "NDT of welds")
INSPECTION_METHODS = frozenset(("MPI", "NDT", "DPI", "MT", "UT", "PT", "RT", "VT"))
#: a designation after the head: a letter, a small number or a Roman numeral ("zone C", "line 2", "stage II")
_DESIGNATION = re.compile(r"^(?:[a-z]|\d{1,2}|i{1,3}|iv|v)$")
#: a reading ends the mention: a decimal, or a number with a temperature or percent unit ("6.8", "71C")
_READING = re.compile(r"^\d+[.,]\d+\S*$|^\d+(?:°?[cf]|%)$")
#: a size or an amount alone: '1/2"', "3/4 in", "1 850 CZK"
_AMOUNT = re.compile(r"^(?:\d+(?:[/.,]\d+)?\s*)+(?:in|inch|czk|eur|usd|gbp|chf|pln)?$")


def _words(surface: str) -> list[str]:
    return [w for w in (x.strip(".,;:!?()[]\"'«»“”‘’").lower() for x in surface.split()) if w]


def _head(words: list[str]) -> str:
    while len(words) > 1 and _DESIGNATION.match(words[-1]):
        words = words[:-1]
    return words[-1]


def is_measurement(surface: str) -> bool:
    """A property and its value, not an item: "pressure 1100 bar", "shaft diameter 35 mm", "backlash 7um"."""
    words = _words(surface)
    props = [i for i, w in enumerate(words) if w in HEADS["property"]]
    return bool(props) and any(w[:1].isdigit() for w in words[props[0] + 1 : props[0] + 3])


def _cut(surface: str) -> bool:
    """A phrase the model cut across a bracket or a quotation, or that opens with a dash: "(1/2" 2SN",
    "stop '", "– Ostrava"."""
    s = surface.strip()
    unbalanced = s.count("(") != s.count(")") or s.count("[") != s.count("]")
    return unbalanced or s[:1] in "-–—" or s.endswith((" '", ' "', " ‘", " “"))


def item_verdict(surface: str) -> tuple[str, str | None] | None:
    """``(rule, class to keep it as, or None to drop it)`` when ``surface`` names no item; else ``None``."""
    words = _words(surface)
    if not words:
        return None
    if is_measurement(surface):
        return ("measurement", None)
    first = surface.split()[0]
    if _cut(surface):
        return ("cut_phrase", None)
    if _AMOUNT.match(" ".join(words)) or (len(words) > 2 and _AMOUNT.match(" ".join(words[-3:]))):
        return ("reading", None)
    checks = words[0] == "check" and len(words) > 1 and not words[1].startswith("valve")  # not "check valve"
    if len(words) > 1 and (words[0] in INSTRUCTION_VERBS or checks):
        return ("instruction", None)
    if _ROUTE.match(words[-1]) or ("-" in words[-1] and words[-1].rsplit("-", 1)[-1] in KIND_WORDS):
        return ("modifier", None)  # "pump-to-manifold", "finished-goods"
    if first in INSPECTION_METHODS or words[0] in SCHEDULE_WORDS:
        return ("activity", None)
    if words[-1] in CUT_BEFORE_HEAD:
        return ("cut_phrase", None)
    if _READING.match(words[-1]) and len(words) > 1:
        return ("reading", None)
    if " ".join(words) in PROPERTY_PHRASES or (len(words) > 1 and words[-1] in ("setting", "settings")):
        return ("property", None)  # "compression set", "relief valve setting"; not "[setting] clips"
    head = _head(words)
    tail = head.rsplit("-", 1)[-1]
    if head in ("alarm", "alarms") and (len(words) == 1 or words[-2] in HEADS["property"]):
        return ("signal", None)  # "level alarm", "spindle temperature alarm"; not "smoke alarm" (a device)
    before = words[-2] if len(words) > 1 else ""
    if head in _ON_A_MACHINE and before in _MACHINES:  # "pump outlet", "press floor"; not "wing leading edge"
        return ("position", None)
    if head in _OF_VALUES and before in HEADS["property"]:  # "torque table"; not "rotary table"
        return ("document", None)
    if words[0] in FAILED_STATES and len(words) > 1:
        return ("failure_not_item", "FailureMode")
    if head in FAILURE_HEADS:
        return ("failure_not_item", "FailureMode")
    if head in CONTAMINANTS:
        return ("contaminant", "Material")
    for rule, heads in HEADS.items():
        if head in heads or (rule in ("property", "place") and tail in heads):
            return (rule, None)
    return None


_ONE_WORD = re.compile(r"[A-Za-z][a-z-]*[a-z]")
_NEXT_WORD = re.compile(r" ([A-Za-z][a-z-]*[a-z])\b")


def modifies_next(text: str, span: tuple[int, int], item_starts: Collection[int]) -> bool:
    """One word that ends no item name in the training data, followed on its line, one space on, by an item's
    head noun or by another item mention: it qualifies that item and names none ("[setting] clips", "[cooling]
    pump", "[pressure] compensator"). On the prose dev split the model marked 4 such words as items, none of
    them right; on MaintIE dev 10, 2 of them right."""
    word = text[span[0] : span[1]]
    if not _ONE_WORD.fullmatch(word) or is_item_head(word.lower()):
        return False
    nxt = _NEXT_WORD.match(text, span[1])
    return nxt is not None and (is_item_head(nxt[1].lower()) or nxt.start(1) in item_starts)


#: what precedes a batch or lot number: "batch B24-2907", "Lot no. 5531", "charge: 77-1"
_BATCH_BEFORE = re.compile(r"\b(?:batch|lot|charge)(?:\s*(?:no\.?|nr\.?|number|#))?[\s:#]*$", re.IGNORECASE)


def is_batch_code(text: str, span: tuple[int, int]) -> bool:
    """A code the text calls a batch or lot number ("batch B24-2907"): it names a delivery, not a part.

    Example:
        >>> t = "O-rings from batch B24-2907 were FKM"
        >>> is_batch_code(t, (19, 27)), is_batch_code("seal kit PHSK320", (9, 16))
        (True, False)
    """
    code = text[span[0] : span[1]]
    return any(c.isdigit() for c in code) and bool(_BATCH_BEFORE.search(text[max(0, span[0] - 20) : span[0]]))
