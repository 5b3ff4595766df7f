"""A table whose file is byte for byte the one loaded before, under the same contract, value
maps and loader, is kept as that load wrote it (stamped with tonight's extract) rather than read
again; anything else about it that differs, or a table that no longer holds that load, is read."""

import duckdb
import pytest

from pipelines.extract.loader import derive_columns, load_table, warehouse_connection
from pipelines.extract.value_maps import load_value_map

LEGAL_HEADER = (
    "lega_legal_status_id,lega_person_id,lega_legal_status,lega_legal_status_start_date,lega_legal_status_end_date\n"
)
# a description mapped to its code, a code in other case, a value no map knows, a placeholder date
LEGAL_ROWS = (
    "1,p1,Interim care order,2016-01-01,\n",
    "2,p1, v2 ,2016-01-01,1900-01-01\n",
    "3,p2,Care Order (Full),2016-02-01,\n",
)


def _legal(folder, rows=LEGAL_ROWS):
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "ssd_legal_status.csv").write_text(LEGAL_HEADER + "".join(rows), encoding="utf-8")
    return folder


def _table(con, table="ssd_legal_status"):
    return con.execute(f"select * from raw.{table} order by _row_number").fetchall()


def _log(con, extract_id, table="ssd_legal_status"):
    return con.execute(
        "select row_count, carried_from from raw._extract_log where extract_id = ? and table_name = ?",
        [extract_id, table],
    ).fetchone()


def test_an_unchanged_file_is_kept_as_loaded_and_stamped_with_tonights_extract(tmp_path):
    folder = _legal(tmp_path / "night1")
    with warehouse_connection(tmp_path / "w.duckdb") as con:
        listed = {"ssd_legal_status.csv": 3}
        first = load_table(con, folder, "ssd_legal_status", "night1", load_value_map(), listed)
        loaded = _table(con)
        # the same bytes in another extract's folder
        second = load_table(con, _legal(tmp_path / "night2"), "ssd_legal_status", "night2", load_value_map(), listed)
        kept = _table(con)
        report = con.execute(
            "select extract_id, column_name, kind, rows from raw._load_report order by 1, 2, 3"
        ).fetchall()
        unmapped = con.execute("select extract_id, value, rows from raw._unmapped_values order by 1").fetchall()
        assert _log(con, "night1") == (3, None) and _log(con, "night2") == (3, "night1")
    assert first.carried_from is None and second.carried_from == "night1"
    # every column as loaded, the extract's stamp (the last) tonight's
    assert [row[:-1] for row in kept] == [row[:-1] for row in loaded]
    assert {row[-1] for row in loaded} == {"night1"} and {row[-1] for row in kept} == {"night2"}
    # what the load normalised and could not map, reported for tonight as for the night it was read
    assert [row[1:] for row in report if row[0] == "night2"] == [row[1:] for row in report if row[0] == "night1"]
    assert ("lega_legal_status", "values_mapped", 1) in [row[1:] for row in report if row[0] == "night2"]
    assert unmapped == [("night1", "Care Order (Full)", 1), ("night2", "Care Order (Full)", 1)]
    assert (second.rows, second.report, second.unmapped) == (first.rows, first.report, first.unmapped)
    assert second.source_file == str(tmp_path / "night2" / "ssd_legal_status.csv")


def _changed_file(tmp_path):
    return _legal(tmp_path / "night2", (*LEGAL_ROWS[:2], "3,p2,Care Order (Full),2016-02-02,\n")), load_value_map(), 3


def _changed_value_map(tmp_path):
    council = tmp_path / "council.yml"
    council.write_text('code_sets:\n  legal_status:\n    C2: ["Care Order (Full)"]\n', encoding="utf-8")
    return _legal(tmp_path / "night2"), load_value_map(council), 3


def _changed_listing(tmp_path):
    return _legal(tmp_path / "night2"), load_value_map(), 4


@pytest.mark.parametrize(
    "night2", [_changed_file, _changed_value_map, _changed_listing], ids=["file", "value map", "manifest rows"]
)
def test_a_changed_file_map_or_listing_is_read_again(tmp_path, night2):
    from pipelines.extract import ExtractError

    folder, value_map, listed = night2(tmp_path)
    with warehouse_connection(tmp_path / "w.duckdb") as con:
        load_table(con, _legal(tmp_path / "night1"), "ssd_legal_status", "night1", load_value_map())
        if listed != 3:  # a listing the file does not match is refused, as on any night
            with pytest.raises(ExtractError, match="the manifest lists 4"):
                load_table(con, folder, "ssd_legal_status", "night2", value_map, {"ssd_legal_status.csv": listed})
            return
        result = load_table(con, folder, "ssd_legal_status", "night2", value_map)
        rows = _table(con)
    assert result.carried_from is None
    if night2 is _changed_file:
        assert rows[2][3].isoformat() == "2016-02-02"
    else:  # the council's map now knows the wording
        assert rows[2][2] == "C2" and result.unmapped == []


def test_a_table_that_no_longer_holds_the_load_is_read_again(tmp_path):
    with warehouse_connection(tmp_path / "w.duckdb") as con:
        load_table(con, _legal(tmp_path / "night1"), "ssd_legal_status", "night1", load_value_map())
        con.execute("delete from raw.ssd_legal_status where lega_legal_status_id = '3'")
        result = load_table(con, _legal(tmp_path / "night2"), "ssd_legal_status", "night2", load_value_map())
        assert result.carried_from is None and len(_table(con)) == 3


def test_a_load_cut_short_after_writing_the_table_is_not_taken_for_the_last_one(tmp_path):
    """Night 2's file was written to the table but its load failed before it was logged: the
    table's rows are stamped night2, the last log row is night 1's with the same fingerprint."""
    with warehouse_connection(tmp_path / "w.duckdb") as con:
        load_table(con, _legal(tmp_path / "night1"), "ssd_legal_status", "night1", load_value_map())
        con.execute("update raw.ssd_legal_status set _extract_id = 'night2'")
        result = load_table(con, _legal(tmp_path / "night3"), "ssd_legal_status", "night3", load_value_map())
        assert result.carried_from is None and {row[-1] for row in _table(con)} == {"night3"}


def test_a_table_with_keys_derived_from_parent_rows_is_read_again(tmp_path):
    """Mosaic's placements take their person from their period of care's episode: the episodes may
    change while the placements file does not (a placement whose parent went keeps no person)."""
    for night in ("night1", "night2"):
        folder = tmp_path / night
        folder.mkdir()
        (folder / "ssd_cla_episodes.csv").write_text(
            "clae_cla_episode_id,clae_person_id,clae_cla_episode_start_date,clae_cla_id\n"
            # night 2: the placement's episode is recorded under another period of care
            f"e1,p1,2016-01-01,{'c1' if night == 'night1' else 'c2'}\n",
            encoding="utf-8",
        )
        (folder / "ssd_cla_placement.csv").write_text(
            "clap_cla_placement_id,clap_cla_id,clap_cla_placement_start_date\npl1,c1,2016-01-01\n", encoding="utf-8"
        )
    with warehouse_connection(tmp_path / "w.duckdb") as con:
        for night in ("night1", "night2"):
            for table in ("ssd_cla_episodes", "ssd_cla_placement"):
                result = load_table(con, tmp_path / night, table, night, load_value_map())
            derive_columns(con, night)
        assert result.carried_from is None
        assert con.execute("select clap_person_id from raw.ssd_cla_placement").fetchall() == [(None,)]


def test_a_warehouse_from_before_fingerprints_gains_the_columns_and_reads_every_file(tmp_path):
    path = tmp_path / "w.duckdb"
    con = duckdb.connect(str(path))
    con.execute("create schema raw")
    con.execute(
        "create table raw._extract_log (extract_id varchar, table_name varchar, present boolean, "
        "row_count bigint, source_file varchar, ignored_columns varchar, loaded_at timestamp)"
    )
    con.close()
    with warehouse_connection(path) as con:
        first = load_table(con, _legal(tmp_path / "night1"), "ssd_legal_status", "night1", load_value_map())
        second = load_table(con, _legal(tmp_path / "night2"), "ssd_legal_status", "night2", load_value_map())
    assert first.carried_from is None and second.carried_from == "night1"
