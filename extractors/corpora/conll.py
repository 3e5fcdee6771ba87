"""CoNLL-style token-per-line files (BIO, IOBES or IO tags), and the MWO2KG corpus that uses them.

Blank lines separate texts; ``-DOCSTART-`` lines are skipped. Columns are tab-separated when a line has a
tab, otherwise whitespace-separated. The text is the tokens joined by single spaces.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Literal

from extractors.corpora._common import (
    ReadReport,
    ReadResult,
    bad_input,
    build_text,
    join_tokens,
    log_report,
    read_text_file,
)
from extractors.types import EntityAnnotation
from kg.core.errors import BadInputError

Scheme = Literal["BIO", "IOBES", "IO"]
SchemeArg = Literal["BIO", "IOBES", "IO", "auto"]
_PREFIX_ALIASES = {"U": "S", "L": "E"}  # BILOU spellings of IOBES


@dataclass
class _Sentence:
    first_line: int
    tokens: list[str] = field(default_factory=list)
    tags: list[tuple[int, str]] = field(default_factory=list)  # (line number, tag)


def read_conll(
    path: str | Path,
    *,
    token_col: int = 0,
    label_col: int = -1,
    scheme: SchemeArg = "BIO",
    source: str | None = None,
    id_prefix: str | None = None,
) -> ReadResult:
    """Read a CoNLL file into texts with character spans.

    Args:
        path: the file.
        token_col: column holding the token.
        label_col: column holding the tag (default: the last).
        scheme: ``BIO`` (B-X, I-X, O), ``IOBES`` (also S-X/E-X; BILOU's U-/L- accepted), ``IO`` (X or I-X),
            or ``auto`` (IOBES if any S-/E-/U-/L- tag, IO if no tag has a prefix, else BIO).
        source: value of each text's ``source`` (default: the path).
        id_prefix: text ids are ``{id_prefix}/{index}`` (default: the file stem).

    Returns:
        One text per blank-line-separated block. Ill-formed tag sequences (an I- tag after O or after
        another type) start a new entity and are counted under ``report.counts["repaired_tags"]``.

    Raises:
        BadInputError: a line has a different number of columns than the first one, or a tag is not in the
            scheme; the message names the line.
    """
    if scheme not in ("BIO", "IOBES", "IO", "auto"):
        raise BadInputError(f"scheme={scheme!r} is not supported: use 'BIO', 'IOBES', 'IO' or 'auto'.")
    p = Path(path)
    report = ReadReport(source=source or str(p))
    prefix = id_prefix if id_prefix is not None else p.stem
    out = ReadResult(report=report)
    blocks = _blocks(p, token_col, label_col, report)
    if scheme == "auto":
        scheme = _guess_scheme({tag for b in blocks for _, tag in b.tags})
        report.add(f"scheme_{scheme}")
    for sent in blocks:
        text, starts = join_tokens(sent.tokens)
        ents = [
            EntityAnnotation(start=starts[a], end=starts[b - 1] + len(sent.tokens[b - 1]), label=lab)
            for a, b, lab in _decode(sent.tags, scheme, str(p), report)
        ]
        where = f"{p}, line {sent.first_line}"
        out.append(
            build_text(
                f"{prefix}/{len(out)}", text, ents, [], source=report.source, where=where, report=report
            )
        )
    log_report(report)
    return out


def _blocks(p: Path, token_col: int, label_col: int, report: ReadReport) -> list[_Sentence]:
    blocks: list[_Sentence] = []
    cur: _Sentence | None = None
    n_cols: int | None = None
    for ln, line in enumerate(read_text_file(p).splitlines(), 1):
        cols = line.split("\t") if "\t" in line else line.split()
        cols = [c.strip() for c in cols]
        if not line.strip() or cols[0] == "-DOCSTART-":
            if cols and cols[0] == "-DOCSTART-":
                report.add("docstart_lines")
            cur = None
            continue
        if n_cols is None:
            n_cols = len(cols)
            if n_cols < 2 or max(token_col, label_col, -label_col - 1, -token_col - 1) >= n_cols:
                raise bad_input(
                    f"{p}, line {ln}",
                    f"{n_cols} column(s), but token_col={token_col} and label_col={label_col}",
                    "Put the token and its tag on each line, separated by a tab or a space",
                )
        if len(cols) != n_cols or not all(cols):
            raise bad_input(
                f"{p}, line {ln}",
                f"{len(cols)} column(s) where {n_cols} are expected ({line!r})",
                "Every token line needs the same columns; separate texts with an empty line",
            )
        if cur is None:
            cur = _Sentence(first_line=ln)
            blocks.append(cur)
        cur.tokens.append(cols[token_col])
        cur.tags.append((ln, cols[label_col]))
    return blocks


def _guess_scheme(tags: set[str]) -> Scheme:
    prefixes = {t.partition("-")[0] for t in tags if "-" in t and t != "O"}
    if prefixes & {"S", "E", "U", "L"}:
        return "IOBES"
    return "BIO" if prefixes & {"B", "I"} else "IO"


def _split_tag(tag: str, scheme: Scheme, where: str) -> tuple[str, str]:
    """``'B-Item'`` → ``('B', 'Item')``; ``'O'`` → ``('O', '')``."""
    if tag == "O":
        return "O", ""
    if scheme == "IO":
        pre, sep, lab = tag.partition("-")
        return ("I", lab) if sep and pre in ("I", "B") and lab else ("I", tag)
    pre, sep, lab = tag.partition("-")
    pre = _PREFIX_ALIASES.get(pre, pre) if scheme == "IOBES" else pre
    allowed = ("B", "I") if scheme == "BIO" else ("B", "I", "E", "S")
    if not sep or not lab or pre not in allowed:
        raise bad_input(
            where,
            f"tag {tag!r} is not a {scheme} tag (expected O or {'/'.join(p + '-TYPE' for p in allowed)})",
            "Fix the tag, or pass the right scheme= ('BIO', 'IOBES', 'IO' or 'auto')",
        )
    return pre, lab


def _decode(
    tags: list[tuple[int, str]], scheme: Scheme, path: str, report: ReadReport
) -> list[tuple[int, int, str]]:
    """Token spans ``(start, end_exclusive, label)`` from a tag sequence."""
    spans: list[tuple[int, int, str]] = []
    open_start: int | None = None
    open_label = ""
    for i, (ln, tag) in enumerate(tags):
        pre, lab = _split_tag(tag, scheme, f"{path}, line {ln}")
        continues = open_start is not None and lab == open_label and pre in ("I", "E")
        if open_start is not None and not continues:
            if scheme == "IOBES" and pre != "E":
                report.add("repaired_tags", f"{path}, line {ln}: entity before it has no E- tag")
            spans.append((open_start, i, open_label))
            open_start = None
        if pre == "O":
            continue
        if open_start is None:
            if pre in ("I", "E") and scheme != "IO":
                report.add(
                    "repaired_tags", f"{path}, line {ln}: {tag} does not continue an entity; read as B-"
                )
            open_start, open_label = i, lab
        if pre in ("S", "E"):
            spans.append((open_start, i + 1, open_label))
            open_start = None
    if open_start is not None:
        if scheme == "IOBES":
            report.add("repaired_tags", f"{path}, line {tags[-1][0]}: last entity has no E- tag")
        spans.append((open_start, len(tags), open_label))
    return spans


def read_mwo2kg(path: str | Path) -> ReadResult:
    """Read an MWO2KG NER split (``mwo2kg_ner/train.conll`` or ``dev.conll``, ``token tag`` BIO lines).

    Example:
        >>> texts = read_mwo2kg("datasets/mwo2kg_ner/train.conll")  # doctest: +SKIP
    """
    p = Path(path)
    return read_conll(p, scheme="BIO", source=f"mwo2kg_ner/{p.name}", id_prefix=f"mwo2kg/{p.stem}")
