"""Payments tests use the small province of the dossier tests."""

from motcua.dossiers.tests.conftest import world  # noqa: F401  (a fixture, used by name)
