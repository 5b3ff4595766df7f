-- The uasc_impact table built from the disclosure-controlled results (macros/reporting.sql).
{{ config(alias='uasc_impact') }}
{{ uasc_impact_rows(ref('shareable_measure_results')) }}
