"""Illustrations for the demo articles: 1600 × 900 JPEGs drawn with Pillow.

Each picture is a two-colour gradient, a motif drawn on top of it and one big
word. A motif takes the drawing surface and a seeded random generator, so the
same seed always gives the same picture.
"""

import io
import math
import random
from collections.abc import Callable
from dataclasses import dataclass

from PIL import Image as PILImage
from PIL import ImageDraw, ImageFont

WIDTH, HEIGHT = 1600, 900

RGB = tuple[int, int, int]
Motif = Callable[[ImageDraw.ImageDraw, random.Random], None]


@dataclass(frozen=True)
class DemoPicture:
    """One illustration: its word, gradient colours and motif, and how the library describes it."""

    word: str
    top: RGB
    bottom: RGB
    motif: Motif
    alt_text: str
    caption: str


def sun_and_rooftops(draw: ImageDraw.ImageDraw, rng: random.Random) -> None:
    for radius, alpha in ((330, 40), (270, 70), (215, 110)):
        draw.ellipse(
            (1250 - radius, 300 - radius, 1250 + radius, 300 + radius), fill=(255, 220, 140, alpha)
        )
    draw.ellipse((1090, 140, 1410, 460), fill=(255, 214, 120, 255))
    x = -30
    while x < WIDTH:
        width, top = rng.randint(190, 290), rng.randint(560, 700)
        draw.rectangle((x, top, x + width - 12, HEIGHT), fill=(34, 40, 68, 255))
        for panel_x in range(x + 14, x + width - 60, 46):
            draw.polygon(
                [
                    (panel_x, top),
                    (panel_x + 38, top),
                    (panel_x + 28, top - 22),
                    (panel_x - 10, top - 22),
                ],
                fill=(46, 82, 160, 255),
                outline=(160, 200, 245, 255),
            )
        x += width


def route_chart(draw: ImageDraw.ImageDraw, rng: random.Random) -> None:
    # One bar per hour of the day: busy peaks, and late buses shown in amber after 8 pm.
    for hour in range(24):
        load = math.exp(-((hour - 8) ** 2) / 3) + 0.8 * math.exp(-((hour - 17) ** 2) / 4) + 0.12
        left = 70 + hour * 61
        fill = (255, 190, 70, 200) if hour >= 20 or hour < 6 else (255, 255, 255, 90)
        draw.rectangle((left, HEIGHT - 40 - int(load * 330), left + 44, HEIGHT - 40), fill=fill)
    stops = [(x, 430 + rng.randint(-70, 70)) for x in range(60, WIDTH, 150)]
    draw.line(stops, fill=(255, 200, 60, 255), width=16, joint="curve")
    for x, y in stops:
        draw.ellipse(
            (x - 20, y - 20, x + 20, y + 20),
            fill=(255, 255, 255, 255),
            outline=(30, 30, 60, 255),
            width=6,
        )


def bookshelves(draw: ImageDraw.ImageDraw, rng: random.Random) -> None:
    colours = [
        (178, 58, 52),
        (46, 104, 140),
        (222, 170, 66),
        (70, 128, 92),
        (120, 72, 130),
        (236, 226, 204),
    ]
    for shelf in (500, 700, 890):
        x = 70
        while x < WIDTH - 120:
            width, height = rng.randint(30, 72), rng.randint(120, 182)
            draw.rectangle(
                (x, shelf - height, x + width, shelf - 4), fill=(*rng.choice(colours), 255)
            )
            draw.rectangle(
                (x + 6, shelf - height + 22, x + width - 6, shelf - height + 30),
                fill=(255, 255, 255, 120),
            )
            x += width + rng.randint(3, 8)
        draw.rectangle((40, shelf - 4, WIDTH - 40, shelf + 10), fill=(92, 58, 34, 255))


def gathering_circles(draw: ImageDraw.ImageDraw, rng: random.Random) -> None:
    colours = [(255, 236, 179), (129, 199, 132), (77, 182, 172), (255, 183, 77), (240, 98, 146)]
    for _ in range(46):
        x, y, radius = (
            rng.randint(80, WIDTH - 80),
            rng.randint(300, HEIGHT + 60),
            rng.randint(40, 130),
        )
        draw.ellipse(
            (x - radius, y - radius, x + radius, y + radius),
            fill=(*rng.choice(colours), rng.randint(110, 170)),
        )


def corrected_page(draw: ImageDraw.ImageDraw, rng: random.Random) -> None:
    draw.rectangle((800, 300, 1500, 890), fill=(0, 0, 0, 60))
    draw.rectangle((780, 280, 1480, 870), fill=(251, 248, 240, 255))
    for line in range(11):
        y = 330 + line * 48
        right = 1420 - rng.randint(0, 220)
        draw.rectangle((850, y, right, y + 16), fill=(140, 140, 150, 255))
        if line == 4:
            draw.line((830, y + 8, right + 20, y + 8), fill=(200, 40, 40, 255), width=9)
            draw.polygon([(806, y + 2), (806, y + 30), (830, y + 16)], fill=(200, 40, 40, 255))
        if line == 5:
            draw.rectangle((850, y, right - 120, y + 16), fill=(200, 40, 40, 210))


def river_waves(draw: ImageDraw.ImageDraw, rng: random.Random) -> None:
    colours = [
        (178, 235, 242),
        (128, 203, 196),
        (77, 182, 172),
        (38, 166, 154),
        (0, 121, 107),
        (0, 77, 64),
    ]
    for layer, colour in enumerate(colours):
        base, phase = 430 + layer * 80, rng.uniform(0, math.tau)
        amplitude, wavelength = 26 + layer * 4, rng.randint(320, 520)
        crest = [
            (x, base + amplitude * math.sin(x / wavelength * math.tau + phase))
            for x in range(0, WIDTH + 20, 20)
        ]
        draw.polygon([*crest, (WIDTH, HEIGHT), (0, HEIGHT)], fill=(*colour, 215))


def heat_rings(draw: ImageDraw.ImageDraw, rng: random.Random) -> None:
    warm, cool = (255, 112, 67), (79, 195, 247)
    for step, radius in enumerate(range(120, 1300, 72)):
        share = min(1.0, step / 14)
        colour = tuple(round(w + (c - w) * share) for w, c in zip(warm, cool, strict=True))
        draw.ellipse(
            (1250 - radius, 680 - radius, 1250 + radius, 680 + radius),
            outline=(*colour, 230),
            width=28,
        )
    draw.ellipse((1170, 600, 1330, 760), fill=(255, 236, 179, 255))


def draw_picture(picture: DemoPicture, *, seed: str) -> bytes:
    """A 1600 × 900 JPEG: a gradient, the picture's motif and its word, the same for one seed."""
    size = (WIDTH, HEIGHT)
    # linear_gradient runs black (top) to white (bottom), so the mask blends top into bottom.
    mask = PILImage.linear_gradient("L").resize(size)
    canvas = PILImage.composite(
        PILImage.new("RGBA", size, picture.bottom), PILImage.new("RGBA", size, picture.top), mask
    )
    overlay = PILImage.new("RGBA", size, (0, 0, 0, 0))
    picture.motif(ImageDraw.Draw(overlay), random.Random(seed))  # noqa: S311 - decoration, not security
    canvas = PILImage.alpha_composite(canvas, overlay)
    canvas = PILImage.alpha_composite(canvas, _word_layer(picture.word, on=picture.top))
    buffer = io.BytesIO()
    canvas.convert("RGB").save(buffer, format="JPEG", quality=88)
    return buffer.getvalue()


def _word_layer(word: str, *, on: RGB) -> PILImage.Image:
    layer = PILImage.new("RGBA", (WIDTH, HEIGHT), (0, 0, 0, 0))
    draw = ImageDraw.Draw(layer)
    font_size = 160
    font = ImageFont.load_default(size=font_size)
    while draw.textlength(word, font=font) > WIDTH - 180 and font_size > 60:
        font_size -= 10
        font = ImageFont.load_default(size=font_size)
    # Dark letters on a pale sky, light letters on a dark one.
    red, green, blue = on
    is_pale = 0.299 * red + 0.587 * green + 0.114 * blue > 160
    ink, shadow = (
        ((28, 32, 44, 245), (255, 255, 255, 110))
        if is_pale
        else ((255, 255, 255, 240), (0, 0, 0, 120))
    )
    draw.text((96, 76), word, font=font, fill=shadow)
    draw.text((88, 68), word, font=font, fill=ink)
    return layer
