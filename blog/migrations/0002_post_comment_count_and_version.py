from django.db import migrations, models


def _add_counter(name: str, field: models.Field) -> migrations.SeparateDatabaseAndState:
    # Plain ALTER TABLE on both databases: on SQLite, Django's AddField would rebuild the
    # table and try to recreate the PostgreSQL-only full-text index.
    return migrations.SeparateDatabaseAndState(
        state_operations=[migrations.AddField(model_name="post", name=name, field=field)],
        database_operations=[
            migrations.RunSQL(
                f"ALTER TABLE blog_post ADD COLUMN {name} integer NOT NULL DEFAULT 0"
                f" CHECK ({name} >= 0)",
                f"ALTER TABLE blog_post DROP COLUMN {name}",
            )
        ],
    )


class Migration(migrations.Migration):
    dependencies = [
        ("blog", "0001_initial"),
    ]

    operations = [
        _add_counter(
            "comment_count",
            models.PositiveIntegerField(default=0, editable=False, verbose_name="comments"),
        ),
        _add_counter("comment_version", models.PositiveIntegerField(default=0, editable=False)),
    ]
