"""Run the dbt unit tests (hand-worked expected rows for every measure) on an empty warehouse."""

import json
import os
import subprocess

import pytest

from pipelines import settings
from pipelines.catalogue_tables import measure_catalogue_table, measure_requirements_table
from pipelines.config import DisclosurePolicy
from pipelines.contracts import raw_contract
from pipelines.dbt_project import DBT_ENVIRONMENT, dbt_command
from pipelines.extract.loader import (
    contract_columns_table,
    create_empty_table,
    load_allocation_types,
    load_bank_holidays,
    load_disclosure_policy,
    replace_table,
    warehouse_connection,
)
from pipelines.publish import load_publication_history
from pipelines.quality.gate import ensure_quarantine_tables


def _dbt(args, warehouse):
    return subprocess.run(
        dbt_command(*args, "--vars", json.dumps({"warehouse_path": str(warehouse)})),
        cwd=settings.DBT_PROJECT_DIR,
        env={**os.environ, **DBT_ENVIRONMENT},
        capture_output=True,
        text=True,
    )


@pytest.fixture(scope="module")
def empty_warehouse(tmp_path_factory):
    path = tmp_path_factory.mktemp("dbt") / "warehouse.duckdb"
    with warehouse_connection(path) as con:
        for spec in raw_contract().tables.values():
            create_empty_table(con, spec, "unit-tests")
        con.execute(
            "create table raw.extract_manifest (extract_id varchar, la_code varchar, extracted_at timestamp, "
            "period_end date, period_start date, ssd_version varchar, files_listed boolean)"
        )
        con.execute("create table raw.extract_tables (table_name varchar, present boolean)")
        load_bank_holidays(con)
        load_allocation_types(con, ("CW",))
        columns = contract_columns_table()
        replace_table(con, "extract_columns", columns.append_column("present", [[True] * columns.num_rows]))
        load_publication_history(con)
        load_disclosure_policy(con, DisclosurePolicy())
        ensure_quarantine_tables(con)
        replace_table(con, "measure_catalogue", measure_catalogue_table())
        replace_table(con, "measure_requirements", measure_requirements_table())
    built = _dbt(["run", "--empty", "--quiet"], path)
    assert built.returncode == 0, built.stdout + built.stderr
    return path


def test_every_dbt_unit_test_passes(empty_warehouse):
    result = _dbt(["test", "--select", "test_type:unit"], empty_warehouse)
    assert result.returncode == 0, result.stdout[-6000:]
    summary = dict(part.split("=") for part in result.stdout.rsplit("Done.", 1)[1].split() if "=" in part)
    assert summary["ERROR"] == "0" and summary["PASS"] == summary["TOTAL"], summary
    assert int(summary["TOTAL"]) >= 27, summary
