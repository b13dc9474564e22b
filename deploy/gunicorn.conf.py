"""gunicorn settings for promzona (``gunicorn -c deploy/gunicorn.conf.py promzona.wsgi``).

``PROMZONA_BIND`` (``127.0.0.1:8000``), ``WEB_CONCURRENCY`` (worker processes, 3) and
``PROMZONA_THREADS`` (threads per worker, 4) size it; anything else can be given on the command
line or in ``GUNICORN_CMD_ARGS``. Metrics of every worker process are gathered in
``PROMETHEUS_MULTIPROC_DIR`` (``$PROMZONA_VAR_DIR/prometheus``), emptied at start.
"""

import os
import shutil
from pathlib import Path

_var = Path(os.environ.get("PROMZONA_VAR_DIR", Path.cwd() / "var")).resolve()
os.environ.setdefault("PROMETHEUS_MULTIPROC_DIR", str(_var / "prometheus"))

wsgi_app = "promzona.wsgi"
bind = os.environ.get("PROMZONA_BIND", "127.0.0.1:8000")
workers = int(os.environ.get("WEB_CONCURRENCY", "3"))
worker_class = "gthread"
threads = int(os.environ.get("PROMZONA_THREADS", "4"))
# A request longer than this is stuck (imports and reports run on the worker, not here).
timeout = 60
graceful_timeout = 30
keepalive = 5
# Recycle workers now and then (no leak can grow for ever); the jitter keeps them apart.
max_requests = 2000
max_requests_jitter = 200
# Only the local reverse proxy may say the request came over HTTPS.
forwarded_allow_ips = os.environ.get("PROMZONA_TRUSTED_PROXIES") or "127.0.0.1,::1"

accesslog = "-"
access_log_format = '%(h)s "%(r)s" %(s)s %(b)s %(M)sms'
logconfig_dict = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"json": {"()": "pythonjsonlogger.json.JsonFormatter",
                            "fmt": "%(levelname)s %(name)s %(process)d %(message)s", "timestamp": True,
                            "rename_fields": {"levelname": "level", "name": "logger"}}},
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": "json"}},
    "loggers": {"gunicorn.error": {"handlers": ["console"], "level": "INFO", "propagate": False},
                "gunicorn.access": {"handlers": ["console"], "level": "INFO",
                                    "propagate": False}},
}


def on_starting(server):
    path = Path(os.environ["PROMETHEUS_MULTIPROC_DIR"])
    shutil.rmtree(path, ignore_errors=True)
    path.mkdir(parents=True)


def child_exit(server, worker):
    from prometheus_client import multiprocess

    multiprocess.mark_process_dead(worker.pid)
control_socket_disable = True  # several instances may run on one machine
