"""Mask personal data (e-mail addresses, phone numbers, people's names) in documents before extraction.

Masks keep every character offset valid: a value of length ``n`` is replaced by exactly ``n`` characters,

- ``[EMAIL]`` / ``[PHONE]`` / ``[PERSON]`` followed by ``_`` up to ``n`` when the value is at least as long
  as the tag ("john.smith@acme.com" → ``[EMAIL]____________``);
- else ``[E]`` / ``[T]`` (telephone) / ``[P]`` padded with ``_`` when ``n >= 3`` ("Li Na" → ``[P]__``);
- else ``X`` repeated ``n`` times ("Bo" → ``XX``).

Each :class:`Masking` carries a digest: the first 16 hex digits of HMAC-SHA256(salt, kind + value) over a
canonical value (e-mail lower-cased, phone in E.164, a known person's name as given, folded), so one person
is recognisable across documents without the name being stored, and another salt gives unrelated digests.

What is found:

- email: a regex for ``local@domain.tld`` (dots, plus-tags, hyphenated and Unicode domains).
- phone: :class:`phonenumbers.PhoneNumberMatcher` at leniency VALID for each of ``regions`` (default GB,
  DE, CZ, US), kept only when written like a phone number (international ``+``/``00`` prefix, or grouped
  with spaces, dashes, dots or brackets) or labelled ("Tel", "phone", "mobile", "fax", …), and never right
  after an identifier label ("PO", "order", "part", "S/N", "#", …); plus bare extensions ("ext. 2231").
  Part numbers, dates, PO numbers, tags and quantities ("6205-2RSH", "PO 4500012345", "2024-03-11",
  "LDS-P-101", "22210 E", "0.05 mm") are not phone numbers.
- person: names you pass (``names``, e.g. a work-order table's technician column, or ``extra_names`` per
  call) in any case and with or without accents, as full name, "J. Smith", "Smith J", "Smith, John", and
  the surname alone when it is capitalised in the text (a one-word name counts as a surname, unless it is
  all lower case like the login "jsmith"); and, for unknown people, capitalised names after an honorific
  ("Mr", "Dr", "Ing.", "Herr", "Frau", …; the title itself stays), after a role label ("Tech:",
  "Technician:", "Inspected by", "Contact:", "Bearbeiter:", "Zpracoval:", …) and on the line after a
  sign-off ("Regards,", "Mit freundlichen Grüßen", "S pozdravem", …).

Limits: there is no statistical NER model (none with known provenance is available offline), so an unknown
name in running text without one of those cues ("spoke to Jane about the pump", "call out Jim") is not
found, nor is a lower-case one after a label ("tech: jsmith" unless "jsmith" is known). After a label a
single capitalised word followed by a lower-case word is taken for a sentence ("Technician: Replaced
bearing"), and in a list of names only the first may be a single word. A known surname that is also a word
("Bolt") is masked wherever it is capitalised, and a capitalised non-name after a label ("Contact: Acme
Pumps") is masked unless it holds a word from :data:`NOT_NAME_WORDS`. A phone number that directly follows
other digits ("PO 4500012345 0113 496 0000") is not found (the matcher reads them as one number). Digests
of unknown names found by pattern are keyed on the text as written, so "J. Smith" and "John Smith" share a
digest only when the name is known.

Example:
    >>> masker = PrivacyMasker(names=["John Smith"])
    >>> out = masker("Tech: J. Smith, call 0113 496 0000 or john.smith@acme.com")
    >>> out.text
    'Tech: [PERSON], call [PHONE]______ or [EMAIL]____________'
    >>> [m.kind for m in out.maskings]
    ['person', 'phone', 'email']
"""

from __future__ import annotations

import hashlib
import hmac
import unicodedata
from collections.abc import Collection, Iterable, Sequence
from dataclasses import dataclass
from functools import lru_cache

import phonenumbers
import regex

from kg.core.errors import BadInputError

KINDS = ("email", "phone", "person")
DEFAULT_REGIONS = ("GB", "DE", "CZ", "US")
_TAGS = {"email": ("[EMAIL]", "[E]"), "phone": ("[PHONE]", "[T]"), "person": ("[PERSON]", "[P]")}

#: Capitalised words that show a candidate after a label or honorific is not a person's name.
NOT_NAME_WORDS = frozenset(
    """team department dept supplier vendor service services support sales office desk helpdesk manager
    management maintenance engineering operations production quality shift night day crew ltd gmbh inc co
    company contractor site plant workshop store stores purchasing procurement planning safety hse group
    unit line area the all see please tbc tba none unknown pending n/a mechanical electrical instrument
    control room hotline reception admin customer technical pump motor valve bearing gearbox""".split()  # noqa: SIM905
)

_EMAIL = regex.compile(
    r"(?<![\w.+-])[\w!#$%&'*+/=?^`{|}~-]+(?:\.[\w!#$%&'*+/=?^`{|}~-]+)*"
    r"@(?:[^\W_](?:[\w-]{0,61}[^\W_])?\.)+[^\W\d_]{2,63}(?![\w-])"
)
_EXTENSION = regex.compile(
    r"(?i)(?<!\w)(?:ext|extn|extension|durchwahl|klapka)\.?[ \t]*:?[ \t]*\d{2,6}(?!\d)"
)
_DIGIT_RUN = regex.compile(r"\d[\d \t\-./()]*\d")
_PHONE_LABEL = regex.compile(
    r"(?i)(?<!\w)(?:tel|telephone|phone|ph|mob|mobile|cell|fax|call|ring|contact|telefon|handy|mobil|hotline)"
    r"(?!\w)[^\n\d]{0,16}$"
)
_ID_LABEL = regex.compile(
    r"(?i)(?:(?<!\w)(?:po|p\.o|order|part|p/n|pn|s/n|sn|serial|wo|w/o|tag|asset|item|material|mat|invoice|"
    r"batch|lot|ref|qty|art|sku|id|model|type|drawing|dwg|doc|rev|no|nr|number)\.?|#)[ \t:.#-]*$"
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


@dataclass(frozen=True)
class Masking:
    """One masked value: its span (same in the input and the masked text), kind and salted digest.

    Example:
        >>> Masking(5, 13, "person", "3f0a9c1d2b4e5f60").end
        13
    """

    start: int
    end: int
    kind: str  # "email" | "phone" | "person"
    digest: str


@dataclass(frozen=True)
class Masked:
    """The masked text (same length as the input) and what was masked, in text order.

    Example:
        >>> Masked("[EMAIL]__", ()).text
        '[EMAIL]__'
    """

    text: str
    maskings: tuple[Masking, ...]


@dataclass(frozen=True)
class _Hit:
    start: int
    end: int
    kind: str
    canonical: str


def mask_string(kind: str, length: int) -> str:
    """The mask of ``length`` characters for a value of ``kind`` (see the module docstring).

    Example:
        >>> mask_string("email", 10), mask_string("person", 4), mask_string("phone", 2)
        ('[EMAIL]___', '[P]_', 'XX')
    """
    full, short = _TAGS[kind]
    if length >= len(full):
        return full + "_" * (length - len(full))
    if length >= len(short):
        return short + "_" * (length - len(short))
    return "X" * length


@lru_cache(maxsize=4096)
def _fold_char(c: str) -> str:
    base = unicodedata.normalize("NFD", c)[0].lower()
    return base[0] if base else c


def fold(text: str) -> str:
    """Lower-case ``text`` and drop accents, one character for one character (offsets stay valid).

    Example:
        >>> fold("Jiří NOVÁK, Zoë")
        'jiri novak, zoe'
    """
    if text.isascii():
        return text.lower()
    return text.translate({ord(c): _fold_char(c) for c in set(text)})


def _canonical(name: str) -> str:
    return " ".join(regex.sub(r"[\s.,]+", " ", fold(name)).split())


class _KnownNames:
    """The written forms of known names, each mapped to its canonical name, matched on folded text.

    Forms are grouped by their first word and tried only where the text has that word: one regex of
    thousands of alternatives would cost seconds a megabyte.
    """

    def __init__(self, names: Iterable[str]):
        self.forms: dict[str, str] = {}  # canonical form as written -> canonical name
        surnames: dict[str, set[str]] = {}
        for name in names:
            if not name or not name.strip():
                continue
            canonical = _canonical(name)
            forms, surname = _name_forms(name)
            for form in forms:
                self.forms.setdefault(_canonical(form), canonical)
            if surname:
                surnames.setdefault(_canonical(surname), set()).add(canonical)
        # a surname two known people share stands for neither of them
        self.surnames = {s: next(iter(c)) if len(c) == 1 else s for s, c in surnames.items()}
        self.full = _by_first_word(self.forms)
        self.surname = _by_first_word(self.surnames)

    def hits(self, text: str, folded: str) -> list[_Hit]:
        out = []
        for start, end in _find(self.full, folded):
            out.append(_Hit(start, end, "person", self.forms[_canonical(folded[start:end])]))
        for start, end in _find(self.surname, folded):
            if not text[start].isupper():
                continue  # a lower-case surname is most likely the word it also is
            key = _canonical(folded[start:end])
            initial = regex.search(r"(?<!\w)\p{Lu}\.?[ \t]*$", text[max(0, start - 4) : start])
            if initial:
                start -= len(initial.group())
            out.append(_Hit(start, end, "person", self.surnames[key]))
        return out


_WORDS = regex.compile(r"\w+")


def _by_first_word(forms: Iterable[str]) -> dict[str, regex.Pattern[str]]:
    groups: dict[str, list[str]] = {}
    for form in forms:
        groups.setdefault(form.split()[0], []).append(form)
    return {first: _alternation(group) for first, group in groups.items()}


def _find(patterns: dict[str, regex.Pattern[str]], folded: str) -> list[tuple[int, int]]:
    """Non-overlapping matches of the forms, each tried only where its first word starts."""
    found: list[tuple[int, int]] = []
    if not patterns:
        return found
    for w in _WORDS.finditer(folded):
        pattern = patterns.get(w.group())
        if pattern is None or (found and w.start() < found[-1][1]):
            continue
        m = pattern.match(folded, w.start())
        if m:
            found.append((m.start(), m.end()))
    return found


def _is_initial(token: str) -> bool:
    return len(token.rstrip(".")) == 1 and token[0].isalpha()


def _name_forms(name: str) -> tuple[list[str], str | None]:
    """Written forms of ``name`` ("John Smith", "Smith, John", "Smith J") and its folded surname."""
    raw = " ".join(name.split())
    if "," in raw:
        last, _, first = raw.partition(",")
        given, surname = first.split(), last.split()
    else:
        parts = raw.split()
        if len(parts) >= 2 and _is_initial(parts[-1]) and not _is_initial(parts[0]):
            given, surname = parts[-1:], parts[:-1]
        else:
            given, surname = parts[:-1], parts[-1:]
    if not given or not surname:  # one word: a login ("jsmith") anywhere, a capitalised name only as such
        return ([raw], None) if raw.islower() else ([], fold(raw))
    sur, first, initial = " ".join(surname), given[0], given[0][0]
    forms = [
        raw,
        f"{' '.join(given)} {sur}",
        f"{first} {sur}",
        f"{sur} {first}",
        f"{initial} {sur}",
        f"{sur} {initial}",
    ]
    return forms, fold(sur)


def _alternation(forms: Iterable[str]) -> regex.Pattern[str]:
    """A regex matching any of ``forms`` (canonical: words split by spaces) as whole words on folded text."""
    alts = []
    for form in sorted(set(forms), key=len, reverse=True):
        pieces = [regex.escape(w) + (r"\.?" if len(w) == 1 else "") for w in form.split()]
        alts.append(r"[ \t]*,?[ \t]*".join(pieces))
    return regex.compile(rf"(?<!\w)(?:{'|'.join(alts)})(?!\w)")


class PrivacyMasker:
    """Mask e-mail addresses, phone numbers and people's names, keeping the text's length.

    Args:
        names: known people (e.g. technicians); matched in their written variants, see the module docstring.
        salt: key of the digests; use one secret salt per deployment to compare digests across documents.
        kinds: what to mask, any of ``"email"``, ``"phone"``, ``"person"``.
        regions: ISO country codes whose national phone formats are recognised (international ones always).

    Example:
        >>> PrivacyMasker(kinds=["email"])("mail ops@plant.example or call 0113 496 0000").text
        'mail [EMAIL]__________ or call 0113 496 0000'
    """

    def __init__(
        self,
        *,
        names: Iterable[str] = (),
        salt: str = "mfg-kg",
        kinds: Collection[str] = KINDS,
        regions: Sequence[str] = DEFAULT_REGIONS,
    ):
        unknown = sorted(set(kinds) - set(KINDS))
        if unknown:
            raise BadInputError(f"Unknown masking kind(s) {unknown}; choose from {', '.join(KINDS)}.")
        self.kinds = frozenset(kinds)
        self.regions = tuple(regions)
        self._key = salt.encode("utf-8")
        self._known = _KnownNames(names)

    def __call__(self, text: str, *, extra_names: Iterable[str] = ()) -> Masked:
        """Mask ``text``; ``extra_names`` are known for this text only (e.g. its work order's technician)."""
        hits: list[_Hit] = []  # in priority order: an earlier hit wins an overlap
        if "email" in self.kinds and "@" in text:
            hits += [_Hit(m.start(), m.end(), "email", m.group().lower()) for m in _EMAIL.finditer(text)]
        if "phone" in self.kinds:
            hits += self._phones(text)
        if "person" in self.kinds:
            folded = fold(text)
            extra = list(extra_names)
            if extra:
                hits += _KnownNames(extra).hits(text, folded)
            hits += self._known.hits(text, folded)
            hits += _pattern_names(text)
        chosen: list[_Hit] = []
        for h in hits:
            if h.end > h.start and all(h.end <= c.start or h.start >= c.end for c in chosen):
                chosen.append(h)
        chosen.sort(key=lambda h: h.start)
        out, pos = [], 0
        for h in chosen:
            out += [text[pos : h.start], mask_string(h.kind, h.end - h.start)]
            pos = h.end
        out.append(text[pos:])
        maskings = tuple(Masking(h.start, h.end, h.kind, self.digest(h.kind, h.canonical)) for h in chosen)
        return Masked("".join(out), maskings)

    def digest(self, kind: str, canonical: str) -> str:
        """The salted digest of a canonical value (see the module docstring)."""
        mac = hmac.new(self._key, f"{kind}\0{canonical}".encode(), hashlib.sha256)
        return mac.hexdigest()[:16]

    def _phones(self, text: str) -> list[_Hit]:
        hits = []
        for lo, hi in _phone_windows(
            text
        ):  # the matcher is slow and gives up after 65535 tries: feed it windows
            window = text[lo:hi]
            for region in self.regions:
                for m in phonenumbers.PhoneNumberMatcher(
                    window, region, leniency=phonenumbers.Leniency.VALID
                ):
                    if _looks_like_phone(text, lo + m.start, m.raw_string):
                        e164 = phonenumbers.format_number(m.number, phonenumbers.PhoneNumberFormat.E164)
                        ext = f";ext={m.number.extension}" if m.number.extension else ""
                        hits.append(_Hit(lo + m.start, lo + m.end, "phone", e164 + ext))
        for m in _EXTENSION.finditer(text):
            hits.append(_Hit(m.start(), m.end(), "phone", "ext=" + regex.sub(r"\D", "", m.group())))
        return hits


def _phone_windows(text: str) -> list[tuple[int, int]]:
    """Stretches of ``text`` around runs of 6+ digits, with room for a prefix and an extension."""
    windows: list[tuple[int, int]] = []
    for m in _DIGIT_RUN.finditer(text):
        if sum(c.isdigit() for c in m.group()) < 6:
            continue
        prefix = text[m.start() - 1] if m.start() else ""
        if not _phone_shaped(text, m.start(), prefix + m.group()):
            continue  # the matcher's finds in a bare digit run would all be refused
        lo, hi = max(0, m.start() - 8), min(len(text), m.end() + 24)
        if windows and lo <= windows[-1][1]:
            windows[-1] = (windows[-1][0], hi)
        else:
            windows.append((lo, hi))
    return windows


def _looks_like_phone(text: str, start: int, raw: str) -> bool:
    """Labelled as a phone, or written like one and not right after an identifier label."""
    if _phone_labelled(text, start):
        return True
    if _ID_LABEL.search(text[max(text.rfind("\n", 0, start) + 1, start - 32) : start]):
        return False
    return _phone_shaped(text, start, raw)


def _phone_labelled(text: str, start: int) -> bool:
    return _PHONE_LABEL.search(text[max(text.rfind("\n", 0, start) + 1, start - 32) : start]) is not None


def _phone_shaped(text: str, start: int, raw: str) -> bool:
    """International (``+``, ``00``), grouped ("0113 496 0000", "(212) 555-0123") or labelled."""
    international = raw.startswith(("+", "00"))
    grouped = regex.search(r"\d[ \-.()/]+\d|^\(", raw) is not None
    return international or grouped or _phone_labelled(text, start)


def _pattern_names(text: str) -> list[_Hit]:
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
                hits.append(_Hit(start, end, "person", _canonical(name)))
    return hits
