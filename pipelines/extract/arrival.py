"""Which extract folders have arrived complete, and which one a run loads.

A council's export script (or `cscw generate`) writes the table files first and `manifest.json`
last. The manifest seals the extract: it lists each file with its row count, size and SHA-256
(`files`), so a folder still being copied, a file cut short at a line boundary or a file
swapped afterwards is never taken for an extract. A manifest without `files` is accepted with a
warning in the data-quality report, once no file in the folder has changed for a while.

Folders whose names start with `.` or `_` (`.incoming/`, `_archive/`) are never extracts.
"""

from __future__ import annotations

import hashlib
import json
import time
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path

import duckdb

from ..contracts import raw_contract
from .reader import MAX_LINE_BYTES, ExtractError, Manifest, csv_header, read_manifest

# a folder whose manifest lists no files is complete once nothing in it changed for this long
UNSEALED_SETTLE_SECONDS = 300
HASH_CHUNK = 1 << 20


@dataclass(frozen=True)
class Arrival:
    """An extract folder as the sensor sees it: complete or not, and why not."""

    folder: Path
    manifest: Manifest | None
    complete: bool
    reason: str = ""

    @property
    def key(self) -> str:
        """What identifies this arrival for the sensor's cursor and run keys: folder and extract id."""
        return f"{self.folder.name}:{self.manifest.extract_id if self.manifest else ''}"


def is_extract_folder(path: Path) -> bool:
    return path.is_dir() and not path.name.startswith((".", "_")) and (path / "manifest.json").is_file()


def sha256_of(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        while chunk := handle.read(HASH_CHUNK):
            digest.update(chunk)
    return digest.hexdigest()


def count_rows(path: Path) -> int:
    """Data rows after the header (CSV, quoted line breaks allowed) or rows (Parquet). A file
    that does not parse is counted by its line ends: the load will say what is wrong with it."""
    con = duckdb.connect()
    try:
        if path.suffix == ".parquet":
            return con.execute("select count(*) from read_parquet(?)", [str(path)]).fetchone()[0]
        columns = ", ".join(f"'c{i}': 'VARCHAR'" for i in range(len(csv_header(path))))
        return con.execute(
            f"select count(*) from read_csv(?, header = true, auto_detect = false, delim = ',', quote = '\"', "
            f"escape = '\"', columns = {{{columns}}}, strict_mode = false, null_padding = true, "
            f"max_line_size = {MAX_LINE_BYTES})",
            [str(path)],
        ).fetchone()[0]
    except (duckdb.Error, ExtractError):
        with path.open("rb") as handle:
            return max(sum(chunk.count(b"\n") for chunk in iter(lambda: handle.read(HASH_CHUNK), b"")) - 1, 0)
    finally:
        con.close()


def table_files(folder: Path) -> list[Path]:
    """The files of the folder that hold a contract table."""
    names = {f"{t}.{ext}" for t in raw_contract().tables for ext in ("csv", "parquet")}
    return sorted(p for p in Path(folder).iterdir() if p.is_file() and p.name in names)


def seal(folder: Path, rows: dict[str, int] | None = None) -> dict:
    """Write the `files` listing into the folder's manifest (row count, bytes, SHA-256 of every
    table file). ``rows`` gives counts already known, by table name; the rest are counted.
    What an export script does last; `cscw seal` for a folder written by other means."""
    folder = Path(folder)
    path = folder / "manifest.json"
    doc = json.loads(path.read_text(encoding="utf-8-sig"))
    files = table_files(folder)
    with ThreadPoolExecutor(max_workers=4) as pool:  # hashlib releases the GIL
        digests = dict(zip(files, pool.map(sha256_of, files), strict=True))
    doc["files"] = {
        p.name: {
            "rows": rows[p.stem] if rows and p.stem in rows else count_rows(p),
            "bytes": p.stat().st_size,
            "sha256": digests[p],
        }
        for p in files
    }
    path.write_text(json.dumps(doc, indent=2) + "\n", encoding="utf-8")
    return doc


def verify(folder: Path, manifest: Manifest) -> list[str]:
    """Check every table file against the manifest's listing (bytes and SHA-256; rows are checked
    as each table loads). Raises ExtractError naming the file; returns warnings."""
    folder = Path(folder)
    if manifest.files is None:
        return ["the manifest lists no files (rows, bytes, sha256): the extract cannot be checked for completeness"]
    present = {p.name: p for p in table_files(folder)}
    unlisted = sorted(set(present) - set(manifest.files))
    if unlisted:
        raise ExtractError(
            f"{', '.join(unlisted)} in the folder but not in the manifest's files: the folder mixes extracts",
            file=folder / "manifest.json",
        )
    for name, listed in manifest.files.items():
        path = folder / name
        if not path.is_file():
            raise ExtractError("listed in the manifest but missing: the copy is incomplete", file=path)
        if path.stat().st_size != listed.bytes:
            raise ExtractError(
                f"{path.stat().st_size:,} bytes where the manifest lists {listed.bytes:,}: "
                "the copy is incomplete or the file changed after the manifest was written",
                file=path,
            )
    with ThreadPoolExecutor(max_workers=4) as pool:
        names = list(manifest.files)
        for name, digest in zip(names, pool.map(lambda n: sha256_of(folder / n), names), strict=True):
            if digest != manifest.files[name].sha256:
                raise ExtractError(
                    "its SHA-256 differs from the manifest's: the file changed after the manifest was written",
                    file=folder / name,
                )
    return []


def arrival(folder: Path, now: float | None = None) -> Arrival:
    """Whether a folder holds a complete extract, judged cheaply (sizes, not hashes): for the sensor."""
    folder = Path(folder)
    try:
        manifest = read_manifest(folder)
    except ExtractError as exc:
        return Arrival(folder, None, False, str(exc))
    if manifest.files is not None:
        for name, listed in manifest.files.items():
            path = folder / name
            if not path.is_file() or path.stat().st_size != listed.bytes:
                return Arrival(folder, manifest, False, f"{name} is not yet complete")
        return Arrival(folder, manifest, True)
    newest = max(p.stat().st_mtime for p in folder.iterdir() if p.is_file())
    if (now or time.time()) - newest < UNSEALED_SETTLE_SECONDS:
        return Arrival(folder, manifest, False, "files changed in the last few minutes and the manifest lists none")
    return Arrival(folder, manifest, True)


def arrivals(extracts_dir: Path) -> list[Arrival]:
    """Every extract folder under the extracts folder, oldest extract first."""
    root = Path(extracts_dir)
    if not root.is_dir():
        return []
    found = [arrival(p) for p in root.iterdir() if is_extract_folder(p)]
    return sorted(found, key=lambda a: _order(a.manifest) + (a.folder.name,))


def _order(manifest: Manifest | None) -> tuple:
    if manifest is None:
        return ("", "", "")
    return (manifest.extracted_at.isoformat(), manifest.period_end.isoformat(), manifest.extract_id)


def newest_complete(extracts_dir: Path) -> Path:
    """The complete extract with the latest extracted_at (not the newest folder on disk: a
    re-copied old extract is still old)."""
    complete = [a for a in arrivals(extracts_dir) if a.complete]
    if not complete:
        raise ExtractError(
            f"no complete extract under {extracts_dir} (a folder with a manifest.json whose listed files are all "
            "there; folders starting with . or _ are ignored)"
        )
    return complete[-1].folder
