"""Illustrations drawn for the demo outlet, so no photograph is copied in."""

import random
from io import BytesIO

from PIL import Image, ImageDraw, ImageFont

PALETTES = [
    ((24, 54, 84), (64, 132, 170), (236, 201, 120)),
    ((88, 32, 38), (178, 74, 60), (244, 214, 170)),
    ((22, 70, 52), (82, 150, 104), (232, 226, 160)),
    ((44, 40, 78), (112, 92, 168), (240, 190, 200)),
    ((70, 56, 30), (170, 128, 62), (238, 224, 190)),
    ((30, 30, 34), (96, 104, 116), (230, 120, 80)),
]


def _gradient(size, top, bottom):
    width, height = size
    image = Image.new("RGB", size, top)
    draw = ImageDraw.Draw(image)
    for y in range(height):
        t = y / max(1, height - 1)
        colour = tuple(int(a + (b - a) * t) for a, b in zip(top, bottom, strict=True))
        draw.line([(0, y), (width, y)], fill=colour)
    return image, draw


def illustration(palette: int, seed: str, size=(1600, 900)) -> bytes:
    """A calm abstract scene: a sky gradient, a sun and layered hills, as JPEG bytes."""
    rng = random.Random(seed)  # noqa: S311 - decoration, not security
    dark, mid, light = PALETTES[palette % len(PALETTES)]
    image, draw = _gradient(size, light, mid)
    width, height = size
    radius = rng.randint(height // 10, height // 6)
    cx, cy = (
        rng.randint(width // 5, 4 * width // 5),
        rng.randint(height // 6, height // 3),
    )
    draw.ellipse(
        [cx - radius, cy - radius, cx + radius, cy + radius], fill=(252, 246, 226)
    )
    for layer in range(4):
        shade = tuple(
            int(m + (d - m) * (layer + 1) / 4) for m, d in zip(mid, dark, strict=True)
        )
        base = int(height * (0.55 + 0.12 * layer))
        points = [(0, height)]
        for x in range(0, width + 80, 80):
            points.append((x, base + rng.randint(-height // 14, height // 14)))
        points.append((width, height))
        draw.polygon(points, fill=shade)
    return _jpeg(image)


def portrait(name: str, palette: int, size=(400, 400)) -> bytes:
    """An initials avatar for a demo author."""
    dark, mid, light = PALETTES[palette % len(PALETTES)]
    image, draw = _gradient(size, mid, dark)
    initials = "".join(part[0] for part in name.split()[:2]).upper()
    font = ImageFont.load_default(size=size[0] // 3)
    draw.text((size[0] / 2, size[1] / 2), initials, fill=light, font=font, anchor="mm")
    return _jpeg(image)


def house_ad(headline: str, subline: str, outlet: str, size=(600, 500)) -> bytes:
    """The demo outlet's subscription ad, sized for a 300×250 slot at double density."""
    image, draw = _gradient(size, (140, 18, 27), (60, 8, 12))
    width, height = size
    draw.text(
        (width / 2, 90),
        outlet,
        fill=(255, 236, 200),
        anchor="mm",
        font=ImageFont.load_default(size=34),
    )
    draw.text(
        (width / 2, height / 2 - 10),
        headline,
        fill=(255, 255, 255),
        anchor="mm",
        font=ImageFont.load_default(size=36),
    )
    draw.text(
        (width / 2, height / 2 + 50),
        subline,
        fill=(255, 226, 226),
        anchor="mm",
        font=ImageFont.load_default(size=26),
    )
    draw.rounded_rectangle(
        [width / 2 - 120, height - 130, width / 2 + 120, height - 70],
        radius=12,
        fill=(255, 255, 255),
    )
    draw.text(
        (width / 2, height - 100),
        "Subscribe",
        fill=(140, 18, 27),
        anchor="mm",
        font=ImageFont.load_default(size=30),
    )
    return _jpeg(image)


def _jpeg(image) -> bytes:
    buffer = BytesIO()
    image.save(buffer, format="JPEG", quality=85, optimize=True)
    return buffer.getvalue()
