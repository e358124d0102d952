"""Following a post's discussion by e-mail: who follows (``models``), and the signed links
and e-mails of it (``mail``). The services (``comments.services.follows``) decide; the task
worker sends (``comments.tasks``)."""
