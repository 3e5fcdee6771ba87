"""API settings: keys and roles, rate and size limits, CORS, uploads. Read from ``KG_API__*``.

The graph's own settings stay in :class:`kg.settings.Settings` (``KG_STORE__*``, ``KG_INGEST__*``, ...);
this section only adds what the HTTP service needs. Lists are JSON in the environment.

Example:
    >>> import os
    >>> os.environ["KG_API__KEYS"] = '[{"key": "r3ad-0nly-k3y-0123456789", "role": "reader", "name": "bi"}]'
    >>> ApiSettings().keys[0].role
    'reader'
    >>> del os.environ["KG_API__KEYS"]
"""

from __future__ import annotations

from pathlib import Path
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, SecretStr, field_validator
from pydantic_settings import BaseSettings, SettingsConfigDict

from kg.errors import ConfigError

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


class ApiSettings(BaseSettings):
    """Settings of the HTTP service (``python -m api``). Environment prefix ``KG_API__``."""

    model_config = SettingsConfigDict(env_prefix="KG_API__", extra="forbid", env_file=None)

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


def load_api_settings() -> ApiSettings:
    """``ApiSettings()`` from the environment, with a message naming the variable to fix."""
    try:
        return ApiSettings()
    except ValueError as e:  # pydantic's ValidationError, pydantic-settings' SettingsError (bad JSON)
        cause = f" ({e.__cause__})" if e.__cause__ else ""  # SettingsError keeps the JSON error there
        raise ConfigError(
            f"Invalid API settings in the environment: {e}{cause}\n"
            "Fix or unset the KG_API__* variables named above (lists are JSON)."
        ) from e
