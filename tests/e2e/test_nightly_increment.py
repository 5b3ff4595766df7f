"""The nightly increment: the night after a published extract, only the files that changed are
read again and Great Expectations re-checks only the rows that are new or changed, and the run
publishes exactly what a full run of the same extract publishes (quarantine and data-quality
report included)."""

import json

import duckdb
import pytest

from pipelines.quality import check_ids, increment
from pipelines.quality.rules import raw_rules
from pipelines.runner import run_pipeline
from pipelines.synthetic import generate
from pipelines.synthetic.dirty import inject_defects
from pipelines.synthetic.next_night import next_night

RECHECKED = "%" + check_ids.ROWS_RECHECKED_SUFFIX
VOLUME = "%" + check_ids.VOLUME_SUFFIX
CARRIED = "%" + check_ids.CARRIED_FORWARD_SUFFIX


@pytest.fixture(scope="module")
def nights(tmp_path_factory):
    root = tmp_path_factory.mktemp("increment")
    first, second = root / "night1", root / "night2"
    # large enough that the injected defects stay under 1% of each table: both nights publish;
    # the defects are unchanged on the second night, so their results are carried forward
    generate(first, children=2500, years=3, seed=7)
    inject_defects(first)
    next_night(first, second)
    incremental, full = root / "incremental", root / "full"
    run_pipeline(first, incremental, quiet=True)
    run_pipeline(second, incremental, quiet=True)
    run_pipeline(second, full, quiet=True)
    return second, incremental, full


def _rows(warehouse, sql, params=()):
    con = duckdb.connect(str(warehouse), read_only=True)
    try:
        return sorted(con.execute(sql, list(params)).fetchall(), key=repr)
    finally:
        con.close()


def test_the_increment_publishes_what_a_full_run_publishes(nights):
    second, incremental, full = nights
    for table in ("measure_results", "scorecard", "activity", "uasc_impact", "trend"):
        sql = f"select * from {table}"
        assert _rows(incremental / "published.duckdb", sql) == _rows(full / "published.duckdb", sql), table


def test_the_increment_quarantines_the_rows_a_full_run_quarantines(nights):
    second, incremental, full = nights
    tables = [row[0] for row in _rows(full / "warehouse.duckdb", "select table_name from raw.extract_tables")]
    quarantined = 0
    for table in tables:
        sql = f"select * from quarantine.{table}"
        rows = _rows(incremental / "warehouse.duckdb", sql)
        assert rows == _rows(full / "warehouse.duckdb", sql), table
        quarantined += len(rows)
    assert quarantined >= 35  # the injected defects, carried forward from the first night


def test_the_increment_reports_every_rule_as_a_full_run_does(nights):
    second, incremental, full = nights
    extract_id = json.loads((second / "manifest.json").read_text())["extract_id"]
    sql = (
        "select rule_id, table_name, column_name, rows_checked, rows_failed, blocking, passed, detail "
        "from data_quality where extract_id = ? and rule_id not like ? and rule_id not like ? and rule_id not like ?"
    )
    # the second night of one warehouse has a previous publication and tables kept from the first
    params = (extract_id, RECHECKED, VOLUME, CARRIED)
    reported = _rows(incremental / "published.duckdb", sql, params)
    assert reported == _rows(full / "published.duckdb", sql, params)
    assert sum(row[4] for row in reported if row[2] is not None) >= 35


def test_only_files_that_changed_are_read_again_and_the_raw_tables_are_a_full_loads(nights):
    second, incremental, full = nights
    first = second.parent / "night1"
    before, tonight = (json.loads((night / "manifest.json").read_text())["files"] for night in (first, second))
    unchanged = sorted(name.split(".")[0] for name in tonight if tonight[name]["sha256"] == before[name]["sha256"])
    assert 10 < len(unchanged) < len(tonight)  # the new day's contacts and the corrections change a few
    extract_id = json.loads((second / "manifest.json").read_text())["extract_id"]
    sql = "select table_name, rows_checked from data_quality where extract_id = ? and rule_id like ?"
    kept = _rows(incremental / "published.duckdb", sql, (extract_id, CARRIED))
    assert [table for table, _ in kept] == unchanged
    assert _rows(full / "published.duckdb", sql, (extract_id, CARRIED)) == []
    for table in [name.split(".")[0] for name in tonight]:
        sql = f"select * from raw.{table}"  # every column, the row number and extract stamp included
        assert _rows(incremental / "warehouse.duckdb", sql) == _rows(full / "warehouse.duckdb", sql), table


def test_only_new_or_changed_rows_are_rechecked(nights):
    second, incremental, full = nights
    extract_id = json.loads((second / "manifest.json").read_text())["extract_id"]
    manifest = json.loads((second / "manifest.json").read_text())
    sql = "select table_name, rows_checked, detail from data_quality where extract_id = ? and rule_id like ?"
    rechecked = _rows(incremental / "published.duckdb", sql, (extract_id, RECHECKED))
    everything = _rows(full / "published.duckdb", sql, (extract_id, RECHECKED))
    assert len(rechecked) == len(everything) > 20
    changed = sum(rows for _, rows, _ in rechecked)
    # at most the 300 corrected rows (fewer: some corrections are in columns no GX rule reads, and a
    # corrected row whose values another row had last night is not re-checked) and the new day's contacts
    corrected, added = manifest["next_night"]["rows_corrected"], manifest["next_night"]["rows_added"]
    assert 0 < changed <= corrected + added
    assert sum(rows for _, rows, _ in everything) > 50 * changed
    assert all("carried forward" in detail for _, _, detail in rechecked)
    by_table = {table: rows for table, rows, _ in rechecked}
    # a row is re-checked unless the values the rules read were validated last night (in any row)
    assert 0 < by_table["ssd_cin_visits"] <= 60 and by_table["ssd_contacts"] >= added >= 5


def test_relational_rules_reading_only_unchanged_tables_are_carried_forward(nights):
    second, incremental, full = nights
    first = second.parent / "night1"
    manifests = {night: json.loads((night / "manifest.json").read_text()) for night in (first, second)}
    before, tonight = (manifests[night]["extract_id"] for night in (first, second))
    files = manifests[second]["files"]
    unchanged = {
        name.split(".")[0] for name in files if files[name]["sha256"] == manifests[first]["files"][name]["sha256"]
    }
    sets = "select rule_id, carried_from from quality.sql_rule_sets where extract_id = ?"
    carried = {rule for rule, source in _rows(incremental / "warehouse.duckdb", sets, (tonight,)) if source == before}
    assert all(source is None for _, source in _rows(full / "warehouse.duckdb", sets, (tonight,)))
    # exactly the rules whose every table is unchanged, dates against the extract's never (it moves)
    expected = {
        rule.id
        for rule in raw_rules()
        if increment.is_carried_whole(rule) and set(increment.tables_read(rule)) <= unchanged
    }
    assert carried == expected and len(carried) > 20
    assert all(not rule.endswith(".not_after_extract") for rule in carried)
    # rules that found the injected defects among them, reported as a full run reports them (above)
    failing = "select rule_id from data_quality where extract_id = ? and rows_failed > 0"
    assert carried & {rule for (rule,) in _rows(incremental / "published.duckdb", failing, (tonight,))}


def test_next_night_is_deterministic_and_a_night_later(tmp_path):
    first = tmp_path / "first"
    generate(first, children=300, years=1, seed=3)
    a = next_night(first, tmp_path / "a")
    b = next_night(first, tmp_path / "b")
    assert a["files"] == b["files"]
    before = json.loads((first / "manifest.json").read_text())
    assert a["extracted_at"] > before["extracted_at"] and a["extract_id"] != before["extract_id"]
    assert a["period_end"] == before["period_end"]
    assert a["files"]["ssd_contacts.csv"]["rows"] > before["files"]["ssd_contacts.csv"]["rows"]
    assert a["files"]["ssd_person.csv"] == before["files"]["ssd_person.csv"]
    assert a["next_night"]["rows_corrected"] == 300
    added = a["files"]["ssd_contacts.csv"]["rows"] - before["files"]["ssd_contacts.csv"]["rows"]
    assert a["next_night"]["rows_added"] == added == 5  # 300 children's contacts over a year: the minimum
