"""From an extract folder to typed tables in the warehouse's ``raw`` schema."""

from .loader import (
    RAW_SCHEMA,
    LoadResult,
    load_bank_holidays,
    load_manifest,
    load_table,
    read_table,
    warehouse_connection,
)
from .reader import ExtractError, Manifest, read_manifest

__all__ = [
    "RAW_SCHEMA",
    "ExtractError",
    "LoadResult",
    "Manifest",
    "load_bank_holidays",
    "load_manifest",
    "load_table",
    "read_manifest",
    "read_table",
    "warehouse_connection",
]
