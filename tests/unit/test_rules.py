"""The quality rules derived from the contract."""

from pipelines.quality.rules import raw_rules, rules_for


def test_every_contract_rule_kind_is_derived():
    kinds = {r.kind for r in raw_rules()}
    assert kinds == {
        "not_null",
        "in_code_set",
        "end_not_before_start",
        "unique_key",
        "references",
        "in_person_cohort",
        "not_after_extract",
        "not_before_birth",
    }


def test_before_birth_rules_respect_the_unborn_exceptions():
    # referrals, assessments, S47, conferences, CP plans and allocations of unborn children are allowed
    for table in [
        "ssd_cin_episodes",
        "ssd_cin_assessments",
        "ssd_s47_enquiry",
        "ssd_initial_cp_conference",
        "ssd_cp_plans",
        "ssd_involvements",
        "ssd_contacts",
    ]:
        assert not [r for r in rules_for(table) if r.kind == "not_before_birth"], table
    for table in ["ssd_cla_episodes", "ssd_cla_placement", "ssd_cla_health", "ssd_care_leavers", "ssd_cp_visits"]:
        assert [r for r in rules_for(table) if r.kind == "not_before_birth"], table


def test_due_dates_may_lie_in_the_future():
    future_ok = {
        "pers_expected_dob",
        "icpc_icpc_target_date",
        "cppr_cp_review_due",
        "clar_cla_review_due_date",
        "pfvi_due_date",
        "audi_due_date",
    }
    checked = {r.column for r in raw_rules() if r.kind == "not_after_extract"}
    assert not (future_ok & checked)


def test_compound_keys_are_checked_together():
    (rule,) = [r for r in rules_for("ext_workforce") if r.kind == "unique_key"]
    assert rule.params["key"] == ["work_month_end", "work_professional_id"]


def test_rows_outside_the_person_cohort_are_left_out_without_blocking():
    (rule,) = [
        r for r in rules_for("ssd_cla_placement") if r.column == "clap_person_id" and r.kind == "in_person_cohort"
    ]
    assert rule.quarantines and not rule.counts_towards_share


def test_columns_no_measure_reads_never_quarantine():
    ethnicity = [r for r in rules_for("ssd_person") if r.column == "pers_ethnicity"]
    assert ethnicity and all(not r.quarantines and not r.counts_towards_share for r in ethnicity)
    placement_type = [r for r in rules_for("ssd_cla_placement") if r.column == "clap_cla_placement_type"]
    assert placement_type and all(r.quarantines and r.counts_towards_share for r in placement_type)
    assert all(not r.quarantines for r in rules_for("ssd_missing"))  # a table no measure reads


def test_free_text_columns_have_no_code_set_rule():
    assert not [r for r in rules_for("ssd_immigration_status") if r.kind == "in_code_set"]


def _visits_warehouse():
    """CIN visits against plans and persons, each row breaking what its comment says (extract
    taken 1 Jan 2020). P2 is written twice, born 2012 and 2014: a birth rule is broken once per
    person row the visit is before, as its own query joins them."""
    import duckdb

    con = duckdb.connect()
    con.execute("create schema raw")
    con.execute("create table raw.ssd_person (pers_person_id varchar, pers_dob date, _row_number bigint)")
    con.execute(
        "insert into raw.ssd_person values ('P1', '2010-01-01', 1), ('P2', '2012-01-01', 2), "
        "('P2', '2014-01-01', 3), (null, '2000-01-01', 4)"
    )
    con.execute("create table raw.ssd_cin_plans (cinp_cin_plan_id varchar, _row_number bigint)")
    con.execute("insert into raw.ssd_cin_plans values ('PL1', 1), (null, 2)")
    con.execute(
        "create table raw.ssd_cin_visits (cinv_cin_visit_id varchar, cinv_cin_plan_id varchar, "
        "cinv_person_id varchar, cinv_cin_visit_date date, _row_number bigint)"
    )
    con.execute(
        """insert into raw.ssd_cin_visits values
        ('V1', 'PL1', 'P1', '2011-01-01', 1),  -- nothing
        ('V2', 'PL9', 'P1', '2011-01-01', 2),  -- a plan not in the extract
        ('V3', 'PL1', 'P9', '2011-01-01', 3),  -- a child outside the cohort
        ('V4', 'PL1', 'P2', '2013-01-01', 4),  -- before one of P2's births
        ('V5', 'PL1', 'P2', '2011-06-01', 5),  -- before both
        ('V6', null, null, '2030-01-01', 6),   -- after the extract; no plan or child to resolve
        ('V7', 'PL9', 'P2', '2011-01-01', 7)   -- a missing plan, before both births
        """
    )
    return con


def test_one_pass_finds_what_each_rules_own_query_finds():
    from collections import Counter
    from datetime import date

    from pipelines.quality.rules import one_pass_hits, one_pass_rules, one_pass_sql

    con = _visits_warehouse()
    rules = [r for r in rules_for("ssd_cin_visits") if r.engine == "sql"]
    together, alone = one_pass_rules(rules)
    assert [r.kind for r in alone] == ["unique_key"]
    extracted = {"extracted_at": date(2020, 1, 1)}
    found = one_pass_hits(together, con.execute(one_pass_sql("ssd_cin_visits", together), extracted).fetchall())
    by_kind = {r.kind: Counter(found.get(r.id, [])) for r in together}
    assert by_kind == {
        "references": Counter({(2, "PL9"): 1, (7, "PL9"): 1}),
        "in_person_cohort": Counter({(3, "P9"): 1}),
        "not_after_extract": Counter({(6, "2030-01-01"): 1}),
        "not_before_birth": Counter({(4, "2013-01-01"): 1, (5, "2011-06-01"): 2, (7, "2011-01-01"): 2}),
    }
    for rule in together:
        params = extracted if rule.kind == "not_after_extract" else None
        own = Counter((int(row), value) for row, value in con.execute(rule.violations_sql(), params).fetchall())
        assert Counter(found.get(rule.id, [])) == own, rule.id


def test_a_cohort_rule_on_another_column_than_the_births_is_checked_on_its_own():
    from dataclasses import replace

    from pipelines.quality.rules import one_pass_rules

    rules = [r for r in rules_for("ssd_cin_visits") if r.engine == "sql"]
    moved = [replace(r, column="cinv_other_person_id") if r.kind == "in_person_cohort" else r for r in rules]
    together, alone = one_pass_rules(moved)
    assert sorted(r.kind for r in alone) == ["in_person_cohort", "unique_key"]
    assert "in_person_cohort" not in {r.kind for r in together}
