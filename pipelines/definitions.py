"""The one Dagster Definitions object of the csc-warehouse code location."""

from __future__ import annotations

import dagster as dg

from . import settings
from .assets.checks import measure_gate, raw_extract_gate
from .assets.publish import published_warehouse
from .assets.raw import bank_holidays, extract_manifest, measure_catalogue, publication_history, raw_table_assets
from .assets.transform import warehouse_models
from .dbt_project import dbt_resource

settings.export_dbt_env()

all_assets = [extract_manifest, *raw_table_assets, bank_holidays, measure_catalogue, publication_history,
              raw_extract_gate, warehouse_models, measure_gate, published_warehouse]

# One process: DuckDB allows a single writer, and the stages follow one another anyway.
nightly_refresh = dg.define_asset_job(
    "nightly_refresh",
    selection=dg.AssetSelection.all(),
    executor_def=dg.in_process_executor,
    description="Load the newest extract, build the measures, check them, publish.",
)

nightly_schedule = dg.ScheduleDefinition(
    name="nightly_refresh_0200",
    job=nightly_refresh,
    cron_schedule="0 2 * * *",
    execution_timezone="Europe/London",
    default_status=dg.DefaultScheduleStatus.RUNNING,
)

defs = dg.Definitions(
    assets=all_assets,
    jobs=[nightly_refresh],
    schedules=[nightly_schedule],
    resources={"dbt": dbt_resource()},
)
