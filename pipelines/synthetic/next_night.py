"""The next night's extract (`cscw generate --next-night FROM --out DIR`).

What a council's export writes the night after FROM: the same children and records, one more
day of contacts, and a few hundred rows corrected in the case system since (a visit recorded as
seen after all, a contact's source or a placement's provider put right). The same FROM always
gives the same folder. It exists to test and benchmark the nightly increment: a run re-checks
only the rows that are new or changed since the last published extract.
"""

from __future__ import annotations

import json
import shutil
from datetime import date, datetime, timedelta
from pathlib import Path

import numpy as np
import polars as pl

from ..extract.arrival import seal
from . import GenerateRefused, fresh_output_folder

# (table, column, how it is corrected): "flip" swaps Y and N, "other" takes another row's value
# (a code the column already holds, so every correction is a valid value)
CORRECTIONS = (
    ("ssd_cin_visits", "cinv_cin_visit_seen", "flip"),
    ("ssd_cp_visits", "cppv_cp_visit_seen", "flip"),
    ("ssd_contacts", "cont_contact_source_code", "other"),
    ("ssd_cin_episodes", "cine_cin_primary_need_code", "other"),
    ("ssd_cla_placement", "clap_cla_placement_provider", "other"),
)
CORRECTED_PER_TABLE = 60  # 300 rows in all: "a few hundred"
NEW_DAY_TABLE, NEW_DAY_ID, NEW_DAY_DATES = (
    "ssd_contacts",
    "cont_contact_id",
    ("cont_contact_date", "cont_decision_date"),
)
CONTACT_DAYS_PER_ROW = 3650  # one new contact for every ten years of contacts the extract holds


def next_night(source: str | Path, out_dir: str | Path) -> dict:
    """Write the night after ``source`` (a generated extract) to ``out_dir``; returns its manifest."""
    source, out = Path(source), Path(out_dir)
    manifest = json.loads((source / "manifest.json").read_text(encoding="utf-8"))
    if "generator" not in manifest:
        raise GenerateRefused(
            f"{source} was not written by cscw generate: --next-night starts from a generated extract"
        )
    fresh_output_folder(out)
    rng = np.random.default_rng(np.random.SeedSequence([int(manifest["generator"].get("seed") or 0), 20_000]))
    new_day = date.fromisoformat(manifest["extracted_at"][:10])  # the day FROM was taken: its events are new
    defects = manifest.get("injected_defects") or {}
    touched = {table for table, _, _ in CORRECTIONS} | {NEW_DAY_TABLE}
    corrected = added = 0
    for path in sorted(source.iterdir()):
        if path.name == "manifest.json" or not path.is_file():
            continue
        if path.stem not in touched:
            shutil.copy2(path, out / path.name)
            continue
        frame = _read(path)
        keep = {row - 1 for rule, rows in defects.items() if rule.startswith(f"{path.stem}.") for row in rows}
        for table, column, how in CORRECTIONS:
            if table == path.stem and column in frame.columns:
                frame, n = _correct(frame, column, how, rng, keep)
                corrected += n
        if path.stem == NEW_DAY_TABLE:
            before = frame.height
            frame = _append_new_day(frame, new_day)
            added = frame.height - before
        _write(frame, out / path.name)
    extracted_at = datetime.fromisoformat(manifest["extracted_at"]) + timedelta(days=1)
    manifest.pop("files", None)
    manifest["generator"] = {**manifest["generator"], "next_night_of": manifest["extract_id"]}
    manifest.update(extract_id=extracted_at.strftime("%Y-%m-%dT%H:%M"), extracted_at=extracted_at.isoformat())
    manifest["next_night"] = {"rows_corrected": corrected, "rows_added": added, "new_day": new_day.isoformat()}
    (out / "manifest.json").write_text(json.dumps(manifest, indent=2) + "\n", encoding="utf-8")
    return seal(out)


def _read(path: Path) -> pl.DataFrame:
    if path.suffix == ".parquet":
        return pl.read_parquet(path)
    return pl.read_csv(path, infer_schema=False)


def _write(frame: pl.DataFrame, path: Path) -> None:
    if path.suffix == ".parquet":
        frame.write_parquet(path)
    else:
        frame.write_csv(path, null_value="")


def _correct(frame: pl.DataFrame, column: str, how: str, rng, keep: set[int]) -> tuple[pl.DataFrame, int]:
    """Change ``column`` on CORRECTED_PER_TABLE rows that hold a value (never an injected defect's row)."""
    values = frame.get_column(column)
    candidates = np.array([i for i in np.flatnonzero(values.is_not_null().to_numpy()) if i not in keep])
    if candidates.size == 0:
        return frame, 0
    rows = np.sort(rng.choice(candidates, size=min(CORRECTED_PER_TABLE, candidates.size), replace=False))
    current = values.to_list()
    if how == "flip":
        for i in rows:
            current[i] = {"Y": "N", "N": "Y"}.get(current[i], current[i])
    else:
        codes = sorted({v for v in current if v is not None})
        for i in rows:
            others = [c for c in codes if c != current[i]]
            if others:
                current[i] = others[int(rng.integers(len(others)))]
    return frame.with_columns(pl.Series(column, current, dtype=values.dtype)), int(rows.size)


def _append_new_day(frame: pl.DataFrame, new_day: date) -> pl.DataFrame:
    """Contacts made on the new day: copies of the latest rows with new ids and the new day's dates."""
    n = max(5, frame.height // CONTACT_DAYS_PER_ROW)
    new = frame.tail(n)
    ids = frame.get_column(NEW_DAY_ID)
    width = len(str(ids[0]))
    first = int(ids.cast(pl.Int64).max()) + 1
    new = new.with_columns(pl.Series(NEW_DAY_ID, [str(first + i).zfill(width) for i in range(n)], dtype=ids.dtype))
    for column in NEW_DAY_DATES:
        dtype = frame.schema[column]
        value = new_day if dtype == pl.Date else new_day.isoformat()
        new = new.with_columns(pl.lit(value, dtype=dtype).alias(column))
    return pl.concat([frame, new])
