"""The served room view answers only the browser it was opened for.

``peersession view GROUP --serve`` runs textual-serve, which hands every
browser that opens its websocket a live room view (private items included)
and starts a process (about 40 MB) for it. textual-serve checks nothing, so
this module wraps its server (:class:`GuardedServer`, a subclass that builds
the same routes behind one middleware) with four checks, every one made
before a process is started:

* **A token**: a random 256-bit key (:mod:`secrets`) in the address printed
  at start. The first page load with ``?token=`` sets an HttpOnly,
  SameSite=Strict cookie holding it (as Jupyter does) and is redirected to
  the same page without it, so the key leaves the address bar; the page's
  assets and websocket then carry the cookie. Every request without the
  right key (compared in constant time) is refused: 403.
* **Host**: the ``Host`` header must name an address this server was asked
  to serve (127.0.0.1, localhost and [::1] by default; the ``--host`` given
  otherwise), so a DNS-rebinding page, whose requests name its own domain,
  is refused even before the token is looked at.
* **Origin**: the websocket is accepted only from a page of this same
  origin (``Origin`` equal to ``http://`` and the Host): another site's
  page, which any browser lets open a websocket anywhere, is refused.
* **A cap**: at most ``max_viewers`` browsers at once (each is a process);
  the next one gets a page saying so (503).

What it does not do: encrypt. The view is plain HTTP: anyone on the network
path between the browser and this computer (with ``--host 0.0.0.0``, a
shared Wi-Fi, say) can read the room view and the token, and with the token
connect. The token is shown where the command runs, and lives as long as the
server: restart it to change the key.

Binding happens first (``serve_listen.listen``): a port in use or an address
this computer does not have is one line, before anything says it is serving.
The rules for Host and Origin are there too, beside the addresses they follow.
"""

from __future__ import annotations

import hmac
import logging
import re
import secrets
import socket
from collections.abc import Awaitable, Callable

import aiohttp_jinja2
import jinja2
from aiohttp import web
from textual_serve.server import Server

from ..core.words import plural
from .output import echo
from .serve_listen import Allowed, same_origin

#: The token's size: 32 bytes, 256 bits, written in 43 URL-safe characters.
TOKEN_BYTES = 32
_SHUTDOWN_SECONDS = 2.0

Handler = Callable[[web.Request], Awaitable[web.StreamResponse]]


def new_token() -> str:
    """A fresh key for one run of the server."""
    return secrets.token_urlsafe(TOKEN_BYTES)


# -- the refusals ----------------------------------------------------------------------

_PAGE = """<!DOCTYPE html>
<html><head><meta charset="utf-8"><title>peersession · {title}</title>
<style>body{{font-family:system-ui,sans-serif;background:#0c181f;color:#eee;
max-width:40em;margin:4em auto;line-height:1.5}}code{{color:#9fd}}</style></head>
<body><h1>{title}</h1><p>{text}</p></body></html>
"""


def refusal(status: int, title: str, text: str) -> web.Response:
    """A short page saying why (our own words only: nothing from the request)."""
    return web.Response(
        status=status,
        text=_PAGE.format(title=title, text=text),
        content_type="text/html",
        charset="utf-8",
    )


NO_TOKEN = (
    "Not this way",
    "This room view answers only the address <code>peersession view --serve</code> printed, "
    "its token included. Open that whole address (ask the facilitator for it); "
    "a server started again has a new one.",
)
WRONG_HOST = (
    "Not this address",
    "This room view answers only at the address <code>peersession view --serve</code> "
    "printed. To reach it by another name, start it with that name as <code>--host</code>.",
)
WRONG_ORIGIN = (
    "Not from this page",
    "The room view opens only from its own page, not from another site.",
)


def full_text(limit: int) -> str:
    return (
        f"The room view already has {plural(limit, 'browser')} open, as many as it was started "
        "to allow. Close one of them and reload, or ask the facilitator to restart it "
        "with a larger <code>--max-viewers</code>."
    )


# -- the server ------------------------------------------------------------------------


def content_policy(host: str) -> str:
    """The page may load and connect to this server only: no font, script or
    beacon from elsewhere tells a third party who opened the room, and a
    resource textual-serve adds later from another site is refused by the browser."""
    return (
        "default-src 'self'; script-src 'self' 'unsafe-inline'; "
        "style-src 'self' 'unsafe-inline'; img-src 'self' data:; font-src 'self' data:; "
        f"connect-src 'self' ws://{host}; frame-ancestors 'none'; base-uri 'none'; "
        "form-action 'none'"
    )


# textual-serve's page links a web font from fonts.googleapis.com: every opening
# of the room would tell Google who looked, and offline the page waits for it.
_FOREIGN_LINK = re.compile(r"<link\b[^>]*\bhref=\"https?://[^\"]*\"[^>]*>", re.IGNORECASE)


class OwnAssetsLoader(jinja2.FileSystemLoader):
    """textual-serve's templates without their links to other sites."""

    def get_source(
        self, environment: jinja2.Environment, template: str
    ) -> tuple[str, str, Callable[[], bool]]:
        source, filename, uptodate = super().get_source(environment, template)
        return _FOREIGN_LINK.sub("", source), filename, uptodate


class GuardedServer(Server):
    """textual-serve's server, answering only requests with the token, a Host
    it serves, (for the websocket) its own Origin, and up to ``max_viewers``
    browsers at once."""

    def __init__(
        self,
        command: str,
        *,
        allowed: Allowed,
        title: str,
        token: str,
        max_viewers: int,
    ) -> None:
        super().__init__(command, port=allowed.port, title=title)
        self.allowed = allowed
        self.token = token
        self.max_viewers = max_viewers
        #: Browsers connected now (each has its own follow window process).
        self.viewers = 0
        # A cookie is shared by every port of a host: one per port, so two
        # servers on one computer do not log each other's browsers out.
        self.cookie_name = f"peersession-view-{allowed.port}"

    # -- the checks --------------------------------------------------------------------

    def has_token(self, request: web.Request) -> bool:
        """The request carries the key, in the query (first visit) or the cookie."""
        given = request.query.get("token")
        if given is None:
            given = request.cookies.get(self.cookie_name)
        return given is not None and hmac.compare_digest(
            given.encode("utf-8", "surrogatepass"), self.token.encode()
        )

    @web.middleware
    async def guard(self, request: web.Request, handler: Handler) -> web.StreamResponse:
        """Every request passes here first: Host, then Origin (when a browser
        sends one; the websocket must), then the token."""
        host = request.headers.get("Host")
        if not self.allowed.accepts_host(host):
            return refusal(403, *WRONG_HOST)
        assert host is not None
        origin = request.headers.get("Origin")
        websocket = request.headers.get("Upgrade", "").lower() == "websocket"
        if (origin is not None or websocket) and not same_origin(origin, host):
            return refusal(403, *WRONG_ORIGIN)
        if not self.has_token(request):
            return refusal(403, *NO_TOKEN)
        if "token" in request.query:
            # First visit: the key goes into a cookie and out of the address bar.
            rest = request.rel_url.with_query(
                [(key, value) for key, value in request.query.items() if key != "token"]
            )
            answer = web.Response(status=303, headers={"Location": str(rest)})
            answer.set_cookie(
                self.cookie_name, self.token, path="/", httponly=True, samesite="Strict"
            )
            return answer
        return await handler(request)

    @staticmethod
    async def security_headers(request: web.Request, response: web.StreamResponse) -> None:
        """Never framed by another page, never cached, the address never sent on."""
        response.headers["X-Frame-Options"] = "DENY"
        response.headers["Content-Security-Policy"] = content_policy(request.host)
        response.headers["Referrer-Policy"] = "no-referrer"
        response.headers["Cache-Control"] = "no-store"

    # -- the routes --------------------------------------------------------------------

    def build_app(self) -> web.Application:
        """textual-serve's routes (page, websocket, downloads, assets) behind the guard."""
        app = web.Application(middlewares=[self.guard])
        aiohttp_jinja2.setup(app, loader=OwnAssetsLoader(self.templates_path))
        app.add_routes(
            [
                web.get("/", self.handle_index, name="index"),
                web.get("/ws", self.handle_websocket, name="websocket"),
                web.get("/download/{key}", self.handle_download, name="download"),
                web.static("/static", self.statics_path, name="static"),
            ]
        )
        app.on_response_prepare.append(self.security_headers)
        return app

    async def handle_index(self, request: web.Request) -> web.StreamResponse:
        """The page, with its assets and websocket at the address the browser
        used (textual-serve would write its bind address, ``0.0.0.0`` included)."""
        if self.viewers >= self.max_viewers:
            return refusal(503, "The room is full", full_text(self.max_viewers))
        host = request.headers["Host"]  # checked by the guard
        font_size = request.query.get("fontsize", "16")
        context = {
            "font_size": int(font_size) if font_size.isdigit() and len(font_size) < 3 else 16,
            "app_websocket_url": f"ws://{host}/ws",
            "config": {"static": {"url": "/static/"}},
            "application": {"name": self.title},
        }
        return aiohttp_jinja2.render_template("app_index.html", request, context)

    async def handle_websocket(self, request: web.Request) -> web.WebSocketResponse:
        """One browser's follow window, if there is room for it."""
        if not web.WebSocketResponse().can_prepare(request).ok:
            raise web.HTTPBadRequest(text="Not a websocket.")
        if self.viewers >= self.max_viewers:
            raise web.HTTPServiceUnavailable(text="The room view is full (--max-viewers).")
        self.viewers += 1  # no await since the check: no other request came between
        echo(f"A browser joined from {request.remote} ({self._count()}).")
        try:
            return await super().handle_websocket(request)
        finally:
            self.viewers -= 1
            echo(f"A browser left ({self._count()}).")

    def _count(self) -> str:
        return f"{self.viewers} of at most {self.max_viewers} watching"

    async def on_startup(self, app: web.Application) -> None:
        """Quiet: the command has said where it serves (textual-serve prints its
        banner and the command line, data folder included)."""

    def serve_on(self, sockets: list[socket.socket]) -> None:
        """Serve on sockets already bound by :func:`listen`, until Ctrl+C."""
        _quiet_logs()
        web.run_app(
            self.build_app(),
            sock=sockets,
            print=None,
            access_log=None,
            handle_signals=True,
            shutdown_timeout=_SHUTDOWN_SECONDS,
        )


class _OneLine(logging.Handler):
    """A library's warning as one neutralised line, never a traceback (a bad
    request from a port scanner is not the user's problem to read)."""

    def emit(self, record: logging.LogRecord) -> None:
        echo(f"view --serve: {record.getMessage().splitlines()[0][:200]}", err=True)


def _quiet_logs() -> None:
    for name in ("aiohttp", "textual-serve"):
        logger = logging.getLogger(name)
        logger.handlers[:] = [_OneLine(logging.WARNING)]
        logger.propagate = False
