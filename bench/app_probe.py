"""App timing placeholder until journal.ui.app.make_app lands (replaced below)."""
