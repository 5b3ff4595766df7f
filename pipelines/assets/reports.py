"""The month's reports, written after a successful publish (a failed gate never produces one)."""

import dagster as dg

from ..reports.build import write_reports
from ..resources import WarehouseResource
from . import REPORTS_GROUP


@dg.asset(
    key=["reports", "monthly_scorecard"],
    group_name=REPORTS_GROUP,
    deps=[dg.AssetKey(["published", "measure_results"])],
    description="The latest month's scorecard as an Excel workbook, a self-contained HTML report with trend "
    "charts and an A4 PDF for committee packs (reports/scorecard_YYYY-MM.*), from published.duckdb.",
    kinds={"excel", "html", "pdf"},
)
def monthly_reports(context: dg.AssetExecutionContext, warehouse: WarehouseResource) -> dg.MaterializeResult:
    paths = warehouse.paths
    built = write_reports(paths.published, paths.reports)
    for report in built:
        context.log.info(f"wrote {report.path.name} in {report.seconds:.2f} s")
    return dg.MaterializeResult(
        metadata={
            **{report.format: dg.MetadataValue.path(str(report.path)) for report in built},
            "seconds": round(sum(r.seconds for r in built), 2),
        }
    )
