"""The documents tool: documents that mention an entity, of the kinds asked (certificates, 8D reports,
notices...), at a site, or the ones a description names ("the force majeure letter", "manuals for the screw
compressor").

Example:
    >>> DOCUMENTS.matches_rule("any certs from trelleborg"), sorted(_kinds({"document_kinds": "report"}))[:3]
    (True, ['8d', 'complaint', 'incident'])
"""

from __future__ import annotations

import re
from typing import Any

from kg.graph.entities import entity_ref, related_organisations, require
from kg.graph.knowledge_graph import KnowledgeGraph
from kg.graph.results import EntityRef
from kg.qa.answers import Choice
from kg.qa.constraints import document_kinds, without_kind_words
from kg.qa.tools.answer_facts import FactList
from kg.qa.tools.base import MAX_ROWS, Slot, Tool, ToolOutput, name_list, plural, site_scope

#: kinds of report a question means by "report" alone
REPORT_KINDS = frozenset({"8d", "ncr", "incident", "quality_alert", "complaint", "review"})


def _documents(kg: KnowledgeGraph, a: dict[str, str], limit: int) -> ToolOutput:
    """Documents that mention an entity (its own sources, and its organisation's other records'), of the
    kinds asked (certificates, 8D reports, notices...: by file name and title), newest path last."""
    from kg.graph import queries

    if a.get("documents"):  # named by number: those documents (the number's own and those citing it)
        docs = kg.store.read(queries.documents_by_id(), {"ids": a["documents"].split(",")})
    else:
        docs = kg.store.read(queries.all_documents(), {"limit": MAX_ROWS})
    applied = {"document_kinds"}
    about = None
    wanted = _kinds(a)
    if wanted:
        docs = [
            d for d in docs if wanted.intersection(document_kinds(f"{d['file_name']} {d['title'] or ''}"))
        ]
    if a.get("entity"):
        about, docs = _citing(kg, a["entity"], docs, wanted)
    if a.get("about") and (a.get("described") == "yes" or (about is None and not wanted)):
        described = without_kind_words(a["about"]) if wanted else a["about"]  # all are certificates
        best = best_described(docs, described)
        docs = best + logs_recording(kg, about, described, [d for d in docs if d not in best])
    elif a.get("about") and about is None and a.get("several") != "yes":
        docs = _all_described(docs, without_kind_words(a["about"]))  # "minutes of the reliability review"
    if a.get("site"):  # documents that name the site or equipment standing there
        at_site = _site_documents(kg, a["site"])
        docs = [d for d in docs if d["id"] in at_site]
        applied.add("site")
    docs, undated = _of_years(docs, a, applied)
    refs = [EntityRef(id=str(d["id"]), name=str(d["file_name"]), labels=["Document"]) for d in docs]
    facts = FactList()
    for d in docs:
        if about is not None:
            facts.relation(about, "MENTIONED_IN", (str(d["id"]), str(d["file_name"])))
        if d["title"]:
            facts.attribute((str(d["id"]), str(d["file_name"])), "title", d["title"])
    kinds = " or ".join(sorted(wanted - {"report"} or wanted)).replace("_", " ")
    what = f"{kinds} documents" if kinds else "documents"
    answer = (
        f"{plural(len(refs), what[:-1])}"
        f"{(' mentions ' if len(refs) == 1 else ' mention ') + (about.name or about.id) if about else ''}:"
        f" {name_list(refs, 10)}."
        if refs
        else f"No {what}{' mention ' + (about.name or about.id) if about else ''} in the graph."
    )
    if undated:
        answer += f" ({plural(undated, 'document')} with no year in name, title or number left out.)"
    return ToolOutput(
        answer=answer,
        answer_entities=refs[:limit],
        facts=facts.all(),
        cite=[about.id] if about else [],
        applied=applied,
    )


def _citing(
    kg: KnowledgeGraph, entity_id: str, docs: list[dict[str, Any]], wanted: set[str]
) -> tuple[EntityRef, list[dict[str, Any]]]:
    """The entity, and those of ``docs`` that cite it (or its related organisations); when none of the kinds
    asked cites it, those named for it ("manuals for ...")."""
    from kg.graph import queries

    node = require(kg, entity_id, "the question")
    about = entity_ref(node)
    ids = [str(node.properties["id"]), *related_organisations(kg, node.properties["id"])]
    cited = {str(r["id"]) for r in kg.store.read(queries.documents_mentioning(), {"ids": ids})}
    citing = [d for d in docs if d["id"] in cited]
    if not citing and wanted:
        citing = best_described(docs, about.name or "", or_all=False)
    return about, citing


def logs_recording(
    kg: KnowledgeGraph, about: EntityRef | None, described: str, docs: list[dict[str, Any]]
) -> list[dict[str, Any]]:
    """Of ``docs``, the work-order logs with a row on the named equipment that holds the description's words
    ("docs on the OST-P-201-M brg spalling": the 8D report, and the log whose row recorded the spalling)."""
    from kg.qa.causal import FAILURE_WORDS
    from kg.qa.text import holds, stems
    from kg.qa.tools.work_orders import work_orders

    failures = [w for w in described.split() if FAILURE_WORDS.search(w)]  # "overheating", not "written up"
    wanted = stems(" ".join(failures) or _ANY_DOCUMENT.sub(" ", described))
    if about is None or not about.id.startswith("Equipment:") or not wanted:
        return []
    logs = {ev.document for ev in work_orders(kg, about.id, limit=MAX_ROWS) if holds(ev.text, wanted)}
    return [d for d in docs if d["id"] in logs]


def _of_years(docs: list[dict[str, Any]], a: dict[str, str], applied: set[str]) -> tuple[list[Any], int]:
    """ "ncrs in 2025": the documents whose name or title gives a year in the asked range, and how many give
    none (left out); all of them, and 0, when no date is asked."""
    if not (a.get("since") or a.get("until")):
        return docs, 0
    dated = [(d, _year(d)) for d in docs]
    low, high = int((a.get("since") or "0")[:4]), int((a.get("until") or "9999")[:4])
    applied |= {"since", "until"}
    undated = sum(1 for _, y in dated if y is None)
    return [d for d, y in dated if y is not None and low <= y <= high], undated


def _year(d: dict[str, Any]) -> int | None:
    """The year a document's file name, title or number carries ("NCR-2025-004", "review_2025H1",
    "TSS-DN-2025-006"), if one."""
    text = f"{d['file_name']} {d['title'] or ''} {d.get('numbers') or ''}"
    m = re.search(r"(?<!\d)((?:19|20)\d\d)(?!\d)", text)
    return int(m.group(1)) if m else None


def _kinds(a: dict[str, str]) -> set[str]:
    """The kinds of document asked for; "8D reports" the 8D kind, "reports" every kind of report."""
    wanted = {k for k in a.get("document_kinds", "").split(",") if k}
    if wanted - {"report", "work_orders"}:
        wanted -= {"report"}
    elif "report" in wanted:
        wanted = set(REPORT_KINDS) | {"report"}
    return wanted


def described_instead(
    args: dict[str, str], choices: list[Choice], machine: str | None = None
) -> tuple[dict[str, str], list[Choice]]:
    """Documents about a phrase several entities share ("the hose burst"): found by the phrase, as a
    description of the document, rather than asking which entity is meant; about the ``machine`` the
    question names with it, when it names one (its work-order log then counts, :func:`logs_recording`)."""
    ambiguous = {c.id for ch in choices for c in ch.candidates}
    out = {k: v for k, v in args.items() if v not in ambiguous}
    if machine is not None and "entity" not in out:
        out["entity"] = machine
    words = " ".join(ch.mention for ch in choices)
    out["about"] = f"{out['about']} {words}" if out.get("about") else words
    out["described"] = "yes"
    return out, []


def _site_documents(kg: KnowledgeGraph, site_id: str) -> set[str]:
    """The documents that cite a site or any equipment at it."""
    from kg.graph import queries

    ids = [site_id, *(i for i in site_scope(kg, site_id) if i.startswith("Equipment:"))]
    return {str(r["id"]) for r in kg.store.read(queries.documents_mentioning(), {"ids": ids})}


#: words any document's name may hold: they describe no one document ("the investigation report for ...")
_ANY_DOCUMENT = re.compile(r"\b(reports?|documents?|docs?|files?|papers?|records?|on file)\b", re.IGNORECASE)


def _named(d: dict[str, Any]) -> str:
    from kg.qa.text import expand

    return expand(re.sub(r"[_\-.]+", " ", f"{d['file_name']} {d['title'] or ''}")).casefold()


def best_described(docs: list[dict[str, Any]], about: str, *, or_all: bool = True) -> list[dict[str, Any]]:
    """The documents whose file name and title hold most of the question's description words ("the force
    majeure letter", "the 8D about the coolant pump seal leak"); all of them when none holds any (none
    without ``or_all``)."""
    from kg.qa.text import stems

    wanted = stems(_ANY_DOCUMENT.sub(" ", about))

    def score(d: dict[str, Any]) -> int:
        return sum(st in _named(d) for st in wanted)

    top = max((score(d) for d in docs), default=0)
    return [d for d in docs if score(d) == top] if top else (docs if or_all else [])


def _all_described(docs: list[dict[str, Any]], about: str) -> list[dict[str, Any]]:
    """The documents of a listing whose name and title hold the one or two description words, when some do;
    else all. More words list several things ("notices - force majeure, change notices, discontinuations")."""
    from kg.qa.text import stems

    wanted = stems(_ANY_DOCUMENT.sub(" ", about))
    named = [d for d in docs if 0 < len(wanted) <= 2 and all(st in _named(d) for st in wanted)]
    return named or docs


_DOC_WORDS = (
    r"\b(docs?|documents?|files?|paperwork|certs?|certificates?|cocs?|datasheets?|data sheets?|notices?|"
    r"ncrs?|8ds?|8d reports?|purchase orders?|pos|reports?|letters?|offers?|quotations?|quotes?|manuals?|"
    r"minutes|memos?|notifications?|pcns?|ecns?|complaints?|quality alerts?|investigations?|"
    r"incident reports?|write[- ]?ups?|po)\b"
    r"(?![^.?!]{0,40}\b(say|tell|recommend|suggest|advise)s?\b[^.?!]{0,12}\bto do\b)"
)
#: a question about where something is written, or what an organisation sent: documents too
_DOC_QUESTIONS = (
    r"\bwhere( is|'s|’s| are| was| were) .{1,60} "
    r"(mentioned|referenced|cited|named|documented|written up|recorded)\b",
    r"\bwhat (did|has|have) .{1,40} (sent|send|written|write|issued|issue)( us| to us)?\b",
)


def _listing_params(question: str) -> dict[str, str]:
    """The kinds asked for, and whether the question lists several things ("force majeure, change notices
    and discontinuations"): then its words describe no one document."""
    out = {"document_kinds": ",".join(document_kinds(question))} if document_kinds(question) else {}
    if re.search(r"[,;/&]|\b(and|or|plus)\b", question, re.IGNORECASE):
        out["several"] = "yes"
    return out


DOCUMENTS = Tool(
    "documents",
    "Documents",
    (),
    (
        "Which documents mention {X}?",
        "List the 8D reports",
        "Which certificates do we have from {X}?",
        "Documents about {X}",
        "Show the supplier notices",
    ),
    (_DOC_WORDS, *_DOC_QUESTIONS),
    _documents,
    optional=(Slot("entity", ()),),
    params=lambda q: _listing_params(q),
    shape=True,
)
