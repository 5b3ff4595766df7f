"""Read an extract folder (one CSV or Parquet file per table + manifest.json) into typed tables.

Everything is columnar (Arrow, then Polars expressions); nothing loops over rows in Python.
A problem with the input raises ``ExtractError`` naming the file, row and column, so the
person running the refresh can open the file and find it.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from datetime import date, datetime
from pathlib import Path

import polars as pl
import pyarrow as pa
import pyarrow.csv as pacsv
import pyarrow.parquet as pq

from ..contracts import RawContract, Table, raw_contract

MANIFEST_FIELDS = ("extract_id", "la_code", "extracted_at", "period_end")
UTF8_BOM = b"\xef\xbb\xbf"


class ExtractError(ValueError):
    """A problem with the input extract; the message names file, row and column."""

    def __init__(self, message: str, *, file: str | None = None, row: int | None = None, column: str | None = None):
        where = ", ".join(
            part
            for part in (
                f"file {file}" if file else "",
                f"row {row}" if row is not None else "",
                f"column {column}" if column else "",
            )
            if part
        )
        super().__init__(f"{where}: {message}" if where else message)
        self.file, self.row, self.column = file, row, column


@dataclass(frozen=True)
class Manifest:
    extract_id: str
    la_code: str
    extracted_at: datetime
    period_end: date
    ssd_version: str | None = None
    period_start: date | None = None

    def as_row(self) -> dict:
        return {
            "extract_id": self.extract_id,
            "la_code": self.la_code,
            "extracted_at": self.extracted_at,
            "period_end": self.period_end,
            "period_start": self.period_start,
            "ssd_version": self.ssd_version,
        }


@dataclass
class LoadedTable:
    name: str
    present: bool
    data: pa.Table
    source_file: str | None
    ignored_columns: list[str] = field(default_factory=list)


def read_manifest(folder: Path) -> Manifest:
    path = folder / "manifest.json"
    if not path.is_file():
        raise ExtractError("manifest.json is missing from the extract folder", file=str(path))
    try:
        doc = json.loads(path.read_text(encoding="utf-8-sig"))
    except (UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise ExtractError(f"not valid JSON ({exc})", file=str(path)) from exc
    missing = [f for f in MANIFEST_FIELDS if not doc.get(f)]
    if missing:
        raise ExtractError(f"manifest lacks {', '.join(missing)}", file=str(path))
    try:
        extracted_at = datetime.fromisoformat(str(doc["extracted_at"]))
        period_end = date.fromisoformat(str(doc["period_end"]))
        period_start = date.fromisoformat(str(doc["period_start"])) if doc.get("period_start") else None
    except ValueError as exc:
        raise ExtractError(f"bad date in manifest ({exc})", file=str(path)) from exc
    return Manifest(
        str(doc["extract_id"]), str(doc["la_code"]), extracted_at, period_end, doc.get("ssd_version"), period_start
    )


def find_table_file(folder: Path, table: str) -> Path | None:
    for ext in ("parquet", "csv"):
        p = folder / f"{table}.{ext}"
        if p.is_file():
            return p
    return None


def _read_csv(path: Path, spec: Table) -> pa.Table:
    raw = path.read_bytes()
    if raw.startswith(UTF8_BOM):
        raw = raw[len(UTF8_BOM) :]
    try:
        raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = raw.count(b"\n", 0, exc.start) + 1
        raise ExtractError(
            f"not UTF-8 text (byte {raw[exc.start]:#x} at offset {exc.start})", file=str(path), row=line
        ) from exc
    if not raw.strip():
        raise ExtractError("the file is empty (no header row)", file=str(path))
    header_line = raw.split(b"\n", 1)[0].rstrip(b"\r").decode("utf-8")
    header = [h.strip().strip('"') for h in header_line.split(",")]
    if len(header) < 2 and len(spec.columns) > 1:
        raise ExtractError("not a comma-separated file: the header row has a single column", file=str(path), row=1)
    first_bad: list = []

    def on_invalid(row) -> str:
        first_bad.append(row)
        return "error"

    try:
        table = pacsv.read_csv(
            pa.BufferReader(raw),
            read_options=pacsv.ReadOptions(block_size=1 << 24),
            parse_options=pacsv.ParseOptions(invalid_row_handler=on_invalid),
            convert_options=pacsv.ConvertOptions(
                column_types={h: pa.string() for h in header},
                null_values=[""],
                strings_can_be_null=True,
                quoted_strings_can_be_null=True,
            ),
        )
    except pa.ArrowInvalid as exc:
        if first_bad:
            bad = first_bad[0]
            row = bad.number
            if row is None:  # multithreaded parsing does not count lines: find the row's text
                at = raw.find(bad.text.encode("utf-8"))
                row = raw.count(b"\n", 0, at) + 1 if at >= 0 else None
            raise ExtractError(
                f"expected {bad.expected_columns} fields, found {bad.actual_columns} (a truncated or malformed row)",
                file=str(path),
                row=row,
            ) from exc
        raise ExtractError(f"cannot be read as CSV ({exc})", file=str(path)) from exc
    return table.rename_columns([c.strip() for c in table.column_names])


def _typed(frame: pl.DataFrame, spec: Table, path: Path, date_formats: tuple[str, ...]) -> pl.DataFrame:
    """Cast every contract column to its type; report the first unparsable value."""
    exprs = []
    for c in spec.columns:
        col = pl.col(c.name)
        dtype = frame.schema[c.name]
        if c.type == "date":
            if dtype == pl.Date:
                exprs.append(col)
                continue
            if dtype == pl.Datetime:
                exprs.append(col.cast(pl.Date))
                continue
            s = col.cast(pl.Utf8).str.strip_chars()
            parsed = pl.coalesce([s.str.to_date(f, strict=False) for f in date_formats])
            exprs.append(parsed.alias(c.name))
        elif c.type in ("integer", "decimal"):
            target = pl.Int64 if c.type == "integer" else pl.Float64
            exprs.append(
                col.cast(pl.Utf8).str.strip_chars().cast(target, strict=False).alias(c.name)
                if dtype == pl.Utf8
                else col.cast(target, strict=False)
            )
        elif c.type == "flag":
            exprs.append(col.cast(pl.Utf8).str.strip_chars().str.to_uppercase().alias(c.name))
        else:
            exprs.append(col.cast(pl.Utf8).str.strip_chars().alias(c.name))
    typed = frame.select(exprs)
    # a value present in the file that did not survive the cast is an error
    for c in spec.columns:
        if c.type not in ("date", "integer", "decimal"):
            continue
        src = frame.get_column(c.name)
        bad = src.is_not_null() & typed.get_column(c.name).is_null()
        if src.dtype == pl.Utf8:
            bad = bad & (src.str.strip_chars() != "")
        if bad.any():
            i = int(bad.arg_true()[0])
            expected = {
                "date": "a date (YYYY-MM-DD or DD/MM/YYYY)",
                "integer": "a whole number",
                "decimal": "a number",
            }[c.type]
            raise ExtractError(
                f"value {src[i]!r} is not {expected}",
                file=str(path),
                row=i + 2 if path.suffix == ".csv" else i + 1,
                column=c.name,
            )
    return typed


def read_table(folder: Path, name: str, contract: RawContract | None = None) -> LoadedTable:
    contract = contract or raw_contract()
    spec = contract.tables[name]
    path = find_table_file(folder, name)
    if path is None:
        if spec.required:
            raise ExtractError(
                f"required table {name} is missing (expected {name}.csv or {name}.parquet)",
                file=str(folder / f"{name}.csv"),
            )
        return LoadedTable(name, False, empty_table(spec), None)
    if path.suffix == ".csv":
        table = _read_csv(path, spec)
    else:
        try:
            table = pq.read_table(path)
        except (pa.ArrowInvalid, OSError) as exc:
            raise ExtractError(f"cannot be read as Parquet ({exc})", file=str(path)) from exc
    present = set(table.column_names)
    missing_required = [c.name for c in spec.columns if (c.required or c.key) and c.name not in present]
    if missing_required:
        raise ExtractError(
            f"required column {missing_required[0]} is missing",
            file=str(path),
            row=1 if path.suffix == ".csv" else None,
            column=missing_required[0],
        )
    ignored = sorted(present - set(spec.column_names))
    frame = pl.from_arrow(table.select([c for c in table.column_names if c in spec.column_names]))
    if isinstance(frame, pl.Series):
        frame = frame.to_frame()
    # optional columns absent from the file are loaded as nulls
    frame = frame.with_columns([pl.lit(None, pl.Utf8).alias(c.name) for c in spec.columns if c.name not in present])
    typed = _typed(frame, spec, path, contract.csv_date_formats)
    return LoadedTable(name, True, typed.to_arrow(), str(path), ignored)


def empty_table(spec: Table) -> pa.Table:
    return pa.table({c.name: pa.array([], type=c.column_type.arrow) for c in spec.columns})
