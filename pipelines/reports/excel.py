"""The monthly scorecard workbook (seed 002 layout) with XlsxWriter.

Numbers are stored as numbers with display formats (a percentage is stored as 85.2 and shown
as 85.2%), RAG is a cell fill with its letter beside it, and there are no formulae: what a
manager sees is what was published, and nothing in the workbook recalculates if a cell is
typed over.
"""

from __future__ import annotations

import re
from pathlib import Path

import xlsxwriter

from .monthly import ARROWS, RAG_LETTER, TREND_TABLE_MONTHS, MonthlyReport, performance_summary_sentence, statement_text

RAG_FILL = {"Green": "#C6EFCE", "Amber": "#FFEB9C", "Red": "#FFC7CE"}
RAG_FONT = {"Green": "#006100", "Amber": "#7F6000", "Red": "#9C0006"}
HEADER_FILL = "#1F3864"
SECTION_FILL = "#D9E1F2"
VALUE_FORMATS = {"pct": '0.0"%"', "count": "#,##0", "rate_per_10k": "#,##0.0", "average": "#,##0.0"}

SCORECARD_HEADERS = (
    ("ID", 5),
    ("Indicator", 62),
    ("Polarity", 8),
    ("Data period", 8),
    ("Latest result", 10),
    ("RAG", 5),
    ("Num", 9),
    ("Denom", 9),
    ("Target", 9),
    ("Previous reported result", 11),
    ("DoT from previous", 9),
    ("Outturn result", 10),
    ("DoT from outturn", 9),
)


class _Formats:
    """The workbook's cell formats, made once (XlsxWriter keeps every format it is given)."""

    def __init__(self, book: xlsxwriter.Workbook):
        self.book = book
        self._cache: dict[tuple, object] = {}
        self.title = book.add_format({"bold": True, "font_size": 14})
        self.subtitle = book.add_format({"italic": True, "font_color": "#595959"})
        self.header = book.add_format(
            {"bold": True, "font_color": "white", "bg_color": HEADER_FILL, "text_wrap": True, "valign": "vcenter"}
        )
        self.section = book.add_format({"bold": True, "bg_color": SECTION_FILL})
        self.text = book.add_format({})
        self.wrap = book.add_format({"text_wrap": True, "valign": "top"})
        self.centre = book.add_format({"align": "center"})

    def cell(self, num_format: str | None = None, rag: str | None = None, bold: bool = False, centre: bool = False):
        key = (num_format, rag, bold, centre)
        if key not in self._cache:
            spec: dict = {}
            if num_format:
                spec["num_format"] = num_format
            if rag:
                spec.update(bg_color=RAG_FILL[rag], font_color=RAG_FONT[rag])
            if bold:
                spec["bold"] = True
            if centre:
                spec["align"] = "center"
            self._cache[key] = self.book.add_format(spec)
        return self._cache[key]


def amount_format(number: float | None) -> str:
    """Whole numbers plainly; FTE (staffing) to one decimal."""
    return "#,##0" if number is None or float(number).is_integer() else "#,##0.0"


def sheet_name(name: str, taken: set[str]) -> str:
    """Excel's rules for a sheet name: at most 31 characters, none of []:*?/\\, unique."""
    base = re.sub(r"[\[\]:*?/\\]", "-", name)[:31]
    candidate, n = base, 2
    while candidate.lower() in taken:
        candidate = f"{base[:28]} {n}"
        n += 1
    taken.add(candidate.lower())
    return candidate


def write_workbook(report: MonthlyReport, path: Path, org_unit: str = "LA") -> Path:
    """The workbook for a month: the org unit's scorecard, activity, UASC impact, its trends,
    definitions, and the scorecard of every area on a sheet of its own."""
    book = xlsxwriter.Workbook(str(path), {"nan_inf_to_errors": True})
    book.set_properties(
        {
            "title": f"Children's services performance scorecard {report.period_end:%B %Y}",
            "subject": "Monthly performance scorecard",
            "comments": f"From extract {report.extract_id}",
        }
    )
    fmt = _Formats(book)
    taken: set[str] = set()
    unit = report.org_unit(org_unit)
    _scorecard_sheet(book, fmt, sheet_name("Scorecard", taken), report, unit)
    _activity_sheet(book, fmt, sheet_name("Activity", taken), report)
    _uasc_sheet(book, fmt, sheet_name("UASC impact", taken), report)
    _trend_sheet(book, fmt, sheet_name("Trends", taken), report, unit)
    _definitions_sheet(book, fmt, sheet_name("Definitions", taken), report)
    for area in (a for a in report.areas if a.org_unit != org_unit):
        _scorecard_sheet(book, fmt, sheet_name(area.name, taken), report, area)
    book.close()
    return path


def _title(sheet, fmt: _Formats, report: MonthlyReport, title: str) -> None:
    sheet.write(0, 0, title, fmt.title)
    sheet.write(
        1,
        0,
        f"As at {report.period_end:%d %B %Y}; published {report.published_at:%d %B %Y} from extract "
        f"{report.extract_id}",
        fmt.subtitle,
    )


def _scorecard_sheet(book, fmt: _Formats, name: str, report: MonthlyReport, unit) -> None:
    sheet = book.add_worksheet(name)
    _title(sheet, fmt, report, f"Scorecard - {unit.name} - {report.period_end:%b %Y}")
    header_row = 3
    for col, (label, width) in enumerate(SCORECARD_HEADERS):
        sheet.write(header_row, col, label, fmt.header)
        sheet.set_column(col, col, width)
    sheet.set_row(header_row, 30)
    sheet.freeze_panes(header_row + 1, 2)
    row_no, section = header_row + 1, None
    for row in report.scorecard[unit.org_unit]:
        if row["section"] != section:
            section = row["section"]
            sheet.merge_range(row_no, 0, row_no, len(SCORECARD_HEADERS) - 1, section.upper(), fmt.section)
            row_no += 1
        _scorecard_row(sheet, fmt, row_no, row)
        row_no += 1
    summary = report.summary.get(unit.org_unit)
    if summary:
        row_no += 1
        sheet.write(row_no, 0, "PERFORMANCE SUMMARY", fmt.section)
        sheet.merge_range(
            row_no + 1,
            0,
            row_no + 1,
            len(SCORECARD_HEADERS) - 1,
            performance_summary_sentence(report.period_end, unit.name, summary),
            fmt.wrap,
        )
        sheet.set_row(row_no + 1, 45)
        row_no += 2
    sheet.merge_range(row_no + 1, 0, row_no + 1, len(SCORECARD_HEADERS) - 1, statement_text(report), fmt.wrap)
    sheet.set_row(row_no + 1, 45)
    sheet.set_landscape()
    sheet.set_paper(9)  # A4
    sheet.fit_to_pages(1, 0)
    sheet.repeat_rows(header_row)


def _scorecard_row(sheet, fmt: _Formats, row_no: int, row: dict) -> None:
    unit, rag = row["unit"], row["rag"]
    value_format = VALUE_FORMATS.get(unit, "#,##0.0")
    if row["scorecard_no"] is not None:
        sheet.write_number(row_no, 0, row["scorecard_no"], fmt.centre)
    sheet.write_string(row_no, 1, row["indicator"])
    sheet.write_string(row_no, 2, row["polarity"] or "", fmt.centre)
    sheet.write_string(row_no, 3, row["data_period"] or "", fmt.centre)
    if row["unavailable_reason"] is not None:
        sheet.write_string(row_no, 4, "n/a")
        sheet.write_comment(row_no, 4, row["unavailable_reason"])
    elif row["latest_result"] is not None:
        sheet.write_number(row_no, 4, row["latest_result"], fmt.cell(value_format, rag))
    if rag:
        sheet.write_string(row_no, 5, RAG_LETTER[rag], fmt.cell(rag=rag, bold=True, centre=True))
    for col, key in ((6, "numerator"), (7, "denominator")):
        if unit != "count" and row[key] is not None:
            sheet.write_number(row_no, col, row[key], fmt.cell(amount_format(row[key])))
    if row["target"] is not None:
        sheet.write_number(row_no, 8, row["target"], fmt.cell(value_format))
    if row["previous_result"] is not None:
        sheet.write_number(row_no, 9, row["previous_result"], fmt.cell(value_format))
    sheet.write_string(row_no, 10, ARROWS[row["dot_from_previous"]], fmt.centre)
    if row["outturn_result"] is not None:
        sheet.write_number(row_no, 11, row["outturn_result"], fmt.cell(value_format))
    sheet.write_string(row_no, 12, ARROWS[row["dot_from_outturn"]], fmt.centre)


def _activity_sheet(book, fmt: _Formats, name: str, report: MonthlyReport) -> None:
    sheet = book.add_worksheet(name)
    _title(sheet, fmt, report, f"Children's services activity - {report.period_end:%b %Y}")
    columns: list[tuple[str, str, str]] = []  # (measure_id, field, heading)
    for measure in report.activity_measures:
        if measure["period_type"] == "SS":
            columns += [
                (measure["measure_id"], "this_month", f"{measure['label']} - this month"),
                (measure["measure_id"], "last_month", f"{measure['label']} - last month"),
                (measure["measure_id"], "change", f"{measure['label']} - change"),
            ]
        else:
            columns.append((measure["measure_id"], "this_month", measure["label"]))
    header_row = 3
    sheet.write(header_row, 0, "Area / team", fmt.header)
    sheet.set_column(0, 0, 28)
    for col, (_, _, heading) in enumerate(columns, start=1):
        sheet.write(header_row, col, heading, fmt.header)
    sheet.set_column(1, len(columns), 11)
    sheet.set_row(header_row, 45)
    sheet.freeze_panes(header_row + 1, 1)
    level = {u.org_unit: u.level for u in report.org_units}
    for row_no, row in enumerate(report.activity, start=header_row + 1):
        bold = level.get(row["org_unit"]) in ("la", "area")
        sheet.write_string(row_no, 0, row["name"], fmt.cell(bold=bold))
        for col, (measure_id, field_name, _) in enumerate(columns, start=1):
            value = (row.get(measure_id) or {}).get(field_name)
            if value is not None:
                number_format = "+#,##0;-#,##0;0" if field_name == "change" else "#,##0"
                sheet.write_number(row_no, col, value, fmt.cell(number_format, bold=bold))
    sheet.set_landscape()
    sheet.fit_to_pages(1, 0)


UASC_HEADERS = (
    ("Indicator", 62),
    ("Polarity", 8),
    ("Data period", 8),
    ("Including UASC", 10),
    ("RAG", 5),
    ("Num", 9),
    ("Denom", 9),
    ("Target", 9),
    ("Excluding UASC", 10),
    ("RAG", 5),
    ("Num", 9),
    ("Denom", 9),
    ("Variance with UASC excluded", 11),
)


def _uasc_sheet(book, fmt: _Formats, name: str, report: MonthlyReport) -> None:
    sheet = book.add_worksheet(name)
    _title(sheet, fmt, report, f"Scorecard - impact of UASC - {report.period_end:%b %Y}")
    header_row = 3
    for col, (label, width) in enumerate(UASC_HEADERS):
        sheet.write(header_row, col, label, fmt.header)
        sheet.set_column(col, col, width)
    sheet.set_row(header_row, 30)
    sheet.freeze_panes(header_row + 1, 1)
    units = {m["measure_id"]: m["unit"] for m in report.catalogue}
    row_no = header_row + 1
    for unit in report.org_units:
        rows = report.uasc_impact.get(unit.org_unit)
        if not rows:
            continue
        sheet.merge_range(row_no, 0, row_no, len(UASC_HEADERS) - 1, unit.name.upper(), fmt.section)
        row_no += 1
        for row in rows:
            value_format = VALUE_FORMATS.get(units.get(row["measure_id"]), "#,##0.0")
            sheet.write_string(row_no, 0, row["indicator"])
            sheet.write_string(row_no, 1, row["polarity"] or "", fmt.centre)
            sheet.write_string(row_no, 2, row["data_period"] or "", fmt.centre)
            for first, prefix in ((3, "including_uasc"), (8, "excluding_uasc")):
                rag = row[f"{prefix}_rag"]
                if row[f"{prefix}_result"] is not None:
                    sheet.write_number(row_no, first, row[f"{prefix}_result"], fmt.cell(value_format, rag))
                if rag:
                    sheet.write_string(row_no, first + 1, RAG_LETTER[rag], fmt.cell(rag=rag, bold=True, centre=True))
                for offset, key in ((2, "numerator"), (3, "denominator")):
                    number = row[f"{prefix}_{key}"]
                    if number is not None:
                        sheet.write_number(row_no, first + offset, number, fmt.cell(amount_format(number)))
            if row["target"] is not None:
                sheet.write_number(row_no, 7, row["target"], fmt.cell(value_format))
            if row["variance_excluding_uasc"] is not None:
                sheet.write_number(row_no, 12, row["variance_excluding_uasc"], fmt.cell("+0.0;-0.0;0.0"))
            row_no += 1
    sheet.set_landscape()
    sheet.fit_to_pages(1, 0)


def _trend_sheet(book, fmt: _Formats, name: str, report: MonthlyReport, unit) -> None:
    """Seed 002's trend tables: for each indicator, result, target and RAG at each month end."""
    sheet = book.add_worksheet(name)
    _title(sheet, fmt, report, f"Trend data - month end - {unit.name}")
    months = report.trend_months[-TREND_TABLE_MONTHS:]
    header_row = 3
    sheet.write(header_row, 0, "Indicator", fmt.header)
    sheet.write(header_row, 1, "", fmt.header)
    sheet.set_column(0, 0, 62)
    sheet.set_column(1, 1, 10)
    for col, month in enumerate(months, start=2):
        sheet.write(header_row, col, f"{month:%b %Y}", fmt.header)
    sheet.set_column(2, 1 + len(months), 10)
    sheet.freeze_panes(header_row + 1, 2)
    row_no = header_row + 1
    for row in report.scorecard[unit.org_unit]:
        points = {p["period_end"]: p for p in report.trend.get((unit.org_unit, row["measure_id"]), [])}
        value_format = VALUE_FORMATS.get(row["unit"], "#,##0.0")
        label = f"{row['scorecard_no']}. {row['indicator']}" if row["scorecard_no"] else row["indicator"]
        sheet.write_string(row_no, 0, label, fmt.cell(bold=True))
        for offset, (heading, key) in enumerate((("Result", "result"), ("Target", "target"), ("RAG", "rag"))):
            sheet.write_string(row_no + offset, 1, heading)
            for col, month in enumerate(months, start=2):
                point = points.get(month)
                if point is None or point[key] is None:
                    continue
                if key == "rag":
                    sheet.write_string(row_no + offset, col, point["rag"], fmt.cell(rag=point["rag"], centre=True))
                else:
                    rag = point["rag"] if key == "result" else None
                    sheet.write_number(row_no + offset, col, point[key], fmt.cell(value_format, rag))
        row_no += 4
    sheet.set_landscape()
    sheet.fit_to_pages(1, 0)


DEFINITION_HEADERS = (
    ("Measure id", 30),
    ("ID", 5),
    ("Indicator", 55),
    ("Section", 22),
    ("Polarity", 8),
    ("Data period", 8),
    ("Unit", 11),
    ("Target", 8),
    ("Red threshold", 9),
    ("Definition", 90),
)


def _definitions_sheet(book, fmt: _Formats, name: str, report: MonthlyReport) -> None:
    sheet = book.add_worksheet(name)
    _title(sheet, fmt, report, "Definitions (the measure catalogue)")
    header_row = 3
    for col, (label, width) in enumerate(DEFINITION_HEADERS):
        sheet.write(header_row, col, label, fmt.header)
        sheet.set_column(col, col, width)
    sheet.freeze_panes(header_row + 1, 1)
    for row_no, measure in enumerate(report.catalogue, start=header_row + 1):
        sheet.write_string(row_no, 0, measure["measure_id"])
        if measure["scorecard_no"] is not None:
            sheet.write_number(row_no, 1, measure["scorecard_no"])
        sheet.write_string(row_no, 2, measure["measure_name"])
        sheet.write_string(row_no, 3, measure["section_name"])
        sheet.write_string(row_no, 4, measure["polarity"] or "", fmt.centre)
        sheet.write_string(row_no, 5, measure["period_type"] or "", fmt.centre)
        sheet.write_string(row_no, 6, measure["unit"])
        for col, key in ((7, "target"), (8, "red_threshold")):
            if measure[key] is not None:
                sheet.write_number(row_no, col, measure[key])
        sheet.write_string(row_no, 9, " ".join((measure["definition"] or "").split()), fmt.wrap)
