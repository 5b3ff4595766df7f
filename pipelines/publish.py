"""Publishing: copy audited results into ``published.duckdb``, built aside, moved into place atomically.

Analysts open the published file read-only. It is replaced only after a whole run has
succeeded, so a failed or interrupted run leaves yesterday's publication untouched. Only
aggregate results and the catalogue are published: no child-level rows, no identifiers.
"""

from __future__ import annotations

import os
from datetime import datetime
from pathlib import Path

import duckdb

PUBLISHED_RESULT_COLUMNS = (
    "measure_id varchar, period_end date, org_unit varchar, uasc_scope varchar, "
    "numerator double, denominator double, value double"
)

# The reporting marts dbt builds (marts schema) and publishes under these names.
REPORTING_TABLES = ("scorecard", "scorecard_summary", "uasc_impact", "activity", "trend", "core_monitoring")
HISTORY_COLUMNS = (
    "extract_id varchar, published_at timestamp, measure_id varchar, period_end date, org_unit varchar, "
    "uasc_scope varchar, numerator double, denominator double, value double"
)


class PublishError(RuntimeError):
    pass


def publish(working: Path, published: Path, extract_id: str) -> dict:
    """Build the publication beside the live file, then atomically replace it."""
    if not working.exists():
        raise PublishError(f"working warehouse {working} does not exist")
    published.parent.mkdir(parents=True, exist_ok=True)
    staging = published.with_name(f".{published.name}.{os.getpid()}.building")
    for leftover in (staging, staging.with_name(staging.name + ".wal")):
        leftover.unlink(missing_ok=True)
    con = duckdb.connect(str(staging))
    try:
        con.execute(f"attach '{working}' as warehouse (read_only)")
        con.execute(f"create table measure_results ({PUBLISHED_RESULT_COLUMNS})")
        con.execute(
            "insert into measure_results select measure_id, period_end, org_unit, uasc_scope, "
            "numerator, denominator, value from warehouse.marts.fct_measure_results "
            "order by measure_id, period_end, org_unit, uasc_scope"
        )
        con.execute(
            "create table measure_catalogue as select * from warehouse.raw.measure_catalogue order by measure_order"
        )
        con.execute(
            "create table measure_unavailable as select distinct measure_id, unavailable_reason "
            "from warehouse.marts.fct_measure_results where unavailable_reason is not null"
        )
        con.execute("create table org_units as select * from warehouse.intermediate.int_org_unit_names")
        period_end = con.execute("select max(period_end) from measure_results").fetchone()[0]
        rows = con.execute("select count(*) from measure_results").fetchone()[0]
        con.execute(
            "create table publication_log "
            "(extract_id varchar, period_end date, published_at timestamp, measure_rows bigint)"
        )
        # what each publication said about its own reporting month, for "previous reported result"
        con.execute(f"create table published_history (extract_id varchar, {PUBLISHED_RESULT_COLUMNS})")
        if published.exists():
            con.execute(f"attach '{published}' as previous (read_only)")
            con.execute("insert into publication_log select * from previous.publication_log")
            con.execute("insert into published_history select * from previous.published_history")
            con.execute("detach previous")
        now = datetime.now()
        con.execute("delete from publication_log where extract_id = ?", [extract_id])
        con.execute("delete from published_history where extract_id = ?", [extract_id])
        con.execute("insert into publication_log values (?, ?, ?, ?)", [extract_id, period_end, now, rows])
        con.execute(
            "insert into published_history select ?, * from measure_results where period_end = ?",
            [extract_id, period_end],
        )
        con.execute(
            "create table data_quality as select * from warehouse.quality.data_quality "
            "order by checked_at, stage, rule_id"
        )
        for table in REPORTING_TABLES:
            con.execute(f"create table {table} as select * from warehouse.marts.{table}")
        con.execute("detach warehouse")
        con.execute("checkpoint")
    except Exception:
        con.close()
        staging.unlink(missing_ok=True)
        raise
    con.close()
    os.replace(staging, published)  # atomic on the same filesystem
    _fsync_dir(published.parent)
    return {"extract_id": extract_id, "period_end": str(period_end), "measure_rows": rows}


def _fsync_dir(path: Path) -> None:
    fd = os.open(path, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def load_publication_history(con: duckdb.DuckDBPyConnection, published: Path) -> int:
    """Copy what earlier publications reported for their own month into raw.publication_history."""
    con.execute(f"create or replace table raw.publication_history ({HISTORY_COLUMNS})")
    if not published.exists():
        return 0
    con.execute(f"attach '{published}' as previous_publication (read_only)")
    try:
        con.execute(
            "insert into raw.publication_history "
            "select h.extract_id, l.published_at, h.measure_id, h.period_end, h.org_unit, h.uasc_scope, "
            "h.numerator, h.denominator, h.value "
            "from previous_publication.published_history as h "
            "join previous_publication.publication_log as l using (extract_id)"
        )
    finally:
        con.execute("detach previous_publication")
    return con.execute("select count(*) from raw.publication_history").fetchone()[0]
