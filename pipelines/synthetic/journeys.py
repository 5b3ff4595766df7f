"""Vectorised simulation of children's journeys through social care.

Every child is simulated with NumPy arrays, never a Python loop per child: the only loops
run over a child's n-th referral (a handful of passes) and over tables. Dates are integer
day numbers (days since 1970-01-01). Journeys are simulated past the extract date and then
censored at it, so an event after ``period_end`` simply has not happened yet (its date is
null, or the row does not exist).

Calibration (the ``kent`` scale, March 2016, seed 002): ~15,600 referrals and ~16,500
assessments a year, ~1,050 children on CP plans, ~2,320 children in care of whom ~870 UASC,
~1,500 care-leaver birthdays a year, ~9,400 open cases.
"""

from __future__ import annotations

from dataclasses import dataclass
from types import SimpleNamespace

import numpy as np

from . import organisation as org

NULL = np.int64(-(2**40))  # sentinel for a missing date or number
YEAR = 365.25
ADULT_DAYS = int(18 * YEAR)


@dataclass(frozen=True)
class Params:
    period_start: int  # first day of the first reported month (day number)
    period_end: int  # last day covered by the extract (day number)
    children_per_year: float  # native (non-UASC) children first referred per year
    burn_in_years: int = 4  # history simulated before period_start, so care has built up
    uasc_per_year: float = 160.0
    uasc_surge: tuple[float, float] = (220.0, 640.0)  # arrivals in the last-but-one, last year

    @property
    def scale(self) -> float:
        return self.children_per_year / org.KENT_CHILDREN_PER_YEAR

    @property
    def sim_start(self) -> int:
        return self.period_start - int(self.burn_in_years * YEAR)


# --- small vectorised helpers -----------------------------------------------------------


def explode(counts: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """For counts n_i, return (parent index, position within parent) for sum(n_i) rows."""
    counts = counts.astype(np.int64)
    parent = np.repeat(np.arange(counts.size), counts)
    starts = np.cumsum(counts) - counts
    pos = np.arange(counts.sum()) - np.repeat(starts, counts)
    return parent, pos


def periodic(starts, ends, first_offset, interval, rng, jitter=0):
    """Events at start + first_offset + k*interval (k >= 0) up to end, per interval."""
    starts = np.asarray(starts, dtype=np.int64)
    ends = np.asarray(ends, dtype=np.int64)
    first = starts + np.asarray(first_offset, dtype=np.int64)
    interval = np.broadcast_to(np.asarray(interval, dtype=np.int64), starts.shape)
    n = np.where(ends >= first, (ends - first) // interval + 1, 0)
    parent, k = explode(n)
    dates = first[parent] + k * interval[parent]
    if jitter:
        dates = dates + rng.integers(-jitter, jitter + 1, dates.size)
    return parent, dates


def choice(rng, options, p, size):
    p = np.asarray(p, dtype=float)
    return np.asarray(options)[rng.choice(len(options), size=size, p=p / p.sum())]


def birthday(dob: np.ndarray, age: np.ndarray) -> np.ndarray:
    """Date of the age-th birthday; a 29 February birthday falls on 1 March otherwise."""
    d = dob.astype("datetime64[D]")
    y = d.astype("datetime64[Y]").astype(np.int64) + 1970
    month = d.astype("datetime64[M]").astype(np.int64) % 12 + 1
    day = (d - d.astype("datetime64[M]").astype("datetime64[D]")).astype(np.int64) + 1
    ty = y + age
    leap = (ty % 4 == 0) & ((ty % 100 != 0) | (ty % 400 == 0))
    feb29 = (month == 2) & (day == 29)
    month = np.where(feb29 & ~leap, 3, month)
    day = np.where(feb29 & ~leap, 1, day)
    out = ((ty - 1970).astype("datetime64[Y]").astype("datetime64[M]") + (month - 1).astype("timedelta64[M]")).astype(
        "datetime64[D]"
    ) + (day - 1).astype("timedelta64[D]")
    return out.astype(np.int64)


class Recorder:
    """Collects column arrays per table across passes, then concatenates them."""

    def __init__(self) -> None:
        self.parts: dict[str, list[dict[str, np.ndarray]]] = {}

    def add(self, table: str, **cols: np.ndarray) -> None:
        n = {len(np.atleast_1d(v)) for v in cols.values()}
        assert len(n) == 1, (table, {k: len(np.atleast_1d(v)) for k, v in cols.items()})
        self.parts.setdefault(table, []).append(cols)

    def tables(self) -> dict[str, dict[str, np.ndarray]]:
        out = {}
        for t, parts in self.parts.items():
            out[t] = {c: np.concatenate([p[c] for p in parts]) for c in parts[0]}
        return out


# --- the simulation ---------------------------------------------------------------------

DISTRICT_IDS = np.array([d[0] for d in org.DISTRICTS])
DISTRICT_AREA = np.array([d[2] for d in org.DISTRICTS])
DISTRICT_WEIGHT = np.array([d[3] for d in org.DISTRICTS], dtype=float)
DISTRICT_CIC = np.array([d[4] for d in org.DISTRICTS])
DISTRICT_DISABILITY = np.array([org.disability_team_for_area(a) for a in DISTRICT_AREA])


class Simulation:
    def __init__(self, params: Params, rng: np.random.Generator):
        self.p = params
        self.rng = rng
        self.rec = Recorder()
        self.next_id: dict[str, int] = {}

    def ids(self, kind: str, n: int) -> np.ndarray:
        start = self.next_id.get(kind, 1)
        self.next_id[kind] = start + n
        return np.arange(start, start + n, dtype=np.int64)

    # -- children -------------------------------------------------------------------------
    def children(self) -> None:
        p, rng = self.p, self.rng
        span_years = (p.period_end - p.sim_start) / YEAR
        n_native = int(round(p.children_per_year * span_years))
        first_ref = rng.integers(p.sim_start, p.period_end + 1, n_native)
        age_w = np.array([14, 8, 6, 6, 5, 5, 5, 5, 5, 5, 5, 5, 6, 7, 8, 8, 7, 5], float)
        age_days = (rng.choice(18, n_native, p=age_w / age_w.sum()) + rng.random(n_native)) * YEAR
        unborn = rng.random(n_native) < 0.04
        dob = np.where(unborn, first_ref + rng.integers(20, 180, n_native), first_ref - age_days.astype(np.int64))
        district = rng.choice(len(DISTRICT_IDS), n_native, p=DISTRICT_WEIGHT / DISTRICT_WEIGHT.sum())
        disabled = (rng.random(n_native) < 0.07) & ~unborn

        # UASC arrive aged 15-17, at a steady rate plus the 2014-16 surge
        n_base = int(round(p.uasc_per_year * p.scale * span_years))
        n_prev = int(round(p.uasc_surge[0] * p.scale))
        n_last = int(round(p.uasc_surge[1] * p.scale))
        arrive = np.concatenate(
            [
                rng.integers(p.sim_start, p.period_end + 1, n_base),
                rng.integers(p.period_end - 729, p.period_end - 364, n_prev),
                rng.integers(p.period_end - 364, p.period_end + 1, n_last),
            ]
        )
        n_uasc = arrive.size
        u_dob = arrive - ((15 + rng.random(n_uasc) * 2.9) * YEAR).astype(np.int64)
        u_district = rng.choice(len(DISTRICT_IDS), n_uasc, p=DISTRICT_WEIGHT / DISTRICT_WEIGHT.sum())

        self.n = n_native + n_uasc
        self.person_id = self.ids("person", self.n)
        self.first_ref = np.concatenate([first_ref, arrive])
        self.dob = np.concatenate([dob, u_dob])
        self.uasc = np.concatenate([np.zeros(n_native, bool), np.ones(n_uasc, bool)])
        self.district = np.concatenate([district, u_district])
        self.disabled = np.concatenate([disabled, np.zeros(n_uasc, bool)])
        self.sex = np.where(
            self.uasc, choice(rng, ["M", "F"], [92, 8], self.n), choice(rng, ["M", "F", "U"], [51, 48.8, 0.2], self.n)
        )
        eth_native = choice(
            rng,
            ["WBRI", "WOTH", "MWBC", "MOTH", "AOTH", "BAFR", "BCRB", "WIRT", "OOTH", "NOBT"],
            [80, 5, 3, 2.5, 2, 2, 1.5, 1, 1.5, 1.5],
            self.n,
        )
        eth_uasc = choice(rng, ["OOTH", "BAFR", "AOTH", "BOTH", "WOTH"], [45, 30, 15, 5, 5], self.n)
        self.ethnicity = np.where(self.uasc, eth_uasc, eth_native)
        self.cp_history = np.zeros(self.n, bool)
        self.adult = birthday(self.dob, np.full(self.n, 18))

    # -- referrals, pass by pass ------------------------------------------------------------
    def referrals(self) -> None:
        p, rng = self.p, self.rng
        # chain length: UASC arrive once; others are re-referred geometrically
        chain = np.where(self.uasc, 1, rng.geometric(0.6, self.n))
        next_date = self.first_ref.copy()
        active = np.ones(self.n, bool)
        for s in range(int(chain.max())):
            sel = active & (chain > s) & (next_date <= p.period_end) & (next_date < self.adult)
            idx = np.nonzero(sel)[0]
            if idx.size == 0:
                break
            close, terminal = self.referral_pass(idx, next_date[idx])
            recent_cp = self.cp_history[idx]
            gap = np.where(recent_cp, rng.exponential(170, idx.size), rng.exponential(240, idx.size)) + 14
            next_date[idx] = close + gap.astype(np.int64)
            active[idx] &= ~terminal

    def referral_pass(self, child: np.ndarray, ref: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """One referral for each of these children on these dates, and everything that follows from
        it. Returns the referral's close date and whether it ends the child's journey."""
        r = self._decide_referral(child, ref)
        self._decide_protection(r)
        self._decide_plans_care_and_close(r)
        self._follow_into_care_and_short_breaks(r)
        self._record_referral_and_assessments(r)
        self._record_protection(r)
        self._record_cin_plans(r)
        self._record_transfer_in_conferences(r)
        self.contacts(r.child, r.ref)
        self.allocations(r.child, r.rid, r.ref, r.close, r.home_team, r.cla_any, r.cla_start)
        return r.close, r.terminal

    def _decide_referral(self, child: np.ndarray, ref: np.ndarray) -> SimpleNamespace:
        """Teams, the assessment and its outcome route (care, S47, CIN, short breaks or NFA)."""
        rng = self.rng
        m = child.size
        r = SimpleNamespace(
            child=child,
            ref=ref,
            m=m,
            rid=self.ids("referral", m),
            uasc=self.uasc[child],
            disabled=self.disabled[child],
            dob=self.dob[child],
        )
        district = self.district[child]
        unborn_at_ref = r.dob > ref
        r.home_team = np.where(
            r.uasc, "T-UASC", np.where(r.disabled, DISTRICT_DISABILITY[district], DISTRICT_IDS[district])
        )
        r.ref_team = np.where((rng.random(m) < 0.015) & ~r.uasc, "T-CDT", r.home_team)
        r.cic_team = np.where(r.uasc, "T-UASC", np.where(r.disabled, r.home_team, DISTRICT_CIC[district]))

        r.ref_nfa = (rng.random(m) < 0.06) & ~r.uasc
        # assessment: start within days of referral; duration in working days ~ gamma
        r.a_start = ref + rng.integers(0, 6, m)
        a_wd = np.clip(rng.gamma(2.4, 11.5, m), 3, 140)
        r.a_auth = r.a_start + np.round(a_wd * 7 / 5).astype(np.int64) + rng.integers(0, 2, m)
        r.seen = np.where(unborn_at_ref | (r.a_start < r.dob), "N", np.where(rng.random(m) < 0.982, "Y", "N"))

        # outcome after assessment
        u = rng.random(m)
        r.prior_cp = self.cp_history[child]
        p_s47 = np.where(r.prior_cp, 0.55, 0.27)
        r.to_cla_direct = r.uasc | (~r.ref_nfa & (u < 0.028))
        r.to_s47 = ~r.ref_nfa & ~r.to_cla_direct & (u < 0.028 + p_s47)
        r.to_cin = ~r.ref_nfa & ~r.to_cla_direct & ~r.to_s47 & (u < 0.028 + p_s47 + 0.31)
        r.s47_closed = r.to_s47 & (rng.random(m) < 0.5)  # decided after the conference decision below
        r.short_break = ~r.ref_nfa & r.disabled & (rng.random(m) < 0.18)
        r.asmt_nfa = ~r.ref_nfa & ~r.to_cla_direct & ~r.to_s47 & ~r.to_cin & ~r.short_break
        return r

    def _decide_protection(self, r: SimpleNamespace) -> None:
        """S47 enquiry -> initial conference -> CP plan, and where a CP plan leads."""
        rng, m = self.rng, r.m
        r.s_start = r.a_start + rng.integers(0, 10, m)
        r.s_end = r.s_start + rng.integers(3, 25, m)
        r.s_seen = np.where(r.s_start < r.dob, "N", np.where(rng.random(m) < 0.981, "Y", "N"))
        r.to_icpc = r.to_s47 & (rng.random(m) < np.where(r.prior_cp, 0.6, 0.33))
        icpc_wd = np.where(rng.random(m) < 0.85, rng.integers(5, 16, m), rng.integers(16, 35, m))
        r.icpc_date = r.s_start + np.round(icpc_wd * 7 / 5).astype(np.int64)
        r.icpc_cp = r.to_icpc & (rng.random(m) < 0.855)
        r.s47_closed &= ~r.to_icpc
        r.to_cin = r.to_cin | (r.to_s47 & ~r.to_icpc & ~r.s47_closed)
        r.cp_start = r.icpc_date
        cp_days = np.exp(rng.normal(np.log(245), 0.6, m)).astype(np.int64) + 30
        r.cp_end = r.cp_start + cp_days
        r.cp_to_cla = r.icpc_cp & (rng.random(m) < 0.10)
        r.cp_to_cin = r.icpc_cp & ~r.cp_to_cla & (rng.random(m) < 0.45)
        self.cp_history[r.child] |= r.icpc_cp

    def _decide_plans_care_and_close(self, r: SimpleNamespace) -> None:
        """When a CIN plan, care and short breaks start and end, and when the referral closes."""
        rng, m = self.rng, r.m
        # CIN plan after assessment, or as a step down from a CP plan (never before birth)
        r.cin_any = r.to_cin | r.cp_to_cin
        r.cin_start = np.maximum(np.where(r.cp_to_cin, r.cp_end, r.a_auth + rng.integers(0, 10, m)), r.dob)
        r.cin_end = r.cin_start + np.exp(rng.normal(np.log(170), 0.55, m)).astype(np.int64) + 20

        # care: directly after assessment (UASC on arrival) or when a CP plan ends
        r.cla_any = r.to_cla_direct | r.cp_to_cla
        cla_start = np.where(r.uasc, r.ref, np.where(r.cp_to_cla, r.cp_end, r.a_start + rng.integers(0, 30, m)))
        r.cla_start = np.maximum(cla_start, r.dob)
        r.cla_any &= r.cla_start < self.adult[r.child] - 14  # nobody comes into care as an adult

        r.sb_start = r.a_auth + rng.integers(5, 60, m)
        sb_end = r.sb_start + rng.integers(180, 1500, m)

        # close of the referral (simulated; censored later)
        close = np.where(r.ref_nfa, r.ref + rng.integers(0, 4, m), r.a_auth + rng.integers(0, 12, m))
        close = np.where(r.to_s47 & ~r.icpc_cp, np.maximum(close, r.s_end + rng.integers(0, 20, m)), close)
        close = np.where(r.icpc_cp, r.cp_end + rng.integers(0, 15, m), close)
        close = np.where(r.cin_any, np.maximum(close, r.cin_end + rng.integers(0, 20, m)), close)
        r.close = np.where(r.short_break, np.maximum(close, sb_end + rng.integers(0, 20, m)), close)
        r.terminal = np.zeros(m, bool)
        r.asmt_nfa = r.asmt_nfa | r.s47_closed
        r.close_reason = np.where(r.ref_nfa | r.asmt_nfa, "RC8", "RC7").astype(object)

    def _follow_into_care_and_short_breaks(self, r: SimpleNamespace) -> None:
        """Periods of care and short breaks; a period of care decides when and why the referral closes."""
        if r.cla_any.any():
            ci = np.nonzero(r.cla_any)[0]
            cease, reason, leaver_until = self.periods_of_care(r.child[ci], r.cla_start[ci], r.rid[ci], r.cic_team[ci])
            r.close[ci] = np.where(leaver_until > 0, leaver_until, cease + self.rng.integers(0, 20, ci.size))
            r.close_reason[ci] = np.select(
                [
                    np.isin(reason, ["E11", "E12"]),
                    np.isin(reason, ["E45", "E46"]),
                    np.isin(reason, ["E41", "E47", "E48"]),
                    leaver_until > 0,
                ],
                ["RC1", "RC4", "RC3", "RC6"],
                "RC7",
            )
            r.terminal[ci] = np.isin(reason, ["E11", "E12", "E45", "E46", "E41", "E3", "E2"]) | (leaver_until > 0)
        if r.short_break.any():
            si = np.nonzero(r.short_break)[0]
            self.short_breaks(r.child[si], r.sb_start[si], r.rid[si])

    def _record_referral_and_assessments(self, r: SimpleNamespace) -> None:
        rng, m, child = self.rng, r.m, r.child
        need = np.where(
            r.uasc,
            "N8",
            choice(rng, ["N1", "N2", "N3", "N4", "N5", "N6", "N7", "N8", "N9"], [52, 8, 6, 17, 2, 3, 2, 6, 4], m),
        )
        source = choice(
            rng,
            ["1A", "1B", "2A", "2B", "3A", "3B", "3E", "4", "5A", "5C", "6", "7", "8", "9", "10"],
            [6, 4, 8, 4, 10, 4, 3, 12, 14, 3, 3, 6, 8, 10, 5],
            m,
        )
        self.rec.add(
            "ssd_cin_episodes",
            cine_referral_id=r.rid,
            cine_person_id=self.person_id[child],
            cine_referral_date=r.ref,
            cine_cin_primary_need_code=need,
            cine_referral_source_code=source,
            cine_referral_nfa=np.where(r.ref_nfa, "Y", "N"),
            cine_close_reason=r.close_reason.astype(str),
            cine_close_date=r.close,
            cine_referral_team=r.ref_team,
            _start=r.ref,
        )
        has_a = ~r.ref_nfa
        aid = self.ids("assessment", int(has_a.sum()))
        self.rec.add(
            "ssd_cin_assessments",
            cina_assessment_id=aid,
            cina_person_id=self.person_id[child[has_a]],
            cina_referral_id=r.rid[has_a],
            cina_assessment_start_date=r.a_start[has_a],
            cina_assessment_child_seen=r.seen[has_a],
            cina_assessment_auth_date=r.a_auth[has_a],
            cina_assessment_outcome_nfa=np.where(r.asmt_nfa[has_a], "Y", "N"),
            cina_assessment_team=r.home_team[has_a],
            _close=r.close[has_a],
        )
        # a further assessment during a CIN plan (re-assessment of changed needs)
        again = r.to_cin & (rng.random(m) < 0.22)
        a2_start = r.cin_start + rng.integers(30, 120, m)
        again &= a2_start + 10 < r.cin_end
        if again.any():
            a2_auth = a2_start + np.round(np.clip(rng.gamma(2.4, 11.5, m), 3, 140) * 7 / 5).astype(np.int64)
            n_again = int(again.sum())
            self.rec.add(
                "ssd_cin_assessments",
                cina_assessment_id=self.ids("assessment", n_again),
                cina_person_id=self.person_id[child[again]],
                cina_referral_id=r.rid[again],
                cina_assessment_start_date=a2_start[again],
                cina_assessment_child_seen=np.where(rng.random(n_again) < 0.985, "Y", "N"),
                cina_assessment_auth_date=np.minimum(a2_auth[again], r.close[again]),
                cina_assessment_outcome_nfa=np.full(n_again, "N"),
                cina_assessment_team=r.home_team[again],
                _close=r.close[again],
            )

    def _record_protection(self, r: SimpleNamespace) -> None:
        """S47 enquiries, their initial conferences and the CP plans they lead to."""
        if not r.to_s47.any():
            return
        m, child, to_s47, to_icpc, icpc_cp = r.m, r.child, r.to_s47, r.to_icpc, r.icpc_cp
        sid = self.ids("s47", int(to_s47.sum()))
        s47_of = np.full(m, -1, np.int64)
        s47_of[to_s47] = sid
        self.rec.add(
            "ssd_s47_enquiry",
            s47e_s47_enquiry_id=sid,
            s47e_referral_id=r.rid[to_s47],
            s47e_person_id=self.person_id[child[to_s47]],
            s47e_s47_start_date=r.s_start[to_s47],
            s47e_s47_end_date=r.s_end[to_s47],
            s47e_s47_nfa=np.where(to_icpc[to_s47], "N", "Y"),
            s47e_s47_completed_by_team=r.home_team[to_s47],
            s47e_child_seen=r.s_seen[to_s47],
        )
        if not to_icpc.any():
            return
        iid = self.ids("icpc", int(to_icpc.sum()))
        cp_plan_of = np.full(m, -1, np.int64)
        cp_plan_of[icpc_cp] = self.ids("cp_plan", int(icpc_cp.sum()))
        self.rec.add(
            "ssd_initial_cp_conference",
            icpc_icpc_id=iid,
            icpc_s47_enquiry_id=s47_of[to_icpc],
            icpc_person_id=self.person_id[child[to_icpc]],
            icpc_cp_plan_id=cp_plan_of[to_icpc],
            icpc_referral_id=r.rid[to_icpc],
            icpc_icpc_transfer_in=np.full(iid.size, "N"),
            icpc_icpc_target_date=r.s_start[to_icpc] + 21,
            icpc_icpc_date=r.icpc_date[to_icpc],
            icpc_icpc_outcome_cp_flag=np.where(icpc_cp[to_icpc], "Y", "N"),
            icpc_icpc_team=r.home_team[to_icpc],
        )
        icpc_of = np.full(m, -1, np.int64)
        icpc_of[to_icpc] = iid
        if icpc_cp.any():
            self.cp_plans(
                child[icpc_cp],
                cp_plan_of[icpc_cp],
                r.rid[icpc_cp],
                icpc_of[icpc_cp],
                r.cp_start[icpc_cp],
                r.cp_end[icpc_cp],
            )

    def _record_cin_plans(self, r: SimpleNamespace) -> None:
        """CIN plans and their visits, roughly every four weeks."""
        if not r.cin_any.any():
            return
        rng, cin_any = self.rng, r.cin_any
        cin_id = self.ids("cin_plan", int(cin_any.sum()))
        self.rec.add(
            "ssd_cin_plans",
            cinp_cin_plan_id=cin_id,
            cinp_referral_id=r.rid[cin_any],
            cinp_person_id=self.person_id[r.child[cin_any]],
            cinp_cin_plan_start_date=r.cin_start[cin_any],
            cinp_cin_plan_end_date=r.cin_end[cin_any],
            cinp_cin_plan_team=r.home_team[cin_any],
        )
        par, visit_date = periodic(
            r.cin_start[cin_any], np.minimum(r.cin_end[cin_any], self.p.period_end), 10, 19, rng, jitter=5
        )
        self.rec.add(
            "ssd_cin_visits",
            cinv_cin_visit_id=self.ids("cin_visit", par.size),
            cinv_cin_plan_id=cin_id[par],
            cinv_person_id=self.person_id[r.child[cin_any]][par],
            cinv_cin_visit_date=visit_date,
            cinv_cin_visit_seen=np.where(rng.random(par.size) < 0.9, "Y", "N"),
            cinv_cin_visit_seen_alone=np.where(rng.random(par.size) < 0.5, "Y", "N"),
        )

    def _record_transfer_in_conferences(self, r: SimpleNamespace) -> None:
        """Children arriving on another authority's plan."""
        rng = self.rng
        ti = r.icpc_cp & (rng.random(r.m) < 0.03)
        if not ti.any():
            return
        n_ti = int(ti.sum())
        self.rec.add(
            "ssd_initial_cp_conference",
            icpc_icpc_id=self.ids("icpc", n_ti),
            icpc_s47_enquiry_id=np.full(n_ti, -1, np.int64),
            icpc_person_id=self.person_id[r.child[ti]],
            icpc_cp_plan_id=np.full(n_ti, -1, np.int64),
            icpc_referral_id=r.rid[ti],
            icpc_icpc_transfer_in=np.full(n_ti, "Y"),
            icpc_icpc_target_date=r.ref[ti] + 15,
            icpc_icpc_date=r.ref[ti] + rng.integers(1, 15, n_ti),
            icpc_icpc_outcome_cp_flag=np.full(n_ti, "Y"),
            icpc_icpc_team=r.home_team[ti],
        )

    # -- child protection plans -------------------------------------------------------------
    def cp_plans(self, child, cpid, rid, icpc_id, start, end):
        rng, p = self.rng, self.p
        n = child.size
        cat = choice(rng, ["NEG", "EMO", "PHY", "SAB", "MUL"], [48, 35, 8, 4, 5], n)
        latest = np.where(rng.random(n) < 0.9, cat, choice(rng, ["NEG", "EMO"], [1, 1], n))
        self.rec.add(
            "ssd_cp_plans",
            cppl_cp_plan_id=cpid,
            cppl_referral_id=rid,
            cppl_icpc_id=icpc_id,
            cppl_person_id=self.person_id[child],
            cppl_cp_plan_start_date=start,
            cppl_cp_plan_end_date=end,
            cppl_cp_plan_initial_category=cat,
            cppl_cp_plan_latest_category=latest,
        )
        # visits every ~7 working days; never before birth
        dob = self.dob[child]
        par, vd = periodic(np.maximum(start, dob), np.minimum(end, p.period_end), 3, 9, rng, jitter=3)
        keep = vd < end[par]
        par, vd = par[keep], vd[keep]
        self.rec.add(
            "ssd_cp_visits",
            cppv_cp_visit_id=self.ids("cp_visit", par.size),
            cppv_person_id=self.person_id[child][par],
            cppv_cp_plan_id=cpid[par],
            cppv_cp_visit_date=vd,
            cppv_cp_visit_seen=np.where(rng.random(par.size) < 0.96, "Y", "N"),
            cppv_cp_visit_seen_alone=np.where(rng.random(par.size) < 0.55, "Y", "N"),
        )
        # reviews: first at 3 months, then every 6 months while the plan is open
        par, due = periodic(start, np.minimum(end - 1, p.period_end + 60), 91, 182, rng)
        late = rng.random(par.size) < 0.01
        held = np.where(late, due + rng.integers(1, 30, par.size), due - rng.integers(0, 10, par.size))
        self.rec.add(
            "ssd_cp_reviews",
            cppr_cp_review_id=self.ids("cp_review", par.size),
            cppr_person_id=self.person_id[child][par],
            cppr_cp_plan_id=cpid[par],
            cppr_cp_review_due=due,
            cppr_cp_review_date=held,
            _parent_start=start[par],
        )

    # -- periods of care --------------------------------------------------------------------
    def periods_of_care(self, child, start, rid, team):
        """Simulate whole periods of care; returns (cease, reason, care-leaver service end)."""
        c = self._decide_period_of_care(child, start)
        c.rid, c.team = rid, team
        self._record_legal_statuses(c)
        self._decide_moves_and_adoption(c)
        self._record_placements_and_episodes(c)
        self._record_permanence(c)
        self._record_cla_reviews(c)
        self._record_cla_visits(c)
        self._record_health_checks(c)
        self._record_missing_episodes(c)
        self.care_leavers(child, start, c.cease, c.leaver, team)
        self.care_spells.append((child, start, c.cease, team, c.leaver_until, rid))
        return c.cease, c.reason, c.leaver_until

    def _decide_period_of_care(self, child, start) -> SimpleNamespace:
        """How the period of care goes: its route (home, adoption, special guardianship, ageing out),
        when it ceases and why, and whether the young person becomes a care leaver."""
        rng = self.rng
        n = child.size
        c = SimpleNamespace(
            child=child,
            start=start,
            n=n,
            cla_id=self.ids("cla", n),
            dob=self.dob[child],
            uasc=self.uasc[child],
            adult=self.adult[child],
        )
        c.age = (start - c.dob) / YEAR
        u = rng.random(n)
        young, mid = c.age < 5, (c.age >= 5) & (c.age < 13)
        route = np.select(
            [
                c.uasc & (u < 0.10),
                c.uasc,
                young & (u < 0.40),
                young & (u < 0.62),
                young & (u < 0.80),
                mid & (u < 0.45),
                mid & (u < 0.58),
                ~young & ~mid & (u < 0.50),
            ],
            ["uasc_early", "age_out", "adopt", "home", "sgo", "home", "sgo", "home"],
            "age_out",
        )
        c.route = np.where((route == "age_out") & (rng.random(n) < 0.12), "other", route)
        routes = [c.route == "home", c.route == "adopt", c.route == "sgo", c.route == "uasc_early", c.route == "other"]
        duration = np.select(
            routes,
            [
                rng.integers(5, 540, n),
                rng.integers(520, 1100, n),
                rng.integers(300, 1000, n),
                rng.integers(20, 300, n),
                rng.integers(30, 900, n),
            ],
            c.adult - start,
        )
        cease = start + np.maximum(duration, 1)
        aged_out = cease >= c.adult
        c.cease = np.maximum(np.minimum(cease, c.adult), start + 1)
        reason = np.select(
            routes,
            [
                choice(rng, ["E4A", "E4B", "E13"], [75, 20, 5], n),
                choice(rng, ["E11", "E12"], [70, 30], n),
                choice(rng, ["E45", "E46", "E41", "E47"], [45, 35, 15, 5], n),
                choice(rng, ["E15", "E8"], [40, 60], n),
                choice(rng, ["E3", "E8", "E9", "E16", "E14", "E7", "E2"], [30, 40, 8, 8, 8, 4, 2], n),
            ],
            choice(rng, ["E5", "E6", "E17", "E8"], [45, 20, 20, 15], n),
        )
        c.reason = np.where(
            aged_out & ~np.isin(c.route, ["age_out"]), choice(rng, ["E5", "E6", "E17"], [50, 25, 25], n), reason
        )
        c.leaver = (c.cease >= c.adult - 730) & (c.cease - start >= 91) & np.isin(c.reason, ["E5", "E6", "E17", "E8"])
        c.leaver_until = np.where(c.leaver, birthday(c.dob, np.full(n, 21)), 0)
        return c

    def _record_legal_statuses(self, c: SimpleNamespace) -> None:
        """S20 (V2) for UASC and about half of others; care orders (an interim C1, then C2) otherwise."""
        rng, n = self.rng, c.n
        v2 = c.uasc | (rng.random(n) < 0.48)
        remand = ~v2 & (c.age >= 12) & (rng.random(n) < 0.05)
        c1_end = c.start + rng.integers(60, 200, n)
        two = ~v2 & ~remand & (c1_end < c.cease)
        status1 = np.where(v2, "V2", np.where(remand, "J2", "C1"))
        end1 = np.where(two, c1_end, c.cease)
        person = np.concatenate([c.child, c.child[two]])
        self.rec.add(
            "ssd_legal_status",
            lega_legal_status_id=self.ids("legal", n + int(two.sum())),
            lega_person_id=self.person_id[person],
            lega_legal_status=np.concatenate([status1, np.full(int(two.sum()), "C2")]),
            lega_legal_status_start_date=np.concatenate([c.start, c1_end[two]]),
            lega_legal_status_end_date=np.concatenate([end1, c.cease[two]]),
        )

    def _decide_moves_and_adoption(self, c: SimpleNamespace) -> None:
        """How many placements (moves in proportion to time in care, more for UASC and teenagers)
        and, for children adopted, the adoption milestones: ADM decision, placement order, match,
        placed, order (= cease)."""
        rng, n = self.rng, c.n
        years = (c.cease - c.start) / YEAR
        rate = np.where(c.uasc, 1.45, np.where(c.age >= 12, 0.9, 0.4))
        placements = 1 + np.minimum(rng.poisson(rate * np.minimum(years, 4)), 12)
        adopt = c.route == "adopt"
        c.adm = c.start + rng.integers(40, 200, n)
        c.placement_order = c.adm + rng.integers(45, 190, n)
        c.matched = c.placement_order + (rng.gamma(3.0, 75, n)).astype(np.int64)
        c.placed = c.matched + rng.integers(7, 35, n)
        placed_in_time = adopt & (c.placed + 60 < c.cease)
        cease = np.where(adopt & ~placed_in_time, np.maximum(c.cease, c.placed + rng.integers(120, 400, n)), c.cease)
        c.cease = np.maximum(np.minimum(cease, c.adult), c.start + 1)
        c.ok_adopt = adopt & (c.placed + 30 < c.cease)
        c.placements = np.where(c.ok_adopt, placements + 1, placements)

    def _record_placements_and_episodes(self, c: SimpleNamespace) -> None:
        """Placements one after another through the period (the last adoptive when adopted), and an
        episode per placement: X1 while the period continues, the cease reason at the end."""
        rng = self.rng
        par, k = explode(c.placements)
        lo = c.start[par]
        hi = np.where(c.ok_adopt[par], c.placed[par], c.cease[par])
        frac = rng.random(par.size)
        frac[k == 0] = 0.0
        frac = frac[np.lexsort((frac, par))]
        pl_start = lo + (frac * np.maximum(hi - lo, 1)).astype(np.int64)
        last_adopt = c.ok_adopt[par] & (k == c.placements[par] - 1)
        pl_start = np.where(last_adopt, c.placed[par], pl_start)
        is_last = k == c.placements[par] - 1
        pl_end = np.maximum(np.where(is_last, c.cease[par], np.r_[pl_start[1:], 0]), pl_start)
        # collapse zero-length placements onto the next one
        keep = (pl_end > pl_start) | is_last
        pp, k, pl_start, pl_end, last_adopt, is_last = (
            par[keep],
            k[keep],
            pl_start[keep],
            pl_end[keep],
            last_adopt[keep],
            is_last[keep],
        )
        age_pl = (pl_start - c.dob[pp]) / YEAR
        npl = pp.size
        r = rng.random(npl)
        native_young = choice(
            rng, ["U1", "U2", "U3", "U4", "U5", "U6", "K2", "P1", "R1"], [46, 12, 9, 12, 6, 3, 6, 4, 2], npl
        )
        native_old = choice(rng, ["U1", "U3", "U4", "U5", "H5", "K2", "P2"], [25, 5, 22, 8, 22, 15, 3], npl)
        uasc_old = choice(rng, ["H5", "U4", "U5", "U1", "K2"], [45, 25, 10, 12, 8], npl)
        uasc_young = choice(rng, ["U4", "U5", "U1", "K2"], [45, 20, 28, 7], npl)
        ptype = np.where(
            c.uasc[pp], np.where(age_pl >= 16, uasc_old, uasc_young), np.where(age_pl >= 16, native_old, native_young)
        )
        ptype = np.where(last_adopt, choice(rng, ["A5", "A6", "A3", "A4"], [60, 25, 10, 5], npl), ptype)
        in_house = np.isin(ptype, ["U1", "U2", "U3", "A3", "A4", "A5", "A6"])
        provider = np.select(
            [
                in_house,
                np.isin(ptype, ["U4", "U5", "U6"]),
                ptype == "K2",
                ptype == "H5",
                np.isin(ptype, ["P1", "P2", "R1"]),
            ],
            [
                np.full(npl, "PR1"),
                np.where(r < 0.22, "PR1", "PR4"),
                np.where(r < 0.25, "PR1", "PR3"),
                np.where(r < 0.3, "PR1", "PR5"),
                np.full(npl, "PR0"),
            ],
            "PR4",
        )
        distance = np.round(np.exp(rng.normal(np.log(7.5), 1.05, npl)), 1)
        distance = np.where(c.uasc[pp] & (rng.random(npl) < 0.6), np.nan, distance)
        pl_id = self.ids("placement", npl)
        change = np.where(
            is_last,
            "",
            choice(
                rng,
                ["CARPL", "CLOSE", "ALLEG", "STAND", "APPRR", "CREQB", "CREQO", "CHILD", "LAREQ", "PLACE", "OTHER"],
                [35, 5, 2, 4, 8, 10, 8, 8, 8, 8, 4],
                npl,
            ),
        )
        person = self.person_id[c.child][pp]
        self.rec.add(
            "ssd_cla_placement",
            clap_cla_placement_id=pl_id,
            clap_person_id=person,
            clap_cla_id=c.cla_id[pp],
            clap_cla_placement_start_date=pl_start,
            clap_cla_placement_end_date=pl_end,
            clap_cla_placement_type=ptype,
            clap_cla_placement_provider=provider,
            clap_cla_placement_distance=distance,
            clap_cla_placement_postcode=np.char.add("ME", rng.integers(1, 20, npl).astype(str)),
            clap_cla_placement_urn=np.where(
                ptype == "K2", np.char.add("SC", rng.integers(100000, 999999, npl).astype(str)), ""
            ),
            clap_cla_placement_change_reason=change,
        )
        # children's homes give a child a key worker (an involvement, not an allocation)
        in_home = ptype == "K2"
        self.key_worker_spells.append((c.child[pp][in_home], pl_start[in_home], pl_end[in_home], c.rid[pp][in_home]))
        start_reason = np.where(
            k == 0,
            choice(rng, ["S", "L", "P", "B"], [70, 18, 10, 2], npl),
            choice(rng, ["P", "T", "U"], [80, 10, 10], npl),
        )
        need = np.where(
            c.uasc[pp],
            "N4",
            choice(rng, ["N1", "N2", "N3", "N4", "N5", "N6", "N7", "N8"], [60, 5, 3, 12, 3, 8, 2, 7], npl),
        )
        self.rec.add(
            "ssd_cla_episodes",
            clae_cla_episode_id=self.ids("episode", npl),
            clae_person_id=person,
            clae_cla_episode_start_date=pl_start,
            clae_cla_episode_start_reason=start_reason,
            clae_cla_primary_need_code=need,
            clae_cla_episode_ceased_date=pl_end,
            clae_cla_episode_ceased_reason=np.where(is_last, c.reason[pp], "X1"),
            clae_cla_id=c.cla_id[pp],
            clae_referral_id=c.rid[pp],
            clae_cla_placement_id=pl_id,
            clae_entered_care_date=c.start[pp],
        )
        c.placement_of, c.placement_start, c.placement_end = pp, pl_start, pl_end

    def _record_permanence(self, c: SimpleNamespace) -> None:
        """Permanence rows: adoption milestones and special guardianship orders."""
        sgo = np.isin(c.reason, ["E45", "E46"])
        with_row = c.ok_adopt | sgo
        by_carer = c.ok_adopt & (self.rng.random(c.n) < 0.12)
        rows = int(with_row.sum())

        def milestone(dates):
            return np.where(c.ok_adopt, dates, NULL)[with_row]

        self.rec.add(
            "ssd_permanence",
            perm_table_id=self.ids("perm", rows),
            perm_person_id=self.person_id[c.child[with_row]],
            perm_cla_id=c.cla_id[with_row],
            perm_adm_decision_date=milestone(c.adm),
            perm_placement_order_date=milestone(c.placement_order),
            perm_matched_date=milestone(c.matched),
            perm_placed_for_adoption_date=milestone(c.placed),
            perm_adopted_by_carer_flag=np.where(by_carer, "Y", "N")[with_row],
            perm_placed_foster_carer_date=np.where(by_carer, c.start, NULL)[with_row],  # the first placement
            perm_decision_reversed_date=np.full(rows, NULL),
            perm_permanence_order_date=np.where(sgo | c.ok_adopt, c.cease, NULL)[with_row],
            perm_permanence_order_type=np.where(sgo, "SGO", "Adoption Order")[with_row],
            _start=np.where(c.ok_adopt, c.adm, c.cease)[with_row],
        )

    def _record_cla_reviews(self, c: SimpleNamespace) -> None:
        """Reviews at 20 working days, 3 months, then 6-monthly; UASC reviews fell behind in the surge."""
        rng, p = self.rng, self.p
        span = np.minimum(c.cease - 1, p.period_end + 60) - c.start
        reviews = np.where(span >= 28, 1, 0) + np.where(span >= 119, 1 + (span - 119) // 182, 0)
        par, nth = explode(reviews)
        due = c.start[par] + np.where(nth == 0, 28, 119 + (nth - 1) * 182)
        count = par.size
        on_time = rng.random(count) < np.where(c.uasc[par] & (due > p.period_end - 500), 0.80, 0.985)
        held = np.where(on_time, due - rng.integers(0, 12, count), due + rng.integers(1, 60, count))
        age = (held - c.dob[par]) / YEAR
        participation = np.where(
            age < 4,
            "PN0",
            choice(rng, ["PN1", "PN2", "PN3", "PN4", "PN5", "PN6", "PN7"], [40, 20, 10, 10, 8, 8, 4], count),
        )
        self.rec.add(
            "ssd_cla_reviews",
            clar_cla_review_id=self.ids("cla_review", count),
            clar_cla_id=c.cla_id[par],
            clar_cla_review_due_date=due,
            clar_cla_review_date=held,
            clar_cla_review_cancelled=np.where(rng.random(count) < 0.01, "Y", "N"),
            clar_cla_review_participation=participation,
            _parent_start=c.start[par],
        )

    def _record_cla_visits(self, c: SimpleNamespace) -> None:
        """Statutory visits: six-weekly, then three-monthly after the first year in a placement."""
        rng, p = self.rng, self.p
        pl_start, pl_end = c.placement_start, c.placement_end
        pv1, vd1 = periodic(
            pl_start, np.minimum(np.minimum(pl_end, pl_start + 365), p.period_end), 5, 38, rng, jitter=4
        )
        pv2, vd2 = periodic(pl_start + 365, np.minimum(pl_end, p.period_end), 5, 80, rng, jitter=6)
        placement, visit_date = np.concatenate([pv1, pv2]), np.concatenate([vd1, vd2])
        keep = visit_date < pl_end[placement]
        placement, visit_date = placement[keep], visit_date[keep]
        pp = c.placement_of
        self.rec.add(
            "ssd_cla_visits",
            clav_cla_visit_id=self.ids("cla_visit", placement.size),
            clav_cla_id=c.cla_id[pp][placement],
            clav_person_id=self.person_id[c.child][pp][placement],
            clav_cla_visit_date=visit_date,
            clav_cla_visit_seen=np.where(rng.random(placement.size) < 0.96, "Y", "N"),
        )

    def _record_health_checks(self, c: SimpleNamespace) -> None:
        """An initial health assessment, annual (6-monthly under five) health assessments, annual dental checks."""
        rng, p, n = self.rng, self.p, c.n
        iha = c.start + rng.integers(5, 45, n)
        ph, hd = periodic(c.start, np.minimum(c.cease, p.period_end), 300, 330, rng, jitter=30)
        pd_, dd = periodic(c.start, np.minimum(c.cease, p.period_end), 240, 330, rng, jitter=30)
        young = ((hd - c.dob[ph]) / YEAR) < 5
        ph2, hd2 = ph[young], hd[young] - 165
        period = np.concatenate([np.arange(n), ph, ph2, pd_])
        check_date = np.concatenate([iha, hd, hd2, dd])
        check_type = np.concatenate(
            [
                np.full(n, "INITIAL_HEALTH_ASSESSMENT"),
                np.full(ph.size + ph2.size, "HEALTH_ASSESSMENT"),
                np.full(pd_.size, "DENTAL"),
            ]
        )
        keep = (check_date < c.cease[period]) & (check_date >= c.start[period])
        period, check_date, check_type = period[keep], check_date[keep], check_type[keep]
        status = choice(rng, ["Completed", "Refused", "Cancelled", "Planned"], [91, 4, 3, 2], period.size)
        self.rec.add(
            "ssd_cla_health",
            clah_health_check_id=self.ids("health", period.size),
            clah_person_id=self.person_id[c.child][period],
            clah_health_check_type=check_type,
            clah_health_check_date=check_date,
            clah_health_check_status=status,
        )

    def _record_missing_episodes(self, c: SimpleNamespace) -> None:
        """Missing and away episodes for some teenagers in care."""
        rng, n = self.rng, c.n
        teen = (c.age >= 11) & (rng.random(n) < 0.25)
        episodes = np.where(teen, rng.poisson(2.5, n), 0)
        period, _ = explode(episodes)
        start = c.start[period] + (rng.random(period.size) * np.maximum(c.cease[period] - c.start[period], 1)).astype(
            np.int64
        )
        end = start + rng.integers(0, 4, period.size)
        offered = rng.random(period.size) < 0.9
        self.rec.add(
            "ssd_missing",
            miss_table_id=self.ids("missing", period.size),
            miss_person_id=self.person_id[c.child][period],
            miss_missing_episode_start_date=start,
            miss_missing_episode_type=choice(rng, ["M", "A"], [70, 30], period.size),
            miss_missing_episode_end_date=end,
            miss_missing_rhi_offered=np.where(offered, "Y", "N"),
            miss_missing_rhi_accepted=np.where(offered & (rng.random(period.size) < 0.6), "Y", "N"),
        )

    def short_breaks(self, child, start, rid):
        """Disabled children's short breaks: a period of care under V3 (excluded from CLA measures)."""
        rng = self.rng
        n = child.size
        end = start + rng.integers(180, 1500, n)
        cla_id = self.ids("cla", n)
        pl_id = self.ids("placement", n)
        pid = self.person_id[child]
        self.rec.add(
            "ssd_legal_status",
            lega_legal_status_id=self.ids("legal", n),
            lega_person_id=pid,
            lega_legal_status=np.full(n, "V3"),
            lega_legal_status_start_date=start,
            lega_legal_status_end_date=end,
        )
        self.rec.add(
            "ssd_cla_placement",
            clap_cla_placement_id=pl_id,
            clap_person_id=pid,
            clap_cla_id=cla_id,
            clap_cla_placement_start_date=start,
            clap_cla_placement_end_date=end,
            clap_cla_placement_type=np.full(n, "K2"),
            clap_cla_placement_provider=np.full(n, "PR1"),
            clap_cla_placement_distance=np.round(rng.uniform(1, 15, n), 1),
            clap_cla_placement_postcode=np.full(n, "ME1"),
            clap_cla_placement_urn=np.full(n, ""),
            clap_cla_placement_change_reason=np.full(n, ""),
        )
        self.rec.add(
            "ssd_cla_episodes",
            clae_cla_episode_id=self.ids("episode", n),
            clae_person_id=pid,
            clae_cla_episode_start_date=start,
            clae_cla_episode_start_reason=np.full(n, "S"),
            clae_cla_primary_need_code=np.full(n, "N1"),
            clae_cla_episode_ceased_date=end,
            clae_cla_episode_ceased_reason=np.full(n, "E8"),
            clae_cla_id=cla_id,
            clae_referral_id=rid,
            clae_cla_placement_id=pl_id,
            clae_entered_care_date=start,
        )

    def care_leavers(self, child, start, cease, leaver, team):
        """One row per care leaver per birthday, 17th to 21st, up to the extract date."""
        rng, p = self.rng, self.p
        idx = np.nonzero(leaver)[0]
        par, k = explode(np.full(idx.size, 5))
        i = idx[par]
        age = 17 + k
        bday = birthday(self.dob[child[i]], age)
        in_care = (start[i] <= bday) & (cease[i] > bday)
        ok = (bday <= p.period_end) & (bday >= start[i] + 91)
        i, age, bday, in_care = i[ok], age[ok], bday[ok], in_care[ok]
        nr = i.size
        elig = np.where(age == 17, np.where(in_care, "Eligible", "Relevant"), "Former relevant")
        uasc = self.uasc[child[i]]
        u = rng.random(nr)
        in_touch = np.where(
            u < np.where(uasc, 0.62, 0.76),
            "YES",
            choice(rng, ["NO", "REFU", "NREQ", "RHOM", "DIED"], [60, 15, 15, 8, 2], nr),
        )
        suitable = np.where(rng.random(nr) < np.where(uasc, 0.60, 0.68), "Y", "N")
        eet = rng.random(nr) < 0.41
        activity = np.where(
            eet,
            choice(rng, ["F1", "P1", "F2", "P2", "F4", "F5"], [40, 10, 20, 10, 10, 10], nr),
            choice(rng, ["G4", "G5", "G6", "0"], [50, 20, 20, 10], nr),
        )
        accom = np.where(
            suitable == "Y",
            choice(rng, ["C", "D", "E", "G", "K", "S", "T", "U"], [15, 10, 10, 20, 10, 15, 10, 10], nr),
            choice(rng, ["B", "H", "R", "V", "W", "X", "Y", "Z"], [20, 10, 10, 15, 15, 10, 10, 10], nr),
        )
        self.rec.add(
            "ssd_care_leavers",
            clea_table_id=self.ids("care_leaver", nr),
            clea_person_id=self.person_id[child[i]],
            clea_care_leaver_eligibility=elig,
            clea_care_leaver_in_touch=in_touch,
            clea_care_leaver_latest_contact=np.where(in_touch == "YES", bday - rng.integers(0, 60, nr), NULL),
            clea_care_leaver_accommodation=accom,
            clea_care_leaver_accom_suitable=suitable,
            clea_care_leaver_activity=activity,
            clea_care_leaver_allocated_team=np.where(age >= 18, "T-CLS", team[i]),
            clea_status_date=bday,
        )

    # -- front door and allocations -------------------------------------------------------
    def contacts(self, child, ref):
        rng = self.rng
        m = child.size
        extra = rng.poisson(1.2, m)
        par, _ = explode(extra)
        c_date = np.concatenate([ref - rng.integers(0, 4, m), ref[par] + rng.integers(-400, 400, par.size)])
        who = np.concatenate([child, child[par]])
        # a contact either leads to the referral it precedes or is far enough from any to stand alone
        keep = (c_date >= self.p.sim_start) & (
            (np.arange(c_date.size) < m) | (np.abs(c_date - np.concatenate([ref, ref[par]])) > 10)
        )
        who, c_date = who[keep], c_date[keep]
        n = who.size
        lag = choice(rng, [0, 1, 2, 3, 5], [55, 25, 10, 6, 4], n)
        self.rec.add(
            "ssd_contacts",
            cont_contact_id=self.ids("contact", n),
            cont_person_id=self.person_id[who],
            cont_contact_date=c_date,
            cont_contact_source_code=choice(
                rng, ["1A", "2A", "3A", "4", "5A", "8", "9", "10"], [5, 10, 12, 15, 20, 12, 16, 10], n
            ),
            cont_decision_date=np.where(rng.random(n) < 0.97, c_date + lag, NULL),
        )

    def allocations(self, child, rid, ref, close, home_team, cla_any, cla_start):
        """Allocation phases (home team, then care team, then care-leaver service), split at worker changes."""
        rng = self.rng
        m = child.size
        delay = np.where(rng.random(m) < 0.002, rng.integers(1, 45, m), 0)
        a_start = ref + delay
        phase1_end = np.where(cla_any, np.minimum(cla_start, close), close)
        self.alloc_parts.append((child, rid, a_start, phase1_end, home_team))

    def finish_allocations(self):
        rng = self.rng
        child = np.concatenate([a[0] for a in self.alloc_parts])
        rid = np.concatenate([a[1] for a in self.alloc_parts])
        start = np.concatenate([a[2] for a in self.alloc_parts])
        end = np.concatenate([a[3] for a in self.alloc_parts])
        team = np.concatenate([a[4] for a in self.alloc_parts])
        # care phases: from the start of care to its end, then the care-leaver service
        if self.care_spells:
            c = np.concatenate([x[0] for x in self.care_spells])
            s = np.concatenate([x[1] for x in self.care_spells])
            e = np.concatenate([x[2] for x in self.care_spells])
            t = np.concatenate([x[3] for x in self.care_spells])
            lu = np.concatenate([x[4] for x in self.care_spells])
            r = np.concatenate([x[5] for x in self.care_spells])
            leaver = lu > 0
            child = np.concatenate([child, c, c[leaver]])
            rid = np.concatenate([rid, r, r[leaver]])
            start = np.concatenate([start, s, e[leaver]])
            end = np.concatenate([end, e, lu[leaver]])
            team = np.concatenate([team, t, np.full(int(leaver.sum()), "T-CLS")])
        n_home = int(sum(a[0].size for a in self.alloc_parts))
        ok = end > start
        home_phase = (np.arange(ok.size) < n_home)[ok]
        child, rid, start, end, team = child[ok], rid[ok], start[ok], end[ok], team[ok]
        # worker changes: about one a year, more in the front door teams
        years = (end - start) / YEAR
        n_seg = 1 + np.minimum(rng.poisson(np.minimum(years, 6) * 0.7), 8)
        par, k = explode(n_seg)
        frac = rng.random(par.size)
        frac[k == 0] = 0
        order = np.lexsort((frac, par))
        frac = frac[order]
        s = start[par] + (frac * (end[par] - start[par])).astype(np.int64)
        last = k == n_seg[par] - 1
        e = np.where(last, end[par], np.r_[s[1:], 0])
        keep = e > s
        par, k, s, e, last = par[keep], k[keep], s[keep], e[keep], last[keep]
        tm = team[par]
        # workers: a pool per team sized to keep caseloads near 16-20
        teams = np.unique(tm)
        worker = np.empty(par.size, dtype=np.int64)
        self.worker_pool: dict[str, np.ndarray] = {}
        recent = e > self.p.period_end - 3 * 365
        for t in teams:
            sel = tm == t
            load = np.minimum(e[sel & recent], self.p.period_end) - np.maximum(
                s[sel & recent], self.p.period_end - 3 * 365
            )
            avg_open = max(load.clip(0).sum() / (3 * 365), 1)
            pool = max(2, int(np.ceil(avg_open / 17.5)))
            ids = self.ids("worker", pool)
            self.worker_pool[str(t)] = ids
            worker[sel] = ids[rng.integers(0, pool, int(sel.sum()))]
        # the worker first allocated on a referral is the referral's (and its assessment's) worker
        first = home_phase[par] & (k == 0)
        order = np.argsort(rid[par][first], kind="stable")
        self.first_worker = (rid[par][first][order], worker[first][order])
        self.rec.add(
            "ssd_involvements",
            invo_involvements_id=self.ids("involvement", par.size),
            invo_professional_id=worker,
            invo_professional_role_id=np.full(par.size, "CW"),  # case workers: the allocations
            invo_professional_team=tm,
            invo_involvement_start_date=s,
            invo_involvement_end_date=e,
            invo_worker_change_reason=np.where(
                last,
                "",
                choice(
                    rng, ["Worker left", "Case transfer", "Team change", "Reallocation"], [40, 30, 15, 15], par.size
                ),
            ),
            invo_person_id=self.person_id[child[par]],
            invo_referral_id=rid[par],
        )

    # -- private fostering, audits, workforce, population -------------------------------------
    def private_fostering(self):
        rng, p = self.rng, self.p
        span = (p.period_end - p.sim_start) / YEAR
        n = int(round(70 * p.scale * span))
        pid = self.ids("person", n)
        notif = rng.integers(p.sim_start, p.period_end + 1, n)
        dob = notif - ((10 + rng.random(n) * 7.5) * YEAR).astype(np.int64)
        self.extra_people.append((pid, dob, np.full(n, "OOTH"), choice(rng, ["M", "F"], [50, 50], n), notif))
        start = notif - rng.integers(0, 14, n)
        end = start + rng.integers(28, 700, n)
        district = rng.choice(len(DISTRICT_IDS), n, p=DISTRICT_WEIGHT / DISTRICT_WEIGHT.sum())
        aid = self.ids("pf", n)
        self.rec.add(
            "ext_pf_arrangements",
            pfar_arrangement_id=aid,
            pfar_person_id=pid,
            pfar_notification_date=notif,
            pfar_start_date=start,
            pfar_end_date=end,
            pfar_team=DISTRICT_IDS[district],
            _start=notif,
        )
        init_due = notif + 7
        init_on = rng.random(n) < 0.8
        init_date = np.where(init_on, init_due - rng.integers(0, 7, n), init_due + rng.integers(1, 25, n))
        pn, dn = periodic(start, np.minimum(end, start + 365), 42, 42, rng)
        pe, de = periodic(start + 365, end, 84, 84, rng)
        on_n = rng.random(pn.size) < 0.72
        on_e = rng.random(pe.size) < 0.78
        vn = np.where(on_n, dn - rng.integers(0, 14, pn.size), dn + rng.integers(1, 30, pn.size))
        ve = np.where(on_e, de - rng.integers(0, 14, pe.size), de + rng.integers(1, 30, pe.size))
        par = np.concatenate([np.arange(n), pn, pe])
        self.rec.add(
            "ext_pf_visits",
            pfvi_visit_id=self.ids("pf_visit", par.size),
            pfvi_arrangement_id=aid[par],
            pfvi_visit_type=np.concatenate(
                [np.full(n, "INITIAL"), np.full(pn.size, "NEW_6WK"), np.full(pe.size, "EXISTING_12WK")]
            ),
            pfvi_due_date=np.concatenate([init_due, dn, de]),
            pfvi_visit_date=np.concatenate([init_date, vn, ve]),
            _parent_start=notif[par],
        )

    def case_audits(self):
        rng, p = self.rng, self.p
        years = (p.period_end - p.period_start) / YEAR
        spec = [
            ("CASE_FILE", 700, 0.985, [8, 46, 42.5, 3.5]),
            ("CP_SW_REPORT", 2400, 1.0, [10, 58, 30, 2]),
            ("CIC_CARE_PLAN", 5900, 1.0, [8, 54, 35, 3]),
        ]
        for kind, per_year, done, grades in spec:
            n = int(round(per_year * p.scale * years))
            due = rng.integers(p.period_start, p.period_end + 1, n)
            # an audit is of a child already known and born before it can be completed (up to 20 days early)
            known = np.maximum(self.first_ref, self.dob + 21)
            order = np.argsort(known, kind="stable")
            upto = np.searchsorted(known[order], due, side="right")
            who = order[(rng.random(n) * np.maximum(upto, 1)).astype(np.int64)]
            ok = known[who] <= due
            due, who = due[ok], who[ok]
            n = due.size
            completed = np.where(rng.random(n) < done, due - rng.integers(0, 20, n), NULL)
            grade = np.where(
                completed != NULL,
                choice(rng, ["OUTSTANDING", "GOOD", "REQUIRES_IMPROVEMENT", "INADEQUATE"], grades, n),
                "",
            )
            self.rec.add(
                "ext_case_audits",
                audi_audit_id=self.ids("audit", n),
                audi_person_id=self.person_id[who],
                audi_audit_type=np.full(n, kind),
                audi_team=DISTRICT_IDS[self.district[who]],
                audi_due_date=due,
                audi_completed_date=completed,
                audi_grade=grade,
            )

    def workforce(self, month_ends: np.ndarray):
        rng = self.rng
        # fostering social workers supervise carers; the team has a pool but no child allocations
        if "T-FOS" not in self.worker_pool:
            self.worker_pool["T-FOS"] = self.ids("worker", max(2, int(round(47 * self.p.scale))))
        teams = sorted(self.worker_pool)
        wid = np.concatenate([self.worker_pool[t] for t in teams])
        wteam = np.concatenate([np.full(self.worker_pool[t].size, t) for t in teams])
        nw = wid.size
        fte = choice(rng, [1.0, 0.8, 0.6, 0.5], [84, 9, 4, 3], nw)
        agency = rng.random(nw) < 0.2
        qualified = np.where(agency | (rng.random(nw) < 0.96), "Y", "N")
        self.rec.add(
            "ssd_professionals",
            prof_professional_id=wid,
            prof_professional_job_title=np.where(qualified == "Y", "Social Worker", "Family Support Worker"),
            prof_professional_department=wteam,
            prof_full_time_equivalency=fte,
            prof_agency_worker_flag=np.where(agency, "Y", "N"),
        )
        par, k = explode(np.full(nw, month_ends.size))
        present = rng.random(par.size) < 0.97
        par, k = par[present], k[present]
        self.rec.add(
            "ext_workforce",
            work_month_end=month_ends[k],
            work_professional_id=wid[par],
            work_team=wteam[par],
            work_fte=fte[par],
            work_contract=np.where(agency[par], "AGENCY", "PERMANENT"),
            work_qualified_sw=qualified[par],
            work_caseholding=np.full(par.size, "Y"),
        )
        self.team_fte = {t: float(fte[wteam == t].sum()) for t in teams}

    def immigration(self):
        rng = self.rng
        u = np.nonzero(self.uasc)[0]
        other = np.nonzero(~self.uasc & (self.dob <= self.first_ref) & (rng.random(self.n) < 0.004))[0]
        who = np.concatenate([u, other])
        self.rec.add(
            "ssd_immigration_status",
            immi_immigration_status_id=self.ids("immigration", who.size),
            immi_person_id=self.person_id[who],
            immi_immigration_status=np.concatenate([np.full(u.size, "UASC"), np.full(other.size, "REFUGEE")]),
            immi_immigration_status_start_date=np.concatenate([self.first_ref[u], self.first_ref[other]]),
            immi_immigration_status_end_date=np.full(who.size, NULL),
        )

    def people(self):
        rng = self.rng
        pid = np.concatenate([self.person_id, *[e[0] for e in self.extra_people]])
        dob = np.concatenate([self.dob, *[e[1] for e in self.extra_people]])
        eth = np.concatenate([self.ethnicity, *[e[2] for e in self.extra_people]])
        sex = np.concatenate([self.sex, *[e[3] for e in self.extra_people]])
        known = np.concatenate([self.first_ref, *[e[4] for e in self.extra_people]])
        n = pid.size
        self.rec.add(
            "ssd_person",
            pers_person_id=pid,
            pers_sex=sex,
            pers_ethnicity=eth,
            pers_dob=dob,
            pers_expected_dob=np.where(dob > known, dob, NULL),
            pers_death_date=np.full(n, NULL),
            _start=known,
            pers_upn=np.char.add("K88620", rng.integers(1_000_000, 9_999_999, n).astype(str)),
            pers_nhs_number=rng.integers(4_000_000_000, 9_999_999_999, n).astype(str),
        )

    def other_involvements(self):
        """Involvements that are not allocations, as SSD 1.4.5 holds every kind: care leavers'
        personal advisers (16PLUS) from leaving care to 21, children's home key workers (KA)."""
        rng = self.rng
        parts = []
        if self.care_spells:
            child = np.concatenate([spell[0] for spell in self.care_spells])
            cease = np.concatenate([spell[2] for spell in self.care_spells])
            leaver_until = np.concatenate([spell[4] for spell in self.care_spells])
            rid = np.concatenate([spell[5] for spell in self.care_spells])
            leaver = leaver_until > cease
            parts.append(("16PLUS", "T-CLS", child[leaver], cease[leaver], leaver_until[leaver], rid[leaver]))
        if self.key_worker_spells:
            child = np.concatenate([spell[0] for spell in self.key_worker_spells])
            start = np.concatenate([spell[1] for spell in self.key_worker_spells])
            end = np.concatenate([spell[2] for spell in self.key_worker_spells])
            rid = np.concatenate([spell[3] for spell in self.key_worker_spells])
            team = DISTRICT_CIC[self.district[child]]
            parts.append(("KA", team, child, start, end, rid))
        for kind, team, child, start, end, rid in parts:
            n = child.size
            if not n:
                continue
            pool = self.ids("worker", max(2, int(np.ceil(n / 40))))
            self.rec.add(
                "ssd_involvements",
                invo_involvements_id=self.ids("involvement", n),
                invo_professional_id=pool[rng.integers(0, pool.size, n)],
                invo_professional_role_id=np.full(n, kind),
                invo_professional_team=np.broadcast_to(np.asarray(team), (n,)).copy(),
                invo_involvement_start_date=start,
                invo_involvement_end_date=end,
                invo_worker_change_reason=np.full(n, ""),
                invo_person_id=self.person_id[child],
                invo_referral_id=rid,
            )

    def run(self, month_ends: np.ndarray) -> dict[str, dict[str, np.ndarray]]:
        self.alloc_parts: list = []
        self.care_spells: list = []
        self.key_worker_spells: list = []
        self.extra_people: list = []
        self.children()
        self.referrals()
        self.finish_allocations()
        self.private_fostering()
        self.case_audits()
        self.workforce(month_ends)
        self.immigration()
        self.people()
        self.other_involvements()
        tables = self.rec.tables()
        keys, workers = self.first_worker
        for table, ref_col, worker_col in [
            ("ssd_cin_episodes", "cine_referral_id", "cine_referral_worker_id"),
            ("ssd_cin_assessments", "cina_referral_id", "cina_assessment_worker_id"),
            ("ssd_cin_plans", "cinp_referral_id", "cinp_cin_plan_worker_id"),
        ]:
            ref = tables[table][ref_col]
            pos = np.clip(np.searchsorted(keys, ref), 0, max(keys.size - 1, 0))
            found = (keys.size > 0) & (keys[pos] == ref)
            tables[table][worker_col] = np.where(found, workers[pos], -1)
        return tables
