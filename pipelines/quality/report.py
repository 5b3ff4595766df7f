"""What the quality gate checked, normalised, quarantined and blocked for an extract, as lines
for a person. Counts and rule names only: never a value from the extract."""

from __future__ import annotations

from pathlib import Path

import duckdb

from . import check_ids
from .rules import raw_rules

LOAD_KINDS = (
    ("values_mapped", "values mapped from a description to a code"),
    ("values_normalised", "codes normalised (case, spaces)"),
    ("placeholder_dates_nulled", "placeholder dates (1900-01-01) read as not recorded"),
    ("derived_from_parent", "keys taken from their parent rows"),
    ("values_kept_as_written", "free-text values kept as written"),
    ("values_unmapped", "values that map to no code"),
)


def _has_quality_table(con: duckdb.DuckDBPyConnection) -> bool:
    return bool(
        con.execute(
            "select count(*) from information_schema.tables "
            "where table_schema = 'quality' and table_name = 'data_quality'"
        ).fetchone()[0]
    )


def quality_summary(warehouse_path: Path, extract_id: str) -> list[str]:
    if not warehouse_path.exists():
        return []
    con = duckdb.connect(str(warehouse_path), read_only=True)
    try:
        if not _has_quality_table(con):
            return []
        share = check_ids.QUARANTINE_SHARE_LIKE
        load = check_ids.LOAD_REPORT_PREFIX + "%"
        # what the increment re-checked or kept is said below, and is not a rule
        increment = ("%" + check_ids.ROWS_RECHECKED_SUFFIX, "%" + check_ids.CARRIED_FORWARD_SUFFIX)
        rules, failed = con.execute(
            "select count(*), count(*) filter (where not passed) from quality.data_quality "
            "where extract_id = ? and rule_id not like ? and rule_id not like ? "
            "and rule_id not like ? and rule_id not like ?",
            [extract_id, share, load, *increment],
        ).fetchone()
        tables = con.execute(
            "select table_name, rows_checked, rows_failed, passed, detail from quality.data_quality "
            "where extract_id = ? and rule_id like ? order by table_name",
            [extract_id, share],
        ).fetchall()
        left_out = con.execute(
            "select coalesce(sum(rows_failed), 0) from quality.data_quality where extract_id = ? and rule_id like ?",
            [extract_id, "%" + check_ids.PERSON_COHORT_SUFFIX],
        ).fetchone()[0]
        loaded = dict(
            con.execute(
                "select split_part(rule_id, '.', -1), sum(rows_checked) "
                "from quality.data_quality where extract_id = ? and rule_id like ? group by 1",
                [extract_id, load],
            ).fetchall()
        )
        carried = con.execute(
            "select count(*), coalesce(sum(rows_checked), 0) from quality.data_quality "
            "where extract_id = ? and rule_id like ?",
            [extract_id, "%" + check_ids.CARRIED_FORWARD_SUFFIX],
        ).fetchone()
        problems = con.execute(
            "select stage, rule_id, rows_failed, blocking, detail, table_name from quality.data_quality "
            "where extract_id = ? and not passed and rule_id not like ? "
            "order by blocking desc, rows_failed desc limit 25",
            [extract_id, share],
        ).fetchall()
    finally:
        con.close()
    rows = sum(t[1] for t in tables)
    quarantining = {rule.id for rule in raw_rules() if rule.quarantines}
    quarantined = sum(t[2] for t in tables)
    lines = [
        f"checked {rows:,} rows of {len(tables)} tables against {rules} rules; {quarantined:,} rows quarantined; "
        f"{left_out:,} rows outside the person cohort left out; {failed} rules found problems"
    ]
    normalised = [f"{loaded[kind]:,} {what}" for kind, what in LOAD_KINDS if loaded.get(kind)]
    if normalised:
        lines.append("  on load: " + "; ".join(normalised))
    if carried[0]:
        lines.append(
            f"  {carried[0]} tables ({carried[1]:,} rows) kept from an earlier load: "
            "their files unchanged, not read again"
        )
    for table, checked, bad, passed, detail in tables:
        if bad or not passed:
            lines.append(
                f"  {'BLOCKS' if not passed else 'quarantined'} {table}: {bad:,} of {checked:,} rows"
                + (f" - {detail}" if detail else "")
            )
    for stage, rule_id, bad, blocking, detail, table in problems:
        if blocking:
            label = "BLOCKS"
        elif rule_id.startswith(check_ids.LOAD_REPORT_PREFIX):
            label = "reported"
        elif rule_id.endswith(check_ids.PERSON_COHORT_SUFFIX):
            label = "left out"
        elif stage == "raw" and rule_id in quarantining:
            label = "quarantined"
        else:
            label = "reported" if stage == "raw" and table else "warning"
        lines.append(f"  {label} [{stage}] {rule_id}: {bad:,} {'rows' if table else 'found'} ({detail})")
    return lines


def load_notes_by_column(warehouse_path: Path, extract_id: str) -> list[str]:
    """One line per column the load had to normalise, map or leave unmapped, with the counts of each."""
    con = duckdb.connect(str(warehouse_path), read_only=True)
    try:
        if not _has_quality_table(con):
            return []
        notes = con.execute(
            "select table_name, column_name, split_part(rule_id, '.', -1), rows_checked from quality.data_quality "
            "where extract_id = ? and rule_id like ? and rows_checked > 0 order by 1, 2",
            [extract_id, check_ids.LOAD_REPORT_PREFIX + "%"],
        ).fetchall()
    finally:
        con.close()
    by_column: dict[str, dict[str, int]] = {}
    for table, column, kind, rows in notes:
        by_column.setdefault(f"{table}.{column}", {})[kind] = rows
    short = {
        "values_mapped": "mapped",
        "values_normalised": "normalised",
        "values_unmapped": "unmapped",
        "values_kept_as_written": "kept as written",
        "placeholder_dates_nulled": "placeholder dates",
        "derived_from_parent": "derived",
    }
    return [
        f"  {column}: " + ", ".join(f"{counts[kind]:,} {what}" for kind, what in short.items() if kind in counts)
        for column, counts in by_column.items()
    ]


def unmapped_values(warehouse_path: Path, extract_id: str) -> list[tuple[str, str, str, int]]:
    """(table, column, value, rows) for every value of a coded column that maps to no code. For
    `cscw validate`, so a council can write its value map; these are code-set values, shown to the
    person running the check and never logged or published."""
    con = duckdb.connect(str(warehouse_path), read_only=True)
    try:
        return con.execute(
            "select table_name, column_name, value, rows from raw._unmapped_values where extract_id = ? "
            "order by table_name, column_name, rows desc, value",
            [extract_id],
        ).fetchall()
    finally:
        con.close()
