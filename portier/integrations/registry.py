"""Provider slug -> class, imported lazily so an unused provider costs nothing."""

from django.utils.module_loading import import_string

PROVIDERS = {
    "google": "portier.integrations.google.Google",
}


def provider_class(slug: str):
    return import_string(PROVIDERS[slug])
