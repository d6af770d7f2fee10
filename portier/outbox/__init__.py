"""The outbox: every e-mail is a row first, written with the change that causes it, delivered
after commit, retried, never sent twice.

Public: `services.write` / `services.wake_after_commit`, `notices.write` (a templated notice),
`registry.register` with `Message` and `Skip`, `delivery.deliver_due` / `release_stuck`, the
Huey tasks in `tasks`. The outbox imports no domain app: each app registers a planner for the
kinds it owns (in its `AppConfig.ready`), and the outbox asks it at send time what to send.
"""
