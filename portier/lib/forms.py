from portier.lib.errors import DomainError


def run_service(form, call):
    """Call a service; put a DomainError on the form (on its field when known). None on error."""
    try:
        return call()
    except DomainError as exc:
        field = exc.field if exc.field in form.fields else None
        form.add_error(field, exc.message)
        return None
