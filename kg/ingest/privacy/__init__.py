"""Mask personal data (e-mail addresses, phone numbers, people's names) in documents before extraction.

Masks keep every character offset valid: a value of length ``n`` is replaced by exactly ``n`` characters,

- ``[EMAIL]`` / ``[PHONE]`` / ``[PERSON]`` followed by ``_`` up to ``n`` when the value is at least as long
  as the tag ("john.smith@acme.com" → ``[EMAIL]____________``);
- else ``[E]`` / ``[T]`` (telephone) / ``[P]`` padded with ``_`` when ``n >= 3`` ("Li Na" → ``[P]__``);
- else ``X`` repeated ``n`` times ("Bo" → ``XX``).

Each :class:`Masking` carries a digest: the first 16 hex digits of HMAC-SHA256(salt, kind + value) over a
canonical value (e-mail lower-cased, phone in E.164, a known person's name as given, folded), so one person
is recognisable across documents without the name being stored, and another salt gives unrelated digests.

What is found:

- email: a regex for ``local@domain.tld`` (dots, plus-tags, hyphenated and Unicode domains).
- phone: :class:`phonenumbers.PhoneNumberMatcher` at leniency VALID for each of ``regions`` (default GB,
  DE, CZ, US), kept only when written like a phone number (international ``+``/``00`` prefix, or grouped
  with spaces, dashes, dots or brackets) or labelled ("Tel", "phone", "mobile", "fax", …), and never right
  after an identifier label ("PO", "order", "part", "S/N", "#", …); plus bare extensions ("ext. 2231").
  Part numbers, dates, PO numbers, tags and quantities ("6205-2RSH", "PO 4500012345", "2024-03-11",
  "LDS-P-101", "22210 E", "0.05 mm") are not phone numbers.
- person: names you pass (``names``, e.g. a work-order table's technician column, or ``extra_names`` per
  call) in any case and with or without accents, as full name, "J. Smith", "Smith J", "Smith, John", and
  the surname alone when it is capitalised in the text (a one-word name counts as a surname, unless it is
  all lower case like the login "jsmith"); and, for unknown people, capitalised names after an honorific
  ("Mr", "Dr", "Ing.", "Herr", "Frau", …; the title itself stays), after a role label ("Tech:",
  "Technician:", "Inspected by", "Contact:", "Bearbeiter:", "Zpracoval:", …) and on the line after a
  sign-off ("Regards,", "Mit freundlichen Grüßen", "S pozdravem", …).

Limits: there is no statistical NER model (none with known provenance is available offline), so an unknown
name in running text without one of those cues ("spoke to Jane about the pump", "call out Jim") is not
found, nor is a lower-case one after a label ("tech: jsmith" unless "jsmith" is known). After a label a
single capitalised word followed by a lower-case word is taken for a sentence ("Technician: Replaced
bearing"), and in a list of names only the first may be a single word. A known surname that is also a word
("Bolt") is masked wherever it is capitalised, and a capitalised non-name after a label ("Contact: Acme
Pumps") is masked unless it holds a word from :data:`NOT_NAME_WORDS`. A phone number that directly follows
other digits ("PO 4500012345 0113 496 0000") is not found (the matcher reads them as one number). Digests
of unknown names found by pattern are keyed on the text as written, so "J. Smith" and "John Smith" share a
digest only when the name is known.

Where each part lives: :mod:`~kg.ingest.privacy.masker` (:class:`PrivacyMasker`),
:mod:`~kg.ingest.privacy.masks` (:func:`mask_string`, :class:`Masking`, :class:`Masked`),
:mod:`~kg.ingest.privacy.contact_details` (e-mail and phone), :mod:`~kg.ingest.privacy.known_names` (names you
pass, :func:`fold`) and :mod:`~kg.ingest.privacy.name_patterns` (names found by their cues).

Example:
    >>> masker = PrivacyMasker(names=["John Smith"])
    >>> out = masker("Tech: J. Smith, call 0113 496 0000 or john.smith@acme.com")
    >>> out.text
    'Tech: [PERSON], call [PHONE]______ or [EMAIL]____________'
    >>> [m.kind for m in out.maskings]
    ['person', 'phone', 'email']
"""

from kg.ingest.privacy.contact_details import DEFAULT_REGIONS
from kg.ingest.privacy.known_names import fold
from kg.ingest.privacy.masker import PrivacyMasker
from kg.ingest.privacy.masks import KINDS, Masked, Masking, mask_string
from kg.ingest.privacy.name_patterns import NOT_NAME_WORDS

__all__ = [
    "DEFAULT_REGIONS",
    "KINDS",
    "NOT_NAME_WORDS",
    "Masked",
    "Masking",
    "PrivacyMasker",
    "fold",
    "mask_string",
]
