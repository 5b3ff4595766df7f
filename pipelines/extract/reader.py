"""An extract folder: its manifest, and which file holds each table with which columns.

A problem with the input raises ``ExtractError`` naming the file, row and column and the rule
broken, never the value or the line: errors end up in logs and in Dagster's event log, and the
extract is special-category personal data.
"""

from __future__ import annotations

import csv
import io
import json
from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path

from ..contracts import Column, Table

MANIFEST_FIELDS = ("extract_id", "la_code", "extracted_at", "period_end")
UTF8_BOM = b"\xef\xbb\xbf"
HEADER_BYTES = 1 << 20  # a header row longer than this is not one
# the longest data line read (DuckDB's CSV buffers are sized from it: 16x per thread)
MAX_LINE_BYTES = 2_000_000


class ExtractError(ValueError):
    """A problem with the input extract; the message names file, row and column, never a value."""

    def __init__(
        self, message: str, *, file: str | Path | None = None, row: int | None = None, column: str | None = None
    ):
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
        self.file, self.row, self.column = (str(file) if file else None), row, column


@dataclass(frozen=True)
class ListedFile:
    """A table file as the manifest lists it: what a complete copy holds."""

    rows: int
    bytes: int
    sha256: str


@dataclass(frozen=True)
class Manifest:
    extract_id: str
    la_code: str
    extracted_at: datetime
    period_end: date
    ssd_version: str | None = None
    period_start: date | None = None
    files: dict[str, ListedFile] | None = None  # None: the manifest lists no files (accepted, with a warning)

    def as_row(self) -> dict:
        return {
            "extract_id": self.extract_id,
            "la_code": self.la_code,
            "extracted_at": self.extracted_at,
            "period_end": self.period_end,
            "period_start": self.period_start,
            "ssd_version": self.ssd_version,
        }


def read_manifest(folder: Path) -> Manifest:
    path = Path(folder) / "manifest.json"
    if not path.is_file():
        raise ExtractError("manifest.json is missing from the extract folder", file=path)
    try:
        doc = json.loads(path.read_text(encoding="utf-8-sig"))
    except (UnicodeDecodeError, json.JSONDecodeError) as exc:
        line = getattr(exc, "lineno", None)
        raise ExtractError("not valid JSON", file=path, row=line) from None
    if not isinstance(doc, dict):
        raise ExtractError("a manifest is a JSON object", file=path)
    missing = [f for f in MANIFEST_FIELDS if not doc.get(f)]
    if missing:
        raise ExtractError(f"manifest lacks {', '.join(missing)}", file=path)
    try:
        extracted_at = datetime.fromisoformat(str(doc["extracted_at"]))
        period_end = date.fromisoformat(str(doc["period_end"]))
        period_start = date.fromisoformat(str(doc["period_start"])) if doc.get("period_start") else None
    except ValueError:
        raise ExtractError("extracted_at, period_end and period_start are ISO dates (YYYY-MM-DD)", file=path) from None
    return Manifest(
        str(doc["extract_id"]),
        str(doc["la_code"]),
        extracted_at,
        period_end,
        str(doc["ssd_version"]) if doc.get("ssd_version") else None,
        period_start,
        _listed_files(doc.get("files"), path),
    )


def _listed_files(files, path: Path) -> dict[str, ListedFile] | None:
    if files is None:
        return None
    if not isinstance(files, dict):
        raise ExtractError("files is an object: file name -> {rows, bytes, sha256}", file=path)
    listed = {}
    for name, entry in files.items():
        try:
            rows, size, digest = int(entry["rows"]), int(entry["bytes"]), str(entry["sha256"]).lower()
        except (TypeError, KeyError, ValueError):
            raise ExtractError(f"files.{name} needs rows, bytes and sha256", file=path) from None
        if "/" in name or "\\" in name or name.startswith("."):
            raise ExtractError(f"files.{name} is not a file name in the extract folder", file=path)
        if len(digest) != 64 or any(c not in "0123456789abcdef" for c in digest):
            raise ExtractError(f"files.{name}.sha256 is not a SHA-256 in hex", file=path)
        listed[name] = ListedFile(rows, size, digest)
    return listed


def find_table_file(folder: Path, table: str) -> Path | None:
    for extension in ("parquet", "csv"):
        path = Path(folder) / f"{table}.{extension}"
        if path.is_file():
            return path
    return None


def csv_header(path: Path) -> list[str]:
    """The header row's names, stripped of spaces and quotes; refuses an empty file, a file that is
    not UTF-8 and a name given twice."""
    with path.open("rb") as fh:
        head = fh.read(HEADER_BYTES)
    if head.startswith(UTF8_BOM):
        head = head[len(UTF8_BOM) :]
    if not head.strip():
        raise ExtractError("the file is empty (no header row)", file=path, row=1)
    first_line = head.split(b"\n", 1)[0].rstrip(b"\r")
    try:
        text = first_line.decode("utf-8")
    except UnicodeDecodeError:
        raise ExtractError("not UTF-8 text", file=path, row=1) from None
    names = [name.strip() for name in next(csv.reader(io.StringIO(text)))]
    repeated = sorted({name for name in names if names.count(name) > 1})
    if repeated:
        raise ExtractError(f"the header names {', '.join(repeated)} more than once", file=path, row=1)
    return names


@dataclass(frozen=True)
class ColumnSource:
    """Where the file holds a contract column: its position, and the name it goes by there."""

    column: Column
    position: int | None  # None: absent from the file
    name_in_file: str | None


def locate_columns(table: Table, names_in_file: list[str], path: Path, *, row: int | None) -> list[ColumnSource]:
    """Each contract column's place in the file (by name, else by alias); refuses a file lacking a
    column that must be there."""
    positions = {name: i for i, name in enumerate(names_in_file)}
    located = []
    for column in table.columns:
        for name in (column.name, *column.aliases):
            if name in positions:
                located.append(ColumnSource(column, positions[name], name))
                break
        else:
            if not column.may_be_absent:
                raise ExtractError(f"required column {column.name} is missing", file=path, row=row, column=column.name)
            located.append(ColumnSource(column, None, None))
    return located


def ignored_columns(table: Table, names_in_file: list[str], located: list[ColumnSource]) -> list[str]:
    """Columns of the file this contract does not load (names only, reported; never their values)."""
    used = {source.name_in_file for source in located if source.name_in_file}
    return sorted(name for name in names_in_file if name not in used)
