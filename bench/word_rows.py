"""`python -m bench.word_rows`: the word filter's size and speed with real prose (issue 19).

The bench's generated bodies repeat one filler, so a chunk holds a few hundred distinct
words; real prose does not. This builds chunks of synthetic Zipf prose (250 words an entry
drawn from a 20,000-word vocabulary, s = 1.05: a few words in every entry, most in one or
two) with the demo generator's moments, ~195 entries a chunk as at 50,000 entries, and
compares the word filter as it was (chunk format 3: a JSON part inside every chunk, words
with row numbers or hex masks) with the word rows of today (journal.core.store.word_chunk):
size sealed, build, open and search time per chunk. Figures go to stdout and
bench/results/word_rows.json.

`python -m bench.word_rows --vault DIR --entries 50000` instead writes a vault of that many
such entries (the production KDF of bench/results/kdf.json, the bench's passphrase) for
whole-command figures; it needs nothing of the word rows, so the same command run from a
checkout of an older version builds the same vault for a before/after (PYTHONHASHSEED=0
makes the vocabulary the same).
"""

from __future__ import annotations

import argparse
import bisect
import itertools
import json
import random
import statistics
import time
from pathlib import Path

from journal.core.demo import generate
from journal.core.store import crypto

RESULTS = Path(__file__).resolve().parent / "results"
KEY, VAULT_ID = b"k" * 32, b"v" * 16


def vocabulary(size: int, rng: random.Random) -> list[str]:
    """`size` distinct made-up words, 2-12 letters (about English's length spread)."""
    words: set[str] = set()
    letters = "etaoinshrdlcumwfgypbvkjxqz"
    weights = [13, 9, 8, 8, 7, 7, 6, 6, 6, 4, 4, 3, 3, 2, 2, 2, 2, 2, 2, 1, 1, 1, 1, 1, 1, 1]
    while len(words) < size:
        length = min(12, max(2, int(rng.gauss(6.5, 2.5))))
        words.add("".join(rng.choices(letters, weights, k=length)))
    return sorted(words, key=lambda w: rng.random())


def zipf_bodies(n: int, words: int, vocab: list[str], s: float, rng: random.Random) -> list[str]:
    weights = list(itertools.accumulate(1 / (rank ** s) for rank in range(1, len(vocab) + 1)))
    total = weights[-1]
    bodies = []
    for _ in range(n):
        picks = [vocab[bisect.bisect(weights, rng.random() * total)] for _ in range(words)]
        sentences = [" ".join(picks[i:i + 12]).capitalize() + "." for i in range(0, words, 12)]
        bodies.append(" ".join(sentences))
    return bodies


# -- the word filter of chunk format 3 (main before this change), for comparison ------------
def old_posting(mask: int) -> int | list[int] | str:
    if mask.bit_count() > 3:
        return format(mask, "x")
    rows = [i for i, bit in enumerate(bin(mask)[:1:-1]) if bit == "1"]
    return rows[0] if len(rows) == 1 else rows


def old_mask(posting) -> int:  # noqa: ANN001 - JSON
    if type(posting) is int:
        return 1 << posting
    if type(posting) is str:
        return int(posting, 16)
    return sum(1 << r for r in set(posting))


def old_part(rows: list[list[str]]) -> bytes:
    masks: dict[str, int] = {}
    for row, words in enumerate(rows):
        for word in words:
            masks[word] = masks.get(word, 0) | 1 << row
    ordered = sorted(masks)
    return json.dumps({"w": ordered, "m": [old_posting(masks[w]) for w in ordered]},
                      ensure_ascii=False, separators=(",", ":")).encode()


def old_search(part: dict, rows: int, piece: str) -> int:
    found = 0
    for i, known in enumerate(part["w"]):
        if piece in known:
            found |= old_mask(part["m"][i])
    return found & ((1 << rows) - 1)


def _best(fn, repeat: int = 5) -> float:  # noqa: ANN001
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        fn()
        times.append(time.perf_counter() - start)
    return min(times)


def write_vault(target: Path, entries: int, args: argparse.Namespace) -> None:
    from journal.core.store.vault import Vault

    rng = random.Random(19)
    vocab = vocabulary(args.vocabulary, rng)
    print(f"words of rank 20, 2,000 and 15,000: {vocab[19]} {vocab[1999]} {vocab[14999]}")
    items = generate(entries, seed=7, body_bytes=200)
    for entry, body in zip(items, zipf_bodies(entries, args.words, vocab, args.zipf, rng),
                           strict=True):
        entry.body = body
    kdf = crypto.KdfParams.from_json(json.loads((RESULTS / "kdf.json").read_text())["kdf"])
    vault, _ = Vault.create(target, "bench: correct horse battery staple", kdf=kdf,
                            recovery=False)
    try:
        start = time.perf_counter()
        vault.put_many(items)
        print(f"{entries:,} entries written in {time.perf_counter() - start:.1f} s")
    finally:
        vault.close()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--chunks", type=int, default=6)
    parser.add_argument("--rows", type=int, default=195, help="entries a chunk (50,000/256)")
    parser.add_argument("--words", type=int, default=250, help="words an entry")
    parser.add_argument("--vocabulary", type=int, default=20_000)
    parser.add_argument("--zipf", type=float, default=1.05)
    parser.add_argument("--vault", type=Path, help="write a vault of Zipf entries here")
    parser.add_argument("--entries", type=int, default=50_000, help="with --vault")
    args = parser.parse_args()
    if args.vault is not None:
        write_vault(args.vault, args.entries, args)
        return
    from journal.core.store.index import build_pair, record_of, words_of
    from journal.core.store.word_chunk import WordChunk
    rng = random.Random(19)
    vocab = vocabulary(args.vocabulary, rng)
    probes = {"common (rank 20)": vocab[19], "middling (rank 2,000)": vocab[1999],
              "rare (rank 15,000)": vocab[14999], "3 letters, inside words": "ent"}
    figures: dict[str, list[float]] = {}

    def add(name: str, value: float) -> None:
        figures.setdefault(name, []).append(value)

    for c in range(args.chunks):
        entries = generate(args.rows, seed=100 + c, body_bytes=200)
        for entry, body in zip(entries, zipf_bodies(args.rows, args.words, vocab, args.zipf,
                                                    rng), strict=True):
            entry.body = body
        records = [record_of(e) for e in entries]
        words = [words_of(e) for e in entries]
        start = time.perf_counter()
        chunk, word_row = build_pair(c, records, words, "m" * 44)
        add("build chunk + word row (ms)", 1000 * (time.perf_counter() - start))
        rows = word_row.row_words()
        add("distinct words", word_row.count)
        add("postings (word, row pairs)", sum(map(len, rows)))
        add("chunk without words, sealed (KB)", len(chunk.seal(KEY, VAULT_ID)) / 1024)
        old = old_part(rows)
        add("format 3 word part, JSON (KB)", len(old) / 1024)
        add("word row, sealed (KB)", len(word_row.seal(KEY, VAULT_ID)) / 1024)
        add("format 3: decode the word part (ms)",
            1000 * _best(lambda old=old: crypto.parse_json(old)))
        blob = word_row.seal(KEY, VAULT_ID)
        add("word row: open (decrypt + check) (ms)",
            1000 * _best(lambda blob=blob, c=c: WordChunk.open(KEY, VAULT_ID, c, blob)))
        part, n = json.loads(old), len(rows)
        for label, piece in probes.items():
            expected = old_search(part, n, piece)
            assert word_row.rows_with_words([piece]) == expected, label
            add(f"format 3 search, {label} (ms)",
                1000 * _best(lambda p=piece, part=part, n=n: old_search(part, n, p)))
            add(f"word row search, {label} (ms)",
                1000 * _best(lambda p=piece, w=word_row: w.rows_with_words([p])))
    summary = {name: round(statistics.median(values), 3) for name, values in figures.items()}
    width = max(map(len, summary))
    print(f"Zipf prose: {args.words} words an entry from {args.vocabulary:,} (s={args.zipf}),"
          f" {args.rows} entries a chunk, median of {args.chunks} chunks")
    for name, value in summary.items():
        print(f"  {name:<{width}}  {value:>10,.3f}")
    per_vault = 256 / 1024
    print(f"  at 50,000 entries (256 chunks): format 3 word parts "
          f"{summary['format 3 word part, JSON (KB)'] * per_vault:.1f} MB, word rows "
          f"{summary['word row, sealed (KB)'] * per_vault:.1f} MB, chunks without words "
          f"{summary['chunk without words, sealed (KB)'] * per_vault:.1f} MB")
    RESULTS.mkdir(exist_ok=True)
    (RESULTS / "word_rows.json").write_text(json.dumps(
        {"args": vars(args), "median": summary}, indent=1))


if __name__ == "__main__":
    main()
