"""What has been published, kept in the working warehouse (schema `history`).

Later runs read the history from here - the previous result as it was published, the row
counts the table-shrink check compares with, the last publication a new extract must not be
older than - and never from published.duckdb, which analysts open and could change. The
publication carries a copy for them to read.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime

import duckdb

SCHEMA = "history"
RESULT_COLUMNS = (
    "measure_id varchar, period_end date, org_unit varchar, uasc_scope varchar, "
    "numerator double, denominator double, value double"
)


@dataclass(frozen=True)
class Publication:
    extract_id: str
    extracted_at: datetime
    period_end: date
    published_at: datetime


def ensure(con: duckdb.DuckDBPyConnection) -> None:
    con.execute(f"create schema if not exists {SCHEMA}")
    con.execute(
        f"create table if not exists {SCHEMA}.publication_log (extract_id varchar, extracted_at timestamp, "
        "period_end date, published_at timestamp, measure_rows bigint)"
    )
    # what each publication said about its own reporting month, for "previous reported result"
    con.execute(f"create table if not exists {SCHEMA}.published_results (extract_id varchar, {RESULT_COLUMNS})")
    # each published extract's table sizes, the baseline of the table-shrink check
    con.execute(
        f"create table if not exists {SCHEMA}.published_table_rows "
        "(extract_id varchar, table_name varchar, row_count bigint)"
    )


def last_publication(con: duckdb.DuckDBPyConnection) -> Publication | None:
    exists = con.execute(
        f"select count(*) from information_schema.tables where table_schema = '{SCHEMA}' "
        "and table_name = 'publication_log'"
    ).fetchone()[0]
    if not exists:
        return None
    row = con.execute(
        f"select extract_id, extracted_at, period_end, published_at from {SCHEMA}.publication_log "
        "order by published_at desc limit 1"
    ).fetchone()
    return Publication(*row) if row else None


def published_table_rows(con: duckdb.DuckDBPyConnection) -> tuple[str, dict[str, int]] | None:
    """The last publication's extract id and its tables' row counts."""
    last = last_publication(con)
    if last is None:
        return None
    rows = con.execute(
        f"select table_name, row_count from {SCHEMA}.published_table_rows where extract_id = ?", [last.extract_id]
    ).fetchall()
    return last.extract_id, dict(rows)


def record_publication(
    con: duckdb.DuckDBPyConnection, extract_id: str, published_at: datetime, measure_rows: int
) -> None:
    """Add this publication to the history (the caller holds the transaction)."""
    ensure(con)
    extracted_at, period_end = con.execute("select extracted_at, period_end from raw.extract_manifest").fetchone()
    for table in ("publication_log", "published_results", "published_table_rows"):
        con.execute(f"delete from {SCHEMA}.{table} where extract_id = ?", [extract_id])
    con.execute(
        f"insert into {SCHEMA}.publication_log values (?, ?, ?, ?, ?)",
        [extract_id, extracted_at, period_end, published_at, measure_rows],
    )
    con.execute(
        f"insert into {SCHEMA}.published_results select ?, measure_id, period_end, org_unit, uasc_scope, "
        "numerator, denominator, value from marts.fct_measure_results "
        "where period_end = (select max(period_end) from marts.fct_measure_results)",
        [extract_id],
    )
    con.execute(
        f"insert into {SCHEMA}.published_table_rows select extract_id, table_name, row_count "
        "from raw._extract_log where extract_id = ? "
        "qualify row_number() over (partition by table_name order by loaded_at desc) = 1",
        [extract_id],
    )


class OlderThanPublished(ValueError):
    """The extract is older than the last publication: publishing it would replace newer figures."""


def refuse_if_older(con: duckdb.DuckDBPyConnection, extract_id: str, extracted_at: datetime, period_end: date) -> None:
    """Refuse an extract taken before, or covering a month before, the last publication's (a
    re-copied old extract). Re-running the published extract itself is allowed."""
    last = last_publication(con)
    if last is None or last.extract_id == extract_id:
        return
    if extracted_at < last.extracted_at or period_end < last.period_end:
        raise OlderThanPublished(
            f"extract {extract_id} (taken {extracted_at:%Y-%m-%d %H:%M}, period end {period_end}) is older than "
            f"the last publication, extract {last.extract_id} (taken {last.extracted_at:%Y-%m-%d %H:%M}, period end "
            f"{last.period_end}): refused, nothing was changed. To publish it anyway, run with --force."
        )
