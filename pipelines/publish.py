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

# RAG and the scorecard live here once; the CLI and analysts read them from the published file.
RAG_MACRO = """
create or replace macro rag(value, polarity, target, red_threshold, green_band, red_band) as
    case
        when value is null or target is null or polarity is null then null
        when polarity = 'H' then case when value >= target then 'Green'
                                      when red_threshold is not null and value < red_threshold then 'Red'
                                      else 'Amber' end
        when polarity = 'L' then case when value <= target then 'Green'
                                      when red_threshold is not null and value > red_threshold then 'Red'
                                      else 'Amber' end
        when polarity = 'T' then case when abs(value - target) <= green_band then 'Green'
                                      when abs(value - target) > red_band then 'Red'
                                      else 'Amber' end
    end
"""

SCORECARD_VIEW = """
create or replace view scorecard as
with latest as (select max(period_end) as period_end from measure_results)
select
    results.org_unit,
    results.period_end,
    catalogue.section_order,
    catalogue.section_name as section,
    catalogue.scorecard_no,
    catalogue.measure_id,
    catalogue.measure_name as indicator,
    catalogue.polarity,
    catalogue.period_type as data_period,
    catalogue.unit,
    results.value as latest_result,
    rag(results.value, catalogue.polarity, catalogue.target, catalogue.red_threshold,
        catalogue.green_band, catalogue.red_band) as rag,
    results.numerator,
    results.denominator,
    catalogue.target
from measure_results as results
join measure_catalogue as catalogue on catalogue.measure_id = results.measure_id
join latest on latest.period_end = results.period_end
where results.uasc_scope = 'all'
"""


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
        con.execute("create table measure_catalogue as select * from warehouse.raw.measure_catalogue order by measure_order")
        con.execute(
            "create table measure_unavailable as select distinct measure_id, unavailable_reason "
            "from warehouse.marts.fct_measure_results where unavailable_reason is not null"
        )
        con.execute(
            "create table org_units as select dept_team_id as org_unit, dept_team_name as org_unit_name, "
            "dept_team_parent_id as parent_org_unit, dept_team_type as org_unit_type "
            "from warehouse.staging.stg_ssd__ssd_department union all select 'LA', 'Whole authority', null, 'LA'"
        )
        period_end = con.execute("select max(period_end) from measure_results").fetchone()[0]
        rows = con.execute("select count(*) from measure_results").fetchone()[0]
        con.execute("create table publication_log (extract_id varchar, period_end date, published_at timestamp, measure_rows bigint)")
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
        con.execute(RAG_MACRO)
        con.execute(SCORECARD_VIEW)
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
