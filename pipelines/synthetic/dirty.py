"""Inject a known set of row-level defects into a generated extract (`cscw generate --dirty`).

Each defect breaks exactly one rule of `pipelines/quality/rules.py`; the manifest records which
rule each injected row breaks (`injected_defects`: rule id -> data row numbers), so a test can
check that the gate finds every one of them and nothing else.
"""

from __future__ import annotations

import json
from datetime import date, timedelta
from pathlib import Path

import polars as pl

from ..extract.arrival import seal

DEFECTS_PER_KIND = 5


def _read(folder: Path, table: str) -> pl.DataFrame:
    return pl.read_csv(folder / f"{table}.csv", infer_schema=False)


def _write(folder: Path, table: str, frame: pl.DataFrame) -> None:
    frame.write_csv(folder / f"{table}.csv", null_value="")


def _set(frame: pl.DataFrame, rows: list[int], column: str, value) -> pl.DataFrame:
    """Set column to value on the given 0-based rows."""
    mask = pl.Series(range(frame.height)).is_in(rows)
    return frame.with_columns(pl.when(mask).then(pl.lit(value, pl.Utf8)).otherwise(pl.col(column)).alias(column))


def _spread(n_rows: int, k: int, offset: int) -> list[int]:
    step = max(n_rows // (k + 1), 1)
    return [min(offset + step * (i + 1), n_rows - 1) for i in range(k)]


def inject_defects(folder: Path, k: int = DEFECTS_PER_KIND) -> dict[str, list[int]]:
    folder = Path(folder)
    manifest = json.loads((folder / "manifest.json").read_text())
    extracted = date.fromisoformat(manifest["extracted_at"][:10])
    found: dict[str, list[int]] = {}

    # duplicated primary keys: copies of existing referrals appended at the end
    refs = _read(folder, "ssd_cin_episodes")
    copies = refs[_spread(refs.height, k, 0)]
    _write(folder, "ssd_cin_episodes", pl.concat([refs, copies]))
    found["ssd_cin_episodes.primary_key.unique"] = [refs.height + i + 1 for i in range(k)]

    # plans of children outside the person cohort: left out of the measures and counted, never blocking
    plans = _read(folder, "ssd_cp_plans")
    rows = _spread(plans.height, k, 1)
    _write(folder, "ssd_cp_plans", _set(plans, rows, "cppl_person_id", "999999999"))
    found["ssd_cp_plans.cppl_person_id.in_person_cohort"] = [r + 1 for r in rows]

    # codes outside the code set
    placements = _read(folder, "ssd_cla_placement")
    rows = _spread(placements.height, k, 2)
    _write(folder, "ssd_cla_placement", _set(placements, rows, "clap_cla_placement_type", "ZZ"))
    found["ssd_cla_placement.clap_cla_placement_type.in_code_set"] = [r + 1 for r in rows]

    # an end before its start
    cin = _read(folder, "ssd_cin_plans")
    rows = _spread(cin.height, k * 3, 3)[:k]
    starts = cin.get_column("cinp_cin_plan_start_date")
    for r in rows:
        cin = _set(cin, [r], "cinp_cin_plan_end_date", (date.fromisoformat(starts[r]) - timedelta(days=10)).isoformat())
    _write(folder, "ssd_cin_plans", cin)
    found["ssd_cin_plans.cinp_cin_plan_end_date.not_before_cinp_cin_plan_start_date"] = [r + 1 for r in rows]

    # events dated after the extract was taken (the decision date goes too, so only one rule breaks)
    contacts = _read(folder, "ssd_contacts")
    rows = _spread(contacts.height, k, 4)
    contacts = _set(contacts, rows, "cont_contact_date", (extracted + timedelta(days=30)).isoformat())
    _write(folder, "ssd_contacts", _set(contacts, rows, "cont_decision_date", None))
    found["ssd_contacts.cont_contact_date.not_after_extract"] = [r + 1 for r in rows]

    # care events before the child was born
    health = _read(folder, "ssd_cla_health")
    people = _read(folder, "ssd_person").select("pers_person_id", "pers_dob")
    dob = dict(
        zip(people.get_column("pers_person_id").to_list(), people.get_column("pers_dob").to_list(), strict=False)
    )
    rows = _spread(health.height, k, 5)
    for r in rows:
        born = date.fromisoformat(dob[health.get_column("clah_person_id")[r]])
        health = _set(health, [r], "clah_health_check_date", (born - timedelta(days=30)).isoformat())
    _write(folder, "ssd_cla_health", health)
    found["ssd_cla_health.clah_health_check_date.not_before_birth"] = [r + 1 for r in rows]

    # a required value missing
    legal = _read(folder, "ssd_legal_status")
    rows = _spread(legal.height, k, 6)
    _write(folder, "ssd_legal_status", _set(legal, rows, "lega_legal_status", None))
    found["ssd_legal_status.lega_legal_status.not_null"] = [r + 1 for r in rows]

    manifest["injected_defects"] = found
    (folder / "manifest.json").write_text(json.dumps(manifest, indent=2) + "\n")
    seal(folder)  # the defects are part of the extract as delivered
    return found
