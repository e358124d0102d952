"""Write ``Comment.body_html`` for the comments stored before it existed.

The HTML comes from ``comments.rendering.comment_body_html``, the one definition of how a
body is shown: restating it here would make a second copy to keep in step. The result is
the HTML the thread rendered for these comments until now, so no cached thread changes
and no comment version moves. A later change of the rules is applied with
``manage.py rerender_comment_bodies``, not with a migration."""

from django.db import migrations

from comments.rendering import comment_body_html

BATCH = 500


def fill_body_html(apps, schema_editor):
    Comment = apps.get_model("comments", "Comment")
    todo = Comment.objects.filter(body_html="").order_by("pk").only("pk", "body")
    last = 0
    while batch := list(todo.filter(pk__gt=last)[:BATCH]):
        for comment in batch:
            comment.body_html = comment_body_html(comment.body)
        Comment.objects.bulk_update(batch, ["body_html"])
        last = batch[-1].pk


class Migration(migrations.Migration):
    dependencies = [
        ("comments", "0004_comment_body_html"),
    ]

    operations = [
        migrations.RunPython(fill_body_html, migrations.RunPython.noop, elidable=True),
    ]
