"""One month's reporting tables, read once from the published warehouse for every output.

The Excel workbook, the HTML report, the PDF and the terminal scorecard all draw from a
`MonthlyReport`: the same rows, so the four cannot disagree. Everything here is aggregate
(published.duckdb holds no child-level data).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

import duckdb

# Months of history the trend charts and tables show (seed 002's trend tables show the latest
# month and the twelve before it; the HTML charts go back three years).
TREND_TABLE_MONTHS = 13
TREND_CHART_MONTHS = 36

# Seed 002's activity table, left to right; activity measures not listed here follow in
# catalogue order.
ACTIVITY_COLUMNS = (
    "open_cases",
    "referrals",
    "assessments_completed",
    "cp_plans",
    "cp_started",
    "cp_ended",
    "cla_count",
    "uasc_cla_count",
    "cla_started",
    "cla_ceased",
    "pf_arrangements",
)

SCORECARD_COLUMNS = (
    "section_order, section, scorecard_no, measure_order, measure_id, indicator, polarity, data_period, unit, "
    "latest_result, rag, numerator, denominator, target, previous_period_end, previous_result, "
    "dot_from_previous, outturn_period_end, outturn_result, dot_from_outturn, unavailable_reason"
)


class ReportError(ValueError):
    """The month or org unit asked for is not in the published warehouse."""


@dataclass(frozen=True)
class OrgUnit:
    org_unit: str
    name: str
    level: str  # la | area | team
    parent: str | None


@dataclass
class MonthlyReport:
    period_end: date
    extract_id: str
    published_at: object
    org_units: list[OrgUnit]
    scorecard: dict[str, list[dict]]  # org unit -> rows in scorecard order
    summary: dict[str, dict]  # org unit -> performance summary counts
    activity: list[dict]  # one row per org unit, columns per activity measure
    activity_measures: list[dict]  # measure_id, label, period_type, in ACTIVITY_COLUMNS order
    uasc_impact: dict[str, list[dict]]  # LA and areas -> rows
    trend: dict[tuple[str, str], list[dict]]  # (org unit, measure) -> months, oldest first
    trend_months: list[date]
    catalogue: list[dict]
    data_quality: dict = field(default_factory=dict)

    @property
    def month(self) -> str:
        return f"{self.period_end:%Y-%m}"

    def org_unit(self, org_unit: str) -> OrgUnit:
        for unit in self.org_units:
            if unit.org_unit == org_unit:
                return unit
        raise ReportError(f"unknown org unit {org_unit!r} (see the org_units table)")

    @property
    def areas(self) -> list[OrgUnit]:
        return [u for u in self.org_units if u.level == "area"]


def open_published(published: Path) -> duckdb.DuckDBPyConnection:
    if not Path(published).exists():
        raise ReportError(f"nothing published at {published}")
    return duckdb.connect(str(published), read_only=True)


def _dicts(cursor: duckdb.DuckDBPyConnection) -> list[dict]:
    names = [d[0] for d in cursor.description]
    return [dict(zip(names, row, strict=True)) for row in cursor.fetchall()]


def resolve_period_end(con: duckdb.DuckDBPyConnection, month: str | None) -> date:
    """The month end published for `month` (YYYY-MM), or the latest month published."""
    if month:
        period_end = con.execute(
            "select max(period_end) from scorecard where strftime(period_end, '%Y-%m') = ?", [month]
        ).fetchone()[0]
        if period_end is None:
            raise ReportError(f"no results published for {month}")
        return period_end
    return con.execute("select max(period_end) from scorecard").fetchone()[0]


def scorecard_for(con: duckdb.DuckDBPyConnection, period_end: date, org_unit: str | None = None) -> list[dict]:
    where = "period_end = ?" + (" and org_unit = ?" if org_unit else "")
    return _dicts(
        con.execute(
            f"select org_unit, {SCORECARD_COLUMNS} from scorecard where {where} "
            "order by org_unit, section_order, coalesce(scorecard_no, 1000), measure_order",
            [period_end, org_unit] if org_unit else [period_end],
        )
    )


def summary_for(con: duckdb.DuckDBPyConnection, period_end: date) -> dict[str, dict]:
    rows = _dicts(con.execute("select * from scorecard_summary where period_end = ?", [period_end]))
    return {row["org_unit"]: row for row in rows}


def load_month(published: Path, month: str | None = None, org_units: list[str] | None = None) -> MonthlyReport:
    """Read a month's reporting tables (default: the latest month published)."""
    con = open_published(published)
    try:
        period_end = resolve_period_end(con, month)
        units = [OrgUnit(*row) for row in con.execute("select * from org_units").fetchall()]
        if org_units:
            unknown = sorted(set(org_units) - {u.org_unit for u in units})
            if unknown:
                raise ReportError(f"unknown org unit {unknown[0]!r} (see the org_units table)")
        scorecard: dict[str, list[dict]] = {}
        for row in scorecard_for(con, period_end):
            scorecard.setdefault(row.pop("org_unit"), []).append(row)
        units = [u for u in units if u.org_unit in scorecard]

        activity_measures = _dicts(
            con.execute(
                "select distinct measure_id, label, period_type, measure_order from activity where period_end = ?",
                [period_end],
            )
        )
        order = {m: i for i, m in enumerate(ACTIVITY_COLUMNS)}
        activity_measures.sort(key=lambda m: (order.get(m["measure_id"], len(order)), m["measure_order"]))
        activity_rows: dict[str, dict] = {}
        for row in _dicts(con.execute("select * from activity where period_end = ?", [period_end])):
            activity_rows.setdefault(row["org_unit"], {"org_unit": row["org_unit"], "name": row["org_unit_name"]})[
                row["measure_id"]
            ] = row
        activity = [activity_rows[u.org_unit] for u in units if u.org_unit in activity_rows]

        uasc_impact: dict[str, list[dict]] = {}
        for row in _dicts(
            con.execute(
                "select * from uasc_impact where period_end = ? order by section_order, measure_order", [period_end]
            )
        ):
            uasc_impact.setdefault(row["org_unit"], []).append(row)

        months = [
            r[0]
            for r in con.execute(
                "select distinct period_end from scorecard where period_end <= ? order by period_end desc limit ?",
                [period_end, TREND_CHART_MONTHS],
            ).fetchall()
        ][::-1]
        trend: dict[tuple[str, str], list[dict]] = {}
        for row in _dicts(
            con.execute(
                "select org_unit, measure_id, period_end, latest_result as result, rag, target "
                "from scorecard where period_end between ? and ? order by org_unit, measure_id, period_end",
                [months[0], period_end],
            )
        ):
            trend.setdefault((row.pop("org_unit"), row.pop("measure_id")), []).append(row)

        catalogue = _dicts(con.execute("select * from measure_catalogue order by section_order, measure_order"))
        extract_id, published_at = con.execute(
            "select extract_id, published_at from publication_log order by published_at desc limit 1"
        ).fetchone()
        data_quality = data_quality_statement(con)
        return MonthlyReport(
            period_end=period_end,
            extract_id=extract_id,
            published_at=published_at,
            org_units=units,
            scorecard=scorecard,
            summary=summary_for(con, period_end),
            activity=activity,
            activity_measures=activity_measures,
            uasc_impact=uasc_impact,
            trend=trend,
            trend_months=months,
            catalogue=catalogue,
            data_quality=data_quality,
        )
    finally:
        con.close()


def data_quality_statement(con: duckdb.DuckDBPyConnection) -> dict:
    """What the published run's checks found: rows checked and quarantined, rules that found
    problems, measures not published for want of data."""
    checked, quarantined = con.execute(
        "select coalesce(sum(rows_checked), 0), coalesce(sum(rows_failed), 0) from data_quality "
        "where rule_id like '%.quarantine_share'"
    ).fetchone()
    rules_with_findings = con.execute(
        "select count(*) from data_quality where rows_failed > 0 and rule_id not like '%.quarantine_share'"
    ).fetchone()[0]
    unavailable = con.execute(
        "select measure_id, unavailable_reason from measure_unavailable order by measure_id"
    ).fetchall()
    return {
        "rows_checked": int(checked),
        "rows_quarantined": int(quarantined),
        "rules_with_findings": int(rules_with_findings),
        "measures_unavailable": unavailable,
    }


def statement_text(report: MonthlyReport) -> str:
    """The data-quality statement printed on every report."""
    dq = report.data_quality
    text = (
        f"Data quality: {dq['rows_checked']:,} records checked, {dq['rows_quarantined']:,} quarantined "
        f"(left out of every measure); {dq['rules_with_findings']} checks found problems that did not block "
        "publication. "
    )
    if dq["measures_unavailable"]:
        names = ", ".join(m for m, _ in dq["measures_unavailable"])
        text += f"{len(dq['measures_unavailable'])} measures are not published for want of data: {names}."
    else:
        text += "Every measure is published."
    return text


# --- how numbers read -------------------------------------------------------------------------
ARROWS = {"improved": "\u2191", "same": "\u2192", "worse": "\u2193", None: ""}
RAG_LETTER = {"Green": "G", "Amber": "A", "Red": "R", None: ""}


def format_value(value: float | None, unit: str) -> str:
    if value is None:
        return "-"
    if unit == "pct":
        return f"{value:.1f}%"
    if unit == "count":
        return f"{value:,.0f}"
    return f"{value:,.1f}"


def format_amount(number: float | None, unit: str) -> str:
    """A numerator or denominator: whole numbers plainly, FTE to one decimal; none for counts."""
    if number is None or unit == "count":
        return "-"
    return f"{number:,.1f}".rstrip("0").rstrip(".")


def performance_summary_sentence(period_end: date, org_unit_name: str, summary: dict) -> str:
    return (
        f"As at {period_end:%d/%m/%Y}, {org_unit_name} has {summary['green']} indicators rated as Green, "
        f"{summary['amber']} rated as Amber and {summary['red']} rated as Red. Against last month "
        f"{summary['improved_from_previous']} indicators improved, {summary['same_as_previous']} remained the same "
        f"and {summary['worse_than_previous']} worsened; against the outturn {summary['improved_from_outturn']} "
        f"improved, {summary['same_as_outturn']} remained the same and {summary['worse_than_outturn']} worsened."
    )
