{#-
    Warns when more than var max_rejected_share (default 0.05) of the customer rows or of the
    order rows are rejected: a build that passes with a third of its rows rejected is usually
    reading the file wrong. One row per kind of input row, with its three most common reasons;
    `./run build` prints them after the build (operations/rejection_summary.py).
-#}
{{ config(severity='warn') }}

select
    input_rows,
    input_file,
    rejected_count,
    row_count,
    rejected_share,
    max_rejected_share,
    top_reasons,
    vars_to_check
from {{ ref('int_rejection_summary') }}
where rejected_share > max_rejected_share
