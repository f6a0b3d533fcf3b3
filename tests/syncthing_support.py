"""Real Syncthing instances on 127.0.0.1, to test the shared folder against a real sync engine.

Each instance has its own home (keys, config, database) and a folder of its
own on disk; they are introduced to each other by device id and loopback
address, share one folder (watched for changes, and rescanned every second),
and talk to nothing else: no global or local discovery, no relays, no NAT
traversal or STUN, no usage or crash reports, no upgrade checks. The GUI/REST
API listens on a random loopback port with a random API key, which is how
:meth:`Syncthing.wait_in_sync` asks each instance whether it has everything.
"""

from __future__ import annotations

import json
import os
import secrets
import shutil
import socket
import subprocess
import time
import urllib.request
import xml.etree.ElementTree as ET
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

FOLDER_ID = "peersession-shared"
#: Options that keep an instance on this machine and quiet (config.xml's <options>).
OFFLINE_OPTIONS = {
    "globalAnnounceEnabled": "false",
    "localAnnounceEnabled": "false",
    "relaysEnabled": "false",
    "natEnabled": "false",
    "stunKeepaliveStartS": "0",  # 0: no STUN
    "stunServer": "",
    "urAccepted": "-1",  # usage reporting refused
    "crashReportingEnabled": "false",
    "autoUpgradeIntervalH": "0",
    "startBrowser": "false",
    "announceLANAddresses": "false",
    "reconnectionIntervalS": "1",
    "setLowPriority": "false",
    "restartOnWakeup": "false",
}


def syncthing_binary() -> str | None:
    return shutil.which("syncthing")


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
        probe.bind(("127.0.0.1", 0))
        port: int = probe.getsockname()[1]
        return port


@dataclass
class Syncthing:
    """One instance: its home, its folder, its ports, its process."""

    name: str
    home: Path
    folder: Path
    binary: str
    gui_port: int = field(default_factory=free_port)
    listen_port: int = field(default_factory=free_port)
    api_key: str = field(default_factory=lambda: secrets.token_urlsafe(24))
    device_id: str = ""
    process: subprocess.Popen[bytes] | None = None

    @property
    def address(self) -> str:
        return f"tcp://127.0.0.1:{self.listen_port}"

    def generate(self) -> None:
        done = subprocess.run(
            [self.binary, "generate", f"--home={self.home}", "--no-default-folder"],
            capture_output=True,
            text=True,
            timeout=60,
            env=self._environment(),
            check=True,
        )
        for line in done.stdout.splitlines() + done.stderr.splitlines():
            if "Device ID:" in line:
                self.device_id = line.split("Device ID:")[1].strip()
        assert self.device_id, f"syncthing generate printed no device id:\n{done.stdout}"

    def configure(self, peers: list[Syncthing]) -> None:
        """Write config.xml: offline options, the API, the peers, the shared folder."""
        path = self.home / "config.xml"
        tree = ET.parse(path)
        root = tree.getroot()
        options = root.find("options")
        assert options is not None
        for listen in options.findall("listenAddress"):
            options.remove(listen)
        ET.SubElement(options, "listenAddress").text = self.address
        for name, value in OFFLINE_OPTIONS.items():
            element = options.find(name)
            if element is None:
                element = ET.SubElement(options, name)
            element.text = value
        gui = root.find("gui")
        assert gui is not None
        _set(gui, "address", f"127.0.0.1:{self.gui_port}")
        _set(gui, "apikey", self.api_key)
        for peer in peers:
            device = ET.SubElement(
                root, "device", id=peer.device_id, name=peer.name, compression="metadata"
            )
            ET.SubElement(device, "address").text = peer.address
        folder = ET.SubElement(
            root,
            "folder",
            id=FOLDER_ID,
            label=FOLDER_ID,
            path=str(self.folder),
            type="sendreceive",
            rescanIntervalS="1",
            fsWatcherEnabled="true",
            fsWatcherDelayS="1",
        )
        for device_id in [self.device_id, *(p.device_id for p in peers)]:
            ET.SubElement(folder, "device", id=device_id)
        tree.write(path)

    def start(self, log: Path) -> None:
        self.folder.mkdir(parents=True, exist_ok=True)
        with log.open("ab") as out:
            self.process = subprocess.Popen(
                [
                    self.binary,
                    "serve",
                    f"--home={self.home}",
                    "--no-browser",
                    "--no-restart",
                    "--no-upgrade",
                    f"--gui-address=127.0.0.1:{self.gui_port}",
                    f"--gui-apikey={self.api_key}",
                ],
                stdout=out,
                stderr=subprocess.STDOUT,
                stdin=subprocess.DEVNULL,
                env=self._environment(),
            )

    def stop(self) -> None:
        if self.process is None or self.process.poll() is not None:
            return
        self.process.terminate()
        try:
            self.process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait(timeout=20)

    def rest(self, path: str, method: str = "GET") -> Any:
        request = urllib.request.Request(
            f"http://127.0.0.1:{self.gui_port}{path}",
            method=method,
            headers={"X-API-Key": self.api_key},
        )
        # Loopback only: no proxy from the environment may take this request.
        opener = urllib.request.build_opener(urllib.request.ProxyHandler({}))
        with opener.open(request, timeout=10) as response:
            body = response.read()
        return json.loads(body) if body else None

    def wait_up(self, deadline: float) -> None:
        while time.monotonic() < deadline:
            self._check_running()
            try:
                self.rest("/rest/system/ping")
                return
            except OSError:
                time.sleep(0.2)
        raise TimeoutError(f"syncthing {self.name} did not answer on its API")

    def connected_to(self, peer: Syncthing) -> bool:
        connections = self.rest("/rest/system/connections")["connections"]
        return bool(connections.get(peer.device_id, {}).get("connected"))

    def in_sync_with(self, peers: list[Syncthing]) -> tuple[int, int, int] | None:
        """What this instance holds (files, bytes, the folder's index sequence), if
        it has everything and every peer has all of ours; None if not yet."""
        self.rest(f"/rest/db/scan?folder={FOLDER_ID}", method="POST")  # see files at once
        status = self.rest(f"/rest/db/status?folder={FOLDER_ID}")
        if status["state"] != "idle" or status["needTotalItems"] or status["pullErrors"]:
            return None
        if (status["globalFiles"], status["globalBytes"]) != (
            status["localFiles"],
            status["localBytes"],
        ):
            return None
        for peer in peers:
            completion = self.rest(
                f"/rest/db/completion?folder={FOLDER_ID}&device={peer.device_id}"
            )
            if completion["completion"] < 100 or completion["needItems"]:
                return None
        return (status["localFiles"], status["localBytes"], status["globalFiles"])

    def _check_running(self) -> None:
        if self.process is not None and self.process.poll() is not None:
            raise RuntimeError(f"syncthing {self.name} exited with {self.process.returncode}")

    def _environment(self) -> dict[str, str]:
        keep = ("PATH", "LANG", "LC_ALL", "TZ")
        env = {name: os.environ[name] for name in keep if name in os.environ}
        # No upgrade checks, no restarts behind our back, its own HOME; no proxy.
        return env | {
            "HOME": str(self.home),
            "STNOUPGRADE": "1",
            "STNORESTART": "1",
            "STNODEFAULTFOLDER": "1",
        }


def _set(parent: ET.Element, tag: str, text: str) -> None:
    element = parent.find(tag)
    if element is None:
        element = ET.SubElement(parent, tag)
    element.text = text


class Cluster:
    """Instances that know each other and share one folder."""

    def __init__(self, root: Path, count: int) -> None:
        binary = syncthing_binary()
        assert binary is not None
        self.log = root / "syncthing.log"
        self.instances = [
            Syncthing(
                name=chr(ord("a") + n),
                home=root / f"home-{chr(ord('a') + n)}",
                folder=root / f"machine-{chr(ord('a') + n)}" / "Sync" / "circle",
                binary=binary,
            )
            for n in range(count)
        ]

    def start(self, timeout: float = 120) -> None:
        for instance in self.instances:
            instance.generate()
        for instance in self.instances:
            instance.configure([p for p in self.instances if p is not instance])
        for instance in self.instances:
            instance.start(self.log)
        deadline = time.monotonic() + timeout
        for instance in self.instances:
            instance.wait_up(deadline)
        self._wait(deadline, self._all_connected, "the instances did not connect")

    def stop(self) -> None:
        for instance in self.instances:
            instance.stop()

    def wait_in_sync(self, timeout: float = 120, settle: int = 3) -> float:
        """Wait until every instance has everything (``settle`` checks in a row, a
        second apart); the seconds it took."""
        started = time.monotonic()
        deadline = started + timeout
        in_a_row = 0
        while in_a_row < settle:
            if self._all_in_sync():
                in_a_row += 1
            else:
                in_a_row = 0
            if time.monotonic() > deadline:
                raise TimeoutError(f"not in sync after {timeout} s; see {self.log}")
            time.sleep(1)
        return time.monotonic() - started

    def _all_connected(self) -> bool:
        return all(a.connected_to(b) for a in self.instances for b in self.instances if a is not b)

    def _all_in_sync(self) -> bool:
        # Each says it has everything it knows of, and all hold the same: an index
        # update still on its way would leave one of them a file short.
        held = [a.in_sync_with([b for b in self.instances if b is not a]) for a in self.instances]
        return None not in held and len(set(held)) == 1

    def _wait(self, deadline: float, ready: Any, failure: str) -> None:
        while time.monotonic() < deadline:
            for instance in self.instances:
                instance._check_running()
            if ready():
                return
            time.sleep(0.5)
        raise TimeoutError(f"{failure}; see {self.log}")


@contextmanager
def running_cluster(root: Path, count: int) -> Iterator[Cluster]:
    cluster = Cluster(root, count)
    try:
        cluster.start()
        yield cluster
    finally:
        cluster.stop()
