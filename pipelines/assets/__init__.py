"""The assets of the nightly refresh, one module per stage. Each stage is an asset group; the
runner (pipelines/runner.py) executes the groups of each stage in turn."""

EXTRACT_GROUP = "extract"  # load: the extract's tables and the reference tables into the raw schema
RAW_CHECKS_GROUP = "raw_checks"  # the raw quality gate and the quarantine tables
# the dbt project, a group per folder; dbt_shareable: the tables built under disclosure control
DBT_GROUPS = ("dbt_staging", "dbt_intermediate", "dbt_marts", "dbt_shareable")
MEASURE_CHECKS_GROUP = "measure_checks"  # the measure gate
PUBLISH_GROUP = "publish"  # published.duckdb, shareable.duckdb and shareable/*.parquet
REPORTS_GROUP = "reports"  # the month's xlsx, html and pdf, from published.duckdb
