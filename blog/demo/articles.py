"""The demo articles: their metadata here, their body HTML in data files.

Each article's body is the file ``articles/<slug>.html`` next to this module,
read as UTF-8 when ``ARTICLES`` is built, so a missing file fails at import.
The files hold the final HTML, one block per line, exactly as it is saved.
"""

from dataclasses import dataclass, field
from datetime import time
from importlib import resources

from blog.demo.pictures import (
    DemoPicture,
    bookshelves,
    corrected_page,
    gathering_circles,
    heat_rings,
    river_waves,
    route_chart,
    sun_and_rooftops,
)
from blog.models import PostNote

BODIES = resources.files("blog.demo").joinpath("article_bodies")


def read_body(slug: str) -> str:
    """The body HTML stored in ``articles/<slug>.html``, without surrounding whitespace."""
    return BODIES.joinpath(f"{slug}.html").read_text(encoding="utf-8").strip()


@dataclass(frozen=True)
class DemoNote:
    """A correction, clarification or update added ``days_after`` its article went out."""

    kind: PostNote.Kind
    text: str
    days_after: int
    at: time = time(16, 30)


@dataclass(frozen=True)
class DemoArticle:
    """One demo post. Its body HTML is read from ``articles/<slug>.html`` when it is made."""

    slug: str
    title: str
    excerpt: str
    body: str = field(init=False)
    categories: tuple[str, ...]
    tags: tuple[str, ...]
    picture: DemoPicture
    # Days from today (negative: already out), or None for a draft.
    day_offset: int | None
    at: time = time(9, 0)
    is_sticky: bool = False
    comments_enabled: bool = True
    # Usernames of further bylines, after the demo editor.
    coauthors: tuple[str, ...] = ()
    # Shown at the foot of the article, on /corrections/ and as "Updated" in lists.
    notes: tuple[DemoNote, ...] = ()

    def __post_init__(self) -> None:
        # The class is frozen, so set the field the way the generated __init__ does.
        object.__setattr__(self, "body", read_body(self.slug))


ARTICLES = (
    DemoArticle(
        slug="northgate-energy-cooperative-first-year",
        title="A year on the rooftops: what Northgate’s energy co-operative delivered",
        excerpt=(
            "Forty-one roofs, 2,312 members and a surplus that went back into the neighbourhood. "
            "We read the co-operative’s first annual report and asked what comes next."
        ),
        categories=("news", "community"),
        tags=("energy", "open-data"),
        picture=DemoPicture(
            word="ENERGY",
            top=(255, 183, 94),
            bottom=(94, 53, 177),
            motif=sun_and_rooftops,
            alt_text=(
                "Illustration: a row of flat roofs covered in solar panels under a large, low "
                "sun in an orange and violet sky, with the word ENERGY."
            ),
            caption="Forty-one roofs across Northgate now carry the co-operative’s panels.",
        ),
        day_offset=-2,
        at=time(8, 30),
    ),
    DemoArticle(
        slug="route-42-bus-card-data",
        title="Fourteen million taps: what the card data says about the 42 bus",
        excerpt=(
            "We obtained a year of anonymised ticket data for the route. It shows a bus that "
            "works well at rush hour and lets down the people who travel at other times."
        ),
        categories=("analysis",),
        tags=("transport", "open-data"),
        picture=DemoPicture(
            word="ROUTE 42",
            top=(26, 35, 126),
            bottom=(0, 96, 100),
            motif=route_chart,
            alt_text=(
                "Illustration: a yellow bus route with white stops winding over a bar chart of "
                "passengers by hour, the late-evening bars in amber, with the words ROUTE 42."
            ),
            caption="Taps on the 42 by hour: two busy peaks, and evening trips that run late.",
        ),
        day_offset=-9,
        at=time(7, 0),
        coauthors=("tomas",),
        notes=(
            DemoNote(
                kind=PostNote.Kind.CORRECTION,
                text=(
                    "An earlier version of this article misspelt the name of Dr Helen Osei, "
                    "the transport researcher who reviewed our method. We apologise for the "
                    "error."
                ),
                days_after=1,
            ),
        ),
    ),
    DemoArticle(
        slug="central-library-sunday-opening",
        title="The case for opening the Central Library on Sunday afternoons",
        excerpt=(
            "Visits are up, seats are scarce, and the day people most want to study is the one "
            "day the doors stay shut. What the numbers, and the people, say."
        ),
        categories=("news", "analysis"),
        tags=("libraries",),
        picture=DemoPicture(
            word="OPEN SUNDAYS",
            top=(255, 224, 178),
            bottom=(191, 54, 12),
            motif=bookshelves,
            alt_text=(
                "Illustration: three wooden shelves of brightly coloured books against a warm "
                "orange background, with the words OPEN SUNDAYS."
            ),
            caption="The Central Library’s shelves stay out of reach every Sunday.",
        ),
        day_offset=-18,
        at=time(11, 15),
        notes=(
            DemoNote(
                kind=PostNote.Kind.UPDATE,
                text=(
                    "The council has confirmed that Sunday afternoon opening will be one of "
                    "the options in its consultation on library hours. You can still "
                    "register to take part."
                ),
                days_after=6,
                at=time(12, 0),
            ),
        ),
        # Kept at the top of the home page while the council's consultation is open.
        is_sticky=True,
    ),
    DemoArticle(
        slug="friends-of-the-wend-volunteers",
        title="“We come for the river and stay for each other”: meet the Saturday volunteers",
        excerpt=(
            "Every second Saturday a group of neighbours pulls on waders and steps into the Wend. "
            "We spent a morning with three of them to ask why they keep coming back."
        ),
        categories=("community",),
        tags=("rivers", "volunteering"),
        picture=DemoPicture(
            word="TOGETHER",
            top=(27, 94, 32),
            bottom=(0, 77, 64),
            motif=gathering_circles,
            alt_text=(
                "Illustration: dozens of overlapping translucent circles in yellow, green, teal "
                "and pink on a deep green background, with the word TOGETHER."
            ),
            caption="About thirty regulars, and more than 200 on the mailing list.",
        ),
        day_offset=-29,
        at=time(10, 0),
    ),
    DemoArticle(
        slug="how-we-correct-mistakes",
        title="How we correct our mistakes",
        excerpt=(
            "When we get something wrong we say so, fix it in the open and keep a record. "
            "This is how corrections, clarifications and updates work on this site."
        ),
        categories=("explainers",),
        tags=("transparency",),
        picture=DemoPicture(
            word="CORRECTED",
            top=(69, 90, 100),
            bottom=(38, 50, 56),
            motif=corrected_page,
            alt_text=(
                "Illustration: a sheet of paper with grey lines of text, one struck through in "
                "red and replaced by a red line beneath it, with the word CORRECTED."
            ),
            caption="Every correction is marked on the article and listed in our log.",
        ),
        day_offset=-41,
        comments_enabled=False,
    ),
    DemoArticle(
        slug="wend-spring-clean-up-field-report",
        title="Field report: 312 kilos out of the Wend in one morning",
        excerpt=(
            "Sixty-three volunteers, two canoes and a shopping trolley that had been in the water "
            "long enough to grow a garden. Notes from the spring clean-up."
        ),
        categories=("news", "community"),
        tags=("rivers", "volunteering"),
        picture=DemoPicture(
            word="THE WEND",
            top=(225, 245, 254),
            bottom=(1, 87, 155),
            motif=river_waves,
            alt_text=(
                "Illustration: layered waves in pale blue, teal and deep green rising across a "
                "light sky, with the words THE WEND."
            ),
            caption="The stretch of the Wend between the old mill and the railway viaduct.",
        ),
        # Written ahead and scheduled for Monday morning.
        day_offset=3,
        at=time(8, 0),
    ),
    DemoArticle(
        slug="heat-pump-grant-explained",
        title="The heat pump grant almost nobody is claiming, explained",
        excerpt=(
            "A grant of up to £7,500 helps replace a gas boiler, yet few eligible households in "
            "the city have applied. What it covers, who qualifies and where people get stuck."
        ),
        categories=("explainers", "analysis"),
        tags=("energy",),
        picture=DemoPicture(
            word="HEAT",
            top=(38, 50, 56),
            bottom=(13, 71, 161),
            motif=heat_rings,
            alt_text=(
                "Illustration: concentric rings spreading from a glowing centre, shading from "
                "warm orange to cool blue on a dark background, with the word HEAT."
            ),
            caption="Heat pumps move warmth rather than making it.",
        ),
        day_offset=None,
    ),
)
