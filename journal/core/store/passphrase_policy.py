"""The one passphrase-strength policy, used by the app's create screen and by the CLI's
`init` and `passwd` alike: too short or too common is refused, short-ish gets advice.

A few unrelated words beat clever symbols, so length and word count are what count."""

from __future__ import annotations

from dataclasses import dataclass

MIN_LENGTH = 8
#: Below this length (and fewer than three words) a passphrase is accepted but called weak.
STRONG_LENGTH = 14
COMMON = frozenset({
    "password", "passphrase", "12345678", "123456789", "1234567890", "qwertyuiop", "iloveyou",
    "letmein", "journal", "password1", "11111111", "abcdefgh", "qwertyui", "passw0rd",
})


@dataclass(frozen=True)
class Verdict:
    acceptable: bool
    advice: str
    """One line, a full sentence, for the person choosing the passphrase."""

    @property
    def weak(self) -> bool:
        """Accepted, but worth a warning (or refused outright)."""
        return not self.acceptable or self.advice.startswith("Weak")


def judge(passphrase: str) -> Verdict:
    """The verdict on a new passphrase (an existing vault's passphrase is never judged)."""
    if len(passphrase) < MIN_LENGTH:
        return Verdict(False, f"Too short: use at least {MIN_LENGTH} characters (a few "
                              "unrelated words is best).")
    if passphrase.lower() in COMMON or len(set(passphrase)) < 4:
        return Verdict(False, "Too easy to guess: try three or four unrelated words.")
    if len(passphrase) < STRONG_LENGTH and len(passphrase.split()) < 3:
        return Verdict(True, "Weak: it works, but three or four unrelated words would be far "
                             "stronger.")
    return Verdict(True, "Good: long enough. Make sure you can remember it.")
