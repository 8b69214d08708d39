"""Sync through a folder that another engine (Syncthing, a cloud drive, a USB stick) keeps in
step between machines, end to end encrypted (docs/sync.md).

One idea per module: `record` (a change record's bytes and sealing), `folder_keys` (the sync
key wrapped under the passphrase, one file per machine), `layout` (the folder's names and
scanning: conflict copies, temporary and partial files), `chain` (each machine's
authenticated chain), `revisions` (an entry's revisions and their ids), `merge` (the
three-way merge of a day), `state` (this machine's sync state beside the vault),
`link_keys` (the sealed link, the escrow and this machine's key file kept in step),
`report` (what one sync did), `machines` (the folder's machines as a person tells them
apart: "this laptop", "the other laptop"), the steps of a sync: `push` (local changes into this
machine's next records), `publish` (compaction, copying records into the folder), `pull`
(the other machines' records read and stored), `apply` (pending days merged into the
vault), and `session` (linking, joining, one sync composed of those steps, key epochs,
status).
"""
