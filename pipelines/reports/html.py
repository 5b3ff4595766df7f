"""The monthly report as one self-contained HTML file that opens offline.

Charts are Vega-Lite specifications drawn in the reader's browser by the Vega runtime, which is
inlined (vl-convert ships the bundle; no request leaves the page). The page carries the
month's aggregates for every org unit, and a picker switches between them.
"""

from __future__ import annotations

import json
import math
from datetime import date
from pathlib import Path

from jinja2 import Environment, FileSystemLoader, select_autoescape

from .. import settings
from .monthly import (
    ARROWS,
    RAG_LETTER,
    MonthlyReport,
    format_amount,
    format_value,
    performance_summary_sentence,
    statement_text,
)

TEMPLATES = Path(__file__).parent / "templates"
RAG_COLOURS = {"Green": "#1a9850", "Amber": "#f0a30a", "Red": "#d73027"}


def vega_bundle() -> str:
    """Vega, Vega-Lite and Vega-Embed as one script. Bundling takes vl-convert ~2 s, so the
    bundle is kept per vl-convert version (it does not change between nights)."""
    from importlib.metadata import version

    # the version from the package's metadata: importing vl_convert maps its 84 MB library
    cache = settings.cache_dir() / f"vega-embed-{version('vl-convert-python')}.js"
    try:
        return cache.read_text(encoding="utf-8")
    except OSError:
        pass
    import vl_convert

    bundle = vl_convert.javascript_bundle(snippet="window.vegaEmbed = vegaEmbed;")
    try:
        cache.parent.mkdir(parents=True, exist_ok=True)
        partial = cache.with_suffix(".partial")
        partial.write_text(bundle, encoding="utf-8")
        partial.replace(cache)
    except OSError:
        pass  # a read-only install: bundle again next time
    return bundle


def rag_bands(measure: dict) -> list[dict]:
    """The value ranges read as Green, Amber and Red (the rag() macro's rules), for shading a
    chart; open ends run to +-1e12 and are clipped to the chart's scale."""
    polarity, target = measure["polarity"], measure["target"]
    if polarity is None or target is None:
        return []
    far = 1e12
    if polarity == "T":
        green, red = measure["green_band"] or 0, measure["red_band"] or 0
        return [
            {"rag": "Red", "lo": -far, "hi": target - red},
            {"rag": "Amber", "lo": target - red, "hi": target - green},
            {"rag": "Green", "lo": target - green, "hi": target + green},
            {"rag": "Amber", "lo": target + green, "hi": target + red},
            {"rag": "Red", "lo": target + red, "hi": far},
        ]
    red_threshold = measure["red_threshold"]
    if polarity == "H":
        if red_threshold is None:  # no red threshold: short of the target is Amber, never Red
            return [{"rag": "Amber", "lo": -far, "hi": target}, {"rag": "Green", "lo": target, "hi": far}]
        return [
            {"rag": "Red", "lo": -far, "hi": red_threshold},
            {"rag": "Amber", "lo": red_threshold, "hi": target},
            {"rag": "Green", "lo": target, "hi": far},
        ]
    if red_threshold is None:
        return [{"rag": "Green", "lo": -far, "hi": target}, {"rag": "Amber", "lo": target, "hi": far}]
    return [
        {"rag": "Green", "lo": -far, "hi": target},
        {"rag": "Amber", "lo": target, "hi": red_threshold},
        {"rag": "Red", "lo": red_threshold, "hi": far},
    ]


def chart_spec(measure: dict) -> dict:
    """A measure's trend chart as Vega-Lite: result by month (the page supplies the org unit's
    values and the y scale), a dashed target line and the RAG bands shaded behind."""
    percent = measure["unit"] == "pct"
    layers: list[dict] = []
    bands = rag_bands(measure)
    if bands:
        layers.append(
            {
                "data": {"values": bands},
                "mark": {"type": "rect", "opacity": 0.18, "clip": True},
                "encoding": {
                    "y": {"field": "lo", "type": "quantitative"},
                    "y2": {"field": "hi"},
                    "color": {
                        "field": "rag",
                        "type": "nominal",
                        "scale": {"domain": list(RAG_COLOURS), "range": list(RAG_COLOURS.values())},
                        "legend": None,
                    },
                },
            }
        )
    if measure["target"] is not None:
        layers.append(
            {
                "mark": {"type": "rule", "strokeDash": [5, 3], "color": "#333"},
                "encoding": {"y": {"datum": measure["target"]}},
            }
        )
    layers.append(
        {
            "data": {"name": "series"},
            "mark": {"type": "line", "point": {"filled": True, "size": 28}, "color": "#1f3864", "clip": True},
            "encoding": {
                "x": {"field": "month", "type": "temporal", "title": None, "axis": {"format": "%b %y", "tickCount": 6}},
                "y": {
                    "field": "value",
                    "type": "quantitative",
                    "title": "%" if percent else None,
                    "scale": {"zero": False, "nice": False},
                },
                "tooltip": [
                    {"field": "month", "type": "temporal", "format": "%b %Y", "title": "Month end"},
                    {"field": "value", "type": "quantitative", "format": ",.1f", "title": "Result"},
                    {"field": "rag", "type": "nominal", "title": "RAG"},
                ],
            },
        }
    )
    return {
        "width": "container",
        "height": 130,
        "layer": layers,
        "resolve": {"scale": {"color": "independent"}},
        "config": {"view": {"stroke": None}, "axis": {"labelFontSize": 10}},
    }


def _number(value: float | None) -> float | None:
    return None if value is None or (isinstance(value, float) and math.isnan(value)) else round(value, 4)


def page_data(report: MonthlyReport) -> dict:
    """What the page's script needs: months, measures (with chart specs) and each org unit's series."""
    measures = []
    for row in report.scorecard["LA"]:
        catalogue = next(m for m in report.catalogue if m["measure_id"] == row["measure_id"])
        measures.append(
            {
                "id": row["measure_id"],
                "no": row["scorecard_no"],
                "name": row["indicator"],
                "unit": row["unit"],
                "section": row["section"],
                "target": catalogue["target"],
                "thresholds": [b for band in rag_bands(catalogue) for b in (band["lo"], band["hi"]) if abs(b) < 1e11],
                "spec": chart_spec(catalogue),
            }
        )
    months = [m.isoformat() for m in report.trend_months]
    index = {m: i for i, m in enumerate(report.trend_months)}
    series: dict[str, dict[str, list]] = {}
    for (org_unit, measure_id), points in report.trend.items():
        values: list = [None] * len(months)
        rags = [""] * len(months)
        for point in points:
            values[index[point["period_end"]]] = _number(point["result"])
            rags[index[point["period_end"]]] = RAG_LETTER[point["rag"]]
        series.setdefault(org_unit, {})[measure_id] = [values, "".join(r or "-" for r in rags)]
    return {"months": months, "measures": measures, "series": series}


def write_html(report: MonthlyReport, path: Path, org_unit: str = "LA") -> Path:
    """The page for a month, opening at `org_unit` (the picker reaches every other)."""
    env = Environment(loader=FileSystemLoader(TEMPLATES), autoescape=select_autoescape(["html", "j2"]))
    env.filters.update(value=format_value, amount=format_amount)
    definitions = {m["measure_id"]: " ".join((m["definition"] or "").split()) for m in report.catalogue}
    html = env.get_template("monthly.html.j2").render(
        report=report,
        initial_unit=report.org_unit(org_unit),
        generated=date.today(),
        definitions=definitions,
        arrows=ARROWS,
        rag_letter=RAG_LETTER,
        summary_sentence=lambda unit: performance_summary_sentence(
            report.period_end, unit.name, report.summary[unit.org_unit]
        ),
        statement=statement_text(report),
        # </ inside inline JSON or script would end the <script> element early
        data_json=json.dumps(page_data(report), separators=(",", ":")).replace("</", "<\\/"),
        vega_js=vega_bundle().replace("</script", "<\\/script"),
    )
    path.write_text(html, encoding="utf-8")
    return path
