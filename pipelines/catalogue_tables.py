"""The measure catalogue as warehouse tables, so dbt and the published warehouse read it."""

from __future__ import annotations

import pyarrow as pa

from .contracts import catalogue


def measure_catalogue_table() -> pa.Table:
    cat = catalogue()
    section_order = {s: i + 1 for i, s in enumerate(cat.sections)}
    rows = []
    for order, m in enumerate(cat.measures.values(), start=1):
        rows.append(
            {
                "measure_id": m.id,
                "spec_no": m.spec_no,
                "scorecard_no": m.scorecard_no,
                "measure_name": m.name,
                "section_id": m.section,
                "section_name": cat.sections[m.section],
                "section_order": section_order[m.section],
                "family_id": m.family,
                "measure_order": order,
                "polarity": m.polarity,
                "period_type": m.period,
                "unit": m.unit,
                "target": m.target,
                "red_threshold": m.red_threshold,
                "green_band": m.green_band,
                "red_band": m.red_band,
                "uasc_split": m.uasc_split,
                "attribution": m.attribution,
                "seed_ref": m.seed_ref,
                "definition": m.definition,
                "core_monitoring": m.core_monitoring,
            }
        )
    schema = pa.schema(
        [
            ("measure_id", pa.string()),
            ("spec_no", pa.int32()),
            ("scorecard_no", pa.int32()),
            ("measure_name", pa.string()),
            ("section_id", pa.string()),
            ("section_name", pa.string()),
            ("section_order", pa.int32()),
            ("family_id", pa.string()),
            ("measure_order", pa.int32()),
            ("polarity", pa.string()),
            ("period_type", pa.string()),
            ("unit", pa.string()),
            ("target", pa.float64()),
            ("red_threshold", pa.float64()),
            ("green_band", pa.float64()),
            ("red_band", pa.float64()),
            ("uasc_split", pa.bool_()),
            ("attribution", pa.string()),
            ("seed_ref", pa.string()),
            ("definition", pa.string()),
            ("core_monitoring", pa.bool_()),
        ]
    )
    return pa.Table.from_pylist(rows, schema=schema)


def measure_requirements_table() -> pa.Table:
    """The tables and extension columns each measure needs, and what follows when a column is absent."""
    rows = [(m.id, table, None, "unavailable") for m in catalogue().measures.values() for table in m.requires]
    rows += [
        (m.id, table, column, m.without_columns)
        for m in catalogue().measures.values()
        for table, column in m.requires_columns
    ]
    return pa.table(
        {
            "measure_id": pa.array([r[0] for r in rows], pa.string()),
            "table_name": pa.array([r[1] for r in rows], pa.string()),
            "column_name": pa.array([r[2] for r in rows], pa.string()),
            "without_columns": pa.array([r[3] for r in rows], pa.string()),
        }
    )
