"""gunicorn settings for `make serve` and production; every value can be overridden on the command line."""

import gc
import multiprocessing
import os

bind = os.environ.get("SIGNAALPUNT_BIND", "127.0.0.1:8000")
# Two workers per core plus one: requests mostly wait on the database, not the CPU.
workers = int(os.environ.get("SIGNAALPUNT_WORKERS", multiprocessing.cpu_count() * 2 + 1))
worker_class = "sync"
# A sync worker busy longer than this is killed, mid-answer: the region's CSV of a million signals streams for
# 20-30 s on a small machine, and at 30 s it was cut off after 902,000 of its 1,000,096 rows.
timeout = 120
graceful_timeout = timeout  # a restart lets a download that is under way finish
keepalive = 5
max_requests = 2000
max_requests_jitter = 200
# The app logs one JSON line per request itself; gunicorn's access log would repeat it.
accesslog = None
errorlog = "-"
loglevel = "info"
forwarded_allow_ips = os.environ.get("SIGNAALPUNT_FORWARDED_ALLOW_IPS", "127.0.0.1")


class SharedCountersRequired(RuntimeError):
    """Rate limits counted in each worker's memory would let through several times the configured number."""


def post_worker_init(worker: object) -> None:
    """Refuse per-process rate-limit counters with several workers; then leave the loaded app out of garbage
    collection, so full collections stay short."""
    # The benchmark's bare app counts nothing, and so has no storage.
    storage = worker.wsgi.config.get("RATELIMIT_STORAGE_URI", "")
    if worker.cfg.workers > 1 and storage.startswith("memory://"):
        raise SharedCountersRequired(
            f"RATELIMIT_STORAGE_URI={storage} counts per worker; with {worker.cfg.workers} workers use database:// "
            "(the default) or redis://"
        )
    gc.freeze()
