"""What keeps the local page to its own user: only its own host names answer (no DNS rebinding, also
when it listens on every address), a POST from another site is refused (Origin and Sec-Fetch-Site
checked here, a form token checked by every POST handler), request bodies are limited in size, and
pages carry a strict CSP and are never cached (they hold the form token)."""
from __future__ import annotations

import hmac
import ipaddress
import socket
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


def is_address(host: str) -> bool:
    """Whether host is an IP address literal (a browser that opens http://192.0.2.7:8000/ is on that
    origin; DNS rebinding needs a name, so an address cannot be a rebound one)."""
    try:
        ipaddress.ip_address(host.strip("[]"))
        return True
    except ValueError:
        return False


def token_ok(expected: str, given: object) -> bool:
    """Whether given is the page's form token (compared in constant time)."""
    return isinstance(given, str) and bool(given) and hmac.compare_digest(expected.encode(), given.encode())


def _headers(scope: Scope) -> dict[str, str]:
    return {k.decode("latin-1").lower(): v.decode("latin-1") for k, v in scope.get("headers", [])}


class Guard:
    """ASGI middleware: host check, cross-site POST refusal, body size limit, security headers.
    allowed_hosts: host names (without port) the server answers to; any_address: also answer for any
    IP address literal (a server listening on every address, reached as http://ADDRESS:PORT/)."""

    def __init__(self, app: ASGIApp, allowed_hosts: Iterable[str], max_body: int, any_address: bool = False) -> None:
        self.app = app
        self.allowed = {h.lower().strip("[]") for h in allowed_hosts}
        self.any_address = any_address
        self.max_body = max_body

    def host_ok(self, hostname: str) -> bool:
        name = hostname.lower().strip("[]")
        return name in self.allowed or (self.any_address and is_address(name))

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        headers = _headers(scope)
        host = headers.get("host", "")
        hostname = host.rsplit(":", 1)[0] if not host.endswith("]") else host
        if not self.host_ok(hostname):
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
                headers = message.get("headers", [])
                names = {k.lower() for k, _ in headers}
                html = any(k.lower() == b"content-type" and v.startswith(b"text/html") for k, v in headers)
                if html:  # a page holds the form token: no copy in any cache, no stale form from one
                    extra.append((b"cache-control", b"no-store"))
                message = {**message, "headers": [*headers, *(h for h in extra if h[0] not in names)]}
            await send(message)

        return sending


def too_large_message(limit: int) -> str:
    return f"ファイルが大きすぎます（一度に送れるのは {limit // (1024 * 1024)} MB までです。分けて送ってください）"


async def _plain(send: Send, status: int, text: str) -> None:
    body = text.encode("utf-8")
    await send({"type": "http.response.start", "status": status,
                "headers": [(b"content-type", b"text/plain; charset=utf-8"), (b"content-length", str(len(body)).encode())]})
    await send({"type": "http.response.body", "body": body})


WILDCARDS = ("0.0.0.0", "::", "")


def machine_names() -> list[str]:
    """This computer's own names (its host name and fully qualified name), as other computers on
    the network reach it."""
    names = []
    for get in (socket.gethostname, socket.getfqdn):
        try:
            names.append(get())
        except OSError:
            continue
    return [n.lower() for n in dict.fromkeys(names) if n]


def allowed_hosts(host: str, extra: Iterable[str] = ()) -> list[str]:
    """The host names to answer for a server bound to host: the loopback names, host itself, for a
    wildcard address (0.0.0.0) this computer's names, and extra (--allow-host). Never any name: a
    page of another site whose name is rebound to this computer is refused (its Host is its name)."""
    names = ["127.0.0.1", "localhost", "::1"]
    if host in WILDCARDS:
        names += machine_names()
    elif host not in names:
        names.append(host)
    return [*dict.fromkeys([*names, *(e.lower().strip() for e in extra if e.strip())])]


__all__ = ["WILDCARDS", "BodyTooLarge", "Guard", "allowed_hosts", "is_address", "is_loopback", "machine_names",
           "token_ok", "too_large_message"]
