from django.utils import timezone, translation
from ninja.security import HttpBearer

from portier.accounts.models import ApiToken, hash_token


class TokenAuth(HttpBearer):
    """Bearer tokens from the profile page or `portier createcompany`; only hashes are stored."""

    def authenticate(self, request, token):
        found = (
            ApiToken.objects.select_related("user__membership__company")
            .filter(token_hash=hash_token(token), user__is_active=True)
            .first()
        )
        if found is None or getattr(found.user, "membership", None) is None:
            return None
        ApiToken.objects.filter(pk=found.pk).update(last_used=timezone.now())
        if found.user.language:
            # The profile's language decides API messages too (no session here).
            translation.activate(found.user.language)
            request.LANGUAGE_CODE = found.user.language
        request.user = found.user
        request.membership = found.user.membership
        request.company = found.user.membership.company
        return found.user
