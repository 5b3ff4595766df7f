"""Safe to leave alone at 02:00: one complete extract per run, one run at a time, publishing that
checks its own preconditions, history the analysts cannot change, and nothing left to grow."""

import hashlib
import json
import os
import shutil
import stat
import subprocess
import sys
import time
from datetime import date
from pathlib import Path

import dagster as dg
import duckdb
import pytest

from pipelines import settings
from pipelines.cli import EXIT_BUSY, main
from pipelines.extract import ExtractError, read_manifest
from pipelines.extract.arrival import arrivals, newest_complete, seal, verify
from pipelines.runner import PipelineFailed, run_pipeline
from pipelines.synthetic import generate

REPO = Path(__file__).resolve().parents[2]


def _tiny(out: Path, end: date = date(2016, 3, 31), seed: int = 3) -> Path:
    generate(out, children=500, years=2, seed=seed, end=end)
    return out


@pytest.fixture(scope="module")
def tiny(tmp_path_factory) -> Path:
    return _tiny(tmp_path_factory.mktemp("safety") / "extract")


@pytest.fixture(scope="module")
def published_once(tmp_path_factory, tiny) -> Path:
    path = tmp_path_factory.mktemp("safety") / "warehouse"
    run_pipeline(tiny, path, quiet=True)
    return path


@pytest.fixture()
def warehouse(tmp_path, published_once) -> Path:
    """A warehouse that has published the tiny extract once (a copy of its own, modes kept)."""
    path = tmp_path / "warehouse"
    shutil.copytree(published_once, path)
    return path


def _digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def _query(path: Path, sql: str):
    con = duckdb.connect(str(path), read_only=True)
    try:
        return con.execute(sql).fetchall()
    finally:
        con.close()


def _cscw(*args: str, env: dict | None = None) -> subprocess.Popen:
    return subprocess.Popen(
        [sys.executable, "-m", "pipelines.cli", *args],
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
        env={**os.environ, "PYTHONUNBUFFERED": "1", **(env or {})},
        cwd=REPO,
    )


def _wait_for(proc: subprocess.Popen, marker: str, seconds: float = 240) -> list[str]:
    seen, deadline = [], time.time() + seconds
    for line in proc.stdout:
        seen.append(line)
        if marker in line:
            return seen
        assert time.time() < deadline, "".join(seen)
    raise AssertionError(f"the run ended before {marker!r}:\n{''.join(seen)}")


# --- which folder is an extract ----------------------------------------------------------------
def test_only_complete_sealed_folders_not_hidden_count_and_the_newest_by_date_wins(tmp_path, tiny):
    extracts = tmp_path / "extracts"
    older = _tiny(extracts / "2016-03", end=date(2016, 2, 29))
    newer = extracts / "2016-04"
    shutil.copytree(tiny, newer)
    shutil.copytree(tiny, extracts / ".incoming")  # still being copied in
    shutil.copytree(tiny, extracts / "_archive")
    os.utime(older / "manifest.json")  # a re-copied old extract is newest on disk, not by date
    assert newest_complete(extracts) == newer
    assert {a.folder.name for a in arrivals(extracts)} == {"2016-03", "2016-04"}

    partial = extracts / "2016-05"
    shutil.copytree(tiny, partial)
    manifest = json.loads((partial / "manifest.json").read_text())
    (partial / "manifest.json").write_text(json.dumps({**manifest, "extracted_at": "2016-05-05T02:00:00"}))
    with (partial / "ssd_person.csv").open("r+b") as handle:  # a copy still under way
        handle.truncate(handle.seek(0, 2) // 2)
    assert not [a for a in arrivals(extracts) if a.folder == partial][0].complete
    assert newest_complete(extracts) == newer


def test_a_file_changed_or_cut_short_after_sealing_is_refused_naming_it(tmp_path, tiny):
    copy = tmp_path / "copy"
    shutil.copytree(tiny, copy)
    path = copy / "ssd_legal_status.csv"
    text = path.read_text()
    path.write_text(text.replace(",C2,", ",C1,", 1))  # same size, different content
    with pytest.raises(ExtractError, match="ssd_legal_status.csv.*SHA-256"):
        verify(copy, read_manifest(copy))
    lines = text.splitlines(keepends=True)
    path.write_text("".join(lines[:-3]))  # cut at a line boundary: reads cleanly otherwise
    with pytest.raises(ExtractError, match="ssd_legal_status.csv.*bytes"):
        verify(copy, read_manifest(copy))


def test_a_manifest_without_files_is_accepted_with_a_warning(tmp_path, tiny):
    copy = tmp_path / "unsealed"
    shutil.copytree(tiny, copy)
    manifest = json.loads((copy / "manifest.json").read_text())
    del manifest["files"]
    (copy / "manifest.json").write_text(json.dumps(manifest))
    run_pipeline(copy, tmp_path / "warehouse", quiet=True, stages=("load", "raw checks"))
    ((failed, blocking),) = _query(
        tmp_path / "warehouse" / "warehouse.duckdb",
        "select rows_failed, blocking from quality.data_quality where rule_id = 'extract.manifest_lists_files'",
    )
    assert failed == 1 and not blocking


# --- one run at a time, one extract per run -------------------------------------------------------
def test_a_second_run_is_refused_while_the_first_runs_and_the_first_publishes(tmp_path, tiny, capsys):
    warehouse = tmp_path / "warehouse"
    first = _cscw("run", "--source", str(tiny), "--warehouse", str(warehouse))
    _wait_for(first, "[   load]")
    assert main(["run", "--source", str(tiny), "--warehouse", str(warehouse)]) == EXIT_BUSY
    assert "another run is using the warehouse" in capsys.readouterr().err
    output = first.communicate(timeout=600)[0]
    assert first.returncode == 0, output
    assert _query(warehouse / "published.duckdb", "select count(*) from publication_log") == [(1,)]


def test_a_folder_landing_mid_run_is_left_for_the_next_run(tmp_path, tiny):
    extracts, warehouse = tmp_path / "extracts", tmp_path / "warehouse"
    shutil.copytree(tiny, extracts / "2016-03")
    env = {"CSCW_EXTRACTS_DIR": str(extracts), "CSCW_SOURCE": ""}
    run = _cscw("run", "--warehouse", str(warehouse), env=env)
    _wait_for(run, "[    dbt]")
    _tiny(extracts / "2016-04", end=date(2016, 4, 30))  # complete and newer, mid-run
    output = run.communicate(timeout=600)[0]
    assert run.returncode == 0, output
    assert _query(warehouse / "published.duckdb", "select extract_id from publication_log") == [("2016-04-05T02:00",)]
    assert _query(warehouse / "warehouse.duckdb", "select distinct _extract_id from raw.ssd_person") == [
        ("2016-04-05T02:00",)
    ]
    following = _cscw("run", "--warehouse", str(warehouse), env=env)
    output = following.communicate(timeout=600)[0]
    assert following.returncode == 0 and "extract 2016-05-05T02:00" in output, output


def test_an_extract_older_than_the_last_publication_is_refused_unless_forced(tmp_path, warehouse):
    older = _tiny(tmp_path / "older", end=date(2016, 2, 29))
    before = _digest(warehouse / "published.duckdb")
    with pytest.raises(PipelineFailed, match="older than the last publication"):
        run_pipeline(older, warehouse, quiet=True)
    assert _digest(warehouse / "published.duckdb") == before
    run_pipeline(older, warehouse, quiet=True, force=True)
    assert _query(warehouse / "published.duckdb", "select max(period_end) from measure_results") == [
        (date(2016, 2, 29),)
    ]


# --- publishing checks its own preconditions -------------------------------------------------------
def test_publishing_alone_refuses_an_extract_that_did_not_pass_the_gates(tmp_path, warehouse):
    newer = _tiny(tmp_path / "newer", end=date(2016, 4, 30))
    before = _digest(warehouse / "published.duckdb")
    run_pipeline(newer, warehouse, quiet=True, stages=("load",))
    with pytest.raises(PipelineFailed, match="refused to publish extract 2016-05-05T02:00: the raw quality gate"):
        run_pipeline(newer, warehouse, quiet=True, stages=("publish",))
    run_pipeline(newer, warehouse, quiet=True, stages=("raw checks", "dbt"))
    with pytest.raises(PipelineFailed, match="the measure gate has not checked"):
        run_pipeline(newer, warehouse, quiet=True, stages=("publish",))
    assert _digest(warehouse / "published.duckdb") == before
    run_pipeline(newer, warehouse, quiet=True, stages=("measure checks", "publish"))
    assert _digest(warehouse / "published.duckdb") != before


def test_history_comes_from_the_working_warehouse_not_from_what_analysts_can_edit(tmp_path, tiny, warehouse):
    published = warehouse / "published.duckdb"
    # an analyst's notebook, in a process of its own, edits the publication and keeps it open
    # read-write (DuckDB's default) while the next night runs
    analyst = subprocess.Popen(
        [
            sys.executable,
            "-c",
            "import duckdb, sys; con = duckdb.connect(sys.argv[1]); "
            "con.execute('update published_history set value = -1'); con.execute('delete from publication_log'); "
            "print('editing', flush=True); sys.stdin.read()",
            str(published),
        ],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        text=True,
    )
    assert analyst.stdout.readline().strip() == "editing"
    next_month = _tiny(tmp_path / "april", end=date(2016, 4, 30))
    try:
        run_pipeline(next_month, warehouse, quiet=True)  # the open connection does not stop the publish
    finally:
        analyst.communicate("", timeout=60)
    ((log,),) = _query(published, "select count(*) from publication_log")
    assert log == 2
    ((tampered,),) = _query(published, "select count(*) from published_history where value = -1")
    assert tampered == 0
    sources = _query(
        published,
        "select distinct previous_result_source from scorecard where period_end = date '2016-04-30' "
        "and previous_result is not null",
    )
    assert sources == [("published",)]


def test_the_shrink_check_compares_with_the_last_published_extract(tmp_path, tiny, warehouse):
    shrunk = tmp_path / "shrunk"
    shutil.copytree(tiny, shrunk)
    path = shrunk / "ssd_cin_episodes.csv"
    lines = path.read_text().splitlines(keepends=True)
    path.write_text("".join(lines[: len(lines) // 3]))
    seal(shrunk)
    for night in (1, 2):  # a refused night never becomes the next night's baseline
        with pytest.raises(PipelineFailed, match="raw checks"):
            run_pipeline(shrunk, warehouse, quiet=True)
        ((detail,),) = _query(
            warehouse / "warehouse.duckdb",
            "select detail from quality.data_quality where rule_id = 'ssd_cin_episodes.volume_vs_previous_extract' "
            "order by checked_at desc limit 1",
        )
        assert "the last published" in detail, night


# --- files: modes, folders of their own, nothing left to grow ------------------------------------
def test_publications_are_not_world_readable_and_a_councils_mode_survives(tiny, warehouse):
    published = warehouse / "published.duckdb"
    for path in (published, warehouse / "shareable.duckdb", warehouse / "warehouse.duckdb"):
        assert stat.S_IMODE(path.stat().st_mode) == 0o640, path
    assert all(stat.S_IMODE(p.stat().st_mode) == 0o640 for p in (warehouse / "shareable").iterdir())
    os.chmod(published, 0o600)
    run_pipeline(tiny, warehouse, quiet=True)
    assert stat.S_IMODE(published.stat().st_mode) == 0o600


def test_stray_files_and_old_validations_are_pruned_and_dbt_keeps_one_target(tmp_path, tiny, warehouse):
    config = tmp_path / "council.yml"
    config.write_text("runs_kept: 1\n")
    (warehouse / ".published.duckdb.999.building").write_text("half a publication")
    run_pipeline(tiny, warehouse, quiet=True, config_file=config)  # the warehouse's second run
    assert not list(warehouse.glob(".*.building*"))
    store = warehouse / "data_docs" / "gx" / "uncommitted" / "validations"
    assert all(len(list(runs.iterdir())) == 1 for runs in store.rglob("__none__"))
    # dbt writes into one folder of the warehouse's own, overwritten each night
    assert (warehouse / "dbt" / "manifest.json").is_file()
    assert len(list((warehouse / "dbt").iterdir())) < 12


def test_generate_refuses_a_folder_it_did_not_write(tmp_path, capsys):
    folder = tmp_path / "councils-files"
    folder.mkdir()
    (folder / "ssd_person.csv").write_text("a real extract\n")
    assert main(["generate", "--out", str(folder), "--children", "100", "--years", "1"]) == 1
    assert "was not written by cscw generate" in capsys.readouterr().err
    assert (folder / "ssd_person.csv").read_text() == "a real extract\n"
    assert main(["generate", "--out", str(tmp_path / "new"), "--children", "100", "--years", "1"]) == 0
    assert main(["generate", "--out", str(tmp_path / "new"), "--children", "100", "--years", "1"]) == 0  # its own


def test_the_demo_keeps_to_folders_of_its_own(monkeypatch):
    import pipelines.cli as cli

    calls = {}
    monkeypatch.setattr(cli, "cmd_generate", lambda args: calls.setdefault("generate", args) and 0)
    monkeypatch.setattr(cli, "cmd_run", lambda args: calls.setdefault("run", args) and 0)
    monkeypatch.setattr(cli, "cmd_scorecard", lambda args: 0)
    assert cli.main(["demo"]) == 0
    extract, warehouse = Path(calls["generate"].out), Path(calls["run"].warehouse)
    assert Path(calls["run"].source) == extract
    assert settings.extracts_dir() not in extract.parents and warehouse != settings.default_warehouse_dir()


# --- the sensor, the schedule and the instance for `make ui` -------------------------------------
def test_the_sensor_requests_each_new_complete_extract_once(tmp_path, tiny, monkeypatch):
    from pipelines.definitions import defs

    extracts = tmp_path / "extracts"
    monkeypatch.setenv("CSCW_EXTRACTS_DIR", str(extracts))
    sensor = defs.resolve_sensor_def("new_extract")
    with dg.instance_for_test() as instance:
        context = dg.build_sensor_context(instance=instance)
        assert isinstance(sensor(context), dg.SkipReason)
        shutil.copytree(tiny, extracts / ".incoming")
        assert isinstance(sensor(context), dg.SkipReason)  # hidden: not an extract yet
        (extracts / ".incoming").rename(extracts / "2016-03")
        request = sensor(context)
        assert isinstance(request, dg.RunRequest)
        assert request.run_config["resources"]["extract"]["config"]["source"] == str((extracts / "2016-03").resolve())
        assert request.tags["cscw/extract_id"] == "2016-04-05T02:00"
        context = dg.build_sensor_context(instance=instance, cursor=context.cursor)
        assert isinstance(sensor(context), dg.SkipReason)  # never twice for one folder


def test_the_schedule_catches_up_only_when_nothing_ran_the_extract(tmp_path, tiny, monkeypatch):
    from pipelines.definitions import defs

    extracts = tmp_path / "extracts"
    shutil.copytree(tiny, extracts / "2016-03")
    monkeypatch.setenv("CSCW_EXTRACTS_DIR", str(extracts))
    schedule = defs.resolve_schedule_def("nightly_refresh_0200")
    with dg.instance_for_test() as instance:
        request = schedule(dg.build_schedule_context(instance=instance))
        assert isinstance(request, dg.RunRequest)
        # the sensor (or a person) ran it already: the 02:00 catch-up leaves it
        job = defs.resolve_job_def("nightly_refresh")
        instance.create_run_for_job(job, run_config=request.run_config, tags=request.tags)
        assert isinstance(schedule(dg.build_schedule_context(instance=instance)), dg.SkipReason)


def test_the_shipped_dagster_yaml_turns_telemetry_off_and_keeps_runs_with_the_warehouse(tmp_path, monkeypatch):
    home, storage = tmp_path / "home", tmp_path / "warehouse" / "dagster"
    home.mkdir()
    shutil.copy(REPO / "dagster.yaml", home / "dagster.yaml")
    monkeypatch.setenv("CSCW_DAGSTER_STORAGE", str(storage))
    monkeypatch.setenv("CSCW_DAGSTER_COMPUTE_LOGS", str(storage / "compute_logs"))
    instance = dg.DagsterInstance.from_config(str(home))
    try:
        assert instance.telemetry_enabled is False
        assert instance.get_concurrency_config().run_queue_config.max_concurrent_runs == 1
        assert list(storage.rglob("*.db"))  # runs and event logs are stored with the warehouse
        assert not [p for p in home.iterdir() if p.name != "dagster.yaml"]
    finally:
        instance.dispose()
