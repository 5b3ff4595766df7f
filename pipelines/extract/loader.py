"""Load an extract's tables into the working warehouse's ``raw`` schema, in DuckDB.

DuckDB reads each file (CSV as text, Parquet as typed); every contract column is then typed in
SQL, taking what councils' SSD scripts write as it comes (raw-extract.md, "Real SSD outputs"):
SQL Server DATETIME text and ISO timestamps as dates, 1900-01-01 placeholders as null, a code's
description or local wording as the code (through the value maps). Anything that cannot be read
stops the load with a message naming the file, row and column, never the value.

Each load replaces the table with the current extract's rows, tagged ``_extract_id`` and
``_row_number`` (the data row of the file: its CSV line is one more, after the header); a table
whose file is unchanged since the load it holds (``load_fingerprint``) is kept and re-tagged.
``raw._extract_log`` keeps a row per table per extract ever loaded; ``raw._load_report`` what the
load had to normalise (counts per column), and ``raw._unmapped_values`` the values that mapped to
nothing (for `cscw validate`; they stay in the working warehouse).
"""

from __future__ import annotations

import hashlib
import re
from collections import Counter
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import datetime
from functools import cache
from pathlib import Path

import duckdb
import holidays
import pyarrow as pa

from ..contracts import Table, raw_contract
from .arrival import sha256_of
from .reader import (
    MAX_LINE_BYTES,
    ColumnSource,
    ExtractError,
    Manifest,
    csv_header,
    find_table_file,
    ignored_columns,
    locate_columns,
)
from .value_maps import ValueMap, match_key

RAW_SCHEMA = "raw"
BANK_HOLIDAY_YEARS = (1990, 2045)
ROW = "_row_number"
DUCKDB_ROW_GROUP_ROWS = 122_880  # rows in one of DuckDB's row groups (its default)

# Dates as scripts write them: ISO dates, SQL Server DATETIME text and ISO timestamps (the date
# part is the date), and DD/MM/YYYY as statutory returns do. Never a two-digit year.
ISO_DATE = r"\d{4}-\d{2}-\d{2}([ T]\d{2}:\d{2}(:\d{2}(\.\d{1,9})?)?)?(Z|[+-]\d{2}(:?\d{2})?)?"
UK_DATE = r"\d{1,2}/\d{1,2}/\d{4}( \d{2}:\d{2}(:\d{2}(\.\d{1,9})?)?)?"
TWO_DIGIT_YEAR = r"\d{1,2}[/.-]\d{1,2}[/.-]\d{2}( .*)?"
PLACEHOLDER_DATE = "1900-01-01"  # the scripts' "not recorded"
EARLIEST_YEAR = 1900
INTEGER = r"[+-]?\d+"
DECIMAL = r"[+-]?(\d+(\.\d*)?|\.\d+)([eE][+-]?\d+)?"  # no NaN, no infinity
CSV_LINE = re.compile(r"CSV Error on Line: (\d+)")


@dataclass
class LoadResult:
    name: str
    present: bool
    rows: int
    source_file: str | None
    ignored_columns: list[str] = field(default_factory=list)
    absent_columns: list[str] = field(default_factory=list)
    report: list[tuple[str, str, int]] = field(default_factory=list)  # (column, kind, rows)
    unmapped: list[tuple[str, str, int]] = field(default_factory=list)  # (column, value, rows)
    fingerprint: str | None = None  # what the load was a function of (load_fingerprint)
    carried_from: str | None = None  # the extract whose load of an unchanged file was kept


@contextmanager
def warehouse_connection(path: Path, resources=None):
    """A connection to the working warehouse, within the DuckDB resources configured
    (config.DuckDBResources: memory limit, spill folder, threads)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    con = duckdb.connect(str(path))
    try:
        if resources is not None:
            resources.apply(con)
        con.execute(f"create schema if not exists {RAW_SCHEMA}")
        con.execute(
            f"""create table if not exists {RAW_SCHEMA}._extract_log (
                extract_id varchar, table_name varchar, present boolean, row_count bigint,
                source_file varchar, ignored_columns varchar, loaded_at timestamp,
                load_fingerprint varchar, carried_from varchar)"""
        )
        # a warehouse from before loads were fingerprinted gains the columns (null: never carried)
        for column in ("load_fingerprint", "carried_from"):
            con.execute(f"alter table {RAW_SCHEMA}._extract_log add column if not exists {column} varchar")
        con.execute(
            f"""create table if not exists {RAW_SCHEMA}._load_report (
                extract_id varchar, table_name varchar, column_name varchar, kind varchar, rows bigint)"""
        )
        con.execute(
            f"""create table if not exists {RAW_SCHEMA}._unmapped_values (
                extract_id varchar, table_name varchar, column_name varchar, value varchar, rows bigint)"""
        )
        yield con
    finally:
        con.close()


def replace_table(con: duckdb.DuckDBPyConnection, name: str, data: pa.Table) -> None:
    con.register("_incoming", data)
    try:
        con.execute(f"create or replace table {RAW_SCHEMA}.{name} as select * from _incoming")
    finally:
        con.unregister("_incoming")


def _sql_text(text: str) -> str:
    return "'" + text.replace("'", "''") + "'"


# --- reading a file into a scratch table ---------------------------------------------------
def _read_csv(con: duckdb.DuckDBPyConnection, path: Path) -> tuple[list[str], int]:
    """The file's rows as text in the temp table _source (columns c0, c1, ...). Returns the header
    and how many data rows were skipped before the first record (sqlcmd's dashed underline)."""
    header = csv_header(path)
    if len(header) < 2:
        raise ExtractError("not a comma-separated file: the header row has a single column", file=path, row=1)
    columns = ", ".join(f"'c{i}': 'VARCHAR'" for i in range(len(header)))
    try:
        # NULL is how SQL Server's sqlcmd writes a null
        con.execute(
            f"""create or replace temp table _source as
                select * from read_csv({_sql_text(str(path))}, header = true, auto_detect = false, delim = ',',
                                       quote = '"', escape = '"', columns = {{{columns}}}, strict_mode = true,
                                       null_padding = false, nullstr = ['', 'NULL'],
                                       max_line_size = {MAX_LINE_BYTES})"""
        )
    except duckdb.OutOfMemoryException:
        raise  # the machine's limit (configuration duckdb.memory_limit), not the file's fault
    except duckdb.Error as exc:
        raise _csv_error(str(exc), path) from None
    underline = " and ".join(f"regexp_full_match(coalesce(c{i}, ''), '-+')" for i in range(len(header)))
    if con.execute(f"select count(*) from _source where rowid = 0 and {underline}").fetchone()[0]:
        con.execute("create or replace temp table _records as select * from _source where rowid > 0 order by rowid")
        con.execute("drop table _source")
        con.execute("alter table _records rename to _source")
        return header, 1
    return header, 0


def _csv_error(message: str, path: Path) -> ExtractError:
    """DuckDB's message quotes the offending line: keep only where and what."""
    line = CSV_LINE.search(message)
    row = int(line.group(1)) if line else None
    if "Expected Number of Columns" in message:
        found = re.search(r"Expected Number of Columns: (\d+) Found: (\d+)", message)
        detail = f" (expected {found.group(1)} fields, found {found.group(2)})" if found else ""
        return ExtractError(f"a truncated or malformed row{detail}", file=path, row=row)
    if "unicode" in message.lower() or "utf-8" in message.lower():
        return ExtractError("not UTF-8 text", file=path, row=row)
    if "quote" in message.lower():
        return ExtractError("an unterminated quoted field", file=path, row=row)
    return ExtractError("cannot be read as CSV", file=path, row=row)


_FILE_ROW_NUMBER = "file_row_number"  # the column read_parquet adds: a row's place in the file, from 0


def _read_parquet(con: duckdb.DuckDBPyConnection, path: Path) -> tuple[list[str], str]:
    """The file as the view _source, read where it lies: Parquet is typed and columnar, so each
    pass over it reads only the columns it needs (a temp copy cost 15 of 45 s for the national
    extract's 55 M CIN visits). Returns the column names and the expression of a row's place in the
    file (from 0)."""
    read = f"read_parquet({_sql_text(str(path))}"
    try:
        names = [row[0] for row in con.execute(f"select column_name from (describe select * from {read}))").fetchall()]
        if _FILE_ROW_NUMBER in names:  # a column of that name in the file: copy it, and number by rowid
            con.execute(f"create or replace temp table _source as select * from {read})")
        else:
            con.execute(f"create or replace temp view _source as select * from {read}, file_row_number = true)")
    except duckdb.OutOfMemoryException:
        raise
    except duckdb.Error:
        raise ExtractError("cannot be read as Parquet", file=path) from None
    repeated = sorted({name for name in names if names.count(name) > 1})
    if repeated:
        raise ExtractError(f"the file names {', '.join(repeated)} more than once", file=path)
    return names, "s.rowid" if _FILE_ROW_NUMBER in names else f"s.{_FILE_ROW_NUMBER}"


@contextmanager
def _reading_parquet(path: Path, fmt: str):
    """A Parquet file is read again by each pass over the view: a page that cannot be decoded
    surfaces there, and is the file's fault like a footer that cannot be read."""
    try:
        yield
    except (duckdb.InvalidInputException, duckdb.IOException):
        if fmt != "parquet":
            raise
        raise ExtractError("cannot be read as Parquet", file=path) from None


def _drop_source(con: duckdb.DuckDBPyConnection) -> None:
    kind = con.execute(
        "select table_type from information_schema.tables where table_catalog = 'temp' and table_name = '_source'"
    ).fetchone()
    if kind is not None:
        con.execute(f"drop {'view' if kind[0] == 'VIEW' else 'table'} _source")


# --- typing each column ---------------------------------------------------------------------
def _source_expression(source: ColumnSource, fmt: str) -> str:
    return f's."c{source.position}"' if fmt == "csv" else f's."{source.name_in_file}"'


def _text(expression: str) -> str:
    """The value as trimmed text, empty as null."""
    return f"nullif(trim(cast({expression} as varchar)), '')"


def _date_from_text(text: str) -> str:
    return (
        f"(case when regexp_full_match({text}, '{ISO_DATE}') then try_cast(substr({text}, 1, 10) as date) "
        f"when regexp_full_match({text}, '{UK_DATE}') "
        f"then cast(try_strptime(split_part({text}, ' ', 1), '%d/%m/%Y') as date) end)"
    )


@dataclass(frozen=True)
class _Check:
    """A reason a cell cannot be loaded: the SQL condition that finds it, and what to say."""

    column: str
    condition: str
    message: str


def _typed(
    source: ColumnSource, fmt: str, source_types: dict[str, str], lookup_joined: set[str]
) -> tuple[str, list[_Check], str | None]:
    """The SQL giving the column its contract type, the checks on its cells and, for dates, the
    condition of a placeholder (counted)."""
    column = source.column
    if source.position is None:
        return f"cast(null as {column.column_type.sql})", [], None
    raw = _source_expression(source, fmt)
    native = source_types.get(source.name_in_file or "", "VARCHAR") if fmt == "parquet" else "VARCHAR"
    if column.type == "date":
        if native == "DATE" or native.startswith("TIMESTAMP"):
            value = f"cast({raw} as date)"
            bad_text = None
        else:
            text = _text(raw)
            value = _date_from_text(text)
            bad_text = (text, value)
        placeholder = f"({value} = date '{PLACEHOLDER_DATE}')"
        checks = [
            _Check(
                column.name,
                f"(extract(year from {value}) < {EARLIEST_YEAR} and not {placeholder})",
                f"is before {EARLIEST_YEAR}",
            )
        ]
        if bad_text:
            text, parsed = bad_text
            checks.insert(
                0,
                _Check(
                    column.name,
                    f"(regexp_full_match({text}, '{TWO_DIGIT_YEAR}'))",
                    "has a two-digit year: write the year in four digits (dates are never guessed)",
                ),
            )
            checks.insert(
                1,
                _Check(
                    column.name,
                    f"({text} is not null and {parsed} is null)",
                    "is not a date (YYYY-MM-DD, DD/MM/YYYY, or an SQL Server or ISO timestamp)",
                ),
            )
        return f"(case when {placeholder} then null else {value} end)", checks, placeholder
    if column.type in ("integer", "decimal"):
        target = column.column_type.sql
        if not native.startswith(("VARCHAR", "BLOB")):
            if column.type == "decimal":
                return (
                    f"cast({raw} as {target})",
                    [_Check(column.name, f"(not isfinite(cast({raw} as double)))", "is not a finite number")],
                    None,
                )
            return f"cast({raw} as {target})", [], None
        text = _text(raw)
        pattern, what = (
            (INTEGER, "a whole number")
            if column.type == "integer"
            else (DECIMAL, "a number (NaN and infinity are refused)")
        )
        checks = [
            _Check(
                column.name, f"({text} is not null and not regexp_full_match({text}, '{pattern}'))", f"is not {what}"
            )
        ]
        return f"cast({text} as {target})", checks, None
    text = _text(raw)
    if column.name in lookup_joined:
        return f"coalesce(lookup_{column.name}.code, {text})", [], None
    return text, [], None


def _first_problem(
    con: duckdb.DuckDBPyConnection, checks: list[_Check], path: Path, fmt: str, skipped: int, row: str
) -> None:
    if not checks:
        return
    found = ", ".join(f"min(case when {check.condition} then {row} end)" for check in checks)
    firsts = con.execute(f"select {found} from _source as s").fetchone()
    problems = [(row, check) for row, check in zip(firsts, checks, strict=True) if row is not None]
    if problems:
        row, check = min(problems, key=lambda problem: problem[0])
        # CSV: the header is line 1, the first data row line 2; Parquet: the first row is row 1
        raise ExtractError(
            f"the value {check.message}",
            file=path,
            row=int(row) + skipped + (2 if fmt == "csv" else 1),
            column=check.column,
        )


# --- value maps -----------------------------------------------------------------------------
def _classify(
    con, table: Table, located: list[ColumnSource], fmt: str, value_map: ValueMap, result: LoadResult
) -> pa.Table:
    """Match the distinct values of each coded column against the value maps: counts for the load
    report, the unmapped values, and the lookup rows (value as written -> code) the load joins."""
    lookups: list[tuple[str, str, str]] = []
    for source in located:
        column = source.column
        if source.position is None or not column.code_set:
            continue
        entries = value_map.entries[column.code_set]
        blank_code = value_map.blank.get(column.code_set)
        raw = _source_expression(source, fmt)
        counts = Counter()
        for value, rows in con.execute(
            f"select cast({raw} as varchar), count(*) from _source as s group by 1"
        ).fetchall():
            key = match_key(value) if value is not None else ""
            if not key:
                if blank_code is not None:
                    lookups.append((column.name, value if value is not None else "", blank_code))
                    counts["values_mapped"] += rows
                continue
            match = entries.get(key)
            if match is None and column.open_codes:
                counts["values_kept_as_written"] += rows  # free text outside the code set (not UASC)
                result.unmapped.append((column.name, value.strip(), rows))
            elif match is None:
                counts["values_unmapped"] += rows
                result.unmapped.append((column.name, value.strip(), rows))
            elif match[1] == "description":
                counts["values_mapped"] += rows
                lookups.append((column.name, value, match[0]))
            elif value != match[0]:
                counts["values_normalised"] += rows
                lookups.append((column.name, value, match[0]))
        result.report += [(column.name, kind, rows) for kind, rows in sorted(counts.items())]
    return pa.table(
        {
            "column_name": pa.array([r[0] for r in lookups], pa.string()),
            "value": pa.array([r[1] for r in lookups], pa.string()),
            "code": pa.array([r[2] for r in lookups], pa.string()),
        }
    )


# --- loading one table ----------------------------------------------------------------------
def load_table(
    con: duckdb.DuckDBPyConnection,
    folder: Path,
    table_name: str,
    extract_id: str,
    value_map: ValueMap,
    listed_rows: dict[str, int] | None = None,
) -> LoadResult:
    """Load one table of the extract into raw.<table>. ``listed_rows`` (file name -> data rows,
    from the manifest's `files`) are checked: a file cut at a line boundary reads cleanly otherwise.

    A file whose load would write exactly what raw.<table> already holds (the same fingerprint:
    see load_fingerprint) is not read again: the table is kept and stamped with this extract."""
    spec = raw_contract().tables[table_name]
    path = find_table_file(folder, table_name)
    if path is None:
        if spec.required:
            raise ExtractError(
                f"required table {table_name} is missing (expected {table_name}.csv or {table_name}.parquet)",
                file=Path(folder) / f"{table_name}.csv",
            )
        create_empty_table(con, spec, extract_id)
        result = LoadResult(table_name, False, 0, None)
        _log(con, extract_id, result)
        return result
    listed = listed_rows.get(path.name) if listed_rows is not None else None
    # hashed here, not taken from the manifest: the file as it is now (0.9 s for 1.3 GB nationally)
    fingerprint = load_fingerprint(spec, path, sha256_of(path), listed, value_map)
    carried = _carry_forward(con, spec, path, fingerprint, extract_id)
    if carried is not None:
        return carried
    fmt = path.suffix.lstrip(".")
    if fmt == "csv":
        names, skipped = _read_csv(con, path)
        row = "s.rowid"
    else:
        (names, row), skipped = _read_parquet(con, path), 0
    try:
        with _reading_parquet(path, fmt):
            result = _store(con, spec, path, fmt, names, skipped, row, extract_id, value_map)
    finally:
        _drop_source(con)
    result.rows = con.execute(f"select count(*) from {RAW_SCHEMA}.{table_name}").fetchone()[0]
    if listed is not None and result.rows + skipped != listed:
        raise ExtractError(
            f"{result.rows + skipped:,} data rows where the manifest lists {listed:,}: the file is incomplete",
            file=path,
        )
    result.fingerprint = fingerprint
    _log(con, extract_id, result)
    return result


# --- a file unchanged since its table was loaded ----------------------------------------------
# the code that decides what a load writes: a change to any of it reloads every table
_LOADING_CODE = ("extract/loader.py", "extract/reader.py", "extract/value_maps.py", "contracts.py")


@cache
def _loading_code_digest() -> str:
    digest = hashlib.sha256(duckdb.__version__.encode())
    for name in _LOADING_CODE:
        digest.update((Path(__file__).resolve().parent.parent / name).read_bytes())
    return digest.hexdigest()


def load_fingerprint(spec: Table, path: Path, sha256: str, listed_rows: int | None, value_map: ValueMap) -> str:
    """What a table's load is a function of: the file's name and bytes, the row count the manifest
    lists (checked against the file), the table's contract, the value maps and the code that loads
    (DuckDB's version included). Two loads with the same fingerprint write the same rows."""
    parts = (
        path.name,
        sha256,
        repr(listed_rows),
        repr(spec),
        repr(sorted(value_map.entries.items())),
        repr(sorted(value_map.blank.items())),
        _loading_code_digest(),
    )
    return hashlib.sha256("\0".join(parts).encode()).hexdigest()


def _carry_forward(
    con: duckdb.DuckDBPyConnection, spec: Table, path: Path, fingerprint: str, extract_id: str
) -> LoadResult | None:
    """raw.<table> kept for this extract when its last load had this fingerprint and the table
    still holds exactly the rows that load wrote; else None (the file is read). Nationally 25 of
    a night's 30 files are byte for byte the night before's: reading them again cost about 80 s."""
    last = con.execute(
        f"select extract_id, row_count, ignored_columns, load_fingerprint from {RAW_SCHEMA}._extract_log "
        "where table_name = ? order by loaded_at desc limit 1",
        [spec.name],
    ).fetchone()
    if last is None or last[3] != fingerprint:
        return None
    previous, rows, ignored, _ = last
    exists = con.execute(
        "select count(*) from information_schema.tables where table_schema = ? and table_name = ?",
        [RAW_SCHEMA, spec.name],
    ).fetchone()[0]
    # every row stamped with that load's extract: a load cut short after writing the table (its
    # rows stamped with another extract, no log row) is never taken for it
    if not exists or con.execute(
        f"select count(*), count(*) filter (where _extract_id = ?) from {RAW_SCHEMA}.{spec.name}", [previous]
    ).fetchone() != (rows, rows):
        return None
    report = con.execute(
        f"select column_name, kind, rows from {RAW_SCHEMA}._load_report where extract_id = ? and table_name = ? "
        "order by column_name, kind",
        [previous, spec.name],
    ).fetchall()
    if any(kind == "derived_from_parent" for _, kind, _ in report):
        return None  # filled from parent rows after the load, and the parents may have changed
    unmapped = con.execute(
        f"select column_name, value, rows from {RAW_SCHEMA}._unmapped_values where extract_id = ? and table_name = ? "
        "order by column_name, value",
        [previous, spec.name],
    ).fetchall()
    result = LoadResult(
        spec.name,
        True,
        rows,
        str(path),
        ignored.split(",") if ignored else [],
        [column for column, kind, _ in report if kind == "column_absent"],
        report,
        unmapped,
        fingerprint,
        previous,
    )
    con.begin()
    try:
        con.execute(f"update {RAW_SCHEMA}.{spec.name} set _extract_id = ? where _extract_id <> ?", [extract_id] * 2)
        _log(con, extract_id, result)
        con.commit()
    except BaseException:
        con.rollback()
        raise
    return result


def _store(
    con: duckdb.DuckDBPyConnection,
    spec: Table,
    path: Path,
    fmt: str,
    names: list[str],
    skipped: int,
    row: str,
    extract_id: str,
    value_map: ValueMap,
) -> LoadResult:
    """Type the file's columns, refuse the first bad cell, and write raw.<table> from _source in
    the file's order; ``row`` is the expression of a row's place in the file (from 0)."""
    located = locate_columns(spec, names, path, row=1 if fmt == "csv" else None)
    source_types = {}
    if fmt == "parquet":
        source_types = dict(con.execute("select column_name, column_type from (describe _source)").fetchall())
    result = LoadResult(
        spec.name,
        True,
        0,
        str(path),
        ignored_columns(spec, names, located),
        [s.column.name for s in located if s.position is None],
    )
    lookups = _classify(con, spec, located, fmt, value_map, result)
    joined = set(lookups.column("column_name").to_pylist())
    expressions, checks, placeholders = [], [], []
    for source in located:
        expression, column_checks, placeholder = _typed(source, fmt, source_types, joined)
        expressions.append(f"{expression} as {source.column.name}")
        checks += column_checks
        if placeholder:
            placeholders.append((source.column.name, placeholder))
    _first_problem(con, checks, path, fmt, skipped, row)
    if placeholders:
        counted = con.execute(
            "select "
            + ", ".join(f"count(*) filter (where {condition})" for _, condition in placeholders)
            + " from _source as s"
        ).fetchone()
        result.report += [
            (name, "placeholder_dates_nulled", rows)
            for (name, _), rows in zip(placeholders, counted, strict=True)
            if rows
        ]
    con.register("_value_lookup", lookups)
    joins = "\n".join(
        f"left join _value_lookup as lookup_{name} on lookup_{name}.column_name = '{name}' "
        f"and lookup_{name}.value is not distinct from coalesce(cast({_source_expression(source, fmt)} as varchar), '')"
        for source in located
        for name in [source.column.name]
        if name in joined
    )
    # stored in the file's order (the gate reads it in ranges of row numbers): a projection keeps
    # it (DuckDB preserves insertion order), a join to the value lookups does not. Sorting when
    # nothing is joined cost 14 s of 44 s for the national extract's 55 M CIN visits, so only
    # where the file's row groups would leave many of DuckDB's part-filled.
    sort = joins or (fmt == "parquet" and _leaves_part_filled_row_groups(con, path))
    order = f"order by {row}" if sort else ""
    try:
        con.execute(
            f"""create or replace table {RAW_SCHEMA}.{spec.name} as
                select {", ".join(expressions)}, {row} + {1 + skipped} as {ROW},
                       {_sql_text(extract_id)} as _extract_id
                from _source as s
                {joins}
                {order}"""
        )
    finally:
        con.unregister("_value_lookup")
    result.report += [(name, "column_absent", 0) for name in result.absent_columns]
    result.report += [
        (source.column.name, "column_read_from_alias", 0)
        for source in located
        if source.name_in_file and source.name_in_file != source.column.name
    ]
    return result


def _leaves_part_filled_row_groups(con: duckdb.DuckDBPyConnection, path: Path) -> bool:
    """Whether the Parquet file's row groups hold between one and three of DuckDB's. Copied as they
    come, each becomes one or two whole DuckDB row groups and a part-filled remainder, and the
    checkpoints after it (every connection's close) merge the remainders a few at a time,
    rewriting their neighbours. Measured nationally: 55 M CIN visits written by Polars in groups
    of 130 k rows cost 3.6-4.4 s on every later close, and never stopped within a load; sorted by
    row into whole row groups, about 6 s more to write (35 -> 41 s). Written a council to a row
    group, the full extract's CIC visits, involvements and persons cost 5-8 s of closes each, and
    0.1-1.9 s more sorted. Smaller groups are merged as they are written; in larger ones the
    remainders lie too far apart to merge."""
    groups, largest = con.execute(  # the largest: a writer's group size, the last holds what is left
        f"select count(distinct row_group_id), max(row_group_num_rows) from parquet_metadata({_sql_text(str(path))})"
    ).fetchone()
    return groups > 1 and DUCKDB_ROW_GROUP_ROWS < largest < 3 * DUCKDB_ROW_GROUP_ROWS


def create_empty_table(con, spec: Table, extract_id: str) -> None:
    columns = ", ".join(f"cast(null as {c.column_type.sql}) as {c.name}" for c in spec.columns)
    con.execute(
        f"create or replace table {RAW_SCHEMA}.{spec.name} as select {columns}, "
        f"cast(null as bigint) as {ROW}, {_sql_text(extract_id)} as _extract_id where false"
    )


def _log(con, extract_id: str, result: LoadResult) -> None:
    con.execute(
        f"delete from {RAW_SCHEMA}._extract_log where extract_id = ? and table_name = ?", [extract_id, result.name]
    )
    con.execute(
        f"insert into {RAW_SCHEMA}._extract_log (extract_id, table_name, present, row_count, source_file, "
        "ignored_columns, loaded_at, load_fingerprint, carried_from) values (?, ?, ?, ?, ?, ?, ?, ?, ?)",
        [
            extract_id,
            result.name,
            result.present,
            result.rows,
            result.source_file,
            ",".join(result.ignored_columns),
            datetime.now(),
            result.fingerprint,
            result.carried_from,
        ],
    )
    con.execute(
        f"delete from {RAW_SCHEMA}._load_report where extract_id = ? and table_name = ?", [extract_id, result.name]
    )
    if result.report:
        con.executemany(
            f"insert into {RAW_SCHEMA}._load_report values (?, ?, ?, ?, ?)",
            [(extract_id, result.name, column, kind, rows) for column, kind, rows in result.report],
        )
    con.execute(
        f"delete from {RAW_SCHEMA}._unmapped_values where extract_id = ? and table_name = ?", [extract_id, result.name]
    )
    if result.unmapped:
        con.executemany(
            f"insert into {RAW_SCHEMA}._unmapped_values values (?, ?, ?, ?, ?)",
            [(extract_id, result.name, column, value, rows) for column, value, rows in result.unmapped],
        )


# --- after every table is loaded: keys a script left out ------------------------------------
def derive_columns(con: duckdb.DuckDBPyConnection, extract_id: str) -> list[tuple[str, str, int]]:
    """Fill each derivable column the file lacked from the parent row it points to
    (raw-extract.md item 6: Mosaic's placements without clap_person_id). Returns (table, column, rows)."""
    absent = {
        (table, column)
        for table, column in con.execute(
            f"select table_name, column_name from {RAW_SCHEMA}._load_report "
            "where extract_id = ? and kind = 'column_absent'",
            [extract_id],
        ).fetchall()
    }
    derived = []
    for table in raw_contract().tables.values():
        for column in table.columns:
            rule = column.derived_from
            if rule is None or (table.name, column.name) not in absent:
                continue
            con.execute(
                f"""update {RAW_SCHEMA}.{table.name} as child set {column.name} = parent.{rule.parent_value}
                    from (select {rule.parent_key}, any_value({rule.parent_value}) as {rule.parent_value}
                          from {RAW_SCHEMA}.{rule.parent_table} group by {rule.parent_key}) as parent
                    where parent.{rule.parent_key} = child.{rule.column}"""
            )
            rows = con.execute(
                f"select count(*) from {RAW_SCHEMA}.{table.name} where {column.name} is not null"
            ).fetchone()[0]
            con.execute(
                f"insert into {RAW_SCHEMA}._load_report values (?, ?, ?, 'derived_from_parent', ?)",
                [extract_id, table.name, column.name, rows],
            )
            derived.append((table.name, column.name, rows))
    return derived


# --- the manifest, the tables present and the reference tables ------------------------------
def load_manifest(con: duckdb.DuckDBPyConnection, manifest: Manifest, tables_present: dict[str, bool]) -> None:
    replace_table(
        con,
        "extract_manifest",
        pa.Table.from_pylist(
            [{**manifest.as_row(), "files_listed": manifest.files is not None}],
            schema=pa.schema(
                [
                    ("extract_id", pa.string()),
                    ("la_code", pa.string()),
                    ("extracted_at", pa.timestamp("us")),
                    ("period_end", pa.date32()),
                    ("period_start", pa.date32()),
                    ("ssd_version", pa.string()),
                    ("files_listed", pa.bool_()),
                ]
            ),
        ),
    )
    replace_table(
        con, "extract_tables", pa.table({"table_name": list(tables_present), "present": list(tables_present.values())})
    )


def record_columns_present(con: duckdb.DuckDBPyConnection, extract_id: str) -> None:
    """raw.extract_columns: which contract columns the extract's files hold, for the measures
    that need extension columns."""
    con.register("_contract_columns", contract_columns_table())
    con.execute(
        f"""create or replace table {RAW_SCHEMA}.extract_columns as
            select tables.table_name, columns.column_name,
                   not exists (select 1 from {RAW_SCHEMA}._load_report as report
                               where report.extract_id = ? and report.table_name = tables.table_name
                                 and report.column_name = columns.column_name and report.kind = 'column_absent')
                   and tables.present as present
            from {RAW_SCHEMA}.extract_tables as tables
            join _contract_columns as columns on columns.table_name = tables.table_name""",
        [extract_id],
    )
    con.unregister("_contract_columns")


def contract_columns_table() -> pa.Table:
    pairs = [(t.name, c.name) for t in raw_contract().tables.values() for c in t.columns]
    return pa.table({"table_name": [p[0] for p in pairs], "column_name": [p[1] for p in pairs]})


def bank_holidays_table(first_year: int = BANK_HOLIDAY_YEARS[0], last_year: int = BANK_HOLIDAY_YEARS[1]) -> pa.Table:
    """England and Wales bank holidays, from the maintained ``holidays`` package."""
    calendar = holidays.country_holidays("GB", subdiv="ENG", years=range(first_year, last_year + 1))
    days = sorted(calendar.items())
    return pa.table(
        {
            "holiday_date": pa.array([d for d, _ in days], pa.date32()),
            "holiday_name": pa.array([n for _, n in days], pa.string()),
        }
    )


def load_bank_holidays(con: duckdb.DuckDBPyConnection) -> int:
    table = bank_holidays_table()
    replace_table(con, "bank_holidays", table)
    return table.num_rows


def load_allocation_types(con: duckdb.DuckDBPyConnection, codes: tuple[str, ...]) -> int:
    """The involvement types that are allocations (configuration), as a reference table."""
    replace_table(
        con, "allocation_involvement_types", pa.table({"involvement_type": pa.array(list(codes), pa.string())})
    )
    return len(codes)


def load_disclosure_policy(con: duckdb.DuckDBPyConnection, policy) -> None:
    """The disclosure policy (configuration `disclosure`), one row, for dbt's models/shareable."""
    replace_table(
        con,
        "disclosure_policy",
        pa.table(
            {
                "threshold": pa.array([policy.threshold], pa.int32()),
                "rounding_base": pa.array([policy.rounding_base], pa.int32()),
                "suppress_zeros": pa.array([policy.suppress_zeros], pa.bool_()),
            }
        ),
    )


def read_table(folder: Path, table_name: str, value_map: ValueMap | None = None) -> pa.Table:
    """One table of an extract, typed as the load types it (for tests and tools; no warehouse)."""
    from .value_maps import load_value_map

    con = duckdb.connect()
    try:
        con.execute(f"create schema {RAW_SCHEMA}")
        for ddl in (
            "_extract_log (extract_id varchar, table_name varchar, present boolean, row_count bigint, "
            "source_file varchar, ignored_columns varchar, loaded_at timestamp, load_fingerprint varchar, "
            "carried_from varchar)",
            "_load_report (extract_id varchar, table_name varchar, column_name varchar, kind varchar, rows bigint)",
            "_unmapped_values (extract_id varchar, table_name varchar, column_name varchar, value varchar, "
            "rows bigint)",
        ):
            con.execute(f"create table {RAW_SCHEMA}.{ddl}")
        load_table(con, Path(folder), table_name, "read", value_map or load_value_map())
        columns = ", ".join(raw_contract().tables[table_name].column_names)
        return con.execute(f"select {columns} from {RAW_SCHEMA}.{table_name} order by {ROW}").fetch_arrow_table()
    finally:
        con.close()
