"""The encrypted store: keys, sealed rows, manifest, index, quick capture, backup."""
