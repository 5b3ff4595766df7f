"""The contracts in models/ load, are internally consistent, and cover the specification."""

import re

import pytest

from pipelines.contracts import catalogue, raw_contract
from tests.conftest import SHARED

REQUIRED = {
    "ssd_person",
    "ssd_cin_episodes",
    "ssd_cin_assessments",
    "ssd_department",
    "ssd_involvements",
    "ssd_cla_episodes",
    "ssd_cla_placement",
    "ssd_legal_status",
    "ssd_cp_plans",
    "ssd_immigration_status",
}


def test_required_tables_are_those_of_the_spec():
    assert set(raw_contract().required_tables) == REQUIRED


def test_every_table_has_its_primary_key_and_typed_columns():
    for table in raw_contract().tables.values():
        assert table.primary_key, table.name
        for c in table.columns:
            assert c.type in {"string", "date", "integer", "decimal", "flag"}
            if c.type == "flag":
                assert c.codes == ("Y", "N"), c.name


def test_direct_identifiers_are_never_loaded():
    """Names, UPNs and postcodes the scripts write are knowingly ignored: not columns of the contract."""
    person = raw_contract().tables["ssd_person"]
    assert {"pers_forename", "pers_surname", "pers_upn", "pers_single_unique_id"} <= set(
        person.ignored_columns["personal"]
    )
    assert not {"pers_forename", "pers_surname", "pers_upn", "pers_nhs_number"} & set(person.column_names)
    placement = raw_contract().tables["ssd_cla_placement"]
    assert "clap_cla_placement_postcode" in placement.ignored_columns["personal"]
    assert "clap_cla_placement_postcode" not in placement.column_names


def test_columns_no_measure_reads_are_not_staged():
    for table in raw_contract().tables.values():
        staged = {c.name for c in table.staged_columns}
        assert all(not c.reported_only for c in table.staged_columns) and not (table.reported_only and staged)


@pytest.mark.skipif(not (SHARED / "spec" / "raw-extract.md").exists(), reason="shared/ not beside the repo")
def test_contract_covers_every_table_and_column_of_raw_extract_md():
    text = (SHARED / "spec" / "raw-extract.md").read_text()
    contract = raw_contract()
    for row in re.findall(r"^\| `((?:ssd|ext)_\w+)`[^|]*\| (.+) \|$", text, flags=re.M):
        table, columns = row
        assert table in contract.tables, table
        for col in re.findall(r"`(\w+)`", columns):
            if re.match(r"^[a-z]{4}_", col):
                # read, or knowingly not loaded (the placement postcode: personal)
                assert col in contract.tables[table].known_column_names, f"{table}.{col}"


@pytest.mark.skipif(not (SHARED / "spec" / "measures.md").exists(), reason="shared/ not beside the repo")
def test_catalogue_holds_every_measure_of_measures_md():
    text = (SHARED / "spec" / "measures.md").read_text()
    section3 = text[text.index("## 3. The measures") :]
    ids = set(re.findall(r"`([a-z][a-z0-9_]+)`", section3))
    known_columns = {c for t in raw_contract().tables.values() for c in t.column_names}
    measure_like = {
        i
        for i in ids
        if i not in known_columns and not i.startswith(("ssd_", "ext_")) and i not in {"all", "excl_uasc", "la_code"}
    }
    assert measure_like <= set(catalogue().measures), measure_like - set(catalogue().measures)
    assert {m.spec_no for m in catalogue().measures.values()} == set(range(1, 60))


def test_catalogue_rag_bands_follow_polarity():
    for m in catalogue().measures.values():
        if m.polarity == "H" and m.red_threshold is not None:
            assert m.red_threshold <= m.target, m.id
        if m.polarity == "L" and m.red_threshold is not None:
            assert m.red_threshold >= m.target, m.id
        if m.polarity == "T":
            assert m.green_band == 3 and m.red_band == 6
        if m.unit == "rate_per_10k":
            assert m.attribution == "la_only"


def test_seed_scorecard_has_44_numbered_indicators():
    numbers = sorted(m.scorecard_no for m in catalogue().measures.values() if m.scorecard_no)
    assert numbers == list(range(1, 45))


@pytest.mark.parametrize(
    ("version", "known"),
    [
        ("1.4.5", True),
        ("1.2", True),
        ("v1.3.9", True),
        (" 1.0.0 ", True),
        ("1.2.5", False),
        ("2.0", False),
        ("", False),
        (None, False),
    ],
)
def test_an_ssd_version_is_known_exactly_or_as_its_release_series(version, known):
    assert raw_contract().knows_ssd_version(version) is known
