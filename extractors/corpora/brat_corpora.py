"""BRAT pairs inside a zip archive, and the two BRAT corpora: TFH-2020 patents and materials syntheses."""

from __future__ import annotations

import zipfile
from pathlib import Path, PurePosixPath
from typing import Literal

from extractors.corpora._common import OnError, ReadReport, ReadResult, bad_input, log_report
from extractors.corpora.brat import parse_brat, read_brat_dir
from kg.core.errors import BadInputError


def _zip_text(zf: zipfile.ZipFile, name: str, where: str) -> str:
    try:  # brat counts a .txt byte-order mark as a character, so only .ann files lose theirs
        return zf.read(name).decode("utf-8-sig" if name.endswith(".ann") else "utf-8")
    except UnicodeDecodeError as e:
        raise bad_input(
            f"{where}:{name}", f"not valid UTF-8 ({e.reason})", "Re-save the file as UTF-8"
        ) from e


def read_brat_zip(
    zip_path: str | Path, *, source: str | None = None, on_error: OnError = "raise"
) -> ReadResult:
    """Read every ``.ann``/``.txt`` pair inside a zip archive, without extracting it.

    Args:
        zip_path: the archive; pairs may sit in any folder inside it.
        source: value of each text's ``source`` (default: the path).
        on_error: ``"skip"`` skips and counts malformed ``.ann`` lines instead of raising.

    Raises:
        BadInputError: not a zip archive, no ``.ann`` files, or an ``.ann`` without its ``.txt``.
    """
    p = Path(zip_path)
    report = ReadReport(source=source or str(p))
    out = ReadResult(report=report)
    try:
        zf = zipfile.ZipFile(p)
    except (OSError, zipfile.BadZipFile) as e:
        raise BadInputError(
            f"{p}: cannot be opened as a zip archive ({e}). Check the path and the file."
        ) from e
    with zf:
        names = set(zf.namelist())
        anns = sorted(n for n in names if n.endswith(".ann") and not n.startswith("__MACOSX/"))
        if not anns:
            raise BadInputError(f"{p}: the archive holds no .ann files. Zip the BRAT .txt/.ann pairs.")
        for ann in anns:
            txt = ann[: -len(".ann")] + ".txt"
            if txt not in names:
                raise BadInputError(f"{p}: {ann} has no {txt} beside it. Every document needs both files.")
            text, ann_text = _zip_text(zf, txt, str(p)), _zip_text(zf, ann, str(p))
            where = f"{p}:{ann}"
            stem = PurePosixPath(ann).stem
            out.append(
                parse_brat(
                    text,
                    ann_text,
                    id=stem,
                    source=report.source,
                    where=where,
                    report=report,
                    on_error=on_error,
                )
            )
    log_report(report)
    return out


def read_tfh2020(zip_path: str | Path) -> ReadResult:
    """Read the TFH-2020 patent abstracts straight from ``TFH_Annotated_Dataset.zip``.

    Two ``.ann`` files carry a truncated annotator-note line (``tatorNotes ...``); they are skipped and
    counted in ``report.counts["skipped_lines"]``. About 90 mentions' ``.ann`` text differs from the text at
    their offsets (e.g. ``60 %`` vs ``60%``); the offsets are used, the cases are counted. There is no
    official split: use :func:`extractors.corpora.split_by_id`.
    """
    p = Path(zip_path)
    return read_brat_zip(p, source=f"tfh2020_patents/{p.name}", on_error="skip")


def read_materials(root: str | Path, split: Literal["train", "dev"] = "train") -> ReadResult:
    """Read the materials-synthesis corpus split listed in ``ner-{split}-fnames.txt`` from ``root/data``.

    Args:
        root: the corpus folder (holding ``data/`` and the ``ner-*-fnames.txt`` lists).
        split: ``"train"`` (200 texts) or ``"dev"`` (15). The test list is held out and never read.

    Raises:
        BadInputError: another split was asked for, or the list or a listed file is missing.
    """
    if split not in ("train", "dev"):
        raise BadInputError(
            f"split={split!r} is not available: use 'train' or 'dev' (the test split is held out)."
        )
    base = Path(root)
    listing = base / f"ner-{split}-fnames.txt"
    try:
        names = [n.strip() for n in listing.read_text(encoding="utf-8").splitlines() if n.strip()]
    except OSError as e:
        raise BadInputError(f"{listing}: cannot be read ({e}). Pass the corpus folder as root.") from e
    return read_brat_dir(base / "data", names=names, source=f"materials_synthesis_procedures/{split}")
