"""``python -m api``: serve the API with uvicorn, in one process (the embedded store has one owner).

Example:
    $ KG_API__KEYS='[{"key": "...", "role": "admin", "name": "ops"}]' python -m api --port 8000
"""

from __future__ import annotations

import argparse
import logging
import sys


def main(argv: list[str] | None = None) -> int:
    """Parse options, build the app from the environment's settings, serve until interrupted."""
    import uvicorn

    from api.app import create_app
    from kg.core.errors import KGError
    from kg.core.settings import load_settings

    parser = argparse.ArgumentParser(prog="python -m api", description="Serve the mfg-kg HTTP API.")
    parser.add_argument("--host", help="Address to listen on (default: KG_API__HOST or 127.0.0.1).")
    parser.add_argument("--port", type=int, help="Port (default: KG_API__PORT or 8000).")
    parser.add_argument("--log-level", default="info", choices=["debug", "info", "warning", "error"])
    args = parser.parse_args(argv)
    logging.basicConfig(level=args.log_level.upper(), format="%(levelname)s %(name)s: %(message)s")
    try:
        settings = load_settings()
        api_settings = settings.api
        app = create_app(settings)
    except KGError as e:
        print(f"error: {e}", file=sys.stderr)
        return 2
    uvicorn.run(
        app,
        host=args.host or api_settings.host,
        port=args.port or api_settings.port,
        log_level=args.log_level,
        workers=1,
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
