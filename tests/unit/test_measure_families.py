"""One home per measure family: a measure's catalogue entry names its family, and the family's
two files - fct_measures__<family>.sql and .yml - hold its SQL, its docs and its unit tests."""

import re

import pytest
import yaml

from pipelines.contracts import catalogue
from pipelines.settings import DBT_PROJECT_DIR

MEASURES_DIR = DBT_PROJECT_DIR / "models" / "marts" / "measures"
FAMILIES = list(catalogue().families)


def _sql(family: str) -> str:
    return (MEASURES_DIR / f"fct_measures__{family}.sql").read_text()


def _yml(family: str) -> dict:
    return yaml.safe_load((MEASURES_DIR / f"fct_measures__{family}.yml").read_text())


def test_every_family_has_its_two_files_and_nothing_else_is_a_family():
    sql = {p.stem.removeprefix("fct_measures__") for p in MEASURES_DIR.glob("fct_measures__*.sql")}
    yml = {p.stem.removeprefix("fct_measures__") for p in MEASURES_DIR.glob("fct_measures__*.yml")}
    assert sql == yml == set(FAMILIES)


@pytest.mark.parametrize("family", FAMILIES)
def test_each_measure_is_computed_in_its_own_family_only(family):
    ids = {m.id for m in catalogue().family_measures(family)}
    literals = set(re.findall(r"'([a-z0-9_]+)'", _sql(family)))
    assert ids <= literals, f"{family} computes none of {sorted(ids - literals)}"
    others = {m.id for m in catalogue().measures.values() if m.family != family}
    assert not (others & literals), f"{family} computes measures of other families: {sorted(others & literals)}"


@pytest.mark.parametrize("family", FAMILIES)
def test_each_family_documents_its_measures_and_tests_its_model(family):
    doc = _yml(family)
    (model,) = doc["models"]
    assert model["name"] == f"fct_measures__{family}"
    documented = set(re.findall(r"doc\('measure_([a-z0-9_]+)'\)", model["description"]))
    assert documented == {m.id for m in catalogue().family_measures(family)}
    tests = doc.get("unit_tests", [])
    assert tests and all(t["model"] == f"fct_measures__{family}" for t in tests)


def test_unit_tests_of_measure_models_live_beside_them():
    for path in DBT_PROJECT_DIR.joinpath("models").rglob("*.yml"):
        for test in (yaml.safe_load(path.read_text()) or {}).get("unit_tests", []):
            if test["model"].startswith("fct_measures__"):
                assert path.name == f"{test['model']}.yml", (path, test["name"])


def test_every_generated_measure_doc_is_used():
    generated = set(
        re.findall(r"\{% docs measure_([a-z0-9_]+) %\}", (MEASURES_DIR / "_measure_definitions.md").read_text())
    )
    used = set()
    for path in DBT_PROJECT_DIR.joinpath("models").rglob("*.yml"):
        used |= set(re.findall(r"doc\('measure_([a-z0-9_]+)'\)", path.read_text()))
    # besides one block per measure, `measure_catalogue` tabulates them all for fct_measure_results
    assert generated - {"catalogue"} == used - {"catalogue"} == set(catalogue().measures)
