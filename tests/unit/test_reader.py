"""Bad input gets a clear error naming the file, row and column."""

import json
import shutil

import pytest

from pipelines.extract import ExtractError, read_manifest, read_table


@pytest.fixture()
def extract(tmp_path, small_extract):
    out = tmp_path / "extract"
    shutil.copytree(small_extract, out)
    return out


def _rewrite(path, fn):
    lines = path.read_text(encoding="utf-8").splitlines(keepends=True)
    path.write_text("".join(fn(lines)), encoding="utf-8")


def test_missing_required_table_is_named(extract):
    (extract / "ssd_cp_plans.csv").unlink()
    with pytest.raises(ExtractError, match=r"ssd_cp_plans\.csv.*required table ssd_cp_plans is missing"):
        read_table(extract, "ssd_cp_plans")


def test_missing_optional_table_loads_empty(extract):
    (extract / "ext_pf_visits.csv").unlink()
    loaded = read_table(extract, "ext_pf_visits")
    assert not loaded.present and loaded.data.num_rows == 0


def test_missing_required_column_is_named(extract):
    _rewrite(extract / "ssd_cp_plans.csv", lambda lines: [lines[0].replace("cppl_person_id", "person")] + lines[1:])
    with pytest.raises(ExtractError) as err:
        read_table(extract, "ssd_cp_plans")
    assert err.value.column == "cppl_person_id" and "ssd_cp_plans.csv" in str(err.value)


def test_unparsable_date_names_row_and_column(extract):
    def corrupt(lines):
        cells = lines[5].split(",")
        header = lines[0].strip().split(",")
        cells[header.index("cppl_cp_plan_start_date")] = "2016-13-45"
        lines[5] = ",".join(cells)
        return lines

    _rewrite(extract / "ssd_cp_plans.csv", corrupt)
    with pytest.raises(ExtractError) as err:
        read_table(extract, "ssd_cp_plans")
    assert (err.value.row, err.value.column) == (6, "cppl_cp_plan_start_date")
    assert "2016-13-45" in str(err.value)


def test_statutory_return_dates_and_bom_are_accepted(extract):
    path = extract / "ssd_department.csv"
    path.write_bytes(b"\xef\xbb\xbf" + path.read_bytes())
    assert read_table(extract, "ssd_department").data.num_rows > 0
    lines = (extract / "ssd_legal_status.csv").read_text().splitlines(keepends=True)
    header = lines[0].strip().split(",")
    i = header.index("lega_legal_status_start_date")
    cells = lines[1].split(",")
    y, m, d = cells[i].split("-")
    cells[i] = f"{d}/{m}/{y}"
    lines[1] = ",".join(cells)
    (extract / "ssd_legal_status.csv").write_text("".join(lines))
    data = read_table(extract, "ssd_legal_status").data
    assert str(data.column("lega_legal_status_start_date")[0]) == f"{y}-{m}-{d}"


def test_non_utf8_file_names_the_row(extract):
    path = extract / "ssd_person.csv"
    data = path.read_bytes().split(b"\n")
    data[3] = data[3] + b"\xff\xfe"
    path.write_bytes(b"\n".join(data))
    with pytest.raises(ExtractError, match=r"ssd_person\.csv, row 4: not UTF-8"):
        read_table(extract, "ssd_person")


def test_truncated_csv_names_the_row(extract):
    path = extract / "ssd_cin_episodes.csv"
    text = path.read_text()
    path.write_text(text[: len(text) - 40])  # cut the last row mid-way
    with pytest.raises(ExtractError) as err:
        read_table(extract, "ssd_cin_episodes")
    assert err.value.row is not None and "truncated" in str(err.value)


def test_file_that_is_not_csv(extract):
    (extract / "ssd_involvements.csv").write_bytes(b'{"not": "a csv file"}\n')
    with pytest.raises(ExtractError, match="ssd_involvements.csv"):
        read_table(extract, "ssd_involvements")


def test_unknown_columns_are_ignored_and_reported(extract):
    _rewrite(
        extract / "ssd_department.csv",
        lambda lines: [lines[0].rstrip("\n") + ",extra_col\n"] + [x.rstrip("\n") + ",x\n" for x in lines[1:]],
    )
    loaded = read_table(extract, "ssd_department")
    assert loaded.ignored_columns == ["extra_col"] and "extra_col" not in loaded.data.column_names


def test_manifest_is_validated(extract):
    (extract / "manifest.json").write_text(json.dumps({"extract_id": "x"}))
    with pytest.raises(ExtractError, match="manifest lacks la_code"):
        read_manifest(extract)
