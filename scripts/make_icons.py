#!/usr/bin/env python3
"""Draw the app's PNG icons (192 and 512 px, as a home screen asks) and the favicon (16, 32 and 48 px, for
browsers that ask for /favicon.ico) in the shapes of static/icons/icon.svg: a house on the Signaalpunt blue
with a warm light inside. Run again after changing the drawing."""

from pathlib import Path

from PIL import Image, ImageDraw

BLUE, WHITE, AMBER = (29, 79, 145), (255, 255, 255), (242, 169, 0)
ICONS = Path(__file__).resolve().parents[1] / "static" / "icons"


def draw(size: int) -> Image.Image:
    scale = size / 512
    image = Image.new("RGBA", (size, size), (0, 0, 0, 0))
    pen = ImageDraw.Draw(image)
    pen.rounded_rectangle((0, 0, size - 1, size - 1), radius=round(96 * scale), fill=BLUE)
    house = [(256, 120), (96, 250), (140, 250), (140, 392), (372, 392), (372, 250), (416, 250)]
    pen.polygon([(x * scale, y * scale) for x, y in house], fill=WHITE)
    pen.ellipse([(210 * scale, 254 * scale), (302 * scale, 346 * scale)], fill=AMBER)
    return image


if __name__ == "__main__":
    for size in (192, 512):
        draw(size).save(ICONS / f"icon-{size}.png", optimize=True)
    draw(512).save(ICONS / "favicon.ico", sizes=[(16, 16), (32, 32), (48, 48)])
