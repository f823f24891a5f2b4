"""Caches. Keys in `default` are prefixed with the current schema, so one regency
never reads another's entries; `platform` holds the few keys that are global by
nature (the tenant routing generation)."""

from config.env import env_url
from config.settings.base import VAR_DIR

REDIS_URL = env_url("REDIS_URL", schemes=("redis", "rediss"))

if REDIS_URL:
    _backend = {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": REDIS_URL}
else:
    # Embedded default: a file cache shared by the web and worker processes, so
    # rate limits still hold across processes.
    _backend = {
        "BACKEND": "django.core.cache.backends.filebased.FileBasedCache",
        "LOCATION": str(VAR_DIR / "cache"),
    }

CACHES = {
    "default": {**_backend, "KEY_FUNCTION": "django_tenants.cache.make_key"},
    "platform": {**_backend, "KEY_PREFIX": "platform"},
}
