-- The monthly scorecard (seed 002 layout) for every reporting month and org unit: latest
-- result and RAG, numerator, denominator, target, the previous result as it was published
-- (recomputed only when nothing was published for that month) and the outturn (previous
-- 31 March), each with its direction of travel.
{{ scorecard_rows(ref('fct_measure_results'), ref('int_published_results')) }}
