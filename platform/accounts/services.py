"""Writes on accounts. They run in whatever schema is current: the caller (a
request, a task, or provisioning) has already chosen the regency."""

from allauth.account.models import EmailAddress
from django.db import transaction

from accounts.models import User


def user_create(
    *,
    email: str,
    full_name: str,
    password: str | None,
    platform_role: str = User.PlatformRole.NONE,
    email_verified: bool = False,
    is_regency_admin: bool = False,
) -> User:
    """Create a user and the allauth address record sign-in checks for verification."""
    with transaction.atomic():
        user = User.objects.create_user(
            email,
            password,
            full_name=full_name,
            platform_role=platform_role,
            is_regency_admin=is_regency_admin,
        )
        EmailAddress.objects.create(
            user=user, email=user.email, primary=True, verified=email_verified
        )
    return user


def user_ensure(
    *,
    email: str,
    full_name: str,
    password: str,
    platform_role: str = User.PlatformRole.NONE,
    is_regency_admin: bool = False,
) -> tuple[User, bool]:
    """The user with this email, created with a verified address if absent.
    Used by idempotent seeding; an existing user's password is left alone."""
    existing = User.objects.filter(email__iexact=email).first()
    if existing is not None:
        return existing, False
    user = user_create(
        email=email,
        full_name=full_name,
        password=password,
        platform_role=platform_role,
        email_verified=True,
        is_regency_admin=is_regency_admin,
    )
    return user, True
