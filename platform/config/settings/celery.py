"""Celery: Redis when REDIS_URL is set; otherwise a real worker on kombu's
filesystem transport under var/broker, which needs no server."""

from celery.schedules import crontab

from config.env import env_url
from config.settings.base import VAR_DIR

_REDIS_URL = env_url("REDIS_URL", schemes=("redis", "rediss"))
CELERY_BROKER_DIR = VAR_DIR / "broker"

if _REDIS_URL:
    CELERY_BROKER_URL = _REDIS_URL
    CELERY_BROKER_TRANSPORT_OPTIONS: dict[str, object] = {
        # A task running longer than this is handed to another worker: keep it above
        # the longest task, or late acknowledgement runs it twice.
        "visibility_timeout": 3600,
    }
else:
    CELERY_BROKER_URL = "filesystem://"
    CELERY_BROKER_TRANSPORT_OPTIONS = {
        "data_folder_in": str(CELERY_BROKER_DIR / "queue"),
        "data_folder_out": str(CELERY_BROKER_DIR / "queue"),
        "control_folder": str(CELERY_BROKER_DIR / "control"),
        # Consumed messages are deleted, so a development machine's var/ does not
        # grow with every beat tick.
        "store_processed": False,
    }
    # The transport lists and writes into these folders but never creates them;
    # web, worker and beat all load these settings, so whoever starts first does.
    for _folder in ("queue", "control"):
        (CELERY_BROKER_DIR / _folder).mkdir(parents=True, exist_ok=True)

CELERY_TASK_DEFAULT_QUEUE = "default"
# Task modules autodiscovery (`<app>.tasks`) does not find.
CELERY_IMPORTS = ("staff.import_tasks",)

# A task is never silently dropped: it is acknowledged only after it ran and is
# re-queued if the worker dies mid-task...
CELERY_TASK_ACKS_LATE = True
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_TASK_ALWAYS_EAGER = False
# ...and publishing to a broker that cannot be reached raises in the caller within
# seconds (a few quick retries ride out a blip), instead of blocking the request
# forever or losing the message. Services queue tasks in `transaction.on_commit`,
# so the error reaches the code that asked for the work.
CELERY_TASK_PUBLISH_RETRY = True
CELERY_TASK_PUBLISH_RETRY_POLICY = {
    "max_retries": 3,
    "interval_start": 0,
    "interval_step": 0.5,
    "interval_max": 1,
}
CELERY_BROKER_CONNECTION_TIMEOUT = 3
# Workers, unlike publishers, keep retrying: a worker outlives a broker restart.
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True

CELERY_TASK_SERIALIZER = "json"
CELERY_RESULT_SERIALIZER = "json"
CELERY_ACCEPT_CONTENT = ["json"]
CELERY_TIMEZONE = "Asia/Jakarta"
# How long a worker reuses a Tenant row it looked up by schema name.
CELERY_TASK_TENANT_CACHE_SECONDS = 30
CELERY_BEAT_SCHEDULE_FILENAME = str(VAR_DIR / "celerybeat-schedule")
CELERY_BEAT_SCHEDULE = {
    # Runs in public and queues one heartbeat per active regency, each carrying
    # that regency's schema: periodic jobs fan out per tenant explicitly.
    "worker-heartbeat-fanout": {
        "task": "tenants.tasks.worker_heartbeat_fanout_task",
        "schedule": 300.0,
    },
    # Storage used per regency, for the console's list (summing S3 keys is too slow
    # for a page view).
    "storage-usage-fanout": {
        "task": "console.tasks.storage_usage_fanout_task",
        "schedule": 3600.0,
    },
    # Support tickets' service levels: warnings before, escalations after a
    # deadline (each once), and closing resolved tickets past their reopening window.
    "support-sla-sweep": {
        "task": "support.tasks.support_sla_sweep_task",
        "schedule": 300.0,
    },
    # Each permit officer's overdue and nearly due items, before the offices open
    # (06:00 WIB is 07:00 WITA); fanned out per regency using the permits module.
    "permits-digest-daily": {
        "task": "tenants.tasks.permits_digest_fanout_task",
        "schedule": crontab(minute=0, hour=6, day_of_week="mon-fri"),
    },
    # Seats billed per regency: counted daily at 00:30 Jakarta time, which is the
    # same calendar day in WIB, WITA and WIT; re-running a day only updates its row.
    "seat-snapshot-daily": {
        "task": "billing.tasks.seat_snapshot_task",
        "schedule": crontab(minute=30, hour=0),
    },
    # Billing: the month's draft invoices on the 1st (idempotent), dunning daily.
    "invoice-run-monthly": {
        "task": "billing.tasks.invoice_run_task",
        "schedule": crontab(minute=0, hour=3, day_of_month=1),
    },
    "dunning-daily": {
        "task": "billing.tasks.dunning_run_task",
        "schedule": crontab(minute=0, hour=8),
    },
    # Issued invoices Stripe does not have yet (a push that could not be queued).
    "stripe-push-sweep": {
        "task": "billing.stripe_sync.stripe_invoice_push_pending_task",
        "schedule": 3600.0,
    },
}
