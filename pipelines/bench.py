"""`make bench`: wall time per stage and peak memory for the default (Kent) extract.

Generation is timed separately; the run's stages (load, raw checks, dbt, measure checks,
publish, reports) are timed by the CLI's stage-by-stage execution of the nightly_refresh job; the two
check stages together are the quality gate's cost. DuckDB's own load of the same files (a table
per file, `create table ... as select * from read_csv/read_parquet`, into a database file) is
timed in the same sitting, as the yardstick the run is compared with; each bench appends a
dated row to data/bench/history.csv.
"""

from __future__ import annotations

import csv
import resource
import shutil
import sys
import time
from datetime import date

from . import settings
from .quality import check_ids


def _peak_mb() -> tuple[float, float]:
    own = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    children = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
    return own, children


def duckdb_own_load(extract, scratch) -> float:
    """Seconds for DuckDB alone to load every table file of the extract into a database file."""
    import duckdb

    scratch.unlink(missing_ok=True)
    started = time.perf_counter()
    con = duckdb.connect(str(scratch))
    try:
        for path in sorted(extract.iterdir()):
            reader = {".csv": "read_csv", ".parquet": "read_parquet"}.get(path.suffix)
            if reader:
                con.execute(f'create table "{path.stem}" as select * from {reader}(?)', [str(path)])
    finally:
        con.close()
    seconds = time.perf_counter() - started
    scratch.unlink(missing_ok=True)
    return seconds


def append_history(history, row: dict) -> None:
    new = not history.exists()
    with history.open("a", newline="", encoding="utf-8") as handle:
        writer = csv.DictWriter(handle, fieldnames=list(row))
        if new:
            writer.writeheader()
        writer.writerow(row)


def main() -> int:
    from .runner import run_pipeline
    from .synthetic import generate

    root = settings.DATA_DIR / "bench"
    extract, warehouse = root / "extract-kent", root / "warehouse"
    shutil.rmtree(warehouse, ignore_errors=True)
    t0 = time.perf_counter()
    result = generate(extract, scale="kent", end=date(2016, 3, 31), seed=42)
    gen_s = time.perf_counter() - t0
    rows = sum(result.row_counts.values())
    t0 = time.perf_counter()
    timings = run_pipeline(extract, warehouse, quiet=True)
    total = time.perf_counter() - t0
    own, children = _peak_mb()
    own_load = duckdb_own_load(extract, root / "duckdb-own-load.duckdb")
    import duckdb

    con = duckdb.connect(str(warehouse / "published.duckdb"), read_only=True)
    quarantined = con.execute(
        "select coalesce(sum(rows_failed), 0) from data_quality where stage = 'raw' and rule_id like ?",
        [check_ids.QUARANTINE_SHARE_LIKE],
    ).fetchone()[0]
    con.close()
    print(f"extract: kent scale, {rows:,} rows in {len(result.row_counts)} tables (generated in {gen_s:.1f} s)")
    print(f"{'stage':<16}{'wall s':>8}")
    for stage, seconds in timings.items():
        print(f"{stage:<16}{seconds:>8.1f}")
    checks = timings.get("raw checks", 0) + timings.get("measure checks", 0)
    print(f"{'checks (gate)':<16}{checks:>8.1f}   ({checks / (total - checks):.0%} on top of the rest of the run)")
    reports = timings.get("reports", 0)
    print(f"{'reports':<16}{reports:>8.1f}   (xlsx, html and pdf for the month; goal <= 5 s)")
    print(f"{'run total':<16}{total:>8.1f}   (goal < 60 s, installation excluded)")
    print(
        f"{'DuckDB own load':<16}{own_load:>8.1f}   (same files, same sitting: the run takes {total / own_load:.1f}x)"
    )
    print(f"peak memory: {own:,.0f} MB in the pipeline process, {children:,.0f} MB in dbt")
    append_history(
        root / "history.csv",
        {
            "date": date.today().isoformat(),
            "extract": "kent",
            "rows": rows,
            **{f"{stage}_s": round(seconds, 1) for stage, seconds in timings.items()},
            "total_s": round(total, 1),
            "duckdb_own_load_s": round(own_load, 1),
            "ratio": round(total / own_load, 1),
            "peak_rss_pipeline_mb": round(own),
            "peak_rss_dbt_mb": round(children),
        },
    )
    print(f"rows quarantined by the gate: {quarantined:,}")
    return 0 if total < 60 and reports <= 5 else 1


if __name__ == "__main__":
    sys.exit(main())
