"""Pictures for the demo articles, drawn from their specs with Pillow.

Pure functions, no Django: ``render_image`` turns an image spec from
``demo_data.IMAGES`` (a kind, a three-colour palette and a motif) into a small
flat illustration; ``render_avatar`` draws an account's round avatar. Only
shapes are drawn (the machine has no CJK fonts and the pictures must not carry
text a screen reader cannot get at); the words live in the alt text, captions
and poster descriptions. The same spec always gives the same bytes.
"""

import hashlib
import io
import json
import random

from PIL import Image, ImageDraw, ImageFont

from .drawing import INK, SCALE, WHITE, _Box, _light, _mix, _rgb
from .motifs import MOTIFS, _city

DEFAULT_PALETTE = ["#E8F1FA", "#1F5FA8", "#C8102E"]
SIZES = {"comic": (800, 800), "poster": (900, 1200)}


def size_for(spec):
    """A good size for the spec's kind: square comic frames, portrait posters."""
    return SIZES.get(spec.get("kind"), (1200, 675))


KINDS = ("photo", "comic", "poster", "chart-bg", "cover")


# --- layouts by kind ------------------------------------------------------


def _layout(d, kind, W, H, pal, rnd):
    """Paint the background for the kind; return the box the motif goes in."""
    c0, c1, c2 = pal
    if kind == "photo":
        bands = 6
        for i in range(bands):
            d.rectangle([0, H * i / bands * 0.7, W, H * (i + 1) / bands * 0.7 + 1],
                        fill=_mix(_light(c0, 0.5), c0, i / bands))
        d.rectangle([0, H * 0.7, W, H], fill=_mix(c0, c1, 0.35))
        return _Box(W * 0.08, H * 0.1, W * 0.92, H * 0.95)
    if kind == "comic":
        d.rectangle([0, 0, W, H], fill=WHITE)
        m = min(W, H) * 0.04
        d.rectangle([m, m, W - m, H - m], fill=_light(c0, 0.35), outline=INK, width=int(m * 0.35))
        # a speech bubble with three dots: someone is saying something
        bx0, by0, bx1, by1 = W * 0.08, H * 0.08, W * 0.42, H * 0.24
        d.ellipse([bx0, by0, bx1, by1], fill=WHITE, outline=INK, width=int(m * 0.2))
        d.polygon([(bx0 + (bx1 - bx0) * 0.55, by1 - m * 0.3), (bx0 + (bx1 - bx0) * 0.7, by1 + m * 1.6),
                   (bx0 + (bx1 - bx0) * 0.75, by1 - m * 0.4)], fill=WHITE)
        for k in range(3):
            cx, cy, r = bx0 + (bx1 - bx0) * (0.3 + 0.2 * k), (by0 + by1) / 2, m * 0.35
            d.ellipse([cx - r, cy - r, cx + r, cy + r], fill=c2)
        return _Box(W * 0.1, H * 0.26, W * 0.9, H * 0.9)
    if kind == "poster":
        d.rectangle([0, 0, W, H], fill=_light(c0, 0.2))
        head = H * 0.16
        d.rectangle([0, 0, W, head], fill=c1)
        for k in range(2):
            d.rounded_rectangle([W * 0.1, head * (0.3 + 0.3 * k), W * (0.75 - 0.25 * k), head * (0.45 + 0.3 * k)],
                                radius=head * 0.06, fill=WHITE)
        d.rectangle([0, H * 0.95, W, H], fill=c2)
        portrait = H > W
        motif_bottom = H * (0.55 if portrait else 0.9)
        text_box = (W * 0.08, H * 0.6, W * 0.92, H * 0.92) if portrait else (W * 0.56, head + H * 0.06, W * 0.94, H * 0.9)
        x0, y0, x1, y1 = text_box
        rows = 7
        for k in range(rows):
            ry = y0 + (y1 - y0) * k / rows
            d.ellipse([x0, ry + (y1 - y0) / rows * 0.2, x0 + (y1 - y0) / rows * 0.45, ry + (y1 - y0) / rows * 0.65],
                      fill=c2)
            d.rounded_rectangle([x0 + (y1 - y0) / rows * 0.7, ry + (y1 - y0) / rows * 0.28,
                                 x0 + (x1 - x0) * (0.65 + 0.3 * rnd.random()), ry + (y1 - y0) / rows * 0.56],
                                radius=6, fill=_light(INK, 0.55))
        if portrait:
            return _Box(W * 0.1, head + H * 0.03, W * 0.9, motif_bottom)
        return _Box(W * 0.04, head + H * 0.04, W * 0.52, motif_bottom)
    if kind == "chart-bg":
        d.rectangle([0, 0, W, H], fill=_light(c0, 0.6))
        for k in range(1, 6):
            y = H * (0.15 + 0.14 * k)
            d.line([W * 0.06, y, W * 0.94, y], fill=_light(c1, 0.8), width=3)
        for k in range(7):
            h = 0.1 + rnd.random() * 0.28  # stays below the motif box
            x = W * (0.1 + k * 0.12)
            d.rectangle([x, H * (0.85 - h), x + W * 0.06, H * 0.85], fill=_light(c1, 0.75 - 0.1 * (k % 2)))
        return _Box(W * 0.62, H * 0.05, W * 0.96, H * 0.45)
    # cover
    d.rectangle([0, 0, W, H], fill=_light(c0, 0.15))
    for _ in range(5):
        cx, cy, r = rnd.random() * W, rnd.random() * H, (0.1 + rnd.random() * 0.25) * min(W, H)
        d.ellipse([cx - r, cy - r, cx + r, cy + r], fill=_light(c0, 0.35))
    d.rectangle([0, H * 0.94, W, H], fill=c2)
    return _Box(W * 0.12, H * 0.06, W * 0.88, H * 0.94)


def _seed(*parts):
    text = json.dumps(parts, sort_keys=True, ensure_ascii=True, default=str)
    return int.from_bytes(hashlib.sha256(text.encode("ascii")).digest()[:8], "big")


def _png(img, colors=64):
    img = img.quantize(colors=colors, method=Image.Quantize.MEDIANCUT, dither=Image.Dither.NONE)
    out = io.BytesIO()
    img.save(out, format="PNG", optimize=True)
    return out.getvalue()


def render_image(spec, size=(1200, 675)):
    """PNG bytes of a flat illustration for an image spec (see ``IMAGES``)."""
    w, h = int(size[0]), int(size[1])
    W, H = w * SCALE, h * SCALE
    colours = [_rgb(c) for c in (spec.get("palette") or DEFAULT_PALETTE)][:3]
    while len(colours) < 3:
        colours.append(_rgb(DEFAULT_PALETTE[len(colours)]))
    kind = spec.get("kind") if spec.get("kind") in KINDS else "cover"
    motif = MOTIFS.get(spec.get("motif"), _city)
    rnd = random.Random(_seed(spec.get("title"), kind, spec.get("motif"), spec.get("palette"), w, h))
    img = Image.new("RGB", (W, H), WHITE)
    box = _layout(ImageDraw.Draw(img), kind, W, H, colours, rnd)
    # The motif is drawn on its own layer and clipped to its box.
    layer = Image.new("RGBA", (W, H), (0, 0, 0, 0))
    motif(ImageDraw.Draw(layer), box, colours, rnd)
    clip = tuple(int(round(v)) for v in (box.x0, box.y0, box.x1, box.y1))
    part = layer.crop(clip)
    img.paste(part, clip[:2], part)
    img = img.resize((w, h), Image.Resampling.LANCZOS)
    return _png(img)


def render_avatar(color_hex, initials_ascii):
    """A 256×256 round avatar in the colour, with up to three ASCII initials."""
    size = 256 * SCALE
    colour = _rgb(color_hex)
    img = Image.new("RGBA", (size, size), (255, 255, 255, 0))
    d = ImageDraw.Draw(img)
    d.ellipse([0, 0, size - 1, size - 1], fill=colour + (255,))
    m = size * 0.06
    d.ellipse([m, m, size - m, size - m], outline=_light(colour, 0.35) + (255,), width=int(size * 0.02))
    text = "".join(c for c in str(initials_ascii) if c.isascii() and c.isalnum()).upper()[:3]
    if text:
        font = ImageFont.load_default(size=int(size * (0.42 if len(text) < 3 else 0.32)))
        x0, y0, x1, y1 = d.textbbox((0, 0), text, font=font)
        d.text(((size - (x1 - x0)) / 2 - x0, (size - (y1 - y0)) / 2 - y0), text, font=font, fill=WHITE + (255,))
    img = img.resize((256, 256), Image.Resampling.LANCZOS)
    out = io.BytesIO()
    img.save(out, format="PNG", optimize=True)
    return out.getvalue()
