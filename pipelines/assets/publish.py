"""The publish step: runs only after every upstream asset and blocking check has succeeded."""


import dagster as dg

from .. import settings
from ..extract import read_manifest
from ..publish import REPORTING_TABLES
from ..publish import publish as publish_results


@dg.asset(
    key=["published", "measure_results"],
    group_name="publish",
    deps=[dg.AssetKey(["quality", "measure_gate"]), dg.AssetKey(["marts", "fct_measure_results"]),
          *[dg.AssetKey(["marts", t]) for t in REPORTING_TABLES]],
    description="published.duckdb: measure_results, the measure catalogue and the scorecard view, "
                "rebuilt aside and moved into place atomically.",
    kinds={"duckdb"},
)
def published_warehouse(context: dg.AssetExecutionContext) -> dg.MaterializeResult:
    manifest = read_manifest(settings.source_dir())
    summary = publish_results(settings.working_warehouse_path(), settings.published_path(), manifest.extract_id)
    context.log.info(f"published {summary['measure_rows']} measure rows for {summary['period_end']}")
    return dg.MaterializeResult(metadata=summary)
