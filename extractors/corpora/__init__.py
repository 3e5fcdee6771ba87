"""Readers: public corpora and user annotation files → :class:`~extractors.types.AnnotatedText` lists.

Every reader returns a :class:`ReadResult` — a plain ``list[AnnotatedText]`` with character spans and
relations as entity indices — whose ``report`` counts what was repaired, merged, skipped or ignored.
Malformed input raises :class:`kg.core.errors.BadInputError` naming the file, the line or record, the problem,
and the fix.

Corpora: :func:`read_maintie`, :func:`read_mwo2kg`, :func:`read_dfki_product`, :func:`read_tfh2020`,
:func:`read_materials`, :func:`read_cause_effect` (Causal News Corpus, BECAUSE). User formats:
:func:`read_annotations` (guesses the format), :func:`read_jsonl`,
:func:`read_label_studio`, :func:`read_conll`, :func:`read_brat_dir`, :func:`read_brat_pair`,
:func:`read_brat_zip`, :func:`read_spert_json`; :func:`write_jsonl` saves. Afterwards:
:func:`apply_label_map`, :func:`documents_to_sentences`, :func:`split_by_id`.

Example:
    >>> from extractors.corpora import read_annotations, apply_label_map
    >>> texts = read_annotations("my_work_orders.jsonl")  # doctest: +SKIP
    >>> mapping = {"Item": "PhysicalObject"}
    >>> texts, report = apply_label_map(texts, mapping, {}, unknown="drop")  # doctest: +SKIP
"""

from extractors.corpora._common import ReadReport, ReadResult
from extractors.corpora.brat import read_brat_dir, read_brat_pair
from extractors.corpora.brat_corpora import read_brat_zip, read_materials, read_tfh2020
from extractors.corpora.causal import read_cause_effect
from extractors.corpora.conll import read_conll, read_mwo2kg
from extractors.corpora.dfki import read_dfki_product
from extractors.corpora.dispatch import FORMATS, read_annotations
from extractors.corpora.jsonl import read_jsonl, write_jsonl
from extractors.corpora.label_map import LabelMapReport, Unknown, apply_label_map
from extractors.corpora.label_studio import read_label_studio
from extractors.corpora.spert import read_maintie, read_spert_json
from extractors.corpora.transforms import documents_to_sentences, split_by_id

read_dfki = read_dfki_product  # short name used by training configs (extractors.data.READERS)

__all__ = [
    "FORMATS",
    "LabelMapReport",
    "ReadReport",
    "ReadResult",
    "Unknown",
    "apply_label_map",
    "documents_to_sentences",
    "read_annotations",
    "read_brat_dir",
    "read_brat_pair",
    "read_brat_zip",
    "read_cause_effect",
    "read_conll",
    "read_dfki",
    "read_dfki_product",
    "read_jsonl",
    "read_label_studio",
    "read_maintie",
    "read_materials",
    "read_mwo2kg",
    "read_spert_json",
    "read_tfh2020",
    "split_by_id",
    "write_jsonl",
]
