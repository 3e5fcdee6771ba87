"""The MaintNorm corpus on disk: where a split's ``.norm`` file is, and how to read it."""

from __future__ import annotations

from pathlib import Path

from kg.core.errors import ConfigError

#: MaintNorm split name -> file name in ``data/combined``.
SPLIT_FILES = {"train": "train.norm", "dev": "val.norm", "test": "test.norm"}

Text = list[tuple[str, str]]


def read_maintnorm(path: Path) -> list[Text]:
    """Read a MaintNorm ``.norm`` file: texts as lists of (raw token, normalised form).

    Example:
        >>> read_maintnorm(maintnorm_file("dev"))[0][:2]   # doctest: +SKIP
        [('AN426', '<id>'), ('Replace', 'replace')]
    """
    texts: list[Text] = []
    current: Text = []
    for line in path.read_text(encoding="utf-8").splitlines():
        if not line.strip():
            if current:
                texts.append(current)
            current = []
            continue
        raw, _, norm = line.partition("\t")
        current.append((raw.strip(), " ".join(norm.split()).lower()))
    if current:
        texts.append(current)
    return texts


def maintnorm_file(split: str, root: Path | None = None) -> Path:
    """The ``.norm`` file of ``split`` (train, dev or test) of the combined corpus under ``root``.

    Raises:
        ConfigError: unknown split, or the dataset is not there.
    """
    if split not in SPLIT_FILES:
        raise ConfigError(f"Unknown MaintNorm split {split!r}; choose one of {', '.join(SPLIT_FILES)}.")
    if root is None:
        from extractors.data import datasets_dir

        root = datasets_dir() / "maintnorm"
    path = root / "data" / "combined" / SPLIT_FILES[split]
    if not path.is_file():
        raise ConfigError(
            f"MaintNorm's {split} split not found at {path}. The repository ships its train and dev splits "
            "(extractors/datasets/maintnorm); for others, set KG_DATASETS_DIR to a folder holding "
            "maintnorm/data/combined/."
        )
    return path
