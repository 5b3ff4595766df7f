-- The scorecard's performance summary over the disclosure-controlled scorecard: a suppressed
-- result has no RAG and no direction, and is counted in neither.
{{ config(alias='scorecard_summary') }}
{{ scorecard_summary_rows(ref('shareable_scorecard')) }}
