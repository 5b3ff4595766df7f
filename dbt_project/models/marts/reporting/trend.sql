-- "Trend Data - Month End" (seed 002): the last 12 month ends of the extract for every
-- measure and org unit, with target and RAG.
{{ trend_rows(ref('fct_measure_results')) }}
