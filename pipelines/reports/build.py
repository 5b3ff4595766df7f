"""Writing a month's reports: the workbook, the HTML report and the PDF, from published.duckdb.

Each file is written beside its final name and moved into place, so a reader opening
reports/ never sees half a file, and a failed build leaves the previous night's reports.
"""

from __future__ import annotations

import os
import time
from dataclasses import dataclass
from pathlib import Path

from .monthly import MonthlyReport, load_month

FORMATS = ("xlsx", "html", "pdf")


@dataclass(frozen=True)
class BuiltReport:
    format: str
    path: Path
    seconds: float


def report_name(report: MonthlyReport, fmt: str, org_unit: str = "LA") -> str:
    suffix = "" if org_unit == "LA" else f"_{org_unit}"
    return f"scorecard_{report.month}{suffix}.{fmt}"


def write_reports(
    published: Path, out_dir: Path, month: str | None = None, org_unit: str = "LA", formats: tuple[str, ...] = FORMATS
) -> list[BuiltReport]:
    from .excel import write_workbook
    from .html import write_html
    from .pdf import write_pdf

    writers = {
        "xlsx": lambda report, path: write_workbook(report, path, org_unit),
        "html": lambda report, path: write_html(report, path, org_unit),
        "pdf": lambda report, path: write_pdf(report, path, org_unit),
    }
    unknown = sorted(set(formats) - set(writers))
    if unknown:
        raise ValueError(f"unknown report format {unknown[0]!r} (one of {', '.join(FORMATS)})")
    report = load_month(published, month, [org_unit])
    out_dir.mkdir(mode=0o750, parents=True, exist_ok=True)
    built = []
    for fmt in formats:
        started = time.perf_counter()
        final = out_dir / report_name(report, fmt, org_unit)
        partial = final.with_name(f".{final.name}.{os.getpid()}.partial")
        try:
            writers[fmt](report, partial)
            os.chmod(partial, _mode_for(final))
            os.replace(partial, final)
        finally:
            partial.unlink(missing_ok=True)
        built.append(BuiltReport(fmt, final, time.perf_counter() - started))
    return built


def _mode_for(final: Path) -> int:
    """Keep the mode a council gave an earlier report; otherwise group-readable, not world-readable."""
    try:
        return final.stat().st_mode & 0o777
    except FileNotFoundError:
        return 0o640
