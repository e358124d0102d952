import django.db.models.deletion
import django.utils.timezone
from django.conf import settings
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("blog", "0010_postautosave"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.CreateModel(
            name="PostReviewEvent",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                (
                    "step",
                    models.CharField(
                        choices=[
                            ("submitted", "Submitted for review"),
                            ("published", "Approved and published"),
                            ("scheduled", "Approved and scheduled"),
                            ("sent_back", "Sent back"),
                            ("withdrawn", "Withdrawn"),
                        ],
                        max_length=10,
                        verbose_name="step",
                    ),
                ),
                ("comment", models.TextField(blank=True, max_length=2000, verbose_name="comment")),
                (
                    "publish_at",
                    models.DateTimeField(blank=True, null=True, verbose_name="publication time"),
                ),
                (
                    "at",
                    models.DateTimeField(default=django.utils.timezone.now, verbose_name="when"),
                ),
            ],
            options={
                "verbose_name": "review step",
                "verbose_name_plural": "review steps",
                "ordering": ["at", "pk"],
            },
        ),
        # Plain ALTER TABLE on both databases: on SQLite, Django's AddField would rebuild the
        # table and try to recreate the PostgreSQL-only full-text index (as in 0002).
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.AddField(
                    model_name="post",
                    name="review_state",
                    field=models.CharField(
                        choices=[
                            ("none", "Not submitted"),
                            ("waiting", "Waiting for review"),
                            ("sent_back", "Sent back"),
                        ],
                        default="none",
                        editable=False,
                        max_length=10,
                        verbose_name="review",
                    ),
                ),
            ],
            database_operations=[
                migrations.RunSQL(
                    "ALTER TABLE blog_post ADD COLUMN review_state varchar(10) NOT NULL"
                    " DEFAULT 'none'",
                    "ALTER TABLE blog_post DROP COLUMN review_state",
                )
            ],
        ),
        migrations.AddField(
            model_name="post",
            name="submitted_at",
            field=models.DateTimeField(
                blank=True, editable=False, null=True, verbose_name="submitted for review"
            ),
        ),
        migrations.AddIndex(
            model_name="post",
            index=models.Index(
                fields=["review_state", "submitted_at"], name="blog_post_review_idx"
            ),
        ),
        migrations.AddField(
            model_name="postreviewevent",
            name="by",
            field=models.ForeignKey(
                null=True,
                on_delete=django.db.models.deletion.SET_NULL,
                related_name="+",
                to=settings.AUTH_USER_MODEL,
                verbose_name="by",
            ),
        ),
        migrations.AddField(
            model_name="postreviewevent",
            name="post",
            field=models.ForeignKey(
                on_delete=django.db.models.deletion.CASCADE,
                related_name="review_events",
                to="blog.post",
                verbose_name="post",
            ),
        ),
    ]
