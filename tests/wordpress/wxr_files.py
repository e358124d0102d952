"""Small WXR documents for the tests, written the way WordPress writes them."""

from pathlib import Path

THEME_UNIT_TEST = (
    Path(__file__).resolve().parent.parent / "data/wordpress/themeunittestdata.wordpress.xml"
)

HEAD = """<?xml version="1.0" encoding="UTF-8"?>
<rss version="2.0"
 xmlns:excerpt="{scheme}://wordpress.org/export/{version}/excerpt/"
 xmlns:content="http://purl.org/rss/1.0/modules/content/"
 xmlns:wfw="http://wellformedweb.org/CommentAPI/"
 xmlns:dc="http://purl.org/dc/elements/1.1/"
 xmlns:wp="{scheme}://wordpress.org/export/{version}/">
<channel>
<title>A Test Site</title>
<link>http://example.org</link>
<description>Just another site</description>
<language>en-GB</language>
<wp:wxr_version>{version}</wp:wxr_version>
<wp:base_site_url>http://example.org</wp:base_site_url>
<wp:base_blog_url>http://example.org</wp:base_blog_url>
"""

TAIL = "</channel>\n</rss>\n"

AUTHOR = """<wp:author><wp:author_id>{id}</wp:author_id>
<wp:author_login><![CDATA[{login}]]></wp:author_login>
<wp:author_email><![CDATA[{login}@example.org]]></wp:author_email>
<wp:author_display_name><![CDATA[{name}]]></wp:author_display_name>
<wp:author_first_name><![CDATA[]]></wp:author_first_name><wp:author_last_name><![CDATA[]]></wp:author_last_name>
</wp:author>
"""

CATEGORY = """<wp:category><wp:term_id>{id}</wp:term_id>
<wp:category_nicename><![CDATA[{slug}]]></wp:category_nicename>
<wp:category_parent><![CDATA[{parent}]]></wp:category_parent><wp:cat_name><![CDATA[{name}]]></wp:cat_name>
<wp:category_description><![CDATA[{description}]]></wp:category_description></wp:category>
"""

TAG = """<wp:tag><wp:term_id>{id}</wp:term_id><wp:tag_slug><![CDATA[{slug}]]></wp:tag_slug>
<wp:tag_name><![CDATA[{name}]]></wp:tag_name></wp:tag>
"""

ITEM = """<item>
<title><![CDATA[{title}]]></title>
<link>http://example.org/{link}</link>
<pubDate>Thu, 10 Jan 2013 20:15:40 +0000</pubDate>
<dc:creator><![CDATA[{author}]]></dc:creator>
<guid isPermaLink="false">http://example.org/?p={id}</guid>
<description></description>
<content:encoded><![CDATA[{content}]]></content:encoded>
<excerpt:encoded><![CDATA[{excerpt}]]></excerpt:encoded>
<wp:post_id>{id}</wp:post_id>
<wp:post_date><![CDATA[{date}]]></wp:post_date>
<wp:post_date_gmt><![CDATA[{date_gmt}]]></wp:post_date_gmt>
<wp:comment_status><![CDATA[{comment_status}]]></wp:comment_status>
<wp:ping_status><![CDATA[open]]></wp:ping_status>
<wp:post_name><![CDATA[{slug}]]></wp:post_name>
<wp:status><![CDATA[{status}]]></wp:status>
<wp:post_parent>0</wp:post_parent>
<wp:menu_order>0</wp:menu_order>
<wp:post_type><![CDATA[{post_type}]]></wp:post_type>
<wp:post_password><![CDATA[{password}]]></wp:post_password>
<wp:is_sticky>{sticky}</wp:is_sticky>
{categories}{meta}{comments}</item>
"""

COMMENT = """<wp:comment>
<wp:comment_id>{id}</wp:comment_id>
<wp:comment_author><![CDATA[{author}]]></wp:comment_author>
<wp:comment_author_email><![CDATA[{email}]]></wp:comment_author_email>
<wp:comment_author_url>http://example.org/</wp:comment_author_url>
<wp:comment_author_IP><![CDATA[{ip}]]></wp:comment_author_IP>
<wp:comment_date><![CDATA[{date}]]></wp:comment_date>
<wp:comment_date_gmt><![CDATA[{date_gmt}]]></wp:comment_date_gmt>
<wp:comment_content><![CDATA[{content}]]></wp:comment_content>
<wp:comment_approved><![CDATA[{approved}]]></wp:comment_approved>
<wp:comment_type><![CDATA[{type}]]></wp:comment_type>
<wp:comment_parent>{parent}</wp:comment_parent>
<wp:comment_user_id>{user_id}</wp:comment_user_id>
</wp:comment>
"""


def comment(comment_id: int, **fields) -> str:
    values = {
        "id": comment_id,
        "author": "A Reader",
        "email": "reader@example.net",
        "ip": "192.0.2.1",
        "date": "2013-01-11 10:00:00",
        "date_gmt": "2013-01-11 10:00:00",
        "content": f"Comment {comment_id}.",
        "approved": "1",
        "type": "",
        "parent": 0,
        "user_id": 0,
    } | fields
    return COMMENT.format(**values)


def item(post_id: int, *, categories=(), tags=(), comments=(), meta=None, **fields) -> str:
    values = {
        "id": post_id,
        "title": f"Post {post_id}",
        "link": f"2013/01/10/post-{post_id}/",
        "author": "alice",
        "content": f"<p>Body of post {post_id}.</p>",
        "excerpt": "",
        "date": "2013-01-10 20:15:40",
        "date_gmt": "2013-01-10 20:15:40",
        "comment_status": "open",
        "slug": f"post-{post_id}",
        "status": "publish",
        "post_type": "post",
        "password": "",
        "sticky": 0,
    } | fields
    values["categories"] = "".join(
        f'<category domain="category" nicename="{slug}"><![CDATA[{slug}]]></category>\n'
        for slug in categories
    ) + "".join(
        f'<category domain="post_tag" nicename="{slug}"><![CDATA[{slug}]]></category>\n'
        for slug in tags
    )
    values["meta"] = "".join(
        f"<wp:postmeta><wp:meta_key>{key}</wp:meta_key>"
        f"<wp:meta_value><![CDATA[{value}]]></wp:meta_value></wp:postmeta>\n"
        for key, value in (meta or {}).items()
    )
    values["comments"] = "".join(comments)
    return ITEM.format(**values)


def wxr(*parts: str, version: str = "1.2", scheme: str = "http") -> str:
    """A whole export: the channel's head, ``parts`` (authors, terms, items), the tail."""
    return HEAD.format(version=version, scheme=scheme) + "".join(parts) + TAIL


def author(author_id: int, login: str, name: str = "") -> str:
    return AUTHOR.format(id=author_id, login=login, name=name or login.title())


def category(term_id: int, slug: str, *, parent: str = "", name: str = "", description=""):
    return CATEGORY.format(
        id=term_id, slug=slug, parent=parent, name=name or slug.title(), description=description
    )


def tag(term_id: int, slug: str, name: str = "") -> str:
    return TAG.format(id=term_id, slug=slug, name=name or slug)


def write(tmp_path: Path, text: str | bytes, name: str = "export.xml") -> Path:
    path = tmp_path / name
    path.write_bytes(text.encode() if isinstance(text, str) else text)
    return path
