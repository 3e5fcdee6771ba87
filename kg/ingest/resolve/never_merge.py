"""``never_merge``: pairs of surfaces or node ids that must never be one entity, whatever the steps find.

Each pair is kept, per label, as canonical keys (surfaces) or ids (tokens that start with ``Label:``), in a
table built on first use; a mention is blocked from an entity when either of its tokens (candidate id,
canonical key) is paired with one of the entity's.

Example:
    >>> rules = NeverMerge([("HYDAC Technology Ltd", "HYDAC International GmbH")])
    >>> rules.table("Supplier")["hydac technology"]
    {'hydac international'}
"""

from __future__ import annotations

from collections.abc import Iterable

from kg.ingest.resolve.canonical_keys import RELATED_LABELS, canonical_key
from kg.ingest.resolve.label_index import LabelIndex
from kg.ingest.resolve.mentions import Mention


class NeverMerge:
    """The ``never_merge`` pairs of a resolver, and the checks its steps make against them.

    Example:
        >>> NeverMerge([("Supplier:a", "Supplier:b")]).table("Supplier")
        {'Supplier:a': {'Supplier:b'}, 'Supplier:b': {'Supplier:a'}}
    """

    def __init__(self, pairs: Iterable[tuple[str, str]]) -> None:
        self._pairs = [(str(a), str(b)) for a, b in pairs]
        self._tables: dict[str, dict[str, set[str]]] = {}

    def __bool__(self) -> bool:
        return bool(self._pairs)

    def table(self, label: str) -> dict[str, set[str]]:
        """Token -> the tokens it must never merge with, for ``label``."""
        table = self._tables.get(label)
        if table is None:
            table = {}
            for a, b in self._pairs:
                ta, tb = (self._token(label, x) for x in (a, b))
                table.setdefault(ta, set()).add(tb)
                table.setdefault(tb, set()).add(ta)
            self._tables[label] = table
        return table

    @staticmethod
    def _token(label: str, x: str) -> str:
        """An id of ``label``, a surface's canonical key, or, between organisation labels, the key of another
        organisation label's id: "Parker is not Supplier:parker hannifin" holds for its Manufacturer too."""
        if x.startswith(f"{label}:"):
            return x
        prefix, _, key = x.partition(":")
        if label in RELATED_LABELS and prefix in RELATED_LABELS and key:
            return key
        return canonical_key(label, x)

    def blocks_entity(self, idx: LabelIndex, m: Mention, entity: int) -> bool:
        """Whether ``m`` must not merge into entity ``entity`` of ``idx``."""
        if not self._pairs:
            return False
        e = idx.entities[entity]
        table = self.table(idx.label)
        return any(table.get(t, set()) & (e.keys | {e.id}) for t in (m.cand_id, m.key))

    def blocks_pair(self, idx: LabelIndex, a: Mention, b: Mention) -> bool:
        """Whether two mentions of one batch must not be one entity."""
        return self.blocks_ids(idx, a, b.cand_id, b.key)

    def blocks_ids(self, idx: LabelIndex, m: Mention, *tokens: str) -> bool:
        """Whether ``m`` must not be one entity with any of ``tokens`` (ids or canonical keys)."""
        table = self.table(idx.label) if self._pairs else {}
        return any(table.get(t, set()) & set(tokens) for t in (m.cand_id, m.key))
