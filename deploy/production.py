"""Tribune's production stack on this machine, in the foreground: `make production`.

    python deploy/production.py start   # set up, then nginx + two gunicorns + one db_worker
    python deploy/production.py stop    # stop what `start` started (make production-stop)

``start`` reads the environment and a local env file (``.env.production``, created once
with a random DJANGO_SECRET_KEY and the values a plain-HTTP run on 127.0.0.1 needs; the
environment wins over it), creates the PostgreSQL database if it is missing, migrates and
collects the static files (at once), loads the demo content when DEMO=1 and the database is
empty, then starts

- ``web-1`` and ``web-2``: gunicorn (deploy/gunicorn.conf.py) on 127.0.0.1:8081 and :8082,
- ``worker``: ``manage.py db_worker``,
- ``nginx``: deploy/nginx/tribune.conf on 127.0.0.1:8080 in front of both, with a config,
  prefix, pid file and temp folders of its own under the run folder (never the system's),

each in a session of its own, its pid recorded under the run folder (``run/`` in the
checkout). Ctrl+C, SIGTERM (make passes it on) or ``stop`` stops exactly those processes:
nginx first (no new requests), then the rest, each given time to finish what it is doing.
If nginx or an instance dies, the others are stopped too and ``start`` exits with an
error; the worker, which exits when the database goes away, is started again (as systemd's
``Restart=always`` does in production).

Only the standard library here: it runs before anything is known to be set up.
"""

import argparse
import contextlib
import logging
import os
import re
import secrets
import shutil
import signal
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path
from urllib.parse import unquote, urlsplit

ROOT = Path(__file__).resolve().parent.parent
DEPLOY = ROOT / "deploy"
SITE = DEPLOY / "nginx" / "tribune.conf"
DEFAULT_DATABASE_URL = "postgres://postgres@127.0.0.1:5432/tribune_production"
DEFAULT_REDIS_URL = "redis://127.0.0.1:6379/0"
# Stopping order: nginx first, so no request reaches an instance that is going away.
NAMES = ("nginx", "web-1", "web-2", "worker")
STOP_SECONDS = 40  # gunicorn's graceful_timeout is 30
WORKER = [sys.executable, "manage.py", "db_worker", "--queue-name", "*"]
# The task worker exits when the database goes away (django-tasks-db lets the error out);
# like systemd's Restart=always in deploy/systemd/tribune-worker.service, it is started
# again after this many seconds, while the database comes back.
WORKER_RESTART_SECONDS = 2


logger = logging.getLogger("production")


def log(message: str) -> None:
    logger.info(message)


# --- Environment -----------------------------------------------------------------------


def env_file_text(port: int) -> str:
    """A new local env file: a random key, and a plain-HTTP site on 127.0.0.1."""
    return f"""\
# Tribune's production settings for `make production` on this machine (not in git).
# Created once by deploy/production.py; the environment wins over anything here.
# Every variable is described in the README ("Deploying") and deploy/tribune.env.example.
DJANGO_SECRET_KEY={secrets.token_urlsafe(50)}
DJANGO_ALLOWED_HOSTS=127.0.0.1,localhost
DJANGO_SITE_URL=http://127.0.0.1:{port}
# Plain HTTP on this machine: no redirect to HTTPS, cookies not HTTPS-only, no HSTS.
DJANGO_SECURE_SSL_REDIRECT=0
DJANGO_SECURE_COOKIES=0
DJANGO_SECURE_HSTS_SECONDS=0
DJANGO_SECURE_PROXY_SSL_HEADER=1
# nginx alone in front: the client's address is the last one it adds to X-Forwarded-For.
DJANGO_TRUSTED_PROXIES=1
DJANGO_TASKS_BACKEND=django_tasks_db.DatabaseBackend
# No mail server here: e-mails are written to the worker's output.
DJANGO_EMAIL_BACKEND=django.core.mail.backends.console.EmailBackend
# DATABASE_URL={DEFAULT_DATABASE_URL}
# REDIS_URL={DEFAULT_REDIS_URL}
"""


def read_env_file(path: Path) -> dict[str, str]:
    values = {}
    for line in path.read_text().splitlines():
        line = line.strip()
        if not line or line.startswith("#") or "=" not in line:
            continue
        name, value = line.split("=", 1)
        value = value.strip()
        if len(value) >= 2 and value[0] == value[-1] and value[0] in "'\"":
            value = value[1:-1]
        values[name.strip()] = value
    return values


def production_env(env_file: Path, port: int) -> dict[str, str]:
    if not env_file.exists():
        env_file.write_text(env_file_text(port))
        env_file.chmod(0o600)
        log(f"created {env_file} with a new random DJANGO_SECRET_KEY")
    env = {**read_env_file(env_file), **os.environ}
    env.setdefault("DATABASE_URL", DEFAULT_DATABASE_URL)
    env.setdefault("REDIS_URL", DEFAULT_REDIS_URL)
    env["DJANGO_DEBUG"] = "0"
    env["PYTHONUNBUFFERED"] = "1"
    return env


def django_paths(env: dict[str, str]) -> dict[str, str]:
    """STATIC_ROOT, MEDIA_ROOT and REQUEST_MAX_BYTES as the settings work them out."""
    code = (
        "from django.conf import settings as s; "
        "print(s.STATIC_ROOT); print(s.MEDIA_ROOT); print(s.REQUEST_MAX_BYTES)"
    )
    result = subprocess.run(  # noqa: S603
        [sys.executable, "-c", code],
        cwd=ROOT,
        env={**env, "DJANGO_SETTINGS_MODULE": "config.settings"},
        capture_output=True,
        text=True,
        check=False,
    )
    if result.returncode:
        raise SystemExit(f"The settings do not load:\n{result.stderr}")
    static_root, media_root, body = result.stdout.splitlines()
    return {"static_root": static_root, "media_root": media_root, "body_bytes": body}


# --- Set-up ----------------------------------------------------------------------------


def nginx_binary(*, install: bool) -> str:
    found = shutil.which("nginx") or ("/usr/sbin/nginx" if Path("/usr/sbin/nginx").exists() else "")
    if found:
        return found
    if not install or os.geteuid() != 0 or not shutil.which("apt-get"):
        raise SystemExit(
            "nginx is not installed, and only root with apt-get can install it here: "
            "`apt-get install nginx` (Debian's package), then run this again."
        )
    log("installing nginx from Debian (apt-get)")
    apt = {**os.environ, "DEBIAN_FRONTEND": "noninteractive"}
    command = ["apt-get", "install", "-y", "-qq", "nginx"]
    if subprocess.run(command, env=apt, check=False).returncode:  # noqa: S603
        subprocess.run(["apt-get", "update", "-qq"], env=apt, check=True)  # noqa: S607
        subprocess.run(command, env=apt, check=True)  # noqa: S603
    return shutil.which("nginx") or "/usr/sbin/nginx"


def database_create(url: str) -> None:
    """Create the PostgreSQL database of ``url`` when it does not exist yet."""
    parts = urlsplit(url)
    if parts.scheme not in {"postgres", "postgresql", "pgsql"}:
        return
    # The venv's, needed only here.
    import psycopg
    from psycopg import sql

    name = unquote(parts.path.lstrip("/"))
    server = {
        "host": parts.hostname or "",
        "port": parts.port or 5432,
        "user": unquote(parts.username or ""),
        "password": unquote(parts.password or ""),
        "dbname": "postgres",
        "autocommit": True,
    }
    try:
        with psycopg.connect(**{k: v for k, v in server.items() if v != ""}) as connection:
            exists = connection.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name])
            if exists.fetchone() is None:
                connection.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))
                log(f"created the database {name}")
    except psycopg.Error as error:
        where = f"{parts.hostname or 'localhost'}:{parts.port or 5432}"
        raise SystemExit(f"PostgreSQL at {where} did not answer: {error}") from None


def manage(env: dict[str, str], *arguments: str) -> subprocess.Popen:
    return subprocess.Popen([sys.executable, "manage.py", *arguments], cwd=ROOT, env=env)  # noqa: S603


def set_up(env: dict[str, str]) -> None:
    database_create(env["DATABASE_URL"])
    log("migrating and collecting the static files")
    steps = [
        manage(env, "migrate", "--noinput", "-v", "1"),
        manage(env, "collectstatic", "--noinput", "-v", "0"),
    ]
    try:
        failed = [step.wait() for step in steps]
    finally:  # stopped meanwhile: they must not outlive us
        for step in steps:
            if step.poll() is None:
                step.terminate()
                step.wait()
    if any(failed):
        raise SystemExit("Set-up failed (see above).")
    if env.get("DEMO") == "1":
        empty = (
            "from accounts.models import User; from blog.models import Post; "
            "raise SystemExit(3 if User.objects.exists() or Post.objects.exists() else 0)"
        )
        if manage(env, "shell", "-c", empty).wait() == 0:
            log("DEMO=1 and the database is empty: loading the demo content")
            if manage(env, "seed_demo", "--allow-without-debug").wait():
                raise SystemExit("Loading the demo content failed (see above).")
        else:
            log("DEMO=1, but the database holds content already: no demo content loaded")


def nginx_site(*, listen: str, web_ports: list[int], paths: dict[str, str], run: Path) -> str:
    """deploy/nginx/tribune.conf with this machine's addresses and folders in place of the
    standard layout's. Each replaced line must be there exactly once."""
    text = SITE.read_text()
    upstream = "".join(
        f"    server 127.0.0.1:{port} max_fails=1 fail_timeout=5s;\n" for port in web_ports
    )
    replacements = [
        (
            "    server unix:/run/tribune/web-1.sock max_fails=1 fail_timeout=5s;\n"
            "    server unix:/run/tribune/web-2.sock max_fails=1 fail_timeout=5s;\n",
            upstream,
        ),
        ("listen 80;", f"listen {listen};"),
        ("server_name tribune.example.org;", "server_name 127.0.0.1 localhost;"),
        ("/var/log/nginx/tribune.access.log", str(run / "nginx" / "access.log")),
        ("client_max_body_size 22m;", f"client_max_body_size {paths['body_bytes']};"),
        ("/srv/tribune/media/", paths["media_root"].rstrip("/") + "/"),
    ]
    for old, new in replacements:
        if text.count(old) != 1:
            raise SystemExit(f"{SITE} no longer has {old!r} exactly once; update production.py")
        text = text.replace(old, new)
    static = "/srv/tribune/staticfiles/"
    if text.count(static) != 2:
        raise SystemExit(f"{SITE} no longer has {static!r} twice; update production.py")
    return text.replace(static, paths["static_root"].rstrip("/") + "/")


def nginx_main(run: Path) -> str:
    folder = run / "nginx"
    temp = "\n".join(
        f"    {kind}_temp_path {folder / kind};"
        for kind in ("client_body", "proxy", "fastcgi", "uwsgi", "scgi")
    )
    # As root, nginx's workers would become "nobody", who may not read the checkout.
    user = "user root;\n" if os.geteuid() == 0 else ""
    return f"""\
# Written by deploy/production.py for `make production`; not the system's nginx.
daemon off;
{user}worker_processes 2;
pid {folder / "nginx.pid"};
error_log stderr warn;
events {{
    worker_connections 512;
}}
http {{
    include /etc/nginx/mime.types;
    default_type application/octet-stream;
    sendfile on;
    server_tokens off;
{temp}
    include {folder / "tribune.conf"};
}}
"""


# --- Processes -------------------------------------------------------------------------


def start_time(pid: int) -> str | None:
    """The process's start time (clock ticks since boot), so that a pid file never names
    a process that merely took over a dead one's number."""
    try:
        stat = Path(f"/proc/{pid}/stat").read_text()
    except OSError:
        return None
    return stat.rsplit(")", 1)[1].split()[19]


class Recorded:
    """A process started here, with its pid file under the run folder."""

    def __init__(self, run: Path, name: str) -> None:
        self.name, self.path = name, run / f"{name}.pid"

    def write(self, pid: int) -> None:
        self.path.write_text(f"{pid} {start_time(pid)}\n")

    def pid(self) -> int | None:
        """The recorded process if it still runs (the same one), else None."""
        try:
            pid_text, started = self.path.read_text().split()
        except (OSError, ValueError):
            return None
        pid = int(pid_text)
        return pid if start_time(pid) == started else None

    def remove(self) -> None:
        self.path.unlink(missing_ok=True)


def stop_recorded(run: Path) -> list[str]:
    """Stop the processes whose pid files are under ``run`` (a supervisor that died left
    them behind), gently first. Returns the names stopped."""
    alive = {}
    for name in NAMES:
        record = Recorded(run, name)
        pid = record.pid()
        if pid is None:
            record.remove()
        else:
            alive[name] = (record, pid)
    for name, (_record, pid) in alive.items():
        with contextlib.suppress(ProcessLookupError):
            os.kill(pid, signal.SIGQUIT if name == "nginx" else signal.SIGTERM)
    deadline = time.monotonic() + STOP_SECONDS
    for _name, (record, pid) in alive.items():
        while record.pid() is not None and time.monotonic() < deadline:
            time.sleep(0.1)
        # Each was started in a session of its own: whatever is left in its process group
        # (the leader past the deadline, or children it left behind when it exited) goes.
        with contextlib.suppress(ProcessLookupError, PermissionError):
            os.killpg(pid, signal.SIGKILL)
        record.remove()
    return list(alive)


class Stack:
    def __init__(self, run: Path, env: dict[str, str]) -> None:
        self.run, self.env = run, env
        self.processes: dict[str, subprocess.Popen] = {}
        self.worker_exited_at = 0.0

    def spawn(self, name: str, command: list[str], **extra_env: str) -> None:
        process = subprocess.Popen(  # noqa: S603
            command, cwd=ROOT, env={**self.env, **extra_env}, start_new_session=True
        )
        self.processes[name] = process
        Recorded(self.run, name).write(process.pid)
        log(f"started {name} (pid {process.pid}): {' '.join(command[-3:])}")

    def start_app(self, web_ports: list[int]) -> None:
        for number, port in enumerate(web_ports, start=1):
            name = f"web-{number}"
            gunicorn = [sys.executable, "-m", "gunicorn", "-c", str(DEPLOY / "gunicorn.conf.py")]
            gunicorn += ["--bind", f"127.0.0.1:{port}", "config.wsgi"]
            workers = self.env.get("GUNICORN_WORKERS", "2")
            self.spawn(name, gunicorn, GUNICORN_NAME=f"tribune-{name}", GUNICORN_WORKERS=workers)
        self.spawn("worker", WORKER)

    def start_nginx(self, nginx: str) -> None:
        conf = self.run / "nginx" / "nginx.conf"
        self.spawn("nginx", [nginx, "-p", str(self.run / "nginx"), "-e", "stderr", "-c", str(conf)])

    def restart_worker(self) -> None:
        """Start the task worker again, a few seconds after it exited."""
        worker = self.processes.get("worker")
        if worker is None or worker.poll() is None:
            return
        now = time.monotonic()
        if not self.worker_exited_at:
            self.worker_exited_at = now
            log(f"worker exited with status {worker.returncode}; starting it again shortly")
        elif now - self.worker_exited_at >= WORKER_RESTART_SECONDS:
            self.worker_exited_at = 0.0
            self.spawn("worker", WORKER)

    def failed(self) -> str | None:
        """Why the stack cannot go on: nginx or an app instance exited."""
        for name, process in self.processes.items():
            if name == "worker":
                continue
            if process.poll() is not None:
                return f"{name} exited with status {process.returncode}"
        return None

    def stop(self) -> None:
        for name in NAMES:
            process = self.processes.get(name)
            if process and process.poll() is None:
                with contextlib.suppress(ProcessLookupError):
                    process.send_signal(signal.SIGQUIT if name == "nginx" else signal.SIGTERM)
        deadline = time.monotonic() + STOP_SECONDS
        for name in NAMES:
            process = self.processes.get(name)
            if process is None:
                continue
            try:
                process.wait(timeout=max(0.1, deadline - time.monotonic()))
            except subprocess.TimeoutExpired:
                log(f"{name} did not stop in time: killing it")
                with contextlib.suppress(ProcessLookupError):
                    os.killpg(process.pid, signal.SIGKILL)
                process.wait()
            # Its children too (gunicorn's workers, nginx's), should any outlive it.
            with contextlib.suppress(ProcessLookupError, PermissionError):
                os.killpg(process.pid, signal.SIGKILL)
            Recorded(self.run, name).remove()
            log(f"stopped {name}")


def wait_until_up(url: str, stack: Stack, seconds: float = 60) -> bool:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if stack.failed():
            return False
        with (
            contextlib.suppress(urllib.error.URLError, OSError),
            urllib.request.urlopen(url, timeout=2) as response,  # noqa: S310
        ):
            if response.status == 200:
                return True
        time.sleep(0.2)
    return False


# --- Commands --------------------------------------------------------------------------


class Stop(Exception):
    pass


def _stop_on_signal(signum, frame) -> None:
    raise Stop(signal.Signals(signum).name)


def command_start(options: argparse.Namespace) -> int:
    run = options.run_dir.resolve()
    (run / "nginx").mkdir(parents=True, exist_ok=True)
    me = Recorded(run, "production")
    if me.pid() is not None:
        log(f"already running (pid {me.pid()}); `make production-stop` stops it")
        return 1
    left = stop_recorded(run)
    if left:
        log(f"stopped {', '.join(left)}, left running by an earlier run")
    me.write(os.getpid())
    for signum in (signal.SIGINT, signal.SIGTERM, signal.SIGHUP):
        signal.signal(signum, _stop_on_signal)
    stack = Stack(run, {})
    try:
        nginx = nginx_binary(install=not options.no_install)
        env = production_env(options.env_file, options.port)
        stack.env = env
        set_up(env)
        paths = django_paths(env)
        listen = f"127.0.0.1:{options.port}"
        site = nginx_site(listen=listen, web_ports=options.web_ports, paths=paths, run=run)
        (run / "nginx" / "tribune.conf").write_text(site)
        (run / "nginx" / "nginx.conf").write_text(nginx_main(run))
        test = [nginx, "-t", "-q", "-p", str(run / "nginx"), "-e", "stderr"]
        if subprocess.run([*test, "-c", str(run / "nginx" / "nginx.conf")], check=False).returncode:  # noqa: S603
            raise SystemExit("nginx refuses its configuration (see above).")
        stack.start_app(options.web_ports)
        # nginx last, once each instance answers, so its first requests find them.
        for url in [f"http://127.0.0.1:{port}/healthz" for port in options.web_ports]:
            if not wait_until_up(url, stack):
                raise SystemExit(stack.failed() or f"{url} did not answer 200")
        stack.start_nginx(nginx)
        if not wait_until_up(f"http://{listen}/healthz", stack):
            raise SystemExit(stack.failed() or f"http://{listen}/healthz did not answer 200")
        log(f"Tribune is up at http://{listen}/ (Ctrl+C or `make production-stop` stops it)")
        while not (failure := stack.failed()):
            stack.restart_worker()
            time.sleep(0.5)
        log(f"{failure}: stopping the rest")
        return 1
    except Stop as stop:
        log(f"{stop}: stopping")
        return 0
    except SystemExit as exit_:
        if isinstance(exit_.code, str):
            log(exit_.code)
        return 1
    finally:
        signal.signal(signal.SIGINT, signal.SIG_IGN)
        signal.signal(signal.SIGTERM, signal.SIG_IGN)
        stack.stop()
        me.remove()


def command_stop(options: argparse.Namespace) -> int:
    run = options.run_dir.resolve()
    me = Recorded(run, "production")
    pid = me.pid()
    if pid is not None:
        log(f"stopping make production (pid {pid})")
        os.kill(pid, signal.SIGTERM)
        deadline = time.monotonic() + STOP_SECONDS + 10
        while me.pid() is not None and time.monotonic() < deadline:
            time.sleep(0.2)
    if me.pid() is None:  # gone, or killed before it could remove its own pid file
        me.remove()
    left = stop_recorded(run)
    if left:
        log(f"stopped {', '.join(left)}")
    if pid is None and not left:
        log("nothing was running")
    return 0


def port_list(text: str) -> list[int]:
    if not re.fullmatch(r"\d+(,\d+)+", text):
        raise argparse.ArgumentTypeError("two or more ports, comma-separated: 8081,8082")
    return [int(port) for port in text.split(",")]


def main(argv: list[str] | None = None) -> int:
    logging.basicConfig(
        stream=sys.stderr, level=logging.INFO, format="[production] %(message)s", force=True
    )
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("command", choices=["start", "stop"])
    parser.add_argument("--run-dir", type=Path, default=ROOT / "run", help="pid files, nginx")
    parser.add_argument("--env-file", type=Path, default=ROOT / ".env.production")
    parser.add_argument("--port", type=int, default=int(os.environ.get("PRODUCTION_PORT", 8080)))
    parser.add_argument(
        "--web-ports",
        type=port_list,
        default=port_list(os.environ.get("PRODUCTION_WEB_PORTS", "8081,8082")),
        help="the gunicorn instances' ports",
    )
    parser.add_argument("--no-install", action="store_true", help="never apt-get nginx")
    options = parser.parse_args(argv)
    if options.command == "start":
        return command_start(options)
    return command_stop(options)


if __name__ == "__main__":
    sys.exit(main())
