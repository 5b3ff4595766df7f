"""The scorecard and performance summary as A4 landscape pages for a committee pack (fpdf2).

fpdf2 is pure Python (nothing to install beside it, unlike WeasyPrint's Pango); the page is
laid out from the same `MonthlyReport` rows as the workbook and the HTML report.
"""

from __future__ import annotations

from pathlib import Path

from fpdf import FPDF
from fpdf.enums import XPos, YPos

from .monthly import (
    RAG_LETTER,
    MonthlyReport,
    format_amount,
    format_value,
    performance_summary_sentence,
    statement_text,
)

NAVY = (31, 56, 100)
SECTION = (217, 225, 242)
RAG_FILL = {"Green": (198, 239, 206), "Amber": (255, 235, 156), "Red": (255, 199, 206)}

# (heading, width in mm, alignment); 277 mm of A4 landscape between 10 mm margins
COLUMNS = (
    ("ID", 8, "C"),
    ("Indicator", 105, "L"),
    ("Pol.", 10, "C"),
    ("Period", 12, "C"),
    ("Result", 17, "R"),
    ("RAG", 9, "C"),
    ("Num", 16, "R"),
    ("Denom", 16, "R"),
    ("Target", 15, "R"),
    ("Previous", 17, "R"),
    ("DoT", 9, "C"),
    ("Outturn", 17, "R"),
    ("DoT", 9, "C"),
)
ROW_HEIGHT = 5.2


class ScorecardPdf(FPDF):
    def __init__(self, report: MonthlyReport, title: str):
        super().__init__(orientation="L", unit="mm", format="A4")
        self.report, self.title_text = report, title
        self.set_margins(10, 10, 10)
        self.set_auto_page_break(auto=True, margin=14)
        self.alias_nb_pages()
        self.set_title(title)
        self.set_creator("csc-warehouse")

    def header(self):
        self.set_font("Helvetica", "B", 13)
        self.set_text_color(*NAVY)
        self.cell(0, 7, self.title_text, new_x=XPos.LMARGIN, new_y=YPos.NEXT)
        self.set_font("Helvetica", "", 8.5)
        self.set_text_color(80, 80, 80)
        self.cell(
            0,
            5,
            f"As at {self.report.period_end:%d %B %Y}. Published {self.report.published_at:%d %B %Y} "
            f"from extract {self.report.extract_id}.",
            new_x=XPos.LMARGIN,
            new_y=YPos.NEXT,
        )
        self.set_text_color(0, 0, 0)
        self.ln(1)

    def footer(self):
        self.set_y(-10)
        self.set_font("Helvetica", "", 8)
        self.set_text_color(80, 80, 80)
        self.cell(0, 5, "OFFICIAL - children's services performance", align="L")
        self.set_x(self.l_margin)
        self.cell(0, 5, f"Page {self.page_no()} of {{nb}}", align="R")

    def table_header(self):
        self.set_font("Helvetica", "B", 8)
        self.set_fill_color(*NAVY)
        self.set_text_color(255, 255, 255)
        for heading, width, _ in COLUMNS:
            self.cell(width, 6, heading, border=1, align="C", fill=True)
        self.ln()
        self.set_text_color(0, 0, 0)

    def arrow(self, x: float, y: float, direction: str | None):
        """Direction of travel drawn as an arrow (the core fonts have no arrow glyphs)."""
        if not direction:
            return
        cx, cy = x + COLUMNS[-1][1] / 2, y + ROW_HEIGHT / 2
        self.set_draw_color(0, 0, 0)
        self.set_fill_color(0, 0, 0)
        self.set_line_width(0.3)
        if direction == "same":
            self.line(cx - 1.6, cy, cx + 1.2, cy)
            self.polygon([(cx + 1.8, cy), (cx + 0.8, cy - 0.8), (cx + 0.8, cy + 0.8)], style="F")
        else:
            sign = -1 if direction == "improved" else 1  # improved points up
            self.line(cx, cy - 1.6 * sign, cx, cy + 1.2 * sign)
            self.polygon([(cx, cy + 1.8 * sign), (cx - 0.8, cy + 0.8 * sign), (cx + 0.8, cy + 0.8 * sign)], style="F")


def _latin1(text: str) -> str:
    """The core PDF fonts cover Latin-1; other characters (a council's curly quotes) are replaced."""
    return (
        text.translate({0x2018: "'", 0x2019: "'", 0x201C: '"', 0x201D: '"', 0x2013: "-", 0x2014: "-"})
        .encode("latin-1", "replace")
        .decode("latin-1")
    )


def write_pdf(report: MonthlyReport, path: Path, org_unit: str = "LA") -> Path:
    unit = report.org_unit(org_unit)
    pdf = ScorecardPdf(
        report, _latin1(f"Children's services performance scorecard - {unit.name} - {report.period_end:%B %Y}")
    )
    pdf.add_page()
    pdf.table_header()
    section = None
    for row in report.scorecard[unit.org_unit]:
        if pdf.will_page_break(ROW_HEIGHT * 2):
            pdf.add_page()
            pdf.table_header()
        if row["section"] != section:
            section = row["section"]
            pdf.set_font("Helvetica", "B", 8)
            pdf.set_fill_color(*SECTION)
            pdf.cell(sum(w for _, w, _ in COLUMNS), ROW_HEIGHT, _latin1(section.upper()), border=1, fill=True)
            pdf.ln()
        _row(pdf, row)
    pdf.ln(3)
    pdf.set_font("Helvetica", "B", 9)
    pdf.cell(0, 5, "Performance summary", new_x=XPos.LMARGIN, new_y=YPos.NEXT)
    pdf.set_font("Helvetica", "", 9)
    summary = report.summary.get(unit.org_unit)
    if summary:
        pdf.multi_cell(0, 4.5, _latin1(performance_summary_sentence(report.period_end, unit.name, summary)))
    pdf.ln(2)
    pdf.set_font("Helvetica", "B", 9)
    pdf.cell(0, 5, "Data quality", new_x=XPos.LMARGIN, new_y=YPos.NEXT)
    pdf.set_font("Helvetica", "", 9)
    pdf.multi_cell(0, 4.5, _latin1(statement_text(report)))
    pdf.output(str(path))
    return path


def _row(pdf: ScorecardPdf, row: dict) -> None:
    unit, rag = row["unit"], row["rag"]
    unavailable = row["unavailable_reason"] is not None
    cells = (
        str(row["scorecard_no"] or ""),
        row["indicator"],
        row["polarity"] or "",
        row["data_period"] or "",
        "n/a" if unavailable else format_value(row["latest_result"], unit),
        RAG_LETTER[rag],
        format_amount(row["numerator"], unit),
        format_amount(row["denominator"], unit),
        format_value(row["target"], unit) if row["target"] is not None else "",
        format_value(row["previous_result"], unit),
        "",
        format_value(row["outturn_result"], unit),
        "",
    )
    pdf.set_font("Helvetica", "", 7.5)
    indicator_width = COLUMNS[1][1]
    lines = pdf.multi_cell(indicator_width, ROW_HEIGHT, _latin1(cells[1]), dry_run=True, output="LINES")
    height = ROW_HEIGHT * len(lines)
    if pdf.will_page_break(height):
        pdf.add_page()
        pdf.table_header()
    y = pdf.get_y()
    x = pdf.l_margin
    for index, ((_, width, align), text) in enumerate(zip(COLUMNS, cells, strict=True)):
        filled = bool(rag) and index in (4, 5) and not unavailable
        pdf.set_font("Helvetica", "B" if index == 5 else "", 7.5)
        if filled:
            pdf.set_fill_color(*RAG_FILL[rag])
        pdf.set_xy(x, y)
        if index == 1:
            pdf.multi_cell(width, ROW_HEIGHT, _latin1(text), border=1, align=align)
        else:
            pdf.cell(width, height, _latin1(text), border=1, align=align, fill=filled)
        if index == 10:
            pdf.arrow(x, y + (height - ROW_HEIGHT) / 2, row["dot_from_previous"])
        elif index == 12:
            pdf.arrow(x, y + (height - ROW_HEIGHT) / 2, row["dot_from_outturn"])
        x += width
    pdf.set_xy(pdf.l_margin, y + height)
