"""Builders of synthetic acquisitions for tests (real SQLite, real plists, real encryption).

Import them as ``from tests.builders.ios_backup import BackupBuilder`` (pytest runs with the repo root on
``sys.path``).
"""
