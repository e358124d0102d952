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
