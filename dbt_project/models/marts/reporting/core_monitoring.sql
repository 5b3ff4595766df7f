-- The quarterly core monitoring table (seed 000): at each quarter end, the core measures for
-- the whole authority with and without UASC, counts of children rounded to the nearest 5 for
-- publication, target and RAG, and the values at the three previous 31 Marches.
{{ core_monitoring_rows(ref('fct_measure_results')) }}
