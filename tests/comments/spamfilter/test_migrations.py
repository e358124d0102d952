"""The spam filter's data migrations, forwards and back: guidelines about spam are marked,
and settings still at the first hold score move to the measured one."""

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor


def migrate_to(name: str):
    """Migrate the comments app to migration ``name`` and return the historical models."""
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate([("comments", name)])
    executor.loader.build_graph()
    return executor.loader.project_state([("comments", name)]).apps


def migrate_to_latest() -> None:
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(executor.loader.graph.leaf_nodes())


@pytest.mark.django_db(transaction=True)
def test_guidelines_whose_title_speaks_of_spam_are_marked_about_spam():
    try:
        apps = migrate_to("0005_fill_comment_body_html")
        Guideline = apps.get_model("comments", "Guideline")
        Guideline.objects.create(number=1, title="Be kind", text="Please.")
        Guideline.objects.create(number=2, title="No SPAM or ads", text="None.")

        apps = migrate_to("0006_spam_filter")
        Guideline = apps.get_model("comments", "Guideline")

        assert dict(Guideline.objects.values_list("number", "about_spam")) == {1: False, 2: True}
    finally:
        migrate_to_latest()


@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize(("before", "after"), [(0.9, 0.7), (0.8, 0.8), (None, None)])
def test_settings_still_at_the_first_hold_score_move_to_the_measured_one(before, after):
    try:
        apps = migrate_to("0007_trusted_commenters")
        Settings = apps.get_model("comments", "DiscussionSettings")
        Settings.objects.update_or_create(pk=1, defaults={"spam_filter_hold_score": before})

        apps = migrate_to("0008_spam_filter_hold_from_0_7")
        assert (
            apps.get_model("comments", "DiscussionSettings").objects.get().spam_filter_hold_score
            == after
        )

        apps = migrate_to("0007_trusted_commenters")
        assert apps.get_model(
            "comments", "DiscussionSettings"
        ).objects.get().spam_filter_hold_score == (0.9 if after == 0.7 else after)
    finally:
        migrate_to_latest()
