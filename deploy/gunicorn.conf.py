"""gunicorn settings for Tribune's app instances.

    gunicorn -c deploy/gunicorn.conf.py --bind unix:/run/tribune/web-1.sock config.wsgi

systemd starts it so (deploy/systemd/tribune-web@.service), and `make production` twice on
local ports (deploy/production.py). The command line's --bind wins over the one here.
Reload without dropping a request: `kill -HUP <master>` starts new workers with the new
code and lets the old ones finish what they are answering.
"""

import os

bind = os.environ.get("GUNICORN_BIND", "unix:/run/tribune/web.sock")
# Sync workers: a page is rendered in milliseconds and the slow parts (e-mail) are tasks.
# Two a core is plenty; each instance on a machine of its own may take more.
workers = int(os.environ.get("GUNICORN_WORKERS", 2 * (os.cpu_count() or 1)))
worker_class = "sync"
# A request taking longer than this is stuck: the worker is restarted.
timeout = int(os.environ.get("GUNICORN_TIMEOUT", 30))
# On SIGTERM or HUP, workers have this long to finish the request they are answering.
graceful_timeout = 30
keepalive = 5
# Recycle each worker now and then, so a slow leak never grows; jitter, so they don't
# all restart at once.
max_requests = 2000
max_requests_jitter = 200
# The app writes one JSON line per request itself (config.middleware.request_logged), with
# its request id; gunicorn's own access log would only repeat it.
accesslog = None
errorlog = "-"
loglevel = "warning"
# Not preloaded, so HUP loads the new code in the new workers.
preload_app = False
# The workers' heartbeat files in memory, never on a slow or full disk.
worker_tmp_dir = "/dev/shm" if os.path.isdir("/dev/shm") else None  # noqa: S108
# Requests come only through nginx, on this machine.
forwarded_allow_ips = os.environ.get("GUNICORN_FORWARDED_ALLOW_IPS", "127.0.0.1,::1")
proc_name = os.environ.get("GUNICORN_NAME", "tribune-web")
