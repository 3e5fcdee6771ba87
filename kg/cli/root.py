"""The ``kg`` Typer app and what every command shares: global options, errors as exit codes, output helpers.

The global options (``--data-dir``, ``--backend``, ``--debug``) build one :class:`~kg.core.settings.Settings`
that the commands read from :data:`state`. Commands run their work through :func:`run`, so an error from
mfg-kg prints as one clear message (no traceback) and exits with code 2; ``--debug`` shows the traceback.

Example:
    A command module defines a thin command over a function that does the work::

        def stats_cli() -> None:
            run(lambda: stats(state.settings))
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Annotated, Any, TypeVar

import typer
from rich.console import Console
from rich.table import Table

from kg.core.errors import ConfigError, KGError
from kg.core.settings import Settings, load_settings

app = typer.Typer(
    help="mfg-kg: manufacturing knowledge graphs from documents.",
    no_args_is_help=True,
    pretty_exceptions_show_locals=False,
)
console = Console()
err = Console(stderr=True)
T = TypeVar("T")
#: a progress callback as the library calls it: ``(kind, info)``
ProgressCallback = Callable[[str, dict[str, Any]], None]


class CliState:
    """What the global options decided, read by every command.

    Example:
        >>> s = CliState()
        >>> s.debug
        False
    """

    settings: Settings
    debug: bool = False


state = CliState()


@app.callback()
def main(
    data_dir: Annotated[Path | None, typer.Option(help="Embedded FalkorDB data directory.")] = None,
    backend: Annotated[str | None, typer.Option(help="falkordb (default) or neo4j.")] = None,
    debug: Annotated[bool, typer.Option(help="Show tracebacks.")] = False,
) -> None:
    """Settings come from KG_* environment variables; these options override them."""
    try:
        settings = load_settings()
    except ConfigError as e:
        err.print(f"[red]error:[/red] {e}")
        raise typer.Exit(2) from e
    overrides: dict[str, Any] = {}
    if data_dir is not None:
        overrides["data_dir"] = data_dir
    if backend is not None:
        overrides["backend"] = backend
    if overrides:
        try:
            store = settings.store.model_validate({**settings.store.model_dump(), **overrides})
        except ValueError as e:
            err.print(f"[red]Invalid option:[/red] {e}")
            raise typer.Exit(2) from e
        settings = settings.model_copy(update={"store": store})
    state.settings = settings
    state.debug = debug


def run(fn: Callable[[], T]) -> T:
    """Run a command body, turning our errors into one message and exit code 2."""
    try:
        return fn()
    except KGError as e:
        if state.debug:
            raise
        err.print(f"[red]error:[/red] {e}")
        raise typer.Exit(2) from e


def run_with_exit_code(fn: Callable[[], int]) -> None:
    """:func:`run`, then exit with the code the body returned when it is not 0 (1: some input failed)."""
    code = run(fn)
    if code:
        raise typer.Exit(code)


def table(rows: list[dict[str, Any]], title: str, *, hide_ids: bool = False) -> Table:
    """Rows as a rich table, columns from the first row (``hide_ids``: leave out the ``*_id`` columns)."""
    out = Table(title=title, show_lines=False)
    cols = [c for c in (rows[0] if rows else []) if not (hide_ids and c.endswith("_id"))]
    for c in cols:
        out.add_column(c)
    for r in rows:
        out.add_row(*("" if r[c] is None else str(r[c]) for c in cols))
    return out


def key_values(info: dict[str, Any]) -> str:
    """``k=v, k=v``: how a training epoch's numbers are shown."""
    return ", ".join(f"{k}={v}" for k, v in info.items())


def first_use_progress(
    out: Console, *, noun: str = "extractor", budget_note: str = " on this machine"
) -> ProgressCallback:
    """A progress callback that reports the default model's one-time training: the start, then each epoch."""

    def report(kind: str, info: dict[str, Any]) -> None:
        if kind == "first-use":
            out.print(
                f"First use: training the default {noun} into {info['model']} "
                f"(up to {info['max_minutes']:.0f} min{budget_note}; later runs load it)."
            )
        elif kind == "epoch":
            out.print("  " + key_values(info))

    return report
