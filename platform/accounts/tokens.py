"""The generator behind password-reset and invitation links
(ACCOUNT_PASSWORD_RESET_TOKEN_GENERATOR).

allauth's own generator already kills a link when the password changes (revoking
an invitation rotates the unusable password), when it is used, and after
PASSWORD_RESET_TIMEOUT. This one also refuses, whatever the link, a deactivated
person and someone whose invitation was revoked: revocation is a decision, and
it must hold even against a link from before it or a self-service reset.

Kept apart from accounts.invitations: allauth imports it while its own forms
module is still loading."""

from typing import Any

from allauth.account.forms import EmailAwarePasswordResetTokenGenerator


class InvitationAwareTokenGenerator(EmailAwarePasswordResetTokenGenerator):
    def check_token(self, user: Any, token: str | None) -> bool:
        from accounts.invitations import invitation_refused

        if user is not None and (not user.is_active or invitation_refused(user)):
            return False
        return super().check_token(user, token)
