"""API keys with roles, per-key rate limits and request-size limits.

Authentication and rate limiting run as ASGI middleware, before any request body is read, so an
unauthenticated or over-eager client cannot make the service parse a large upload. Authorisation (which
role a route needs) is a FastAPI dependency, :func:`require_role`, which also documents the key schemes
in OpenAPI. With no keys configured the service is open and every caller is an anonymous admin; the
read-only guard on ``/query`` holds either way.

Example:
    >>> ring = KeyRing([ApiKey(key="r3ad-0nly-k3y-0123456789", role="reader", name="bi")])
    >>> ring.authenticate({"x-api-key": "r3ad-0nly-k3y-0123456789"})
    Principal(name='bi', role='reader')
    >>> Principal("bi", "reader").allows("loader")
    False
"""

from __future__ import annotations

import hmac
import math
import threading
import time
from collections.abc import Awaitable, Callable, Mapping, MutableMapping
from dataclasses import dataclass
from typing import Annotated, Any

from fastapi import Request, Security
from fastapi.security import APIKeyHeader, HTTPAuthorizationCredentials, HTTPBearer
from starlette.datastructures import Headers
from starlette.exceptions import HTTPException as StarletteHTTPException

from api.errors import ApiError, error_response
from kg.core.settings import ROLE_RANK, ApiKey, Role

Scope = MutableMapping[str, Any]
Message = MutableMapping[str, Any]
Receive = Callable[[], Awaitable[Message]]
Send = Callable[[Message], Awaitable[None]]
ASGIApp = Callable[[Scope, Receive, Send], Awaitable[None]]

HOW_TO_SEND = "Send it in the X-API-Key header (or Authorization: Bearer KEY)."


@dataclass(frozen=True)
class Principal:
    """Who is calling: the key's name and role (``anonymous``/``admin`` when the service is open)."""

    name: str
    role: Role

    def allows(self, needed: Role) -> bool:
        return ROLE_RANK[self.role] >= ROLE_RANK[needed]


ANONYMOUS = Principal("anonymous", "admin")


class KeyRing:
    """The configured keys; compares in constant time so response timing does not leak a key."""

    def __init__(self, keys: list[ApiKey]):
        self._keys = [(k.key.get_secret_value().encode(), Principal(k.name, k.role)) for k in keys]

    @property
    def open(self) -> bool:
        return not self._keys

    def authenticate(self, headers: Mapping[str, str]) -> Principal:
        """The caller's principal, or :class:`ApiError` 401 naming what is missing."""
        if self.open:
            return ANONYMOUS
        presented = headers.get("x-api-key")
        auth = headers.get("authorization", "")
        if not presented and auth[:7].lower() == "bearer ":
            presented = auth[7:].strip()
        if not presented:
            raise ApiError(401, "missing_api_key", f"This endpoint needs an API key. {HOW_TO_SEND}")
        given = presented.encode()
        found = None
        for secret, principal in self._keys:  # no early exit: every key is compared
            if hmac.compare_digest(secret, given):
                found = principal
        if found is None:
            raise ApiError(
                401, "unknown_api_key", "The API key is not valid: check it, or ask an admin for a new one."
            )
        return found


class RateLimiter:
    """Token buckets in memory, one per identity: ``per_minute`` refill, ``burst`` capacity.

    Example:
        >>> rl = RateLimiter(per_minute=60, burst=1)
        >>> rl.take("bi"), rl.take("bi") > 0
        (0.0, True)
    """

    MAX_IDENTITIES = 10_000

    def __init__(self, per_minute: int, burst: int | None = None):
        self.rate = per_minute / 60.0
        self.capacity = float(burst or per_minute)
        self._buckets: dict[str, tuple[float, float]] = {}  # identity -> (tokens, last refill)
        self._lock = threading.Lock()

    def take(self, identity: str) -> float:
        """Spend one token: 0.0 when allowed, else the seconds until one is available."""
        now = time.monotonic()
        with self._lock:
            tokens, last = self._buckets.get(identity, (self.capacity, now))
            tokens = min(self.capacity, tokens + (now - last) * self.rate)
            if tokens >= 1.0:
                self._buckets[identity] = (tokens - 1.0, now)
                if len(self._buckets) > self.MAX_IDENTITIES:
                    self._forget_idle(now)
                return 0.0
            self._buckets[identity] = (tokens, now)
            return (1.0 - tokens) / self.rate

    def _forget_idle(self, now: float) -> None:
        full = [k for k, (t, last) in self._buckets.items() if t + (now - last) * self.rate >= self.capacity]
        for k in full:
            del self._buckets[k]


class SecurityMiddleware:
    """Authenticates every request but the open ones, rate-limits it, and records the principal in
    ``request.state.principal`` for :func:`require_role`.

    Open: a path in ``open_paths`` (exact), or one starting with a prefix in ``open_prefixes`` (e.g.
    ``/static/``: only the routes under that prefix can match such a path, so nothing else opens).
    """

    def __init__(
        self,
        app: ASGIApp,
        *,
        keys: KeyRing,
        limiter: RateLimiter | None,
        open_paths: frozenset[str],
        open_prefixes: tuple[str, ...] = (),
    ):
        self.app = app
        self.keys = keys
        self.limiter = limiter
        self.open_paths = open_paths
        self.open_prefixes = open_prefixes

    def is_open(self, path: str) -> bool:
        return path in self.open_paths or path.startswith(self.open_prefixes)

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or self.is_open(scope["path"]):
            await self.app(scope, receive, send)
            return
        principal: Principal | None = None
        refusal: ApiError | None = None
        try:
            principal = self.keys.authenticate(Headers(scope=scope))
        except ApiError as e:
            refusal = e
        client = scope.get("client")
        identity = f"ip:{client[0] if client else 'unknown'}"
        if principal is not None and not self.keys.open:
            identity = f"key:{principal.name}"
        wait = self.limiter.take(identity) if self.limiter else 0.0
        if wait > 0:
            seconds = max(1, math.ceil(wait))
            refusal = ApiError(
                429,
                "rate_limited",
                f"Too many requests for {identity.split(':', 1)[1]!r}: retry in {seconds} s, or ask an "
                "admin to raise KG_API__RATE_LIMIT_PER_MINUTE.",
                headers={"Retry-After": str(seconds)},
            )
        if refusal is not None:
            headers = dict(refusal.headers)
            if refusal.status == 401:
                headers["WWW-Authenticate"] = "Bearer"
            await error_response(refusal.status, refusal.code, refusal.message, headers=headers)(
                scope, receive, send
            )
            return
        scope.setdefault("state", {})["principal"] = principal
        await self.app(scope, receive, send)


class BodyTooLarge(StarletteHTTPException):
    """Raised while a body streams in past its limit (FastAPI re-raises HTTP exceptions unchanged)."""

    def __init__(self, limit: int):
        super().__init__(413, f"The request body is larger than {limit} bytes; send less, or ask an admin "
                         "to raise KG_API__MAX_BODY_KB (KG_API__MAX_UPLOAD_MB for uploads).")  # fmt: skip


class BodyLimitMiddleware:
    """413 for bodies over the limit: at once from Content-Length, else while the body streams in."""

    def __init__(self, app: ASGIApp, *, max_bytes: int, upload_paths: frozenset[str], max_upload_bytes: int):
        self.app = app
        self.max_bytes = max_bytes
        self.upload_paths = upload_paths
        self.max_upload_bytes = max_upload_bytes

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        limit = self.max_upload_bytes if scope["path"] in self.upload_paths else self.max_bytes
        length = Headers(scope=scope).get("content-length")
        if length is not None and not length.isdigit():
            message = f"Content-Length {length!r} is not a number of bytes; fix the client."
            await error_response(400, "bad_request", message)(scope, receive, send)
            return
        if length is not None and int(length) > limit:
            e = BodyTooLarge(limit)
            await error_response(413, "body_too_large", str(e.detail))(scope, receive, send)
            return
        seen = 0
        started = False

        async def counted() -> Message:
            nonlocal seen
            message = await receive()
            if message["type"] == "http.request":
                seen += len(message.get("body", b""))
                if seen > limit:
                    raise BodyTooLarge(limit)
            return message

        async def tracking(message: Message) -> None:
            nonlocal started
            started = started or message["type"] == "http.response.start"
            await send(message)

        try:
            await self.app(scope, counted, tracking)
        except BodyTooLarge as e:
            if started:
                raise
            await error_response(413, "body_too_large", str(e.detail))(scope, receive, send)


_api_key = APIKeyHeader(name="X-API-Key", auto_error=False, description="An API key from KG_API__KEYS.")
_bearer = HTTPBearer(auto_error=False, description="The same key as a bearer token.")


def require_role(role: Role) -> Callable[..., Awaitable[Principal]]:
    """A dependency that lets the request through only for ``role`` or a higher one.

    Example:
        >>> router = APIRouter(dependencies=[Depends(require_role("loader"))])  # doctest: +SKIP
    """

    async def dependency(
        request: Request,
        _key: Annotated[str | None, Security(_api_key)],
        _token: Annotated[HTTPAuthorizationCredentials | None, Security(_bearer)],
    ) -> Principal:
        principal = getattr(request.state, "principal", None)
        if not isinstance(principal, Principal):
            raise ApiError(401, "missing_api_key", f"This endpoint needs an API key. {HOW_TO_SEND}")
        if not principal.allows(role):
            raise ApiError(
                403,
                "insufficient_role",
                f"The key {principal.name!r} has the role {principal.role}; {request.method} "
                f"{request.url.path} needs {role} or higher. Ask an admin for a {role} key.",
            )
        return principal

    return dependency
