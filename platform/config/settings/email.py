import environ

from config.env import env_str, env_url

_EMAIL_URL = env_url("EMAIL_URL", schemes=("smtp", "smtp+tls", "smtp+ssl", "consolemail"))

if _EMAIL_URL:
    vars().update(environ.Env.email_url_config(_EMAIL_URL))
else:
    EMAIL_BACKEND = "django.core.mail.backends.console.EmailBackend"

DEFAULT_FROM_EMAIL = env_str("DEFAULT_FROM_EMAIL", default="Sukowati <noreply@sukowati.id>")
SERVER_EMAIL = DEFAULT_FROM_EMAIL
