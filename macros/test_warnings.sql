{% macro log_test_warnings(results) -%}
    {%- for result in results | sort(attribute='node.name') if result.status in ['warn', 'fail'] and result.node.should_store_failures -%}
        {%- set relation = api.Relation.create(result.node.database, result.node.schema, result.node.alias) -%}
        {%- if 'warning' in adapter.get_columns_in_relation(relation) | map(attribute='name') | map('lower') -%}
            {%- for row in run_query('select warning from ' ~ relation ~ ' order by warning') -%}
                {{ log(result.status.upper() ~ ' ' ~ result.node.name ~ ': ' ~ row[0], info=true) }}
            {%- endfor -%}
        {%- endif -%}
    {%- endfor -%}
{%- endmacro %}
