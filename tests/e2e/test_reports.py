"""The month's reports, checked as their readers see them: the workbook through a reader
library, the HTML page in headless Chromium, the PDF as pages of text and PNG; and `cscw
explain`, whose lists must add up to every published number."""

from __future__ import annotations

import re
import stat
from decimal import Decimal
from html.parser import HTMLParser
from pathlib import Path

import duckdb
import openpyxl
import pytest

from pipelines.cli import main
from pipelines.reports.excel import RAG_FILL
from pipelines.reports.explain import explain
from pipelines.reports.monthly import RAG_LETTER
from tests.support.look import pdf_pages_as_png, pdf_text, visit_html
from tests.support.system_tools import require


@pytest.fixture(scope="module")
def warehouse(published) -> Path:
    return published.parent


@pytest.fixture(scope="module")
def month(published) -> str:
    with duckdb.connect(str(published), read_only=True) as con:
        return f"{con.execute('select max(period_end) from scorecard').fetchone()[0]:%Y-%m}"


@pytest.fixture(scope="module")
def scorecard(published, month) -> list[dict]:
    """The published LA scorecard for the month, in scorecard order: what every report must show."""
    with duckdb.connect(str(published), read_only=True) as con:
        cursor = con.execute(
            "select * from scorecard where org_unit = 'LA' and strftime(period_end, '%Y-%m') = ? "
            "order by section_order, coalesce(scorecard_no, 1000), measure_order",
            [month],
        )
        names = [d[0] for d in cursor.description]
        return [dict(zip(names, row, strict=True)) for row in cursor.fetchall()]


def test_the_nightly_run_writes_the_months_reports(warehouse, month):
    names = sorted(p.name for p in (warehouse / "reports").iterdir())
    assert names == [f"scorecard_{month}.html", f"scorecard_{month}.pdf", f"scorecard_{month}.xlsx"]
    for path in (warehouse / "reports").iterdir():
        assert stat.S_IMODE(path.stat().st_mode) & 0o007 == 0, f"{path.name} is world-readable"


# --- the workbook -------------------------------------------------------------------------------
def test_the_workbook_holds_the_published_scorecard_as_numbers_with_formats_and_fills(warehouse, month, scorecard):
    book = openpyxl.load_workbook(warehouse / "reports" / f"scorecard_{month}.xlsx")
    assert book.sheetnames[:5] == ["Scorecard", "Activity", "UASC impact", "Trends", "Definitions"]
    with duckdb.connect(str(warehouse / "published.duckdb"), read_only=True) as con:
        areas = [
            r[0] for r in con.execute("select org_unit_name from org_units where org_unit_level = 'area'").fetchall()
        ]
    assert book.sheetnames[5:] == areas  # a sheet per area
    sheet = book["Scorecard"]
    assert sheet.freeze_panes == "C5"
    assert sheet.column_dimensions["B"].width >= 60
    by_indicator = {}
    for row in sheet.iter_rows(min_row=5):
        if row[1].value and isinstance(row[2].value, str):
            by_indicator[row[1].value] = row
    assert sum(1 for r in scorecard if r["scorecard_no"]) >= 44
    for expected in scorecard:
        cells = by_indicator[expected["indicator"]]
        if expected["scorecard_no"]:
            assert cells[0].value == expected["scorecard_no"]
        result = cells[4]
        if expected["unavailable_reason"]:
            assert result.value == "n/a"
            continue
        if expected["latest_result"] is None:
            assert result.value is None
            continue
        assert isinstance(result.value, int | float), f"{expected['indicator']}: stored as text"
        assert result.value == pytest.approx(expected["latest_result"])
        assert result.number_format == {"pct": '0.0"%"', "count": "#,##0"}.get(expected["unit"], "#,##0.0")
        assert cells[5].value == (RAG_LETTER[expected["rag"]] or None)
        if expected["rag"]:
            fill = "FF" + RAG_FILL[expected["rag"]].lstrip("#").upper()
            assert result.fill.fgColor.rgb == fill and cells[5].fill.fgColor.rgb == fill
        if expected["unit"] != "count":
            assert cells[6].value == pytest.approx(expected["numerator"])
            assert cells[7].value == pytest.approx(expected["denominator"])
        arrows = {"improved": "\u2191", "same": "\u2192", "worse": "\u2193", None: None}
        assert (cells[10].value or None) == arrows[expected["dot_from_previous"]]
        assert (cells[12].value or None) == arrows[expected["dot_from_outturn"]]
    texts = [c.value for row in sheet.iter_rows() for c in row if isinstance(c.value, str)]
    as_at = f"As at {scorecard[0]['period_end']:%d/%m/%Y}, Whole authority has"
    assert any(t.startswith(as_at) for t in texts)  # the performance summary
    assert any(t.startswith("Data quality:") for t in texts)
    for name in book.sheetnames:  # nothing a reader could break by typing over a cell
        assert not [c for row in book[name].iter_rows() for c in row if c.data_type == "f"], name


def test_the_workbooks_activity_trend_and_uasc_sheets_hold_the_published_tables(warehouse, month):
    book = openpyxl.load_workbook(warehouse / "reports" / f"scorecard_{month}.xlsx")
    with duckdb.connect(str(warehouse / "published.duckdb"), read_only=True) as con:
        referrals = con.execute(
            "select this_month from activity where org_unit = 'LA' and measure_id = 'referrals' "
            "and strftime(period_end, '%Y-%m') = ?",
            [month],
        ).fetchone()[0]
        trend = con.execute(
            "select period_end, latest_result from scorecard where org_unit = 'LA' and measure_id = 'rereferral_12m' "
            "order by period_end desc limit 13"
        ).fetchall()
    activity = book["Activity"]
    headers = [c.value for c in activity[4]]
    la_row = next(r for r in activity.iter_rows(min_row=5) if r[0].value == "Whole authority")
    assert la_row[headers.index("Referrals in last month")].value == referrals
    trends = book["Trends"]
    months = [c.value for c in trends[4]][2:]
    assert len(months) == 13 and months[-1] == f"{trend[0][0]:%b %Y}"
    start = next(r[0].row for r in trends.iter_rows(min_row=5) if str(r[0].value).startswith("1. "))
    results = [c.value for c in trends[start]][2:]
    assert results == pytest.approx([v for _, v in reversed(trend)])
    assert book["UASC impact"].max_row > 5
    definitions = {r[0].value: r[9].value for r in book["Definitions"].iter_rows(min_row=5)}
    assert definitions["rereferral_12m"]


# --- the HTML report ----------------------------------------------------------------------------
class _Resources(HTMLParser):
    def __init__(self):
        super().__init__()
        self.external: list[str] = []
        self.indicators = 0

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        for name in ("src", "href", "srcset", "data"):
            if attrs.get(name):
                self.external.append(f"{tag} {name}")
        if tag == "tr" and "indicator" in (attrs.get("class") or ""):
            self.indicators += 1


def test_the_html_report_is_one_file_that_asks_nothing_of_the_network(warehouse, month, scorecard):
    html = (warehouse / "reports" / f"scorecard_{month}.html").read_text(encoding="utf-8")
    parser = _Resources()
    parser.feed(html)
    assert parser.external == []  # no linked script, style, image or font
    assert "default-src 'none'" in html  # and the page forbids itself any request
    with duckdb.connect(str(warehouse / "published.duckdb"), read_only=True) as con:
        rows = con.execute("select count(*) from scorecard where strftime(period_end, '%Y-%m') = ?", [month]).fetchone()
    assert parser.indicators == rows[0]  # every org unit's scorecard is in the page


def test_the_html_report_in_a_browser(tmp_path, warehouse, month, scorecard):
    chromium = require("chromium", "chromium")
    page = warehouse / "reports" / f"scorecard_{month}.html"
    with duckdb.connect(str(warehouse / "published.duckdb"), read_only=True) as con:
        team = con.execute("select min(org_unit) from org_units where org_unit_level = 'team'").fetchone()[0]
    visit = visit_html(chromium, page, screenshot=tmp_path / "report.png", switch_to=team)
    assert visit.console_errors == []
    assert visit.requests == [page.as_uri()]  # the page itself, nothing else
    assert visit.indicator_rows == len(scorecard) >= 44
    assert visit.chart_cards == visit.charts_drawn == len(scorecard)  # a chart per indicator
    assert visit.after_switch["visible_units"] == [team]
    assert visit.after_switch["charts_drawn"] == len(scorecard)
    assert (tmp_path / "report.png").stat().st_size > 50_000


# --- the PDF ------------------------------------------------------------------------------------
def test_the_pdf_is_a4_landscape_pages_with_numbers_date_and_data_quality(tmp_path, warehouse, month, scorecard):
    pdftoppm = require("pdftoppm", "poppler-utils")
    pdf = warehouse / "reports" / f"scorecard_{month}.pdf"
    pages = pdf_pages_as_png(pdftoppm, pdf, tmp_path / "page")
    text = pdf_text(pdf)
    assert len(pages) >= 2
    assert f"Page 1 of {len(pages)}" in text and f"Page {len(pages)} of {len(pages)}" in text
    assert f"As at {scorecard[0]['period_end']:%d %B %Y}" in text
    assert "Data quality:" in text and "quarantined" in text
    assert "Performance summary" in text and "indicators rated as Green" in text
    flat = " ".join(text.split())
    for row in scorecard:  # every indicator, wrapped or not
        assert " ".join(row["indicator"].split()[:5]) in flat, row["indicator"]
    from PIL import Image

    width, height = Image.open(pages[0]).size
    assert width / height == pytest.approx(297 / 210, rel=0.01)  # A4 landscape


# --- on demand ----------------------------------------------------------------------------------
def test_cscw_report_for_an_area_and_an_earlier_month(tmp_path, warehouse, capsys):
    with duckdb.connect(str(warehouse / "published.duckdb"), read_only=True) as con:
        area = con.execute("select min(org_unit) from org_units where org_unit_level = 'area'").fetchone()[0]
        earlier = con.execute("select min(period_end) from scorecard").fetchone()[0]
    args = ["report", "--warehouse", str(warehouse), "--out", str(tmp_path), "--org-unit", area]
    assert main([*args, "--month", f"{earlier:%Y-%m}", "--format", "pdf", "--format", "xlsx"]) == 0
    assert sorted(p.name for p in tmp_path.iterdir()) == [
        f"scorecard_{earlier:%Y-%m}_{area}.pdf",
        f"scorecard_{earlier:%Y-%m}_{area}.xlsx",
    ]
    assert main([*args, "--month", "1999-01"]) == 1
    assert "no results published for 1999-01" in capsys.readouterr().err
    assert main(["report", "--warehouse", str(warehouse), "--out", str(tmp_path), "--org-unit", "NOPE"]) == 1
    assert "unknown org unit 'NOPE'" in capsys.readouterr().err


# --- every number explainable ---------------------------------------------------------------------
def test_explain_lists_add_up_to_every_published_number(warehouse, month):
    """For every measure of every family: the listed records' contributions sum to the published
    numerator and denominator - for the whole authority, a team, and without UASC."""
    with duckdb.connect(str(warehouse / "published.duckdb"), read_only=True) as con:
        measures = con.execute("select measure_id, family_id, unit from measure_catalogue").fetchall()
        published = {
            (m, o, s): (n, d)
            for m, o, s, n, d in con.execute(
                "select measure_id, org_unit, uasc_scope, numerator, denominator from measure_results "
                "where strftime(period_end, '%Y-%m') = ?",
                [month],
            ).fetchall()
        }
        team = con.execute(
            "select org_unit from measure_results where org_unit like 'T-%' and strftime(period_end, '%Y-%m') = ? "
            "group by org_unit order by sum(numerator) desc limit 1",
            [month],
        ).fetchone()[0]
    families, records = set(), 0
    for measure_id, family, unit in measures:
        for org_unit, scope in (("LA", "all"), (team, "all"), ("LA", "excl_uasc")):
            if (measure_id, org_unit, scope) not in published:
                continue
            numerator, denominator = published[(measure_id, org_unit, scope)]
            if numerator is None:
                continue  # not published for want of data
            listed = explain(warehouse / "warehouse.duckdb", measure_id, month, org_unit, scope)
            assert listed.listed_numerator == Decimal(str(numerator)).quantize(Decimal("0.0001")), (
                measure_id,
                org_unit,
            )
            if unit in ("pct", "average"):
                assert listed.listed_denominator == Decimal(str(denominator)).quantize(Decimal("0.0001")), (
                    measure_id,
                    org_unit,
                )
            if unit in ("pct", "count", "rate_per_10k") and family != "staffing":
                # one record per unit counted: the listed rows are the numbers
                assert sum(1 for r in listed.rows if r["in_numerator"]) == numerator, (measure_id, org_unit)
            families.add(family)
            records += len(listed.rows)
    assert len(families) == 10 and records > 1000


def test_explain_writes_child_level_lists_for_their_owner_only(tmp_path, warehouse, month, capsys):
    out = tmp_path / "overdue.csv"
    args = ["explain", "assessments_within_45wd", "--month", month, "--warehouse", str(warehouse)]
    assert main([*args, "--out", str(out)]) == 0
    assert stat.S_IMODE(out.stat().st_mode) == 0o600
    header, *rows = out.read_text().splitlines()
    assert header == "person_id,record_id,team_id,team_name,counted_at,is_uasc,numerator,denominator,in_numerator"
    printed = capsys.readouterr().out
    numerator = re.search(r"published numerator (\d+)", printed).group(1)
    assert f"{sum(1 for r in rows if r.endswith(',True'))} in the numerator" in printed
    assert f"Listed numerator {numerator}," in printed
    assert main(["explain", "no_such_measure", "--month", month, "--warehouse", str(warehouse)]) == 1
    assert "unknown measure 'no_such_measure'" in capsys.readouterr().err
    with duckdb.connect(str(warehouse / "published.duckdb"), read_only=True) as con:
        all_only = con.execute("select min(measure_id) from measure_catalogue where not uasc_split").fetchone()[0]
    assert main(["explain", all_only, "--month", month, "--scope", "excl_uasc", "--warehouse", str(warehouse)]) == 1
    assert f"{all_only} is published for scope 'all' only" in capsys.readouterr().err


def test_no_child_level_identifier_reaches_a_report(warehouse, month):
    with duckdb.connect(str(warehouse / "warehouse.duckdb"), read_only=True) as con:
        people = {r[0] for r in con.execute("select distinct person_id from staging.stg_ssd__ssd_person").fetchall()}
    assert len(people) > 100
    html = (warehouse / "reports" / f"scorecard_{month}.html").read_text(encoding="utf-8")
    tokens = set(re.findall(r"[A-Za-z0-9]{6,}", html))
    assert not tokens & people
    book = openpyxl.load_workbook(warehouse / "reports" / f"scorecard_{month}.xlsx")
    cells = {str(c.value) for name in book.sheetnames for row in book[name].iter_rows() for c in row if c.value}
    assert not cells & people
