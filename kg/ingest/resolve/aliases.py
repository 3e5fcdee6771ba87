"""Alias tables: which spellings of an entity name one canonical name, read from JSON and checked.

A table is ``{label: {canonical name: [alias, ...]}}``; :func:`alias_groups` turns one label's part into a
look-up from canonical key to its group, which the resolver's alias step uses.

Example:
    >>> groups = alias_groups("Supplier", {"SKF": ["SKF Group", "Aktiebolaget SKF"]}, "aliases")
    >>> groups["skf"].canonical
    'SKF'
"""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path

from kg.core.errors import BadInputError
from kg.ingest.resolve.canonical_keys import canonical_key


@dataclass(frozen=True)
class AliasGroup:
    """One canonical name and the canonical keys of all its spellings.

    Example:
        >>> AliasGroup("SKF", ("skf", "skf group")).keys[0]
        'skf'
    """

    canonical: str
    keys: tuple[str, ...]  # canonical key of the canonical name first


def alias_groups(label: str, groups: Mapping[str, Sequence[str]], source: str) -> dict[str, AliasGroup]:
    """Canonical key -> its group, for one label; an alias under two canonical names is an error."""
    out: dict[str, AliasGroup] = {}
    for canonical, aliases in groups.items():
        if isinstance(aliases, str) or not isinstance(aliases, Sequence):
            raise BadInputError(f"{source}: {label} {canonical!r}: aliases must be a list of names")
        keys = [canonical_key(label, name) for name in (canonical, *aliases)]
        if not all(keys):
            raise BadInputError(f"{source}: {label} {canonical!r} has a blank name among {list(aliases)!r}")
        group = AliasGroup(canonical, tuple(dict.fromkeys(keys)))
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
    data = _read_json(path)
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
        alias_groups(label, table[label], str(path))
    return table


def _read_json(path: Path) -> object:
    """The parsed file; every way reading it can fail becomes a BadInputError that names the file."""
    try:
        return json.loads(Path(path).read_text(encoding="utf-8"))
    except OSError as e:
        raise BadInputError(
            f"{path}: cannot read the alias table ({e.strerror or e}); check the path."
        ) from e
    except UnicodeDecodeError as e:
        raise BadInputError(f"{path}: the alias table is not UTF-8 text; save it as UTF-8 JSON.") from e
    except json.JSONDecodeError as e:
        raise BadInputError(f"{path}: invalid JSON at line {e.lineno}, column {e.colno}: {e.msg}.") from e
