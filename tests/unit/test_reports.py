"""The reports' own logic: chart bands agree with the RAG rules, specs render, names are valid."""

from __future__ import annotations

import re

import pytest

from pipelines.reports.excel import amount_format, sheet_name
from pipelines.reports.html import chart_spec, rag_bands
from pipelines.reports.monthly import format_amount, format_value


def _rag(value, polarity, target, red_threshold=None, green_band=None, red_band=None):
    """measures.md section 2, as the rag() macro applies it."""
    if polarity == "H":
        return "Green" if value >= target else "Red" if red_threshold is not None and value < red_threshold else "Amber"
    if polarity == "L":
        return "Green" if value <= target else "Red" if red_threshold is not None and value > red_threshold else "Amber"
    distance = abs(value - target)
    return "Green" if distance <= green_band else "Red" if distance > red_band else "Amber"


def _band_of(bands, value):
    # strictly inside a band: the boundaries themselves belong to the rule, not to the shading
    return next(b["rag"] for b in bands if b["lo"] < value < b["hi"])


@pytest.mark.parametrize(
    "measure",
    [
        {"polarity": "H", "target": 90, "red_threshold": 80, "green_band": None, "red_band": None},
        {"polarity": "L", "target": 15, "red_threshold": 20, "green_band": None, "red_band": None},
        {"polarity": "T", "target": 7.5, "red_threshold": None, "green_band": 3, "red_band": 6},
        {"polarity": "H", "target": 86, "red_threshold": None, "green_band": None, "red_band": None},
        {"polarity": "L", "target": 0, "red_threshold": None, "green_band": None, "red_band": None},
    ],
)
def test_the_shaded_bands_are_the_rag_rules(measure):
    bands = rag_bands(measure)
    for value in [x / 4 for x in range(-40, 480)]:
        if any(value in (b["lo"], b["hi"]) for b in bands):
            continue
        expected = _rag(
            value,
            measure["polarity"],
            measure["target"],
            measure["red_threshold"],
            measure["green_band"],
            measure["red_band"],
        )
        assert _band_of(bands, value) == expected, value


def test_a_measure_without_polarity_or_target_has_no_bands():
    assert rag_bands({"polarity": None, "target": None, "red_threshold": None}) == []


def test_a_chart_spec_renders_with_vega():
    vl_convert = pytest.importorskip("vl_convert")
    spec = chart_spec({"unit": "pct", "polarity": "H", "target": 90, "red_threshold": 80})
    spec["width"] = 300
    line = spec["layer"][-1]
    line["data"] = {"values": [{"month": f"2015-{m:02d}-28", "value": 80 + m, "rag": "Amber"} for m in range(1, 13)]}
    line["encoding"]["y"]["scale"]["domain"] = [70, 100]
    svg = vl_convert.vegalite_to_svg(spec)
    assert re.findall(r">([A-Z][a-z]{2} \d\d)<", svg) == ["Apr 15", "Jul 15", "Oct 15"]
    for colour in ("#1a9850", "#f0a30a", "#d73027"):  # the three bands drawn
        assert f'fill="{colour}"' in svg


def test_sheet_names_follow_excels_rules():
    taken: set[str] = set()
    assert sheet_name("Scorecard", taken) == "Scorecard"
    assert sheet_name("East Kent (Can/Swa) CIC: a very long team name", taken) == "East Kent (Can-Swa) CIC- a very"
    assert sheet_name("scorecard", taken) == "scorecard 2"


def test_numbers_read_as_the_seed_prints_them():
    assert format_value(85.24, "pct") == "85.2%"
    assert format_value(1234, "count") == "1,234"
    assert format_value(499.44, "average") == "499.4"
    assert format_value(None, "pct") == "-"
    assert format_amount(334.6, "pct") == "334.6" and format_amount(81.0, "pct") == "81"
    assert format_amount(5, "count") == "-"
    assert amount_format(81.0) == "#,##0" and amount_format(334.6) == "#,##0.0"
