import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models

from blog.migration_operations import AddNullableField


class Migration(migrations.Migration):
    dependencies = [
        ("blog", "0008_post_coauthors"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        # Plain ALTER TABLE on both databases: on SQLite, Django's AddField of a NOT NULL
        # column would rebuild the table and try to recreate the PostgreSQL-only
        # full-text index (as in 0002).
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.AddField(
                    model_name="post",
                    name="edit_version",
                    field=models.PositiveIntegerField(
                        default=0, editable=False, verbose_name="edit version"
                    ),
                )
            ],
            database_operations=[
                migrations.RunSQL(
                    "ALTER TABLE blog_post ADD COLUMN edit_version integer NOT NULL DEFAULT 0"
                    " CHECK (edit_version >= 0)",
                    "ALTER TABLE blog_post DROP COLUMN edit_version",
                )
            ],
        ),
        AddNullableField(
            model_name="post",
            name="edited_by",
            field=models.ForeignKey(
                blank=True,
                editable=False,
                null=True,
                on_delete=django.db.models.deletion.SET_NULL,
                related_name="+",
                to=settings.AUTH_USER_MODEL,
                verbose_name="last saved by",
            ),
        ),
    ]
