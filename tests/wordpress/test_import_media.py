"""Pictures from the uploads folder: attachments, featured images and the pictures bodies
use; a missing file is reported and the post comes in without it; nothing is left behind by
an import that rolls back."""

import io

import pytest
from django.core.management import CommandError, call_command

from blog.models import Image, Post
from tests.factories import make_picture_bytes
from tests.wordpress.wxr_files import author, item, write, wxr
from wordpress.models import ImportedObject

pytestmark = pytest.mark.django_db

UPLOADS = "http://example.org/wp-content/uploads"


@pytest.fixture
def uploads(tmp_path):
    folder = tmp_path / "uploads"
    (folder / "2013/01").mkdir(parents=True)
    (folder / "2013/01/harbour.jpg").write_bytes(make_picture_bytes())
    (folder / "2013/01/inline.png").write_bytes(make_picture_bytes(300, 200, "PNG"))
    return folder


def attachment(post_id: int, name: str, *, alt: str = "", caption: str = "") -> str:
    return item(
        post_id,
        title=name.rsplit(".", 1)[0],
        post_type="attachment",
        status="inherit",
        excerpt=caption,
        link=f"?attachment_id={post_id}",
        meta={"_wp_attached_file": f"2013/01/{name}", "_wp_attachment_image_alt": alt},
    ).replace(
        "</wp:post_type>",
        f"</wp:post_type><wp:attachment_url>{UPLOADS}/2013/01/{name}</wp:attachment_url>",
        1,
    )


BODY = (
    f'<p>Look: <img src="{UPLOADS}/2013/01/inline.png" alt="Inline"></p>'
    f'<p>Gone: <img src="{UPLOADS}/2013/01/missing.jpg" alt="Missing"></p>'
)


def export() -> str:
    # The post comes before its featured image's attachment, as it may in a real export.
    return wxr(
        author(1, "alice"),
        item(10, content=BODY, meta={"_thumbnail_id": "50"}),
        attachment(50, "harbour.jpg", alt="The harbour at dawn", caption="Early boats"),
        attachment(51, "absent.jpg"),
    )


def run(path, *args) -> str:
    out = io.StringIO()
    call_command("import_wordpress", str(path), *args, stdout=out)
    return out.getvalue()


def test_pictures_come_from_the_uploads_folder(tmp_path, uploads, stored_files):
    out = run(write(tmp_path, export()), "--media-dir", str(uploads))

    post = Post.objects.get()
    harbour = ImportedObject.objects.target("attachment", "50")
    assert (harbour.alt_text, harbour.caption) == ("The harbour at dawn", "Early boats")
    assert post.featured_image == harbour
    inline = Image.objects.exclude(pk=harbour.pk).get()
    assert f'src="{inline.file.url}"' in post.body
    assert "missing.jpg" not in post.body
    assert Image.objects.count() == 2
    assert harbour.renditions
    assert any(name.startswith("images/") for name in stored_files())
    assert "Created: 1 author, 1 post, 2 images." in out
    assert (
        "  picture 2013/01/missing.jpg “Post 10”: "
        "“2013/01/missing.jpg” is not in the uploads folder." in out
    )
    assert "  attachment 51 “absent”: “2013/01/absent.jpg” is not in the uploads folder." in out


def test_a_second_run_with_the_pictures_imports_none_again(tmp_path, uploads, stored_files):
    path = write(tmp_path, export())
    run(path, "--media-dir", str(uploads))
    files = stored_files()

    out = run(path, "--media-dir", str(uploads))

    assert Image.objects.count() == 2
    assert stored_files() == files
    assert "Created: nothing." in out


def test_the_pictures_come_with_a_later_run_that_has_the_uploads_folder(tmp_path, uploads):
    path = write(tmp_path, export())
    run(path)  # the folder forgotten
    run(path, "--media-dir", str(uploads))

    post = Post.objects.get()
    assert post.featured_image == ImportedObject.objects.target("attachment", "50")
    assert "inline" in post.body
    out = run(path)  # and forgotten again: nothing is taken away
    post.refresh_from_db()
    assert post.featured_image is not None
    assert "inline" in post.body
    assert "Created: nothing." in out


def test_without_an_uploads_folder_posts_come_without_pictures(tmp_path):
    out = run(write(tmp_path, export()))

    post = Post.objects.get()
    assert post.featured_image is None
    assert "<img" not in post.body
    assert Image.objects.count() == 0
    assert "attachment 50 “harbour”: no uploads folder was given (--media-dir)" in out


def test_a_dry_run_leaves_no_file_behind(tmp_path, uploads, stored_files):
    run(write(tmp_path, export()), "--media-dir", str(uploads), "--dry-run")

    assert Image.objects.count() == 0
    assert stored_files() == []


def test_a_failed_import_leaves_no_file_behind(tmp_path, uploads, stored_files):
    text = export()
    cut = text[: text.index("</channel>") - 20]  # the pictures are in; the end is not

    with pytest.raises(CommandError, match="The file stops part-way through"):
        run(write(tmp_path, cut), "--media-dir", str(uploads))

    assert Image.objects.count() == 0
    assert stored_files() == []
