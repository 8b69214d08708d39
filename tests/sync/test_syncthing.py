"""End to end through real Syncthing: two instances on 127.0.0.1 only (separate homes and
ports; global and local discovery, relays, NAT and usage reports off; the folder shared by
device id), two vaults syncing through them. Skipped, with the reason, only where the
`syncthing` binary is not installed (.ci/run installs the Debian package).

Every wait is a bounded loop (at most WAIT seconds) and both instances are stopped at the
end of the test, whatever happens.
"""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import sys
import time
import xml.etree.ElementTree as ET
from collections.abc import Callable, Iterator
from datetime import date
from pathlib import Path

import pytest
from sync_sim import PASSPHRASE, Machine

from journal.core.store.crypto import KdfParams
from journal.core.store.vault import Vault
from journal.core.sync import session

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
from leakscan import scan  # noqa: E402

SYNCTHING = shutil.which("syncthing")
WAIT = 90.0

pytestmark = pytest.mark.skipif(
    SYNCTHING is None,
    reason="syncthing is not installed (Debian package 'syncthing'; .ci/run installs it)")


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def _set(parent: ET.Element, tag: str, text: str) -> None:
    node = parent.find(tag)
    if node is None:
        node = ET.SubElement(parent, tag)
    node.text = text


class Instance:
    def __init__(self, home: Path, folder: Path) -> None:
        self.home, self.folder = home, folder
        self.port, self.gui = _free_port(), _free_port()
        self.env = {**os.environ, "HOME": str(home), "STNOUPGRADE": "1",
                    "STNODEFAULTFOLDER": "1", "STHOMEDIR": str(home)}
        subprocess.run([SYNCTHING, "generate", f"--home={home}", "--no-default-folder"],
                       check=True, capture_output=True, env=self.env, timeout=60)
        self.device = subprocess.run([SYNCTHING, f"--home={home}", "--device-id"], check=True,
                                     capture_output=True, text=True, env=self.env,
                                     timeout=60).stdout.strip()
        self.process: subprocess.Popen[bytes] | None = None

    def configure(self, other: Instance) -> None:
        path = self.home / "config.xml"
        tree = ET.parse(path)
        root = tree.getroot()
        options = root.find("options")
        assert options is not None
        for tag, text in {
            "listenAddress": f"tcp://127.0.0.1:{self.port}", "globalAnnounceEnabled": "false",
            "localAnnounceEnabled": "false", "relaysEnabled": "false", "natEnabled": "false",
            "startBrowser": "false", "urAccepted": "-1", "autoUpgradeIntervalH": "0",
            "crashReportingEnabled": "false", "stunKeepaliveStartS": "0",
            "stunServer": "", "globalAnnounceServer": "", "announceLANAddresses": "false",
        }.items():
            _set(options, tag, text)
        gui = root.find("gui")
        assert gui is not None
        _set(gui, "address", f"127.0.0.1:{self.gui}")
        peer = ET.SubElement(root, "device", id=other.device, name="peer",
                             compression="metadata", introducer="false")
        ET.SubElement(peer, "address").text = f"tcp://127.0.0.1:{other.port}"
        folder = ET.SubElement(root, "folder", id="journal", label="journal",
                               path=str(self.folder), type="sendreceive",
                               rescanIntervalS="1", fsWatcherEnabled="true",
                               fsWatcherDelayS="1", ignorePerms="false")
        ET.SubElement(folder, "device", id=self.device)
        ET.SubElement(folder, "device", id=other.device)
        tree.write(path)
        self.folder.mkdir(parents=True, exist_ok=True)
        (self.folder / ".stfolder").mkdir(exist_ok=True)

    def start(self) -> None:
        log = open(self.home / "syncthing.log", "wb")  # noqa: SIM115 - closed with the process
        self.process = subprocess.Popen(
            [SYNCTHING, "serve", f"--home={self.home}", "--no-browser", "--no-restart",
             f"--gui-address=127.0.0.1:{self.gui}"],
            stdout=log, stderr=subprocess.STDOUT, env=self.env)

    def stop(self) -> None:
        if self.process is not None and self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=20)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait(timeout=20)


def wait_for(what: str, check: Callable[[], bool], instances: list[Instance]) -> None:
    deadline = time.monotonic() + WAIT
    while time.monotonic() < deadline:
        if check():
            return
        for inst in instances:
            assert inst.process is not None and inst.process.poll() is None, \
                (inst.home / "syncthing.log").read_text(errors="replace")[-2000:]
        time.sleep(0.3)
    logs = "\n".join((i.home / "syncthing.log").read_text(errors="replace")[-1500:]
                     for i in instances)
    raise AssertionError(f"timed out waiting for {what}\n{logs}")


@pytest.fixture
def pair(tmp_path: Path) -> Iterator[tuple[Instance, Instance]]:
    a = Instance(tmp_path / "home-a", tmp_path / "Sync-a")
    b = Instance(tmp_path / "home-b", tmp_path / "Sync-b")
    a.configure(b)
    b.configure(a)
    try:
        a.start()
        b.start()
        yield a, b
    finally:
        a.stop()
        b.stop()


def _records(folder: Path) -> set[str]:
    root = folder / "journal-sync"
    return {str(p.relative_to(folder)) for p in root.rglob("*.jsr")} if root.exists() \
        else set()


def test_two_vaults_stay_in_step_through_real_syncthing(pair, tmp_path):
    st_a, st_b = pair
    kdf = KdfParams.fast_for_tests()
    vault_a, _ = Vault.create(tmp_path / "vault-a", PASSPHRASE, kdf=kdf)
    a = Machine("a", vault_a, st_a.folder)
    a.write(date(2026, 11, 20), "KESTREL-CANARY-7731 written on the laptop")
    session.link(vault_a, st_a.folder, PASSPHRASE, allow_weak=True)
    a.sync()
    keys = st_b.folder / "journal-sync" / "keys"
    wait_for("the sync keys to reach B", lambda: keys.is_dir() and any(keys.glob("*.key"))
             and _records(st_a.folder) <= _records(st_b.folder), [st_a, st_b])
    _count, _code, report = session.join(st_b.folder, tmp_path / "vault-b", PASSPHRASE,
                                         kdf=kdf, allow_weak=True)
    vault_b = Vault.open(tmp_path / "vault-b", PASSPHRASE, allow_weak=True)
    b = Machine("b", vault_b, st_b.folder)
    try:
        assert report.received == 1
        assert "KESTREL-CANARY-7731" in vault_b.get_by_date(date(2026, 11, 20)).body
        # concurrent edits of one day, offline from each other
        a.write(date(2026, 11, 21), "laptop: MARLOW-CANARY-1 handover")
        b.write(date(2026, 11, 21), "desktop: MARLOW-CANARY-2 supervision")
        a.sync()
        b.sync()
        wait_for("both machines' records on both sides",
                 lambda: _records(st_a.folder) == _records(st_b.folder)
                 and len(_records(st_a.folder)) >= 3, [st_a, st_b])
        reports = [a.sync(), b.sync()]
        assert all(r.refused == [] for r in reports), reports
        assert a.export() == b.export()
        body = vault_a.get_by_date(date(2026, 11, 21)).body
        assert "MARLOW-CANARY-1" in body and "MARLOW-CANARY-2" in body
        needles = ["KESTREL-CANARY-7731", "MARLOW-CANARY-1", "MARLOW-CANARY-2", "2026-11-2"]
        found = scan([st_a.folder, st_b.folder], needles)
        assert found.found == {}, found.describe()
    finally:
        vault_a.close()
        vault_b.close()
