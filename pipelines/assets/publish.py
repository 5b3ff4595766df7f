"""The publish step: runs only after every upstream asset and blocking check has succeeded."""

import dagster as dg

from ..extract import read_manifest
from ..publish import REPORTING_TABLES
from ..publish import publish as publish_results
from ..resources import ExtractResource, WarehouseResource
from . import PUBLISH_GROUP
from .checks import MEASURE_GATE


@dg.asset(
    key=["published", "measure_results"],
    group_name=PUBLISH_GROUP,
    deps=[
        MEASURE_GATE,
        dg.AssetKey(["marts", "fct_measure_results"]),
        *[dg.AssetKey(["marts", t]) for t in REPORTING_TABLES],
    ],
    description="published.duckdb: measure_results, the measure catalogue and the scorecard view, "
    "rebuilt aside and moved into place atomically.",
    kinds={"duckdb"},
)
def published_warehouse(
    context: dg.AssetExecutionContext, extract: ExtractResource, warehouse: WarehouseResource
) -> dg.MaterializeResult:
    manifest = read_manifest(extract.folder)
    paths = warehouse.paths
    summary = publish_results(paths.working, paths.published, manifest.extract_id)
    context.log.info(f"published {summary['measure_rows']} measure rows for {summary['period_end']}")
    return dg.MaterializeResult(metadata=summary)
