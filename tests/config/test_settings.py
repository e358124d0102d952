"""Settings read from the environment, checked in a fresh interpreter each time."""

import os
import subprocess
import sys
from pathlib import Path

from config.settings import code_release

ROOT = Path(__file__).resolve().parents[2]

PRODUCTION = {
    "DJANGO_SECRET_KEY": "a-long-random-production-secret-0123456789-abcdefghijklmnop",
    "DJANGO_ALLOWED_HOSTS": "tribune.example.org",
}


def _run(code: str, **env: str) -> subprocess.CompletedProcess:
    clean = {k: v for k, v in os.environ.items() if not k.startswith("DJANGO_")}
    clean.pop("DATABASE_URL", None)
    clean.pop("REDIS_URL", None)
    return subprocess.run(  # noqa: S603
        [sys.executable, "-c", code],
        cwd=ROOT,
        env={**clean, "DJANGO_SETTINGS_MODULE": "config.settings", **env},
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )


def _settings(expression: str, **env: str) -> str:
    result = _run(f"from django.conf import settings; print({expression})", **env)
    assert result.returncode == 0, result.stderr
    return result.stdout.strip()


def test_debug_is_off_unless_asked_for():
    assert _settings("settings.DEBUG", **PRODUCTION) == "False"
    assert _settings("settings.DEBUG", DJANGO_DEBUG="1") == "True"


def test_missing_secret_key_without_debug_stops_start_up_clearly():
    result = _run("from django.conf import settings; settings.SECRET_KEY")

    assert result.returncode != 0
    assert "DJANGO_SECRET_KEY is not set" in result.stderr


def test_database_url_selects_postgresql():
    engine = _settings(
        "settings.DATABASES['default']['ENGINE']",
        DJANGO_DEBUG="1",
        DATABASE_URL="postgres://postgres@127.0.0.1:5432/tribune",
    )

    assert engine == "django.db.backends.postgresql"


def test_default_database_is_sqlite_file_in_the_project():
    name = _settings("settings.DATABASES['default']['NAME']", DJANGO_DEBUG="1")

    assert name == str(ROOT / "db.sqlite3")


def test_redis_url_selects_the_shared_cache():
    backend = _settings(
        "settings.CACHES['default']['BACKEND']", DJANGO_DEBUG="1", REDIS_URL="redis://x:6379/0"
    )

    assert backend == "django.core.cache.backends.redis.RedisCache"


def test_cache_keys_carry_the_release_named_by_the_deploy():
    prefix = _settings(
        "settings.CACHES['default']['KEY_PREFIX']",
        DJANGO_DEBUG="1",
        REDIS_URL="redis://x:6379/0",
        DJANGO_CACHE_PREFIX="news",
        DJANGO_RELEASE="4f2a9c1",
    )

    assert prefix == "news:4f2a9c1"


def test_without_a_named_release_cache_keys_carry_a_digest_of_the_code():
    prefix = _settings(
        "settings.CACHES['default']['KEY_PREFIX']", DJANGO_DEBUG="1", REDIS_URL="redis://x:6379/0"
    )

    assert prefix == f"tribune:{code_release(ROOT)}"


def test_the_code_digest_changes_with_a_template_and_nothing_else(tmp_path):
    for folder in ("accounts", "blog", "comments", "config", "core", "templates"):
        (tmp_path / folder).mkdir()
    (tmp_path / "blog/views.py").write_text("def view(): ...\n")
    template = tmp_path / "templates/post.html"
    template.write_text("<h1>{{ post.title }}</h1>\n")
    before = code_release(tmp_path)
    (tmp_path / "db.sqlite3").write_bytes(b"data")  # not code
    (tmp_path / "templates/notes.md").write_text("not drawn")

    assert code_release(tmp_path) == before

    template.write_text("<h1 class=title>{{ post.title }}</h1>\n")

    assert code_release(tmp_path) != before


def test_a_cache_that_does_not_answer_in_half_a_second_counts_as_down():
    options = _settings(
        "settings.CACHES['default']['OPTIONS']", DJANGO_DEBUG="1", REDIS_URL="redis://x:6379/0"
    )

    assert options == "{'socket_connect_timeout': 0.5, 'socket_timeout': 0.5}"


def test_production_uses_hashed_compressed_static_files():
    backend = _settings("settings.STORAGES['staticfiles']['BACKEND']", **PRODUCTION)

    assert backend == "core.staticfiles.MinifiedManifestStaticFilesStorage"


def test_bad_number_in_environment_is_reported_by_name():
    result = _run(
        "from django.conf import settings; settings.DEBUG",
        DJANGO_DEBUG="1",
        DJANGO_CONN_MAX_AGE="forever",
    )

    assert result.returncode != 0
    assert "DJANGO_CONN_MAX_AGE must be a whole number" in result.stderr


def test_deploy_check_passes_with_production_values():
    result = subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        cwd=ROOT,
        env={
            **{k: v for k, v in os.environ.items() if not k.startswith("DJANGO_")},
            **PRODUCTION,
        },
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )

    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout


def test_private_files_go_to_a_folder_outside_the_media(tmp_path):
    location = _settings(
        "settings.STORAGES['private']['OPTIONS']['location']",
        DJANGO_DEBUG="1",
        DJANGO_MEDIA_ROOT=str(tmp_path / "media"),
        DJANGO_PRIVATE_ROOT=str(tmp_path / "private"),
    )

    assert location == str(tmp_path / "private")
    assert _settings("settings.STORAGES['private']['OPTIONS']['location']", DJANGO_DEBUG="1") == (
        str(ROOT / "private")
    )


def test_a_private_folder_inside_the_public_media_stops_start_up_clearly(tmp_path):
    result = _run(
        "from django.conf import settings; settings.STORAGES",
        DJANGO_DEBUG="1",
        DJANGO_MEDIA_ROOT=str(tmp_path / "media"),
        DJANGO_PRIVATE_ROOT=str(tmp_path / "media" / "private"),
    )

    assert result.returncode != 0
    assert "is inside DJANGO_MEDIA_ROOT, which is public" in result.stderr
