"""The cells withheld from what leaves the service (pipelines/disclosure.py holds the policy's logic).

A dbt Python model so that disclosure control is part of the one dbt build: it reads the exact
measure results and the org unit hierarchy, and the policy the run's configuration set
(raw.disclosure_policy), and returns one row per suppressed cell - primary (a count below the
threshold) or secondary (a cell that would reveal one by subtraction).
"""


def model(dbt, session):
    dbt.config(materialized="table", alias="cell_suppression")
    import pyarrow as pa

    from pipelines.config import DisclosurePolicy
    from pipelines.contracts import catalogue
    from pipelines.disclosure import OrgUnits, suppress

    results = (
        dbt.ref("fct_measure_results")
        .filter("unavailable_reason is null")
        .project("measure_id, period_end, org_unit, uasc_scope, numerator, denominator")
        .df()
    )
    parents = dbt.ref("int_org_unit_names").filter("org_unit <> 'LA'").project("org_unit, parent_org_unit").fetchall()
    row = dbt.ref("stg_pipeline__disclosure_policy").project("threshold, rounding_base, suppress_zeros").fetchone()
    # no row only in `dbt run --empty` (the unit tests' schema build): nothing to suppress then
    policy = DisclosurePolicy(int(row[0]), int(row[1]), bool(row[2])) if row else DisclosurePolicy()
    cells = suppress(results, catalogue(), OrgUnits.from_parents(dict(parents)), policy)
    # typed explicitly: an empty result (no small cell, or `dbt run --empty`) keeps its column types
    return pa.table(
        {
            "measure_id": pa.array(cells["measure_id"], pa.string()),
            "period_end": pa.array(cells["period_end"].to_numpy(dtype="datetime64[D]"), pa.date32()),
            "org_unit": pa.array(cells["org_unit"], pa.string()),
            "uasc_scope": pa.array(cells["uasc_scope"], pa.string()),
            "suppression": pa.array(cells["suppression"], pa.string()),
        }
    )
