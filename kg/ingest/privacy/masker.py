"""The :class:`PrivacyMasker`: runs the detectors, resolves overlaps and writes the length-keeping masks."""

from __future__ import annotations

import hashlib
import hmac
from collections.abc import Collection, Iterable, Sequence

from kg.core.errors import BadInputError
from kg.ingest.privacy.contact_details import DEFAULT_REGIONS, email_hits, phone_hits
from kg.ingest.privacy.known_names import KnownNames, fold
from kg.ingest.privacy.masks import KINDS, Hit, Masked, Masking, mask_string
from kg.ingest.privacy.name_patterns import pattern_names


class PrivacyMasker:
    """Mask e-mail addresses, phone numbers and people's names, keeping the text's length.

    Args:
        names: known people (e.g. technicians); matched in their written variants (see
            :mod:`kg.ingest.privacy`).
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
        self._known = KnownNames(names)

    def __call__(self, text: str, *, extra_names: Iterable[str] = ()) -> Masked:
        """Mask ``text``; ``extra_names`` are known for this text only (e.g. its work order's technician)."""
        hits: list[Hit] = []  # in priority order: an earlier hit wins an overlap
        if "email" in self.kinds:
            hits += email_hits(text)
        if "phone" in self.kinds:
            hits += phone_hits(text, self.regions)
        if "person" in self.kinds:
            folded = fold(text)
            extra = list(extra_names)
            if extra:
                hits += KnownNames(extra).hits(text, folded)
            hits += self._known.hits(text, folded)
            hits += pattern_names(text)
        chosen: list[Hit] = []
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
        """The salted digest of a canonical value (see :mod:`kg.ingest.privacy`)."""
        mac = hmac.new(self._key, f"{kind}\0{canonical}".encode(), hashlib.sha256)
        return mac.hexdigest()[:16]
