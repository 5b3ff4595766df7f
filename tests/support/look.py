"""Looking at reports as a reader does: the HTML page in headless Chromium, PDF pages as PNG.

python -m tests.support.look WAREHOUSE_DIR OUT_DIR   # the README's pictures, from a warehouse's reports/
"""

from __future__ import annotations

import subprocess
import sys
from dataclasses import dataclass, field
from pathlib import Path

# Chromium on a closed network: no background requests, no first-run, no sandbox as root
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


@dataclass
class PageVisit:
    console_errors: list[str] = field(default_factory=list)
    requests: list[str] = field(default_factory=list)
    indicator_rows: int = 0
    chart_cards: int = 0
    charts_drawn: int = 0
    after_switch: dict = field(default_factory=dict)


def visit_html(
    chromium: str,
    html: Path,
    screenshot: Path | None = None,
    switch_to: str | None = None,
    charts_screenshot: Path | None = None,
) -> PageVisit:
    from playwright.sync_api import sync_playwright

    visit = PageVisit()
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=chromium, args=CHROMIUM_ARGS)
        try:
            page = browser.new_page(viewport={"width": 1400, "height": 1000})
            page.on("console", lambda m: visit.console_errors.append(m.text) if m.type == "error" else None)
            page.on("pageerror", lambda e: visit.console_errors.append(str(e)))
            page.on("request", lambda r: visit.requests.append(r.url))
            page.goto(html.as_uri())
            drawn = "document.querySelectorAll('#charts .chart svg').length"
            cards = "document.querySelectorAll('#charts .chart-card').length"
            page.wait_for_function(f"{cards} > 0 && {drawn} >= {cards}", timeout=60_000)
            visit.indicator_rows = page.locator("section.unit:not([hidden]) tr.indicator").count()
            visit.chart_cards = page.locator("#charts .chart-card").count()
            visit.charts_drawn = page.locator("#charts .chart svg").count()
            if screenshot:
                page.screenshot(path=str(screenshot))
            if charts_screenshot:
                page.locator("#charts").scroll_into_view_if_needed()
                page.evaluate(
                    "document.getElementById('charts').previousElementSibling.previousElementSibling.scrollIntoView()"
                )
                page.screenshot(path=str(charts_screenshot))
            if switch_to:
                page.select_option("#org-unit", switch_to)
                page.wait_for_function(f"{cards} > 0 && {drawn} >= {cards}", timeout=60_000)
                visit.after_switch = {
                    "visible_units": page.eval_on_selector_all(
                        "section.unit:not([hidden])", "sections => sections.map(s => s.dataset.orgUnit)"
                    ),
                    "trend_heading": page.locator("#trend-unit").inner_text(),
                    "charts_drawn": page.locator("#charts .chart svg").count(),
                }
        finally:
            browser.close()
    return visit


def pdf_pages_as_png(pdftoppm: str, pdf: Path, out_prefix: Path, resolution: int = 60) -> list[Path]:
    subprocess.run([pdftoppm, "-png", "-r", str(resolution), str(pdf), str(out_prefix)], check=True)
    return sorted(out_prefix.parent.glob(f"{out_prefix.name}-*.png"))


def pdf_text(pdf: Path) -> str:
    return subprocess.run(["pdftotext", "-layout", str(pdf), "-"], check=True, capture_output=True, text=True).stdout


if __name__ == "__main__":
    warehouse, out = Path(sys.argv[1]).resolve(), Path(sys.argv[2]).resolve()
    out.mkdir(parents=True, exist_ok=True)
    html = max((warehouse / "reports").glob("scorecard_????-??.html"))
    visit_html(
        "/usr/bin/chromium", html, screenshot=out / "report_html.png", charts_screenshot=out / "report_html_trends.png"
    )
    pdf = html.with_suffix(".pdf")
    pages = pdf_pages_as_png("pdftoppm", pdf, out / "report_pdf", resolution=80)
    pages[0].replace(out / "report_pdf_page1.png")
    for page in pages[1:]:
        page.unlink()
