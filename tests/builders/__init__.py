"""Builders of synthetic acquisitions for tests (real SQLite, real plists, real encryption).

Import them as ``from builders.ios_backup import BackupBuilder`` with the ``tests`` folder on
``sys.path`` (``tests/ios_backup/conftest.py`` shows the two lines that put it there).
"""
