"""The names of the quality checks, in one place: the gate records them in data_quality, the
Dagster asset checks are named after them, and the CLI's report and the bench read them."""

from __future__ import annotations

# Dagster asset checks
RAW_TABLE_PASSES_GATE = "passes_gate"  # on quarantine/<table>: the table's quarantined share is within bounds
REQUIRED_TABLES_NOT_SHRUNK = "required_tables_not_shrunk"  # on quality/raw_extract_gate
MONTH_ON_MONTH_JUMPS = "month_on_month_jumps"  # on quality/measure_gate, a warning

# Blocking rules on the measure results (each also a Dagster asset check on quality/measure_gate)
PCT_NUMERATOR_WITHIN_DENOMINATOR = "measures.pct.numerator_within_denominator"
PCT_VALUE_WITHIN_0_100 = "measures.pct.value_within_0_100"
COUNT_NOT_NEGATIVE = "measures.count.not_negative"
NUMERATOR_NOT_NEGATIVE = "measures.numerator.not_negative"
CATALOGUE_COMPLETE = "measures.catalogue_complete"
MEASURE_RULES = (
    PCT_NUMERATOR_WITHIN_DENOMINATOR,
    PCT_VALUE_WITHIN_0_100,
    COUNT_NOT_NEGATIVE,
    NUMERATOR_NOT_NEGATIVE,
    CATALOGUE_COMPLETE,
)

# data_quality rule ids of table- and measure-level outcomes; the SQL LIKE patterns select them
QUARANTINE_SHARE_SUFFIX = ".quarantine_share"
QUARANTINE_SHARE_LIKE = "%" + QUARANTINE_SHARE_SUFFIX
VOLUME_SUFFIX = ".volume_vs_previous_extract"
ROWS_RECHECKED_SUFFIX = ".rows_rechecked"
CARRIED_FORWARD_SUFFIX = ".carried_forward"
UNKNOWN_COLUMNS_SUFFIX = ".unknown_columns"
MONTH_ON_MONTH_JUMP_SUFFIX = ".month_on_month_jump"


SSD_VERSION_KNOWN = "extract.ssd_version_known"
MANIFEST_LISTS_FILES = "extract.manifest_lists_files"
PERSON_COHORT_SUFFIX = ".in_person_cohort"
LOAD_REPORT_PREFIX = "load."


def load_report(table: str, column: str, kind: str) -> str:
    return f"{LOAD_REPORT_PREFIX}{table}.{column}.{kind}"


def rows_rechecked(table: str) -> str:
    """How many of a table's rows Great Expectations checked (the rest carried forward)."""
    return f"{table}{ROWS_RECHECKED_SUFFIX}"


def carried_forward(table: str) -> str:
    """A table whose file was unchanged since an earlier load: kept, not read again."""
    return f"{table}{CARRIED_FORWARD_SUFFIX}"


def quarantine_share(table: str) -> str:
    return table + QUARANTINE_SHARE_SUFFIX


def volume_vs_previous_extract(table: str) -> str:
    return table + VOLUME_SUFFIX


def unknown_columns(table: str) -> str:
    return table + UNKNOWN_COLUMNS_SUFFIX


def month_on_month_jump(measure_id: str) -> str:
    return f"measures.{measure_id}{MONTH_ON_MONTH_JUMP_SUFFIX}"


def dagster_check_name(rule_id: str) -> str:
    """Dagster check names take no dots."""
    return rule_id.replace(".", "__")
