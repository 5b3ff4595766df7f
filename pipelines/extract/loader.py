"""Write typed extract tables into the working warehouse (DuckDB ``raw`` schema).

Each load replaces the table with the current extract's rows, tagged ``_extract_id``;
``raw._extract_log`` keeps a row per table per extract ever loaded, so the warehouse
remembers every extract (and its volumes) it has seen.
"""

from __future__ import annotations

from contextlib import contextmanager
from datetime import datetime
from pathlib import Path

import duckdb
import holidays
import pyarrow as pa

from .reader import LoadedTable, Manifest

RAW_SCHEMA = "raw"
BANK_HOLIDAY_YEARS = (1990, 2045)


@contextmanager
def warehouse_connection(path: Path):
    path.parent.mkdir(parents=True, exist_ok=True)
    con = duckdb.connect(str(path))
    try:
        con.execute(f"create schema if not exists {RAW_SCHEMA}")
        con.execute(
            f"""create table if not exists {RAW_SCHEMA}._extract_log (
                extract_id varchar, table_name varchar, present boolean, row_count bigint,
                source_file varchar, ignored_columns varchar, loaded_at timestamp)"""
        )
        yield con
    finally:
        con.close()


def replace_table(con: duckdb.DuckDBPyConnection, name: str, data: pa.Table) -> None:
    con.register("_incoming", data)
    try:
        con.execute(f"create or replace table {RAW_SCHEMA}.{name} as select * from _incoming")
    finally:
        con.unregister("_incoming")


def load_table(con: duckdb.DuckDBPyConnection, loaded: LoadedTable, extract_id: str) -> int:
    n = loaded.data.num_rows
    # _row_number is the data row of the source file (its CSV line is one more, after the header)
    data = loaded.data.append_column("_row_number", pa.array(range(1, n + 1), pa.int64()))
    data = data.append_column("_extract_id", pa.array([extract_id] * n, pa.string()))
    replace_table(con, loaded.name, data)
    con.execute(
        f"delete from {RAW_SCHEMA}._extract_log where extract_id = ? and table_name = ?", [extract_id, loaded.name]
    )
    con.execute(
        f"insert into {RAW_SCHEMA}._extract_log values (?, ?, ?, ?, ?, ?, ?)",
        [
            extract_id,
            loaded.name,
            loaded.present,
            loaded.data.num_rows,
            loaded.source_file,
            ",".join(loaded.ignored_columns),
            datetime.now(),
        ],
    )
    return loaded.data.num_rows


def load_manifest(con: duckdb.DuckDBPyConnection, manifest: Manifest, tables_present: dict[str, bool]) -> None:
    replace_table(
        con,
        "extract_manifest",
        pa.Table.from_pylist(
            [manifest.as_row()],
            schema=pa.schema(
                [
                    ("extract_id", pa.string()),
                    ("la_code", pa.string()),
                    ("extracted_at", pa.timestamp("us")),
                    ("period_end", pa.date32()),
                    ("period_start", pa.date32()),
                    ("ssd_version", pa.string()),
                ]
            ),
        ),
    )
    replace_table(
        con, "extract_tables", pa.table({"table_name": list(tables_present), "present": list(tables_present.values())})
    )


def bank_holidays_table(first_year: int = BANK_HOLIDAY_YEARS[0], last_year: int = BANK_HOLIDAY_YEARS[1]) -> pa.Table:
    """England and Wales bank holidays, from the maintained ``holidays`` package."""
    cal = holidays.country_holidays("GB", subdiv="ENG", years=range(first_year, last_year + 1))
    days = sorted(cal.items())
    return pa.table(
        {
            "holiday_date": pa.array([d for d, _ in days], pa.date32()),
            "holiday_name": pa.array([n for _, n in days], pa.string()),
        }
    )


def load_bank_holidays(con: duckdb.DuckDBPyConnection) -> int:
    table = bank_holidays_table()
    replace_table(con, "bank_holidays", table)
    return table.num_rows
