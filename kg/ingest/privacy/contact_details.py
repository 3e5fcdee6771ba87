"""Find e-mail addresses and phone numbers to mask, by the rules of :mod:`kg.ingest.privacy`."""

from __future__ import annotations

from collections.abc import Sequence

import phonenumbers
import regex

from kg.ingest.privacy.masks import Hit

DEFAULT_REGIONS = ("GB", "DE", "CZ", "US")

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


def email_hits(text: str) -> list[Hit]:
    """The e-mail addresses in ``text``, keyed on their lower-cased form."""
    if "@" not in text:
        return []
    return [Hit(m.start(), m.end(), "email", m.group().lower()) for m in _EMAIL.finditer(text)]


def phone_hits(text: str, regions: Sequence[str]) -> list[Hit]:
    """The phone numbers in ``text`` (national formats of ``regions``, all international ones), as E.164."""
    hits = []
    # The matcher is slow and gives up after 65535 tries: feed it windows around digit runs.
    for lo, hi in _phone_windows(text):
        window = text[lo:hi]
        for region in regions:
            for m in phonenumbers.PhoneNumberMatcher(window, region, leniency=phonenumbers.Leniency.VALID):
                if _looks_like_phone(text, lo + m.start, m.raw_string):
                    e164 = phonenumbers.format_number(m.number, phonenumbers.PhoneNumberFormat.E164)
                    ext = f";ext={m.number.extension}" if m.number.extension else ""
                    hits.append(Hit(lo + m.start, lo + m.end, "phone", e164 + ext))
    for m in _EXTENSION.finditer(text):
        hits.append(Hit(m.start(), m.end(), "phone", "ext=" + regex.sub(r"\D", "", m.group())))
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
