"""Disclosure control for what leaves the service: shareable.duckdb and shareable/*.parquet.

published.duckdb is the performance team's exact internal publication. What goes to
councillors' public papers, regional benchmarking and open data is the same tables under this
policy (configuration `disclosure`, README "Sharing outside the service"):

1. Primary suppression, at team and area level: a cell - one measure, month, org unit and
   scope - is suppressed when a count it publishes (numerator or denominator) is below the
   threshold (a zero too, unless `suppress_zeros: false`), or, for a percentage, when the
   children outside the numerator number 1 to threshold - 1 ("all but two").
2. Secondary suppression: cells are tied by sums - an area is the sum of its teams, the
   authority the sum of its areas and teams without an area plus the records attributed to no
   team, and `all` = `excl_uasc` + the UASC children (published for cla_count as
   uasc_cla_count). Taking every published cell as known exactly, and the authority's records
   with no team as known too, no suppressed cell - nor a small UASC part of a team or area - may
   be worked out from those sums. This is checked by linear algebra, and further team or area
   cells (the smallest first) are suppressed until it holds.
3. Rounding: numerators, denominators and the results of count measures are rounded to the
   nearest `rounding_base` at every level (the seeds' committee reports: "counts rounded to
   nearest 5"); percentages, averages and rates are published as computed. (dbt model
   shareable_measure_results.)

The authority's own cells are never suppressed. Not covered: differences between the months
of a year-to-date count, and between different measures counting overlapping children.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import cache

import numpy as np
import pandas as pd
from threadpoolctl import threadpool_limits

from .config import DisclosurePolicy
from .contracts import Catalogue, Measure

LA = "LA"
ALL, EXCL, UASC = "all", "excl_uasc", "uasc"
PRIMARY, SECONDARY = "primary", "secondary"
TOLERANCE = 1e-9


@dataclass(frozen=True)
class OrgUnits:
    """The published hierarchy: areas hold teams; the authority holds areas and teams without one."""

    pairs: tuple[tuple[str, str | None], ...]  # (unit, its area; None: directly under the authority)

    @classmethod
    def from_parents(cls, parents: dict[str, str | None]) -> OrgUnits:
        return cls(tuple(sorted({**parents, LA: None}.items())))

    @property
    def parent(self) -> dict[str, str | None]:
        return dict(self.pairs)

    @property
    def units(self) -> list[str]:
        return sorted(self.parent)

    def children(self, unit: str) -> list[str]:
        if unit == LA:
            return sorted(u for u, p in self.parent.items() if p is None and u != LA)
        return sorted(u for u, p in self.parent.items() if p == unit)

    @property
    def parents(self) -> list[str]:
        return [LA] + sorted({p for p in self.parent.values() if p is not None})


@dataclass
class _Layout:
    """The variables of one measure table and the sums that tie them.

    Each org unit has a cell per scope, published except the UASC part (unless a measure
    publishes it). A parent's cell is the sum of its children's plus a remainder taken as known
    (records at the authority with no team; nothing, for an area), so a relation's constant
    never protects anything."""

    variables: list[tuple[str, str]] = field(default_factory=list)  # (node, scope)
    published: list[bool] = field(default_factory=list)
    relations: list[dict[int, float]] = field(default_factory=list)  # sum of coefficient * variable = 0
    index: dict[tuple[str, str], int] = field(default_factory=dict)
    protected: list[bool] = field(default_factory=list)  # a small value here must not be derivable

    def add(self, node: str, scope: str, published: bool, protected: bool) -> None:
        self.index[(node, scope)] = len(self.variables)
        self.variables.append((node, scope))
        self.published.append(published)
        self.protected.append(protected)


@cache
def _layout(org: OrgUnits, split: bool, uasc_published: bool) -> _Layout:
    layout = _Layout()
    scopes = [ALL, EXCL, UASC] if split else [ALL]
    nodes = list(org.units)
    for node in nodes:
        for scope in scopes:
            layout.add(node, scope, published=scope != UASC or uasc_published, protected=node != LA)
    for scope in scopes:
        for parent in org.parents:
            relation = {layout.index[(parent, scope)]: 1.0}
            for child in org.children(parent):
                relation[layout.index[(child, scope)]] = -1.0
            layout.relations.append(relation)
    if split:
        for node in nodes:
            layout.relations.append(
                {layout.index[(node, ALL)]: 1.0, layout.index[(node, EXCL)]: -1.0, layout.index[(node, UASC)]: -1.0}
            )
    return layout


@cache
def _matrix(org: OrgUnits, split: bool, uasc_published: bool) -> np.ndarray:
    layout = _layout(org, split, uasc_published)
    a = np.zeros((len(layout.relations), len(layout.variables)))
    for row, relation in enumerate(layout.relations):
        for column, coefficient in relation.items():
            a[row, column] = coefficient
    return a


@cache
def _incidence(org: OrgUnits, split: bool, uasc_published: bool) -> np.ndarray:
    """Which variables each sum holds (relation x variable)."""
    return _matrix(org, split, uasc_published) != 0


@cache
def _virtual_from_published(org: OrgUnits, split: bool, uasc_published: bool) -> np.ndarray:
    """Each variable as a combination of the published ones: itself, or an unpublished UASC
    part as `all` - `excl_uasc`."""
    layout = _layout(org, split, uasc_published)
    published = [i for i, is_published in enumerate(layout.published) if is_published]
    column = {variable: j for j, variable in enumerate(published)}
    combination = np.zeros((len(layout.variables), len(published)))
    for i, (node, _scope) in enumerate(layout.variables):
        if layout.published[i]:
            combination[i, column[i]] = 1.0
        else:
            combination[i, column[layout.index[(node, ALL)]]] = 1.0
            combination[i, column[layout.index[(node, EXCL)]]] = -1.0
    return combination


_DETERMINED: dict[tuple, np.ndarray] = {}


def _determined_cached(key: tuple, a: np.ndarray, hidden: np.ndarray) -> np.ndarray:
    """determined(), remembered by table layout and hidden pattern (months repeat their patterns)."""
    cache_key = (key, hidden.tobytes())
    found = _DETERMINED.get(cache_key)
    if found is None:
        if len(_DETERMINED) > 200_000:
            _DETERMINED.clear()
        found = _DETERMINED[cache_key] = determined(a, hidden)
    return found


def determined(a: np.ndarray, hidden: np.ndarray) -> np.ndarray:
    """Which hidden variables the sums determine once every other variable is known: those whose
    coordinate is zero in every vector of the null space of the hidden columns."""
    columns = np.flatnonzero(hidden)
    sub = a[:, columns]
    if sub.size == 0:
        return np.zeros(len(hidden), dtype=bool)
    _, singular, vt = np.linalg.svd(sub, full_matrices=True)
    rank = int((singular > TOLERANCE * max(1.0, singular.max(initial=0.0))).sum())
    null_space = vt[rank:]
    fixed = np.ones(len(columns), dtype=bool) if null_space.size == 0 else (np.abs(null_space) < 1e-8).all(axis=0)
    out = np.zeros(len(hidden), dtype=bool)
    out[columns] = fixed
    return out


def _small(values: np.ndarray, threshold: int, zero_is_small: bool) -> np.ndarray:
    with np.errstate(invalid="ignore"):
        small = (values < threshold - TOLERANCE) & ~np.isnan(values)
        return small if zero_is_small else small & (np.abs(values) > TOLERANCE)


def _sensitive(num: np.ndarray, den: np.ndarray, pct: bool, threshold: int, zero_is_small: bool) -> np.ndarray:
    sensitive = _small(num, threshold, zero_is_small) | _small(den, threshold, zero_is_small)
    if pct:
        sensitive |= _small(den - num, threshold, zero_is_small=False)  # "all but two"
    return sensitive


def _table_suppression(
    org: OrgUnits, split: bool, uasc_published: bool, primary: np.ndarray, must_stay_hidden: np.ndarray, weight
) -> dict[int, str]:
    """The suppressed published variables of one measure table (one month): variable -> kind.
    ``primary``: the published cells the policy withholds; ``must_stay_hidden``: those and the
    unpublished cells that would give a small number away; ``weight``: each cell's size, the
    smallest withheld first. Called for the months with something that must stay hidden."""
    layout = _layout(org, split, uasc_published)
    a = _matrix(org, split, uasc_published)
    in_relation = _incidence(org, split, uasc_published)
    published = np.array(layout.published)
    hidden = primary | ~published
    open_cells = published & np.array(layout.protected)
    kinds = {int(i): PRIMARY for i in np.flatnonzero(primary)}
    while True:
        worked_out = _determined_cached((org, split, uasc_published), a, hidden) & hidden
        exposed = worked_out & must_stay_hidden
        if not exposed.any():
            return kinds
        # withhold a cell of a sum that gives a small one away; else of a sum that gives away a
        # withheld cell it depends on (an area the authority's sum shows); else any
        for leaking in (exposed, worked_out, hidden):
            sums = in_relation[:, leaking].any(axis=1)
            candidates = np.flatnonzero(in_relation[sums].any(axis=0) & open_cells & ~hidden)
            if candidates.size:
                break
        else:
            # every cell below the authority is withheld: what remains follows from the
            # authority's own figures, which the policy publishes
            return kinds
        chosen = int(min(candidates, key=lambda v: (weight[v], layout.variables[v])))
        hidden[chosen] = True
        kinds[chosen] = SECONDARY


def suppress(results: pd.DataFrame, catalogue: Catalogue, org: OrgUnits, policy: DisclosurePolicy) -> pd.DataFrame:
    """The cells to suppress: (measure_id, period_end, org_unit, uasc_scope, suppression).

    ``results`` holds measure_id, period_end, org_unit, uasc_scope, numerator, denominator for
    every available result (unavailable ones carry no number)."""
    # thousands of SVDs of matrices of a few dozen rows: BLAS threads only add overhead, and when
    # the cores are busy with dbt's other model they made this 10-30x slower (README "Scale")
    with threadpool_limits(limits=1, user_api="blas"):
        return _suppress(results, catalogue, org, policy)


def _suppress(results: pd.DataFrame, catalogue: Catalogue, org: OrgUnits, policy: DisclosurePolicy) -> pd.DataFrame:
    out: list[pd.DataFrame] = []
    parts = {m.uasc_part_of: m for m in catalogue.measures.values() if m.uasc_part_of}
    by_measure = dict(tuple(results.groupby("measure_id", sort=False)))
    for measure in catalogue.measures.values():
        if measure.attribution == "la_only" or measure.uasc_part_of:
            continue  # published for the authority only; a UASC part goes with its whole
        part = parts.get(measure.id)
        rows = by_measure.get(measure.id, results.iloc[0:0])
        if part is not None and part.id in by_measure:
            rows = pd.concat([rows, by_measure[part.id].assign(uasc_scope=UASC)])
        out.append(_suppress_measure(rows, measure, part, org, policy))
    columns = ["measure_id", "period_end", "org_unit", "uasc_scope", "suppression"]
    found = [frame for frame in out if len(frame)]
    return pd.concat(found, ignore_index=True) if found else pd.DataFrame(columns=columns)


def _suppress_measure(
    rows: pd.DataFrame, measure: Measure, part: Measure | None, org: OrgUnits, policy: DisclosurePolicy
) -> pd.DataFrame:
    split, uasc_published = measure.uasc_split, part is not None
    layout = _layout(org, split, uasc_published)
    published_vars = [v for v, is_published in zip(layout.variables, layout.published, strict=True) if is_published]
    if rows.empty:
        return pd.DataFrame()
    columns = pd.MultiIndex.from_tuples(published_vars, names=["org_unit", "uasc_scope"])
    cells = rows.set_index(["period_end", "org_unit", "uasc_scope"])[["numerator", "denominator"]]
    num = cells["numerator"].unstack(["org_unit", "uasc_scope"]).reindex(columns=columns)
    den = cells["denominator"].unstack(["org_unit", "uasc_scope"]).reindex(index=num.index, columns=columns)
    combination = _virtual_from_published(org, split, uasc_published)
    all_num = np.nan_to_num(num.to_numpy(dtype=float)) @ combination.T
    all_den = den.to_numpy(dtype=float) @ combination.T if den.notna().any().any() else np.full(all_num.shape, np.nan)
    # every month's cells at once: which the policy withholds, which must not be worked out
    published, protected = np.array(layout.published), np.array(layout.protected)
    pct = measure.unit == "pct"
    primary = published & protected & _sensitive(all_num, all_den, pct, policy.threshold, policy.suppress_zeros)
    # unpublished cells are a disclosure only when small and not zero (nobody to point at)
    small_unpublished = (
        ~published & protected & _sensitive(all_num, all_den, pct, policy.threshold, zero_is_small=False)
    )
    must_stay_hidden = primary | small_unpublished
    weight = np.nan_to_num(np.where(np.isnan(all_den), np.abs(all_num), np.abs(all_den)), nan=0.0)
    months, variables, suppression = [], [], []
    for month_index in np.flatnonzero(must_stay_hidden.any(axis=1)):
        kinds = _table_suppression(
            org, split, uasc_published, primary[month_index], must_stay_hidden[month_index], weight[month_index]
        )
        months += [month_index] * len(kinds)
        variables += kinds.keys()
        suppression += kinds.values()
    # built as columns: a frame of tuples (with the dbt model's per-cell date conversion) took
    # about a quarter of the whole on Kent's 188 k cells
    units, scopes = zip(*(layout.variables[v] for v in variables), strict=True) if variables else ((), ())
    return pd.DataFrame(
        {
            "measure_id": [part.id if scope == UASC else measure.id for scope in scopes],
            "period_end": num.index.take(months),
            "org_unit": units,
            "uasc_scope": [ALL if scope == UASC else scope for scope in scopes],
            "suppression": suppression,
        }
    )
