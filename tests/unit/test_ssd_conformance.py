"""The contract conforms to the real Standard Safeguarding Dataset.

Reads the published specification (`objects/*.yml`), the columns each system's deployment script
really creates (`ddl_reference/*.csv`) and the release history, all under
../shared/external/ssd-data-model/, and checks the contract against them column by column. It
fails when the contract drifts from the real SSD: a column renamed or invented, a column a
script writes that the contract neither reads nor knowingly ignores.
"""

import csv
from functools import cache

import pytest
import yaml

from pipelines.contracts import raw_contract
from tests.conftest import SHARED

SSD = SHARED / "external" / "ssd-data-model"
SYSTEMS = ("systemc", "mosaic")

pytestmark = pytest.mark.skipif(
    not SSD.exists(), reason="the SSD specification (../shared/external) is not beside the repo"
)


@cache
def ssd_version() -> str:
    return str(yaml.safe_load((SSD / "ssd_version_history.yml").read_text())["current_version"])


@cache
def specification() -> dict[str, set[str]]:
    tables = {}
    for path in sorted((SSD / "objects").glob("ssd_*.yml")):
        for node in yaml.safe_load(path.read_text()).get("nodes", []):
            tables[node["name"]] = {field["name"] for field in node.get("fields", [])}
    return tables


@cache
def script_columns(system: str) -> dict[str, set[str]]:
    tables: dict[str, set[str]] = {}
    with (SSD / "ddl_reference" / f"ssd_ddl_reference_{system}.csv").open(newline="") as fh:
        for row in csv.DictReader(fh):
            tables.setdefault(row["table_name"], set()).add(row["field_name"])
    return tables


SSD_TABLES = [t for t in raw_contract().tables.values() if not t.extension]


@pytest.mark.parametrize("version", [ssd_version()] if SSD.exists() else [])
def test_the_contract_knows_the_current_ssd_release_and_every_earlier_one(version):
    history = yaml.safe_load((SSD / "ssd_version_history.yml").read_text())
    released = {str(release["version_number"]) for release in history["releases"]}
    assert version in raw_contract().ssd_versions
    assert released == set(raw_contract().ssd_versions), f"SSD {version}: releases differ"


@pytest.mark.parametrize("table", SSD_TABLES, ids=lambda t: t.name)
def test_every_ssd_table_and_column_the_contract_uses_is_in_the_specification(table):
    spec = specification()
    assert table.name in spec, f"{table.name} is not a table of SSD {ssd_version()}"
    for column in table.columns:
        if column.extension:
            assert column.name not in spec[table.name], f"{column.name} is in SSD {ssd_version()}: not an extension"
        elif column.origin:
            # a column a system's script writes though the specification does not have it
            assert column.name in script_columns(column.origin).get(table.name, set()), column.name
        else:
            assert column.name in spec[table.name], f"{table.name}.{column.name} is not in SSD {ssd_version()}"


@pytest.mark.parametrize("system", SYSTEMS)
@pytest.mark.parametrize("table", [t for t in SSD_TABLES if t.required], ids=lambda t: t.name)
def test_every_column_a_script_creates_for_a_required_table_is_read_or_knowingly_ignored(table, system):
    created = script_columns(system).get(table.name, set())
    assert created, f"the {system} script creates no {table.name}"
    unknown = sorted(created - table.known_column_names)
    assert not unknown, (
        f"the {system} script (SSD {ssd_version()}) writes {table.name} columns the contract "
        f"neither reads nor ignores: {unknown}"
    )


@pytest.mark.parametrize("system", SYSTEMS)
def test_a_required_column_a_script_leaves_out_can_be_derived(system):
    """Mosaic writes placements without clap_person_id: the contract derives it from the period of care."""
    for table in (t for t in SSD_TABLES if t.required):
        created = script_columns(system).get(table.name, set())
        for column in table.columns:
            written = created & {column.name, *column.aliases}
            if (column.required or column.key) and not column.extension and not written:
                assert column.derived_from is not None, f"{system}: {table.name}.{column.name} is missing"
                assert column.derived_from.column in created, f"{system} cannot derive {table.name}.{column.name}"


def test_the_columns_the_contract_knowingly_ignores_exist_in_the_ssd_or_a_script():
    for table in SSD_TABLES:
        written = (
            specification().get(table.name, set()).union(*(script_columns(s).get(table.name, set()) for s in SYSTEMS))
        )
        for reason, names in table.ignored_columns.items():
            stray = sorted(set(names) - written)
            assert not stray, f"{table.name} ignores ({reason}) columns no SSD source has: {stray}"
