from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AccountsConfig(AppConfig):
    name = "portier.accounts"
    verbose_name = _("Accounts")

    def ready(self):
        from django.contrib.auth.signals import user_logged_in, user_logged_out

        from portier.accounts.sessions import forget_session, note_session

        def _note(sender, request, user, **kwargs):
            if request is not None:
                note_session(request, user)

        def _forget(sender, request, **kwargs):
            session = getattr(request, "session", None)
            forget_session(session.session_key if session is not None else None)

        user_logged_in.connect(_note, dispatch_uid="portier-note-session", weak=False)
        user_logged_out.connect(_forget, dispatch_uid="portier-forget-session", weak=False)
