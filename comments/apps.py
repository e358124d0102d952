from django.apps import AppConfig


class CommentsConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "comments"

    def ready(self) -> None:
        # accounts and blog never import comments (apps depend one way); they send signals
        # and comments answers them. Imported here: the models must be loaded first.
        from accounts import signals as accounts_signals
        from blog import signals as blog_signals
        from comments import receivers

        for signal, receiver in (
            (accounts_signals.member_appearance_changed, receivers.member_appearance_changed),
            (accounts_signals.account_closing, receivers.account_closing),
            (accounts_signals.account_exporting, receivers.account_exporting),
            (blog_signals.post_page_context, receivers.post_page_context),
            (blog_signals.demo_seeded, receivers.demo_seeded),
        ):
            signal.connect(receiver, dispatch_uid=f"comments.{receiver.__name__}")
