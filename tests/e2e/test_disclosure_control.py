"""What leaves the service: shareable.duckdb holds no small count below the authority, and no
suppressed cell can be worked out from the published ones.

The attack here is written independently of pipelines/disclosure.py: it takes every published
cell as known exactly (the performance team's own figures, the worst case), writes down every
sum that ties the cells - an area is the sum of its teams, the authority the sum of its areas
and teams without an area plus its records with no team, `all` = `excl_uasc` + UASC - and
tries to solve for each withheld cell: first by subtraction (an equation with one unknown left),
then by linear algebra (a cell is recovered when its unit vector lies in the row space of the
equations over the unknowns).
"""

from collections import defaultdict

import duckdb
import numpy as np
import pytest

from pipelines.contracts import catalogue

THRESHOLD = 5  # config/default.yml


def _rows(path, sql):
    con = duckdb.connect(str(path), read_only=True)
    try:
        return con.execute(sql).fetchall()
    finally:
        con.close()


@pytest.fixture(scope="module")
def tables(published):
    shareable = published.with_name("shareable.duckdb")
    exact = {
        (m, p, u, s): (n, d)
        for m, p, u, s, n, d in _rows(
            published,
            "select measure_id, period_end, org_unit, uasc_scope, numerator, denominator from measure_results",
        )
    }
    shared = {
        (m, p, u, s): (n, d, v, suppressed)
        for m, p, u, s, n, d, v, suppressed in _rows(
            shareable,
            "select measure_id, period_end, org_unit, uasc_scope, numerator, denominator, value, suppressed "
            "from measure_results",
        )
    }
    parents = dict(_rows(published, "select org_unit, parent_org_unit from org_units"))
    return exact, shared, parents


def _small(x):
    return x is not None and x < THRESHOLD


def test_the_shareable_results_are_the_published_cells_with_numbers_withheld_or_rounded(tables):
    exact, shared, _ = tables
    assert set(shared) == set(exact)
    suppressed = [k for k, (_, _, _, s) in shared.items() if s]
    assert suppressed and all(k[2] != "LA" for k in suppressed)  # the authority's cells are never withheld
    assert all(shared[k][:3] == (None, None, None) for k in suppressed)
    for key, (n, d, _, s) in shared.items():
        if not s:
            assert n is None or n % 5 == 0, key
            assert d is None or d % 5 == 0, key


def test_no_count_below_the_threshold_leaves_the_service_below_the_authority(tables):
    exact, shared, _ = tables
    leaks = [
        key
        for key, (num, den) in exact.items()
        if key[2] != "LA" and not shared[key][3] and (_small(num) or _small(den))
    ]
    assert leaks == []


def test_percentages_of_all_but_a_few_children_are_withheld_too(tables):
    exact, shared, _ = tables
    pct = {m.id for m in catalogue().measures.values() if m.unit == "pct"}
    leaks = [
        key
        for key, (num, den) in exact.items()
        if key[0] in pct and key[2] != "LA" and not shared[key][3] and den is not None and 0 < den - num < THRESHOLD
    ]
    assert leaks == []


def _equations(measure, part, period, exact, shared, parents):
    """Unknowns (withheld cells, and UASC parts nobody publishes) and the sums over them."""
    units = sorted(parents)
    children = defaultdict(list)
    for unit, parent in parents.items():
        if unit != "LA":
            children[parent or "LA"].append(unit)
    scopes = ["all", "excl_uasc", "uasc"] if measure.uasc_split else ["all"]

    def cell(unit, scope):
        if scope == "uasc":
            if part is None:
                return None  # never published: unknown
            key = (part.id, period, unit, "all")
        else:
            key = (measure.id, period, unit, scope)
        return None if shared[key][3] else key

    unknowns, columns = [], {}
    for unit in units:
        for scope in scopes:
            if cell(unit, scope) is None:
                columns[(unit, scope)] = len(unknowns)
                unknowns.append((unit, scope))
    rows = []
    for scope in scopes:
        for parent, kids in children.items():
            rows.append({(parent, scope): 1.0, **{(kid, scope): -1.0 for kid in kids}})
    if measure.uasc_split:
        for unit in units:
            rows.append({(unit, "all"): 1.0, (unit, "excl_uasc"): -1.0, (unit, "uasc"): -1.0})
    matrix = np.zeros((len(rows), len(unknowns)))
    for r, row in enumerate(rows):
        for variable, coefficient in row.items():
            if variable in columns:
                matrix[r, columns[variable]] = coefficient
    return unknowns, matrix


def _uasc_part(measure, part, period, unit, exact):
    if part is not None:
        return exact[(part.id, period, unit, "all")]
    everyone, excluding = exact[(measure.id, period, unit, "all")], exact[(measure.id, period, unit, "excl_uasc")]
    return tuple(None if a is None or b is None else a - b for a, b in zip(everyone, excluding, strict=True))


def test_no_withheld_cell_can_be_worked_out_from_the_others(tables):
    exact, shared, parents = tables
    measures = catalogue().measures
    parts = {m.uasc_part_of: m for m in measures.values() if m.uasc_part_of}
    periods = sorted({k[1] for k in exact})
    recovered, checked = [], 0
    for measure in measures.values():
        if measure.attribution == "la_only" or measure.uasc_part_of:
            continue
        part = parts.get(measure.id)
        for period in periods:
            if (measure.id, period, "LA", "all") not in exact or exact[(measure.id, period, "LA", "all")][0] is None:
                continue  # unavailable: nothing is published
            unknowns, matrix = _equations(measure, part, period, exact, shared, parents)
            must_stay_unknown = []
            for i, (unit, scope) in enumerate(unknowns):
                if unit == "LA":
                    continue
                if scope == "uasc" and (part is None or not shared[(part.id, period, unit, "all")][3]):
                    num, den = _uasc_part(measure, part, period, unit, exact)
                    if not ((num is not None and 0 < num < THRESHOLD) or (den is not None and 0 < den < THRESHOLD)):
                        continue  # a UASC part of none, or of several, is no disclosure
                must_stay_unknown.append(i)
            if not must_stay_unknown:
                continue
            # subtraction: an equation with a single unknown gives it away
            known = set()
            changed = True
            while changed:
                changed = False
                for row in matrix:
                    open_ = [j for j in np.flatnonzero(row) if j not in known]
                    if len(open_) == 1:
                        known.add(open_[0])
                        changed = True
            # linear algebra: a unit vector in the row space of the equations over the unknowns
            rank = np.linalg.matrix_rank(matrix) if matrix.size else 0
            for i in must_stay_unknown:
                checked += 1
                unit_vector = np.zeros((1, len(unknowns)))
                unit_vector[0, i] = 1.0
                by_algebra = matrix.size and np.linalg.matrix_rank(np.vstack([matrix, unit_vector])) == rank
                if i in known or by_algebra:
                    recovered.append((measure.id, str(period), *unknowns[i]))
    assert checked > 1000
    assert recovered == []
