"""One entry point for the annotation formats users bring: pick the reader by name, extension or content."""

from __future__ import annotations

import zipfile
from pathlib import Path

from extractors.corpora._common import OnError, ReadResult, read_text_file
from extractors.corpora.brat import read_brat_dir, read_brat_pair
from extractors.corpora.brat_corpora import read_brat_zip
from extractors.corpora.conll import read_conll
from extractors.corpora.jsonl import read_json_records, read_jsonl
from extractors.corpora.label_studio import read_label_studio
from extractors.corpora.spert import load_json, read_spert_json
from kg.core.errors import BadInputError

FORMATS = ("jsonl", "json", "label-studio", "spert", "conll", "brat")
_HINT = (
    "Pass format= one of "
    + ", ".join(FORMATS)
    + " (JSONL with character spans, a JSON list of such records, "
    "a Label Studio JSON export, SpERT token-span JSON, CoNLL token/tag lines, or BRAT .txt/.ann files)."
)


def read_annotations(
    path: str | Path, format: str | None = None, *, on_error: OnError = "raise"
) -> ReadResult:
    """Read annotations in any supported user format.

    Without ``format`` the format is guessed: a folder or ``.zip`` with ``.ann`` files is BRAT, an
    ``.ann`` file (or a ``.txt`` with an ``.ann`` beside it) a BRAT pair, ``.jsonl``/``.ndjson`` JSON lines;
    a ``.json`` list is Label Studio when its items have ``annotations``, SpERT when they have ``tokens``,
    otherwise character-span records; other text files whose first line has two or more columns are CoNLL.

    Args:
        path: a file, a folder of BRAT files, or a zip of BRAT files.
        format: one of :data:`FORMATS`, to skip the guessing.
        on_error: ``"skip"`` leaves out (and counts) bad records where the format allows it.

    Raises:
        BadInputError: the path does not exist, the format cannot be told, or the file is malformed.
    """
    p = Path(path)
    if not p.exists():
        raise BadInputError(f"{p}: no such file or folder. Check the path.")
    fmt = format or _sniff(p)
    if fmt == "brat":
        return _read_brat(p, on_error)
    if fmt == "jsonl":
        return read_jsonl(p, on_error=on_error)
    if fmt == "label-studio":
        return read_label_studio(p, on_error=on_error)
    if fmt == "spert":
        return read_spert_json(p)
    if fmt == "conll":
        return read_conll(p, scheme="auto")
    if fmt == "json":
        records = load_json(p)
        if not isinstance(records, list):
            raise BadInputError(f"{p}: expected a JSON list of records. {_HINT}")
        return read_json_records(p, records, on_error=on_error)
    raise BadInputError(f"format={format!r} is not supported. {_HINT}")


def _read_brat(p: Path, on_error: OnError) -> ReadResult:
    if p.is_dir():
        return read_brat_dir(p, on_error=on_error)
    if p.suffix == ".zip":
        return read_brat_zip(p, on_error=on_error)
    txt, ann = p.with_suffix(".txt"), p.with_suffix(".ann")
    return read_brat_pair(txt, ann, on_error=on_error)


def _sniff(p: Path) -> str:
    suffix = p.suffix.lower()
    if p.is_dir():
        if any(p.glob("*.ann")):
            return "brat"
        raise BadInputError(f"{p}: a folder without .ann files. {_HINT}")
    if suffix == ".zip":
        try:
            with zipfile.ZipFile(p) as zf:
                if any(n.endswith(".ann") for n in zf.namelist()):
                    return "brat"
        except zipfile.BadZipFile as e:
            raise BadInputError(f"{p}: not a valid zip archive ({e}).") from e
        raise BadInputError(f"{p}: the archive holds no .ann files. {_HINT}")
    if suffix == ".ann" or (suffix == ".txt" and p.with_suffix(".ann").is_file()):
        return "brat"
    if suffix in (".jsonl", ".ndjson"):
        return "jsonl"
    if suffix == ".json":
        return _sniff_json(p)
    first = next((ln for ln in read_text_file(p).splitlines() if ln.strip() and "-DOCSTART-" not in ln), "")
    if len(first.split("\t") if "\t" in first else first.split()) >= 2:
        return "conll"
    raise BadInputError(f"{p}: cannot tell the annotation format. {_HINT}")


def _sniff_json(p: Path) -> str:
    data = load_json(p)
    first = data[0] if isinstance(data, list) and data else None
    if not isinstance(first, dict):
        raise BadInputError(f"{p}: expected a non-empty JSON list of objects. {_HINT}")
    if "annotations" in first or "completions" in first:  # "completions": Label Studio before 1.0
        return "label-studio"
    if "tokens" in first:
        return "spert"
    if "text" in first:
        return "json"
    raise BadInputError(f"{p}: the JSON items have none of 'annotations', 'tokens' or 'text'. {_HINT}")
