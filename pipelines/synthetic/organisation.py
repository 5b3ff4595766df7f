"""Kent's 2016 Specialist Children's Services structure (seed 002, "SCS Activity").

Areas hold their district Assessment & Intervention / Family Support teams (AIT & FST) and
their Children in Care (CIC) teams; the county-wide services (UASC, adoption, the front door,
care leavers, fostering) have no area, so they count only towards the whole authority.
"""

from __future__ import annotations

from dataclasses import dataclass

LA_CODE = "886"  # Kent
# native (non-UASC) children first referred in a year, which with the UASC arrivals gives seed 002's
# March 2016 volumes; the `kent` scale, and the unit every other size is scaled by
KENT_CHILDREN_PER_YEAR = 9_700


@dataclass(frozen=True)
class Team:
    team_id: str
    name: str
    parent_id: str | None
    team_type: str


AREAS = [
    Team("A-NK", "North Kent", None, "AREA"),
    Team("A-EK", "East Kent", None, "AREA"),
    Team("A-SK", "South Kent", None, "AREA"),
    Team("A-WK", "West Kent", None, "AREA"),
    Team("A-DS", "Disability Service", None, "AREA"),
]

# district -> (team id, name, area, referral weight from the seed's March 2016 referrals, CIC team)
DISTRICTS = [
    ("T-ASH", "Ashford AIT & FST", "A-SK", 81, "T-SKCIC"),
    ("T-CAN", "Canterbury AIT & FST", "A-EK", 82, "T-EKCS"),
    ("T-DAR", "Dartford AIT & FST", "A-NK", 82, "T-NKCIC"),
    ("T-DOV", "Dover AIT & FST", "A-SK", 118, "T-SKCIC"),
    ("T-GRA", "Gravesham AIT & FST", "A-NK", 85, "T-NKCIC"),
    ("T-MAI", "Maidstone AIT & FST", "A-WK", 100, "T-WKCIC"),
    ("T-SEV", "Sevenoaks AIT & FST", "A-NK", 47, "T-NKCIC"),
    ("T-SHE", "Shepway AIT & FST", "A-SK", 93, "T-SKCIC"),
    ("T-SWA", "Swale AIT & FST", "A-EK", 120, "T-EKCS"),
    ("T-THA", "Thanet AIT & FST", "A-EK", 147, "T-EKCT"),
    ("T-WEA", "The Weald AIT & FST", "A-WK", 154, "T-WKCIC"),
]

CIC_TEAMS = [
    Team("T-NKCIC", "North Kent CIC", "A-NK", "CIC"),
    Team("T-EKCS", "East Kent (Can/Swa) CIC", "A-EK", "CIC"),
    Team("T-EKCT", "East Kent (Tha) CIC", "A-EK", "CIC"),
    Team("T-SKCIC", "South Kent CIC", "A-SK", "CIC"),
    Team("T-WKCIC", "West Kent CIC", "A-WK", "CIC"),
]

DISABILITY_TEAMS = [
    Team("T-DEK", "Disability EK", "A-DS", "DISABILITY"),
    Team("T-DWK", "Disability WK", "A-DS", "DISABILITY"),
]

COUNTY_TEAMS = [
    Team("T-UASC", "SUASC Service", None, "UASC"),
    Team("T-ADSG", "Adoption & SG", None, "ADOPTION"),
    Team("T-CDT", "CDT/OOH/CRU", None, "FRONT_DOOR"),
    Team("T-CLS", "Care Leaver Service (18+)", None, "CARE_LEAVERS"),
    Team("T-FOS", "Fostering Service", None, "FOSTERING"),
]


def district_teams() -> list[Team]:
    return [Team(t, name, area, "ASSESSMENT") for t, name, area, _, _ in DISTRICTS]


def all_teams() -> list[Team]:
    return [*AREAS, *district_teams(), *CIC_TEAMS, *DISABILITY_TEAMS, *COUNTY_TEAMS]


def disability_team_for_area(area_id: str) -> str:
    return "T-DEK" if area_id in ("A-EK", "A-SK") else "T-DWK"
