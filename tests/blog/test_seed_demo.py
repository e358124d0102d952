import pytest
from django.core.management import CommandError, call_command
from django.http import HttpRequest

from accounts.demo import DEMO_LOGINS
from accounts.models import User

pytestmark = pytest.mark.django_db


def test_seed_demo_creates_one_login_per_role_and_prints_them(client, capsys):
    call_command("seed_demo", allow_without_debug=True)

    out = capsys.readouterr().out
    for login in DEMO_LOGINS:
        assert f"{login.username} / {login.password}" in out
        assert client.login(request=HttpRequest(), username=login.username, password=login.password)
    assert User.objects.get(username="editor").groups.filter(name="Editors").exists()
    assert User.objects.get(username="moderator").groups.filter(name="Moderators").exists()
    assert not User.objects.get(username="reader").is_staff
    contributor = User.objects.get(username="contributor")
    assert contributor.groups.filter(name="Contributors").exists()
    assert contributor.is_staff


def test_seed_demo_can_run_twice_without_duplicates(client):
    call_command("seed_demo", allow_without_debug=True)
    people = User.objects.count()
    reader = User.objects.get(username="reader")
    reader.set_password("changed-by-someone")
    reader.save()

    call_command("seed_demo", allow_without_debug=True)

    assert User.objects.count() == people
    assert client.login(request=HttpRequest(), username="reader", password="tribune-reader")


def test_seed_demo_refuses_without_debug(settings):
    settings.DEBUG = False

    with pytest.raises(CommandError, match="only runs with DJANGO_DEBUG=1"):
        call_command("seed_demo")

    assert not User.objects.exists()
