"""``kg serve``: the HTTP API (:mod:`api`) on the store the global options chose, in one process."""

from __future__ import annotations

from typing import Annotated

import typer

from kg.cli.root import run, state
from kg.core.settings import Settings


def serve_cli(
    host: Annotated[str | None, typer.Option(help="Address (default: KG_API__HOST or 127.0.0.1).")] = None,
    port: Annotated[int | None, typer.Option(help="Port (default: KG_API__PORT or 8000).")] = None,
) -> None:
    """Serve the HTTP API (OpenAPI docs at /docs) on the configured store, in one process."""
    run(lambda: serve(state.settings, host=host, port=port))


def serve(settings: Settings, *, host: str | None = None, port: int | None = None) -> None:
    """Run the API with uvicorn, in one process (``workers=1``), until stopped."""
    import uvicorn

    from api.app import create_app

    api_settings = settings.api
    app_ = create_app(settings)  # honours --data-dir / --backend
    uvicorn.run(app_, host=host or api_settings.host, port=port or api_settings.port, workers=1)
