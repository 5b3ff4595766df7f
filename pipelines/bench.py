"""`make bench` (the default Kent extract) and `make bench-national` (about 60x Kent, Parquet).

For the extract: generation, then a full nightly run into a fresh warehouse, stage by stage (load,
raw checks, dbt, measure checks, publish, reports) with each stage's wall time and peak resident
memory; DuckDB's own load of the same files (a table per file, `create table ... as select * from
read_csv/read_parquet`, into a database file) in the same sitting, as the yardstick; then the next
night's extract (`cscw generate --next-night`) run as the nightly increment into the same
warehouse. Each run appends a dated row to data/bench/history.csv. The exit code is 1 when a goal
is missed (README "Scale").
"""

from __future__ import annotations

import argparse
import csv
import json
import resource
import shutil
import sys
import time
from datetime import date
from pathlib import Path

from . import settings
from .quality import check_ids

# the goals of README "Scale", by extract
GOALS = {
    "kent": {"total_s": 15.0, "reports_s": 5.0},
    "national": {"total_s": 300.0, "peak_mb": 8192.0, "ratio": 3.5, "increment_share": 0.40},
}
HISTORY_FIELDS = (
    "date",
    "extract",
    "run",
    "rows",
    "load_s",
    "raw_checks_s",
    "dbt_s",
    "measure_checks_s",
    "publish_s",
    "reports_s",
    "total_s",
    "peak_rss_mb",
    "peak_rss_dbt_mb",
    "duckdb_own_load_s",
    "ratio",
    "rows_rechecked",
    "memory_limit",
)


def duckdb_own_load(extract: Path, scratch: Path) -> float:
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


def append_history(history: Path, row: dict) -> None:
    """One dated row per run; a file written under another header is kept aside, not mixed."""
    if history.exists():
        with history.open(newline="", encoding="utf-8") as handle:
            header = next(csv.reader(handle), [])
        if tuple(header) != HISTORY_FIELDS:
            history.rename(history.with_name(f"history-before-{date.today().isoformat()}.csv"))
    new = not history.exists()
    with history.open("a", newline="", encoding="utf-8") as handle:
        writer = csv.DictWriter(handle, fieldnames=list(HISTORY_FIELDS))
        if new:
            writer.writeheader()
        writer.writerow({field: row.get(field, "") for field in HISTORY_FIELDS})


def _dbt_peak_mb() -> float:
    return resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024


def _extract(scale: str, root: Path) -> tuple[Path, int, float]:
    """The bench extract (a national one is generated once and reused: minutes to write)."""
    from .synthetic import generate

    extract = root / f"extract-{scale}"
    manifest = extract / "manifest.json"
    files = json.loads(manifest.read_text()).get("files") if scale == "national" and manifest.exists() else None
    if files:
        return extract, sum(f["rows"] for f in files.values()), 0.0
    started = time.perf_counter()
    result = generate(extract, scale=scale, end=date(2016, 3, 31), seed=42)
    return extract, sum(result.row_counts.values()), time.perf_counter() - started


def _increment_work(warehouse: Path, extract_id: str) -> tuple[int, int, int, int, int]:
    """Rows Great Expectations re-checked, the tables (and their rows) kept from the last load, and
    the relational rules carried forward of those that can be (dates against the extract's never)."""
    import duckdb

    con = duckdb.connect(str(warehouse / "published.duckdb"), read_only=True)
    try:
        counted = "select count(*), coalesce(sum(rows_checked), 0) from data_quality"
        sql = counted + " where extract_id = ? and rule_id like ?"
        _, rechecked = con.execute(sql, [extract_id, "%" + check_ids.ROWS_RECHECKED_SUFFIX]).fetchone()
        kept, rows_kept = con.execute(sql, [extract_id, "%" + check_ids.CARRIED_FORWARD_SUFFIX]).fetchone()
    finally:
        con.close()
    con = duckdb.connect(str(warehouse / "warehouse.duckdb"), read_only=True)
    try:
        rules_carried, rules = con.execute(
            "select count(carried_from), count(*) from quality.sql_rule_sets where extract_id = ?", [extract_id]
        ).fetchone()
    finally:
        con.close()
    return rechecked, kept, rows_kept, rules_carried, rules


def _print_runs(full: dict, increment: dict, full_peak: dict, increment_peak: dict) -> None:
    print(f"{'stage':<16}{'full s':>9}{'peak MB':>10}{'increment s':>13}{'peak MB':>10}")
    for stage in full:
        print(
            f"{stage:<16}{full[stage]:>9.1f}{full_peak.get(stage, 0):>10,.0f}"
            f"{increment.get(stage, 0):>13.1f}{increment_peak.get(stage, 0):>10,.0f}"
        )


def main(argv: list[str] | None = None) -> int:
    from .config import load_configuration
    from .extract import read_manifest
    from .runner import run_pipeline
    from .synthetic.next_night import next_night

    parser = argparse.ArgumentParser(prog="bench", description=__doc__.splitlines()[0])
    parser.add_argument("--scale", choices=sorted(GOALS), default="kent")
    parser.add_argument("--config", type=Path, default=None, help="the configuration the runs use (duckdb: ...)")
    args = parser.parse_args(argv)
    root = settings.DATA_DIR / "bench"
    root.mkdir(parents=True, exist_ok=True)
    memory_limit = load_configuration(args.config).duckdb.memory_limit or "DuckDB default"
    extract, rows, generated_s = _extract(args.scale, root)
    warehouse = root / f"warehouse-{args.scale}"
    shutil.rmtree(warehouse, ignore_errors=True)

    full_peak: dict[str, float] = {}
    started = time.perf_counter()
    full = run_pipeline(extract, warehouse, quiet=True, config_file=args.config, peak_memory=full_peak)
    full_total = time.perf_counter() - started
    own_load = duckdb_own_load(extract, root / "duckdb-own-load.duckdb")

    following = root / f"extract-{args.scale}-next-night"
    started = time.perf_counter()
    next_night(extract, following)
    next_night_s = time.perf_counter() - started
    increment_peak: dict[str, float] = {}
    started = time.perf_counter()
    increment = run_pipeline(following, warehouse, quiet=True, config_file=args.config, peak_memory=increment_peak)
    increment_total = time.perf_counter() - started
    rechecked, tables_kept, rows_kept, rules_carried, rules = _increment_work(
        warehouse, read_manifest(following).extract_id
    )
    dbt_peak = _dbt_peak_mb()
    peak = max([*full_peak.values(), dbt_peak])

    print(
        f"extract: {args.scale} scale, {rows:,} rows"
        + (f" (generated in {generated_s:.1f} s)" if generated_s else " (generated earlier)")
        + f"; next night written in {next_night_s:.1f} s; DuckDB memory_limit: {memory_limit}"
    )
    _print_runs(full, increment, full_peak, increment_peak)
    print(f"{'run total':<16}{full_total:>9.1f}{peak:>10,.0f}{increment_total:>13.1f}")
    print(f"dbt's own process: peak {dbt_peak:,.0f} MB")
    print(f"DuckDB's own load of the same files: {own_load:.1f} s - the full run takes {full_total / own_load:.1f}x")
    print(
        f"nightly increment: {tables_kept} tables ({rows_kept:,} rows) kept from the last load, their files "
        f"unchanged; {rechecked:,} rows re-checked by Great Expectations; {rules_carried} of {rules} relational "
        f"rules carried forward, every table they read unchanged; "
        f"{increment_total:.1f} s = {increment_total / full_total:.0%} of the full run"
    )
    checks = full.get("raw checks", 0) + full.get("measure checks", 0)
    print(f"quality gate (both check stages): {checks:.1f} s, {checks / (full_total - checks):.0%} on top of the rest")

    history = root / "history.csv"
    for run, timings, total, peaks, extra in (
        ("full", full, full_total, full_peak, {"duckdb_own_load_s": round(own_load, 1)}),
        ("increment", increment, increment_total, increment_peak, {"rows_rechecked": rechecked}),
    ):
        append_history(
            history,
            {
                "date": date.today().isoformat(),
                "extract": args.scale,
                "run": run,
                "rows": rows,
                **{f"{stage.replace(' ', '_')}_s": round(seconds, 1) for stage, seconds in timings.items()},
                "total_s": round(total, 1),
                "peak_rss_mb": round(max(peaks.values())),
                "peak_rss_dbt_mb": round(dbt_peak),
                "ratio": round(total / own_load, 1),
                "memory_limit": memory_limit,
                **extra,
            },
        )
    measured = {
        "total_s": full_total,
        "reports_s": full.get("reports", 0.0),
        "peak_mb": peak,
        "ratio": full_total / own_load,
        "increment_share": increment_total / full_total,
    }
    missed = [
        f"{goal} {measured[goal]:,.2f} > {limit:,}"
        for goal, limit in GOALS[args.scale].items()
        if measured[goal] > limit
    ]
    print("goals: " + ("all met" if not missed else "missed - " + "; ".join(missed)))
    print(f"(appended to {history})")
    return 1 if missed else 0


if __name__ == "__main__":
    sys.exit(main())
