"""What keeps the local page to its own user: only its own host names answer (no DNS rebinding),
a POST from another site is refused (Origin and Sec-Fetch-Site checked here, a form token checked
by every POST handler), request bodies are limited in size, and pages carry a strict CSP."""
from __future__ import annotations

import hmac
import ipaddress
from collections.abc import Iterable

from starlette.types import ASGIApp, Message, Receive, Scope, Send

SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})
SAFE_FETCH_SITES = frozenset({"same-origin", "none"})  # none: typed in the address bar, a bookmark
CSP = ("default-src 'self'; img-src 'self' data:; style-src 'self'; script-src 'self'; font-src 'self'; "
       "object-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'")


class BodyTooLarge(Exception):
    """A request body over the limit (answered 413)."""


def is_loopback(host: str) -> bool:
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host.strip("[]")).is_loopback
    except ValueError:
        return False


def token_ok(expected: str, given: object) -> bool:
    """Whether given is the page's form token (compared in constant time)."""
    return isinstance(given, str) and bool(given) and hmac.compare_digest(expected.encode(), given.encode())


def _headers(scope: Scope) -> dict[str, str]:
    return {k.decode("latin-1").lower(): v.decode("latin-1") for k, v in scope.get("headers", [])}


class Guard:
    """ASGI middleware: host check, cross-site POST refusal, body size limit, security headers.
    allowed_hosts: host names (without port) the server answers to; None answers any (--host on a
    network address, where the server cannot know every name it is reached by)."""

    def __init__(self, app: ASGIApp, allowed_hosts: Iterable[str] | None, max_body: int) -> None:
        self.app = app
        self.allowed = {h.lower() for h in allowed_hosts} if allowed_hosts is not None else None
        self.max_body = max_body

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        headers = _headers(scope)
        host = headers.get("host", "")
        hostname = host.rsplit(":", 1)[0] if not host.endswith("]") else host
        if self.allowed is not None and hostname.lower().strip("[]") not in {h.strip("[]") for h in self.allowed}:
            await _plain(send, 400, "このアドレスでは開けません（http://127.0.0.1:ポート番号/ で開いてください）")
            return
        if scope["method"] not in SAFE_METHODS:
            site = headers.get("sec-fetch-site")
            origin = headers.get("origin")
            scheme = scope.get("scheme", "http")
            if site is not None and site not in SAFE_FETCH_SITES:
                await _plain(send, 403, "ほかのサイトからの送信は受け付けません")
                return
            if origin is not None and origin.lower() != f"{scheme}://{host}".lower():
                await _plain(send, 403, "ほかのサイトからの送信は受け付けません")
                return
            length = headers.get("content-length")
            if length is not None and length.isdigit() and int(length) > self.max_body:
                await _plain(send, 413, too_large_message(self.max_body))
                return
            receive = self._limited(receive)
        await self.app(scope, receive, self._with_headers(send))

    def _limited(self, receive: Receive) -> Receive:
        seen = 0

        async def limited() -> Message:
            nonlocal seen
            message = await receive()
            if message["type"] == "http.request":
                seen += len(message.get("body", b""))
                if seen > self.max_body:
                    raise BodyTooLarge()
            return message

        return limited

    @staticmethod
    def _with_headers(send: Send) -> Send:
        # Referrer-Policy same-origin, not no-referrer: under no-referrer a browser sends "Origin: null"
        # with a form POST, which the origin check would refuse.
        async def sending(message: Message) -> None:
            if message["type"] == "http.response.start":
                extra = [(b"x-content-type-options", b"nosniff"), (b"referrer-policy", b"same-origin"),
                         (b"x-frame-options", b"DENY"), (b"content-security-policy", CSP.encode())]
                names = {k.lower() for k, _ in message.get("headers", [])}
                message = {**message, "headers": [*message.get("headers", []), *(h for h in extra if h[0] not in names)]}
            await send(message)

        return sending


def too_large_message(limit: int) -> str:
    return f"ファイルが大きすぎます（一度に送れるのは {limit // (1024 * 1024)} MB までです。分けて送ってください）"


async def _plain(send: Send, status: int, text: str) -> None:
    body = text.encode("utf-8")
    await send({"type": "http.response.start", "status": status,
                "headers": [(b"content-type", b"text/plain; charset=utf-8"), (b"content-length", str(len(body)).encode())]})
    await send({"type": "http.response.body", "body": body})


def allowed_hosts(host: str) -> list[str] | None:
    """The host names to answer for a server bound to host: loopback names for a loopback address,
    that name too for a named one; None (any) for a wildcard address such as 0.0.0.0."""
    if host in ("0.0.0.0", "::", ""):
        return None
    names = ["127.0.0.1", "localhost", "::1"]
    return names if host in names else [*names, host]


__all__ = ["BodyTooLarge", "Guard", "allowed_hosts", "is_loopback", "token_ok", "too_large_message"]
