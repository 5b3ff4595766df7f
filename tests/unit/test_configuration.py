"""The council's configuration file: DuckDB's resources (memory limit, spill folder, threads)."""

import duckdb
import pytest

from pipelines.config import ConfigurationError, DuckDBResources, load_configuration


def _config(tmp_path, text):
    path = tmp_path / "council.yml"
    path.write_text(text)
    return path


def test_duckdb_defaults_leave_duckdb_to_choose():
    resources = load_configuration().duckdb
    assert resources == DuckDBResources()
    assert resources.settings() == {} and resources.dbt_vars() == {}


def test_duckdb_resources_are_read_and_applied(tmp_path):
    path = _config(tmp_path, "duckdb:\n  memory_limit: 1GB\n  temp_directory: spill\n  threads: 1\n")
    resources = load_configuration(path).duckdb
    assert resources.temp_directory == (tmp_path / "spill").resolve()  # relative to the council's file
    assert resources.dbt_vars() == {
        "duckdb_memory_limit": "1GB",
        "duckdb_temp_directory": str((tmp_path / "spill").resolve()),
        "duckdb_threads": 1,
    }
    con = duckdb.connect()
    resources.apply(con)
    memory, temp, threads = con.execute(
        "select current_setting('memory_limit'), current_setting('temp_directory'), current_setting('threads')"
    ).fetchone()
    assert memory == "953.6 MiB" and temp == str((tmp_path / "spill").resolve()) and threads == 1


@pytest.mark.parametrize(
    "text, message",
    [
        ("duckdb:\n  memory_limit: lots\n", "duckdb.memory_limit"),
        ("duckdb:\n  threads: 0\n", "duckdb.threads"),
        ("duckdb:\n  threads: two\n", "duckdb.threads"),
        ("duckdb:\n  models_at_once: 0\n", "duckdb.models_at_once"),
        ("duckdb:\n  models_at_once: true\n", "duckdb.models_at_once"),
        ("duckdb:\n  memory: 1GB\n", "duckdb: unknown keys memory"),
    ],
)
def test_a_wrong_duckdb_setting_is_named(tmp_path, text, message):
    with pytest.raises(ConfigurationError, match=message):
        load_configuration(_config(tmp_path, text))


def test_a_run_reads_its_configuration_once_and_a_wrong_one_stops_it_named(tmp_path):
    from pipelines.resources import ConfigurationResource
    from pipelines.runner import PipelineFailed, run_pipeline
    from pipelines.synthetic import generate

    path = _config(tmp_path, "duckdb:\n  threads: 1\n")
    resource = ConfigurationResource(config_file=str(path))
    first = resource.load()
    path.write_text("duckdb:\n  threads: 2\n")  # edited while a run is under way
    assert resource.load() is first and resource.duckdb().threads == 1

    extract = tmp_path / "extract"
    generate(extract, children=100, years=1, seed=1)
    wrong = _config(tmp_path, "duckdb:\n  memory_limit: lots\n")
    with pytest.raises(PipelineFailed, match="starting the run: duckdb.memory_limit: an amount of memory"):
        run_pipeline(extract, tmp_path / "warehouse", quiet=True, config_file=wrong)
    assert not (tmp_path / "warehouse" / "published.duckdb").exists()
