"""Reusable widgets of the journal app."""
