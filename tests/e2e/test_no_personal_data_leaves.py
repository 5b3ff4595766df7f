"""Nothing personal outside the extract and the working warehouse.

Unique marker strings go into every personal column of an extract (names, UPN, NHS number,
placement postcode, personal adviser, a child's identifier throughout) and into bad cells. The
extract is run as the UI would run it (one Dagster run, a persistent instance) and from the
command line: once cleanly (a few bad codes quarantined) and twice failing (a bad date stops
the load; too many bad codes block the gate). Then everything the runs leave - the Dagster
instance's storage, stdout and stderr, the warehouse folder (publications, Parquet, Data Docs),
dbt's target and logs - is searched for the markers, bytes and DuckDB tables alike.
"""

import csv
import io
import shutil
from pathlib import Path

import dagster as dg
import duckdb
import pytest

from pipelines.cli import main
from pipelines.contracts import raw_contract
from pipelines.dbt_project import dbt_project
from pipelines.extract.arrival import seal
from pipelines.runner import run_config
from pipelines.synthetic import generate

MARKER = "ZQXMARK"
WORKING = {"warehouse.duckdb", "warehouse.duckdb.wal"}  # child-level by design


def _rewrite(path: Path, change) -> None:
    """Rewrite a CSV through `change(header, rows)`, keeping its encoding and line ends simple."""
    with path.open(newline="", encoding="utf-8") as handle:
        rows = list(csv.reader(handle))
    header, body = rows[0], rows[1:]
    header, body = change(header, body)
    out = io.StringIO()
    csv.writer(out, lineterminator="\n").writerows([header, *body])
    path.write_text(out.getvalue(), encoding="utf-8")


def _add_personal_columns(folder: Path) -> None:
    personal = {name: spec.ignored_columns.get("personal", ()) for name, spec in raw_contract().tables.items()}
    personal["ssd_person"] = (*personal["ssd_person"], "pers_nhs_number")  # not an SSD column: ignored by name

    for table, columns in personal.items():
        if not columns or not (folder / f"{table}.csv").exists():
            continue

        def add(header, body, table=table, columns=columns):
            extra = [c for c in columns if c not in header]
            header = header + extra
            positions = [header.index(c) for c in columns]
            for i, row in enumerate(body):
                row.extend([""] * len(extra))
                for position, column in zip(positions, columns, strict=True):
                    row[position] = f"{MARKER}-{column}-{i}"
            return header, body

        _rewrite(folder / f"{table}.csv", add)


def _mark_a_child(folder: Path) -> None:
    """One child's identifier becomes a marker, in every table that names the child."""
    with (folder / "ssd_person.csv").open(encoding="utf-8") as handle:
        child = list(csv.DictReader(handle))[10]["pers_person_id"]
    columns = {
        (t.name, c.name)
        for t in raw_contract().tables.values()
        for c in t.columns
        if c.references == ("ssd_person", "pers_person_id") or (t.name, c.name) == ("ssd_person", "pers_person_id")
    }
    for table, column in columns:
        if (folder / f"{table}.csv").exists():

            def swap(header, body, column=column):
                if column in header:
                    i = header.index(column)
                    for row in body:
                        if row[i] == child:
                            row[i] = f"{MARKER}-child"
                return header, body

            _rewrite(folder / f"{table}.csv", swap)


def _set_cells(folder: Path, table: str, column: str, rows: int, value: str) -> None:
    def change(header, body):
        i = header.index(column)
        for row in body[:rows]:
            row[i] = value
        return header, body

    _rewrite(folder / f"{table}.csv", change)


@pytest.fixture(scope="module")
def runs(tmp_path_factory):
    root = tmp_path_factory.mktemp("markers")
    clean = root / "clean"
    generate(clean, children=700, years=2, seed=5)
    _add_personal_columns(clean)
    _mark_a_child(clean)
    _set_cells(clean, "ssd_cla_placement", "clap_cla_placement_type", 1, f"{MARKER}-code")  # quarantined
    seal(clean)
    bad_date = root / "bad_date"
    shutil.copytree(clean, bad_date)
    _set_cells(bad_date, "ssd_legal_status", "lega_legal_status_start_date", 3, f"{MARKER}-date")
    seal(bad_date)
    bad_codes = root / "bad_codes"
    shutil.copytree(clean, bad_codes)
    _set_cells(bad_codes, "ssd_department", "dept_team_type", 10, f"{MARKER}-team")  # blocks the gate
    seal(bad_codes)

    home, warehouse, cli_warehouse = root / "dagster_home", root / "warehouse", root / "cli_warehouse"
    outcomes = {}
    home.mkdir()
    with dg.instance_for_test(temp_dir=str(home)) as instance:
        from pipelines.definitions import defs

        job = defs.resolve_job_def("nightly_refresh")
        for name, folder in (("clean", clean), ("bad_date", bad_date), ("bad_codes", bad_codes)):
            result = job.execute_in_process(
                run_config=run_config(folder, warehouse), instance=instance, raise_on_error=False
            )
            outcomes[name] = result.success
    return root, home, warehouse, cli_warehouse, outcomes, (clean, bad_date, bad_codes)


def test_the_clean_run_publishes_and_the_bad_ones_fail(runs):
    *_, outcomes, _ = runs
    assert outcomes == {"clean": True, "bad_date": False, "bad_codes": False}


def _files(*folders: Path):
    for folder in folders:
        if folder.exists():
            yield from (p for p in folder.rglob("*") if p.is_file() and p.name not in WORKING)


def _duckdb_text(path: Path) -> str:
    con = duckdb.connect(str(path), read_only=True)
    try:
        text = []
        for schema, table, column in con.execute(
            "select table_schema, table_name, column_name from information_schema.columns where data_type = 'VARCHAR'"
        ).fetchall():
            text += [
                str(v[0])
                for v in con.execute(
                    f'select distinct "{column}" from "{schema}"."{table}" where "{column}" is not null'
                ).fetchall()
            ]
        return "\n".join(text)
    finally:
        con.close()


def test_no_marker_is_left_anywhere_outside_the_extract_and_the_working_warehouse(runs, capfd):
    root, home, warehouse, cli_warehouse, _, (clean, bad_date, bad_codes) = runs
    codes = [
        main(["run", "--source", str(clean), "--warehouse", str(cli_warehouse)]),
        main(["run", "--source", str(bad_date), "--warehouse", str(cli_warehouse)]),
        main(["run", "--source", str(bad_codes), "--warehouse", str(cli_warehouse)]),
    ]
    assert codes == [0, 1, 1]
    out, err = capfd.readouterr()
    assert "published" in out and "row 2, column lega_legal_status_start_date" in err
    assert MARKER not in out and MARKER not in err

    target = dbt_project.project_dir / dbt_project.target_path
    leaks = []
    for path in _files(home, warehouse, cli_warehouse, target, dbt_project.project_dir / "logs"):
        if MARKER.encode() in path.read_bytes() or path.suffix == ".duckdb" and MARKER in _duckdb_text(path):
            leaks.append(str(path))
    assert leaks == []
    # and the published files were searched, not skipped
    assert (warehouse / "published.duckdb").exists() and (
        cli_warehouse / "shareable" / "measure_results.parquet"
    ).exists()


def test_identifiers_and_names_are_never_loaded(runs):
    _, _, warehouse, *_ = runs
    text = _duckdb_text(warehouse / "warehouse.duckdb")
    for column in ("pers_forename", "pers_surname", "pers_upn", "pers_nhs_number", "clap_cla_placement_postcode"):
        assert f"{MARKER}-{column}" not in text, column
    assert f"{MARKER}-child" in text  # the child's identifier is needed, and stays in the working warehouse
