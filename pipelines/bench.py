"""`make bench`: wall time per stage and peak memory for the default (Kent) extract.

Generation is timed separately; the run's stages (load, raw checks, dbt, measure checks,
publish, reports) are timed by the CLI's stage-by-stage execution of the nightly_refresh job; the two
check stages together are the quality gate's cost.
"""

from __future__ import annotations

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
    print(f"peak memory: {own:,.0f} MB in the pipeline process, {children:,.0f} MB in dbt")
    print(f"rows quarantined by the gate: {quarantined:,}")
    return 0 if total < 60 and reports <= 5 else 1


if __name__ == "__main__":
    sys.exit(main())
