"""The one Dagster Definitions object of the csc-warehouse code location.

Importing this module has no side effects beyond building the definitions: the dbt manifest is
prepared beforehand (`cscw prepare`, the runner, or `dagster dev` through the DbtProject preparer).
"""

from __future__ import annotations

import dagster as dg

from .assets.checks import measure_gate, raw_extract_gate
from .assets.publish import published_warehouse
from .assets.raw import (
    allocation_involvement_types,
    bank_holidays,
    derived_columns,
    extract_manifest,
    measure_catalogue,
    publication_history,
    raw_table_assets,
)
from .assets.transform import warehouse_models
from .dbt_project import dbt_resource
from .resources import ConfigurationResource, ExtractResource, WarehouseResource

all_assets = [
    extract_manifest,
    *raw_table_assets,
    derived_columns,
    allocation_involvement_types,
    bank_holidays,
    measure_catalogue,
    publication_history,
    raw_extract_gate,
    warehouse_models,
    measure_gate,
    published_warehouse,
]

# One process: DuckDB allows a single writer, and the stages follow one another anyway.
nightly_refresh = dg.define_asset_job(
    "nightly_refresh",
    selection=dg.AssetSelection.all(),
    executor_def=dg.in_process_executor,
    description="Load an extract, check it, build the measures, check them, publish.",
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
    resources={
        "dbt": dbt_resource(),
        "warehouse": WarehouseResource.configure_at_launch(),
        "extract": ExtractResource.configure_at_launch(),
        "configuration": ConfigurationResource.configure_at_launch(),
    },
)
