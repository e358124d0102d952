"""Migration operations that only touch PostgreSQL databases."""

from django.db import migrations


class AddIndexOnPostgreSQL(migrations.AddIndex):
    """Add an index on PostgreSQL; elsewhere only record it in the model state.

    Full-text GIN indexes exist only on PostgreSQL; SQLite searches without them.
    """

    def database_forwards(self, app_label, schema_editor, from_state, to_state) -> None:
        if schema_editor.connection.vendor == "postgresql":
            super().database_forwards(app_label, schema_editor, from_state, to_state)

    def database_backwards(self, app_label, schema_editor, from_state, to_state) -> None:
        if schema_editor.connection.vendor == "postgresql":
            super().database_backwards(app_label, schema_editor, from_state, to_state)


class AddNullableField(migrations.AddField):
    """Add a nullable column; going back on SQLite drops it (and its indexes) with ALTER
    TABLE, where Django would rebuild the table and try to recreate the PostgreSQL-only
    full-text index of ``blog_post``."""

    def database_backwards(self, app_label, schema_editor, from_state, to_state) -> None:
        if schema_editor.connection.vendor != "sqlite":
            super().database_backwards(app_label, schema_editor, from_state, to_state)
            return
        model = from_state.apps.get_model(app_label, self.model_name)
        column = model._meta.get_field(self.name).column
        table = model._meta.db_table
        quote = schema_editor.quote_name
        with schema_editor.connection.cursor() as cursor:
            constraints = schema_editor.connection.introspection.get_constraints(cursor, table)
        for name, info in constraints.items():
            if info["index"] and info["columns"] == [column]:
                schema_editor.execute(f"DROP INDEX {quote(name)}")
        schema_editor.execute(f"ALTER TABLE {quote(table)} DROP COLUMN {quote(column)}")
