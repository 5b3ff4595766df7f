-- "SCS Activity" (seed 002): per org unit, this month, last month and the change for the
-- activity counts (snapshot counts: caseloads, CP plans, LAC, UASC LAC, PF cases; in-month
-- counts: referrals, assessments, CP and LAC starts and ends).
{{ activity_rows(ref('fct_measure_results')) }}
