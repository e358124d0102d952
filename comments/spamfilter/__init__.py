"""A spam filter that learns from moderators' decisions and explains its own.

- ``tokens``: what it looks at in a comment (words, word pairs, links, the sender);
- ``model``: the sums (naive Bayes with Robinson's smoothing and Fisher's combining);
- ``models``: what it keeps in the database, and each source's opinion of a comment;
- ``service``: learning from decisions and scoring new comments against the database;
- ``evaluation``: measuring it on a labelled corpus (``manage.py spamfilter_eval``).

Kept light: ``comments.models`` imports ``models`` from here.
"""
