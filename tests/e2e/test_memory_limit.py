"""DuckDB's memory limit, spill folder and threads come from configuration and reach every stage,
dbt included (and how many models dbt builds at once): a run held to a tight limit, one model at
a time, publishes exactly what an unlimited run publishes."""

import json

import duckdb

from pipelines.runner import run_pipeline

TABLES = ("measure_results", "scorecard", "activity", "uasc_impact", "trend", "core_monitoring")


def _same(a, b, table) -> bool:
    con = duckdb.connect()
    try:
        con.execute(f"attach '{a}' as a (read_only)")
        con.execute(f"attach '{b}' as b (read_only)")
        differences = [
            con.execute(
                f"select count(*) from (select * from {x}.{table} except all select * from {y}.{table})"
            ).fetchone()[0]
            for x, y in (("a", "b"), ("b", "a"))
        ]
        return differences == [0, 0]
    finally:
        con.close()


def test_a_run_held_to_a_tight_memory_limit_publishes_the_same_results(tmp_path, small_extract, published):
    # 300 MB for this 133k-row extract is tighter than 1 GB for the 3.4 M-row default one
    # (at 200 MB dbt's largest model cannot finish: the limit is really applied)
    spill = tmp_path / "spill"
    config = tmp_path / "tight.yml"
    config.write_text(f"duckdb:\n  memory_limit: 300MB\n  temp_directory: {spill}\n  threads: 1\n  models_at_once: 1\n")
    warehouse = tmp_path / "warehouse"
    run_pipeline(small_extract, warehouse, quiet=True, config_file=config)
    for table in TABLES:
        assert _same(warehouse / "published.duckdb", published, table), table
    hook = (warehouse / "dbt" / "dbt.log").read_text()
    assert "set global memory_limit = '300MB'" in hook and f"set global temp_directory = '{spill}'" in hook
    assert "set global threads = 1" in hook
    run_results = json.loads((warehouse / "dbt" / "run_results.json").read_text())
    assert run_results["args"]["threads"] == 1  # the profile's 2 otherwise
