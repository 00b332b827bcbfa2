"""Accalmie."""
