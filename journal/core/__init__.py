"""The UI-free core: models, crypto, the encrypted store, exchange and reflection.

Nothing in this package imports Textual; a test enforces it.
"""
