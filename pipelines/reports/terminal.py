"""The monthly scorecard as text for a terminal (seed 002 layout), from the published warehouse."""

from __future__ import annotations

from pathlib import Path

from .monthly import (
    ARROWS,
    ReportError,
    format_amount,
    format_value,
    open_published,
    performance_summary_sentence,
    resolve_period_end,
    scorecard_for,
    summary_for,
)

COLOURS = {"Green": "\033[32m", "Amber": "\033[33m", "Red": "\033[31m"}


def scorecard_text(published: Path, month: str | None, org_unit: str, colour: bool) -> str:
    con = open_published(published)
    try:
        period_end = resolve_period_end(con, month)
        rows = scorecard_for(con, period_end, org_unit)
        if not rows:
            raise ReportError(f"unknown org unit {org_unit!r} (see the org_units table)")
        summary = summary_for(con, period_end).get(org_unit)
    finally:
        con.close()
    lines = [
        f"Scorecard - {org_unit} - {period_end:%b %Y}",
        f"{'ID':>3}  {'Indicator':<62} {'Pol':<3} {'Per':<4} {'Result':>8} {'RAG':<5} {'Num':>9} "
        f"{'Denom':>9} {'Target':>7} {'Prev':>8} {'':1} {'Outturn':>8} {'':1}",
    ]
    section = None
    for row in rows:
        unit = row["unit"]
        if row["section"] != section:
            section = row["section"]
            lines.append(f"\n{section.upper()}")
        rag = row["rag"]
        rag_text = f"{rag or '':<5}"
        if colour and rag:
            rag_text = f"{COLOURS[rag]}{rag:<5}\033[0m"
        result = format_value(row["latest_result"], unit) if row["unavailable_reason"] is None else "n/a"
        target_text = format_value(row["target"], unit) if row["target"] is not None else ""
        lines.append(
            f"{row['scorecard_no'] or '':>3}  {row['indicator'][:62]:<62} {row['polarity'] or '':<3} "
            f"{row['data_period']:<4} {result:>8} {rag_text} "
            f"{format_amount(row['numerator'], unit):>9} {format_amount(row['denominator'], unit):>9} "
            f"{target_text:>7} {format_value(row['previous_result'], unit):>8} {ARROWS[row['dot_from_previous']]:1} "
            f"{format_value(row['outturn_result'], unit):>8} {ARROWS[row['dot_from_outturn']]:1}"
        )
        if row["unavailable_reason"]:
            lines.append(f"     ({row['measure_id']}: {row['unavailable_reason']})")
    if summary:
        lines.append("\nPERFORMANCE SUMMARY\n" + performance_summary_sentence(period_end, org_unit, summary))
    return "\n".join(lines)
