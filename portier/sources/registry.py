"""Which calendar sources this installation has: slug -> dotted path of its `Source`.

Adding a source is one package under portier/sources/ and one line in PORTIER_SOURCES
(settings.py). Imported lazily, so an unused source costs nothing.
"""

from django.conf import settings
from django.utils.module_loading import import_string

from portier.sources.base import CalendarClient, Source, Tokens


class UnknownSource(LookupError):
    pass


def get(slug: str) -> Source:
    path = settings.PORTIER_SOURCES.get(slug)
    if path is None:
        raise UnknownSource(slug)
    source = import_string(path)
    assert isinstance(source, Source) and source.slug == slug, path
    return source


def all_sources() -> list[Source]:
    return [get(slug) for slug in settings.PORTIER_SOURCES]


def is_registered(slug: str) -> bool:
    return slug in settings.PORTIER_SOURCES


def client(slug: str, tokens: Tokens) -> CalendarClient:
    return get(slug).client(tokens)


def display_name(slug: str) -> str:
    """The name hosts know a source by ("Google Calendar"); the slug if it is not installed."""
    return str(get(slug).name) if is_registered(slug) else slug


def room_domains() -> tuple[str, ...]:
    """Every installed source's room domains: defence in depth for the invitation side."""
    return tuple(d for source in all_sources() for d in source.room_domains)
