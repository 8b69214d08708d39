"""Made tests/data/index-v5/ ONCE (2026-12-05), with the program of main 38a3b8e (storage
version 6, index chunks of format 5: each chunk's fold keeps every row's set of work
labels; format 6 keeps each work label's rows as one mask instead), from a copy of its tree:

    git archive 38a3b8e | tar -x -C /tmp/main
    PYTHONPATH=/tmp/main python TESTS/data/make_index_v5.py TESTS/data/index-v5

`journal.db`: a vault of 80 entries (a demo year's last 75 days, and 10 days whose work
moments have no time); `reflect.json`: what that program's reflection gave over it, for
the whole journal at two work ends and for a range. tests/core/test_index_upgrade.py opens
a copy with the current program: the vault upgrades itself, and reflects the same. Do not
re-run it: the files are what an older program wrote.
"""

from __future__ import annotations

import sys
from pathlib import Path

from make_index_v4 import main  # the same journal and reflections, written by 38a3b8e

PASSPHRASE = "index v5: correct horse battery staple"


if __name__ == "__main__":
    main(Path(sys.argv[1]), PASSPHRASE)
