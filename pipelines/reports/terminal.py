"""The monthly scorecard as text for a terminal (seed 002 layout), from the published warehouse."""

from __future__ import annotations

from pathlib import Path

import duckdb

COLOURS = {"Green": "\033[32m", "Amber": "\033[33m", "Red": "\033[31m"}
ARROWS = {"improved": "\u2191", "same": "\u2192", "worse": "\u2193", None: ""}


def format_value(value: float | None, unit: str) -> str:
    if value is None:
        return "-"
    if unit == "pct":
        return f"{value:.1f}%"
    if unit == "count":
        return f"{value:,.0f}"
    return f"{value:,.1f}"


def _format_count(number: float | None, unit: str) -> str:
    if number is None or unit == "count":
        return "-"
    return f"{number:,.1f}".rstrip("0").rstrip(".")


def scorecard_rows(published: Path, month: str | None = None, org_unit: str = "LA"):
    """The scorecard and its performance summary for a month (default: the latest) and org unit."""
    con = duckdb.connect(str(published), read_only=True)
    try:
        if month:
            period_end = con.execute(
                "select max(period_end) from scorecard where strftime(period_end, '%Y-%m') = ?", [month]
            ).fetchone()[0]
            if period_end is None:
                raise ValueError(f"no results published for {month}")
        else:
            period_end = con.execute("select max(period_end) from scorecard").fetchone()[0]
        if not con.execute("select count(*) from scorecard where org_unit = ?", [org_unit]).fetchone()[0]:
            raise ValueError(f"unknown org unit {org_unit!r} (see the org_units table)")
        rows = con.execute(
            """
            select section, scorecard_no, measure_id, indicator, polarity, data_period, unit,
                   latest_result, rag, numerator, denominator, target, previous_result, dot_from_previous,
                   outturn_result, dot_from_outturn, unavailable_reason
            from scorecard where org_unit = ? and period_end = ?
            order by section_order, coalesce(scorecard_no, 1000), measure_order
            """,
            [org_unit, period_end],
        ).fetchall()
        summary = con.execute(
            "select green, amber, red, improved_from_previous, same_as_previous, worse_than_previous, "
            "improved_from_outturn, same_as_outturn, worse_than_outturn from scorecard_summary "
            "where org_unit = ? and period_end = ?",
            [org_unit, period_end],
        ).fetchone()
    finally:
        con.close()
    return period_end, rows, summary


def scorecard_text(published: Path, month: str | None, org_unit: str, colour: bool) -> str:
    period_end, rows, summary = scorecard_rows(published, month, org_unit)
    lines = [
        f"Scorecard - {org_unit} - {period_end:%b %Y}",
        f"{'ID':>3}  {'Indicator':<62} {'Pol':<3} {'Per':<4} {'Result':>8} {'RAG':<5} {'Num':>9} "
        f"{'Denom':>9} {'Target':>7} {'Prev':>8} {'':1} {'Outturn':>8} {'':1}",
    ]
    section = None
    for (
        sect,
        number,
        measure_id,
        name,
        polarity,
        period,
        unit,
        value,
        rag,
        numerator,
        denominator,
        target,
        previous,
        dot_previous,
        outturn,
        dot_outturn,
        unavailable,
    ) in rows:
        if sect != section:
            lines.append(f"\n{sect.upper()}")
            section = sect
        rag_text = f"{rag or '':<5}"
        if colour and rag:
            rag_text = f"{COLOURS[rag]}{rag:<5}\033[0m"
        result = format_value(value, unit) if unavailable is None else "n/a"
        target_text = format_value(target, unit) if target is not None else ""
        lines.append(
            f"{number or '':>3}  {name[:62]:<62} {polarity or '':<3} {period:<4} {result:>8} {rag_text} "
            f"{_format_count(numerator, unit):>9} {_format_count(denominator, unit):>9} {target_text:>7} "
            f"{format_value(previous, unit):>8} {ARROWS[dot_previous]:1} {format_value(outturn, unit):>8} "
            f"{ARROWS[dot_outturn]:1}"
        )
        if unavailable:
            lines.append(f"     ({measure_id}: {unavailable})")
    if summary:
        lines.append("\nPERFORMANCE SUMMARY\n" + performance_summary_sentence(period_end, org_unit, summary))
    return "\n".join(lines)


def performance_summary_sentence(period_end, org_unit: str, summary) -> str:
    green, amber, red, improved, same, worse, improved_outturn, same_outturn, worse_outturn = summary
    return (
        f"As at {period_end:%d/%m/%Y}, {org_unit} has {green} indicators rated as Green, {amber} rated as "
        f"Amber and {red} rated as Red. Against last month {improved} indicators improved, {same} remained "
        f"the same and {worse} worsened; against the outturn {improved_outturn} improved, {same_outturn} "
        f"remained the same and {worse_outturn} worsened."
    )
