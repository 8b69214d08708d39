"""A new passphrase typed twice (creating a vault, or replacing a forgotten passphrase with
the recovery code): taken only when the policy accepts it and both boxes agree."""

from __future__ import annotations

from collections.abc import Callable

from textual.widgets import Input, Static

from journal.core.store.passphrase_policy import judge


def chosen(first: Input, again: Input, strength: Static,
           status: Callable[[str], None]) -> str | None:
    """The passphrase, with both boxes emptied, once it is acceptable
    (`passphrase_policy.judge`) and typed the same twice. Otherwise None, the reason said
    (the policy's advice in red where the advice already is; a mismatch on the status
    line) and the focus in the box that needs the next key."""
    if not first.value:
        first.focus()
        return None
    verdict = judge(first.value)
    if not verdict.acceptable:  # said once, where the advice already is, in red
        strength.update(f"[b $error]{verdict.advice}[/]")
        status("")
        first.focus()
        return None
    if not again.value:
        again.focus()
        return None
    if again.value != first.value:
        again.value = ""
        status("[b $error]The two passphrases differ.[/] Type it again in the second box.")
        again.focus()
        return None
    passphrase = first.value
    first.value = again.value = ""
    return passphrase
