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
    {#- the tables of models/marts: what BI users query -#}
    {%- set marts = [] -%}
    {%- for node in graph.nodes.values()
        if node.resource_type == 'model' and node.fqn[1] == 'marts'
        and node.config.materialized in ['table', 'incremental'] and node.config.enabled -%}
        {%- set relation = adapter.get_relation(node.database, node.schema, node.alias) -%}
        {%- if relation is not none -%}
            {%- do marts.append(relation) -%}
        {%- endif -%}
    {%- endfor -%}
    {%- set marts = marts | sort(attribute='identifier') -%}
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


{% macro parquet_export_dir() -%}
    {%- set directory = var('parquet_export_dir', 'warehouse/parquet') | string | trim -%}
    {%- if directory in ['', 'none', 'null'] -%}
        {%- set directory = 'warehouse/parquet' -%}
    {%- endif -%}
    {{ return(directory.rstrip('/') or '/') }}
{%- endmacro %}
