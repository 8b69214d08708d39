"""Screens: one module per screen, each with its TCSS scoped under the screen type."""
