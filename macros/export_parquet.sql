{% macro export_marts_to_parquet() -%}
    {%- set directory = var('parquet_export_dir', 'warehouse/parquet') | string | trim -%}
    {%- set directory = ('warehouse/parquet' if directory in ['', 'none', 'null'] else directory).rstrip('/') or '/' -%}
    {%- set marts = [] -%}
    {%- for node in graph.nodes.values() if node.resource_type == 'model' and node.fqn[1] == 'marts'
        and node.config.materialized in ['table', 'incremental'] -%}
        {%- do marts.append(adapter.get_relation(node.database, node.schema, node.alias)) -%}
    {%- endfor -%}
    {%- set marts = marts | reject('none') | sort(attribute='identifier') -%}
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
