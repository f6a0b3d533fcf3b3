"""Where the served room view listens, and which names and origins it answers to.

Binding is done here, before the server says anything (:func:`listen`): a
port in use, an address this computer does not have or a port it may not
use is one line naming what to change, never a traceback after "Serving".
The sockets bound are the ones served, so nothing is bound twice.

:class:`Allowed` and :func:`same_origin` are the rules ``serve_guard``
applies to every request: the ``Host`` must name an address served (a
DNS-rebinding page's requests name its own domain), and the websocket's
``Origin`` must be the page of that same address. Plain functions of
strings, so they are tested without a server.
"""

from __future__ import annotations

import errno
import ipaddress
import socket
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlsplit

from ..errors import UserError

#: The addresses that mean "this computer only".
LOOPBACK_NAMES = frozenset({"127.0.0.1", "localhost", "::1"})
#: The addresses that mean "every address this computer has".
WILDCARD_HOSTS = frozenset({"0.0.0.0", "::", ""})


_BIND_PROBLEMS = {
    errno.EADDRINUSE: "{where} is already in use (another `peersession view --serve`?); "
    "choose another port with --port",
    errno.EADDRNOTAVAIL: "--host {host}: this computer has no such address",
    errno.EACCES: "{where}: not allowed ({reason}); ports below 1024 need administrator "
    "rights, choose another with --port",
}


def listen(host: str, port: int) -> list[socket.socket]:
    """Listening sockets on every address ``host`` names, or one UserError line.

    Bound here, before the server says where it serves, and handed to it:
    what was checked is what is served (no second bind that could fail).
    """
    try:
        found = socket.getaddrinfo(
            host or None, port, type=socket.SOCK_STREAM, flags=socket.AI_PASSIVE
        )
    except (socket.gaierror, UnicodeError) as error:
        reason = getattr(error, "strerror", None) or str(error)
        raise UserError(f"--host {host}: not an address to listen on ({reason})") from None
    sockets: list[socket.socket] = []
    seen: set[tuple[int, Any]] = set()
    try:
        for family, kind, proto, _, address in found:
            if (family, address) in seen:
                continue
            seen.add((family, address))
            sockets.append(_bound(family, kind, proto, address))
    except OSError as error:
        for sock in sockets:
            sock.close()
        where = f"{in_url(host)}:{port}"
        template = _BIND_PROBLEMS.get(
            error.errno or 0, "cannot listen on {where} ({reason}); choose another --host or --port"
        )
        reason = error.strerror or str(error)
        raise UserError(template.format(where=where, host=host, reason=reason)) from None
    return sockets


def _bound(family: int, kind: int, proto: int, address: Any) -> socket.socket:
    sock = socket.socket(family, kind, proto)
    try:
        # As asyncio's own server does on POSIX: a port just freed (TIME_WAIT)
        # can be taken again, a port another server listens on cannot.
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        if family == socket.AF_INET6:
            sock.setsockopt(socket.IPPROTO_IPV6, socket.IPV6_V6ONLY, 1)
        sock.bind(address)
        sock.listen(128)
        sock.setblocking(False)
    except OSError:
        sock.close()
        raise
    return sock


def in_url(host: str) -> str:
    """``host`` as it is written in a URL (an IPv6 address in brackets)."""
    return f"[{host}]" if ":" in host else host


def outward_address() -> str:
    """This computer's address on its network, for the URL printed when every
    address is served (``--host 0.0.0.0``). A UDP socket's "connect" sends
    nothing; it only asks the kernel which address it would send from."""
    with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as probe:
        try:
            probe.connect(("192.0.2.1", 9))  # TEST-NET-1: never routed anywhere
            address: str = probe.getsockname()[0]
        except OSError:
            return socket.gethostname()
    return address if address != "0.0.0.0" else socket.gethostname()


# -- what is allowed -------------------------------------------------------------------


@dataclass(frozen=True)
class Allowed:
    """The names a request may use for this server (its ``Host``), and its port."""

    port: int
    names: frozenset[str]
    #: Served on every address: any IP address (which no rebinding page can
    #: make its own) and this computer's name are accepted.
    any_address: bool = False

    @classmethod
    def serving(cls, host: str, port: int, sockets: list[socket.socket]) -> Allowed:
        """What to accept for ``--host host``, listening on ``sockets``."""
        wanted = host.lower().strip("[]")
        bound = {str(sock.getsockname()[0]).lower() for sock in sockets}
        if wanted in WILDCARD_HOSTS:
            names = {"localhost", socket.gethostname().lower()}
            return cls(port, frozenset(names), any_address=True)
        names = {wanted} | bound
        if names & LOOPBACK_NAMES or any(_is_loopback(name) for name in names):
            names |= LOOPBACK_NAMES
        return cls(port, frozenset(names))

    def accepts_host(self, header: str | None) -> bool:
        """Whether a ``Host`` header names this server."""
        if not header:
            return False
        try:
            parts = urlsplit(f"//{header}")
            port = parts.port
        except ValueError:
            return False
        name = (parts.hostname or "").rstrip(".")
        if (port if port is not None else 80) != self.port or parts.username or parts.password:
            return False
        if name in self.names:
            return True
        return self.any_address and _is_address(name)


def _is_address(name: str) -> bool:
    try:
        ipaddress.ip_address(name)
    except ValueError:
        return False
    return True


def _is_loopback(name: str) -> bool:
    return _is_address(name) and ipaddress.ip_address(name).is_loopback


def same_origin(origin: str | None, host: str) -> bool:
    """Whether ``Origin`` is the page of this server the ``Host`` names."""
    if not origin:
        return False
    try:
        theirs, ours = urlsplit(origin), urlsplit(f"http://{host}")
        return (
            theirs.scheme == "http"
            and theirs.hostname == ours.hostname
            and (theirs.port or 80) == (ours.port or 80)
            and not theirs.path.strip("/")
        )
    except ValueError:
        return False
