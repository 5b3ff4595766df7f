"""The quality gate: validate the loaded extract and the computed measures before publishing.

Raw gate: every rule of `rules.py` on every raw table. Rows that break a row-level rule go to
`quarantine.<table>` (row, rule, column, offending value) and are left out of the measures
(the staging views exclude them). A table whose quarantined share exceeds the threshold
(default 1%), an empty required table, or a required table that shrank too much since the
previous extract blocks publication.

Measure gate: Great Expectations on the measure results (numerators within denominators,
percentages within [0, 100], no negative counts), every catalogue measure present for the
reporting month (blocking), and month-on-month jumps beyond a bound (warnings).

Each run's results are appended to `quality.data_quality`, which is published.
"""

from __future__ import annotations

import logging
import os
from collections.abc import Callable, Iterator
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path

import duckdb
import pandas as pd

from .. import history
from ..contracts import catalogue, raw_contract
from ..housekeeping import prune_validation_results
from . import check_ids, increment
from .rules import ROW, Rule, one_pass_hits, one_pass_rules, one_pass_sql, raw_rules

# Rows per pandas batch handed to Great Expectations: its frames sit on top of DuckDB's memory
# limit, and each batch costs GX about 30 ms whatever its size (building its graph of metrics,
# storing the result): on Arrow-backed frames that fixed cost is most of its time. The national
# gate alone at 6 GB, SQL rules alongside: 250,000 rows 98-108 s, peak 6.25 GB; 1,000,000 rows
# 74-86 s, 6.33 GB once each table's frames are released (_GX.release_batches; 6.86-6.90 GB
# before); 2,000,000 rows 76 s, 7.69 GB.
BATCH_ROWS = int(os.environ.get("CSCW_GX_BATCH_ROWS", 1_000_000))
DEFAULT_MAX_QUARANTINE_SHARE = float(os.environ.get("CSCW_QUARANTINE_MAX_SHARE", 0.01))
DEFAULT_MAX_SHRINK = float(os.environ.get("CSCW_MAX_TABLE_SHRINK", 0.5))
JUMP_RELATIVE, JUMP_ABSOLUTE = 0.25, 10.0  # a month-on-month change beyond both is flagged

DATA_QUALITY_COLUMNS = (
    "extract_id varchar, checked_at timestamp, stage varchar, rule_id varchar, table_name varchar, "
    "column_name varchar, rows_checked bigint, rows_failed bigint, blocking boolean, passed boolean, detail varchar"
)


@dataclass
class RuleOutcome:
    rule_id: str
    table: str
    column: str
    rows_checked: int
    rows_failed: int
    blocking: bool
    detail: str = ""

    @property
    def passed(self) -> bool:
        return self.rows_failed == 0


@dataclass
class TableVerdict:
    table: str
    rows: int
    quarantined: int  # rows breaking a rule, counted towards the share that blocks publication
    blocked: bool
    reason: str = ""
    left_out: int = 0  # rows outside the person cohort: left out of the measures, not blocking


@dataclass
class GateReport:
    stage: str
    outcomes: list[RuleOutcome]
    verdicts: list[TableVerdict] = field(default_factory=list)


# GX keeps a sample of failing values in its results by default, which Data Docs render: counts only
COUNTS_ONLY = {"result_format": "BASIC", "partial_unexpected_count": 0}


class _GX:
    """A file-backed GX context for a gate run: suites, validation definitions and results are
    stored under `docs_root`, and Data Docs HTML is built there (`index.html`)."""

    def __init__(self, docs_root: Path | None = None, runs_kept: int = 7, asset_names: tuple[str, ...] = ()):
        self.docs_root, self.runs_kept = docs_root, runs_kept
        self.asset_names = asset_names  # the batches' names, declared to GX at once when it starts
        self.definitions: dict[str, object] = {}
        self.validated = False
        self._context = None

    def _start(self) -> None:
        """GX takes seconds to import: only when a batch is to be validated (not on a night whose
        rows were all checked before)."""
        if self._context is not None:
            return
        logging.getLogger("great_expectations").setLevel(logging.ERROR)
        os.environ.setdefault("GX_ANALYTICS_ENABLED", "False")
        import great_expectations as gx
        from great_expectations.data_context.types.base import ProgressBarsConfig
        from great_expectations.execution_engine import pandas_execution_engine

        # GX fingerprints every pandas batch it is given (pandas' hash of every cell, then MD5) for
        # the batch's markers, which nothing here reads: over half of its validation time (national
        # CIN visits, 1 M rows: 1.52 s with it, 0.71 s without). Batches above the threshold are
        # not fingerprinted; at 0 none is.
        pandas_execution_engine.HASH_THRESHOLD = 0
        self.gx = gx
        if self.docs_root is None:
            self._context = gx.get_context(mode="ephemeral")
        else:
            self.docs_root.mkdir(parents=True, exist_ok=True)
            self._context = gx.get_context(mode="file", project_root_dir=str(self.docs_root))
        self._context.variables.progress_bars = ProgressBarsConfig(globally=False)  # noise in a nightly log
        # every asset and its batch definition declared in one go: added one at a time, a file
        # context rewrites its great_expectations.yml after each, twice a table (61 writes, about
        # 1 s of the Kent raw gate's 9-10 s)
        self.source = self._context.data_sources.add_or_update_pandas(
            "warehouse",
            assets=[
                {"name": name, "type": "dataframe", "batch_definitions": [{"name": "batch"}]}
                for name in self.asset_names
            ],
        )

    @property
    def context(self):
        self._start()
        return self._context

    def validate(self, name: str, expectations: list, frame: pd.DataFrame):
        """Validate a batch; the stored result (and Data Docs) hold counts, never sample values."""
        self._start()
        self.validated = True
        if name not in self.definitions:
            try:
                asset = self.source.get_asset(name)
            except LookupError:
                asset = self.source.add_dataframe_asset(name)
            try:
                batch_definition = asset.get_batch_definition("batch")
            except KeyError:
                batch_definition = asset.add_batch_definition_whole_dataframe("batch")
            suite = self.context.suites.add_or_update(self.gx.ExpectationSuite(name=name, expectations=expectations))
            self.definitions[name] = self.context.validation_definitions.add_or_update(
                self.gx.ValidationDefinition(name=name, data=batch_definition, suite=suite)
            )
        return self.definitions[name].run(batch_parameters={"dataframe": frame}, result_format=COUNTS_ONLY)

    def failing_rows(self, name: str, expectation, frame: pd.DataFrame) -> list[tuple[int, str]]:
        """Re-run one failed expectation on a batch, asking GX for the failing rows."""
        batch = self.definitions[name].data.get_batch(batch_parameters={"dataframe": frame})
        result = batch.validate(
            expectation, result_format={"result_format": "COMPLETE", "unexpected_index_column_names": [ROW]}
        )
        column = expectation.column if hasattr(expectation, "column") else expectation.column_A
        rows = []
        for item in result.result.get("unexpected_index_list") or []:
            rows.append((int(item[ROW]), None if pd.isna(item.get(column)) else str(item.get(column))))
        return rows

    def release_batches(self) -> None:
        """Drop the frames GX keeps: its execution engine holds the last batch it validated of
        every asset, so a table's last frame stayed alive to the end of the gate and after it (the
        context outlives the gate). With 1,000,000-row batches the national gate peaked 0.6 GB
        higher and left the process 0.5 GB larger for the rest of the night."""
        if self._context is not None:
            batches = self.source.get_execution_engine().batch_manager
            batches.batch_data_cache.clear()
            batches.reset_batch_cache()

    def build_docs(self) -> None:
        if self.docs_root is not None:
            prune_validation_results(self.docs_root / "gx", self.runs_kept)
        self.context.build_data_docs()


def _ensure_quality_schema(con: duckdb.DuckDBPyConnection) -> None:
    con.execute("create schema if not exists quarantine")
    con.execute("create schema if not exists quality")
    con.execute(f"create table if not exists quality.data_quality ({DATA_QUALITY_COLUMNS})")


def ensure_quarantine_tables(con: duckdb.DuckDBPyConnection) -> None:
    _ensure_quality_schema(con)
    for table in raw_contract().tables:
        con.execute(
            f"create table if not exists quarantine.{table} ({ROW} bigint, rule_id varchar, "
            "column_name varchar, offending_value varchar)"
        )


def _record(con, extract_id: str, report: GateReport) -> None:
    now = datetime.now()
    con.execute("delete from quality.data_quality where extract_id = ? and stage = ?", [extract_id, report.stage])
    rows = [
        (
            extract_id,
            now,
            report.stage,
            o.rule_id,
            o.table or None,
            o.column or None,
            o.rows_checked,
            o.rows_failed,
            o.blocking,
            o.passed,
            o.detail or None,
        )
        for o in report.outcomes
    ]
    rows += [
        (
            extract_id,
            now,
            report.stage,
            check_ids.quarantine_share(v.table),
            v.table,
            None,
            v.rows,
            v.quarantined,
            True,
            not v.blocked,
            v.reason or None,
        )
        for v in report.verdicts
    ]
    if rows:
        con.executemany("insert into quality.data_quality values (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)", rows)


def validate_raw(
    con: duckdb.DuckDBPyConnection,
    extract_id: str,
    extracted_at: datetime,
    max_share: float = DEFAULT_MAX_QUARANTINE_SHARE,
    max_shrink: float = DEFAULT_MAX_SHRINK,
    docs_root: Path | None = None,
    runs_kept: int = 7,
) -> GateReport:
    """Run every raw rule, fill quarantine.<table>, decide which tables block publication."""
    ensure_quarantine_tables(con)
    contract = raw_contract()
    gx = _GX(docs_root, runs_kept, tuple(f"raw.{table}" for table in contract.tables))
    outcomes: list[RuleOutcome] = []
    verdicts: list[TableVerdict] = []
    rules_by_table: dict[str, list[Rule]] = {}
    absent = _absent_columns(con)
    baseline = increment.keep_only(con, extract_id)
    rechecked: list[increment.TableIncrement] = []
    not_checked: list[Rule] = []
    for rule in raw_rules(contract):
        if {rule.column, rule.params.get("start")} & absent.get(rule.table, set()):
            not_checked.append(rule)  # an optional column the extract does not hold: nothing to check
        else:
            rules_by_table.setdefault(rule.table, []).append(rule)
    # what each table holds, by its load fingerprint: a table holding the rows the baseline's GX
    # results were found in carries them row by row, and a relational rule whose every table does
    # carries its results whole
    loaded = increment.tables_as_loaded(con, extract_id)
    relational_inputs = {
        table: increment.relational_fingerprints(rules_by_table.get(table, []), loaded) for table in contract.tables
    }
    relational_carried = {
        table: increment.relational_carried(con, table, fingerprints, baseline)
        for table, fingerprints in relational_inputs.items()
    }
    # the SQL rules of every table run on a second connection meanwhile (_relational_failures_ahead)
    with _relational_failures_ahead(
        con, rules_by_table, list(contract.tables), extracted_at, relational_carried
    ) as relational_failures:
        for table, spec in contract.tables.items():
            rows = con.execute(f"select count(*) from raw.{table}").fetchone()[0]
            failures: dict[str, list[tuple[int, str]]] = {}
            gx_rules = [r for r in rules_by_table.get(table, []) if r.engine == "gx"]
            if gx_rules and rows:
                checked = sorted(
                    {*[r.column for r in gx_rules], *[r.params["start"] for r in gx_rules if "start" in r.params]}
                )
                step = increment.plan(con, table, rows, checked, gx_rules, baseline, loaded.get(table))
                rechecked.append(step)
                for rule_id, hits in step.carried.items():
                    failures.setdefault(rule_id, []).extend(hits)
                if step.rows_to_check:
                    for rule_id, hits in _validate_batches(gx, con, table, [ROW, *checked], gx_rules, step).items():
                        failures.setdefault(rule_id, []).extend(hits)
                increment.record(con, extract_id, step, failures)
            relational = relational_failures(table)
            increment.record_relational(
                con, extract_id, table, relational_inputs[table], relational, relational_carried[table], baseline
            )
            failures.update(relational)
            table_rules = {r.id: r for r in rules_by_table.get(table, [])}
            quarantine = sorted(
                (
                    (row, rule_id, table_rules[rule_id].column, value)
                    for rule_id, hits in failures.items()
                    if table_rules[rule_id].quarantines
                    for row, value in hits
                ),
                key=lambda q: q[:2],
            )
            con.execute(f"delete from quarantine.{table}")
            if quarantine:
                con.executemany(f"insert into quarantine.{table} values (?, ?, ?, ?)", quarantine)
            for rule in table_rules.values():
                hits = failures.get(rule.id, [])
                outcomes.append(RuleOutcome(rule.id, table, rule.column, rows, len(hits), False, rule.description))
            blocking_rows = {row for row, rule_id, _, _ in quarantine if table_rules[rule_id].counts_towards_share}
            left_out = len({q[0] for q in quarantine} - blocking_rows)
            quarantined = len(blocking_rows)
            reason = ""
            if spec.required and rows == 0:
                reason = f"required table {table} is empty"
            elif rows and quarantined / rows > max_share:
                reason = (
                    f"{quarantined} of {rows} rows of {table} ({quarantined / rows:.1%}) break rules, "
                    f"more than the {max_share:.0%} allowed"
                )
            verdicts.append(TableVerdict(table, rows, quarantined, bool(reason), reason, left_out))
    outcomes += [
        RuleOutcome(
            r.id, r.table, r.column, 0, 0, False, f"{r.description} - not checked: the column is not in the extract"
        )
        for r in not_checked
    ]
    outcomes += _volume_outcomes(con, extract_id, max_shrink)
    outcomes += _load_outcomes(con, extract_id)
    outcomes += _increment_outcomes(rechecked, relational_carried, rules_by_table)
    if docs_root is not None and gx.validated:
        gx.build_docs()
    report = GateReport("raw", outcomes, verdicts)
    _record(con, extract_id, report)
    return report


@contextmanager
def _relational_failures_ahead(
    con: duckdb.DuckDBPyConnection,
    rules_by_table: dict[str, list[Rule]],
    tables: list[str],
    extracted_at: datetime,
    carried: dict[str, dict[str, list[tuple[int, str | None]]]] | None = None,
) -> Iterator[Callable[[str], dict[str, list[tuple[int, str | None]]]]]:
    """The SQL rules of each table, in the gate's order, on a second connection in a thread of its
    own, while Great Expectations (Python, one core) checks the tables' rows in turn: DuckDB works
    on the other core, and releases the GIL while it does (national full night, one after the
    other: the SQL rules 38 s, GX's batches 60 s; side by side the gate took 13% less). Yields
    `failures(table)`, which waits for that table's. Only raw tables are read, never the gate's
    temp tables, which belong to the first connection; on an error the query running is
    interrupted."""
    cursor = con.cursor()
    pool = ThreadPoolExecutor(max_workers=1, thread_name_prefix="raw-gate-sql")
    futures = {
        table: pool.submit(
            _relational_failures, cursor, table, rules_by_table.get(table, []), extracted_at, (carried or {}).get(table)
        )
        for table in tables
    }
    try:
        yield lambda table: futures[table].result()
    except BaseException:
        cursor.interrupt()
        raise
    finally:
        pool.shutdown(wait=True, cancel_futures=True)
        cursor.close()


def _relational_failures(
    con: duckdb.DuckDBPyConnection,
    table: str,
    rules: list[Rule],
    extracted_at: datetime,
    carried: dict[str, list[tuple[int, str | None]]] | None = None,
) -> dict[str, list[tuple[int, str | None]]]:
    """(row, offending value) per SQL rule of the table that any row breaks: the row-level ones in
    one pass over the table (rules.one_pass_sql), the rest (unique keys) a query each. With
    ``carried`` (increment.relational_carried), the rules it holds are not checked again."""
    carried = carried or {}
    failures = {rule_id: list(hits) for rule_id, hits in carried.items() if hits}
    rules = [r for r in rules if r.id not in carried]
    together, alone = one_pass_rules(rules)
    if together:
        sql = one_pass_sql(table, together)
        params = {"extracted_at": extracted_at.date()} if "$extracted_at" in sql else None
        failures.update(one_pass_hits(together, con.execute(sql, params).fetchall()))
    for rule in alone:
        params = {"extracted_at": extracted_at.date()} if rule.kind == "not_after_extract" else None
        found = con.execute(rule.violations_sql(), params).fetchall()
        if found:
            failures[rule.id] = [(int(row), value) for row, value in found]
    return failures


def _validate_batches(
    gx: _GX, con, table: str, columns: list[str], rules: list[Rule], step: increment.TableIncrement
) -> dict[str, list[tuple[int, str | None]]]:
    """Great Expectations on tonight's rows of a table, a batch at a time: each failing rule's
    rows (row number, offending value)."""
    expectations = {r.id: r.expectation() for r in rules}
    failures: dict[str, list[tuple[int, str | None]]] = {}
    try:
        for frame in _batches(con, table, columns, step):
            for result in gx.validate(f"raw.{table}", list(expectations.values()), frame).results:
                if not result.success:
                    rule_id = result.expectation_config.meta["rule_id"]
                    found = gx.failing_rows(f"raw.{table}", expectations[rule_id], frame)
                    failures.setdefault(rule_id, []).extend(found)
    finally:
        gx.release_batches()
    return failures


def _batches(con, table: str, columns: list[str], step: increment.TableIncrement):
    """The rows GX checks tonight, a bounded batch at a time: every row by row number, or those
    of temp table _rows_to_check by their position in it (1..n). Unsorted: a failure is known by
    its row number, wherever it sits in a batch (national CIN visits: 12.8 s sorted, 7.7 s not)."""
    select = ", ".join(f"t.{c}" for c in columns)
    if step.baseline is None:
        first, last = con.execute(f"select min({ROW}), max({ROW}) from raw.{table}").fetchone()
        sql = f"select {select} from raw.{table} as t where t.{ROW} >= ? and t.{ROW} < ?"
    else:
        first, last = 1, step.rows_to_check
        sql = (
            f"select {select} from raw.{table} as t join _rows_to_check as c using ({ROW}) "
            "where c.position >= ? and c.position < ?"
        )
    for start in range(first, last + 1, BATCH_ROWS):
        # Arrow-backed columns, not numpy objects: a string column's nulls are a bitmap rather
        # than a Python object per cell, so the batch is built 2-5x faster and GX's null and
        # code-set checks run 5-10x faster on it (dates come as dates, written as SQL writes them)
        yield con.execute(sql, [start, start + BATCH_ROWS]).to_arrow_table().to_pandas(types_mapper=pd.ArrowDtype)


def _increment_outcomes(
    steps: list[increment.TableIncrement],
    relational_carried: dict[str, dict[str, list]],
    rules_by_table: dict[str, list[Rule]],
) -> list[RuleOutcome]:
    """How many rows of each table Great Expectations checked tonight, and from which extract the
    other rows' results were carried forward; how many of its relational rules were. Never blocking."""
    outcomes = []
    for step in steps:
        rows = step.rows
        detail = (
            f"{step.rows_to_check} of {rows} rows new or changed since extract {step.baseline}, the last "
            f"published: checked by Great Expectations; the results of the other {rows - step.rows_to_check} "
            "carried forward"
            if step.baseline
            else f"all {rows} rows checked by Great Expectations (no published extract checked under the same rules)"
        )
        relational = [r for r in rules_by_table.get(step.table, []) if r.engine == "sql"]
        carried = len(relational_carried.get(step.table, {}))
        detail += (
            f"; {carried} of its {len(relational)} relational rules carried forward from the last published "
            "extract, every table they read unchanged since; the others, dates against the extract's among "
            "them, checked in SQL"
            if carried
            else f"; its {len(relational)} relational rules checked in SQL"
        )
        outcomes.append(
            RuleOutcome(check_ids.rows_rechecked(step.table), step.table, "", step.rows_to_check, 0, False, detail)
        )
    return outcomes


def _absent_columns(con) -> dict[str, set[str]]:
    """Optional contract columns the extract's files do not hold (raw.extract_columns, from the load)."""
    known = con.execute(
        "select count(*) from information_schema.tables where table_schema = 'raw' and table_name = 'extract_columns'"
    ).fetchone()[0]
    absent: dict[str, set[str]] = {}
    if known:
        for table, column in con.execute(
            "select table_name, column_name from raw.extract_columns where not present"
        ).fetchall():
            absent.setdefault(table, set()).add(column)
    return absent


def _load_outcomes(con, extract_id: str) -> list[RuleOutcome]:
    """What the load had to normalise, map, derive or leave out, per column (counts only), which
    tables it kept from an earlier load (their files unchanged), and whether the extract's SSD
    version is one this contract knows. Never blocking."""
    outcomes = []
    # a load note's rows_checked is the number of values it is about; rows_failed counts those
    # that map to no code
    for table, column, kind, rows in con.execute(
        "select table_name, column_name, kind, rows from raw._load_report where extract_id = ? order by 1, 2, 3",
        [extract_id],
    ).fetchall():
        detail = LOAD_REPORT_KINDS[kind].format(column=column, rows=rows)
        failed = rows if kind == "values_unmapped" else 0
        outcomes.append(
            RuleOutcome(check_ids.load_report(table, column, kind), table, column, rows, failed, False, detail)
        )
    # tables whose file was unchanged since an earlier load: kept as that load wrote them
    for table, rows, carried_from in con.execute(
        "select table_name, row_count, carried_from from raw._extract_log "
        "where extract_id = ? and carried_from is not null order by 1",
        [extract_id],
    ).fetchall():
        detail = (
            f"the file is byte for byte the one loaded for extract {carried_from}, under the same contract, "
            f"value maps and loader: its {rows} rows kept as loaded then, not read again"
        )
        outcomes.append(RuleOutcome(check_ids.carried_forward(table), table, "", rows, 0, False, detail))
    (version, files_listed) = con.execute("select ssd_version, files_listed from raw.extract_manifest").fetchone()
    outcomes.append(
        RuleOutcome(
            check_ids.MANIFEST_LISTS_FILES,
            "",
            "",
            1,
            0 if files_listed else 1,
            False,
            "the manifest lists every file with its rows, bytes and SHA-256"
            if files_listed
            else "the manifest lists no files (rows, bytes, sha256): the extract could not be checked for "
            "completeness (cscw seal writes the listing)",
        )
    )
    known = raw_contract().knows_ssd_version(version)
    outcomes.append(
        RuleOutcome(
            check_ids.SSD_VERSION_KNOWN,
            "",
            "",
            1,
            0 if known else 1,
            False,
            f"SSD version {version} is known"
            if known
            else f"SSD version {version or '(none given)'} is not one this warehouse knows "
            f"(it knows {raw_contract().ssd_versions[0]} to {raw_contract().ssd_versions[-1]}): "
            "loaded as the contract describes",
        )
    )
    return outcomes


LOAD_REPORT_KINDS = {
    "values_normalised": "{rows} values of {column} written as a code in other case or spacing",
    "values_mapped": "{rows} values of {column} mapped from a description to its code",
    "values_unmapped": "{rows} values of {column} map to no code (cscw validate lists them)",
    "values_kept_as_written": "{rows} values of {column} are none of its codes and are kept as written "
    "(cscw validate lists them)",
    "placeholder_dates_nulled": "{rows} placeholder dates (1900-01-01) of {column} read as not recorded",
    "derived_from_parent": "{column} absent from the file: taken from the parent row for {rows} rows",
    "column_absent": "{column} is not in the file (optional)",
    "column_read_from_alias": "{column} read from another name the script gives it",
}


def _volume_outcomes(con, extract_id: str, max_shrink: float) -> list[RuleOutcome]:
    """A required table shrinking by more than max_shrink since the last *published* extract blocks
    (a bad night that was refused never becomes the next night's baseline)."""
    previous = history.published_table_rows(con)
    out = []
    ignored = con.execute(
        "select table_name, ignored_columns from raw._extract_log where extract_id = ? and ignored_columns <> ''",
        [extract_id],
    ).fetchall()
    tables = raw_contract().tables
    for table, columns in ignored:
        names = columns.split(",")
        # columns the SSD scripts write that the contract knowingly does not load are expected
        unknown = [name for name in names if name not in tables[table].known_column_names]
        known = len(names) - len(unknown)
        detail = f"{table}: columns not in the contract, ignored: {', '.join(unknown)}" if unknown else ""
        if known:
            detail = (
                detail + "; " if detail else f"{table}: "
            ) + f"{known} SSD columns not loaded, as the contract says"
        out.append(RuleOutcome(check_ids.unknown_columns(table), "", "", len(names), len(unknown), False, detail))
    if previous is None:
        return out
    previous_id, previous_rows = previous
    counts = con.execute(
        "select table_name, row_count from raw._extract_log where extract_id = ? "
        "qualify row_number() over (partition by table_name order by loaded_at desc) = 1",
        [extract_id],
    ).fetchall()
    required = set(raw_contract().required_tables)
    for table, now in counts:
        before = previous_rows.get(table)
        if table in required and before:
            shrank = (before - now) / before
            out.append(
                RuleOutcome(
                    check_ids.volume_vs_previous_extract(table),
                    "",
                    table,
                    now,
                    1 if shrank > max_shrink else 0,
                    True,
                    f"{table} has {now} rows, {before} in extract {previous_id}, the last published",
                )
            )
    return out


def validate_measures(
    con: duckdb.DuckDBPyConnection, extract_id: str, docs_root: Path | None = None, runs_kept: int = 7
) -> GateReport:
    """Great Expectations on the measure results, the catalogue's completeness, and jumps."""
    _ensure_quality_schema(con)
    frame = con.execute(
        "select r.measure_id, r.period_end, r.org_unit, r.uasc_scope, r.numerator, r.denominator, r.value, c.unit "
        "from marts.fct_measure_results as r join raw.measure_catalogue as c using (measure_id) "
        "where r.unavailable_reason is null"
    ).df()
    import great_expectations.expectations as gxe

    rows = len(frame)
    pct = frame[frame.unit == "pct"]
    counts = frame[frame.unit == "count"]
    checks = [
        (
            check_ids.PCT_NUMERATOR_WITHIN_DENOMINATOR,
            pct,
            gxe.ExpectColumnPairValuesAToBeGreaterThanB(
                column_A="denominator", column_B="numerator", or_equal=True, ignore_row_if="either_value_is_missing"
            ),
        ),
        (
            check_ids.PCT_VALUE_WITHIN_0_100,
            pct,
            gxe.ExpectColumnValuesToBeBetween(column="value", min_value=0, max_value=100),
        ),
        (check_ids.COUNT_NOT_NEGATIVE, counts, gxe.ExpectColumnValuesToBeBetween(column="value", min_value=0)),
        (check_ids.NUMERATOR_NOT_NEGATIVE, frame, gxe.ExpectColumnValuesToBeBetween(column="numerator", min_value=0)),
    ]
    gx = _GX(docs_root, runs_kept, tuple(rule_id for rule_id, _, _ in checks))
    outcomes = []
    for rule_id, subset, expectation in checks:
        result = gx.validate(rule_id, [expectation], subset) if len(subset) else None
        failed = 0 if result is None else int(result.results[0].result.get("unexpected_count") or 0)
        outcomes.append(RuleOutcome(rule_id, "", "", len(subset), failed, True, expectation.expectation_type))
    gx.release_batches()
    latest = con.execute("select max(period_end) from marts.fct_measure_results").fetchone()[0]
    present = set(frame[frame.period_end == pd.Timestamp(latest)].measure_id) if rows else set()
    present |= {
        r[0]
        for r in con.execute(
            "select distinct measure_id from marts.fct_measure_results where period_end = ?", [latest]
        ).fetchall()
    }
    missing = sorted(set(catalogue().measures) - present)
    outcomes.append(
        RuleOutcome(
            check_ids.CATALOGUE_COMPLETE,
            "",
            "",
            len(catalogue().measures),
            len(missing),
            True,
            f"missing for {latest}: {', '.join(missing)}" if missing else f"all present for {latest}",
        )
    )
    jumps = con.execute(
        """select now.measure_id, before.value, now.value from marts.fct_measure_results as now
           join marts.fct_measure_results as before
             on before.measure_id = now.measure_id and before.org_unit = now.org_unit
            and before.uasc_scope = now.uasc_scope
            and before.period_end = (select max(period_end) from marts.fct_measure_results where period_end < ?)
           where now.period_end = ? and now.org_unit = 'LA' and now.uasc_scope = 'all'
             and abs(now.value - before.value) > greatest(? * abs(before.value), ?)""",
        [latest, latest, JUMP_RELATIVE, JUMP_ABSOLUTE],
    ).fetchall()
    for measure_id, before, now in jumps:
        outcomes.append(
            RuleOutcome(
                check_ids.month_on_month_jump(measure_id),
                "",
                "",
                1,
                1,
                False,
                f"{measure_id} moved from {before:.1f} to {now:.1f} in a month",
            )
        )
    if docs_root is not None:
        gx.build_docs()
    report = GateReport("measures", outcomes)
    _record(con, extract_id, report)
    return report
