"""The raw gate's relational rules carried forward: a rule's results are taken from the last
published extract only when every table it reads holds what it held then (the same load
fingerprints, nothing filled from parent rows); dates against the extract's date never are."""

from datetime import datetime

import duckdb

from pipelines.quality import gate, increment
from pipelines.quality.rules import ROW, Rule

UNIQUE = Rule("u.id.unique", "u", "id", "unique_key", "sql", "", {"key": ["id"]})
REFERENCES = Rule("u.t_id.references", "u", "t_id", "references", "sql", "", {"table": "t", "column": "id"})
BIRTH = Rule("u.seen.not_before_birth", "u", "seen", "not_before_birth", "sql", "", {"person_column": "person_id"})
COHORT = Rule(
    "u.person_id.in_person_cohort",
    "u",
    "person_id",
    "in_person_cohort",
    "sql",
    "",
    {"table": "ssd_person", "column": "pers_person_id"},
)
AFTER_EXTRACT = Rule("u.seen.not_after_extract", "u", "seen", "not_after_extract", "sql", "")
RULES = [UNIQUE, REFERENCES, BIRTH, COHORT, AFTER_EXTRACT]
EXTRACTED_AT = datetime(2026, 12, 7)


def _warehouse() -> duckdb.DuckDBPyConnection:
    """u: a repeated id (row 2), a parent t that does not exist (row 3), a visit before the birth
    of a person written twice (row 4: broken once per person row), one after the extract (row 1)."""
    con = duckdb.connect()
    con.execute("create schema raw")
    con.execute(f"create table raw.t as select * from (values (1, 10), (2, 20)) as v({ROW}, id)")
    con.execute(
        f"""create table raw.u as select * from (values
            (1, 1, 10, 'p1', date '2027-01-01'),
            (2, 1, 10, 'p1', date '2020-01-01'),
            (3, 2, 99, 'p1', date '2020-01-01'),
            (4, 3, 20, 'p2', date '2009-12-31')) as v({ROW}, id, t_id, person_id, seen)"""
    )
    con.execute(
        f"""create table raw.ssd_person as select * from (values
            (1, 'p1', date '2010-01-01'), (2, 'p2', date '2010-01-01'), (3, 'p2', date '2010-01-01'))
            as v({ROW}, pers_person_id, pers_dob)"""
    )
    con.execute(
        "create table raw._extract_log (extract_id varchar, table_name varchar, present boolean, "
        "load_fingerprint varchar)"
    )
    con.execute(
        "create table raw._load_report (extract_id varchar, table_name varchar, column_name varchar, "
        "kind varchar, rows bigint)"
    )
    increment.ensure(con)
    return con


def _log(con, extract_id: str, fingerprints: dict[str, str]) -> None:
    con.executemany(
        "insert into raw._extract_log values (?, ?, true, ?)",
        [(extract_id, table, fingerprint) for table, fingerprint in fingerprints.items()],
    )


LOADS = {"t": "t-1", "u": "u-1", "ssd_person": "person-1"}
FOUND = {
    "u.id.unique": [(2, "1")],
    "u.t_id.references": [(3, "99")],
    "u.seen.not_before_birth": [(4, "2009-12-31"), (4, "2009-12-31")],
    "u.seen.not_after_extract": [(1, "2027-01-01")],
}


def _night(con, extract_id: str, baseline: str | None) -> tuple[dict, dict]:
    """One night of the gate's relational part for table u: what it carried, what it found."""
    fingerprints = increment.relational_fingerprints(RULES, increment.tables_as_loaded(con, extract_id))
    carried = increment.relational_carried(con, "u", fingerprints, baseline)
    found = gate._relational_failures(con, "u", RULES, EXTRACTED_AT, carried)
    increment.record_relational(con, extract_id, "u", fingerprints, found, carried, baseline)
    return carried, {rule: sorted(hits) for rule, hits in found.items()}


def test_a_night_with_every_table_unchanged_carries_every_rule_but_the_extract_dates():
    con = _warehouse()
    _log(con, "night1", LOADS)
    carried, found = _night(con, "night1", None)
    assert carried == {} and found == FOUND
    _log(con, "night2", LOADS)
    carried, found = _night(con, "night2", "night1")
    # a rule nothing broke is carried too, with no hits; a birth rule's repeated hit stays repeated
    assert carried == {
        **{rule: FOUND[rule] for rule in ("u.id.unique", "u.t_id.references", "u.seen.not_before_birth")},
        "u.person_id.in_person_cohort": [],
    }
    assert found == FOUND
    sources = dict(
        con.execute("select rule_id, carried_from from quality.sql_rule_sets where extract_id = 'night2'").fetchall()
    )
    assert sources == dict.fromkeys(carried, "night1")


def test_carried_results_are_not_checked_again():
    """What is carried is what the baseline found: the rows are not read for those rules."""
    con = _warehouse()
    _log(con, "night1", LOADS)
    _night(con, "night1", None)
    con.execute("update raw.u set id = 1 where _row_number = 4")  # a second repeat, were the rows read
    _log(con, "night2", LOADS)
    assert _night(con, "night2", "night1")[1]["u.id.unique"] == [(2, "1")]


def test_a_changed_parent_or_person_table_is_checked_again_and_only_the_rules_reading_it():
    con = _warehouse()
    _log(con, "night1", LOADS)
    _night(con, "night1", None)
    con.execute("insert into raw.t values (3, 99)")  # tonight's parents hold row 3's
    _log(con, "night2", {**LOADS, "t": "t-2"})
    carried, found = _night(con, "night2", "night1")
    assert set(carried) == {"u.id.unique", "u.seen.not_before_birth", "u.person_id.in_person_cohort"}
    assert "u.t_id.references" not in found
    con.execute("update raw.ssd_person set pers_dob = date '2009-01-01' where pers_person_id = 'p2'")
    _log(con, "night3", {**LOADS, "t": "t-2", "ssd_person": "person-2"})
    carried, found = _night(con, "night3", "night2")
    assert set(carried) == {"u.id.unique", "u.t_id.references"}
    assert "u.seen.not_before_birth" not in found


def test_nothing_is_carried_from_a_table_filled_from_parent_rows_or_loaded_without_a_fingerprint():
    con = _warehouse()
    _log(con, "night1", LOADS)
    _night(con, "night1", None)
    _log(con, "night2", LOADS)
    # Mosaic's placements: a column taken from parent rows after the load, the parents may differ
    con.execute("insert into raw._load_report values ('night2', 'u', 'person_id', 'derived_from_parent', 4)")
    assert _night(con, "night2", "night1")[0] == {}
    _log(con, "night3", {**LOADS, "t": None})
    carried, _ = _night(con, "night3", "night1")
    assert set(carried) == {"u.id.unique", "u.seen.not_before_birth", COHORT.id}  # those that do not read t


def test_only_the_last_published_extract_is_carried_from_and_the_others_are_dropped():
    con = _warehouse()
    for night in ("night1", "night2"):
        _log(con, night, LOADS)
        _night(con, night, None)
    assert _night(con, "night3", "night0")[0] == {}  # the baseline is not any earlier night
    con.execute("create schema history")
    con.execute(
        "create table history.publication_log (extract_id varchar, extracted_at timestamp, period_end date, "
        "published_at timestamp)"
    )
    con.execute("insert into history.publication_log values ('night2', now(), date '2026-11-30', now())")
    assert increment.keep_only(con, "night3") == "night2"
    kept = con.execute("select distinct extract_id from quality.sql_rule_sets order by 1").fetchall()
    assert kept == [("night2",)]
    assert con.execute("select count(*) from quality.sql_rule_hits").fetchone()[0] == 4  # night2's 4 hits


def test_a_rules_fingerprint_depends_on_the_rule_and_the_tables_it_reads_alone():
    fingerprints = increment.relational_fingerprints(RULES, LOADS)
    assert set(fingerprints) == {"u.id.unique", "u.t_id.references", "u.seen.not_before_birth", COHORT.id}
    other = increment.relational_fingerprints(RULES, {**LOADS, "t": "t-2", "unrelated": "x"})
    assert other["u.id.unique"] == fingerprints["u.id.unique"]
    assert other["u.t_id.references"] != fingerprints["u.t_id.references"]
    stricter = Rule(REFERENCES.id, "u", "t_id", "references", "sql", "", {"table": "ssd_person", "column": "id"})
    assert increment.relational_fingerprints([stricter], LOADS)[REFERENCES.id] != fingerprints[REFERENCES.id]


def test_a_change_to_the_code_that_checks_the_rules_checks_every_rule_again(monkeypatch):
    """The fingerprint holds a digest of rules.py and gate.py (and DuckDB's version): results
    found by other code are not carried forward."""
    before = increment.relational_fingerprints(RULES, LOADS)
    monkeypatch.setattr(increment, "_relational_code_digest", lambda: "the rules' SQL edited")
    after = increment.relational_fingerprints(RULES, LOADS)
    assert set(after) == set(before) and all(after[rule] != before[rule] for rule in before)
