{#-
    Writes the public marts as Parquet files for tools that cannot open a DuckDB file (and for
    readers that must not wait for dbt's write lock): one file per mart,
    <parquet_export_dir>/<mart>.parquet, plus export_manifest_0.parquet listing what was
    exported (mart, rows, run id, time). Runs as the project's on-run-end hook when var
    export_parquet is true, after a `dbt build` or `dbt run` that had no errors (a failed build
    leaves the previous files as they were).

    Each file is written to a temporary file and renamed over the old one (DuckDB's
    use_tmp_file), so a reader sees either the previous or the new version of a mart, never a
    half-written file. The directory is created when missing (its parent must exist; the
    default parent is warehouse/, where the DuckDB file is).
-#}
{% macro export_marts_to_parquet(results) -%}
    {%- if not execute or not boolean_var('export_parquet', false) -%}
        {{ return('') }}
    {%- endif -%}
    {%- if flags.WHICH not in ['build', 'run'] -%}
        {{ return('') }}
    {%- endif -%}
    {%- set failed = results | selectattr('status', 'in', ['error', 'fail', 'runtime error']) | list -%}
    {%- if failed | length > 0 -%}
        {{ log('Parquet export skipped: ' ~ failed | length ~ ' node(s) failed; the previous files are kept.', info=true) }}
        {{ return('') }}
    {%- endif -%}

    {%- set directory = parquet_export_dir() -%}
    {%- set marts = public_marts() -%}
    {%- if marts | length == 0 -%}
        {{ return('') }}
    {%- endif -%}

    {%- set counts = [] -%}
    {%- for mart in marts -%}
        {%- do counts.append(
            "select '" ~ mart.identifier ~ "' as mart, count(*) as row_count from " ~ mart) -%}
    {%- endfor -%}
    {%- set manifest = "select mart, row_count, '" ~ invocation_id ~ "' as run_id, "
        ~ "current_timestamp as exported_at, concat(mart, '.parquet') as file_name "
        ~ "from (" ~ counts | join(' union all ') ~ ") as counts order by mart" -%}
    {%- do write_parquet_export(directory, marts, manifest) -%}
    {{ log('Exported ' ~ marts | length ~ ' marts as Parquet to ' ~ directory ~ '/', info=true) }}
    {{ return('') }}
{%- endmacro %}


{#- Var parquet_export_dir without a trailing slash (default warehouse/parquet). -#}
{% macro parquet_export_dir() -%}
    {%- set directory = var('parquet_export_dir', 'warehouse/parquet') | string | trim -%}
    {%- if directory in ['', 'none', 'null'] -%}
        {%- set directory = 'warehouse/parquet' -%}
    {%- endif -%}
    {{ return(directory.rstrip('/') or '/') }}
{%- endmacro %}


{#- The relations of the models in models/marts that are tables (what BI users query). -#}
{% macro public_marts() -%}
    {%- set marts = [] -%}
    {%- for node in graph.nodes.values()
        if node.resource_type == 'model' and node.fqn[1] == 'marts'
        and node.config.materialized in ['table', 'incremental'] and node.config.enabled -%}
        {%- set relation = adapter.get_relation(node.database, node.schema, node.alias) -%}
        {%- if relation is not none -%}
            {%- do marts.append(relation) -%}
        {%- endif -%}
    {%- endfor -%}
    {{ return(marts | sort(attribute='identifier')) }}
{%- endmacro %}
