"""Disclosure control on hand-worked tables: which cells are withheld, and why.

The hierarchy: the authority LA holds area A1 (teams T1, T2, T3) and team T4 directly.
"""

from datetime import date

import numpy as np
import pandas as pd
import pytest

from pipelines.config import DisclosurePolicy
from pipelines.contracts import Catalogue, Measure
from pipelines.disclosure import OrgUnits, determined, suppress

ORG = OrgUnits.from_parents({"A1": None, "T1": "A1", "T2": "A1", "T3": "A1", "T4": None})
MARCH = date(2016, 3, 31)
POLICY = DisclosurePolicy(threshold=5, rounding_base=5, suppress_zeros=True)


def _measure(measure_id, unit="count", split=False, part_of=None) -> Measure:
    return Measure(
        id=measure_id,
        spec_no=1,
        scorecard_no=None,
        name=measure_id,
        section="s",
        family="f",
        polarity=None,
        period="SS",
        unit=unit,
        target=None,
        red_threshold=None,
        uasc_split=split,
        attribution="person_team",
        requires=(),
        seed_ref="",
        definition="",
        uasc_part_of=part_of,
    )


def _catalogue(*measures) -> Catalogue:
    return Catalogue(version=1, sections={}, families={}, measures={m.id: m for m in measures})


def _counts(measure_id, scope="all", **counts) -> list[dict]:
    """A count measure's cells; the area and the authority are the sums (the authority has 1 more
    record with no team)."""
    counts["A1"] = counts["T1"] + counts["T2"] + counts["T3"]
    counts["LA"] = counts["A1"] + counts["T4"] + 1
    return [
        {
            "measure_id": measure_id,
            "period_end": MARCH,
            "org_unit": unit,
            "uasc_scope": scope,
            "numerator": float(n),
            "denominator": np.nan,
        }
        for unit, n in counts.items()
    ]


def _withheld(frame: pd.DataFrame) -> dict[tuple[str, str], str]:
    return {(r.org_unit, r.uasc_scope): r.suppression for r in frame.itertuples()}


def test_a_small_team_and_the_smallest_cell_that_would_give_it_away():
    # T1 = A1 - T2 - T3 once T1 is withheld; T2 (6) is the smallest other cell of that sum
    cells = pd.DataFrame(_counts("c", T1=3, T2=6, T3=20, T4=40))
    assert _withheld(suppress(cells, _catalogue(_measure("c")), ORG, POLICY)) == {
        ("T1", "all"): "primary",
        ("T2", "all"): "secondary",
    }


def test_a_small_team_directly_under_the_authority_takes_an_area_and_one_of_its_teams():
    # T4 = LA - A1 - (records with no team, taken as known): A1 is withheld, and then A1 = T1 + T2 + T3
    # would give A1 and so T4 away, so T2 (the smallest) is withheld too
    cells = pd.DataFrame(_counts("c", T1=7, T2=6, T3=20, T4=2))
    assert _withheld(suppress(cells, _catalogue(_measure("c")), ORG, POLICY)) == {
        ("T4", "all"): "primary",
        ("A1", "all"): "secondary",
        ("T2", "all"): "secondary",
    }


def test_nothing_is_withheld_when_every_count_is_large_and_the_authority_never_is():
    cells = pd.DataFrame(_counts("c", T1=8, T2=9, T3=20, T4=40))
    assert suppress(cells, _catalogue(_measure("c")), ORG, POLICY).empty
    small_everywhere = pd.DataFrame(_counts("c", T1=1, T2=1, T3=1, T4=0))
    withheld = _withheld(suppress(small_everywhere, _catalogue(_measure("c")), ORG, POLICY))
    assert ("LA", "all") not in withheld and len(withheld) == 5


def test_zeros_are_withheld_unless_the_policy_publishes_them():
    cells = pd.DataFrame(_counts("c", T1=0, T2=9, T3=20, T4=40))
    assert ("T1", "all") in _withheld(suppress(cells, _catalogue(_measure("c")), ORG, POLICY))
    publishing_zeros = DisclosurePolicy(threshold=5, rounding_base=5, suppress_zeros=False)
    assert suppress(cells, _catalogue(_measure("c")), ORG, publishing_zeros).empty


def test_a_percentage_of_all_but_a_few_children_is_withheld():
    rows = []
    for unit, (num, den) in {"T1": (18, 20), "T2": (10, 30), "T3": (15, 25), "T4": (20, 40)}.items():
        rows.append({"org_unit": unit, "numerator": num, "denominator": den})
    frame = pd.DataFrame(rows)
    area = frame[frame.org_unit.isin(["T1", "T2", "T3"])][["numerator", "denominator"]].sum()
    frame.loc[len(frame)] = {"org_unit": "A1", **area}
    frame.loc[len(frame)] = {"org_unit": "LA", "numerator": area.numerator + 20, "denominator": area.denominator + 40}
    frame = frame.assign(measure_id="p", period_end=MARCH, uasc_scope="all")
    withheld = _withheld(suppress(frame, _catalogue(_measure("p", unit="pct")), ORG, POLICY))
    assert withheld[("T1", "all")] == "primary"  # 18 of 20: the two not counted are identifiable
    assert len([k for k, v in withheld.items() if v == "secondary"]) == 1


def test_a_small_uasc_part_cannot_be_worked_out_as_all_minus_excluding_uasc():
    everyone = _counts("u", T1=10, T2=30, T3=40, T4=50)
    excluding = _counts("u", scope="excl_uasc", T1=8, T2=30, T3=40, T4=50)  # T1 has 2 UASC children
    cells = pd.DataFrame(everyone + excluding)
    withheld = _withheld(suppress(cells, _catalogue(_measure("u", split=True)), ORG, POLICY))
    assert withheld and set(withheld.values()) == {"secondary"}
    assert ("T1", "all") in withheld or ("T1", "excl_uasc") in withheld


def test_a_uasc_part_published_as_its_own_measure_is_protected_with_its_whole():
    # uasc_cla_count is cla_count's UASC part: T1's 2 UASC children are withheld, and so is
    # whatever would give them away (all - excl_uasc, or the area's UASC count less the others)
    whole = _measure("cla", split=True)
    part = _measure("uasc_cla", part_of="cla")
    everyone = _counts("cla", T1=10, T2=30, T3=40, T4=50)
    excluding = _counts("cla", scope="excl_uasc", T1=8, T2=24, T3=33, T4=44)
    uasc = _counts("uasc_cla", T1=2, T2=6, T3=7, T4=6)
    # the authority's one record with no team is not UASC: its UASC count is the sum of the units'
    uasc = [{**row, "numerator": row["numerator"] - (1 if row["org_unit"] == "LA" else 0)} for row in uasc]
    cells = pd.DataFrame(everyone + excluding + uasc)
    frame = suppress(cells, _catalogue(whole, part), ORG, POLICY)
    withheld = {(r.measure_id, r.org_unit, r.uasc_scope): r.suppression for r in frame.itertuples()}
    assert withheld[("uasc_cla", "T1", "all")] == "primary"
    assert any(k[0] == "cla" for k in withheld)  # all - excl_uasc at T1 would give it away


@pytest.mark.parametrize(
    ("hidden", "expected"),
    [
        ([True, False, False], [True, False, False]),  # one unknown in x0 = x1 + x2: found
        ([True, True, False], [False, False, False]),  # two unknowns in one sum: neither found
    ],
)
def test_determined_finds_what_a_single_sum_gives_away(hidden, expected):
    a = np.array([[1.0, -1.0, -1.0]])
    assert determined(a, np.array(hidden)).tolist() == expected


def test_each_month_is_its_own_table_whatever_the_months_beside_it():
    # the months of a measure are checked together (a matrix of months x cells): each month must
    # come out as it does alone - a percentage's numerator and denominator of the same month
    rates = [
        ("2016-01-31", {"T1": (3, 20), "T2": (6, 20), "T3": (20, 40), "T4": (40, 80)}),
        ("2016-02-29", {"T1": (10, 20), "T2": (12, 20), "T3": (20, 40), "T4": (40, 80)}),
        ("2016-03-31", {"T1": (10, 30), "T2": (12, 20), "T3": (20, 40), "T4": (78, 80)}),
    ]

    def month(period_end, teams):
        counts = {unit: n for unit, (n, _) in teams.items()}
        sizes = {unit: d for unit, (_, d) in teams.items()}
        numerators = _counts("p", **counts)
        denominators = {row["org_unit"]: row["numerator"] for row in _counts("p", **sizes)}
        return [
            {**row, "period_end": date.fromisoformat(period_end), "denominator": denominators[row["org_unit"]]}
            for row in numerators
        ]

    catalogue = _catalogue(_measure("p", unit="pct"))
    together = suppress(pd.DataFrame([r for m in rates for r in month(*m)]), catalogue, ORG, POLICY)
    alone = pd.concat([suppress(pd.DataFrame(month(*m)), catalogue, ORG, POLICY) for m in rates])
    key = ["period_end", "org_unit", "uasc_scope"]
    assert together.sort_values(key).values.tolist() == alone.sort_values(key).values.tolist()
    by_month = together.groupby("period_end")["org_unit"].apply(set).to_dict()
    assert by_month[date(2016, 1, 31)] >= {"T1"}  # 3 of 20: a small count
    assert date(2016, 2, 29) not in by_month  # nothing small
    # 78 of 80: all but two; then the area that gives T4 away, then the smallest of the area's teams
    # that month (T2, 20 children; in January T1 and T2 were both 20)
    assert by_month[date(2016, 3, 31)] == {"T4", "A1", "T2"}


def test_the_linear_algebra_runs_on_one_blas_thread(monkeypatch):
    # thousands of tiny SVDs: BLAS threads made them 10-30x slower when dbt's other model held the cores
    from threadpoolctl import threadpool_info

    import pipelines.disclosure as disclosure

    seen = []
    real = disclosure.determined

    def watched(a, hidden):
        seen.extend(pool["num_threads"] for pool in threadpool_info() if pool["user_api"] == "blas")
        return real(a, hidden)

    monkeypatch.setattr(disclosure, "determined", watched)
    disclosure._DETERMINED.clear()
    suppress(pd.DataFrame(_counts("c", T1=3, T2=6, T3=20, T4=40)), _catalogue(_measure("c")), ORG, POLICY)
    assert seen and set(seen) == {1}
