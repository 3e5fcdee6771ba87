"""The words that name no entity on their own: stop words, question words and generic nouns.

A question's words are checked against the linker's vocabulary (these, spaCy's English stop words and the
ontology's class words the caller adds) before any pass looks for a name, so "Which parts" links nothing
while "Plant Alpha of Leeds" may.

Example:
    >>> in_vocabulary("single-sourced", GENERIC), in_vocabulary("delivering", {"deliver"})
    (True, True)
"""

from __future__ import annotations

from collections.abc import Set

#: generic nouns and question words that name no entity on their own
GENERIC = frozenset(
    [
        "equipment",
        "machine",
        "machines",
        "asset",
        "assets",
        "part",
        "parts",
        "component",
        "components",
        "item",
        "items",
        "supplier",
        "suppliers",
        "vendor",
        "vendors",
        "site",
        "sites",
        "plant",
        "plants",
        "line",
        "material",
        "materials",
        "product",
        "products",
        "failure",
        "failures",
        "mode",
        "modes",
        "cause",
        "causes",
        "effect",
        "effects",
        "list",
        "show",
        "tell",
        "give",
        "find",
        "rank",
        "need",
        "want",
        "know",
        "which",
        "what",
        "who",
        "whom",
        "whose",
        "where",
        "when",
        "why",
        "how",
        "many",
        "much",
        "please",
        "pls",
        "plz",
        "thanks",
        "thx",
        "graph",
        "data",
        "risk",
        "single",
        "sole",
        "source",
        "sourced",
        "only",
        "one",
        "two",
        # how analysts write questions: words that count, point or abbreviate, never a name in a question
        "tag",
        "tags",
        "qty",
        "quantity",
        "itself",
        "eqpt",
        "wo",
        "wos",
        "pn",
        "pns",
        "count",
        "total",
        "number",
        "registered",
        "logged",
        "distinct",
        "across",
        "both",
        "all",
        "every",
        "doc",
        "docs",
        "document",
        "documents",
        "file",
        "files",
        # kinds of document: what is asked for, never an entity ("find the report on the compressor belt")
        "report",
        "manual",
        "certificate",
        "cert",
        "datasheet",
        "notice",
        "letter",
        "memo",
        "minutes",
        "quotation",
        "quote",
        "offer",
        "paperwork",
        "incl",
        "including",
        "excl",
        "excluding",
        "plus",
        "what's",
        "whats",
        "consist",
        "contain",
        "comprise",
        # what is done against a failure ("what mitigates hose abrasion"): the asking, never the failure
        "mitigate",
        "mitigation",
        "prevent",
        "avoid",
        "countermeasure",
        "corrective",
        "preventive",
        "preventative",
        "remedy",
        "remedies",
        "recommended",
        "action",
        "actions",
        # adverbs that qualify the asking, never a name ("how does the leeds compressor typically fail")
        "typically",
        "usually",
        "normally",
        "generally",
        "often",
        "frequently",
        "commonly",
        "mostly",
        "recently",
        "currently",
        "repeatedly",
        "probably",
        "possibly",
        "likely",
    ]
)


def known(word: str, vocabulary: Set[str]) -> bool:
    """In the vocabulary as written or without a plural/-ing/-ed ending ("delivering" → "deliver")."""
    if word in vocabulary:
        return True
    for suffix, add in (("ing", ""), ("ing", "e"), ("ed", ""), ("ed", "e"), ("es", ""), ("s", "")):
        if word.endswith(suffix) and len(word) > len(suffix) + 2 and word[: -len(suffix)] + add in vocabulary:
            return True
    return False


def in_vocabulary(word: str, vocabulary: Set[str]) -> bool:
    """A stop word or question word; a hyphenated word when all its parts are ("single-sourced")."""
    w = word.casefold()
    return known(w, vocabulary) or ("-" in w and all(known(p, vocabulary) for p in w.split("-") if p))
