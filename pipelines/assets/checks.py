"""The quality gate as Dagster assets with blocking asset checks.

raw_extract_gate runs after every raw table is loaded; its blocking checks (one per table,
plus extract volumes) stop the dbt models. measure_gate runs after the measures; its blocking
checks stop publish, and month-on-month jumps are warnings that show in the UI only.
"""

import dagster as dg

from .. import settings
from ..contracts import raw_contract
from ..extract import read_manifest, warehouse_connection

RAW_GATE = dg.AssetKey(["quality", "raw_extract_gate"])
MEASURE_GATE = dg.AssetKey(["quality", "measure_gate"])
MEASURE_CHECKS = ["measures.pct.numerator_within_denominator", "measures.pct.value_within_0_100",
                  "measures.count.not_negative", "measures.numerator.not_negative", "measures.catalogue_complete"]


def _check_name(rule_id: str) -> str:
    return rule_id.replace(".", "__")


def _quarantine_key(table: str) -> dg.AssetKey:
    return dg.AssetKey(["quarantine", table])


@dg.multi_asset(
    name="raw_extract_gate", group_name="quality",
    specs=[dg.AssetSpec(RAW_GATE, description="The raw quality gate's run: rules checked, rows quarantined.",
                        deps=[dg.AssetKey(["raw", t]) for t in raw_contract().tables] + [dg.AssetKey(["raw", "extract_manifest"])])]
    + [dg.AssetSpec(_quarantine_key(t), deps=[RAW_GATE], description=f"Rows of {t} that broke a rule, with the rule, "
                    "column and offending value; left out of the measures.") for t in raw_contract().tables],
    check_specs=[dg.AssetCheckSpec("passes_gate", asset=_quarantine_key(t), blocking=True) for t in raw_contract().tables]
    + [dg.AssetCheckSpec("required_tables_not_shrunk", asset=RAW_GATE, blocking=True)],
)
def raw_extract_gate(context: dg.AssetExecutionContext):
    """Validates every raw table against the rules derived from the contract (Great Expectations
    for per-column rules, SQL for relational ones) and fills quarantine.<table>."""
    from ..quality.gate import validate_raw

    manifest = read_manifest(settings.source_dir())
    with warehouse_connection(settings.working_warehouse_path()) as con:
        report = validate_raw(con, manifest.extract_id, manifest.extracted_at, docs_root=settings.data_docs_dir())
    yield dg.MaterializeResult(asset_key=RAW_GATE, metadata={
        "extract_id": manifest.extract_id, "rules_checked": len(report.outcomes),
        "rows_quarantined": sum(v.quarantined for v in report.verdicts)})
    for verdict in report.verdicts:
        key = _quarantine_key(verdict.table)
        yield dg.MaterializeResult(asset_key=key, metadata={"rows_quarantined": verdict.quarantined})
        yield dg.AssetCheckResult(
            check_name="passes_gate", passed=not verdict.blocked, asset_key=key,
            metadata={"rows": verdict.rows, "rows_quarantined": verdict.quarantined, "reason": verdict.reason or "ok"})
    shrunk = [o.detail for o in report.outcomes if o.rule_id.endswith("volume_vs_previous_extract") and not o.passed]
    yield dg.AssetCheckResult(check_name="required_tables_not_shrunk", passed=not shrunk, asset_key=RAW_GATE,
                              metadata={"shrunk": "; ".join(shrunk) or "none"})


@dg.asset(
    key=MEASURE_GATE, group_name="quality",
    deps=[dg.AssetKey(["marts", "fct_measure_results"])],
    description="Great Expectations on the computed measures before anything is published.",
    check_specs=[dg.AssetCheckSpec(_check_name(r), asset=MEASURE_GATE, blocking=True) for r in MEASURE_CHECKS]
    + [dg.AssetCheckSpec("month_on_month_jumps", asset=MEASURE_GATE)],
)
def measure_gate(context: dg.AssetExecutionContext):
    from ..quality.gate import validate_measures

    manifest = read_manifest(settings.source_dir())
    with warehouse_connection(settings.working_warehouse_path()) as con:
        report = validate_measures(con, manifest.extract_id, docs_root=settings.data_docs_dir())
    yield dg.MaterializeResult(metadata={"extract_id": manifest.extract_id, "rules_checked": len(report.outcomes)})
    by_id = {o.rule_id: o for o in report.outcomes}
    for rule_id in MEASURE_CHECKS:
        o = by_id[rule_id]
        yield dg.AssetCheckResult(check_name=_check_name(rule_id), passed=o.passed, asset_key=MEASURE_GATE,
                                  metadata={"rows_checked": o.rows_checked, "rows_failed": o.rows_failed, "detail": o.detail})
    jumps = [o.detail for o in report.outcomes if o.rule_id.endswith("month_on_month_jump")]
    yield dg.AssetCheckResult(check_name="month_on_month_jumps", passed=not jumps, asset_key=MEASURE_GATE,
                              severity=dg.AssetCheckSeverity.WARN, metadata={"jumps": "; ".join(jumps) or "none"})
