-- The scorecard's "Performance summary" (seed 002): how many of the numbered indicators are
-- Green, Amber and Red, and how many improved, stayed the same or worsened against the
-- previous result and against the outturn.
{{ scorecard_summary_rows(ref('scorecard')) }}
