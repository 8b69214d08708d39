"""The Textual app: unlock, write, browse, reflect. Nothing here runs at import time."""
