"""Canonical keys of entity names: equal keys are the same entity, whatever the spelling.

Organisations lose case, punctuation, legal forms ("GmbH & Co. KG", "S.p.A.", "Sp. z o.o."), "Group" and a
leading "The"/"AB"; part numbers and equipment tags lose every separator; other names are normalised words.
This module also says which names are codes (compared only by key, never by similarity) and which labels
are organisations or proper names.

Example:
    >>> canonical_key("Supplier", "Aktiebolaget SKF"), canonical_key("Part", "6205-2RSH")
    ('skf', '62052rsh')
"""

from __future__ import annotations

import re
import unicodedata

from kg.core.keys import node_id, normalise_name, normalise_part_number

#: Labels of organisations. Resolution never crosses labels; :meth:`EntityResolver.related` and
#: :meth:`EntityResolver.same_organization` report entities of these labels that share a canonical key.
RELATED_LABELS = frozenset({"Supplier", "Manufacturer", "Organization"})
#: Labels whose names are proper names: a name whose words are all in another's is the same thing
#: ("Atlas Copco" in "Atlas Copco Compressors UK", "Plant Alpha" in "Plant Alpha – Leeds"), like
#: rapidfuzz's token_set_ratio of 100. Other names are descriptions, where extra words change the thing
#: ("feed pump" vs "feed pump motor"); both kinds also match by token_sort_ratio (typos, word order).
PROPER_NAME_LABELS = RELATED_LABELS | {"Site"}

# Legal forms stripped from the end of organisation names (dots and "A/S"-style slashes removed first, so
# "S.p.A." is "spa"), repeatedly, so chains such as "GmbH & Co. KG" go too. "group" is stripped as well:
# in our data "SKF Group" is SKF, and a group is the same supplier as its parent brand for resolution.
# Meaningful words ("Technology", "International", "UK") are kept: HYDAC Technology Ltd is not HYDAC
# International GmbH.
# fmt: off
_LEGAL_SUFFIXES = frozenset({
    "inc", "incorporated", "corp", "corporation", "co", "company", "ltd", "limited", "llc", "llp", "plc",
    "gmbh", "mbh", "ag", "kg", "kgaa", "se", "sa", "sas", "spa", "srl", "sarl", "bv", "nv", "ab", "oy", "oyj",
    "as", "asa", "aps", "sro", "kk", "pty", "pvt", "pte", "lp", "ltda", "bvba", "sprl", "group",
    "and",  # "& Co." chains
})
# fmt: on
_LEGAL_PHRASES = (("sp", "z", "oo"),)  # Sp. z o.o.
_LEGAL_PREFIXES = frozenset({"the", "aktiebolaget", "ab"})  # "AB SKF" is how SKF writes its own name
_SLASHED = re.compile(r"\b(\w)/(\w)\b")  # A/S -> as
_APOSTROPHES = re.compile(r"['’`´]")
_AND = re.compile(r"[&+]")
_NON_WORD = re.compile(r"[\W_]+")
_DIGITS = re.compile(r"\d+")
# A tag: letter-and-digit segments joined by separators, no spaces (LDS-P-101, OST-HP-02); upper-case
# segments that may also be separated by spaces (LDS P102); or a compact upper-case one (P101). Names in
# words ("P-101 feed pump", "Hydraulic press 400 t") are compared as words.
_TAG = re.compile(r"^(?=\S*\d)(?=\S*[^\W\d_])[^\W_]+(?:[-_./:#][^\W_]+)+$")
_SPACED_TAG = re.compile(r"^(?=.*\d)[A-Z][A-Z0-9]*(?:[ \-_./:#]+[A-Z0-9]+)+$")
_COMPACT_TAG = re.compile(r"^[A-Z]{1,6}\d{1,6}[A-Z]?$")


def looks_like_tag(name: str) -> bool:
    """Whether an equipment name is a tag (compared as a code) rather than words.

    Example:
        >>> looks_like_tag("LDS-P-101"), looks_like_tag("LDS P102"), looks_like_tag("P-101 feed pump")
        (True, True, False)
    """
    text = name.strip()
    return bool(_TAG.match(text) or _SPACED_TAG.match(text) or _COMPACT_TAG.match(text))


def is_code(label: str, name: str) -> bool:
    """Whether ``name`` of ``label`` is an identifier code: every part number, and equipment tags."""
    return label == "Part" or (label == "Equipment" and looks_like_tag(name))


def organization_key(name: str) -> str:
    """An organisation's name without case, punctuation, legal forms, "Group" and a leading "The"/"AB".

    Example:
        >>> organization_key("Schaeffler Technologies AG & Co. KG"), organization_key("Aktiebolaget SKF")
        ('schaeffler technologies', 'skf')
    """
    text = unicodedata.normalize("NFKC", name).casefold().replace(".", "")
    text = _AND.sub(" and ", _APOSTROPHES.sub("", _SLASHED.sub(r"\1\2", text)))
    tokens = _NON_WORD.sub(" ", text).split()
    while len(tokens) > 1 and tokens[0] in _LEGAL_PREFIXES:
        tokens = tokens[1:]
    stripped = True
    while stripped and len(tokens) > 1:
        stripped = False
        for phrase in _LEGAL_PHRASES:
            if len(tokens) > len(phrase) and tuple(tokens[-len(phrase) :]) == phrase:
                tokens, stripped = tokens[: -len(phrase)], True
        if len(tokens) > 1 and tokens[-1] in _LEGAL_SUFFIXES:
            tokens, stripped = tokens[:-1], True
    return " ".join(tokens)


def entity_id(label: str, name: str) -> str:
    """The node id a new entity gets. Organisations take it from their canonical key ("Aktiebolaget SKF",
    "SKF Group" -> ``Supplier:skf``), so an entity's id does not depend on which spelling came first."""
    code = is_code(label, name)
    if label in RELATED_LABELS and not code:
        key = canonical_key(label, name)
        if key:
            return f"{label}:{key}"
    return node_id(label, name, is_code=code)


def canonical_key(label: str, name: str) -> str:
    """The identity key of ``name`` for ``label``: equal keys are the same entity.

    Organisations (:data:`RELATED_LABELS`) use :func:`organization_key`; part numbers and equipment tags
    :func:`kg.core.keys.normalise_part_number`; everything else :func:`kg.core.keys.normalise_name`.

    Example:
        >>> canonical_key("Supplier", "Parker Hannifin Corp."), canonical_key("Part", "6205-2RSH")
        ('parker hannifin', '62052rsh')
        >>> canonical_key("Equipment", "LDS-P-101"), canonical_key("Equipment", "Hydraulic  Power Unit")
        ('ldsp101', 'hydraulic power unit')
    """
    if is_code(label, name):
        return normalise_part_number(name)
    if label in RELATED_LABELS:
        return organization_key(name)
    return normalise_name(name)


def comparison_words(key: str) -> str:
    """What fuzzy and embedding steps compare: the canonical key's words ("plant beta – ostrava" and
    "plant beta - ostrava" both give "plant beta ostrava")."""
    return " ".join(_NON_WORD.sub(" ", key).split()) or key


def number_tokens(words: str) -> tuple[str, ...]:
    """The numbers in a name, in order: names whose numbers differ ("pump 1", "pump 2") never merge by
    similarity.

    Example:
        >>> number_tokens("feed pump 2 line 10")
        ('2', '10')
    """
    return tuple(_DIGITS.findall(words))
