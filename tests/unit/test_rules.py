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
