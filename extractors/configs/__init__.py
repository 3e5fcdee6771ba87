"""Training configs shipped with mfg-kg (``kg train maintie`` finds ``maintie.toml`` here)."""

from __future__ import annotations

from pathlib import Path

from kg.core.errors import ConfigError

HERE = Path(__file__).resolve().parent


def shipped() -> list[str]:
    return sorted(p.stem for p in HERE.glob("*.toml"))


def resolve_config(name_or_path: str) -> Path:
    """A path as given when it exists, else a shipped config by name."""
    p = Path(name_or_path)
    if p.is_file():
        return p
    candidate = HERE / f"{name_or_path}.toml"
    if candidate.is_file():
        return candidate
    raise ConfigError(
        f"No training config {name_or_path!r}: give a .toml/.json path or one of {', '.join(shipped())}."
    )
