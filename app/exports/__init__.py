"""Export writers: plain report data in, one file format out. No Flask, no database.

Writers are registered by name, so a new format is one function and one line.
"""
from app.exports.writers import ROUND_WRITERS, WORKSHOP_WRITERS, Export

__all__ = ["Export", "ROUND_WRITERS", "WORKSHOP_WRITERS"]
