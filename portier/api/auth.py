from django.utils import translation
from ninja.errors import Throttled
from ninja.security import HttpBearer

from portier.accounts import services, throttle


class TokenAuth(HttpBearer):
    """Bearer tokens from the profile page or `portier createcompany`; only hashes are stored.

    An address that sent too many wrong tokens gets 429 with Retry-After, even for a right one.
    """

    def authenticate(self, request, token):
        wait = throttle.token_retry_after(request)
        if wait:
            raise Throttled(wait=wait)
        found = services.token_in_use(token)
        if found is None:
            throttle.token_failed(request)
            return None
        if found.user.language:
            # The profile's language decides API messages too (no session here).
            translation.activate(found.user.language)
            request.LANGUAGE_CODE = found.user.language
        request.user = found.user
        request.membership = found.user.membership
        request.company = found.user.membership.company
        return found.user
