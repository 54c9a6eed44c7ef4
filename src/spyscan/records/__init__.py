"""Typed, frozen records produced by artifacts."""

from spyscan.records.base import Record, SourceRef, iter_observables, iter_timestamps, record_types

__all__ = ["Record", "SourceRef", "iter_observables", "iter_timestamps", "record_types"]
