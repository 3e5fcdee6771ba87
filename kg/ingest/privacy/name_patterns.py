"""Find unknown people's names by their cues: after an honorific, after a role label, under a sign-off."""

from __future__ import annotations

import regex

from kg.ingest.privacy.known_names import canonical_name
from kg.ingest.privacy.masks import Hit

#: Capitalised words that show a candidate after a label or honorific is not a person's name.
NOT_NAME_WORDS = frozenset(
    """team department dept supplier vendor service services support sales office desk helpdesk manager
    management maintenance engineering operations production quality shift night day crew ltd gmbh inc co
    company contractor site plant workshop store stores purchasing procurement planning safety hse group
    unit line area the all see please tbc tba none unknown pending n/a mechanical electrical instrument
    control room hotline reception admin customer technical pump motor valve bearing gearbox""".split()  # noqa: SIM905
)

_SENTENCE_GOES_ON = regex.compile(r"[ \t]+\p{Ll}")
_WORD = r"(?:\p{Lu}['’])?\p{Lu}[\p{Ll}\p{M}]+(?:-\p{Lu}[\p{Ll}\p{M}]+)?"
_UPWORD = r"\p{Lu}{2,}(?:-\p{Lu}{2,})?"
_PARTICLE = r"(?:van|von|der|den|de|da|di|du|le|la|ten|ter|zu|dos|del)"


def _name(word: str) -> str:
    """A name made of ``word``s: "Jane Doe", "J. Smith", "Smith J.", "Jane K. Doe", "Jan van der Berg"."""
    return (
        rf"(?:{word}[ \t]+\p{{Lu}}\.?(?![\w.]|[ \t]+\p{{Lu}})|(?:\p{{Lu}}(?:\.[ \t]*|[ \t]+)){{0,2}}{word}"
        rf"(?:[ \t]+(?:\p{{Lu}}\.[ \t]+)?(?:{_PARTICLE}[ \t]+)*{word}){{0,2}})"
    )


#: ALL-CAPS names need an initial ("J. SMITH", "SMITH J"): "TECH: CHECKED OK" is no name.
_UPNAME = rf"(?:{_UPWORD}[ \t]+\p{{Lu}}\.?(?![\w.])|(?:\p{{Lu}}(?:\.[ \t]*|[ \t]+)){{1,2}}{_UPWORD})"
_NAME = rf"(?:{_name(_WORD)}|{_UPNAME})"
_NAMES = rf"(?P<name>{_NAME})(?:[ \t]*(?:/|,|&|\band\b|\bund\b|\ba\b)[ \t]*(?P<name>{_NAME}))*"
_TITLE = r"(?:Mr|Mrs|Ms|Miss|Mx|Dr|Prof|Ing|Dipl\.-Ing|Herr|Frau|Mgr|Bc|Sir|Madam|MR|MRS|MS|DR)\.?[ \t]+"
_LEADING_TITLE = regex.compile(_TITLE)
_HONORIFIC = regex.compile(
    rf"(?<!\w){_TITLE}(?P<name>{_name(_WORD)}|{_name(_UPWORD)})(?!\w)"  # after "MR" any capitals are a name
)
_ROLE = regex.compile(
    r"(?i:(?<!\w)(?:(?:tech|techs|technician|technicians|contact|engineer|operator|supervisor|planner|author|"
    r"owner|signed|signature|name|reporter|requester|fitter|electrician|mechanic|inspector|assignee|attn|"
    r"attention|techniker|bearbeiter|ansprechpartner|kontakt|pr[üu]fer|monteur|technik|zpracoval|"
    r"kontroloval|schv[áa]lil|kontaktn[íi] osoba)[ \t]*[:=\-–][ \t]*|(?:(?:inspected|checked|approved|"
    r"reported|raised|requested|completed|performed|prepared|reviewed|signed|done|repaired|serviced|verified|"
    r"written|created|entered|authori[sz]ed|issued|assigned|closed|attended|fixed|witnessed|logged)[ \t]+"
    r"(?:by|to)|gepr[üu]ft von|erstellt von|"
    r"bearbeitet von|freigegeben von)[ \t]*:?[ \t]*))"
    rf"{_NAMES}(?!\w)"
)
_SIGN_OFF = regex.compile(
    r"(?i:(?<!\w)(?:regards|kind regards|best regards|warm regards|many thanks|thanks|thank you|cheers|"
    r"sincerely|yours sincerely|yours faithfully|mit freundlichen gr[üu](?:ß|ss)en|freundliche "
    r"gr[üu](?:ß|ss)e|viele gr[üu](?:ß|ss)e|beste gr[üu](?:ß|ss)e|mfg|s pozdravem|d[ěe]kuji)[ \t]*[,!.]?"
    r"[ \t]*\r?\n(?:[ \t]*--[ \t]*\r?\n)?[ \t]*)"
    rf"(?P<name>{_NAME})(?![\w.@])"
)


def pattern_names(text: str) -> list[Hit]:
    """Names after honorifics and role labels, and under sign-offs."""
    hits = []
    for pattern in (_ROLE, _HONORIFIC, _SIGN_OFF):
        for m in pattern.finditer(text):
            for i, ((start, end), name) in enumerate(zip(m.spans("name"), m.captures("name"), strict=True)):
                title = _LEADING_TITLE.match(name)  # "Kontakt: Frau Anna Schulz": the title stays
                if title:
                    start, name = start + title.end(), name[title.end() :]
                words = name.split()
                if {w.lower().strip(".") for w in words} & NOT_NAME_WORDS:
                    continue
                if len(words) == 1 and (
                    i > 0 or (pattern is not _HONORIFIC and _SENTENCE_GOES_ON.match(text, end))
                ):
                    continue  # "Technician: Replaced bearing" is a sentence; "J. Smith, Tel." has no 2nd name
                hits.append(Hit(start, end, "person", canonical_name(name)))
    return hits
