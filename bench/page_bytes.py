"""How many bytes the post page with a large discussion sends, and how many each comment costs.

    .venv/bin/python bench/page_bytes.py [--sizes 500] [--seed 2024] [--save DIR]

Builds the same discussion as ``thread_bench.py`` (its own data code, same seed) in a
throwaway SQLite database and prints, per N, the first comment page's size raw and
gzipped (level 6, what nginx sends) and the bytes of the comment list per comment shown.
Takes a few seconds; no server is started. See bench/README.md.
"""

from __future__ import annotations

import argparse
import gzip
import random
import shutil
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench import discussion_data, thread_bench
from bench.common import say


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sizes", default="500", type=lambda s: [int(x) for x in s.split(",")])
    parser.add_argument("--seed", type=int, default=2024)
    parser.add_argument("--save", type=Path, help="write each page to DIR/n<N>.html")
    args = parser.parse_args(argv)
    tmp = Path(tempfile.mkdtemp(prefix="tribune-bytes-"))
    try:
        thread_bench.django_environment(
            database_url=f"sqlite:///{tmp / 'bench.sqlite3'}", redis_url="", tmp=tmp
        )
        thread_bench.django_start()
        from django.test import Client

        rng = random.Random(args.seed)  # noqa: S311
        editor, members = discussion_data.build_people(rng)
        say("| N | comments on page | page KB | gzipped KB | list bytes per comment |")
        say("|---:|---:|---:|---:|---:|")
        for n in args.sizes:
            discussion = discussion_data.build_discussion(
                n, rng=rng, editor=editor, members=members
            )
            html = Client().get(discussion.url).content
            comments = html.count(b'<li id="comment-')
            start = html.index(b'<ol class="comment-list')
            end = html.rindex(b"</ol>") + len(b"</ol>")
            per_comment = (end - start) / max(comments, 1)
            packed = len(gzip.compress(html, compresslevel=6))
            say(
                f"| {n:,} | {comments} | {len(html) / 1024:.0f} | {packed / 1024:.0f} "
                f"| {per_comment:.0f} |"
            )
            if args.save:
                args.save.mkdir(parents=True, exist_ok=True)
                (args.save / f"n{n}.html").write_bytes(html)
        return 0
    finally:
        from django.db import connections

        connections.close_all()
        shutil.rmtree(tmp, ignore_errors=True)


if __name__ == "__main__":
    sys.exit(main())
