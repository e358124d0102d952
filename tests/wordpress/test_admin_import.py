"""The superusers' "Import from WordPress" in the admin, through HTTP: the upload form, the
background task (the immediate backend runs it when the upload commits), the progress page
and its JSON, and who may use them."""

import tempfile
from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils.html import escape

from accounts.models import User
from blog.models import Category, Post, Tag
from comments.models import Comment
from core.cache import cache_set
from tests.factories import UserFactory, make_picture_bytes
from tests.wordpress.test_uploads_zip import make_zip
from tests.wordpress.wxr_files import author, item, wxr
from wordpress.models import ImportedObject, WordPressImport
from wordpress.runner import wordpress_import_run
from wordpress.selectors import import_progress_key

pytestmark = pytest.mark.django_db

THEME_UNIT_TEST = (
    Path(__file__).resolve().parents[1] / "data/wordpress/themeunittestdata.wordpress.xml"
)
UPLOAD_URL = reverse("admin:wordpress_wordpressimport_upload")
NOT_WXR = (
    b'<?xml version="1.0"?>\n<rss version="2.0"><channel><title>A feed</title></channel></rss>\n'
)


@pytest.fixture
def superuser(client) -> User:
    user = UserFactory(is_staff=True, is_superuser=True)
    client.force_login(user)
    return user


def upload(client, content: bytes, name: str = "export.xml", **fields):
    return client.post(
        UPLOAD_URL, {"export": SimpleUploadedFile(name, content, "text/xml"), **fields}
    )


def upload_and_run(client, capture, content: bytes, **fields):
    """Upload ``content``, let the import run as it does once the upload commits, and open
    the page the upload leads to."""
    with capture(execute=True):
        response = upload(client, content, **fields)
    assert response.status_code == 302, response.content
    return client.get(response.url)


def progress_url(wordpress_import: WordPressImport, suffix: str = "") -> str:
    name = "progress_json" if suffix == "json" else "progress"
    return reverse(f"admin:wordpress_wordpressimport_{name}", args=[wordpress_import.pk])


def stored_private_files(private_root: Path) -> list[Path]:
    return [path for path in private_root.rglob("*") if path.is_file()]


def nothing_imported() -> bool:
    return not (
        Post.objects.exists()
        or Category.objects.exists()
        or Tag.objects.exists()
        or Comment.objects.exists()
        or ImportedObject.objects.exists()
    )


# Who may


def test_the_admin_index_links_superusers_to_the_import_and_the_export(client, superuser):
    response = client.get(reverse("admin:index"))

    assert response.status_code == 200
    assert UPLOAD_URL in response.content.decode()


@pytest.mark.parametrize("role", ["editor", "moderator"])
def test_editors_and_moderators_may_not_import(client, role):
    client.force_login(UserFactory(**{role: True}))
    wordpress_import = WordPressImport.objects.create(original_name="export.xml", size=10)

    assert client.get(UPLOAD_URL).status_code == 403
    assert upload(client, THEME_UNIT_TEST.read_bytes()).status_code == 403
    assert client.get(progress_url(wordpress_import)).status_code == 403
    assert client.get(progress_url(wordpress_import, "json")).status_code == 403
    index = client.get(reverse("admin:index")).content.decode()
    assert UPLOAD_URL not in index
    assert WordPressImport.objects.count() == 1
    assert nothing_imported()


def test_anonymous_visitors_are_sent_to_the_admin_sign_in(client):
    for url in (UPLOAD_URL,):
        response = client.get(url)

        assert response.status_code == 302
        assert response.url.startswith(reverse("admin:login"))
    assert upload(client, THEME_UNIT_TEST.read_bytes()).status_code == 302
    assert not WordPressImport.objects.exists()


def test_superusers_list_the_imports_with_their_progress_pages(client, superuser):
    wordpress_import = WordPressImport.objects.create(original_name="old-site.xml", size=10)

    response = client.get(reverse("admin:wordpress_wordpressimport_changelist"))

    assert response.status_code == 200
    page = response.content.decode()
    assert "old-site.xml" in page
    assert progress_url(wordpress_import) in page
    assert UPLOAD_URL in page


def test_editors_may_not_list_the_imports(client):
    client.force_login(UserFactory(editor=True))

    response = client.get(reverse("admin:wordpress_wordpressimport_changelist"))

    assert response.status_code == 403


# The form


def test_the_upload_page_says_what_to_send_and_where_pictures_come_from(client, superuser):
    response = client.get(UPLOAD_URL)

    assert response.status_code == 200
    page = response.content.decode()
    assert "Tools → Export" in page
    assert "--media-dir" in page
    assert 'enctype="multipart/form-data"' in page


def test_an_export_too_large_for_the_admin_is_refused_with_its_size(
    client, superuser, settings, private_root
):
    settings.UPLOAD_MAX_BYTES = 1000

    response = upload(client, b"<?xml version='1.0'?>" + b" " * 2000)

    assert response.status_code == 200
    assert "This file is 2.0\xa0KB; the admin takes files of up to 1000\xa0bytes." in (
        response.content.decode()
    )
    assert not WordPressImport.objects.exists()
    assert stored_private_files(private_root) == []


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (b"", "The submitted file is empty."),
        (b"Just some text", "This file is not XML, so it is not a WordPress export."),
        (b"PK\x03\x04rest of a zip", "This file is a zip archive, not XML"),
    ],
)
def test_a_file_that_is_not_xml_is_refused_with_a_reason(
    client, superuser, private_root, content, message
):
    response = upload(client, content)

    assert response.status_code == 200
    assert message in response.content.decode()
    assert not WordPressImport.objects.exists()
    assert stored_private_files(private_root) == []


def test_an_unsafe_uploads_zip_is_refused_with_a_reason(client, superuser, private_root):
    zipped = make_zip({"uploads/2013/01/a.jpg": b"jpeg", "../../etc/evil": b"evil"})

    response = client.post(
        UPLOAD_URL,
        {
            "export": SimpleUploadedFile("export.xml", THEME_UNIT_TEST.read_bytes(), "text/xml"),
            "uploads": SimpleUploadedFile("uploads.zip", zipped.getvalue(), "application/zip"),
        },
    )

    assert response.status_code == 200
    assert "would be unpacked outside its folder" in response.content.decode()
    assert not WordPressImport.objects.exists()
    assert stored_private_files(private_root) == []


def test_sending_the_form_without_a_file_asks_for_one(client, superuser):
    response = client.post(UPLOAD_URL, {})

    assert response.status_code == 200
    assert "This field is required." in response.content.decode()
    assert not WordPressImport.objects.exists()


# The import


def test_a_superuser_imports_the_theme_unit_test_export(
    client, superuser, private_root, django_capture_on_commit_callbacks
):
    response = upload_and_run(
        client, django_capture_on_commit_callbacks, THEME_UNIT_TEST.read_bytes()
    )

    assert response.status_code == 200
    wordpress_import = WordPressImport.objects.get()
    assert wordpress_import.status == WordPressImport.Status.DONE
    assert (wordpress_import.created_by, wordpress_import.original_name) == (
        superuser,
        "export.xml",
    )
    assert wordpress_import.started_at <= wordpress_import.finished_at
    summary = wordpress_import.summary
    assert summary["created"]["author"] == 2
    assert summary["created"]["category"] == Category.objects.count() == 68
    # 110 declared, and three more its posts name without declaring them.
    assert summary["created"]["tag"] == Tag.objects.count() == 113
    assert summary["created"]["post"] == Post.objects.count() == 58
    assert summary["created"]["comment"] == Comment.objects.count() > 0
    skipped = [item["kind"] for item in summary["skipped"]]
    assert (skipped.count("pingback"), skipped.count("trackback")) == (2, 2)
    page = response.content.decode()
    assert "The import has finished. The summary is below." in page
    assert '<tr id="summary-category">' in page
    assert "<td>68</td>" in page
    assert "pingbacks and trackbacks are not kept" in page  # skipped, and why
    assert "<progress" not in page
    assert stored_private_files(private_root) == []  # the export is not kept


def test_a_dry_run_shows_what_an_import_would_do_and_stores_nothing(
    client, superuser, private_root, django_capture_on_commit_callbacks
):
    response = upload_and_run(
        client, django_capture_on_commit_callbacks, THEME_UNIT_TEST.read_bytes(), is_dry_run="on"
    )

    wordpress_import = WordPressImport.objects.get()
    assert wordpress_import.is_dry_run
    assert wordpress_import.status == WordPressImport.Status.DONE
    assert wordpress_import.summary["created"]["category"] == 68
    assert wordpress_import.summary["created"]["post"] == 58
    assert nothing_imported()
    page = response.content.decode()
    assert "The dry run has finished: nothing was stored." in page
    assert "What an import would do" in page
    assert stored_private_files(private_root) == []


def test_a_file_that_is_not_a_wordpress_export_fails_saying_why_and_stores_nothing(
    client, superuser, private_root, django_capture_on_commit_callbacks
):
    response = upload_and_run(client, django_capture_on_commit_callbacks, NOT_WXR)

    wordpress_import = WordPressImport.objects.get()
    assert wordpress_import.status == WordPressImport.Status.FAILED
    assert "not a WordPress export" in wordpress_import.error
    assert wordpress_import.error.endswith("Nothing was imported.")
    assert wordpress_import.summary == {}
    page = response.content.decode()
    assert escape(f"The import failed. {wordpress_import.error}") in page
    assert 'role="status"' in page
    assert "Choose another file" in page
    assert nothing_imported()
    assert stored_private_files(private_root) == []


def test_an_export_lost_before_the_worker_reads_it_fails_in_words(
    client, superuser, private_root, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=False) as queued:
        response = upload(client, THEME_UNIT_TEST.read_bytes())
    for path in stored_private_files(private_root):
        path.unlink()
    for callback in queued:
        callback()

    wordpress_import = WordPressImport.objects.get()
    assert wordpress_import.status == WordPressImport.Status.FAILED
    assert "nothing was imported" in wordpress_import.error
    assert "The import failed." in client.get(response.url).content.decode()
    assert nothing_imported()


def test_an_import_runs_once(client, superuser, django_capture_on_commit_callbacks):
    upload_and_run(client, django_capture_on_commit_callbacks, NOT_WXR)
    wordpress_import = WordPressImport.objects.get()

    assert wordpress_import_run(import_id=wordpress_import.pk) == "not queued"
    assert WordPressImport.objects.get().finished_at == wordpress_import.finished_at


# Progress


def test_a_queued_import_offers_a_reload_without_javascript(client, superuser):
    wordpress_import = WordPressImport.objects.create(
        original_name="export.xml", size=2048, created_by=superuser
    )

    page = client.get(progress_url(wordpress_import)).content.decode()

    assert "Waiting for the import to start." in page
    assert f'<a href="{progress_url(wordpress_import)}">Reload this page' in page
    assert progress_url(wordpress_import, "json") in page
    assert 'src="/static/js/wordpress_import.js"' in page


def test_a_running_import_shows_the_progress_the_task_keeps_in_the_cache(client, superuser):
    wordpress_import = WordPressImport.objects.create(
        original_name="export.xml",
        size=4096,
        status=WordPressImport.Status.RUNNING,
        created_by=superuser,
    )
    cache_set(
        import_progress_key(wordpress_import.pk),
        {"done_bytes": 1024, "total_bytes": 4096, "counts": {"post": 12, "comment": 3}},
        60,
    )

    state = client.get(progress_url(wordpress_import, "json")).json()
    page = client.get(progress_url(wordpress_import)).content.decode()

    assert state == {
        "status": "running",
        "status_label": "importing",
        "message": "Importing.",
        "is_finished": False,
        "done_bytes": 1024,
        "total_bytes": 4096,
        "bytes_label": "1.0\xa0KB of 4.0\xa0KB read",
        "counts": {"post": 12, "comment": 3},
    }
    assert 'max="4096"' in page
    assert 'value="1024"' in page
    assert "<li>Post: 12</li>" in page


def test_a_finished_import_is_not_followed_any_more(
    client, superuser, django_capture_on_commit_callbacks
):
    page = upload_and_run(client, django_capture_on_commit_callbacks, NOT_WXR).content.decode()

    assert "Reload this page" not in page
    assert "data-progress-url" not in page


@pytest.mark.parametrize("pk", [999, 10**30])
def test_an_import_that_does_not_exist_is_a_404(client, superuser, pk):
    for name in ("progress", "progress_json"):
        url = reverse(f"admin:wordpress_wordpressimport_{name}", args=[pk])

        assert client.get(url).status_code == 404


# Pictures


def test_pictures_come_from_the_zipped_uploads_folder_and_the_zip_is_not_kept(
    client, superuser, private_root, django_capture_on_commit_callbacks, tmp_path, monkeypatch
):
    monkeypatch.setattr(tempfile, "tempdir", str(tmp_path))  # to see what is left behind
    export = wxr(
        author(1, "alice"),
        item(
            20,
            post_type="attachment",
            title="A heron",
            meta={"_wp_attached_file": "2013/01/heron.jpg"},
        ),
        item(10, meta={"_thumbnail_id": "20"}),
    )
    zipped = make_zip({"wp-content/uploads/2013/01/heron.jpg": make_picture_bytes(800, 600)})

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            UPLOAD_URL,
            {
                "export": SimpleUploadedFile("export.xml", export.encode()),
                "uploads": SimpleUploadedFile("uploads.zip", zipped.getvalue()),
            },
        )

    assert response.status_code == 302
    wordpress_import = WordPressImport.objects.get()
    assert wordpress_import.status == WordPressImport.Status.DONE, wordpress_import.summary
    assert wordpress_import.summary["created"]["attachment"] == 1
    image = Post.objects.get().featured_image
    assert (image.width, image.height) == (800, 600)
    assert stored_private_files(private_root) == []
    assert not any(tmp_path.glob("tribune-wordpress-uploads-*"))
