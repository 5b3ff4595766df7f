"""The quality gate as Dagster assets with blocking asset checks.

raw_extract_gate runs after every raw table is loaded; its blocking checks (one per table,
plus extract volumes) stop the dbt models. measure_gate runs after the measures; its blocking
checks stop publish, and month-on-month jumps are warnings that show in the UI only.
"""

import dagster as dg

from ..contracts import raw_contract
from ..extract import read_manifest, warehouse_connection
from ..quality import check_ids, gate_runs
from ..resources import ConfigurationResource, ExtractResource, WarehouseResource
from . import MEASURE_CHECKS_GROUP, RAW_CHECKS_GROUP

RAW_GATE = dg.AssetKey(["quality", "raw_extract_gate"])
MEASURE_GATE = dg.AssetKey(["quality", "measure_gate"])


def quarantine_key(table: str) -> dg.AssetKey:
    return dg.AssetKey(["quarantine", table])


@dg.multi_asset(
    name="raw_extract_gate",
    group_name=RAW_CHECKS_GROUP,
    specs=[
        dg.AssetSpec(
            RAW_GATE,
            description="The raw quality gate's run: rules checked, rows quarantined.",
            deps=[dg.AssetKey(["raw", t]) for t in raw_contract().tables] + [dg.AssetKey(["raw", "extract_manifest"])],
        )
    ]
    + [
        dg.AssetSpec(
            quarantine_key(t),
            deps=[RAW_GATE],
            description=f"Rows of {t} that broke a rule, with the rule, "
            "column and offending value; left out of the measures.",
        )
        for t in raw_contract().tables
    ],
    check_specs=[
        dg.AssetCheckSpec(check_ids.RAW_TABLE_PASSES_GATE, asset=quarantine_key(t), blocking=True)
        for t in raw_contract().tables
    ]
    + [dg.AssetCheckSpec(check_ids.REQUIRED_TABLES_NOT_SHRUNK, asset=RAW_GATE, blocking=True)],
)
def raw_extract_gate(extract: ExtractResource, warehouse: WarehouseResource, configuration: ConfigurationResource):
    """Validates every raw table against the rules derived from the contract (Great Expectations
    for per-column rules, SQL for relational ones) and fills quarantine.<table>."""
    from ..quality.gate import validate_raw

    manifest = read_manifest(extract.folder)
    paths = warehouse.paths
    with warehouse_connection(paths.working, configuration.duckdb()) as con:
        report = validate_raw(
            con,
            manifest.extract_id,
            manifest.extracted_at,
            docs_root=paths.data_docs,
            runs_kept=configuration.load().runs_kept,
        )
    yield dg.MaterializeResult(
        asset_key=RAW_GATE,
        metadata={
            "extract_id": manifest.extract_id,
            "rules_checked": len(report.outcomes),
            "rows_quarantined": sum(v.quarantined for v in report.verdicts),
        },
    )
    for verdict in report.verdicts:
        key = quarantine_key(verdict.table)
        yield dg.MaterializeResult(asset_key=key, metadata={"rows_quarantined": verdict.quarantined})
        yield dg.AssetCheckResult(
            check_name=check_ids.RAW_TABLE_PASSES_GATE,
            passed=not verdict.blocked,
            asset_key=key,
            metadata={"rows": verdict.rows, "rows_quarantined": verdict.quarantined, "reason": verdict.reason or "ok"},
        )
    shrunk = [o.detail for o in report.outcomes if o.rule_id.endswith(check_ids.VOLUME_SUFFIX) and not o.passed]
    with warehouse_connection(paths.working, configuration.duckdb()) as con:
        gate_runs.record(
            con, manifest.extract_id, gate_runs.RAW, not shrunk and not any(v.blocked for v in report.verdicts)
        )
    yield dg.AssetCheckResult(
        check_name=check_ids.REQUIRED_TABLES_NOT_SHRUNK,
        passed=not shrunk,
        asset_key=RAW_GATE,
        metadata={"shrunk": "; ".join(shrunk) or "none"},
    )


@dg.asset(
    key=MEASURE_GATE,
    group_name=MEASURE_CHECKS_GROUP,
    deps=[dg.AssetKey(["marts", "fct_measure_results"])],
    description="Great Expectations on the computed measures before anything is published.",
    check_specs=[
        dg.AssetCheckSpec(check_ids.dagster_check_name(r), asset=MEASURE_GATE, blocking=True)
        for r in check_ids.MEASURE_RULES
    ]
    + [dg.AssetCheckSpec(check_ids.MONTH_ON_MONTH_JUMPS, asset=MEASURE_GATE)],
)
def measure_gate(extract: ExtractResource, warehouse: WarehouseResource, configuration: ConfigurationResource):
    from ..quality.gate import validate_measures

    manifest = read_manifest(extract.folder)
    paths = warehouse.paths
    with warehouse_connection(paths.working, configuration.duckdb()) as con:
        report = validate_measures(
            con, manifest.extract_id, docs_root=paths.data_docs, runs_kept=configuration.load().runs_kept
        )
        by_id = {o.rule_id: o for o in report.outcomes}
        passed = all(by_id[rule_id].passed for rule_id in check_ids.MEASURE_RULES)
        gate_runs.record(con, manifest.extract_id, gate_runs.MEASURES, passed, gate_runs.results_fingerprint(con))
    yield dg.MaterializeResult(metadata={"extract_id": manifest.extract_id, "rules_checked": len(report.outcomes)})
    for rule_id in check_ids.MEASURE_RULES:
        outcome = by_id[rule_id]
        yield dg.AssetCheckResult(
            check_name=check_ids.dagster_check_name(rule_id),
            passed=outcome.passed,
            asset_key=MEASURE_GATE,
            metadata={
                "rows_checked": outcome.rows_checked,
                "rows_failed": outcome.rows_failed,
                "detail": outcome.detail,
            },
        )
    jumps = [o.detail for o in report.outcomes if o.rule_id.endswith(check_ids.MONTH_ON_MONTH_JUMP_SUFFIX)]
    yield dg.AssetCheckResult(
        check_name=check_ids.MONTH_ON_MONTH_JUMPS,
        passed=not jumps,
        asset_key=MEASURE_GATE,
        severity=dg.AssetCheckSeverity.WARN,
        metadata={"jumps": "; ".join(jumps) or "none"},
    )
