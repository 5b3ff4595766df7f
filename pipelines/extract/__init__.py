"""From an extract folder to typed tables in the warehouse's ``raw`` schema."""

from .loader import RAW_SCHEMA, load_bank_holidays, load_manifest, load_table, warehouse_connection
from .reader import ExtractError, LoadedTable, Manifest, read_manifest, read_table

__all__ = [
    "RAW_SCHEMA",
    "ExtractError",
    "LoadedTable",
    "Manifest",
    "load_bank_holidays",
    "load_manifest",
    "load_table",
    "read_manifest",
    "read_table",
    "warehouse_connection",
]
