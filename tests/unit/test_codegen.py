"""The dbt sources and staging views are generated from the contract and must not drift."""

from pipelines import dbt_codegen
from pipelines.contracts import raw_contract


def test_generated_dbt_files_match_the_contract():
    assert dbt_codegen.stale() == [], "run `cscw codegen` after changing models/raw_extract.yml"


def test_staging_selects_only_the_columns_measures_read():
    for path, text in dbt_codegen.expected_files().items():
        if path.suffix == ".sql" and path.stem.startswith("stg_ssd__"):
            table = raw_contract().tables[path.stem.removeprefix("stg_ssd__")]
            for c in table.columns:
                assert (f"    {c.name}" in text) == table.is_read_by_measures(c), (path.name, c.name)


def test_expectation_suites_match_the_contract():
    from pipelines.quality import suites

    assert suites.stale() == [], "run `cscw codegen` after changing models/raw_extract.yml"


def test_each_family_has_its_records_model_and_its_summing_table_and_no_other():
    from pipelines.contracts import catalogue

    families = set(catalogue().families)
    measures_dir = dbt_codegen.FAMILY_FACTS_DIR.parent
    assert {p.stem.removeprefix("fct_measures__") for p in measures_dir.glob("fct_measures__*.sql")} == families
    # a family dropped from the catalogue must not leave its generated table behind
    generated = {p.stem.removeprefix("int_measure_facts__") for p in dbt_codegen.FAMILY_FACTS_DIR.glob("*.sql")}
    assert generated == families
