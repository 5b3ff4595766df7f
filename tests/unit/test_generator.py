"""The synthetic generator: deterministic, and its journeys are coherent."""

import hashlib
from pathlib import Path

import polars as pl
import pytest

from pipelines.contracts import raw_contract
from pipelines.extract import read_table
from pipelines.synthetic import generate


def _digest(folder: Path) -> dict[str, str]:
    return {p.name: hashlib.sha256(p.read_bytes()).hexdigest() for p in sorted(folder.iterdir())}


def test_same_seed_gives_byte_identical_output(tmp_path):
    a = generate(tmp_path / "a", children=600, years=2, seed=11)
    b = generate(tmp_path / "b", children=600, years=2, seed=11)
    c = generate(tmp_path / "c", children=600, years=2, seed=12)
    assert _digest(a.out_dir) == _digest(b.out_dir)
    assert _digest(a.out_dir)["ssd_cin_episodes.csv"] != _digest(c.out_dir)["ssd_cin_episodes.csv"]


@pytest.fixture(scope="module")
def tables(small_extract) -> dict[str, pl.DataFrame]:
    return {t: pl.from_arrow(read_table(small_extract, t)) for t in raw_contract().tables}


def test_every_contract_table_is_written(small_extract):
    for t in raw_contract().tables:
        assert (small_extract / f"{t}.csv").exists(), t


def test_codes_keys_and_foreign_keys_are_valid(tables):
    contract = raw_contract()
    for name, spec in contract.tables.items():
        df = tables[name]
        assert df.height > 0, name
        assert df.select(spec.primary_key).is_duplicated().sum() == 0, name
        for c in spec.columns:
            col = df.get_column(c.name)
            if c.required:
                assert col.null_count() == 0, f"{name}.{c.name}"
            if c.codes and not c.open_codes:
                bad = set(col.drop_nulls().unique().to_list()) - set(c.codes)
                assert not bad, f"{name}.{c.name}: {bad}"
            if c.references:
                ref_table, ref_col = c.references
                known = set(tables[ref_table].get_column(ref_col).to_list())
                missing = set(col.drop_nulls().unique().to_list()) - known
                assert not missing, f"{name}.{c.name} -> {ref_table}.{ref_col}: {list(missing)[:3]}"


def test_no_event_after_the_extract_and_every_end_after_its_start(tables, small_extract):
    end = pl.date(2016, 3, 31)
    for name, spec in raw_contract().tables.items():
        df = tables[name]
        for c in spec.columns:
            if c.type == "date" and c.dated == "event":
                assert df.filter(pl.col(c.name) > end).height == 0, f"{name}.{c.name}"
        for start, stop in spec.intervals:
            assert df.filter(pl.col(stop) < pl.col(start)).height == 0, f"{name}: {stop} < {start}"


def test_no_placement_outside_its_period_of_care(tables):
    periods = (
        tables["ssd_cla_episodes"]
        .group_by("clae_cla_id")
        .agg(
            pl.col("clae_cla_episode_start_date").min().alias("first"),
            pl.col("clae_cla_episode_ceased_date").max().alias("last"),
            pl.col("clae_cla_episode_ceased_date").null_count().alias("open"),
        )
    )
    placed = tables["ssd_cla_placement"].join(periods, left_on="clap_cla_id", right_on="clae_cla_id")
    assert placed.height == tables["ssd_cla_placement"].height
    assert placed.filter(pl.col("clap_cla_placement_start_date") < pl.col("first")).height == 0
    closed = placed.filter(pl.col("open") == 0)
    assert closed.filter(pl.col("clap_cla_placement_start_date") > pl.col("last")).height == 0


def test_no_plan_before_its_referral_and_no_care_before_birth(tables):
    refs = tables["ssd_cin_episodes"].select("cine_referral_id", "cine_referral_date")
    plans = tables["ssd_cp_plans"].join(refs, left_on="cppl_referral_id", right_on="cine_referral_id")
    assert plans.filter(pl.col("cppl_cp_plan_start_date") < pl.col("cine_referral_date")).height == 0
    cin = tables["ssd_cin_plans"].join(refs, left_on="cinp_referral_id", right_on="cine_referral_id")
    assert cin.filter(pl.col("cinp_cin_plan_start_date") < pl.col("cine_referral_date")).height == 0
    people = tables["ssd_person"].select("pers_person_id", "pers_dob")
    care = tables["ssd_cla_episodes"].join(people, left_on="clae_person_id", right_on="pers_person_id")
    assert (
        care.filter(pl.col("pers_dob").is_null() | (pl.col("clae_cla_episode_start_date") < pl.col("pers_dob"))).height
        == 0
    )


def test_uasc_arrive_aged_15_to_17_and_come_into_care(tables):
    uasc = tables["ssd_immigration_status"].filter(pl.col("immi_immigration_status") == "UASC")
    people = uasc.join(tables["ssd_person"], left_on="immi_person_id", right_on="pers_person_id")
    age = (pl.col("immi_immigration_status_start_date") - pl.col("pers_dob")).dt.total_days() / 365.25
    ages = people.select(age.alias("age")).get_column("age")
    assert ages.min() >= 15 and ages.max() < 18
    in_care = set(tables["ssd_cla_episodes"].get_column("clae_person_id").to_list())
    share = sum(p in in_care for p in uasc.get_column("immi_person_id").to_list()) / uasc.height
    assert share > 0.95


def test_care_leaver_rows_fall_on_birthdays_17_to_21(tables):
    rows = tables["ssd_care_leavers"].join(tables["ssd_person"], left_on="clea_person_id", right_on="pers_person_id")
    same_day = rows.filter(
        (pl.col("clea_status_date").dt.month() == pl.col("pers_dob").dt.month())
        & (pl.col("clea_status_date").dt.day() == pl.col("pers_dob").dt.day())
    )
    assert same_day.height >= rows.height * 0.99  # 29 February birthdays fall on 1 March
    years = (rows.get_column("clea_status_date").dt.year() - rows.get_column("pers_dob").dt.year()).unique().to_list()
    assert set(years) <= {17, 18, 19, 20, 21}
