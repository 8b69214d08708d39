"""journal: an offline-first, encrypted, end-of-day journal in the terminal.

Importing this package does no work: no files are opened, no directories made.
"""

__version__ = "0.1.0"
