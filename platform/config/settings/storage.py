"""File storage, always prefixed with the current schema: S3 when a bucket is
configured, otherwise var/media/<schema>/."""

from botocore.config import Config

from config.env import env_bool, env_str, env_url
from config.settings.base import STATIC_ROOT, VAR_DIR

AWS_STORAGE_BUCKET_NAME = env_str("AWS_STORAGE_BUCKET_NAME")
AWS_S3_ENDPOINT_URL = env_url("AWS_S3_ENDPOINT_URL", schemes=("http", "https"))
AWS_S3_REGION_NAME = env_str("AWS_S3_REGION_NAME", default="ap-southeast-3")
AWS_DEFAULT_ACL = None
AWS_S3_FILE_OVERWRITE = False
AWS_QUERYSTRING_AUTH = True
# Keys are <schema>/<name>: core.storage adds the schema to every name.
AWS_LOCATION = env_str("AWS_LOCATION", default="") or ""
# Bounded waits, so that an unreachable S3 fails a request (and /readyz) in
# seconds rather than after botocore's default minute per attempt.
AWS_S3_CLIENT_CONFIG = Config(
    connect_timeout=5,
    read_timeout=30,
    retries={"max_attempts": 3, "mode": "standard"},
)

MEDIA_ROOT = VAR_DIR / "media"
MEDIA_URL = "/media/"

STORAGES = {
    "default": {
        "BACKEND": "core.storage.TenantS3Storage"
        if AWS_STORAGE_BUCKET_NAME
        else "core.storage.TenantFileSystemStorage",
    },
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
}
# Static files are served hashed and compressed once `collectstatic` has run (make
# run, the container image); before that (tests, a bare checkout) they are served
# straight from the apps' folders.
if not (STATIC_ROOT / "staticfiles.json").exists():
    STORAGES["staticfiles"] = {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"}
WHITENOISE_USE_FINDERS = env_bool(
    "WHITENOISE_USE_FINDERS", default=STORAGES["staticfiles"]["BACKEND"].startswith("django.")
)
