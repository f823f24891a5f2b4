"""Sign-in through django-allauth in every schema: email + password, TOTP MFA."""

from config.env import env_int

AUTH_USER_MODEL = "accounts.User"

# Proxies in front of the app (nginx in compose, the ALB in AWS: 1 each; 0 when the app
# is reached directly). The client's address, for rate limits and the audit log, is the
# X-Forwarded-For entry this many hops from the right; without it every visitor would
# look like the proxy and share one rate limit.
TRUSTED_PROXY_COUNT = env_int("TRUSTED_PROXY_COUNT", default=0)
ALLAUTH_TRUSTED_PROXY_COUNT = TRUSTED_PROXY_COUNT

AUTHENTICATION_BACKENDS = [
    "django.contrib.auth.backends.ModelBackend",
    "allauth.account.auth_backends.AuthenticationBackend",
]

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {
        "NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
        "OPTIONS": {"min_length": 10},
    },
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

LOGIN_URL = "account_login"
LOGIN_REDIRECT_URL = "home"
ACCOUNT_LOGOUT_REDIRECT_URL = "account_login"

ACCOUNT_ADAPTER = "accounts.adapters.ClosedSignupAccountAdapter"
ACCOUNT_USER_MODEL_USERNAME_FIELD = None
ACCOUNT_LOGIN_METHODS = {"email"}
ACCOUNT_SIGNUP_FIELDS = ["email*", "password1*", "password2*"]
ACCOUNT_EMAIL_VERIFICATION = "mandatory"
# Random confirmation keys stored in the regency's own schema. allauth's default
# HMAC key only signs the address's id, which every schema numbers from 1: a key
# from one regency would confirm (and show) another regency's address of that id.
ACCOUNT_EMAIL_CONFIRMATION_HMAC = False
ACCOUNT_UNIQUE_EMAIL = True
ACCOUNT_LOGIN_ON_PASSWORD_RESET = False
ACCOUNT_PREVENT_ENUMERATION = True
# Invitation links are password-reset links; this generator also refuses revoked invitations.
ACCOUNT_PASSWORD_RESET_TOKEN_GENERATOR = "accounts.tokens.InvitationAwareTokenGenerator"  # noqa: S105
ACCOUNT_SESSION_REMEMBER = None
# allauth's defaults, stated so that a change is a visible decision. The counters
# live in the tenant-prefixed cache, so each regency has its own.
ACCOUNT_RATE_LIMITS = {
    "login": "30/m/ip",
    "login_failed": "10/m/ip,5/5m/key",
    "reset_password": "20/m/ip,5/m/key",
    "reset_password_from_key": "20/m/ip",
    "confirm_email": "1/3m/key",
    "change_password": "5/m/user",
}

MFA_SUPPORTED_TYPES = ["totp", "recovery_codes"]
MFA_TOTP_ISSUER = "Sukowati"
MFA_RECOVERY_CODE_COUNT = 10
