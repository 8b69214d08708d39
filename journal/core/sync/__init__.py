"""Sync through a folder that another engine (Syncthing, a cloud drive, a USB stick) keeps in
step between machines, end to end encrypted (docs/sync.md).

One idea per module: `record` (a change record's bytes and sealing), `folder_keys` (the sync
key wrapped under the passphrase, one file per machine), `layout` (the folder's names and
scanning: conflict copies, temporary and partial files), `chain` (each machine's
authenticated chain), `revisions` (an entry's revisions and their ids), `merge` (the
three-way merge of a day), `state` (this machine's sync state beside the vault) and
`session` (one sync: push, pull, merge, apply).
"""
