"""Secrets at rest: MultiFernet over PORTIER_ENCRYPTION_KEYS (first key encrypts, all decrypt)."""

from functools import cache

from cryptography.fernet import Fernet, InvalidToken, MultiFernet
from django.conf import settings


@cache
def _fernet(keys: tuple[str, ...]) -> MultiFernet:
    return MultiFernet([Fernet(key) for key in keys])


def fernet() -> MultiFernet:
    return _fernet(tuple(settings.PORTIER_ENCRYPTION_KEYS))


def encrypt(plaintext: str) -> str:
    return fernet().encrypt(plaintext.encode()).decode()


def decrypt(ciphertext: str) -> str:
    try:
        return fernet().decrypt(ciphertext.encode()).decode()
    except InvalidToken:
        raise InvalidToken(
            "a stored secret cannot be decrypted with PORTIER_ENCRYPTION_KEYS "
            "(was a key removed before `portier rotatekeys`?)"
        ) from None


def rotate(ciphertext: str) -> str:
    """Re-encrypt with the first key (MultiFernet.rotate)."""
    return fernet().rotate(ciphertext.encode()).decode()
