"""The publish step: runs only after every upstream asset and blocking check has succeeded."""

import dagster as dg

from ..extract import read_manifest
from ..publish import REPORTING_TABLES
from ..publish import publish as publish_results
from ..resources import ConfigurationResource, ExtractResource, WarehouseResource
from . import PUBLISH_GROUP
from .checks import MEASURE_GATE


@dg.asset(
    key=["published", "measure_results"],
    group_name=PUBLISH_GROUP,
    deps=[
        MEASURE_GATE,
        dg.AssetKey(["marts", "fct_measure_results"]),
        *[dg.AssetKey(["marts", t]) for t in REPORTING_TABLES],
        *[dg.AssetKey(["shareable", f"shareable_{t}"]) for t in ("measure_results", *REPORTING_TABLES)],
    ],
    description="published.duckdb (exact, for the performance team) and shareable.duckdb with shareable/*.parquet "
    "(under disclosure control, for what leaves the service), rebuilt aside and moved into place atomically "
    "once the publish step has re-checked that this extract passed every gate.",
    kinds={"duckdb"},
)
def published_warehouse(
    context: dg.AssetExecutionContext,
    extract: ExtractResource,
    warehouse: WarehouseResource,
    configuration: ConfigurationResource,
) -> dg.MaterializeResult:
    manifest = read_manifest(extract.folder)
    paths = warehouse.paths
    summary = publish_results(paths.working, paths.root, manifest.extract_id, configuration.duckdb())
    context.log.info(f"published {summary['measure_rows']} measure rows for {summary['period_end']}")
    return dg.MaterializeResult(metadata=summary)
