"""The nightly increment of the raw gate: Great Expectations re-checks only the rows that are new
or changed since the last published extract.

The GX rules (required values, code sets, end >= start) read one row at a time, so a row whose
checked columns are unchanged has the same outcome as last time. Each night the gate keeps, in the
working warehouse (schema `quality`), a hash of the checked columns of every row it validated and
the rules each failing row broke, under a fingerprint of the rules. The next night a row whose
hash was validated in the last *published* extract, under the same rules, carries its result
forward; every other row goes to GX.

The relational rules (keys, foreign keys, dates against birth) read across rows and tables: a
rule's results are carried forward whole from the last published extract when every table it
reads holds what it held then (the same load fingerprints, nothing filled from parent rows); else
it runs in SQL. Dates against the extract's date are checked every night: the date moves.
"""

from __future__ import annotations

import hashlib
from collections.abc import Collection
from dataclasses import dataclass
from functools import cache
from pathlib import Path

import duckdb
import pyarrow as pa

from .. import history
from .rules import PERSON_KEY, ROW, Rule

SCHEMA = "quality"


@dataclass
class TableIncrement:
    """Which rows of a table GX must check tonight, and what the others carry forward."""

    table: str
    rows: int  # the table's rows tonight
    fingerprint: str
    baseline: str | None  # the extract the unchanged rows' results come from, None: every row is checked
    rows_to_check: int
    carried: dict[str, list[tuple[int, str | None]]]  # rule id -> (row, offending value)
    # the table's load fingerprint tonight, None when its rows are not a function of it
    load_fingerprint: str | None = None
    # the baseline's set when the table holds what it held then: nothing hashed tonight, the
    # set's hashes and failures copied for the next night
    same_rows_as_set: int | None = None


def ensure(con: duckdb.DuckDBPyConnection) -> None:
    con.execute(f"create schema if not exists {SCHEMA}")
    # a set per extract and table; its rows are bare hashes (a text column beside each of
    # millions of hashes would cost five times as much to write)
    con.execute(
        f"create table if not exists {SCHEMA}.gx_row_sets "
        "(set_id integer, extract_id varchar, table_name varchar, rules_fingerprint varchar)"
    )
    # the load fingerprint of the rows a set was checked on (null: unknown, or kept before it was)
    con.execute(f"alter table {SCHEMA}.gx_row_sets add column if not exists load_fingerprint varchar")
    con.execute(f"create table if not exists {SCHEMA}.gx_row_hashes (set_id integer, row_hash ubigint)")
    con.execute(
        f"create table if not exists {SCHEMA}.gx_row_failures "
        f"(set_id integer, row_hash ubigint, rule_id varchar, offending_value varchar, {ROW} bigint)"
    )
    # a failing row's number, so a table unchanged since carries its failures without hashing;
    # null in sets kept before it was recorded
    con.execute(f"alter table {SCHEMA}.gx_row_failures add column if not exists {ROW} bigint")
    # each relational rule's results, under the fingerprint of the tables it read
    con.execute(
        f"create table if not exists {SCHEMA}.sql_rule_sets "
        "(set_id integer, extract_id varchar, table_name varchar, rule_id varchar, inputs_fingerprint varchar, "
        "carried_from varchar)"
    )
    con.execute(
        f"create table if not exists {SCHEMA}.sql_rule_hits (set_id integer, {ROW} bigint, offending_value varchar)"
    )


def keep_only(con: duckdb.DuckDBPyConnection, extract_id: str) -> str | None:
    """Drop the row results of every extract but tonight's and the last published one; returns
    the last published extract's id (the baseline), if any."""
    ensure(con)
    last = history.last_publication(con)
    baseline = last.extract_id if last is not None else None  # tonight's own, when it re-runs the published one
    stale = f"select set_id from {SCHEMA}.gx_row_sets where extract_id <> ? and extract_id is distinct from ?"
    for table in ("gx_row_hashes", "gx_row_failures"):
        con.execute(f"delete from {SCHEMA}.{table} where set_id in ({stale})", [extract_id, baseline])
    con.execute(f"delete from {SCHEMA}.gx_row_sets where set_id in ({stale})", [extract_id, baseline])
    stale = f"select set_id from {SCHEMA}.sql_rule_sets where extract_id <> ? and extract_id is distinct from ?"
    con.execute(f"delete from {SCHEMA}.sql_rule_hits where set_id in ({stale})", [extract_id, baseline])
    con.execute(f"delete from {SCHEMA}.sql_rule_sets where set_id in ({stale})", [extract_id, baseline])
    return baseline


# Raised when the way rows are validated changes what is recorded for them (2: Arrow-backed
# batches, a failing date written 2020-01-04 as the SQL rules write it, not 2020-01-04 00:00:00)
VALIDATION_VERSION = 2


def rules_fingerprint(rules: list[Rule]) -> str:
    """Changes when a table's GX rules change (a new code, a column now absent) or the way they
    are validated does: results kept under another fingerprint are not carried forward."""
    text = repr(
        (
            VALIDATION_VERSION,
            sorted((r.id, r.kind, r.column, sorted((k, repr(v)) for k, v in r.params.items())) for r in rules),
        )
    )
    return hashlib.sha256(text.encode()).hexdigest()[:16]


def _hash_expression(columns: list[str]) -> str:
    # a struct keeps column boundaries and nulls apart: ('ab', null) and ('a', 'b') differ
    return "hash({" + ", ".join(f"'{c}': {c}" for c in columns) + "})"


def plan(
    con: duckdb.DuckDBPyConnection,
    table: str,
    rows: int,
    columns: list[str],
    rules: list[Rule],
    baseline: str | None,
    load_fingerprint: str | None = None,
) -> TableIncrement:
    """Hash tonight's rows (temp table _row_hashes) and find those GX must check (temp table
    _rows_to_check); gather the results carried forward for the rest. When the baseline's set was
    checked on rows of tonight's ``load_fingerprint`` (tables_as_loaded: the same rows), its results
    are tonight's, row by row, and nothing is hashed."""
    fingerprint = rules_fingerprint(rules)
    found, checked_on = None, None
    if baseline is not None:
        found, checked_on = con.execute(
            f"select set_id, load_fingerprint from {SCHEMA}.gx_row_sets "
            "where extract_id = ? and table_name = ? and rules_fingerprint = ? order by set_id desc limit 1",
            [baseline, table, fingerprint],
        ).fetchone() or (None, None)
    if found is not None and load_fingerprint is not None and checked_on == load_fingerprint:
        numbered = con.execute(
            f"select count(*) = count({ROW}) from {SCHEMA}.gx_row_failures where set_id = ?", [found]
        ).fetchone()[0]
        if numbered:
            carried: dict[str, list[tuple[int, str | None]]] = {}
            for row, rule_id, value in con.execute(
                f"select {ROW}, rule_id, offending_value from {SCHEMA}.gx_row_failures where set_id = ? "
                f"order by {ROW}, rule_id",
                [found],
            ).fetchall():
                carried.setdefault(rule_id, []).append((int(row), value))
            return TableIncrement(table, rows, fingerprint, baseline, 0, carried, load_fingerprint, found)
    con.execute(
        f"create or replace temp table _row_hashes as "
        f"select {ROW}, {_hash_expression(columns)} as row_hash from raw.{table}"
    )
    if found is None:  # every row, numbered 1..n already
        return TableIncrement(table, rows, fingerprint, None, rows, {}, load_fingerprint)
    # the baseline's hashes taken out of the table of every set first: joined to it in place, with
    # the set as a condition, DuckDB took 21-22 s for the national CIN visits; taken out (0.4 s),
    # then joined, 4.6 s
    con.execute(
        f"create or replace temp table _baseline_hashes as "
        f"select row_hash from {SCHEMA}.gx_row_hashes where set_id = ?",
        [found],
    )
    con.execute(
        f"""create or replace temp table _rows_to_check as
            select h.{ROW}, row_number() over (order by h.{ROW}) as position from _row_hashes as h
            where not exists (select 1 from _baseline_hashes as b where b.row_hash = h.row_hash)"""
    )
    con.execute("drop table _baseline_hashes")
    carried = {}
    for row, rule_id, value in con.execute(
        f"""select h.{ROW}, f.rule_id, f.offending_value
            from _row_hashes as h
            join (select distinct row_hash, rule_id, offending_value from {SCHEMA}.gx_row_failures
                  where set_id = ?) as f on f.row_hash = h.row_hash
            where not exists (select 1 from _rows_to_check as c where c.{ROW} = h.{ROW})
            order by h.{ROW}, f.rule_id""",
        [found],
    ).fetchall():
        carried.setdefault(rule_id, []).append((int(row), value))
    to_check = con.execute("select count(*) from _rows_to_check").fetchone()[0]
    return TableIncrement(table, rows, fingerprint, baseline, to_check, carried, load_fingerprint)


def record(
    con: duckdb.DuckDBPyConnection,
    extract_id: str,
    increment: TableIncrement,
    failures: dict[str, list[tuple[int, str | None]]],
) -> None:
    """Keep tonight's row hashes and GX failures (of every row, checked or carried) for tomorrow."""
    table = increment.table
    set_id = con.execute(f"select coalesce(max(set_id), 0) + 1 from {SCHEMA}.gx_row_sets").fetchone()[0]
    con.execute(
        f"insert into {SCHEMA}.gx_row_sets (set_id, extract_id, table_name, rules_fingerprint, load_fingerprint) "
        "values (?, ?, ?, ?, ?)",
        [set_id, extract_id, table, increment.fingerprint, increment.load_fingerprint],
    )
    if increment.same_rows_as_set is not None:  # tonight's rows and failures are that set's
        for kept in ("gx_row_hashes", "gx_row_failures"):
            con.execute(
                f"insert into {SCHEMA}.{kept} select * replace (? as set_id) from {SCHEMA}.{kept} where set_id = ?",
                [set_id, increment.same_rows_as_set],
            )
    else:
        _record_hashed(con, set_id, failures)
    # this extract's earlier sets of the table, dropped once tonight's is written: a run of the
    # published extract again copies from its own set
    earlier = f"select set_id from {SCHEMA}.gx_row_sets where extract_id = ? and table_name = ? and set_id <> ?"
    for kept in ("gx_row_hashes", "gx_row_failures"):
        con.execute(f"delete from {SCHEMA}.{kept} where set_id in ({earlier})", [extract_id, table, set_id])
    con.execute(
        f"delete from {SCHEMA}.gx_row_sets where extract_id = ? and table_name = ? and set_id <> ?",
        [extract_id, table, set_id],
    )
    con.execute("drop table if exists _row_hashes")
    con.execute("drop table if exists _rows_to_check")


def _record_hashed(con: duckdb.DuckDBPyConnection, set_id: int, failures: dict[str, list[tuple[int, str | None]]]):
    """Tonight's hashes (temp table _row_hashes) and failures, with their rows' hashes, as set_id."""
    con.execute(f"insert into {SCHEMA}.gx_row_hashes select ?, row_hash from _row_hashes", [set_id])
    pairs = [(row, rule_id, value) for rule_id, hits in failures.items() for row, value in hits]
    if pairs:
        failed = pa.table(
            {
                "row": pa.array([p[0] for p in pairs], pa.int64()),
                "rule_id": pa.array([p[1] for p in pairs], pa.string()),
                "offending_value": pa.array([p[2] for p in pairs], pa.string()),
            }
        )
        con.register("_failed_tonight", failed)
        try:
            con.execute(
                f"""insert into {SCHEMA}.gx_row_failures
                    select distinct ?, h.row_hash, f.rule_id, f.offending_value, f.row
                    from _failed_tonight as f join _row_hashes as h on h.{ROW} = f.row""",
                [set_id],
            )
        finally:
            con.unregister("_failed_tonight")


@cache
def _relational_code_digest() -> str:
    """The code that checks the relational rules (their SQL, the gate that runs it) and DuckDB's
    version: any change to either checks every rule again once, rather than trusting a version
    number to be raised by hand."""
    digest = hashlib.sha256(duckdb.__version__.encode())
    for name in ("rules.py", "gate.py"):
        digest.update((Path(__file__).resolve().parent / name).read_bytes())
    return digest.hexdigest()


def is_carried_whole(rule: Rule) -> bool:
    """A relational rule whose result depends only on the rows of the tables it reads; a date
    against the extract's date is checked again each night (the extract date moves)."""
    return rule.engine == "sql" and rule.kind != "not_after_extract"


def tables_read(rule: Rule) -> list[str]:
    """The raw tables a relational rule's result depends on."""
    read = {rule.table}
    if rule.kind in ("references", "in_person_cohort"):
        read.add(rule.params["table"])
    if rule.kind == "not_before_birth":
        read.add(PERSON_KEY[0])
    return sorted(read)


def tables_as_loaded(con: duckdb.DuckDBPyConnection, extract_id: str) -> dict[str, str]:
    """Each raw table's load fingerprint tonight, for the tables whose rows it determines: a table
    with a column filled from parent rows after the load (loader.derive_columns) is left out."""
    derived = {
        table
        for (table,) in con.execute(
            "select distinct table_name from raw._load_report where extract_id = ? and kind = 'derived_from_parent'",
            [extract_id],
        ).fetchall()
    }
    return {
        table: fingerprint
        for table, fingerprint in con.execute(
            "select table_name, load_fingerprint from raw._extract_log "
            "where extract_id = ? and present and load_fingerprint is not null",
            [extract_id],
        ).fetchall()
        if table not in derived
    }


def relational_fingerprints(rules: list[Rule], loaded: dict[str, str]) -> dict[str, str]:
    """What each relational rule carried whole is a function of: the rule, the code that checks it
    and the load fingerprint of every table it reads (rule id -> fingerprint). A rule reading a
    table with none (not loaded tonight, loaded before fingerprints, or filled from parent rows)
    has none."""
    fingerprints = {}
    for rule in rules:
        read = tables_read(rule)
        if not is_carried_whole(rule) or any(table not in loaded for table in read):
            continue
        text = repr(
            (
                _relational_code_digest(),
                (rule.id, rule.kind, rule.column, sorted((k, repr(v)) for k, v in rule.params.items())),
                [(table, loaded[table]) for table in read],
            )
        )
        fingerprints[rule.id] = hashlib.sha256(text.encode()).hexdigest()[:16]
    return fingerprints


def relational_carried(
    con: duckdb.DuckDBPyConnection, table: str, fingerprints: dict[str, str], baseline: str | None
) -> dict[str, list[tuple[int, str | None]]]:
    """The baseline extract's results of the table's relational rules that it checked on the same
    rows as tonight's (rule id -> (row, offending value), none for a rule nothing broke); the rules
    left out are checked tonight."""
    if baseline is None or not fingerprints:
        return {}
    sets = {
        rule_id: set_id
        for set_id, rule_id, fingerprint in con.execute(
            f"select set_id, rule_id, inputs_fingerprint from {SCHEMA}.sql_rule_sets "
            "where extract_id = ? and table_name = ?",
            [baseline, table],
        ).fetchall()
        if fingerprints.get(rule_id) == fingerprint
    }
    carried: dict[str, list[tuple[int, str | None]]] = {rule_id: [] for rule_id in sets}
    if sets:
        rule_of = {set_id: rule_id for rule_id, set_id in sets.items()}
        for set_id, row, value in con.execute(
            f"select set_id, {ROW}, offending_value from {SCHEMA}.sql_rule_hits "
            f"where set_id in ({', '.join('?' * len(rule_of))}) order by set_id, {ROW}",
            list(rule_of),
        ).fetchall():
            carried[rule_of[set_id]].append((int(row), value))
    return carried


def record_relational(
    con: duckdb.DuckDBPyConnection,
    extract_id: str,
    table: str,
    fingerprints: dict[str, str],
    failures: dict[str, list[tuple[int, str | None]]],
    carried: Collection[str] = (),
    baseline: str | None = None,
) -> None:
    """Keep tonight's results of the table's relational rules carried whole, for the next night;
    those of ``carried`` (rule ids) are the baseline's, said in `carried_from`."""
    sets = f"select set_id from {SCHEMA}.sql_rule_sets where extract_id = ? and table_name = ?"
    con.execute(f"delete from {SCHEMA}.sql_rule_hits where set_id in ({sets})", [extract_id, table])
    con.execute(f"delete from {SCHEMA}.sql_rule_sets where extract_id = ? and table_name = ?", [extract_id, table])
    if not fingerprints:
        return
    first = con.execute(f"select coalesce(max(set_id), 0) + 1 from {SCHEMA}.sql_rule_sets").fetchone()[0]
    set_ids = {rule_id: first + i for i, rule_id in enumerate(sorted(fingerprints))}
    con.executemany(
        f"insert into {SCHEMA}.sql_rule_sets values (?, ?, ?, ?, ?, ?)",
        [
            (set_id, extract_id, table, rule_id, fingerprints[rule_id], baseline if rule_id in carried else None)
            for rule_id, set_id in set_ids.items()
        ],
    )
    # every hit, a row broken twice included (a birth rule is broken once per person row)
    hits = [(set_ids[rule_id], row, value) for rule_id in set_ids for row, value in failures.get(rule_id, [])]
    if hits:
        frame = pa.table(
            {
                "set_id": pa.array([h[0] for h in hits], pa.int32()),
                "row": pa.array([h[1] for h in hits], pa.int64()),
                "offending_value": pa.array([h[2] for h in hits], pa.string()),
            }
        )
        con.register("_relational_hits", frame)
        try:
            con.execute(f"insert into {SCHEMA}.sql_rule_hits select set_id, row, offending_value from _relational_hits")
        finally:
            con.unregister("_relational_hits")
