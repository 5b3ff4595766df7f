"""Publishing: copy audited results out of the working warehouse, built aside, moved into place atomically.

Two publications come out of a run, both aggregates only (no child-level rows, no identifiers):

- ``published.duckdb``: the performance team's exact internal publication - the contracted
  ``measure_results`` and the reporting tables, the catalogue, data quality and history.
- ``shareable.duckdb`` and ``shareable/<table>.parquet``: the same tables under disclosure
  control (pipelines/disclosure.py), for what leaves the service.

Publishing checks its own preconditions first (whoever launched it): every raw table is of this
extract, the raw gate passed after the load, the measure gate passed on exactly these results,
and disclosure control was worked out from them. Files are written with mode 0640, or the mode
and group an existing publication has; a failed or interrupted publish leaves the previous
publication as it was. The history later runs read lives in the working warehouse (history.py).
"""

from __future__ import annotations

import contextlib
import os
import shutil
import stat
from datetime import datetime
from pathlib import Path

import duckdb

from . import history
from .contracts import raw_contract
from .quality import gate_runs

PUBLISHED_RESULT_COLUMNS = (
    "measure_id varchar, period_end date, org_unit varchar, uasc_scope varchar, "
    "numerator double, denominator double, value double"
)
RESULT_COLUMN_NAMES = "measure_id, period_end, org_unit, uasc_scope, numerator, denominator, value"

# The reporting marts dbt builds (schema marts; under disclosure control, schema shareable).
REPORTING_TABLES = ("scorecard", "scorecard_summary", "uasc_impact", "activity", "trend", "core_monitoring")
# What shareable.duckdb and shareable/ hold: the disclosure-controlled tables and the reference
# tables, with nothing per month that disclosure control has not seen.
SHAREABLE_TABLES = (
    "measure_results",
    *REPORTING_TABLES,
    "measure_catalogue",
    "org_units",
    "measure_unavailable",
    "disclosure_policy",
)
FILE_MODE = 0o640
BUILDING_SUFFIX = ".building"


class PublishError(RuntimeError):
    pass


def check_preconditions(con: duckdb.DuckDBPyConnection, extract_id: str) -> None:
    """Refuse to publish unless this extract went through every gate and the results are the ones checked."""

    def refuse(reason: str) -> None:
        raise PublishError(f"refused to publish extract {extract_id}: {reason}. Nothing was changed.")

    loaded = con.execute("select extract_id from raw.extract_manifest").fetchall()
    if loaded != [(extract_id,)]:
        refuse("the working warehouse holds another extract's manifest")
    for table in raw_contract().tables:
        others = con.execute(f"select count(*) from raw.{table} where _extract_id <> ?", [extract_id]).fetchone()[0]
        if others:
            refuse(f"raw.{table} holds rows of another extract (a load was interrupted or run alone)")
    (last_load,) = con.execute(
        "select max(loaded_at) from raw._extract_log where extract_id = ?", [extract_id]
    ).fetchone()
    raw_gate = gate_runs.latest(con, extract_id, gate_runs.RAW)
    if raw_gate is None or last_load is None or raw_gate.finished_at < last_load:
        refuse("the raw quality gate has not checked this load")
    if not raw_gate.passed:
        refuse("the raw quality gate blocked it")
    fingerprint = gate_runs.results_fingerprint(con)
    measure_gate = gate_runs.latest(con, extract_id, gate_runs.MEASURES)
    if measure_gate is None or measure_gate.finished_at < raw_gate.finished_at:
        refuse("the measure gate has not checked the measures built from this load")
    if not measure_gate.passed:
        refuse("the measure gate blocked it")
    if measure_gate.fingerprint != fingerprint:
        refuse("the measure results changed after the measure gate checked them")
    (disclosed,) = con.execute("select results_fingerprint from shareable.disclosure_policy").fetchone()
    if disclosed != fingerprint:
        refuse("disclosure control was not worked out from these measure results")


def _connect(path: Path, resources=None, read_only: bool = False) -> duckdb.DuckDBPyConnection:
    con = duckdb.connect(str(path), read_only=read_only)
    if resources is not None:
        resources.apply(con)
    return con


def publish(working: Path, root: Path, extract_id: str, resources=None) -> dict:
    """Check, build both publications aside, move them into place, then record the history."""
    if not working.exists():
        raise PublishError(f"working warehouse {working} does not exist")
    root.mkdir(parents=True, exist_ok=True)
    published, shareable, parquet_dir = root / "published.duckdb", root / "shareable.duckdb", root / "shareable"
    remove_stray_files(root)
    published_aside = _aside(published)
    shareable_aside = _aside(shareable)
    parquet_aside = _aside(parquet_dir)
    now = datetime.now()
    con = _connect(working, resources)
    history.ensure(con)
    con.close()
    con = _connect(working, resources, read_only=True)
    try:
        check_preconditions(con, extract_id)
        summary = _build_published(working, published_aside, extract_id, now, resources)
        _build_shareable(working, shareable_aside, parquet_aside, resources)
    except Exception:
        con.close()
        remove_stray_files(root)
        raise
    con.close()
    for aside, final in ((published_aside, published), (shareable_aside, shareable)):
        _set_mode(aside, final)
    for path in parquet_aside.iterdir():
        _set_mode(path, parquet_dir / path.name)
    _set_mode(parquet_aside, parquet_dir, directory=True)

    # the history is written in a transaction that commits only once both files are in place
    con = _connect(working, resources)
    try:
        history.ensure(con)
        con.execute("begin transaction")
        history.record_publication(con, extract_id, now, summary["measure_rows"])
        os.replace(published_aside, published)  # atomic on the same filesystem
        os.replace(shareable_aside, shareable)
        _replace_directory(parquet_aside, parquet_dir)
        _fsync_dir(root)
        con.execute("commit")
    except Exception:
        con.execute("rollback")
        raise
    finally:
        con.close()
        remove_stray_files(root)
    return summary


def _aside(path: Path) -> Path:
    return path.with_name(f".{path.name}.{os.getpid()}{BUILDING_SUFFIX}")


def remove_stray_files(root: Path) -> list[Path]:
    """Half-built publications of crashed runs (the caller holds the warehouse lock)."""
    removed = []
    for path in root.glob(f".*{BUILDING_SUFFIX}*"):
        shutil.rmtree(path) if path.is_dir() else path.unlink(missing_ok=True)
        removed.append(path)
    old = root / ".shareable.previous"
    if old.exists():
        if not (root / "shareable").exists():
            old.rename(root / "shareable")  # a swap interrupted between its two renames
        else:
            shutil.rmtree(old)
    return removed


def _build_published(working: Path, path: Path, extract_id: str, now: datetime, resources=None) -> dict:
    out = _connect(path, resources)
    try:
        out.execute(f"attach '{working}' as warehouse (read_only)")
        out.execute(f"create table measure_results ({PUBLISHED_RESULT_COLUMNS})")
        out.execute(
            f"insert into measure_results select {RESULT_COLUMN_NAMES} from warehouse.marts.fct_measure_results "
            "order by measure_id, period_end, org_unit, uasc_scope"
        )
        _reference_tables(out)
        period_end = out.execute("select max(period_end) from measure_results").fetchone()[0]
        rows = out.execute("select count(*) from measure_results").fetchone()[0]
        # the history as the working warehouse keeps it, with this publication added
        out.execute(
            "create table publication_log as select extract_id, period_end, published_at, measure_rows "
            "from warehouse.history.publication_log where extract_id <> ?",
            [extract_id],
        )
        out.execute("insert into publication_log values (?, ?, ?, ?)", [extract_id, period_end, now, rows])
        out.execute(
            "create table published_history as select * from warehouse.history.published_results where extract_id <> ?",
            [extract_id],
        )
        out.execute(
            "insert into published_history select ?, * from measure_results where period_end = ?",
            [extract_id, period_end],
        )
        out.execute(
            "create table data_quality as select * from warehouse.quality.data_quality "
            "order by checked_at, stage, rule_id"
        )
        for table in REPORTING_TABLES:
            out.execute(f"create table {table} as select * from warehouse.marts.{table}")
        out.execute("detach warehouse")
        out.execute("checkpoint")
    finally:
        out.close()
    return {"extract_id": extract_id, "period_end": str(period_end), "measure_rows": rows}


def _reference_tables(out: duckdb.DuckDBPyConnection, schema: str = "warehouse") -> None:
    out.execute(
        f"create table measure_catalogue as select * from {schema}.raw.measure_catalogue order by measure_order"
    )
    out.execute(
        "create table measure_unavailable as select distinct measure_id, unavailable_reason "
        f"from {schema}.marts.fct_measure_results where unavailable_reason is not null"
    )
    out.execute(f"create table org_units as select * from {schema}.intermediate.int_org_unit_names")


def _build_shareable(working: Path, path: Path, parquet_dir: Path, resources=None) -> None:
    out = _connect(path, resources)
    try:
        out.execute(f"attach '{working}' as warehouse (read_only)")
        out.execute(
            f"create table measure_results as select {RESULT_COLUMN_NAMES}, suppressed "
            "from warehouse.shareable.measure_results order by measure_id, period_end, org_unit, uasc_scope"
        )
        for table in REPORTING_TABLES:
            out.execute(f"create table {table} as select * from warehouse.shareable.{table}")
        _reference_tables(out)
        out.execute(
            "create table disclosure_policy as select threshold, rounding_base, suppress_zeros, "
            "'team and area cells whose counts are below the threshold, and cells that would reveal them by "
            "subtraction, are withheld; counts are rounded to the nearest rounding_base' as policy "
            "from warehouse.shareable.disclosure_policy"
        )
        out.execute("detach warehouse")
        parquet_dir.mkdir()
        for table in SHAREABLE_TABLES:
            out.execute(f"copy {table} to '{parquet_dir / (table + '.parquet')}' (format parquet)")
        out.execute("checkpoint")
    finally:
        out.close()


def _set_mode(new: Path, current: Path, directory: bool = False) -> None:
    """0640 (0750 for a folder), or what the live file has: a council's chosen mode and group survive."""
    default = 0o750 if directory else FILE_MODE
    try:
        existing = current.stat()
    except FileNotFoundError:
        os.chmod(new, default)
        return
    os.chmod(new, stat.S_IMODE(existing.st_mode))
    with contextlib.suppress(PermissionError):  # not a member of that group: the mode still holds
        os.chown(new, -1, existing.st_gid)


def _replace_directory(new: Path, current: Path) -> None:
    """Two renames; remove_stray_files() puts the old folder back if a crash falls between them."""
    previous = current.with_name(".shareable.previous")
    if current.exists():
        current.rename(previous)
    new.rename(current)
    if previous.exists():
        shutil.rmtree(previous)


def _fsync_dir(path: Path) -> None:
    fd = os.open(path, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def load_publication_history(con: duckdb.DuckDBPyConnection) -> int:
    """What earlier publications reported for their own month, into raw.publication_history."""
    history.ensure(con)
    con.execute(
        "create or replace table raw.publication_history as "
        "select results.extract_id, log.published_at, results.measure_id, results.period_end, results.org_unit, "
        "results.uasc_scope, results.numerator, results.denominator, results.value "
        "from history.published_results as results join history.publication_log as log using (extract_id)"
    )
    return con.execute("select count(*) from raw.publication_history").fetchone()[0]
