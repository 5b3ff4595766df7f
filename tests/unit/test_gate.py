"""The raw gate on hand-made rows: which rows each kind of Great Expectations rule finds, with the
value it records, read in batches the way the nightly gate reads them; and the SQL rules running
beside GX on a second connection."""

import threading
from datetime import datetime

import duckdb
import pytest

from pipelines.quality import gate, increment
from pipelines.quality.rules import ROW, Rule

RULES = [
    Rule("t.code.not_null", "t", "code", "not_null", "gx", ""),
    Rule("t.code.in_code_set", "t", "code", "in_code_set", "gx", "", {"codes": ("A", "B")}),
    Rule("t.start_date.not_null", "t", "start_date", "not_null", "gx", ""),
    Rule("t.end_date.not_before_start", "t", "end_date", "end_not_before_start", "gx", "", {"start": "start_date"}),
]

# row, code, start, end: every case a rule must tell apart
ROWS = """
    (1, 'A', date '2020-01-01', date '2020-01-02'),
    (2, null, date '2020-01-05', date '2020-01-04'),
    (3, '', date '2020-01-05', date '2020-01-05'),
    (4, 'a', null, date '2020-01-01'),
    (5, ' A', date '2020-01-01', null),
    (6, 'B', null, null),
    (7, 'C', date '2024-02-29', date '2024-02-28'),
    (8, 'B', date '2019-12-31', date '2019-12-31')
"""

EXPECTED = {
    "t.code.not_null": [(2, None)],
    # null is the not-null rule's business; '' and other case or spacing are not codes
    "t.code.in_code_set": [(3, ""), (4, "a"), (5, " A"), (7, "C")],
    "t.start_date.not_null": [(4, None), (6, None)],
    # a same-day end is fine; a missing end or start is the other rules' business
    "t.end_date.not_before_start": [(2, "2020-01-04"), (7, "2024-02-28")],
}


def _failures(batch_rows: int, monkeypatch) -> dict[str, list[tuple[int, str | None]]]:
    monkeypatch.setattr(gate, "BATCH_ROWS", batch_rows)
    con = duckdb.connect()
    con.execute("create schema raw")
    con.execute(f"create table raw.t as select * from (values {ROWS}) as v({ROW}, code, start_date, end_date)")
    step = increment.TableIncrement("t", 8, increment.rules_fingerprint(RULES), None, 8, {})
    return gate._validate_batches(gate._GX(), con, "t", [ROW, "code", "start_date", "end_date"], RULES, step)


@pytest.mark.parametrize("batch_rows", [250_000, 3])
def test_each_kind_of_rule_finds_its_rows_and_records_the_value_as_sql_writes_it(batch_rows, monkeypatch):
    assert _failures(batch_rows, monkeypatch) == EXPECTED


def test_great_expectations_does_not_fingerprint_the_batches(monkeypatch):
    """GX hashes every cell of a pandas batch for a marker nothing reads (over half its time):
    the gate turns it off. Fails too if a GX upgrade renames either member the gate relies on."""
    from great_expectations.execution_engine import pandas_execution_engine

    fingerprinted = []
    monkeypatch.setattr(pandas_execution_engine, "hash_pandas_dataframe", fingerprinted.append)
    monkeypatch.setattr(pandas_execution_engine, "HASH_THRESHOLD", 1e9)  # as GX ships it
    assert _failures(250_000, monkeypatch) == EXPECTED
    assert fingerprinted == []


def test_great_expectations_keeps_no_frame_once_a_table_is_checked(monkeypatch):
    """GX's execution engine keeps the last batch of every asset, and the context outlives the
    gate: a table's last frame (up to a million rows) would stay in memory for the rest of the
    night. Fails too if a GX upgrade renames what the gate clears."""
    monkeypatch.setattr(gate, "BATCH_ROWS", 3)
    con = duckdb.connect()
    con.execute("create schema raw")
    con.execute(f"create table raw.t as select * from (values {ROWS}) as v({ROW}, code, start_date, end_date)")
    gx = gate._GX(asset_names=("raw.t",))
    step = increment.TableIncrement("t", 8, increment.rules_fingerprint(RULES), None, 8, {})
    kept = []
    validate = gx.validate

    def watched(name, expectations, frame):
        result = validate(name, expectations, frame)
        kept.append(len(gx.source.get_execution_engine().batch_manager.batch_data_cache))
        return result

    monkeypatch.setattr(gx, "validate", watched)
    assert gate._validate_batches(gx, con, "t", [ROW, "code", "start_date", "end_date"], RULES, step) == EXPECTED
    assert kept == [1, 1, 1]  # GX holds the batch it validates
    batches = gx.source.get_execution_engine().batch_manager
    assert batches.batch_data_cache == {} and batches.batch_cache == {}


def test_results_kept_under_another_way_of_validating_are_not_carried_forward(monkeypatch):
    """A night's results are carried forward only under the same fingerprint: it changes with
    the validation's version (values recorded differently), not only with the rules."""
    before = increment.rules_fingerprint(RULES)
    assert increment.rules_fingerprint(list(reversed(RULES))) == before
    monkeypatch.setattr(increment, "VALIDATION_VERSION", increment.VALIDATION_VERSION + 1)
    assert increment.rules_fingerprint(RULES) != before


def test_a_gate_run_writes_great_expectations_project_file_once(tmp_path, monkeypatch):
    """Declared up front, every table's batch is known to GX in one write of its project file
    (great_expectations.yml); added one at a time it was rewritten twice a table, 61 times a
    night, about 1 s of the Kent gate's 9 s."""
    from great_expectations.data_context.data_context import file_data_context

    writes = []
    write = file_data_context.FileDataContext._save_project_config
    monkeypatch.setattr(
        file_data_context.FileDataContext, "_save_project_config", lambda self: writes.append(write(self))
    )
    con = duckdb.connect()
    con.execute("create schema raw")
    con.execute(f"create table raw.t as select * from (values {ROWS}) as v({ROW}, code, start_date, end_date)")
    con.execute("create table raw.u as select * from raw.t")
    gx = gate._GX(tmp_path / "docs", asset_names=("raw.t", "raw.u"))
    for table in ("t", "u"):
        step = increment.TableIncrement(table, 8, increment.rules_fingerprint(RULES), None, 8, {})
        found = gate._validate_batches(gx, con, table, [ROW, "code", "start_date", "end_date"], RULES, step)
        assert found == EXPECTED
    assert len(writes) == 1


SQL_RULES = {
    "t": [
        Rule("t.id.unique", "t", "id", "unique_key", "sql", "", {"key": ["id"]}),
        Rule("t.start_date.not_after_extract", "t", "start_date", "not_after_extract", "sql", ""),
    ],
    "u": [Rule("u.t_id.references", "u", "t_id", "references", "sql", "", {"table": "t", "column": "id"})],
}


EXTRACTED_AT = datetime(2026, 12, 7)


def _sql_rule_threads() -> list[threading.Thread]:
    return [t for t in threading.enumerate() if t.name.startswith("raw-gate-sql")]


def _raw_tables(con) -> None:
    con.execute("create schema raw")
    con.execute(
        f"create table raw.t as select * from (values (1, 1, date '2020-01-01'), (2, 1, date '2030-01-01'), "
        f"(3, 2, null)) as v({ROW}, id, start_date)"
    )
    con.execute(f"create table raw.u as select * from (values (1, 2), (2, 9), (3, null)) as v({ROW}, t_id)")


def test_the_sql_rules_run_ahead_on_a_second_connection_and_find_what_they_find_in_turn():
    """While GX checks a table, the SQL rules of the tables run on another connection in a
    thread of their own: each table's failures are those the rules find when run one by one."""
    con = duckdb.connect()
    _raw_tables(con)
    in_turn = {t: gate._relational_failures(con, t, rules, EXTRACTED_AT) for t, rules in SQL_RULES.items()}
    # a repeated key: the rows after its first
    assert in_turn == {
        "t": {"t.id.unique": [(2, "1")], "t.start_date.not_after_extract": [(2, "2030-01-01")]},
        "u": {"u.t_id.references": [(2, "9")]},
    }
    connections, threads = [], []
    run = gate._relational_failures

    def watched(connection, *args):
        connections.append(connection)
        threads.append(threading.current_thread())
        return run(connection, *args)

    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(gate, "_relational_failures", watched)
        with gate._relational_failures_ahead(con, SQL_RULES, ["t", "u"], EXTRACTED_AT) as failures:
            ahead = {t: failures(t) for t in ("t", "u")}
    assert ahead == in_turn
    assert con not in connections and threading.main_thread() not in threads
    assert not any(t.is_alive() for t in threads)


def test_a_failing_sql_rule_fails_the_gate_and_leaves_no_thread_behind():
    con = duckdb.connect()
    _raw_tables(con)
    broken = {
        **SQL_RULES,
        "u": [Rule("u.x.references", "u", "no_such_column", "references", "sql", "", {"table": "t", "column": "id"})],
    }
    ahead = gate._relational_failures_ahead(con, broken, ["t", "u"], EXTRACTED_AT)
    with pytest.raises(duckdb.BinderException, match="no_such_column"), ahead as failures:
        assert failures("t")  # the first table's rules still answer
        failures("u")
    assert not _sql_rule_threads()


def test_an_error_while_gx_checks_fails_the_gate_and_leaves_no_sql_rules_running():
    con = duckdb.connect()
    _raw_tables(con)
    ahead = gate._relational_failures_ahead(con, SQL_RULES, ["t", "u"], EXTRACTED_AT)
    with pytest.raises(RuntimeError, match="GX failed"), ahead:
        raise RuntimeError("GX failed")
    assert not _sql_rule_threads()
