"""The raw gate's increment for Great Expectations' rules, without GX: which rows a night sends to
GX and which results it carries, by row hash, or row by row for a table that holds the rows it held
in the last published extract (nothing hashed then)."""

import duckdb

from pipelines.quality import increment
from pipelines.quality.rules import ROW, Rule

RULES = [
    Rule("t.code.not_null", "t", "code", "not_null", "gx", ""),
    Rule("t.code.in_code_set", "t", "code", "in_code_set", "gx", "", {"codes": ("A", "B")}),
]
COLUMNS = ["code"]  # the checked columns hashed (the gate reads the row number beside them)
# rows 2 and 4 hold the same checked value and both break the code set
ROWS = "(1, 'A'), (2, 'C'), (3, null), (4, 'C'), (5, 'B')"
# what GX finds in every row: the pipeline's gate hands record() these
FOUND = {"t.code.not_null": [(3, None)], "t.code.in_code_set": [(2, "C"), (4, "C")]}


def _warehouse() -> duckdb.DuckDBPyConnection:
    con = duckdb.connect()
    con.execute("create schema raw")
    con.execute(f"create table raw.t as select * from (values {ROWS}) as v({ROW}, code)")
    increment.ensure(con)
    return con


def _first_night(con) -> None:
    step = increment.plan(con, "t", 5, COLUMNS, RULES, None, "load-1")
    assert step.baseline is None and step.rows_to_check == 5
    increment.record(con, "night1", step, FOUND)


def _temp_tables(con) -> set[str]:
    return {name for (name,) in con.execute("select table_name from duckdb_tables() where temporary").fetchall()}


def test_a_table_holding_last_nights_rows_carries_its_results_row_by_row_without_hashing():
    con = _warehouse()
    _first_night(con)
    step = increment.plan(con, "t", 5, COLUMNS, RULES, "night1", "load-1")
    assert step.rows_to_check == 0 and step.same_rows_as_set is not None
    assert step.carried == FOUND
    assert "_row_hashes" not in _temp_tables(con)  # no row was read to hash it
    increment.record(con, "night2", step, step.carried)
    # the next night's baseline holds the same hashes and failures, under night2
    sets = dict(con.execute("select extract_id, set_id from quality.gx_row_sets").fetchall())
    for kept in ("gx_row_hashes", "gx_row_failures"):
        rows = {
            extract: sorted(
                con.execute(f"select * exclude (set_id) from quality.{kept} where set_id = ?", [set_id]).fetchall(),
                key=repr,
            )
            for extract, set_id in sets.items()
        }
        assert rows["night1"] == rows["night2"] and rows["night1"]


def test_a_copied_set_carries_by_hash_the_night_the_table_changes():
    con = _warehouse()
    _first_night(con)
    step = increment.plan(con, "t", 5, COLUMNS, RULES, "night1", "load-1")
    increment.record(con, "night2", step, step.carried)
    # night 3: row 5 corrected to a code that breaks the set, rows 6 and 7 added; the rest as before
    con.execute("update raw.t set code = 'D' where _row_number = 5")
    con.execute("insert into raw.t values (6, 'E'), (7, 'A')")
    step = increment.plan(con, "t", 7, COLUMNS, RULES, "night2", "load-3")
    assert step.rows_to_check == 2  # rows 5 and 6; row 7's value was checked last night (row 1)
    assert step.carried == FOUND


def test_a_set_kept_before_failing_rows_were_numbered_is_compared_by_hash():
    con = _warehouse()
    _first_night(con)
    con.execute(f"update quality.gx_row_failures set {ROW} = null")  # as an older warehouse holds them
    step = increment.plan(con, "t", 5, COLUMNS, RULES, "night1", "load-1")
    assert step.same_rows_as_set is None and "_row_hashes" in _temp_tables(con)
    assert step.rows_to_check == 0 and step.carried == FOUND


def test_rows_sharing_a_failing_value_each_carry_it_once():
    con = _warehouse()
    _first_night(con)
    step = increment.plan(con, "t", 5, COLUMNS, RULES, "night1")  # by hash: rows 2 and 4 share one
    assert step.rows_to_check == 0 and step.carried == FOUND


def test_the_published_extract_run_again_keeps_its_results():
    """Tonight's extract is the baseline: the set it copies is its own, replaced only once copied."""
    con = _warehouse()
    _first_night(con)
    for _ in range(2):
        step = increment.plan(con, "t", 5, COLUMNS, RULES, "night1", "load-1")
        assert step.same_rows_as_set is not None and step.carried == FOUND
        increment.record(con, "night1", step, step.carried)
    assert con.execute("select count(*) from quality.gx_row_sets").fetchone()[0] == 1
    assert con.execute("select count(*) from quality.gx_row_hashes").fetchone()[0] == 5


def test_a_table_changed_under_the_same_extract_id_is_hashed():
    """A published extract run again with a file changed (its id unchanged): the set found for
    that extract was checked on other rows, whatever tonight's log says of the extract."""
    con = _warehouse()
    _first_night(con)
    con.execute("update raw.t set code = 'D' where _row_number = 5")
    step = increment.plan(con, "t", 5, COLUMNS, RULES, "night1", "load-1-changed")
    assert step.same_rows_as_set is None and step.rows_to_check == 1


def test_an_old_warehouse_gains_the_load_fingerprint_and_failing_rows_number():
    con = duckdb.connect()
    con.execute("create schema quality")
    con.execute(
        "create table quality.gx_row_sets (set_id integer, extract_id varchar, table_name varchar, "
        "rules_fingerprint varchar)"
    )
    con.execute(
        "create table quality.gx_row_failures (set_id integer, row_hash ubigint, rule_id varchar, "
        "offending_value varchar)"
    )
    increment.ensure(con)
    for table, added in (("gx_row_sets", "load_fingerprint"), ("gx_row_failures", ROW)):
        columns = [name for (name,) in con.execute(f"select column_name from (describe quality.{table})").fetchall()]
        assert columns[-1] == added
