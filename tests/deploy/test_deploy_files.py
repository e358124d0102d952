"""What an operator installs from deploy/ agrees with the settings and the README."""

import re
from pathlib import Path

import pytest
from django.conf import settings

from tests.config.test_settings import _settings

ROOT = Path(__file__).resolve().parents[2]
DEPLOY = ROOT / "deploy"
NGINX_UNITS = {"k": 1024, "m": 1024 * 1024, "g": 1024 * 1024 * 1024}


def _nginx_size(value: str) -> int:
    number, unit = re.fullmatch(r"(\d+)([kmgKMG]?)", value).groups()
    return int(number) * NGINX_UNITS.get(unit.lower(), 1)


def test_nginx_takes_the_same_largest_body_as_django():
    site = (DEPLOY / "nginx" / "tribune.conf").read_text()

    [size] = re.findall(r"^\s*client_max_body_size\s+(\S+);", site, flags=re.MULTILINE)

    assert _nginx_size(size) == settings.REQUEST_MAX_BYTES
    # The default, from a fresh start with nothing set.
    assert _settings("settings.REQUEST_MAX_BYTES", DJANGO_DEBUG="1") == str(_nginx_size(size))


def test_the_nginx_site_passes_client_addresses_and_the_scheme():
    site = (DEPLOY / "nginx" / "tribune.conf").read_text()

    assert "proxy_set_header X-Forwarded-For $proxy_add_x_forwarded_for;" in site
    assert "proxy_set_header X-Forwarded-Proto $scheme;" in site
    assert "proxy_set_header Host $host;" in site


def _settings_variables() -> set[str]:
    text = (ROOT / "config" / "settings.py").read_text()
    return set(re.findall(r'"((?:DJANGO|DATABASE|REDIS)_[A-Z0-9_]+)"', text))


def test_every_variable_is_in_the_env_template():
    template = (DEPLOY / "tribune.env.example").read_text()
    listed = set(re.findall(r"^#? ?([A-Z][A-Z0-9_]+)=", template, flags=re.MULTILINE))

    assert len(_settings_variables()) > 30
    assert _settings_variables() - listed == set()


def test_every_variable_is_in_the_readme_table():
    readme = (ROOT / "README.md").read_text()
    rows = [line for line in readme.splitlines() if line.startswith("| `")]
    listed = set(re.findall(r"`([A-Z][A-Z0-9_]+)`", "\n".join(rows)))

    assert _settings_variables() - listed == set()


@pytest.mark.parametrize("unit", ["tribune-web@.service", "tribune-worker.service"])
def test_the_systemd_units_run_what_the_checkout_has(unit):
    text = (DEPLOY / "systemd" / unit).read_text()
    [command] = re.findall(r"^ExecStart=(.+)$", text, flags=re.MULTILINE)

    assert "EnvironmentFile=/etc/tribune/tribune.env" in text
    if "gunicorn" in command:
        assert "-c deploy/gunicorn.conf.py" in command
        assert (DEPLOY / "gunicorn.conf.py").exists()
        assert "config.wsgi" in command
        assert "ExecReload=/bin/kill -HUP $MAINPID" in text
    else:
        assert "manage.py db_worker" in command


def test_the_gunicorn_config_loads():
    values: dict = {}
    exec((DEPLOY / "gunicorn.conf.py").read_text(), values)  # noqa: S102

    assert values["workers"] >= 1
    assert values["accesslog"] is None  # the app logs each request itself
    assert values["preload_app"] is False  # so HUP loads new code
