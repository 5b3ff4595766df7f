"""The same extract, written the way a council's SSD script would write it.

`cscw generate --dialect systemc|mosaic` keeps every child and event of the tidy extract and
changes only how they are written, after the SystemC (Liquidlogic) and Mosaic deployment
scripts of SSD 1.4.5 (../shared/external/ssd-data-model/deployment): SQL Server DATETIME text,
1900-01-01 placeholders, descriptions where a script writes a lookup's description, free-text
immigration statuses, the extra columns the scripts create (names, identifiers), Mosaic's
missing and misnamed columns, rows outside the person cohort (SystemC), CRLF line endings and a
byte-order mark. A run of the warehouse must publish exactly the same measures from either.
"""

from __future__ import annotations

import zlib
from dataclasses import dataclass, field
from datetime import date
from functools import cache

import polars as pl
import yaml

from ..extract.value_maps import SHIPPED_MAP

DATETIME_FORMAT = "%Y-%m-%d 00:00:00.000"  # how SQL Server writes a DATETIME to CSV
PLACEHOLDER = date(1900, 1, 1)
OUTSIDE_COHORT_ROWS = 12
FORENAMES = ["Alex", "Sam", "Jordan", "Casey", "Riley", "Morgan", "Jamie", "Taylor", "Charlie", "Robin"]
SURNAMES = ["Smith", "Jones", "Taylor", "Brown", "Williams", "Wilson", "Johnson", "Davies", "Patel", "Wright"]


@cache
def _descriptions() -> dict[str, dict[str, str]]:
    """The DfE description of each code (the first the shipped value map lists)."""
    doc = yaml.safe_load(SHIPPED_MAP.read_text(encoding="utf-8"))["code_sets"]
    return {
        code_set: {str(code): values[0] for code, values in codes.items() if values} for code_set, codes in doc.items()
    }


def _describe(frame: pl.DataFrame, column: str, code_set: str, overrides: dict[str, str] | None = None) -> pl.DataFrame:
    mapping = {**_descriptions()[code_set], **(overrides or {})}
    return frame.with_columns(pl.col(column).replace(mapping).alias(column))


def _placeholder(frame: pl.DataFrame, column: str) -> pl.DataFrame:
    return frame.with_columns(pl.col(column).fill_null(PLACEHOLDER).alias(column))


def _pick(values: list[str], ids: pl.Expr) -> pl.Expr:
    """A deterministic choice from a list, by a row's id (no random numbers: same extract, same names)."""
    return ids.map_elements(lambda i: values[zlib.crc32(str(i).encode()) % len(values)], return_dtype=pl.Utf8)


@dataclass
class Dialect:
    """Rewrites each table's frame as a system's script writes it."""

    name: str
    date_format: str = DATETIME_FORMAT
    line_terminator: str = "\r\n"
    byte_order_mark: bool = True
    outside_cohort_added: set = field(default_factory=set)

    def rewrite(self, table: str, frame: pl.DataFrame) -> pl.DataFrame:
        frame = self._common(table, frame)
        return getattr(self, f"_{self.name}")(table, frame)

    def _common(self, table: str, frame: pl.DataFrame) -> pl.DataFrame:
        if table == "ssd_person":
            ids = pl.col("pers_person_id")
            frame = frame.with_columns(
                _pick(FORENAMES, ids).alias("pers_forename"),
                _pick(SURNAMES, ids).alias("pers_surname"),
                pl.format("K886{}", ids).alias("pers_upn"),
                pl.lit(None, pl.Utf8).alias("pers_upn_unknown"),
                pl.format("SUI{}", ids).alias("pers_single_unique_id"),
                ids.alias("pers_legacy_id"),
                pl.col("pers_sex").alias("pers_gender"),
                pl.lit("N").alias("pers_is_mother"),
                pl.lit(None, pl.Utf8).alias("pers_nationality"),
                pl.lit("N").alias("pers_send_flag"),
            )
        if table == "ssd_immigration_status":
            frame = frame.with_columns(
                pl.col("immi_immigration_status").replace(
                    {"UASC": "Unaccompanied Asylum Seeking Child", "REFUGEE": "Refugee Status"}
                )
            )
        if table == "ssd_cin_episodes":
            frame = _describe(
                frame.with_columns(pl.col("cine_referral_source_code").alias("cine_referral_source_desc")),
                "cine_referral_source_desc",
                "referral_source",
            )
            frame = frame.with_columns(pl.lit(None, pl.Utf8).alias("cine_referral_outcome_json"))
        return frame

    def _systemc(self, table: str, frame: pl.DataFrame) -> pl.DataFrame:
        """SystemC writes lookups' descriptions, placeholder dates, and some rows outside the person cohort."""
        if table == "ssd_legal_status":
            frame = _describe(frame, "lega_legal_status", "legal_status")
        if table == "ssd_cla_episodes":
            frame = _describe(frame, "clae_cla_episode_start_reason", "cla_start_reason")
            frame = _describe(frame, "clae_cla_episode_ceased_reason", "cla_ceased_reason")
        if table == "ssd_cp_plans":
            frame = _describe(frame, "cppl_cp_plan_initial_category", "cp_category")
            frame = _describe(frame, "cppl_cp_plan_latest_category", "cp_category")
        if table == "ssd_cla_health":
            frame = _describe(frame, "clah_health_check_type", "health_check_type")
        if table == "ssd_cla_reviews":
            frame = _describe(frame, "clar_cla_review_participation", "review_participation")
        if table == "ssd_care_leavers":
            frame = _describe(frame, "clea_care_leaver_accommodation", "care_leaver_accommodation")
            frame = _describe(frame, "clea_care_leaver_activity", "care_leaver_activity")
            frame = _describe(frame, "clea_care_leaver_accom_suitable", "accommodation_suitability")
        if table == "ssd_cin_assessments":
            frame = _placeholder(frame, "cina_assessment_auth_date")  # an open assessment's "authorised" date
        if table == "ssd_permanence":
            frame = _placeholder(frame, "perm_placed_foster_carer_date")
        if table in ("ssd_cla_placement", "ssd_cp_visits") and table not in self.outside_cohort_added:
            frame = self._outside_cohort(table, frame)
        return frame

    def _outside_cohort(self, table: str, frame: pl.DataFrame) -> pl.DataFrame:
        """Rows about people the person table does not hold (SystemC writes some placements and
        CP visits so): left out of the measures and counted."""
        self.outside_cohort_added.add(table)
        key, person = {
            "ssd_cla_placement": ("clap_cla_placement_id", "clap_person_id"),
            "ssd_cp_visits": ("cppv_cp_visit_id", "cppv_person_id"),
        }[table]
        extra = frame.head(OUTSIDE_COHORT_ROWS).with_columns(
            pl.format("X{}", pl.col(key)).alias(key), pl.format("OUT{}", pl.col(person)).alias(person)
        )
        return pl.concat([frame, extra])

    def _mosaic(self, table: str, frame: pl.DataFrame) -> pl.DataFrame:
        """Mosaic leaves out person ids a parent row gives, misnames the CIN plan id, writes contact
        sources as descriptions, and labels health checks; it records only checks that took place,
        without a status."""
        drop = {
            "ssd_cla_placement": ["clap_person_id"],
            "ssd_cp_visits": ["cppv_person_id"],
            "ssd_cp_reviews": ["cppr_person_id"],
            "ssd_involvements": ["invo_person_id"],
            "ssd_cin_visits": ["cinv_person_id"],
        }.get(table, [])
        frame = frame.drop(drop)
        if table == "ssd_cin_plans":
            frame = frame.rename({"cinp_cin_plan_id": "cin_plan_id"})
        if table == "ssd_contacts":
            frame = _describe(
                frame.rename({"cont_contact_source_code": "cont_contact_source_desc"}),
                "cont_contact_source_desc",
                "referral_source",
            )
        if table == "ssd_cla_health":
            frame = frame.filter(pl.col("clah_health_check_status") == "Completed")
            frame = _describe(
                frame,
                "clah_health_check_type",
                "health_check_type",
                {"DENTAL": "Dental Check", "HEALTH_ASSESSMENT": "Health Assessment"},
            )
            frame = frame.with_columns(pl.lit(None, pl.Utf8).alias("clah_health_check_status"))
        return frame


DIALECTS = ("systemc", "mosaic")


def dialect(name: str) -> Dialect:
    if name not in DIALECTS:
        raise ValueError(f"unknown dialect {name!r} (one of {', '.join(DIALECTS)})")
    return Dialect(name)
