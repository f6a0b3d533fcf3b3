"""`peersession view GROUP --serve`: the served room view answers only its own browser.

A real server (the command itself, in another process) on 127.0.0.1 and a
free port, asked by real HTTP and websocket clients (aiohttp's): without the
token, with a wrong one, under another Host, from another Origin, over the
cap. A websocket that is refused must not have started a follow window: the
server's child processes are read from /proc.
"""

from __future__ import annotations

import asyncio
import contextlib
import re
import socket
import subprocess
import sys
import time
from collections.abc import AsyncIterator, Iterator
from dataclasses import dataclass
from pathlib import Path

import aiohttp
import pytest

from peersession.cli.serve_listen import Allowed, listen, same_origin

from snapshot_support import demo_store

pytestmark = pytest.mark.skipif(
    not Path("/proc/self/task").is_dir(), reason="counts the server's children in /proc"
)

GROUP = "Thursday Circle"


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
        return port


def children(pid: int) -> list[int]:
    """The processes ``pid`` started that still run (its follow windows)."""
    found: list[int] = []
    for task in Path(f"/proc/{pid}/task").iterdir():
        with contextlib.suppress(FileNotFoundError):
            found += [int(p) for p in (task / "children").read_text().split()]
    return found


def serve_command(data_dir: Path, *extra: str) -> list[str]:
    return [
        sys.executable,
        "-m",
        "peersession",
        "--data-dir",
        str(data_dir),
        "view",
        GROUP,
        "--serve",
        *extra,
    ]


@dataclass
class Served:
    proc: subprocess.Popen[str]
    port: int
    url: str
    token: str
    printed: str

    @property
    def base(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    @property
    def cookie(self) -> str:
        return f"peersession-view-{self.port}"


@pytest.fixture(scope="module")
def served(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Served]:
    """One server for the module, at most one browser at a time."""
    data_dir = tmp_path_factory.mktemp("serve") / "data"
    demo_store(data_dir)
    port = free_port()
    proc = subprocess.Popen(
        serve_command(data_dir, "--port", str(port), "--max-viewers", "1"),
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    assert proc.stdout is not None
    printed = "".join(proc.stdout.readline() for _ in range(3))
    match = re.search(r"(http://\S+)", printed)
    assert match, printed
    url = match.group(1)
    token = url.split("token=", 1)[1]
    try:
        yield Served(proc, port, url, token, printed)
    finally:
        proc.terminate()
        _, errors = proc.communicate(timeout=30)
    # Whatever the tests sent it, the server wrote no traceback.
    assert "Traceback" not in errors, errors


@pytest.fixture
async def client() -> AsyncIterator[aiohttp.ClientSession]:
    """A client that keeps no cookie of its own: each request says what it carries."""
    async with aiohttp.ClientSession(cookie_jar=aiohttp.DummyCookieJar()) as session:
        yield session


async def get(
    client: aiohttp.ClientSession, url: str, **headers: str
) -> tuple[int, str, aiohttp.ClientResponse]:
    async with client.get(url, headers=headers, allow_redirects=False) as answer:
        return answer.status, await answer.text(), answer


def test_the_printed_address_holds_a_256_bit_token_and_says_who_can_reach_it(
    served: Served,
) -> None:
    assert served.url.startswith(f"http://127.0.0.1:{served.port}/?token=")
    # token_urlsafe(32): 32 random bytes, 43 URL-safe characters.
    assert re.fullmatch(r"[A-Za-z0-9_-]{43}", served.token), served.token
    assert "this computer only" in served.printed
    assert "at most 1 browser at once" in served.printed


async def test_the_token_opens_the_page_once_and_moves_into_a_strict_cookie(
    served: Served, client: aiohttp.ClientSession
) -> None:
    status, _, answer = await get(client, served.url + "&fontsize=20")
    assert status == 303
    # The token leaves the address bar: the page is reached again without it.
    assert answer.headers["Location"] == "/?fontsize=20"
    cookie = answer.headers["Set-Cookie"]
    assert f"{served.cookie}={served.token}" in cookie
    assert "HttpOnly" in cookie and "SameSite=Strict" in cookie and "Path=/" in cookie
    status, page, answer = await get(
        client, f"{served.base}/?fontsize=20", Cookie=f"{served.cookie}={served.token}"
    )
    assert status == 200
    assert f"{GROUP} · room view" in page
    # The websocket is opened where the browser already is (the cookie goes with it).
    assert f'data-session-websocket-url="ws://127.0.0.1:{served.port}/ws"' in page
    assert answer.headers["X-Frame-Options"] == "DENY"
    assert answer.headers["Referrer-Policy"] == "no-referrer"
    status, script, _ = await get(
        client, f"{served.base}/static/js/textual.js", Cookie=f"{served.cookie}={served.token}"
    )
    assert status == 200 and "WebSocket" in script


async def test_the_page_loads_nothing_from_another_site(
    served: Served, client: aiohttp.ClientSession
) -> None:
    """Opening the room tells no third party (textual-serve's page links a Google
    web font): the page names no other site, and its policy lets the browser load
    and connect to this server only."""
    status, page, answer = await get(
        client, f"{served.base}/", Cookie=f"{served.cookie}={served.token}"
    )
    assert status == 200
    loaded = re.findall(r"""(?:href|src)\s*=\s*["']([^"']+)""", page)
    assert loaded, "the page loads its own script and style sheet"
    assert all(not re.match(r"(?i)(https?:)?//", url) for url in loaded), loaded
    assert "googleapis" not in page
    policy = dict(
        part.strip().split(" ", 1) for part in answer.headers["Content-Security-Policy"].split(";")
    )
    assert policy["default-src"] == "'self'"
    assert policy["connect-src"] == f"'self' ws://127.0.0.1:{served.port}"
    assert policy["frame-ancestors"] == "'none'"


@pytest.mark.parametrize("path", ["/", "/static/js/textual.js", "/ws", "/download/any"])
async def test_no_token_is_refused_everywhere(
    served: Served, client: aiohttp.ClientSession, path: str
) -> None:
    status, page, answer = await get(client, served.base + path)
    assert status == 403
    assert "Set-Cookie" not in answer.headers
    assert "token" in page and "room view" not in page.split("<body>")[0]


async def test_a_wrong_token_is_refused_in_the_address_and_in_the_cookie(
    served: Served, client: aiohttp.ClientSession
) -> None:
    wrong = served.token[:-1] + ("A" if served.token[-1] != "A" else "B")
    for url, headers in [
        (f"{served.base}/?token={wrong}", {}),
        (f"{served.base}/?token=", {}),
        (f"{served.base}/?token=%C3%A9%00", {}),
        (f"{served.base}/", {"Cookie": f"{served.cookie}={wrong}"}),
        # A wrong token in the address is refused even beside the right cookie.
        (f"{served.base}/?token={wrong}", {"Cookie": f"{served.cookie}={served.token}"}),
    ]:
        status, _, answer = await get(client, url, **headers)
        assert status == 403, url
        assert "Set-Cookie" not in answer.headers


@pytest.mark.parametrize(
    "host", ["evil.example.com", "evil.example.com:{port}", "127.0.0.1:1", "127.0.0.1:{port}@evil"]
)
async def test_another_host_is_refused_even_with_the_token(
    served: Served, client: aiohttp.ClientSession, host: str
) -> None:
    """A DNS-rebinding page reaches 127.0.0.1 under its own name: refused."""
    status, page, answer = await get(client, served.url, Host=host.format(port=served.port))
    assert status == 403 and "Not this address" in page
    assert "Set-Cookie" not in answer.headers


async def websocket(
    served: Served, client: aiohttp.ClientSession, **headers: str
) -> aiohttp.ClientWebSocketResponse:
    return await client.ws_connect(
        f"{served.base}/ws?width=80&height=24",
        headers={"Cookie": f"{served.cookie}={served.token}", **headers},
    )


@pytest.mark.parametrize(
    "origin",
    [
        "http://evil.example.com",
        "http://127.0.0.1:1",
        "https://127.0.0.1",
        "null",
        None,
    ],
)
async def test_a_websocket_from_another_origin_is_refused_and_starts_nothing(
    served: Served, client: aiohttp.ClientSession, origin: str | None
) -> None:
    headers = {} if origin is None else {"Origin": origin}
    with pytest.raises(aiohttp.WSServerHandshakeError) as refused:
        await websocket(served, client, **headers)
    assert refused.value.status == 403
    await asyncio.sleep(0.5)
    assert children(served.proc.pid) == [], "a refused websocket started a follow window"


async def test_the_right_browser_gets_the_view_and_the_next_one_is_told_it_is_full(
    served: Served, client: aiohttp.ClientSession
) -> None:
    origin = {"Origin": served.base}
    first = await websocket(served, client, **origin)
    try:
        # The follow window draws: its first bytes arrive (a process started for it).
        message = await first.receive(timeout=60)
        assert message.type is aiohttp.WSMsgType.BINARY, message
        assert len(children(served.proc.pid)) == 1
        # Over the cap (--max-viewers 1): refused at the door, nothing started.
        with pytest.raises(aiohttp.WSServerHandshakeError) as refused:
            await websocket(served, client, **origin)
        assert refused.value.status == 503
        assert len(children(served.proc.pid)) == 1
        status, page, _ = await get(
            client, f"{served.base}/", Cookie=f"{served.cookie}={served.token}"
        )
        assert status == 503 and "The room is full" in page and "--max-viewers" in page
    finally:
        await first.close()
    # The browser gone, its window ends and the room has space again.
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline and children(served.proc.pid):
        await asyncio.sleep(0.2)
    assert children(served.proc.pid) == []
    status, _, _ = await get(client, f"{served.base}/", Cookie=f"{served.cookie}={served.token}")
    assert status == 200


async def test_a_plain_request_for_the_websocket_starts_nothing(
    served: Served, client: aiohttp.ClientSession
) -> None:
    status, _, _ = await get(client, f"{served.base}/ws", Cookie=f"{served.cookie}={served.token}")
    assert status == 400
    assert children(served.proc.pid) == []
    assert served.proc.poll() is None, "the server still runs"


def test_a_port_in_use_is_one_line_and_nothing_says_serving(tmp_path: Path) -> None:
    data_dir = tmp_path / "data"
    demo_store(data_dir)
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        done = subprocess.run(
            serve_command(data_dir, "--port", str(port)),
            capture_output=True,
            text=True,
            timeout=60,
        )
    assert done.returncode == 1
    assert done.stdout == "", "nothing may say it serves"
    assert done.stderr.count("\n") == 1 and "Traceback" not in done.stderr, done.stderr
    assert f"127.0.0.1:{port} is already in use" in done.stderr
    assert "--port" in done.stderr


def test_an_address_this_computer_does_not_have_is_one_line(tmp_path: Path) -> None:
    data_dir = tmp_path / "data"
    demo_store(data_dir)
    # TEST-NET-1 (RFC 5737): assigned to no computer.
    done = subprocess.run(
        serve_command(data_dir, "--host", "192.0.2.1", "--port", str(free_port())),
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert done.returncode == 1 and done.stdout == ""
    assert done.stderr.count("\n") == 1 and "Traceback" not in done.stderr, done.stderr
    assert "--host 192.0.2.1: this computer has no such address" in done.stderr


@pytest.mark.parametrize("value", ["0", "-1", "1001"])
def test_a_cap_out_of_range_is_one_line(
    data_dir: Path, capsys: pytest.CaptureFixture[str], value: str
) -> None:
    from peersession.cli import main

    demo_store(data_dir)
    assert (
        main(["--data-dir", str(data_dir), "view", GROUP, "--serve", "--max-viewers", value]) == 1
    )
    err = capsys.readouterr().err
    assert f"--max-viewers {value}: a number from 1 to 1000" in err and err.count("\n") == 1


def test_listen_binds_before_anything_is_served_and_refuses_a_taken_port() -> None:
    sockets = listen("127.0.0.1", 0)
    try:
        port = sockets[0].getsockname()[1]
        from peersession.errors import UserError

        with pytest.raises(UserError, match="is already in use"):
            listen("127.0.0.1", port)
    finally:
        for sock in sockets:
            sock.close()


def test_the_host_rule_by_default_accepts_this_computer_only() -> None:
    sockets = listen("127.0.0.1", 0)
    try:
        port = sockets[0].getsockname()[1]
        allowed = Allowed.serving("127.0.0.1", port, sockets)
    finally:
        for sock in sockets:
            sock.close()
    for good in (f"127.0.0.1:{port}", f"localhost:{port}", f"[::1]:{port}", f"LOCALHOST:{port}"):
        assert allowed.accepts_host(good), good
    for bad in (
        None,
        "",
        "evil.example.com",
        f"evil.example.com:{port}",
        f"127.0.0.1:{port + 1}",
        "127.0.0.1",
        f"192.168.1.5:{port}",
        f"127.0.0.1:{port}@evil.example.com",
        f"evil@127.0.0.1:{port}",
        f"127.0.0.1:{port}:1",
        "[::1",
    ):
        assert not allowed.accepts_host(bad), bad


def test_the_host_rule_on_every_address_accepts_addresses_but_no_other_name() -> None:
    allowed = Allowed(8080, frozenset({"localhost", "myhost"}), any_address=True)
    for good in ("192.168.1.5:8080", "10.0.0.2:8080", "[fe80::1]:8080", "myhost:8080"):
        assert allowed.accepts_host(good), good
    for bad in ("evil.example.com:8080", "rebind.example:8080", "192.168.1.5:8081"):
        assert not allowed.accepts_host(bad), bad
    named = Allowed(8080, frozenset({"room.lan", "192.168.1.5"}))
    assert named.accepts_host("room.lan:8080") and named.accepts_host("192.168.1.5:8080")
    assert not named.accepts_host("10.0.0.2:8080") and not named.accepts_host("localhost:8080")


def test_the_origin_must_be_this_servers_page() -> None:
    host = "127.0.0.1:8000"
    assert same_origin("http://127.0.0.1:8000", host)
    for bad in (
        None,
        "",
        "null",
        "http://evil.example.com",
        "http://127.0.0.1:8001",
        "https://127.0.0.1:8000",
        "http://127.0.0.1",
        "http://localhost:8000",
        "http://127.0.0.1:8000.evil.example.com",
    ):
        assert not same_origin(bad, host), bad
    assert same_origin("http://localhost", "localhost:80")
