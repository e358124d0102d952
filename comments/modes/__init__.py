"""Discussion modes per post, with timers: open, members only, slow mode, held, closed.

An editor schedules a post's modes in its admin page ("members only until 18:00, then
open", "close on 1 December at 09:00"). Nothing runs at those times: the mode in force is
worked out on every read from the schedule and the clock, by one pure function
(``rules.discussion_mode_at``), which every caller uses: the posting service (who may
comment now, and what happens to their comment), the post page (the line readers see, the
form or what replaces it) and the cache keys (so a change that comes with time alone
shows at the first request after it, on every app instance).

- ``models``: ``ModeChange``, one row per scheduled change of a post;
- ``rules``: the modes, the schedule as a timeline, the mode in force and the next
  change, who may comment under it, slow mode's wait, and the checks a schedule must
  pass; pure;
- ``wording``: what readers read about the mode, and the refusals' messages.

The schedule is read by ``comments.selectors.modes`` and written by
``comments.services.modes``. Kept light: ``comments.models`` imports ``models`` from here.
"""
