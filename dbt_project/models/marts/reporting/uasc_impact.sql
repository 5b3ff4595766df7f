-- "Scorecard - Impact of UASC" (seed 002): each measure published with and without UASC,
-- side by side, with the variance when UASC are excluded, for the authority, areas and teams.
{{ uasc_impact_rows(ref('fct_measure_results')) }}
