"""Drawing helpers of the demo pictures: colours, a box that maps fractions
to pixels, and small figures (people, QR codes, trees, hearts, clouds)."""

import math

SCALE = 2  # draw at twice the size, then downsample: smooth edges, no fonts
WHITE = (255, 255, 255)
INK = (52, 58, 64)


# --- colour helpers -------------------------------------------------------


def _rgb(value):
    value = str(value).lstrip("#")
    if len(value) == 3:
        value = "".join(c * 2 for c in value)
    try:
        return tuple(int(value[i : i + 2], 16) for i in (0, 2, 4))
    except ValueError:
        return (128, 128, 128)


def _mix(a, b, t):
    return tuple(round(x + (y - x) * t) for x, y in zip(a, b))


def _light(c, t=0.55):
    return _mix(c, WHITE, t)


def _dark(c, t=0.35):
    return _mix(c, (0, 0, 0), t)


# --- geometry helpers -----------------------------------------------------


class _Box:
    """A drawing region; ``p(fx, fy)`` maps fractions of it to pixels."""

    def __init__(self, x0, y0, x1, y1):
        self.x0, self.y0, self.x1, self.y1 = x0, y0, x1, y1
        self.w, self.h = x1 - x0, y1 - y0
        self.s = min(self.w, self.h)

    def p(self, fx, fy):
        return (self.x0 + fx * self.w, self.y0 + fy * self.h)

    def r(self, fx0, fy0, fx1, fy1):
        return [*self.p(fx0, fy0), *self.p(fx1, fy1)]

    def circle(self, fx, fy, fr):
        x, y = self.p(fx, fy)
        r = fr * self.s
        return [x - r, y - r, x + r, y + r]


def _rotated(cx, cy, w, h, angle):
    """Corners of a w×h rectangle centred on (cx, cy), rotated by angle (rad)."""
    ca, sa = math.cos(angle), math.sin(angle)
    pts = []
    for dx, dy in ((-w / 2, -h / 2), (w / 2, -h / 2), (w / 2, h / 2), (-w / 2, h / 2)):
        pts.append((cx + dx * ca - dy * sa, cy + dx * sa + dy * ca))
    return pts


def _ellipse_poly(cx, cy, rx, ry, angle, n=40):
    ca, sa = math.cos(angle), math.sin(angle)
    pts = []
    for i in range(n):
        t = 2 * math.pi * i / n
        x, y = rx * math.cos(t), ry * math.sin(t)
        pts.append((cx + x * ca - y * sa, cy + x * sa + y * ca))
    return pts


def _person(d, b, fx, fy_feet, fh, body, head=(246, 214, 186), hair=INK, cane=False):
    """A simple standing figure whose feet are at (fx, fy_feet), fh tall."""
    x, y = b.p(fx, fy_feet)
    h = fh * b.h
    hr = h * 0.11
    d.ellipse([x - hr, y - h, x + hr, y - h + 2 * hr], fill=head)
    d.chord([x - hr, y - h - hr * 0.15, x + hr, y - h + hr * 1.4], 180, 360, fill=hair)
    d.rounded_rectangle([x - h * 0.16, y - h + 2.3 * hr, x + h * 0.16, y - h * 0.36],
                        radius=h * 0.07, fill=body)
    leg = _dark(body, 0.45)
    d.rectangle([x - h * 0.12, y - h * 0.38, x - h * 0.02, y], fill=leg)
    d.rectangle([x + h * 0.02, y - h * 0.38, x + h * 0.12, y], fill=leg)
    if cane:
        d.line([x + h * 0.22, y - h * 0.5, x + h * 0.3, y], fill=(121, 85, 61), width=max(3, int(h * 0.03)))
        d.arc([x + h * 0.16, y - h * 0.56, x + h * 0.28, y - h * 0.44], 180, 360,
              fill=(121, 85, 61), width=max(3, int(h * 0.03)))
    return x, y - h * 0.6  # roughly the hand


def _qr(d, x0, y0, size, rnd, ink=INK, paper=WHITE):
    """A QR-looking square (random modules, three finder patterns)."""
    n = 11
    cell = size / n
    d.rectangle([x0, y0, x0 + size, y0 + size], fill=paper)
    for i in range(n):
        for j in range(n):
            if rnd.random() < 0.45:
                d.rectangle([x0 + i * cell, y0 + j * cell, x0 + (i + 1) * cell, y0 + (j + 1) * cell], fill=ink)
    for fi, fj in ((0, 0), (n - 3, 0), (0, n - 3)):
        fx, fy = x0 + fi * cell, y0 + fj * cell
        d.rectangle([fx, fy, fx + 3 * cell, fy + 3 * cell], fill=ink)
        d.rectangle([fx + cell * 0.6, fy + cell * 0.6, fx + cell * 2.4, fy + cell * 2.4], fill=paper)
        d.rectangle([fx + cell, fy + cell, fx + 2 * cell, fy + 2 * cell], fill=ink)


def _tree(d, b, fx, fy, fr, leaf, trunk=(121, 85, 61)):
    x, y = b.p(fx, fy)
    r = fr * b.s
    d.rectangle([x - r * 0.15, y - r * 0.2, x + r * 0.15, y + r * 1.3], fill=trunk)
    d.ellipse([x - r, y - r * 1.3, x + r, y + r * 0.5], fill=leaf)
    d.ellipse([x - r * 0.7, y - r * 1.7, x + r * 0.6, y - r * 0.3], fill=_light(leaf, 0.15))


def _heart(d, cx, cy, r, colour=(230, 57, 70)):
    d.ellipse([cx - r * 1.05, cy - r * 0.55, cx + r * 0.05, cy + r * 0.55], fill=colour)
    d.ellipse([cx - r * 0.05, cy - r * 0.55, cx + r * 1.05, cy + r * 0.55], fill=colour)
    d.polygon([(cx - r * 1.0, cy + r * 0.15), (cx + r * 1.0, cy + r * 0.15), (cx, cy + r * 1.3)], fill=colour)


def _cloud(d, b, fx, fy, fr, color):
    for dx, dy, k in ((-1.0, 0.2, 0.7), (0, -0.2, 1.0), (1.0, 0.15, 0.75), (0.5, 0.35, 0.7), (-0.5, 0.35, 0.7)):
        d.ellipse(b.circle(fx + dx * fr * b.s / b.w, fy + dy * fr * b.s / b.h, fr * k), fill=color)
