"""Loading an extract: real SSD output taken as it comes, and bad input refused with a clear error
naming the file, row and column - never the value."""

import json
import shutil
from datetime import date

import duckdb
import pytest

from pipelines.extract import ExtractError, read_manifest, read_table
from pipelines.extract.loader import derive_columns, load_table, warehouse_connection
from pipelines.extract.value_maps import ValueMapError, load_value_map, map_template

LEGAL_HEADER = (
    "lega_legal_status_id,lega_person_id,lega_legal_status,lega_legal_status_start_date,lega_legal_status_end_date\n"
)


def _write(folder, table, text, *, encoding="utf-8"):
    folder.mkdir(parents=True, exist_ok=True)
    (folder / f"{table}.csv").write_bytes(text.encode(encoding) if isinstance(text, str) else text)
    return folder


def _legal(tmp_path, *rows, header=LEGAL_HEADER):
    return _write(tmp_path / "extract", "ssd_legal_status", header + "".join(rows))


def _error(folder, table) -> ExtractError:
    with pytest.raises(ExtractError) as err:
        read_table(folder, table)
    return err.value


# --- what real SSD scripts write loads as it comes -----------------------------------------
def test_sql_server_datetime_iso_timestamps_and_uk_dates_are_dates(tmp_path):
    folder = _legal(
        tmp_path,
        "1,p1,C1,2016-03-27 00:00:00.000,2016-04-01T13:45:10\n",
        "2,p1,C2,2016-04-01,27/04/2016\n",
        "3,p1,C2,2016-05-01 09:30,2016-05-02T00:00:00Z\n",
    )
    data = read_table(folder, "ssd_legal_status").to_pylist()
    assert [(r["lega_legal_status_start_date"], r["lega_legal_status_end_date"]) for r in data] == [
        (date(2016, 3, 27), date(2016, 4, 1)),
        (date(2016, 4, 1), date(2016, 4, 27)),
        (date(2016, 5, 1), date(2016, 5, 2)),
    ]


def _legal_parquet(folder, columns: dict, *, row_group_size: int = 50_000):
    import pyarrow as pa
    import pyarrow.parquet as pq

    folder.mkdir(parents=True, exist_ok=True)
    # row groups of 50,000 rows unless a test says: a large file is read in parallel, group by group
    pq.write_table(pa.table(columns), folder / "ssd_legal_status.parquet", row_group_size=row_group_size)
    return folder


def _legal_columns(rows: int, status: str = "C2") -> dict:
    """Legal statuses numbered 0 to rows - 1 in the order of the file."""
    return {
        "lega_legal_status_id": [str(n) for n in range(rows)],
        "lega_person_id": [f"p{n % 997}" for n in range(rows)],
        "lega_legal_status": [status] * rows,
        "lega_legal_status_start_date": [date(2016, 3, 27)] * rows,
        "lega_legal_status_end_date": [None] * rows,
    }


@pytest.mark.parametrize("fmt", ["csv", "parquet"])
@pytest.mark.parametrize("status", ["C2", "Full care order"], ids=["codes as written", "descriptions mapped"])
def test_a_table_is_stored_in_the_order_of_its_file(tmp_path, status, fmt):
    """The gate reads a raw table in ranges of row numbers: stored in file order, each range is a
    few row groups. Kept whether the load joins value lookups (it sorts) or not (DuckDB keeps
    insertion order): here over many row groups, read back without ORDER BY on four threads."""
    rows = 400_000
    if fmt == "csv":
        folder = _legal(tmp_path, *(f"{n},p{n % 997},{status},2016-03-27,\n" for n in range(rows)))
    else:  # read where it lies, numbered by its place in the file
        folder = _legal_parquet(tmp_path / "extract", _legal_columns(rows, status))
    with warehouse_connection(tmp_path / "w.duckdb") as con:
        con.execute("set threads = 4")
        load_table(con, folder, "ssd_legal_status", "x", load_value_map())
        out_of_order = con.execute(
            "select count(*) from (select _row_number, lag(_row_number) over () as previous, "
            "lega_legal_status_id as id from raw.ssd_legal_status) "
            "where _row_number <> previous + 1 or id <> cast(_row_number - 1 as varchar)"
        ).fetchone()[0]
        stored = con.execute("select count(*), min(_row_number), max(lega_legal_status) from raw.ssd_legal_status")
        assert stored.fetchone() == (rows, 1, "C2")
        # the scratch copy or view of the file is gone
        assert con.execute(
            "select count(*) from information_schema.tables where table_name = '_source'"
        ).fetchone() == (0,)
    assert out_of_order == 0


def test_a_parquet_file_in_small_row_groups_is_stored_in_whole_row_groups(tmp_path):
    """Some tools write Parquet in groups of about 130 k rows. Copied as they come, each would leave
    one of DuckDB's row groups (122,880 rows) part-filled, and every later checkpoint of the
    warehouse would merge a few of them at a time: stored in file order in whole row groups instead."""
    rows = 400_000  # three groups of 130,000 and one of 10,000: four of DuckDB's when whole
    folder = _legal_parquet(tmp_path / "extract", _legal_columns(rows), row_group_size=130_000)
    with warehouse_connection(tmp_path / "w.duckdb") as con:
        con.execute("set threads = 4")
        load_table(con, folder, "ssd_legal_status", "x", load_value_map())
        row_groups = con.execute(
            "select count(distinct row_group_id) from pragma_storage_info('raw.ssd_legal_status')"
        ).fetchone()[0]
        out_of_order = con.execute(
            "select count(*) from (select _row_number, lag(_row_number) over () as previous "
            "from raw.ssd_legal_status) where _row_number <> previous + 1"
        ).fetchone()[0]
    assert (row_groups, out_of_order) == (4, 0)


def test_1900_placeholders_are_not_recorded_and_counted(tmp_path):
    folder = _legal(tmp_path, "1,p1,C1,2016-03-27,1900-01-01 00:00:00.000\n", "2,p1,C1,2016-03-27,01/01/1900\n")
    with warehouse_connection(tmp_path / "w.duckdb") as con:
        result = load_table(con, folder, "ssd_legal_status", "x", load_value_map())
        ends = [row[0] for row in con.execute("select lega_legal_status_end_date from raw.ssd_legal_status").fetchall()]
    assert ends == [None, None]
    assert ("lega_legal_status_end_date", "placeholder_dates_nulled", 2) in result.report


def test_sqlcmd_output_loads_with_its_underline_and_null_text(tmp_path):
    # sqlcmd -W -s"," writes a dashed line under the header and NULL for a null
    underline = ",".join("-" * len(name) for name in LEGAL_HEADER.strip().split(",")) + "\n"
    folder = _legal(tmp_path, underline, "1,p1,C1,2016-03-27 00:00:00.000,NULL\n", "2,p1,C2,2016-04-01,\n")
    with warehouse_connection(tmp_path / "w.duckdb") as con:
        load_table(con, folder, "ssd_legal_status", "x", load_value_map())
        rows = con.execute(
            "select lega_legal_status_id, lega_legal_status_end_date, _row_number from raw.ssd_legal_status"
        ).fetchall()
    assert rows == [("1", None, 2), ("2", None, 3)]  # data rows keep their place in the file
    error = _error(
        _legal(tmp_path / "bad", underline, "1,p1,C1,2016-03-27,\n", "2,p1,C1,2016-13-45,\n"), "ssd_legal_status"
    )
    assert (error.row, error.column) == (4, "lega_legal_status_start_date")  # line 4 of the file


def test_a_two_digit_year_is_refused_never_guessed(tmp_path):
    folder = _legal(tmp_path, "1,p1,C1,2016-03-27,\n", "2,p1,C1,03/04/16,\n")
    error = _error(folder, "ssd_legal_status")
    assert (error.row, error.column) == (3, "lega_legal_status_start_date")
    assert "two-digit year" in str(error) and "03/04/16" not in str(error)


def test_a_date_before_1900_is_refused(tmp_path):
    error = _error(_legal(tmp_path, "1,p1,C1,1899-12-31,\n"), "ssd_legal_status")
    assert "before 1900" in str(error) and error.row == 2


def test_an_unparsable_date_names_file_row_and_column_but_not_the_value(tmp_path):
    error = _error(_legal(tmp_path, "1,p1,C1,2016-01-01,\n", "2,p1,C1,2016-02-30x,\n"), "ssd_legal_status")
    assert (error.row, error.column) == (3, "lega_legal_status_start_date")
    assert "ssd_legal_status.csv" in str(error) and "2016-02-30x" not in str(error)


def test_descriptions_and_local_spellings_map_to_codes(tmp_path):
    folder = _legal(
        tmp_path,
        "1,p1,Interim care order,2016-01-01,\n",
        "2,p1, v2 ,2016-01-01,\n",
        '3,p1,"SINGLE PERIOD OF ACCOMMODATION UNDER SECTION 20 (CHILDREN ACT 1989)",2016-01-01,\n',
        "4,p1,Care Order (Full),2016-01-01,\n",
    )
    with warehouse_connection(tmp_path / "w.duckdb") as con:
        result = load_table(con, folder, "ssd_legal_status", "x", load_value_map())
        codes = [r[0] for r in con.execute("select lega_legal_status from raw.ssd_legal_status order by 1").fetchall()]
    assert codes == ["C1", "Care Order (Full)", "V2", "V2"]  # the unmapped value is kept for the gate to quarantine
    report = {(column, kind): rows for column, kind, rows in result.report}
    assert report[("lega_legal_status", "values_mapped")] == 2
    assert report[("lega_legal_status", "values_normalised")] == 1
    assert report[("lega_legal_status", "values_unmapped")] == 1
    assert result.unmapped == [("lega_legal_status", "Care Order (Full)", 1)]


def test_a_council_map_adds_local_wording_and_blank_meanings(tmp_path):
    council = tmp_path / "council.yml"
    council.write_text(
        'code_sets:\n  legal_status:\n    C2: ["Care Order (Full)"]\n  health_check_status:\n    Completed: [~]\n',
        encoding="utf-8",
    )
    folder = _legal(tmp_path, "4,p1,Care Order (Full),2016-01-01,\n")
    assert read_table(folder, "ssd_legal_status", load_value_map(council)).column("lega_legal_status").to_pylist() == [
        "C2"
    ]
    value_map = load_value_map(council)
    assert value_map.blank == {"health_check_status": "Completed"}
    _write(
        folder,
        "ssd_cla_health",
        "clah_health_check_id,clah_person_id,clah_health_check_type,clah_health_check_date,"
        "clah_health_check_status\nh1,p1,Dental Check,2016-01-01 00:00:00.000,\n",
    )
    row = read_table(folder, "ssd_cla_health", value_map).to_pylist()[0]
    assert (row["clah_health_check_type"], row["clah_health_check_status"]) == ("DENTAL", "Completed")


def test_a_value_map_is_read_once_until_its_file_changes(tmp_path):
    """Each table's load asks for the map: it is parsed once per process, and again when the
    council edits its file (a nightly service picks the edit up without a restart)."""
    council = tmp_path / "council.yml"
    council.write_text('code_sets:\n  legal_status:\n    C2: ["Care Order (Full)"]\n', encoding="utf-8")
    first = load_value_map(council)
    assert load_value_map(council) is first and load_value_map() is load_value_map()
    # a wording only the council's file has (the shipped map already holds "Full care order")
    council.write_text('code_sets:\n  legal_status:\n    C2: ["Care Order, Full Order"]\n', encoding="utf-8")
    edited = load_value_map(council)
    assert edited is not first
    assert "care order, full order" in edited.entries["legal_status"]
    assert "care order (full)" not in edited.entries["legal_status"]


def test_a_map_naming_an_unknown_code_is_refused(tmp_path):
    council = tmp_path / "council.yml"
    council.write_text('code_sets:\n  legal_status:\n    C9: ["Something"]\n', encoding="utf-8")
    with pytest.raises(ValueMapError, match="legal_status has no code C9"):
        load_value_map(council)


def test_the_validate_template_lists_unmapped_values_under_their_code_set():
    template = map_template([("ssd_person", "pers_ethnicity", "White - English", 12)], "x")
    assert "ethnicity:" in template and '"White - English"' in template and "WBRI" in template


def test_extra_columns_are_ignored_and_a_column_is_found_under_its_alias(tmp_path):
    folder = _write(
        tmp_path / "e",
        "ssd_cin_plans",
        "cin_plan_id,cinp_person_id,cinp_cin_plan_start_date,pers_surname\nN1,p1,2016-01-01,Smith\n",
    )
    with warehouse_connection(tmp_path / "w.duckdb") as con:
        result = load_table(con, folder, "ssd_cin_plans", "x", load_value_map())
        assert con.execute("select cinp_cin_plan_id from raw.ssd_cin_plans").fetchone()[0] == "N1"
        columns = [r[0] for r in con.execute("select column_name from (describe raw.ssd_cin_plans)").fetchall()]
    assert result.ignored_columns == ["pers_surname"] and "pers_surname" not in columns
    assert ("cinp_cin_plan_id", "column_read_from_alias", 0) in result.report


def test_a_key_a_script_leaves_out_is_derived_from_its_parent_row(tmp_path):
    folder = _write(
        tmp_path / "e",
        "ssd_cla_episodes",
        "clae_cla_episode_id,clae_person_id,clae_cla_episode_start_date,clae_cla_id\n"
        "e1,p1,2016-01-01,c1\ne2,p1,2016-02-01,c1\ne3,p2,2016-01-05,c2\n",
    )
    _write(
        folder,
        "ssd_cla_placement",
        "clap_cla_placement_id,clap_cla_id,clap_cla_placement_start_date\npl1,c1,2016-01-01\npl2,c2,2016-01-05\n",
    )
    with warehouse_connection(tmp_path / "w.duckdb") as con:
        for table in ("ssd_cla_episodes", "ssd_cla_placement"):
            load_table(con, folder, table, "x", load_value_map())
        assert derive_columns(con, "x") == [("ssd_cla_placement", "clap_person_id", 2)]
        people = con.execute(
            "select clap_cla_placement_id, clap_person_id from raw.ssd_cla_placement order by 1"
        ).fetchall()
    assert people == [("pl1", "p1"), ("pl2", "p2")]


def test_a_bom_crlf_and_quoted_identifiers_keep_their_leading_zeros(tmp_path):
    text = '\ufeffdept_team_id , dept_team_name\r\n007,Team seven\r\n"008","Eight, with a comma"\r\n'
    data = read_table(_write(tmp_path / "e", "ssd_department", text), "ssd_department").to_pylist()
    assert [(r["dept_team_id"], r["dept_team_name"]) for r in data] == [
        ("007", "Team seven"),
        ("008", "Eight, with a comma"),
    ]


# --- bad input --------------------------------------------------------------------------------
def test_a_repeated_header_is_named(tmp_path):
    error = _error(
        _write(tmp_path / "e", "ssd_department", "dept_team_id,dept_team_name,dept_team_id\nT,t,T\n"), "ssd_department"
    )
    assert error.row == 1 and "dept_team_id more than once" in str(error)


def test_nan_and_infinity_are_not_numbers(tmp_path):
    header = "work_month_end,work_professional_id,work_fte\n"
    for i, bad in enumerate(("NaN", "inf", "-Infinity", "1,5")):
        folder = _write(tmp_path / str(i), "ext_workforce", header + f'2016-03-31,w1,1.0\n2016-03-31,w2,"{bad}"\n')
        error = _error(folder, "ext_workforce")
        assert (error.row, error.column) == (3, "work_fte")
        assert str(error).endswith("the value is not a number (NaN and infinity are refused)")


def test_missing_required_table_is_named(tmp_path):
    error = _error(tmp_path, "ssd_cp_plans")
    assert "required table ssd_cp_plans is missing" in str(error) and "ssd_cp_plans.csv" in str(error)


def test_missing_optional_table_loads_empty(tmp_path):
    assert read_table(tmp_path, "ext_pf_visits").num_rows == 0


def test_missing_required_column_is_named(tmp_path):
    error = _error(
        _write(tmp_path / "e", "ssd_cp_plans", "cppl_cp_plan_id,person,cppl_cp_plan_start_date\nc,p,2016-01-01\n"),
        "ssd_cp_plans",
    )
    assert (error.row, error.column) == (1, "cppl_person_id") and "required column cppl_person_id is missing" in str(
        error
    )


def test_non_utf8_file_names_the_row(tmp_path):
    folder = _write(
        tmp_path / "e", "ssd_department", "dept_team_id,dept_team_name\nT1,Ashford\nT2,Ashf\xf6rd\n", encoding="latin-1"
    )
    error = _error(folder, "ssd_department")
    assert "not UTF-8" in str(error) and error.row == 3


def test_a_truncated_row_names_the_row_not_the_line(tmp_path):
    error = _error(_legal(tmp_path, "1,p1,C1,2016-01-01,\n", "2,p1,SECRET-MARKER\n"), "ssd_legal_status")
    assert error.row == 3 and "truncated or malformed" in str(error) and "SECRET-MARKER" not in str(error)


def test_a_file_that_is_not_csv(tmp_path):
    error = _error(_write(tmp_path / "e", "ssd_involvements", b'{"not": "a csv file"}\n'), "ssd_involvements")
    assert "ssd_involvements.csv" in str(error)


def test_manifest_is_validated(tmp_path):
    (tmp_path / "manifest.json").write_text(json.dumps({"extract_id": "x"}))
    with pytest.raises(ExtractError, match="manifest lacks la_code"):
        read_manifest(tmp_path)


def test_a_generated_extract_loads_into_a_warehouse(tmp_path, small_extract):
    folder = tmp_path / "copy"
    shutil.copytree(small_extract, folder)
    with warehouse_connection(tmp_path / "w.duckdb") as con:
        result = load_table(con, folder, "ssd_cla_placement", "x", load_value_map())
        assert result.rows == con.execute("select count(*) from raw.ssd_cla_placement").fetchone()[0] > 0
    assert (
        duckdb.connect(str(tmp_path / "w.duckdb"))
        .execute("select count(*) from raw._extract_log where table_name = 'ssd_cla_placement'")
        .fetchone()[0]
        == 1
    )


# --- Parquet: read where it lies --------------------------------------------------------------
def test_a_parquet_extract_loads_as_its_csv_twin(tmp_path):
    """The same generated extract written as CSV and as Parquet loads into the same raw tables,
    data row numbers included."""
    from pipelines.contracts import raw_contract
    from pipelines.synthetic import generate

    for fmt in ("csv", "parquet"):
        generate(tmp_path / fmt, children=300, years=2, seed=3, fmt=fmt)
        with warehouse_connection(tmp_path / f"{fmt}.duckdb") as con:
            for table in raw_contract().tables:
                load_table(con, tmp_path / fmt, table, "x", load_value_map())
    con = duckdb.connect()
    con.execute(f"attach '{tmp_path / 'csv.duckdb'}' as csv (read_only)")
    con.execute(f"attach '{tmp_path / 'parquet.duckdb'}' as parquet (read_only)")
    compared = 0
    for table in raw_contract().tables:
        rows = con.execute(f"select count(*) from csv.raw.{table}").fetchone()[0]
        differ = con.execute(
            f"select count(*) from (select * from csv.raw.{table} except all select * from parquet.raw.{table})"
        ).fetchone()[0]
        assert (table, differ) == (table, 0)
        assert con.execute(f"select count(*) from parquet.raw.{table}").fetchone()[0] == rows
        compared += rows
    assert compared > 10_000
    reports = [
        con.execute(f"select * exclude (extract_id) from {fmt}.raw._load_report order by all").fetchall()
        for fmt in ("csv", "parquet")
    ]
    assert reports[0] == reports[1]


def test_a_parquet_value_that_is_not_a_date_names_file_row_and_column_but_not_the_value(tmp_path):
    folder = _legal_parquet(
        tmp_path / "extract",
        {
            "lega_legal_status_id": ["1", "2", "3"],
            "lega_person_id": ["p1", "p1", "p2"],
            "lega_legal_status": ["C2", "C2", "C2"],
            "lega_legal_status_start_date": ["2016-03-27", "27/04/2016", "2016-31-12"],
            "lega_legal_status_end_date": [None, None, None],
        },
    )
    error = _error(folder, "ssd_legal_status")
    assert (error.row, error.column) == (3, "lega_legal_status_start_date")
    assert "ssd_legal_status.parquet" in str(error) and "2016-31-12" not in str(error)


def test_a_parquet_file_that_cannot_be_read_is_named_and_nothing_is_stored(tmp_path):
    rows = 200_000
    folder = _legal_parquet(
        tmp_path / "extract",
        {
            "lega_legal_status_id": [f"{n:09d}" for n in range(rows)],
            "lega_person_id": [f"p{n}" for n in range(rows)],
            "lega_legal_status": ["C2"] * rows,
            "lega_legal_status_start_date": [date(2016, 3, 27)] * rows,
            "lega_legal_status_end_date": [None] * rows,
        },
    )
    path = folder / "ssd_legal_status.parquet"
    whole = path.read_bytes()
    # a page in the middle that cannot be decoded: found only when the rows are read
    middle = len(whole) // 2
    path.write_bytes(
        whole[:middle] + bytes((b * 7 + 13) % 256 for b in whole[middle : middle + 4000]) + whole[middle + 4000 :]
    )
    for broken in ("a damaged page", "not Parquet"):
        if broken == "not Parquet":
            path.write_bytes(b'{"not": "a parquet file"}\n')
        with warehouse_connection(tmp_path / "w.duckdb") as con:
            with pytest.raises(ExtractError, match="cannot be read as Parquet") as err:
                load_table(con, folder, "ssd_legal_status", "x", load_value_map())
            assert err.value.file == str(path), broken
            stored = (
                "select count(*) from information_schema.tables where table_name in ('ssd_legal_status', '_source')"
            )
            assert con.execute(stored).fetchone() == (0,), broken


def test_a_parquet_column_named_like_the_row_number_duckdb_adds_is_ignored(tmp_path):
    folder = _legal_parquet(
        tmp_path / "extract",
        {
            "lega_legal_status_id": ["1", "2"],
            "file_row_number": [7, 3],
            "lega_person_id": ["p1", "p2"],
            "lega_legal_status": ["C2", "C1"],
            "lega_legal_status_start_date": [date(2016, 3, 27), date(2016, 4, 1)],
            "lega_legal_status_end_date": [None, None],
        },
    )
    with warehouse_connection(tmp_path / "w.duckdb") as con:
        result = load_table(con, folder, "ssd_legal_status", "x", load_value_map())
        stored = con.execute("select _row_number, lega_legal_status_id from raw.ssd_legal_status order by 1").fetchall()
    assert stored == [(1, "1"), (2, "2")] and result.ignored_columns == ["file_row_number"]
