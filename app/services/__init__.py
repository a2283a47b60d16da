"""Use cases: validate, authorise, write, and return what changed. Never commit, never emit."""
