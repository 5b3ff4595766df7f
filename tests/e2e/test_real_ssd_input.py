"""A council's own SSD output loads as its script writes it and gives the same measures.

The generator writes one set of children three ways - tidy, as the SystemC script writes them
and as the Mosaic script writes them - and each is run through the nightly job. The published
measure_results must be identical, value for value.
"""

import json
import shutil
from pathlib import Path

import duckdb
import pytest
import yaml

from pipelines.cli import main
from pipelines.contracts import catalogue
from pipelines.extract.arrival import seal
from pipelines.runner import run_pipeline
from pipelines.synthetic import generate
from pipelines.synthetic.dialects import OUTSIDE_COHORT_ROWS

REPO = Path(__file__).resolve().parents[2]
CHILDREN, YEARS, SEED = 900, 2, 11
CARE_LEAVER_MEASURES = {m.id for m in catalogue().measures.values() if m.without_columns == "extract_month_only"}


def _generate(root: Path, dialect: str | None) -> Path:
    out = root / (dialect or "tidy")
    generate(out, children=CHILDREN, years=YEARS, seed=SEED, dialect=dialect)
    return out


def _results(warehouse: Path) -> list[tuple]:
    con = duckdb.connect(str(warehouse / "published.duckdb"), read_only=True)
    try:
        return con.execute(
            "select measure_id, period_end, org_unit, uasc_scope, numerator, denominator, value "
            "from measure_results order by all"
        ).fetchall()
    finally:
        con.close()


def _quality(warehouse: Path, where: str) -> list[tuple]:
    con = duckdb.connect(str(warehouse / "warehouse.duckdb"), read_only=True)
    try:
        return con.execute(
            "select rule_id, rows_checked, rows_failed, passed, blocking, detail "
            f"from quality.data_quality where {where}"
        ).fetchall()
    finally:
        con.close()


@pytest.fixture(scope="module")
def tidy(tmp_path_factory) -> tuple[Path, list[tuple]]:
    root = tmp_path_factory.mktemp("ssd-tidy")
    extract = _generate(root, None)
    run_pipeline(extract, root / "warehouse", quiet=True)
    return extract, _results(root / "warehouse")


@pytest.fixture(scope="module")
def systemc(tmp_path_factory) -> Path:
    root = tmp_path_factory.mktemp("ssd-systemc")
    run_pipeline(_generate(root, "systemc"), root / "warehouse", quiet=True)
    return root / "warehouse"


@pytest.fixture(scope="module")
def mosaic(tmp_path_factory) -> Path:
    root = tmp_path_factory.mktemp("ssd-mosaic")
    run_pipeline(
        _generate(root, "mosaic"), root / "warehouse", quiet=True, config_file=REPO / "config/examples/mosaic.yml"
    )
    return root / "warehouse"


def test_a_systemc_extract_publishes_exactly_the_tidy_measures(tidy, systemc):
    _, expected = tidy
    assert len(expected) > 10_000
    assert _results(systemc) == expected


def test_a_mosaic_extract_publishes_exactly_the_tidy_measures(tidy, mosaic):
    _, expected = tidy
    assert _results(mosaic) == expected


def test_the_report_counts_what_was_normalised_on_load(systemc):
    notes = {r[0]: r for r in _quality(systemc, "rule_id like 'load.%'")}
    kinds = {rule_id.split(".")[-1] for rule_id in notes}
    assert {"values_mapped", "placeholder_dates_nulled"} <= kinds
    assert notes["load.ssd_cin_assessments.cina_assessment_auth_date.placeholder_dates_nulled"][1] > 0
    assert notes["load.ssd_legal_status.lega_legal_status.values_mapped"][1] > 0
    assert not any(r[4] for r in notes.values())  # never blocking
    assert "values_unmapped" not in kinds  # the shipped DfE map knows every description SystemC writes


def test_rows_outside_the_person_cohort_are_left_out_and_counted(systemc):
    left_out = {r[0]: r for r in _quality(systemc, "rule_id like '%.in_person_cohort' and rows_failed > 0")}
    assert set(left_out) == {
        "ssd_cla_placement.clap_person_id.in_person_cohort",
        "ssd_cp_visits.cppv_person_id.in_person_cohort",
    }
    assert all(r[2] == OUTSIDE_COHORT_ROWS and not r[4] for r in left_out.values())


def test_mosaic_placements_take_their_child_from_the_period_of_care(mosaic):
    derived = {r[0]: r[1] for r in _quality(mosaic, "rule_id like 'load.%.derived_from_parent'")}
    assert derived["load.ssd_cla_placement.clap_person_id.derived_from_parent"] > 0


@pytest.fixture(scope="module")
def local_extract(tmp_path_factory, tidy) -> Path:
    """The tidy extract as a council might send it: an SSD version given as its series, an
    ethnicity code of its own on a fifth of the children and no care-leaver status dates."""
    source, _ = tidy
    out = tmp_path_factory.mktemp("ssd-local") / "extract"
    shutil.copytree(source, out)
    manifest = json.loads((out / "manifest.json").read_text())
    (out / "manifest.json").write_text(json.dumps({**manifest, "ssd_version": "9.9"}))
    people = (out / "ssd_person.csv").read_text().splitlines()
    column = people[0].split(",").index("pers_ethnicity")
    for i in range(1, len(people), 5):
        cells = people[i].split(",")
        cells[column] = "Local code 7"
        people[i] = ",".join(cells)
    (out / "ssd_person.csv").write_text("\n".join(people) + "\n")
    leavers = (out / "ssd_care_leavers.csv").read_text().splitlines()
    dropped = leavers[0].split(",").index("clea_status_date")
    (out / "ssd_care_leavers.csv").write_text(
        "\n".join(",".join(c for j, c in enumerate(line.split(",")) if j != dropped) for line in leavers) + "\n"
    )
    seal(out)  # as the council's export would list its files
    return out


@pytest.fixture(scope="module")
def local(tmp_path_factory, local_extract) -> Path:
    warehouse = tmp_path_factory.mktemp("ssd-local-warehouse")
    run_pipeline(local_extract, warehouse, quiet=True)
    return warehouse


def test_an_unknown_ssd_version_is_a_warning_and_the_run_publishes(local):
    ((rule_id, _, failed, passed, blocking, detail),) = _quality(local, "rule_id = 'extract.ssd_version_known'")
    assert failed == 1 and not passed and not blocking and "9.9" in detail
    assert (local / "published.duckdb").exists()


def test_an_unknown_ethnicity_code_is_reported_and_the_children_still_count(tidy, local):
    (unmapped,) = _quality(local, "rule_id = 'load.ssd_person.pers_ethnicity.values_unmapped'")
    people = len((tidy[0] / "ssd_person.csv").read_text().splitlines()) - 1
    assert unmapped[2] == len(range(1, people + 1, 5)) and not unmapped[4]
    (reported,) = _quality(local, "rule_id = 'ssd_person.pers_ethnicity.in_code_set'")
    assert reported[2] == unmapped[2] and not reported[4]  # reported against the code set ...
    (share,) = _quality(local, "rule_id = 'ssd_person.quarantine_share'")
    assert share[2] == 0 and share[3]  # ... and no child is quarantined
    expected = [r for r in tidy[1] if r[0] not in CARE_LEAVER_MEASURES]
    assert [r for r in _results(local) if r[0] not in CARE_LEAVER_MEASURES] == expected


def test_without_status_dates_care_leavers_are_published_for_the_extract_month_only(tidy, local):
    last_month = max(r[1] for r in tidy[1])
    rows = [r for r in _results(local) if r[0] in CARE_LEAVER_MEASURES]
    assert rows and CARE_LEAVER_MEASURES
    assert all((r[6] is not None) == (r[1] == last_month) for r in rows if r[3] == "all" and r[2] == "LA")
    assert any(r[6] is not None for r in rows)
    con = duckdb.connect(str(local / "published.duckdb"), read_only=True)
    reasons = dict(con.execute("select measure_id, unavailable_reason from measure_unavailable").fetchall())
    con.close()
    assert set(reasons) >= CARE_LEAVER_MEASURES
    assert all("extract's own month only" in reasons[m] for m in CARE_LEAVER_MEASURES)


def test_validate_lists_unmapped_values_and_writes_a_map_that_clears_them(local_extract, tmp_path, capsys):
    map_file = tmp_path / "council_map.yml"
    assert main(["validate", "--source", str(local_extract), "--write-map", str(map_file)]) == 0
    out = capsys.readouterr().out
    assert "ssd_person.pers_ethnicity: 'Local code 7'" in out
    local_codes = (local_extract / "ssd_person.csv").read_text().count("Local code 7")
    assert f"\n  ssd_person.pers_ethnicity: {local_codes:,} unmapped\n" in out  # the per-column counts
    template = map_file.read_text()
    # free text (immigration statuses) is only counted unless asked for: it may hold anything typed
    assert yaml.safe_load(template) == {"code_sets": {"ethnicity": {}}}
    assert "free-text values kept as written in ssd_immigration_status.immi_immigration_status" in out
    assert '"Local code 7"' in template  # listed, as a comment, under its code set
    # the council writes the code its wording means, then names the map in its configuration
    map_file.write_text(template.replace("    {}", '    WBRI: ["Local code 7"]'))
    config = tmp_path / "council.yml"
    config.write_text(f"value_map: {map_file.name}\n")
    assert main(["validate", "--source", str(local_extract), "--config", str(config)]) == 0
    out = capsys.readouterr().out
    assert "map to no code" not in out and "'Local code 7'" not in out and "passes the gate" in out
