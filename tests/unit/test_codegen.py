"""The dbt sources and staging views are generated from the contract and must not drift."""

from pipelines import dbt_codegen
from pipelines.contracts import raw_contract


def test_generated_dbt_files_match_the_contract():
    assert dbt_codegen.stale() == [], "run `cscw codegen` after changing models/raw_extract.yml"


def test_staging_never_selects_direct_identifiers():
    for path, text in dbt_codegen.expected_files().items():
        if path.suffix == ".sql":
            for table in raw_contract().tables.values():
                for c in table.columns:
                    if c.personal:
                        assert f"    {c.name}" not in text, (path.name, c.name)


def test_expectation_suites_match_the_contract():
    from pipelines.quality import suites

    assert suites.stale() == [], "run `cscw codegen` after changing models/raw_extract.yml"
