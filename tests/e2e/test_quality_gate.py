"""Nothing is published until the data has been checked: bad input, one case at a time.

Each case runs the nightly job on a corrupted copy of a small extract against a warehouse that
already holds a publication, and checks the run fails with a clear message and leaves
published.duckdb byte for byte as it was.
"""

import hashlib
import json
import os
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import duckdb
import pytest

from pipelines.cli import main
from pipelines.extract.arrival import seal
from pipelines.runner import PipelineFailed, run_pipeline
from pipelines.synthetic import generate


@pytest.fixture(scope="module")
def tiny_extract(tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("tiny") / "extract"
    generate(out, children=600, years=2, seed=3)
    return out


@pytest.fixture(scope="module")
def warehouse(tmp_path_factory, tiny_extract) -> Path:
    path = tmp_path_factory.mktemp("gate-warehouse")
    run_pipeline(tiny_extract, path, quiet=True)
    return path


@pytest.fixture()
def bad(tmp_path, tiny_extract) -> Path:
    out = tmp_path / "bad"
    shutil.copytree(tiny_extract, out)
    return out


def _digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def _blocked(extract: Path, warehouse: Path, *fragments: str, cli: bool = False) -> str:
    seal(extract)  # the council's export wrote these files as they are, and listed them
    published = warehouse / "published.duckdb"
    before = _digest(published)
    reports_before = {p.name: _digest(p) for p in (warehouse / "reports").iterdir()}
    with pytest.raises(PipelineFailed) as failure:
        run_pipeline(extract, warehouse, quiet=True)
    if cli:  # the command line says so too (once is enough: each run costs a load)
        assert main(["run", "--source", str(extract), "--warehouse", str(warehouse)]) == 1
    assert _digest(published) == before
    # a failed gate writes no report: last night's stay as they were
    assert {p.name: _digest(p) for p in (warehouse / "reports").iterdir()} == reports_before
    message = str(failure.value)
    for fragment in fragments:
        assert fragment in message, message
    return message


def _lines(path: Path) -> list[str]:
    return path.read_text(encoding="utf-8").splitlines(keepends=True)


def _edit_cells(path: Path, column: str, rows: list[int], value: str) -> None:
    lines = _lines(path)
    header = lines[0].rstrip("\n").split(",")
    i = header.index(column)
    for r in rows:
        cells = lines[r].rstrip("\n").split(",")
        cells[i] = value
        lines[r] = ",".join(cells) + "\n"
    path.write_text("".join(lines), encoding="utf-8")


def test_a_required_table_missing(bad, warehouse):
    (bad / "ssd_legal_status.csv").unlink()
    _blocked(bad, warehouse, "ssd_legal_status.csv", "required table ssd_legal_status is missing", cli=True)


def test_a_required_column_missing(bad, warehouse):
    path = bad / "ssd_cla_episodes.csv"
    lines = _lines(path)
    lines[0] = lines[0].replace("clae_person_id", "person_ref")
    path.write_text("".join(lines))
    _blocked(
        bad, warehouse, "ssd_cla_episodes.csv", "column clae_person_id", "required column clae_person_id is missing"
    )


def test_an_unparsable_date(bad, warehouse):
    _edit_cells(bad / "ssd_cp_plans.csv", "cppl_cp_plan_start_date", [4], "31/02/2015x")
    message = _blocked(bad, warehouse, "ssd_cp_plans.csv", "row 5", "column cppl_cp_plan_start_date", "not a date")
    assert "31/02/2015" not in message  # the value itself never leaves the extract


def test_a_file_not_in_utf8(bad, warehouse):
    path = bad / "ssd_department.csv"
    path.write_bytes(path.read_text().replace("Ashford", "Ashf\xf6rd").encode("latin-1"))
    _blocked(bad, warehouse, "ssd_department.csv", "not UTF-8")


def test_duplicated_primary_keys(bad, warehouse):
    path = bad / "ssd_department.csv"
    lines = _lines(path)
    path.write_text("".join(lines + [lines[3]]))
    _blocked(bad, warehouse, "quarantine/ssd_department")


def test_orphan_foreign_keys(bad, warehouse):
    _edit_cells(bad / "ssd_department.csv", "dept_team_parent_id", [7], "NO-SUCH-AREA")
    _blocked(bad, warehouse, "quarantine/ssd_department")


def test_codes_outside_the_code_set(bad, warehouse):
    _edit_cells(bad / "ssd_department.csv", "dept_team_type", [2], "SOMETHING")
    _blocked(bad, warehouse, "quarantine/ssd_department")


def test_end_before_start(bad, warehouse):
    path = bad / "ssd_cin_plans.csv"
    n = len(_lines(path)) - 1
    _edit_cells(path, "cinp_cin_plan_end_date", list(range(1, max(n // 10, 3) + 1)), "2000-01-01")
    _blocked(bad, warehouse, "quarantine/ssd_cin_plans")


def test_a_problem_in_a_column_no_measure_reads_is_reported_and_does_not_block(bad, warehouse, capsys):
    # no measure reads when an immigration status ended (UASC is "ever UASC up to d")
    path = bad / "ssd_immigration_status.csv"
    n = len(_lines(path)) - 1
    _edit_cells(path, "immi_immigration_status_end_date", list(range(1, max(n // 10, 3) + 1)), "2000-01-01")
    seal(bad)
    assert main(["run", "--source", str(bad), "--warehouse", str(warehouse)]) == 0
    out = capsys.readouterr().out
    rule = "ssd_immigration_status.immi_immigration_status_end_date.not_before_immi_immigration_status_start_date"
    assert f"reported [raw] {rule}" in out and "0 rows quarantined" in out


def test_dates_in_the_future(bad, warehouse):
    path = bad / "ssd_immigration_status.csv"
    n = len(_lines(path)) - 1
    _edit_cells(path, "immi_immigration_status_start_date", list(range(1, max(n // 10, 3) + 1)), "2030-01-01")
    _blocked(bad, warehouse, "quarantine/ssd_immigration_status")


def test_an_empty_required_table(bad, warehouse):
    path = bad / "ssd_legal_status.csv"
    path.write_text(_lines(path)[0])
    _blocked(bad, warehouse, "quarantine/ssd_legal_status")
    con = duckdb.connect(str(warehouse / "warehouse.duckdb"), read_only=True)
    detail = con.execute(
        "select detail from quality.data_quality where rule_id = 'ssd_legal_status.quarantine_share' "
        "order by checked_at desc limit 1"
    ).fetchone()[0]
    con.close()
    assert detail == "required table ssd_legal_status is empty"


def test_a_csv_truncated_mid_row(bad, warehouse):
    path = bad / "ssd_involvements.csv"
    text = path.read_text()
    path.write_text(text[: len(text) - 25])
    _blocked(bad, warehouse, "ssd_involvements.csv", "truncated or malformed row")


def test_a_file_that_is_not_csv(bad, warehouse):
    (bad / "ssd_person.csv").write_bytes(bytes(range(256)) * 20)
    _blocked(bad, warehouse, "ssd_person.csv")


def test_unknown_extra_columns_are_ignored_reported_and_do_not_block(bad, warehouse, capsys):
    path = bad / "ssd_department.csv"
    lines = _lines(path)
    path.write_text(
        "".join([lines[0].rstrip("\n") + ",cost_centre\n"] + [line.rstrip("\n") + ",CC1\n" for line in lines[1:]])
    )
    seal(bad)
    assert main(["run", "--source", str(bad), "--warehouse", str(warehouse)]) == 0
    out = capsys.readouterr().out
    assert "ssd_department.unknown_columns" in out and "cost_centre" in out


def test_the_dirty_extract_defects_are_all_found_and_left_out(tmp_path):
    extract, warehouse = tmp_path / "dirty", tmp_path / "warehouse"
    # large enough that five bad rows stay under 1% of each table, so the run publishes
    assert (
        main(["generate", "--out", str(extract), "--children", "2500", "--years", "3", "--seed", "7", "--dirty"]) == 0
    )
    injected = json.loads((extract / "manifest.json").read_text())["injected_defects"]
    assert len(injected) == 7 and all(len(rows) == 5 for rows in injected.values())
    run_pipeline(extract, warehouse, quiet=True)  # each table stays under 1%: published
    con = duckdb.connect(str(warehouse / "warehouse.duckdb"), read_only=True)
    found: dict[str, list[int]] = {}
    for table in {rule.split(".")[0] for rule in injected}:
        for row, rule in con.execute(f"select _row_number, rule_id from quarantine.{table}").fetchall():
            found.setdefault(rule, []).append(row)
    assert {rule: sorted(rows) for rule, rows in found.items()} == {
        rule: sorted(rows) for rule, rows in injected.items()
    }
    # quarantined rows are left out of the measures
    raw = con.execute("select count(*) from raw.ssd_cp_plans").fetchone()[0]
    staged = con.execute("select count(*) from staging.stg_ssd__ssd_cp_plans").fetchone()[0]
    con.close()
    assert raw - staged == 5
    published = duckdb.connect(str(warehouse / "published.duckdb"), read_only=True)
    failed = published.execute(
        "select sum(rows_failed) from data_quality where stage = 'raw' "
        "and rule_id not like '%quarantine_share' and rule_id not like 'load.%'"
    ).fetchone()[0]
    published.close()
    assert failed == 35


def test_a_run_killed_during_dbt_leaves_the_publication_and_the_next_run_succeeds(tiny_extract, warehouse):
    published = warehouse / "published.duckdb"
    before = _digest(published)
    env = {**os.environ, "PYTHONUNBUFFERED": "1"}
    proc = subprocess.Popen(
        [sys.executable, "-m", "pipelines.cli", "run", "--source", str(tiny_extract), "--warehouse", str(warehouse)],
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
        env=env,
        start_new_session=True,
    )
    deadline = time.time() + 180
    for line in proc.stdout:
        if "[    dbt]" in line and "assets" in line:
            time.sleep(2.0)  # well inside dbt's build
            os.killpg(proc.pid, signal.SIGKILL)
            break
        assert time.time() < deadline
    proc.wait(timeout=60)
    assert proc.returncode == -signal.SIGKILL
    assert _digest(published) == before
    assert main(["run", "--source", str(tiny_extract), "--warehouse", str(warehouse)]) == 0


def test_great_expectations_finds_the_same_rows_whatever_the_batch_size(tmp_path, monkeypatch):
    from datetime import datetime

    from pipelines.contracts import raw_contract
    from pipelines.extract import read_manifest
    from pipelines.quality import gate
    from pipelines.quality.rules import raw_rules
    from pipelines.synthetic.dirty import inject_defects

    extract, warehouse = tmp_path / "dirty", tmp_path / "warehouse"
    generate(extract, children=2500, years=3, seed=7)
    inject_defects(extract)
    run_pipeline(extract, warehouse, quiet=True, stages=("load",))
    manifest = read_manifest(extract)
    injected = json.loads((extract / "manifest.json").read_text())["injected_defects"]
    # the furthest row of a defect that Great Expectations (not SQL) finds: batches are cut so that
    # it is the last row of one batch, then the first row of the next
    gx_rules = {rule.id for rule in raw_rules(raw_contract()) if rule.engine == "gx"}
    row = max(r for rule, rows in injected.items() if rule in gx_rules for r in rows)
    assert row > 1000
    con = duckdb.connect(str(warehouse / "warehouse.duckdb"))
    tables = [t[0] for t in con.execute("select table_name from raw.extract_tables where present").fetchall()]
    found = []
    for batch_rows in (gate.BATCH_ROWS, row, row - 1):  # the rows are numbered from 1
        monkeypatch.setattr(gate, "BATCH_ROWS", batch_rows)
        con.execute("drop schema if exists quality cascade")  # no earlier night: every row is checked
        report = gate.validate_raw(con, manifest.extract_id, datetime.fromisoformat(str(manifest.extracted_at)))
        outcomes = sorted((o.rule_id, o.rows_checked, o.rows_failed) for o in report.outcomes)
        quarantined = {t: sorted(con.execute(f"select * from quarantine.{t}").fetchall()) for t in tables}
        found.append((outcomes, quarantined))
    con.close()
    assert found[0] == found[1] == found[2]
    found_rows = {(rule, r) for rows in found[0][1].values() for r, rule, *_ in rows}
    assert {(rule, r) for rule, rows in injected.items() for r in rows} <= found_rows
