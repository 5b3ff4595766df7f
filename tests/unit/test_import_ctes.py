"""Import CTEs (`name as (select * from {{ ref(...) }})`) stay names for the tables they import:
DuckDB copies a CTE read more than once into memory before the first join (macros/ctes.sql)."""

import re

import duckdb

from pipelines.settings import DBT_PROJECT_DIR

IMPORT_CTE = re.compile(r"(\w+) as ([^\n]*?)\(\s*select \* from \{\{ ref\('(\w+)'\) \}\}")


def _import_ctes():
    for path in sorted(DBT_PROJECT_DIR.joinpath("models").rglob("*.sql")):
        for match in IMPORT_CTE.finditer(path.read_text()):
            yield path.relative_to(DBT_PROJECT_DIR), match.group(1), match.group(2).strip()


def test_every_import_cte_is_inlined():
    ctes = list(_import_ctes())
    assert len(ctes) > 30, "the pattern no longer finds the models' import CTEs"
    copied = [f"{path}: {name}" for path, name, between in ctes if between != "{{ inlined() }}"]
    assert not copied, f"import CTEs DuckDB would copy (write `name as {{{{ inlined() }}}} (`): {copied}"


def _plan(sql: str) -> str:
    con = duckdb.connect()
    con.execute("create table referrals as select range as referral_id from range(10)")
    return con.execute(f"explain {sql}").fetchall()[0][1]


def test_duckdb_copies_a_cte_read_twice_unless_told_not_to():
    read_twice = "select count(*) from referrals union all select max(referral_id) from referrals"
    materialised = _plan(f"with referrals as (select * from main.referrals) {read_twice}")
    inlined = _plan(f"with referrals as not materialized (select * from main.referrals) {read_twice}")
    assert "CTE_SCAN" in materialised
    assert "CTE_SCAN" not in inlined and "SEQ_SCAN" in inlined
