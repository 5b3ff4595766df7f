"""What the quality gate checked, quarantined and blocked for an extract, as lines for a person."""

from __future__ import annotations

from pathlib import Path

from . import check_ids


def quality_summary(warehouse_path: Path, extract_id: str) -> list[str]:
    import duckdb

    if not warehouse_path.exists():
        return []
    con = duckdb.connect(str(warehouse_path), read_only=True)
    try:
        if not con.execute(
            "select count(*) from information_schema.tables where table_schema = 'quality' "
            "and table_name = 'data_quality'"
        ).fetchone()[0]:
            return []
        share = check_ids.QUARANTINE_SHARE_LIKE
        rules, failed = con.execute(
            "select count(*), count(*) filter (where not passed) from quality.data_quality "
            "where extract_id = ? and rule_id not like ?",
            [extract_id, share],
        ).fetchone()
        tables = con.execute(
            "select table_name, rows_checked, rows_failed, passed, detail from quality.data_quality "
            "where extract_id = ? and rule_id like ? order by table_name",
            [extract_id, share],
        ).fetchall()
        problems = con.execute(
            "select stage, rule_id, rows_failed, blocking, detail, table_name from quality.data_quality "
            "where extract_id = ? and not passed and rule_id not like ? "
            "order by blocking desc, rows_failed desc limit 25",
            [extract_id, share],
        ).fetchall()
    finally:
        con.close()
    rows = sum(t[1] for t in tables)
    quarantined = sum(t[2] for t in tables)
    lines = [
        f"checked {rows:,} rows of {len(tables)} tables against {rules} rules; "
        f"{quarantined:,} rows quarantined; {failed} rules found problems"
    ]
    for table, checked, bad, passed, detail in tables:
        if bad or not passed:
            lines.append(
                f"  {'BLOCKS' if not passed else 'quarantined'} {table}: {bad:,} of {checked:,} rows"
                + (f" - {detail}" if detail else "")
            )
    for stage, rule_id, bad, blocking, detail, table in problems:
        label = "BLOCKS" if blocking else "quarantined" if stage == "raw" and table else "warning"
        lines.append(f"  {label} [{stage}] {rule_id}: {bad:,} {'rows' if table else 'found'} ({detail})")
    return lines
