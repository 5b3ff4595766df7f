"""Each gate's verdict on an extract, as the publish step needs to see it (quality.gate_runs).

Publishing re-checks its own preconditions rather than trusting that it was launched after
the gates: whoever starts it (the nightly run, a partial run from the UI), it publishes only
an extract whose raw gate passed after its load and whose measure gate passed on the very
measure results about to be published (a fingerprint of them).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

import duckdb

RAW = "raw"
MEASURES = "measures"


@dataclass(frozen=True)
class GateRun:
    extract_id: str
    stage: str
    finished_at: datetime
    passed: bool
    fingerprint: str | None


def ensure(con: duckdb.DuckDBPyConnection) -> None:
    con.execute("create schema if not exists quality")
    con.execute(
        "create table if not exists quality.gate_runs "
        "(extract_id varchar, stage varchar, finished_at timestamp, passed boolean, fingerprint varchar)"
    )


def record(
    con: duckdb.DuckDBPyConnection, extract_id: str, stage: str, passed: bool, fingerprint: str | None = None
) -> None:
    ensure(con)
    con.execute(
        "insert into quality.gate_runs values (?, ?, ?, ?, ?)", [extract_id, stage, datetime.now(), passed, fingerprint]
    )


def latest(con: duckdb.DuckDBPyConnection, extract_id: str, stage: str) -> GateRun | None:
    exists = con.execute(
        "select count(*) from information_schema.tables where table_schema = 'quality' and table_name = 'gate_runs'"
    ).fetchone()[0]
    if not exists:  # read-only connections cannot create it; no table, no verdict
        return None
    row = con.execute(
        "select extract_id, stage, finished_at, passed, fingerprint from quality.gate_runs "
        "where extract_id = ? and stage = ? order by finished_at desc limit 1",
        [extract_id, stage],
    ).fetchone()
    return GateRun(*row) if row else None


def results_fingerprint(con: duckdb.DuckDBPyConnection) -> str:
    """The measure results' fingerprint as they stand now (dbt view marts.measure_results_fingerprint)."""
    return con.execute("select results_fingerprint from marts.measure_results_fingerprint").fetchone()[0]
