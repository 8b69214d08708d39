"""jrnl 4.6 in its own bench-only venv (bench/.jrnl-venv): never a runtime or test dependency.

The passphrase goes through jrnl's supported mechanism, the system keyring: a tiny keyring
backend (selected with keyring's own PYTHON_KEYRING_BACKEND variable) hands jrnl the
passphrase, as a desktop keyring would. The journal is written by jrnl's own Jrnlv3Encryption
class, and each benchmark run gets a temporary XDG config pointing at it (encrypt: true).
"""

from __future__ import annotations

import os
import subprocess
import sys
import tempfile
from pathlib import Path

VERSION = "4.6"
VENV = Path(__file__).resolve().parent / ".jrnl-venv"
PY = VENV / "bin" / "python"
JRNL = VENV / "bin" / "jrnl"
_status: dict[str, str] = {}

_KEYRING_BACKEND = '''
import os
from keyring.backend import KeyringBackend


class EnvKeyring(KeyringBackend):
    """Answers jrnl's keyring look-up with the benchmark passphrase."""

    priority = 1

    def get_password(self, service, username):
        return os.environ.get("BENCH_JRNL_PASSPHRASE")

    def set_password(self, service, username, password):
        pass

    def delete_password(self, service, username):
        pass
'''

_CONFIG = """\
version: v{version}
journals:
  default:
    journal: {journal}
encrypt: true
editor: ''
template: false
default_hour: 21
default_minute: 30
timeformat: '%Y-%m-%d %H:%M'
tagsymbols: '#@'
highlight: false
linewrap: 79
indent_character: '|'
colors:
  body: none
  date: none
  tags: none
  title: none
"""

_WRITER = """
import sys
from jrnl.encryption.Jrnlv3Encryption import Jrnlv3Encryption
enc = Jrnlv3Encryption("default", {"encrypt": True})
enc.password = sys.argv[2]
data = enc.encrypt(sys.stdin.buffer.read().decode("utf-8"))
with open(sys.argv[1], "wb") as f:
    f.write(data)
"""


def ensure(install: bool = True) -> str | None:
    """Create the venv and install jrnl==4.6 if missing. Returns None if ready, else why not."""
    if "why" in _status:
        return _status["why"] or None
    why = ""
    if not (JRNL.exists() and _version_ok()):
        if not install:
            why = "jrnl venv missing"
        else:
            print(f"installing jrnl=={VERSION} into {VENV} (bench only) ...", file=sys.stderr)
            try:
                if not PY.exists():
                    subprocess.run([sys.executable, "-m", "venv", str(VENV)], check=True,
                                   capture_output=True, timeout=300)
                subprocess.run([str(PY), "-m", "pip", "install", "-q", f"jrnl=={VERSION}"],
                               check=True, capture_output=True, timeout=600)
            except (subprocess.SubprocessError, OSError) as exc:
                detail = getattr(exc, "stderr", b"") or b""
                why = f"could not install jrnl {VERSION}: {exc} {detail[-300:]!r}"
            if not why and not _version_ok():
                why = f"jrnl {VERSION} did not install"
    _status["why"] = why
    return why or None


def available() -> bool:
    return ensure() is None


def _version_ok() -> bool:
    try:
        out = subprocess.run([str(JRNL), "--version"], capture_output=True, timeout=60).stdout
    except (OSError, subprocess.SubprocessError):
        return False
    return f"v{VERSION}" in out.decode("utf-8", "replace")


def write_encrypted(text: str, target: Path, passphrase: str) -> None:
    subprocess.run([str(PY), "-c", _WRITER, str(target), passphrase],
                   input=text.encode("utf-8"), check=True)


class Env:
    """A temporary XDG home with jrnl's config and the keyring shim; `env` for subprocesses."""

    def __init__(self, journal: Path, passphrase: str) -> None:
        self._tmp = tempfile.TemporaryDirectory(prefix="bench-jrnl-")
        root = Path(self._tmp.name)
        (root / "config" / "jrnl").mkdir(parents=True)
        (root / "data").mkdir()
        (root / "shim").mkdir()
        (root / "config" / "jrnl" / "jrnl.yaml").write_text(
            _CONFIG.format(version=VERSION, journal=journal))
        (root / "shim" / "bench_keyring.py").write_text(_KEYRING_BACKEND)
        self.env = {
            "PATH": os.environ.get("PATH", "/usr/bin:/bin"), "HOME": str(root),
            "XDG_CONFIG_HOME": str(root / "config"), "XDG_DATA_HOME": str(root / "data"),
            "PYTHONPATH": str(root / "shim"),
            "PYTHON_KEYRING_BACKEND": "bench_keyring.EnvKeyring",
            "BENCH_JRNL_PASSPHRASE": passphrase, "EDITOR": "", "VISUAL": "",
            "NO_COLOR": "1", "TERM": "dumb", "COLUMNS": "100",
        }

    def close(self) -> None:
        self._tmp.cleanup()

    def __enter__(self) -> Env:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


def command(*args: str) -> list[str]:
    return [str(JRNL), *args]
