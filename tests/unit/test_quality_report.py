"""The data-quality summary a person reads after a run: counts and rule names, never a value."""

import duckdb

from pipelines.quality import check_ids
from pipelines.quality.gate import DATA_QUALITY_COLUMNS
from pipelines.quality.report import quality_summary


def _outcome(rule_id, table="", rows_checked=0, rows_failed=0, blocking=False, detail=""):
    return ("e2", None, "raw", rule_id, table, "", rows_checked, rows_failed, blocking, rows_failed == 0, detail)


def test_the_summary_counts_rules_not_what_the_increment_kept_or_rechecked(tmp_path):
    path = tmp_path / "warehouse.duckdb"
    con = duckdb.connect(str(path))
    con.execute("create schema quality")
    con.execute(f"create table quality.data_quality ({DATA_QUALITY_COLUMNS})")
    rows = [
        _outcome(check_ids.quarantine_share("ssd_person"), "ssd_person", 1000, 3),
        _outcome(check_ids.quarantine_share("ssd_contacts"), "ssd_contacts", 500, 0),
        _outcome("ssd_person.pers_sex.in_code_set", "ssd_person", 1000, 3, detail="not a code"),
        _outcome(check_ids.MANIFEST_LISTS_FILES, rows_checked=1),
        _outcome(check_ids.load_report("ssd_person", "pers_sex", "values_normalised"), "ssd_person", 7),
        # informational: how the increment went, not rules
        _outcome(check_ids.rows_rechecked("ssd_person"), "ssd_person", 12),
        _outcome(check_ids.rows_rechecked("ssd_contacts"), "ssd_contacts", 0),
        _outcome(check_ids.carried_forward("ssd_person"), "ssd_person", 1000),
        _outcome(check_ids.carried_forward("ssd_legal_status"), "ssd_legal_status", 250),
    ]
    con.executemany(f"insert into quality.data_quality values ({', '.join(['?'] * 11)})", rows)
    con.close()
    lines = quality_summary(path, "e2")
    assert lines[0] == (
        "checked 1,500 rows of 2 tables against 2 rules; 3 rows quarantined; "
        "0 rows outside the person cohort left out; 1 rules found problems"
    )
    assert "  on load: 7 codes normalised (case, spaces)" in lines
    assert "  2 tables (1,250 rows) kept from an earlier load: their files unchanged, not read again" in lines
    assert quality_summary(path, "another extract")[0].startswith("checked 0 rows of 0 tables against 0 rules")
