"""django-comments-xtd 2.10 as the bench's peer, built in the same run.

``thread_bench.py --xtd`` calls :func:`build`: it creates a throwaway virtualenv in the
bench's temporary directory (``python -m venv`` + pip from the package index), installs
django-comments-xtd 2.10 with the Django it supports and the gunicorn Tribune uses, writes
a minimal Django project next to it (settings, urls, an ``articles`` app whose detail page
renders the comment form and the whole thread with ``render_xtdcomment_tree``, as xtd's
tutorial shows) and loads the discussions the bench generated for Tribune, exported to
JSON, through xtd's own ``XtdComment.save()`` so thread ids, order and levels are xtd's.
Nothing of it is a dependency of the project and nothing of it lands in the repository:
the whole tree is deleted with the bench's temporary directory.
"""

from __future__ import annotations

import json
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

XTD_REQUIREMENT = "django-comments-xtd>=2.10,<2.11"
# xtd 2.10's tox matrix runs Python 3.13 with Django 5.0-5.2; 5.2 is the LTS of those.
DJANGO_REQUIREMENT = "Django>=5.2,<5.3"
MAX_THREAD_LEVEL = 4  # Tribune's depths 0-4 (bench MAX_DEPTH - 1)

SETTINGS = """\
import os
from pathlib import Path

BASE_DIR = Path(__file__).resolve().parent
SECRET_KEY = os.environ["XTD_SECRET_KEY"]
DEBUG = False
ALLOWED_HOSTS = ["127.0.0.1", "localhost", "testserver"]
INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.sites",
    "django_comments_xtd",
    "django_comments",
    "articles",
]
MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
]
ROOT_URLCONF = "urls"
TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
            ]
        },
    }
]
WSGI_APPLICATION = "wsgi.application"
DATABASES = {
    "default": {"ENGINE": "django.db.backends.sqlite3", "NAME": os.environ["XTD_DATABASE"]}
}
# Nothing is cached: xtd renders the tree on every request, as it does out of the box.
CACHES = {"default": {"BACKEND": "django.core.cache.backends.dummy.DummyCache"}}
USE_TZ = True
TIME_ZONE = "UTC"
STATIC_URL = "/static/"
DEFAULT_AUTO_FIELD = "django.db.models.AutoField"
SITE_ID = 1
COMMENTS_APP = "django_comments_xtd"
COMMENTS_XTD_MAX_THREAD_LEVEL = %(max_level)d
COMMENTS_XTD_CONFIRM_EMAIL = False
COMMENTS_XTD_APP_MODEL_OPTIONS = {
    "articles.article": {"allow_flagging": True, "allow_feedback": False, "show_feedback": False}
}
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
LOGGING = {"version": 1, "root": {"level": "ERROR"}}
"""

URLS = """\
from django.urls import include, path

from articles.views import ArticleDetail

urlpatterns = [
    path("articles/<slug:slug>/", ArticleDetail.as_view(), name="article-detail"),
    path("comments/", include("django_comments_xtd.urls")),
]
"""

WSGI = """\
import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "settings")
application = get_wsgi_application()
"""

MODELS = """\
from django.db import models
from django.urls import reverse


class Article(models.Model):
    title = models.CharField(max_length=200)
    slug = models.SlugField(unique=True)
    body = models.TextField()
    publish = models.DateTimeField()
    allow_comments = models.BooleanField(default=True)

    def get_absolute_url(self):
        return reverse("article-detail", kwargs={"slug": self.slug})
"""

VIEWS = """\
from django.views.generic import DetailView

from articles.models import Article


class ArticleDetail(DetailView):
    model = Article
"""

# xtd's tutorial (docs/tutorial.rst, "blog/post_detail.html"): the article, the comment
# count, the comment form and the whole tree through render_xtdcomment_tree.
TEMPLATE = """\
{% load comments %}{% load comments_xtd %}<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<title>{{ object.title }}</title>
<link rel="stylesheet" href="/static/css/bootstrap.min.css">
</head>
<body>
<div class="container">
<div class="pb-3">
  <h1 class="page-header text-center">{{ object.title }}</h1>
  <p class="small text-center">{{ object.publish|date:"l, j F Y" }}</p>
</div>
<div>{{ object.body|safe }}</div>
{% get_comment_count for object as comment_count %}
<div class="py-4 text-center">
  {{ comment_count }} comment{{ comment_count|pluralize }}
  ha{{ comment_count|pluralize:"s,ve" }} been posted.
</div>
{% if object.allow_comments %}
<div class="comment mt-3 mb-5">
  <h4 class="text-center mb-4">Your comment</h4>
  <div class="card pt-4">{% render_comment_form for object %}</div>
</div>
{% endif %}
{% if comment_count %}
<ul class="media-list">
  {% render_xtdcomment_tree for object allow_flagging %}
</ul>
{% endif %}
</div>
</body>
</html>
"""

# Run with the peer's own python: loads each exported discussion through xtd's models.
LOADER = """\
import json
import os
import sys
from datetime import datetime

import django

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "settings")
django.setup()

from django.contrib.auth import get_user_model
from django.contrib.contenttypes.models import ContentType
from django.contrib.sites.models import Site
from django.db import transaction

from articles.models import Article
from django_comments_xtd.models import XtdComment

site = Site.objects.get(pk=1)
site.domain = site.name = "127.0.0.1"
site.save()
User = get_user_model()
users = {}
for path in sys.argv[1:]:
    data = json.loads(open(path, encoding="utf-8").read())
    with transaction.atomic():
        article = Article.objects.create(
            title=data["title"],
            slug=data["slug"],
            body=data["body"],
            publish=datetime.fromisoformat(data["published_at"]),
        )
        content_type = ContentType.objects.get_for_model(Article)
        ids = []
        for c in data["comments"]:
            user = None
            if c["username"]:
                user = users.get(c["username"])
                if user is None:
                    user = users[c["username"]] = User.objects.create(
                        username=c["username"], email=c["email"], first_name=c["name"]
                    )
            comment = XtdComment(
                content_type=content_type,
                object_pk=str(article.pk),
                site=site,
                user=user,
                user_name=c["name"],
                user_email=c["email"],
                comment=c["body"],
                submit_date=datetime.fromisoformat(c["created_at"]),
                is_public=c["public"],
                is_removed=c["removed"],
                parent_id=0 if c["parent"] is None else ids[c["parent"]],
            )
            comment.save()
            ids.append(comment.pk)
    print(article.get_absolute_url())
"""


@dataclass
class Peer:
    """The built project: where it lives, its interpreter, and each N's page path."""

    root: Path
    python: Path
    env: dict[str, str]
    paths: dict[int, str]
    versions: str

    @property
    def gunicorn(self) -> Path:
        return self.python.parent / "gunicorn"


def export_discussion(post_pk: int) -> dict:
    """The bench's generated discussion, read back from Tribune's database, as plain data
    in the order it was written (a parent always precedes its replies)."""
    from blog.models import Post
    from comments.models import Comment

    post = Post.objects.get(pk=post_pk)
    rows = list(Comment.objects.filter(post=post).select_related("user").order_by("pk"))
    index = {row.pk: i for i, row in enumerate(rows)}
    status = Comment.Status
    return {
        "title": post.title,
        "slug": post.slug,
        "body": post.body,
        "published_at": post.published_at.isoformat(),
        "comments": [
            {
                "parent": None if row.parent_id is None else index[row.parent_id],
                "username": row.user.username if row.user else None,
                "name": row.user.display_name if row.user else row.guest_name,
                "email": row.user.email if row.user else row.guest_email,
                "body": row.body,
                "public": row.status in (status.PUBLISHED, status.HIDDEN),
                "removed": row.status == status.HIDDEN,
                "created_at": row.created_at.isoformat(),
            }
            for row in rows
        ],
    }


def _run(command: list[str], *, cwd: Path, env: dict[str, str] | None = None) -> str:
    done = subprocess.run(  # noqa: S603
        command, cwd=cwd, env=env, capture_output=True, text=True, check=False
    )
    if done.returncode:
        raise RuntimeError(f"{' '.join(command)} failed:\n{done.stdout}\n{done.stderr}"[-4000:])
    return done.stdout


def build(root: Path, discussions: dict[int, dict], *, gunicorn_version: str) -> Peer:
    """Create the virtualenv and the project under ``root`` and load ``discussions``
    (N -> exported discussion). Raises RuntimeError with pip's or Django's output."""
    root.mkdir(parents=True)
    _run([sys.executable, "-m", "venv", str(root / "venv")], cwd=root)
    python = root / "venv" / "bin" / "python"
    _run(
        [
            str(python),
            "-m",
            "pip",
            "install",
            "--quiet",
            "--disable-pip-version-check",
            XTD_REQUIREMENT,
            DJANGO_REQUIREMENT,
            f"gunicorn=={gunicorn_version}",
        ],
        cwd=root,
    )
    project = root / "project"
    (project / "articles").mkdir(parents=True)
    (project / "templates" / "articles").mkdir(parents=True)
    (project / "settings.py").write_text(SETTINGS % {"max_level": MAX_THREAD_LEVEL})
    (project / "urls.py").write_text(URLS)
    (project / "wsgi.py").write_text(WSGI)
    (project / "load.py").write_text(LOADER)
    (project / "articles" / "__init__.py").write_text("")
    (project / "articles" / "models.py").write_text(MODELS)
    (project / "articles" / "views.py").write_text(VIEWS)
    (project / "templates" / "articles" / "article_detail.html").write_text(TEMPLATE)
    env = {
        "PATH": "/usr/bin:/bin",
        "DJANGO_SETTINGS_MODULE": "settings",
        "PYTHONPATH": str(project),
        "XTD_SECRET_KEY": "bench-only-" + "x" * 40,
        "XTD_DATABASE": str(root / "xtd.sqlite3"),
    }
    manage = [str(python), "-m", "django"]
    _run([*manage, "migrate", "--run-syncdb", "--verbosity", "0"], cwd=project, env=env)
    files = []
    for n, data in discussions.items():
        path = root / f"n{n}.json"
        path.write_text(json.dumps(data))
        files.append((n, path))
    out = _run([str(python), "load.py", *(str(p) for _n, p in files)], cwd=project, env=env)
    paths = dict(zip([n for n, _p in files], out.split(), strict=True))
    versions = _run(
        [
            str(python),
            "-c",
            "from importlib.metadata import version as v; "
            "print(f\"django-comments-xtd {v('django-comments-xtd')}, Django {v('Django')}\")",
        ],
        cwd=project,
        env=env,
    ).strip()
    return Peer(root=project, python=python, env=env, paths=paths, versions=versions)
