"""Write samples/qa/questions.jsonl: competency questions with gold answers computed from the source tables.

The gold answers come straight from samples/structured/*.csv and the work-order tables, by plain Python
over the CSV rows (not through mfg-kg's queries), so the evaluation compares the system against its
sources. Answers are natural keys, not graph ids: ``tag:`` equipment tag, ``pn:`` part number (both
without separators, casefolded), ``org:`` organisation name key, ``site:`` site name, ``fm:`` failure-mode
name, ``wo:`` work-order number. ``kg eval-qa`` maps answer entities to the same keys.

Run: ``.venv/bin/python samples/tools/make_qa_questions.py`` (prints a summary; review the diff).
"""

from __future__ import annotations

import csv
import json
from collections import defaultdict
from pathlib import Path

from kg.core.keys import normalise_name, normalise_part_number
from kg.evaluation.qa import org_key

ROOT = Path(__file__).resolve().parents[1]
S = ROOT / "structured"
WO = ROOT / "documents" / "work_orders"
OUT = ROOT / "qa" / "questions.jsonl"


def tag(t: str) -> str:
    return "tag:" + normalise_part_number(t)


def pn(p: str) -> str:
    return "pn:" + normalise_part_number(p)


def org(name: str) -> str:
    return org_key(name)  # through samples/gold/aliases.json: the hand-checked organisation identities


def rows(path: Path) -> list[dict[str, str]]:
    with path.open(encoding="utf-8") as f:
        return list(csv.DictReader(f))


equipment = rows(S / "equipment.csv")
bom = rows(S / "bom.csv")
fmea = rows(S / "fmea.csv")
orders = [r for f in sorted(WO.glob("*.csv")) for r in rows(f)]
parent = {e["tag"]: e["parent_tag"] for e in equipment if e["parent_tag"]}
site_of = {e["tag"]: e["site"] for e in equipment}
children: dict[str, list[str]] = defaultdict(list)
for child, par in parent.items():
    children[par].append(child)


def ancestors(t: str) -> set[str]:
    out = set()
    while t in parent:
        t = parent[t]
        out.add(t)
    return out


def descendants(t: str) -> set[str]:
    out, todo = set(), [t]
    while todo:
        for c in children[todo.pop()]:
            out.add(c)
            todo.append(c)
    return out


def suppliers(part_number: str) -> set[str]:
    return {org(r["supplier"]) for r in bom if r["part_number"] == part_number}


def where_used(part_number: str) -> set[str]:
    """The equipment whose own BOM lists the part (the assemblies above it are context, not the answer)."""
    return {tag(r["equipment_tag"]) for r in bom if r["part_number"] == part_number}


def depends_on(part_number: str) -> set[str]:
    """Every equipment that needs the part: its BOM rows' equipment and their assemblies (criticality)."""
    direct = {r["equipment_tag"] for r in bom if r["part_number"] == part_number}
    return {tag(t) for d in direct for t in {d} | ancestors(d)}


def supplier_impact(supplier_key: str) -> set[str]:
    """The equipment whose own BOM lines name the supplier (a part another line buys elsewhere is not hit)."""
    return {tag(r["equipment_tag"]) for r in bom if org(r["supplier"]) == supplier_key}


def bom_of(t: str) -> set[str]:
    tags = {t} | descendants(t)
    return {pn(r["part_number"]) for r in bom if r["equipment_tag"] in tags} | {
        tag(c) for c in descendants(t)
    }


def alternatives(part_number: str) -> set[str]:
    out = {pn(r["alternative_part_number"]) for r in bom if r["part_number"] == part_number}
    out |= {pn(r["part_number"]) for r in bom if r["alternative_part_number"] == part_number}
    return {x for x in out if x != "pn:"} - {pn(part_number)}


def failure_modes(t: str) -> set[str]:
    """The FMEA modes of the equipment and its own parts (equipment mounted in it has its own FMEA)."""
    parts = {r["part_number"] for r in bom if r["equipment_tag"] == t}
    return {"fm:" + normalise_name(r["failure_mode"]) for r in fmea if r["item"] in {t} | parts}


def history(t: str) -> set[str]:
    """Work orders written against the asset itself (its sub-assemblies have their own history)."""
    return {"wo:" + r["work_order"] for r in orders if r["asset"] == t}


def single_source() -> set[str]:
    by_part: dict[str, set[str]] = defaultdict(set)
    for r in bom:
        by_part[r["part_number"]].add(org(r["supplier"]))
    return {pn(p) for p, s in by_part.items() if len(s) == 1}


def most_critical() -> str:
    scores = {p: len(depends_on(p) & {tag(e["tag"]) for e in equipment}) / len(suppliers(p)) for p in
              {r["part_number"] for r in bom}}  # fmt: skip
    return pn(max(scores, key=lambda p: (scores[p], p)))


def most_concentrated_site() -> str:
    """HHI of suppliers' shares of the (item, supplier) links of every item installed at the site."""
    hhi = {}
    for site in {e["site"] for e in equipment}:
        items = {r["part_number"] for r in bom if site_of[r["equipment_tag"]] == site}
        count: dict[str, int] = defaultdict(int)
        for p in items:
            for s in suppliers(p):
                count[s] += 1
        total = sum(count.values())
        hhi[site] = sum((n / total) ** 2 for n in count.values())
    return "site:" + normalise_name(max(hhi, key=lambda s: hhi[s]))


def q(
    question: str, tool: str, entities: list[str], answer: set[str] | list[str], match: str = "exact"
) -> dict:
    return {
        "question": question,
        "tool": tool,
        "entities": entities,
        "answer": sorted(answer),
        "match": match,
    }


SKF, PARKER, GATES, ERIKS = org("SKF"), org("Parker Hannifin"), org("Gates Industrial Europe"), org("ERIKS")
QUESTIONS = [
    # supplier impact
    q("What does an outage of SKF hit?", "supplier_impact", [SKF], supplier_impact(SKF)),
    q(
        "If Parker Hannifin stops delivering, which equipment is affected?",
        "supplier_impact",
        [PARKER],
        supplier_impact(PARKER),
    ),
    q(
        "Which machines depend on Gates Industrial Europe?",
        "supplier_impact",
        [GATES],
        supplier_impact(GATES),
    ),
    q("What breaks if we lose ERIKS as a supplier?", "supplier_impact", [ERIKS], supplier_impact(ERIKS)),
    # single source
    q("Which parts are single-sourced?", "single_source", [], single_source(), "contains"),
    q("Which items have only one supplier?", "single_source", [], single_source(), "contains"),
    q("List sole-source items", "single_source", [], single_source(), "contains"),
    # suppliers of
    q("Who supplies the 6205-2RSH bearing?", "suppliers_of", [pn("6205-2RSH")], suppliers("6205-2RSH")),
    q(
        "Which suppliers provide PH-2SN08-1500?",
        "suppliers_of",
        [pn("PH-2SN08-1500")],
        suppliers("PH-2SN08-1500"),
    ),
    q("Where can we buy the V-belt SPA 1250?", "suppliers_of", [pn("SPA1250")], suppliers("SPA1250")),
    q("Who sells us 22210 E?", "suppliers_of", [pn("22210 E")], suppliers("22210 E")),
    # alternatives
    q("What are the alternatives to SPA1250?", "alternatives", [pn("SPA1250")], alternatives("SPA1250")),
    q(
        "Is there an equivalent for HD-0160D010BN4HC?",
        "alternatives",
        [pn("HD-0160D010BN4HC")],
        alternatives("HD-0160D010BN4HC"),
    ),
    q("Which part can substitute 6205-2RSR?", "alternatives", [pn("6205-2RSR")], alternatives("6205-2RSR")),
    q("Interchangeable parts for THK-HSR25A", "alternatives", [pn("THK-HSR25A")], alternatives("THK-HSR25A")),
    # where used
    q("Where is the 6205-2RSH used?", "where_used", [pn("6205-2RSH")], where_used("6205-2RSH")),
    q("Which equipment contains JC-T2100-35?", "where_used", [pn("JC-T2100-35")], where_used("JC-T2100-35")),
    q(
        "Which machines use the radial shaft seal CR-40X62X8-HMSA10V?",
        "where_used",
        [pn("CR-40X62X8-HMSA10V")],
        where_used("CR-40X62X8-HMSA10V"),
    ),
    q(
        "In which assets is KTR-R28-92A installed?",
        "where_used",
        [pn("KTR-R28-92A")],
        where_used("KTR-R28-92A"),
    ),
    # bill of materials
    q("Show the bill of materials of LDS-P-101", "bom", [tag("LDS-P-101")], bom_of("LDS-P-101")),
    q("What parts does OST-HP-02-HPU have?", "bom", [tag("OST-HP-02-HPU")], bom_of("OST-HP-02-HPU")),
    q("List the components of LDS-CV-01-GB", "bom", [tag("LDS-CV-01-GB")], bom_of("LDS-CV-01-GB")),
    q("BOM for OST-CNC-02", "bom", [tag("OST-CNC-02")], bom_of("OST-CNC-02")),
    # failure chains
    # (contains: modes that work orders record beyond the FMEA sheet are right answers too)
    q(
        "How can the coolant supply pump fail?",
        "failure_chains",
        [tag("LDS-P-101")],
        failure_modes("LDS-P-101"),
        "contains",
    ),
    q(
        "What are the failure modes of LDS-HP-01-HPU?",
        "failure_chains",
        [tag("LDS-HP-01-HPU")],
        failure_modes("LDS-HP-01-HPU"),
        "contains",
    ),
    q(
        "Show the FMEA of OST-P-201",
        "failure_chains",
        [tag("OST-P-201")],
        failure_modes("OST-P-201"),
        "contains",
    ),
    q(
        "What causes LDS-CMP-01 to fail?",
        "failure_chains",
        [tag("LDS-CMP-01")],
        failure_modes("LDS-CMP-01"),
        "contains",
    ),
    # failure history
    q(
        "What is the maintenance history of OST-HP-02-HPU?",
        "failure_history",
        [tag("OST-HP-02-HPU")],
        history("OST-HP-02-HPU"),
    ),
    q(
        "Which work orders were raised on LDS-CMP-01?",
        "failure_history",
        [tag("LDS-CMP-01")],
        history("LDS-CMP-01"),
    ),
    q("What failures has OST-P-201 had?", "failure_history", [tag("OST-P-201")], history("OST-P-201")),
    q(
        "Show the work orders for LDS-CV-01-GB",
        "failure_history",
        [tag("LDS-CV-01-GB")],
        history("LDS-CV-01-GB"),
    ),
    # shortest connection
    q(
        "How is SKF connected to Plant Alpha – Leeds?",
        "shortest_path",
        [SKF, "site:plant alpha – leeds"],
        [SKF, "site:plant alpha – leeds"],
        "contains",
    ),
    q(
        "What links Timken Europe and OST-CV-02?",
        "shortest_path",
        [org("Timken Europe"), tag("OST-CV-02")],
        [org("Timken Europe"), tag("OST-CV-02")],
        "contains",
    ),
    q(
        "How does HYDAC Technology Ltd relate to LDS-HP-01?",
        "shortest_path",
        [org("HYDAC Technology Ltd"), tag("LDS-HP-01")],
        [org("HYDAC Technology Ltd"), tag("LDS-HP-01")],
        "contains",
    ),
    # entity detail
    q("Tell me about LDS-CNC-01", "entity_detail", [tag("LDS-CNC-01")], [tag("LDS-CNC-01")], "contains"),
    q(
        "What do we know about Bosch Rexroth Ltd?",
        "entity_detail",
        [org("Bosch Rexroth Ltd")],
        [org("Bosch Rexroth Ltd")],
        "contains",
    ),
    q("Details of OST-CMP-01", "entity_detail", [tag("OST-CMP-01")], [tag("OST-CMP-01")], "contains"),
    q(
        "Information on the Plant Beta – Ostrava site",
        "entity_detail",
        ["site:plant beta – ostrava"],
        ["site:plant beta – ostrava"],
        "contains",
    ),
    # analytics
    q("Which parts are most critical?", "criticality", [], [most_critical()], "top1"),
    q("What are our supply bottlenecks?", "criticality", [], [most_critical()], "top1"),
    q("Rank items by criticality", "criticality", [], [most_critical()], "top1"),
    q(
        "Which site has the most concentrated supplier base?",
        "concentration",
        [],
        [most_concentrated_site()],
        "top1",
    ),
    q(
        "How concentrated is our supplier base per site?",
        "concentration",
        [],
        [most_concentrated_site()],
        "top1",
    ),
    q("Where is the supply base least diversified?", "concentration", [], [most_concentrated_site()], "top1"),
    # paraphrases that need fuzzy/containment linking
    q(
        "Who supplies the mechanical seal JC-T2100-35?",
        "suppliers_of",
        [pn("JC-T2100-35")],
        suppliers("JC-T2100-35"),
    ),
    q("What happens if SKF Group goes bankrupt?", "supplier_impact", [SKF], supplier_impact(SKF)),
    q("Where is the shaft sleeve NWC-SS-35 used?", "where_used", [pn("NWC-SS-35")], where_used("NWC-SS-35")),
    q("When did OST-CMP-01 last break down?", "failure_history", [tag("OST-CMP-01")], history("OST-CMP-01")),
]


def main() -> None:
    OUT.parent.mkdir(parents=True, exist_ok=True)
    with OUT.open("w", encoding="utf-8") as f:
        for i, item in enumerate(QUESTIONS, 1):
            f.write(json.dumps({"id": f"q{i:02d}", **item}, ensure_ascii=False) + "\n")
    tools = sorted({x["tool"] for x in QUESTIONS})
    print(f"{len(QUESTIONS)} questions over {len(tools)} tools -> {OUT}")
    for x in QUESTIONS:
        if not x["answer"]:
            print("EMPTY GOLD:", x["question"])


if __name__ == "__main__":
    main()
