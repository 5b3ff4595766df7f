"""Synthetic SSD extract generator: coherent child journeys, calibrated to Kent in March 2016.

``generate()`` writes every table of the raw extract contract plus ``manifest.json``. The
same arguments give byte-identical output. ``scale="national"`` simulates sixty Kent-sized
chunks one after another (bounded memory) and writes Parquet row groups as it goes.
"""

from __future__ import annotations

import json
import shutil
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from pathlib import Path

import numpy as np
import polars as pl
import pyarrow.parquet as pq

from ..contracts import RawContract, raw_contract
from ..extract.arrival import seal
from . import dialects
from . import organisation as org
from .dialects import Dialect
from .journeys import NULL, Params, Simulation

SCALES = {"kent": 1, "national": 60}

# The column whose date places a row in time: rows dated after the extract do not exist yet.
ANCHOR = {
    "ssd_person": "_start",
    "ssd_contacts": "cont_contact_date",
    "ssd_cin_episodes": "cine_referral_date",
    "ssd_cin_assessments": "cina_assessment_start_date",
    "ssd_cin_plans": "cinp_cin_plan_start_date",
    "ssd_cin_visits": "cinv_cin_visit_date",
    "ssd_s47_enquiry": "s47e_s47_start_date",
    "ssd_initial_cp_conference": "icpc_icpc_date",
    "ssd_cp_plans": "cppl_cp_plan_start_date",
    "ssd_cp_visits": "cppv_cp_visit_date",
    "ssd_cp_reviews": "_parent_start",
    "ssd_cla_episodes": "clae_cla_episode_start_date",
    "ssd_cla_placement": "clap_cla_placement_start_date",
    "ssd_legal_status": "lega_legal_status_start_date",
    "ssd_cla_reviews": "_parent_start",
    "ssd_cla_visits": "clav_cla_visit_date",
    "ssd_cla_health": "clah_health_check_date",
    "ssd_permanence": "_start",
    "ssd_care_leavers": "clea_status_date",
    "ssd_involvements": "invo_involvement_start_date",
    "ssd_immigration_status": "immi_immigration_status_start_date",
    "ssd_missing": "miss_missing_episode_start_date",
    "ext_pf_arrangements": "_start",
    "ext_pf_visits": "_parent_start",
    "ext_case_audits": "audi_due_date",
}
# Due dates are kept up to this many days after the extract (a review due next month).
DUE_HORIZON_DAYS = 60
# Values that only exist once the date beside them has happened.
KNOWN_WITH = {
    "cine_close_reason": "cine_close_date",
    "cina_assessment_outcome_nfa": "cina_assessment_auth_date",
    "s47e_s47_nfa": "s47e_s47_end_date",
    "clae_cla_episode_ceased_reason": "clae_cla_episode_ceased_date",
    "clap_cla_placement_change_reason": "clap_cla_placement_end_date",
    "invo_worker_change_reason": "invo_involvement_end_date",
    "clar_cla_review_participation": "clar_cla_review_date",
    "perm_permanence_order_type": "perm_permanence_order_date",
    "cont_decision_date": "cont_contact_date",
}
ID_WIDTH = 9
CHUNK_ID_STRIDE = 100_000_000


@dataclass(frozen=True)
class GenerateResult:
    out_dir: Path
    manifest: dict
    row_counts: dict[str, int]


def _day(d: date) -> int:
    return (d - date(1970, 1, 1)).days


def _month_ends(first: date, last: date) -> np.ndarray:
    months = np.arange(np.datetime64(first, "M"), np.datetime64(last, "M") + 1)
    ends = (months + 1).astype("datetime64[D]") - 1
    return ends.astype(np.int64)


def department_frame() -> pl.DataFrame:
    teams = org.all_teams()
    names = {t.team_id: t.name for t in teams}
    return pl.DataFrame(
        {
            "dept_team_id": [t.team_id for t in teams],
            "dept_team_name": [t.name for t in teams],
            "dept_team_parent_id": [t.parent_id for t in teams],
            "dept_team_parent_name": [names.get(t.parent_id) if t.parent_id else None for t in teams],
            "dept_team_type": [t.team_type for t in teams],
        }
    )


def _to_frame(
    table: str, cols: dict[str, np.ndarray], contract: RawContract, chunk: int, period_end: int
) -> pl.DataFrame:
    """Type the simulated arrays as the contract says, then censor at the extract date."""
    spec = contract.tables[table]
    anchor = ANCHOR.get(table)
    data = {}
    keep = np.ones(len(next(iter(cols.values()))), bool)
    if anchor:
        keep &= cols[anchor] <= period_end
    for due_col in [c.name for c in spec.columns if c.dated == "due" and c.name in cols and table != "ssd_person"]:
        keep &= cols[due_col] <= period_end + DUE_HORIZON_DAYS
    for c in spec.columns:
        v = cols[c.name][keep]
        if c.type == "date":
            v = np.where((v == NULL) | ((v > period_end) & (c.dated == "event")), NULL, v)
            s = pl.Series(c.name, v, dtype=pl.Int64)
            data[c.name] = pl.when(s == NULL).then(None).otherwise(s).cast(pl.Int32).cast(pl.Date)
        elif c.type == "decimal":
            data[c.name] = pl.Series(c.name, v.astype(float), nan_to_null=True)
        elif c.type == "integer":
            data[c.name] = pl.Series(c.name, v.astype(np.int64))
        elif v.dtype.kind in "iu":  # identifiers: zero-padded strings, unique per chunk
            s = pl.Series(c.name, np.where(v < 0, -1, v + chunk * CHUNK_ID_STRIDE))
            data[c.name] = pl.when(s < 0).then(None).otherwise(s.cast(pl.Utf8).str.zfill(ID_WIDTH))
        else:
            s = pl.Series(c.name, v.astype(str))
            data[c.name] = pl.when(s == "").then(None).otherwise(s)
    frame = pl.select(**data) if data else pl.DataFrame()
    frame = frame.select([pl.col(c) for c in spec.column_names])
    known = [
        pl.when(pl.col(date_col).is_null()).then(None).otherwise(pl.col(col)).alias(col)
        for col, date_col in KNOWN_WITH.items()
        if col in frame.columns
    ]
    return frame.with_columns(known) if known else frame


class _Sink:
    """Writes one table: a CSV file appended chunk by chunk, or Parquet row groups; a dialect
    rewrites each chunk the way a system's SSD script would write it."""

    def __init__(self, path: Path, fmt: str, dialect: Dialect | None = None):
        self.path, self.fmt, self.dialect = path, fmt, dialect
        self.writer: pq.ParquetWriter | None = None
        self.rows = 0
        self.started = False

    def write(self, frame: pl.DataFrame) -> None:
        if self.dialect is not None:
            frame = self.dialect.rewrite(self.path.stem, frame)
        self.rows += frame.height
        if self.fmt == "csv":
            with self.path.open("ab" if self.started else "wb") as fh:
                frame.write_csv(
                    fh,
                    include_header=not self.started,
                    include_bom=self.dialect is not None and self.dialect.byte_order_mark and not self.started,
                    date_format=self.dialect.date_format if self.dialect else "%Y-%m-%d",
                    line_terminator=self.dialect.line_terminator if self.dialect else "\n",
                    null_value="",
                )
        else:
            table = frame.to_arrow()
            if self.writer is None:
                self.writer = pq.ParquetWriter(self.path, table.schema, compression="zstd")
            self.writer.write_table(table)
        self.started = True

    def close(self) -> None:
        if self.writer is not None:
            self.writer.close()


def generate(
    out_dir: str | Path,
    *,
    scale: str | None = "kent",
    children: int | None = None,
    years: int = 10,
    end: date = date(2016, 3, 31),
    seed: int = 42,
    fmt: str | None = None,
    la_code: str = org.LA_CODE,
    dialect: str | None = None,
) -> GenerateResult:
    """Generate a synthetic extract folder. ``children`` overrides the scale's child count;
    ``dialect`` (systemc, mosaic) writes it as that system's SSD script would (CSV)."""
    contract = raw_contract()
    out = Path(out_dir)
    fresh_output_folder(out)
    chunks = SCALES[scale or "kent"] if children is None else 1
    fmt = fmt or ("parquet" if chunks > 1 else "csv")
    per_year = org.KENT_CHILDREN_PER_YEAR if children is None else children / years
    period_start = (np.datetime64(end, "M") - (years * 12 - 1)).astype("datetime64[D]").astype(date)
    params = Params(period_start=_day(period_start), period_end=_day(end), children_per_year=per_year)
    month_ends = _month_ends(period_start, end)

    writer = dialects.dialect(dialect) if dialect else None
    if writer is not None:
        fmt = "csv"
    sinks = {t: _Sink(out / f"{t}.{fmt}", fmt, writer) for t in contract.tables}
    team_fte: dict[str, float] = {}
    for chunk in range(chunks):
        rng = np.random.default_rng(np.random.SeedSequence([seed, chunk]))
        sim = Simulation(params, rng)
        tables = sim.run(month_ends)
        for table, cols in tables.items():
            sinks[table].write(_to_frame(table, cols, contract, chunk, params.period_end))
        for t, v in sim.team_fte.items():
            team_fte[t] = team_fte.get(t, 0.0) + v
        del tables, sim

    # reference tables written once: departments, establishment, population
    sinks["ssd_department"].write(department_frame())
    rng = np.random.default_rng(np.random.SeedSequence([seed, 10_000]))
    teams = sorted(team_fte)
    n_t, n_m = len(teams), month_ends.size
    posts = np.round(np.repeat(np.array([team_fte[t] for t in teams]), n_m) * rng.uniform(1.0, 1.12, n_t * n_m), 1)
    est = {
        "esta_month_end": np.tile(month_ends, n_t),
        "esta_team": np.repeat(np.array(teams), n_m),
        "esta_caseholding_posts_fte": posts,
    }
    sinks["ext_establishment"].write(_to_frame("ext_establishment", est, contract, 0, params.period_end))
    y0 = (np.datetime64(params.sim_start, "D").astype("datetime64[Y]").astype(int)) + 1970
    pop_years = np.arange(y0, end.year + 1)
    pop = {
        "popu_year": pop_years,
        "popu_la_code": np.full(pop_years.size, la_code),
        "popu_age_0_17": np.round((300_000 + (pop_years - 2006) * 1_600) * params.scale * chunks).astype(np.int64),
    }
    sinks["ext_population"].write(_to_frame("ext_population", pop, contract, 0, params.period_end))
    for s in sinks.values():
        s.close()

    extracted_at = datetime.combine(end + timedelta(days=5), datetime.min.time()).replace(hour=2)
    manifest = {
        "extract_id": extracted_at.strftime("%Y-%m-%dT%H:%M"),
        "la_code": la_code,
        "extracted_at": extracted_at.isoformat(),
        "ssd_version": "1.4.5",
        "period_start": period_start.isoformat(),
        "period_end": end.isoformat(),
        "generator": {
            "scale": scale if children is None else None,
            "children": children,
            "years": years,
            "seed": seed,
            "dialect": dialect,
        },
    }
    (out / "manifest.json").write_text(json.dumps(manifest, indent=2) + "\n", encoding="utf-8")
    row_counts = {t: s.rows for t, s in sinks.items()}
    manifest = seal(out, row_counts)  # last, as an export script does: the extract is now complete
    return GenerateResult(out, manifest, row_counts)


class GenerateRefused(ValueError):
    """The output folder holds something the generator did not write."""


def fresh_output_folder(out: Path) -> None:
    """Empty the folder the generator writes to - only if the generator wrote what it holds."""
    if out.exists():
        if not written_by_generator(out):
            raise GenerateRefused(
                f"{out} is not empty and was not written by cscw generate: give a new or empty folder "
                "(nothing was deleted)"
            )
        shutil.rmtree(out)
    out.mkdir(parents=True)


def written_by_generator(folder: Path) -> bool:
    """An empty folder, or one whose manifest says `cscw generate` wrote it."""
    if not any(folder.iterdir()):
        return True
    try:
        return "generator" in json.loads((folder / "manifest.json").read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return False
