"""The one Dagster Definitions object of the csc-warehouse code location.

Importing this module has no side effects beyond building the definitions: the dbt manifest is
prepared beforehand (`cscw prepare`, the runner, or `dagster dev` through the DbtProject preparer).
"""

from __future__ import annotations

import dagster as dg

from .assets.checks import measure_gate, raw_extract_gate
from .assets.publish import published_warehouse
from .assets.raw import (
    bank_holidays,
    configuration_tables,
    derived_columns,
    extract_manifest,
    measure_catalogue,
    publication_history,
    raw_table_assets,
)
from .assets.reports import monthly_reports
from .assets.transform import warehouse_models
from .automation import build_automation
from .dbt_project import dbt_resource
from .resources import ConfigurationResource, ExtractResource, WarehouseResource

all_assets = [
    extract_manifest,
    *raw_table_assets,
    derived_columns,
    configuration_tables,
    bank_holidays,
    measure_catalogue,
    publication_history,
    raw_extract_gate,
    warehouse_models,
    measure_gate,
    published_warehouse,
    monthly_reports,
]

# One process: DuckDB allows a single writer, and the stages follow one another anyway.
nightly_refresh = dg.define_asset_job(
    "nightly_refresh",
    selection=dg.AssetSelection.all(),
    executor_def=dg.in_process_executor,
    description="Load an extract, check it, build the measures, check them, publish, write the month's reports.",
)

new_extract_sensor, nightly_schedule = build_automation(nightly_refresh)

defs = dg.Definitions(
    assets=all_assets,
    jobs=[nightly_refresh],
    schedules=[nightly_schedule],
    sensors=[new_extract_sensor],
    resources={
        "dbt": dbt_resource(),
        "warehouse": WarehouseResource.configure_at_launch(),
        "extract": ExtractResource.configure_at_launch(),
        "configuration": ConfigurationResource.configure_at_launch(),
    },
)
