"""Write `ours/export.jrnl` (our `--format jrnl` export of tests/importers/peer_sample.py)
and `ours/export.jrnl.json`: what jrnl 4.6 reads from it (`jrnl --export json`).

Run once, by hand, from the repository root, with a throwaway jrnl venv (see
make_reference.py; jrnl is never a dependency of this project):

    TZ=UTC .venv/bin/python tests/data/peer/make_ours_reference.py /tmp/jrnl46/bin/python

tests/importers/test_peer_exports.py checks that the exporter still writes exactly
`export.jrnl` and that jrnl's reading matches our entries.
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parents[1] / "importers"))

from peer_sample import sample_entries  # noqa: E402

from journal.core.exchange.exporters import jrnl  # noqa: E402

READ = """
import sys
from jrnl.journals import open_journal
from jrnl.plugins.json_exporter import JSONExporter
path = sys.argv[1]
config = {"journal": path, "journals": {"default": {"journal": path}}, "encrypt": False,
          "timeformat": "%F %r", "tagsymbols": "#@", "default_hour": 9, "default_minute": 0,
          "highlight": False, "linewrap": 79, "indent_character": "|"}
print(JSONExporter.export_journal(open_journal("default", config)))
"""


def main(jrnl_python: str) -> None:
    out = HERE / "ours"
    out.mkdir(exist_ok=True)
    target = out / "export.jrnl"
    target.write_text(jrnl.render(sample_entries()), encoding="utf-8")
    reading = subprocess.run([jrnl_python, "-c", READ, str(target)], check=True,
                             capture_output=True, text=True).stdout
    (out / "export.jrnl.json").write_text(reading, encoding="utf-8")


if __name__ == "__main__":
    main(sys.argv[1])
