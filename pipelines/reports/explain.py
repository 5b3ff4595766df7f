"""`cscw explain`: the records behind a published number.

Every measure family model (marts.fct_measures__<family>) returns one row per record that
counts towards a measure in a month, with its contribution to the numerator and denominator;
the published result is their sum by org unit and scope (fct_measure_results). Listing the
family's rows for a measure, month and org unit therefore reproduces the published numbers
exactly, and tells a performance officer which case records to check.

These lists are child-level (person and record ids as in the council's case system): they are
read from the working warehouse only, printed or written to a file readable by its owner alone,
and never enter published.duckdb or a report.
"""

from __future__ import annotations

import csv
import io
import os
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path

import duckdb

# counted_at: event_team (the team recorded on the record) or person_team (the child's allocated
# team at the month end), as the catalogue's attribution says
COLUMNS = (
    "person_id",
    "record_id",
    "team_id",
    "team_name",
    "counted_at",
    "is_uasc",
    "numerator",
    "denominator",
    "in_numerator",
)


class ExplainError(ValueError):
    """The measure, month, org unit or scope asked for cannot be explained."""


@dataclass
class Explanation:
    measure_id: str
    measure_name: str
    unit: str
    period_end: object
    org_unit: str
    uasc_scope: str
    rows: list[dict]  # COLUMNS
    published_numerator: float | None
    published_denominator: float | None
    denominator_is_population: bool

    @property
    def listed_numerator(self) -> Decimal:
        return sum((r["numerator"] for r in self.rows), Decimal(0))

    @property
    def listed_denominator(self) -> Decimal | None:
        if self.denominator_is_population or self.unit == "count":
            return None
        return sum((r["denominator"] for r in self.rows if r["denominator"] is not None), Decimal(0))

    def summary(self) -> str:
        in_numerator = sum(1 for r in self.rows if r["in_numerator"])
        text = (
            f"{self.measure_id} ({self.measure_name}), {self.period_end:%b %Y}, org unit {self.org_unit}, "
            f"scope {self.uasc_scope}: {len(self.rows)} records, {in_numerator} in the numerator. "
            f"Listed numerator {_plain(self.listed_numerator)}"
        )
        if self.listed_denominator is not None:
            text += f", denominator {_plain(self.listed_denominator)}"
        text += f"; published numerator {_plain(self.published_numerator)}"
        if self.denominator_is_population:
            text += f", denominator {_plain(self.published_denominator)} (the population aged 0-17, not records)"
        elif self.unit != "count":
            text += f", denominator {_plain(self.published_denominator)}"
        return text + "."

    def csv_text(self) -> str:
        out = io.StringIO()
        writer = csv.writer(out, lineterminator="\n")
        writer.writerow(COLUMNS)
        for row in self.rows:
            writer.writerow(
                ["" if v is None else _plain(v) if isinstance(v, Decimal | float) else v for v in row.values()]
            )
        return out.getvalue()


def _plain(number) -> str:
    if number is None:
        return "-"
    number = Decimal(str(number)).normalize()
    return f"{number:f}"


def explain(working: Path, measure_id: str, month: str, org_unit: str = "LA", uasc_scope: str = "all") -> Explanation:
    if not working.exists():
        raise ExplainError(f"no working warehouse at {working}: run `cscw run` first")
    con = duckdb.connect(str(working), read_only=True)
    try:
        found = con.execute(
            "select family_id, measure_name, unit, uasc_split from intermediate.int_measure_catalogue "
            "where measure_id = ?",
            [measure_id],
        ).fetchone()
        if found is None:
            raise ExplainError(f"unknown measure {measure_id!r} (see the measure_catalogue table)")
        family, name, unit, uasc_split = found
        if uasc_scope not in ("all", "excl_uasc"):
            raise ExplainError(f"unknown scope {uasc_scope!r} (all or excl_uasc)")
        if uasc_scope == "excl_uasc" and not uasc_split:
            raise ExplainError(f"{measure_id} is published for scope 'all' only")
        period_end = con.execute(
            "select period_end from intermediate.int_month_ends where strftime(period_end, '%Y-%m') = ?", [month]
        ).fetchone()
        if period_end is None:
            raise ExplainError(f"no month {month} in the warehouse (YYYY-MM, a month the extract covers)")
        period_end = period_end[0]
        published = con.execute(
            "select numerator, denominator, unavailable_reason from marts.fct_measure_results "
            "where measure_id = ? and period_end = ? and org_unit = ? and uasc_scope = ?",
            [measure_id, period_end, org_unit, uasc_scope],
        ).fetchone()
        if published is None:
            raise ExplainError(f"{measure_id} is not published for org unit {org_unit!r} (see the org_units table)")
        if published[2] is not None:
            raise ExplainError(f"{measure_id} is not published for {month}: {published[2]}")
        # the same roll-up as fct_measure_results: LA is every record (those with no team
        # included); an area or team is the records at its teams
        org_filter = (
            ""
            if org_unit == "LA"
            else ("and records.team_id in (select team_id from intermediate.int_org_units where org_unit = $org_unit)")
        )
        scope_filter = "and not records.is_uasc" if uasc_scope == "excl_uasc" else ""
        rows = con.execute(
            f"""
            select records.person_id, records.record_id, records.team_id, teams.team_name, records.attribution,
                   records.is_uasc, records.numerator, records.denominator,
                   coalesce(records.numerator, 0) > 0 as in_numerator
            from marts.fct_measures__{family} as records
            left join intermediate.int_teams as teams on teams.team_id = records.team_id
            -- a record counts at every month end from its period_end to its last_period_end
            where records.measure_id = $measure_id
              and records.period_end <= $period_end and records.last_period_end >= $period_end
              and records.numerator is not null  -- the family's placeholder rows count nothing
              {org_filter} {scope_filter}
            order by records.team_id nulls last, in_numerator desc, records.person_id, records.record_id
            """,
            {"measure_id": measure_id, "period_end": period_end, **({"org_unit": org_unit} if org_filter else {})},
        ).fetchall()
    finally:
        con.close()
    rows = [dict(zip(COLUMNS, row, strict=True)) for row in rows]
    return Explanation(
        measure_id=measure_id,
        measure_name=name,
        unit=unit,
        period_end=period_end,
        org_unit=org_unit,
        uasc_scope=uasc_scope,
        rows=rows,
        published_numerator=published[0],
        published_denominator=published[1],
        denominator_is_population=unit == "rate_per_10k",
    )


def write_private(path: Path, text: str) -> None:
    """Write a child-level list readable by its owner only (mode 0600 from the moment it exists)."""
    descriptor = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    os.fchmod(descriptor, 0o600)
    with os.fdopen(descriptor, "w", encoding="utf-8", newline="") as handle:
        handle.write(text)
