"""End to end: generate a small extract, run the nightly_refresh job, check the publication."""

import hashlib
import shutil
from datetime import date

import duckdb
import polars as pl
import pytest

from pipelines.cli import PipelineFailed, main, run_pipeline
from pipelines.contracts import catalogue
from pipelines.extract import read_table


@pytest.fixture(scope="module")
def published(tmp_path_factory, small_extract):
    warehouse = tmp_path_factory.mktemp("warehouse")
    timings = run_pipeline(small_extract, warehouse, quiet=True)
    assert set(timings) == {"load", "dbt", "publish"}
    return warehouse / "published.duckdb"


def _query(path, sql, params=None):
    con = duckdb.connect(str(path), read_only=True)
    try:
        return con.execute(sql, params or []).fetchall()
    finally:
        con.close()


def test_measure_results_has_the_contracted_columns(published):
    cols = _query(published, "select column_name, data_type from information_schema.columns "
                             "where table_name = 'measure_results' order by ordinal_position")
    assert cols == [("measure_id", "VARCHAR"), ("period_end", "DATE"), ("org_unit", "VARCHAR"),
                    ("uasc_scope", "VARCHAR"), ("numerator", "DOUBLE"), ("denominator", "DOUBLE"),
                    ("value", "DOUBLE")]


def test_a_row_for_every_month_measure_org_unit_and_scope(published):
    months = [r[0] for r in _query(published, "select distinct period_end from measure_results order by 1")]
    assert months[0] == date(2013, 4, 30) and months[-1] == date(2016, 3, 31) and len(months) == 36
    units = _query(published, "select count(distinct org_unit) from measure_results")[0][0]
    assert units == 28 + 1  # every department and the whole authority
    for measure_id, rows in _query(published, "select measure_id, count(*) from measure_results group by 1"):
        m = catalogue().measures[measure_id]
        per_month = (1 if m.attribution == "la_only" else units) * len(m.scopes)
        assert rows == per_month * 36, measure_id


def test_no_personal_data_is_published(published):
    tables = {r[0] for r in _query(published, "select table_name from information_schema.tables")}
    columns = {r[0] for r in _query(published, "select column_name from information_schema.columns")}
    assert not any(c.startswith(("pers_", "cine_", "clae_", "clap_")) for c in columns)
    assert "measure_results" in tables and "scorecard" in tables and "measure_catalogue" in tables


def _frame(extract, table):
    return pl.from_arrow(read_table(extract, table).data)


def test_cla_count_matches_an_independent_computation(published, small_extract):
    e = date(2016, 3, 31)
    episodes = _frame(small_extract, "ssd_cla_episodes")
    legal = _frame(small_extract, "ssd_legal_status")
    open_at = lambda df, s, t: df.filter((pl.col(s) <= e) & (pl.col(t).is_null() | (pl.col(t) > e)))
    in_care = set(open_at(episodes, "clae_cla_episode_start_date", "clae_cla_episode_ceased_date")
                  .get_column("clae_person_id").to_list())
    short = set(open_at(legal.filter(pl.col("lega_legal_status").is_in(["V3", "V4"])),
                        "lega_legal_status_start_date", "lega_legal_status_end_date").get_column("lega_person_id").to_list())
    expected = len(in_care - short)
    got = _query(published, "select value from measure_results where measure_id = 'cla_count' and org_unit = 'LA' "
                            "and uasc_scope = 'all' and period_end = ?", [e])[0][0]
    assert got == expected and expected > 0


def test_rereferrals_match_an_independent_computation(published, small_extract):
    refs = _frame(small_extract, "ssd_cin_episodes").select("cine_person_id", "cine_referral_date").to_dicts()
    by_person = {}
    for r in refs:
        by_person.setdefault(r["cine_person_id"], []).append(r["cine_referral_date"])
    num = den = 0
    for r in refs:
        d = r["cine_referral_date"]
        if date(2015, 4, 1) <= d <= date(2016, 3, 31):
            den += 1
            year_before = d.replace(year=d.year - 1) if not (d.month == 2 and d.day == 29) else date(d.year - 1, 2, 28)
            num += any(year_before <= o < d for o in by_person[r["cine_person_id"]])
    got = _query(published, "select numerator, denominator from measure_results where measure_id = 'rereferral_12m' "
                            "and org_unit = 'LA' and uasc_scope = 'all' and period_end = date '2016-03-31'")[0]
    assert got == (num, den)


def test_la_equals_areas_plus_teams_without_area_plus_no_team(published):
    # every team has one area or none, so LA = sum(areas) + sum(teams without an area) + records with no team
    rows = _query(published, """
        with units as (select * from org_units where org_unit <> 'LA'),
             leaves as (select org_unit from units where org_unit_type <> 'AREA' and parent_org_unit is null
                        union all select org_unit from units where org_unit_type = 'AREA')
        select r.measure_id, sum(r.numerator), max(la.numerator)
        from measure_results r
        join leaves using (org_unit)
        join measure_results la on la.measure_id = r.measure_id and la.period_end = r.period_end
             and la.uasc_scope = r.uasc_scope and la.org_unit = 'LA'
        where r.period_end = date '2016-03-31' and r.uasc_scope = 'all'
        group by r.measure_id""")
    for measure_id, parts, whole in rows:
        assert parts <= whole, measure_id


def test_scorecard_command_prints_the_latest_month(published, capsys):
    assert main(["scorecard", "--warehouse", str(published.parent)]) == 0
    out = capsys.readouterr().out
    assert "Scorecard - LA - Mar 2016" in out and "% of referrals with a previous referral within 12 months" in out


def _digest(path):
    return hashlib.sha256(path.read_bytes()).hexdigest()


def test_a_failed_run_leaves_the_publication_untouched(published, small_extract, tmp_path):
    bad = tmp_path / "bad"
    shutil.copytree(small_extract, bad)
    (bad / "ssd_cp_plans.csv").unlink()
    before = _digest(published)
    with pytest.raises(PipelineFailed, match="required table ssd_cp_plans is missing"):
        run_pipeline(bad, published.parent, quiet=True)
    assert _digest(published) == before
    assert main(["run", "--source", str(bad), "--warehouse", str(published.parent)]) == 1
    assert _digest(published) == before


def test_the_next_good_run_publishes_again_and_keeps_history(published, small_extract):
    run_pipeline(small_extract, published.parent, quiet=True)
    log = _query(published, "select count(*) from publication_log")[0][0]
    assert log == 1  # the same extract republished replaces its own entry


def test_dim_date_counts_england_working_days(published):
    working = published.parent / "warehouse.duckdb"
    rows = dict(_query(working, """
        select cast(date_day as varchar), working_day_number from marts.dim_date
        where date_day in (date '2015-12-24', date '2015-12-29', date '2016-03-24', date '2016-03-29',
                           date '2016-05-27', date '2016-05-31', date '2012-06-01', date '2012-06-06')"""))
    # Christmas Day (Fri) and the Boxing Day substitute (Mon 28th) are bank holidays
    assert rows["2015-12-29"] - rows["2015-12-24"] == 1
    # Good Friday 25 Mar and Easter Monday 28 Mar 2016
    assert rows["2016-03-29"] - rows["2016-03-24"] == 1
    # the late May bank holiday, Mon 30 May 2016
    assert rows["2016-05-31"] - rows["2016-05-27"] == 1
    # the Diamond Jubilee: spring bank holiday moved to Mon 4 Jun 2012, extra holiday Tue 5 Jun
    assert rows["2012-06-06"] - rows["2012-06-01"] == 1
