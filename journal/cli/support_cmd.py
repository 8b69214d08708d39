"""`journal support`: crisis lines and support resources, the app's support screen's text."""

from __future__ import annotations

import click

from journal.cli.output import say
from journal.core.care.support import support_plain


@click.command("support")
def support_command() -> None:
    """Crisis lines and support resources (the same text as the app's support screen).

    \b
    Example:
      journal support
    """
    say(support_plain(), nl=False)
