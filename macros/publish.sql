{% macro keep_last_successful_build() -%}
    {%- if not execute or flags.WHICH not in ['build', 'run'] or target.type != 'duckdb' %}{{ return('') }}{% endif -%}
    {%- set statements = restore_last_successful_build([]) -%}
    {%- for node in graph.nodes.values() if node.resource_type == 'model' and target.type == 'duckdb'
        and (node.fqn[1] == 'marts' or node.config.materialized == 'incremental') and node.unique_id in selected_resources -%}
        {%- set relation = adapter.get_relation(node.database, node.schema, node.alias) -%}
        {%- if relation -%}
            {%- set previous = relation.incorporate(path={'identifier': node.alias ~ '__previous'}) -%}
            {%- set copied = node.config.materialized == 'incremental' -%}
            {%- do statements.append('create table ' ~ previous ~ ' as select * from ' ~ relation if copied
                else 'alter ' ~ relation.type ~ ' ' ~ relation ~ ' rename to ' ~ adapter.quote(previous.identifier)) -%}
            {%- do adapter.cache_added(previous) if copied else adapter.cache_renamed(relation, previous) -%}
        {%- endif -%}
    {%- endfor -%}
    {{ return(in_one_transaction(statements)) }}
{%- endmacro %}

{% macro publish_or_restore(results) -%}
    {%- if not execute or flags.WHICH not in ['build', 'run'] %}{{ return('') }}{% endif -%}
    {%- if results | selectattr('status', 'in', ['error', 'fail', 'runtime error']) | list -%}
        {{ log('The build failed: nothing is exported as Parquet' ~ ('; each mart and stored table is as the last successful build left it.' if target.type == 'duckdb' else '.'), info=true) }}
        {{ return(in_one_transaction(restore_last_successful_build(selected_resources))) }}
    {%- endif -%}
    {%- do export_marts_to_parquet() if boolean_var('export_parquet', false) -%}
    {%- set statements = [] -%}
    {%- for node in graph.nodes.values() if node.resource_type == 'model' and target.type == 'duckdb'
        and (node.fqn[1] == 'marts' or node.config.materialized == 'incremental') -%}
        {%- set previous = adapter.get_relation(node.database, node.schema, node.alias ~ '__previous') -%}
        {%- do statements.append('drop ' ~ previous.type ~ ' ' ~ previous) if previous -%}
    {%- endfor -%}
    {{ return(in_one_transaction(statements)) }}
{%- endmacro %}

{% macro restore_last_successful_build(built) -%}
    {%- set statements = [] -%}
    {%- for node in graph.nodes.values() if node.resource_type == 'model' and target.type == 'duckdb'
        and (node.fqn[1] == 'marts' or node.config.materialized == 'incremental') -%}
        {%- set relation = adapter.get_relation(node.database, node.schema, node.alias) -%}
        {%- set previous = adapter.get_relation(node.database, node.schema, node.alias ~ '__previous') -%}
        {%- if relation and (previous or node.unique_id in built) -%}
            {%- do statements.append('drop ' ~ relation.type ~ ' ' ~ relation) -%}
            {%- do adapter.cache_dropped(relation) -%}
        {%- endif -%}
        {%- if previous -%}
            {%- do statements.append('alter ' ~ previous.type ~ ' ' ~ previous ~ ' rename to ' ~ adapter.quote(node.alias)) -%}
            {%- do adapter.cache_renamed(previous, previous.incorporate(path={'identifier': node.alias})) -%}
        {%- endif -%}
    {%- endfor -%}
    {{ return(statements) }}
{%- endmacro %}

{% macro in_one_transaction(statements) -%}
    {{ return('begin transaction;\n' ~ statements | join(';\n') ~ ';\ncommit' if statements else '') }}
{%- endmacro %}
