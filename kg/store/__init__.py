"""Graph stores: a name-keyed registry of backends, imported on first use.

Example:
    >>> from kg.core.settings import Settings
    >>> store = open_store(Settings().store)    # doctest: +SKIP  (embedded FalkorDB in .kg-data)
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING

from kg.core.errors import ConfigError

if TYPE_CHECKING:
    from kg.core.settings import Settings, StoreSettings
    from kg.store.base import GraphStore

#: backend name -> "module:factory"; the factory takes StoreSettings (and Settings for Neo4j env vars)
BACKENDS: dict[str, str] = {
    "falkordb": "kg.store.falkordb_store:open_falkordb",
    "neo4j": "kg.store.neo4j_store:open_neo4j",
}


def open_store(settings: StoreSettings | Settings) -> GraphStore:
    """Open the configured backend (nothing connects before this is called)."""
    from kg.core.settings import Settings

    store_settings = settings.store if isinstance(settings, Settings) else settings
    if isinstance(settings, Settings) and store_settings.backend == "neo4j":
        store_settings = store_settings.model_copy(update={"neo4j": settings.neo4j()})
    target = BACKENDS.get(store_settings.backend)
    if target is None:
        raise ConfigError(
            f"Unknown store backend {store_settings.backend!r}; choose one of {', '.join(BACKENDS)}."
        )
    module, factory = target.split(":")
    store: GraphStore = getattr(importlib.import_module(module), factory)(store_settings)
    return store
