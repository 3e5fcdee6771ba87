"""What a question asks besides its entities: a date range, open work only, a count, a ranking, a kind of
document, a property the graph may not hold.

Read from the words before linking, so "2024" or "jan-apr 2025" never link to an entity whose name holds
the number; the spans read are blanked for the linker (:meth:`Constraints.blank`). Sites and excluded
suppliers are entities and come from linking (:mod:`kg.qa.service`); this module reads words only.

Example:
    >>> c = read_constraints("how many wos on p-101 since march 2025, still open?")
    >>> c.count, c.since, c.until, c.open_only
    (True, datetime.date(2025, 3, 1), None, True)
    >>> read_constraints("lds-cv-01-gb work orders jan-apr 2025").until
    datetime.date(2025, 4, 30)
    >>> read_constraints("any certs or 8D reports from trelleborg?").doc_kinds
    ('8d', 'certificate')
    >>> read_constraints("mtbf of ost-p-201-m").unheld
    'MTBF'
"""

from __future__ import annotations

import calendar
import re
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from kg.qa.periods import read_period

MONTHS = {  # "september", "sep", "sept"
    name.lower(): k
    for k in range(1, 13)
    for name in (calendar.month_name[k], calendar.month_abbr[k], calendar.month_name[k][:4])
}
_MONTH = r"(?:" + "|".join(sorted(MONTHS, key=len, reverse=True)) + r")\.?"
_YEAR = r"(?:19|20)\d\d"
_DAY = r"\d{1,2}(?:st|nd|rd|th)?"
#: a day ("2025-02-14", "14 February 2025", "February 14, 2025", "14.02.2025"), a month of a year, a year
_POINT = (
    rf"(?:\d{{4}}-\d{{1,2}}-\d{{1,2}}|{_DAY}\s+{_MONTH}\s*,?\s*{_YEAR}|{_MONTH}\s+{_DAY},?\s*{_YEAR}|"
    rf"\d{{1,2}}[./]\d{{1,2}}[./]{_YEAR}|{_MONTH}\s*{_YEAR}|{_YEAR})"
)
#: "jan-apr 2025", "march to may 2024": two months of one year
_MONTH_RANGE = re.compile(rf"\b({_MONTH})\s*(?:-|–|to|until|till)\s*({_MONTH})\s*({_YEAR})\b", re.IGNORECASE)
_BETWEEN = re.compile(
    rf"\b(?:between|from)\s+({_POINT})\s+(?:and|to|until|till|-|–)\s+({_POINT})\b", re.IGNORECASE
)
#: a month and a two-digit year after "in" ("in apr 25", "back in feb '25"): the month of 2025 ("on apr 25"
#: would be a day, and stays unread)
_IN_MONTH_SHORT_YEAR = re.compile(
    rf"\b(?:in|during)\s+({_MONTH})\s*['’]?(\d\d)\b(?!\s*(?:st|nd|rd|th)\b)(?![.:/-]\d)", re.IGNORECASE
)
#: "2024 thru 2025", "jan 2024 to mar 2025", "2024-2025": two points with no "from" or "between"
_POINT_TO_POINT = re.compile(
    rf"\b({_POINT})\s*(?:thru|through|to|until|till|-|–)\s*({_POINT})\b", re.IGNORECASE
)
#: after "from <date>": the date starts a range ("from 2024 onwards", "from march to june")
_ONWARDS = re.compile(
    r"\s*(on\b|onwards?\b|forwards?\b|to\b|until\b|till\b|through\b|thru\b|-|–|and later)", re.IGNORECASE
)
_SINCE = re.compile(rf"\b(?:since|after|from|starting|as of)\s+({_POINT})\b", re.IGNORECASE)
_BEFORE = re.compile(rf"\b(?:before|until|till|up to|prior to)\s+({_POINT})\b", re.IGNORECASE)
_DURING = re.compile(
    rf"(?:\b(?:in|during|for|of|on)\s+)?\b(\d{{1,2}}[./]\d{{1,2}}[./]{_YEAR}|{_DAY}\s+{_MONTH}\s*,?\s*{_YEAR}|"
    rf"{_MONTH}\s+{_DAY},?\s*{_YEAR}|"
    rf"{_MONTH}\s*{_YEAR}|{_YEAR})\b",
    re.IGNORECASE,
)

_COUNT = re.compile(r"\b(how many|number of|no\.? of|qty|quantity|count|total)\b", re.IGNORECASE)
_OPEN = re.compile(
    r"\b(still open|open (work orders?|wos?|jobs?)|not (yet )?closed|outstanding|unfinished|backlog)\b"
    r"|\bopen\b(?=.*\b(work orders?|wos?|jobs?)\b)|\b(work orders?|wos?|jobs?)\b.*\bopen\b",
    re.IGNORECASE,
)

#: kinds of document, and the words a question (or a file's name and title) calls them by
DOC_KINDS: dict[str, str] = {
    "8d": r"\b8d(s| reports?)?\b|eight disciplines",
    "ncr": r"\bncrs?\b|non-?conformance|nonconformit",
    "certificate": r"\bcerts?\b|certificates?|\bcocs?\b|conformity|inspection cert|\b3\.1\b",
    "datasheet": r"data ?sheets?|\btds\b|spec(ification)? sheets?",
    "purchase_order": r"purchase[ _-]?orders?|\bpos?\b|\bp\.o\.",
    "notice": r"notices?|force[ _-]?majeure|discontinu|change notif|change notices?|\bpcns?\b|recalls?|"
    r"obsolescence",
    "incident": r"incident|investigation|\bir-\d",
    "complaint": r"complaints?",
    "offer": r"\boffers?\b|quotations?|\bquotes?\b",
    "manual": r"manuals?|service chapter|maintenance instructions?|handbook",
    "fmea": r"\bfmeas?\b",
    "work_orders": r"work[ _-]?orders?",
    "quality_alert": r"quality[ _-]?alerts?|\balerts?\b",
    "review": r"\breviews?\b|minutes",
    "letter": r"\bletters?\b|qualification|approval",
}
_DOC_KIND_RES = {k: re.compile(v, re.IGNORECASE) for k, v in DOC_KINDS.items()}


def without_kind_words(text: str) -> str:
    """``text`` without the words that name a kind of document ("the coc for the fkm o-rings" → "the  for
    the fkm o-rings"): what is left describes which one."""
    for rx in _DOC_KIND_RES.values():  # whole words: "discontinuations" goes, not "discontinu" of it
        text = re.sub(rf"\w*(?:{rx.pattern})\w*", " ", text, flags=re.IGNORECASE)
    return text


#: properties people ask for that a knowledge graph of facts from records and documents does not hold
UNHELD: dict[str, str] = {
    "price": r"\b(unit )?prices?\b|\bcosts?\b|how much (does|do|is)\b|\beur\b|\busd\b|€|\$|\bspend\b|"
    r"\bpayment terms\b",
    "MTBF": r"\bmtbf\b|mean time between failures?|\bfailure rate (of|for|on)\b",
    "MTTR": r"\bmttr\b|mean time to repair",
    "lead time": r"lead[ -]?times?|delivery (time|date)|\beta\b|\bhow long (does|do|will|would) .{0,40}"
    r"(take|deliver|ship)\b|\bdelivery takes?\b",
    "phone number": r"phone|telephone|\btel\.?\b|mobile number",
    "e-mail address": r"e-?mail",
    "address": r"\baddress\b|postcode|zip code",
    "warranty": r"warrant(y|ies)|guarantee",
    "stock level": r"(?<!out of )(?<!\bno )\bstock\b(?![- ]?outs?\b)|inventory|on hand|\bhow many spares\b|"
    r"\bspares? (do we )?(keep|hold|held|kept)\b",
    "storage location": r"\b(stored|storage location|bin location|warehouse location|shelf location)\b",
    "energy use": r"\bkwh\b|energy (use|consumption)|power consumption",
    "contact person": r"\b(contact (person|name|details)|account manager|sales (rep|representative)|"
    r"key account|(maintenance|production|plant|site|quality|purchasing) (planner|manager|supervisor|"
    r"director|buyer)|who is responsible)\b",
    "age": r"\bhow old\b|\bage of\b|\binstall(ed|ation)? (date|year)\b|\bwhen was .{1,40} (installed|bought|"
    r"commissioned)\b|\bcommissioning date\b",
    "weight": r"\bweigh(s|t|ts)?\b|\bhow heavy\b|\bmass of\b",
    "dimensions": r"\bdimensions?\b|\bfootprint\b|\bhow (big|large|wide|tall)\b",
    "minimum order quantity": r"\bmoq\b|\bminimum order( quantity)?\b",
    "serial number": r"\bserial (number|no\.?|#)",
    "running hours": r"\b(running|operating|run) hours\b|\bhours run\b|\bhour meter\b",
    "shelf life": r"\bshelf[- ]life\b|\bexpiry date\b|\bbest before\b",
    "delivery performance": r"\bon[- ]time delivery\b|\botd\b|\bdefect rate\b|\bscrap rate\b|\bppm\b",
    "downtime": r"\bdown ?time\b|\buptime\b|\boee\b|\bavailability\b",
    "maintenance schedule": r"\bnext (pm|service|servicing|calibration|inspection|overhaul|maintenance)\b|"
    r"\b(calibration|inspection|service|pm) (is )?due\b|\bwhen is .{1,40} due\b|\bdue date\b",
    "contract terms": r"\bcontracts?\b.{0,20}\b(expir\w*|ends?|renew\w*|terms?)\b|"
    r"\b(contract|agreement) (expiry|end date|renewal|term)\b",
    "company figures": r"\b(revenue|turnover|headcount|number of employees|how many employees)\b",
    "website": r"\bweb ?site\b|\bhome ?page\b|\burl\b",
    "operating limits": r"\boperating (temperature|pressure|conditions?|range|limits?)\b|"
    r"\b(pressure|temperature|speed|power|load|flow) ratings?\b|\bip ratings?\b|"
    r"\b(max(imum)?|rated) (temperature|pressure|speed|power|load|flow)\b|"
    r"\btemperature (rating|limit|range)\b",
    "electrical ratings": r"\b(voltage|volts|amperage|current draw|rated current|supply frequency)\b",
    "capacity": r"\bcapacity\b|\bthroughput\b|\bflow rate\b|\bm3/(min|h)\b|\bl/min\b|\bfree air delivery\b",
    "service life": r"\b(life ?time|service life|life expectancy|expected life|useful life|l10( life)?)\b|"
    r"\bhow long (does|do|will|should) .{0,30} last\b",
    "lubricant": r"\bwhat (grease|lubricant|oil)\b|\b(grease|lubricant|oil) (type|grade|spec\w*)\b|"
    r"\bviscosity\b",
    "noise level": r"\bnoise (level|rating)s?\b|\bdb\(?a\)?\b|\bdecibels?\b|\bsound (level|pressure)\b",
    "staffing": r"\bhow many (people|technicians|operators|staff|employees|engineers|workers)\b|"
    r"\b(technicians|staff|operators|workers) (work|are|do we have)\b",
    "tightening torque": r"\b(tightening )?torques?( spec\w*| values?| settings?)?\b",
}
_UNHELD_RES = {k: re.compile(v, re.IGNORECASE) for k, v in UNHELD.items()}


@dataclass
class Constraints:
    """The question's conditions; ``spans`` are the characters they were read from."""

    since: date | None = None
    until: date | None = None
    open_only: bool = False
    count: bool = False
    doc_kinds: tuple[str, ...] = ()
    unheld: str | None = None  # a property asked for that the graph does not hold
    spans: list[tuple[int, int]] = field(default_factory=list)
    no_such_date: str | None = None  # "31 February 2025": a date the calendar does not have

    def blank(self, question: str) -> str:
        """The question with the date words blanked (same length: mention offsets stay valid)."""
        chars = list(question)
        for s, e in self.spans:
            chars[s:e] = " " * (e - s)
        return "".join(chars)

    def in_range(self, day: str | None) -> bool:
        """Whether an ISO date is in the asked range (an unknown date is not, when a range was asked)."""
        if self.since is None and self.until is None:
            return True
        if not day:
            return False
        try:
            d = date.fromisoformat(day[:10])
        except ValueError:
            return False
        return (self.since is None or d >= self.since) and (self.until is None or d <= self.until)

    def trace(self) -> dict[str, Any]:
        """What was read, for the answer's trace (only what is set)."""
        out: dict[str, Any] = {}
        if self.since:
            out["since"] = self.since.isoformat()
        if self.until:
            out["until"] = self.until.isoformat()
        if self.open_only:
            out["open_only"] = True
        if self.doc_kinds:
            out["document_kinds"] = list(self.doc_kinds)
        if self.unheld:
            out["not_in_graph"] = self.unheld
        return out


def read_constraints(question: str) -> Constraints:
    c = Constraints()
    try:
        _read_dates(question, c)
    except NoSuchDate as e:  # "since 31 February": said, never answered for another date
        c.since = c.until = None
        c.spans = []
        c.no_such_date = str(e)
    c.open_only = bool(_OPEN.search(question))
    c.count = bool(_COUNT.search(question))
    c.doc_kinds = document_kinds(question)
    c.unheld = next((name for name, rx in _UNHELD_RES.items() if rx.search(question)), None)
    return c


#: a statement in a query language sent as a question ("SELECT * FROM suppliers", "MATCH (n) RETURN n")
_QUERY = re.compile(
    r"^\W*(select\b.*\bfrom\b|(insert into|update \w+ set|delete from|drop (table|database))\b|"
    r"(match|merge|create|unwind|call)\s*[(\w].*[()\[\]{}].*)",
    re.IGNORECASE | re.DOTALL,
)


def unreadable(question: str, c: Constraints) -> str | None:
    """Why a question cannot be answered as asked (a date that does not exist, a query statement), or None.

    Example:
        >>> unreadable("repairs since 31 February 2025", read_constraints("repairs since 31 February 2025"))
        "'31 February 2025' is not a date; ask again with one the calendar has."
    """
    if c.no_such_date:
        return f"{c.no_such_date!r} is not a date; ask again with one the calendar has."
    if _QUERY.search(question):
        return (
            "This reads as a query statement, not a question: ask in words, or send read-only Cypher to"
            " POST /query."
        )
    return None


def document_kinds(text: str) -> tuple[str, ...]:
    """The kinds of document ``text`` names (a question, or a file's name and title), in :data:`DOC_KINDS`
    order."""
    plain = text.replace("_", " ")
    return tuple(k for k, rx in _DOC_KIND_RES.items() if rx.search(plain))


def _read_dates(q: str, c: Constraints) -> None:
    if period := read_period(q):  # "q1 2025", "H2 2024", "last 6 months", "last year"
        c.since, c.until = period.since, period.until
        c.spans.append(period.span)
        return
    if m := _MONTH_RANGE.search(q):
        year = int(m.group(3))
        c.since = date(year, _month(m.group(1)), 1)
        c.until = _end(year, _month(m.group(2)))
        c.spans.append(m.span())
        return
    if m := _IN_MONTH_SHORT_YEAR.search(q):
        year = 2000 + int(m.group(2))
        c.since, c.until = date(year, _month(m.group(1)), 1), _end(year, _month(m.group(1)))
        c.spans.append(m.span())
        return
    for rx in (_BETWEEN, _POINT_TO_POINT):
        m = rx.search(q)
        if m and not _inside_code(q, m.start(1), m.end(2)):
            c.since, _ = _point(m.group(1))
            _, c.until = _point(m.group(2))
            c.spans.append(m.span())
            return
    found = False
    if m := _SINCE.search(q):
        c.since, until = _point(m.group(1))
        if m.group(0).lower().startswith("from") and not _ONWARDS.match(q, m.end()):
            c.until = until  # "reports from 2024": dated 2024; "from 2024 on(wards)": since
        c.spans.append(m.span())
        found = True
    if m := _BEFORE.search(q):
        start, _ = _point(m.group(1))
        c.until = date.fromordinal(start.toordinal() - 1)
        c.spans.append(m.span())
        found = True
    if found:
        return
    for m in _DURING.finditer(q):
        if _inside_code(q, m.start(1), m.end(1)):
            continue  # "PO-24-0388", "fmea-2024": part of a code, not a date
        c.since, c.until = _point(m.group(1))
        c.spans.append(m.span())
        return


def _inside_code(q: str, start: int, end: int) -> bool:
    before = q[start - 1] if start > 0 else " "
    after = q[end] if end < len(q) else " "
    return before.isalnum() or before in "-/_" or after.isalnum() or after in "-/_"


def _month(word: str) -> int:
    w = word.lower().rstrip(".")
    return MONTHS[w] if w in MONTHS else MONTHS[w[:3]]


def _end(year: int, month: int) -> date:
    return date(year, month, calendar.monthrange(year, month)[1])


class NoSuchDate(ValueError):
    """A date the calendar does not have ("31 February 2025", "2024-13-45"); its text is the message."""


def _point(text: str) -> tuple[date, date]:
    """The first and last day a date expression covers: a day, a month of a year, or a year."""
    try:
        return _span_of(text.strip().lower())
    except (ValueError, KeyError):
        raise NoSuchDate(text.strip()) from None


def _span_of(t: str) -> tuple[date, date]:
    if m := re.fullmatch(r"(\d{4})-(\d{1,2})-(\d{1,2})", t):
        d = date(int(m.group(1)), int(m.group(2)), int(m.group(3)))
        return d, d
    if m := re.fullmatch(r"(\d{1,2})[./](\d{1,2})[./](\d{4})", t):  # 14.02.2025: day first, as in Europe
        d = date(int(m.group(3)), int(m.group(2)), int(m.group(1)))
        return d, d
    day = re.fullmatch(rf"(\d{{1,2}})(?:st|nd|rd|th)?\s+({_MONTH})\s*,?\s*({_YEAR})", t, re.IGNORECASE)
    day = day or re.fullmatch(rf"({_MONTH})\s+(\d{{1,2}})(?:st|nd|rd|th)?,?\s*({_YEAR})", t, re.IGNORECASE)
    if day:
        first, second, year = day.groups()
        n, month = (first, second) if first[0].isdigit() else (second, first)
        d = date(int(year), _month(month), int(n))
        return d, d
    if m := re.fullmatch(rf"({_MONTH})\s*({_YEAR})", t, re.IGNORECASE):
        year, month = int(m.group(2)), _month(m.group(1))
        return date(year, month, 1), _end(year, month)
    year = int(t)
    return date(year, 1, 1), date(year, 12, 31)
