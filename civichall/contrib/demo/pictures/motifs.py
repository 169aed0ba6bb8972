"""The motifs of the demo pictures: one drawing function per subject
(metro, school, mosquito, hospital ...), each filling a box in a palette."""

import math

from .drawing import (
    INK,
    WHITE,
    _cloud,
    _dark,
    _ellipse_poly,
    _heart,
    _light,
    _mix,
    _person,
    _qr,
    _rotated,
    _tree,
)

# --- motifs ---------------------------------------------------------------


def _metro(d, b, pal, rnd):
    c0, c1, c2 = pal
    d.rectangle(b.r(0, 0.86, 1, 0.9), fill=_dark(c0, 0.5))
    for i in range(14):
        d.rectangle(b.r(i / 14 + 0.01, 0.9, i / 14 + 0.04, 0.95), fill=_dark(c0, 0.4))
    d.rounded_rectangle(b.r(0.06, 0.3, 0.8, 0.84), radius=0.08 * b.s, fill=c1)
    d.pieslice(b.r(0.66, 0.3, 0.94, 0.84), 270, 90, fill=c1)
    d.rectangle(b.r(0.06, 0.7, 0.86, 0.75), fill=c2)
    for i in range(4):
        x = 0.1 + i * 0.15
        d.rounded_rectangle(b.r(x, 0.38, x + 0.11, 0.56), radius=0.02 * b.s, fill=_light(c0, 0.3))
    d.rounded_rectangle(b.r(0.7, 0.38, 0.86, 0.56), radius=0.03 * b.s, fill=_light(c0, 0.3))
    d.rectangle(b.r(0.68, 0.38, 0.69, 0.7), fill=_dark(c1, 0.3))
    d.ellipse(b.circle(0.86, 0.64, 0.025), fill=(255, 236, 150))
    # station roundel on a pole
    d.rectangle(b.r(0.9, 0.12, 0.915, 0.86), fill=INK)
    d.ellipse(b.circle(0.907, 0.14, 0.07), fill=c2)
    d.ellipse(b.circle(0.907, 0.14, 0.045), fill=WHITE)
    x, y = b.p(0.907, 0.14)
    r = 0.03 * b.s
    d.line([x - r, y + r * 0.7, x - r, y - r * 0.7, x, y + r * 0.2, x + r, y - r * 0.7, x + r, y + r * 0.7],
           fill=c2, width=max(4, int(r * 0.35)), joint="curve")


def _school(d, b, pal, rnd):
    c0, c1, c2 = pal
    d.rectangle(b.r(0, 0.88, 1, 1), fill=_dark(c0, 0.15))
    d.rectangle(b.r(0.18, 0.42, 0.82, 0.88), fill=c1)
    d.polygon([b.p(0.14, 0.44), b.p(0.5, 0.18), b.p(0.86, 0.44)], fill=c2)
    d.ellipse(b.circle(0.5, 0.34, 0.05), fill=WHITE)
    x, y = b.p(0.5, 0.34)
    d.line([x, y, x, y - 0.035 * b.s], fill=INK, width=5)
    d.line([x, y, x + 0.025 * b.s, y], fill=INK, width=5)
    for row in range(2):
        for col in range(4):
            fx = 0.23 + col * 0.16 if col < 2 else 0.31 + col * 0.16
            d.rectangle(b.r(fx, 0.5 + row * 0.16, fx + 0.08, 0.6 + row * 0.16), fill=_light(c0, 0.2))
    d.pieslice(b.r(0.44, 0.66, 0.56, 0.8), 180, 360, fill=_dark(c1, 0.35))
    d.rectangle(b.r(0.44, 0.73, 0.56, 0.88), fill=_dark(c1, 0.35))
    d.rectangle(b.r(0.07, 0.1, 0.08, 0.88), fill=INK)
    d.polygon([b.p(0.08, 0.11), b.p(0.16, 0.15), b.p(0.08, 0.19)], fill=(222, 41, 16))
    _tree(d, b, 0.92, 0.72, 0.07, _dark(c0, 0.1) if c0 != c1 else (72, 149, 90))


def _mosquito(d, b, pal, rnd):
    c0, c1, c2 = pal
    cx, cy = b.p(0.5, 0.52)
    s = b.s
    wing = _light(c1, 0.7)
    d.polygon(_ellipse_poly(cx - 0.06 * s, cy - 0.12 * s, 0.16 * s, 0.06 * s, -1.0), fill=wing)
    d.polygon(_ellipse_poly(cx + 0.06 * s, cy - 0.12 * s, 0.16 * s, 0.06 * s, 1.0 + math.pi), fill=wing)
    body = _dark(c1, 0.3)
    for side in (-1, 1):
        for k in range(3):
            x0 = cx + side * (0.02 + 0.04 * k) * s
            d.line([x0, cy, x0 + side * 0.12 * s, cy + 0.08 * s, x0 + side * 0.16 * s, cy + 0.22 * s],
                   fill=body, width=max(3, int(s * 0.008)), joint="curve")
    d.polygon(_ellipse_poly(cx + 0.12 * s, cy + 0.06 * s, 0.17 * s, 0.04 * s, 0.35), fill=body)
    for k in range(3):
        x, y = cx + (0.03 + 0.08 * k) * s, cy + (0.0 + 0.028 * k) * s
        d.line([x, y - 0.035 * s, x + 0.01 * s, y + 0.04 * s], fill=_light(c1, 0.4), width=max(3, int(s * 0.01)))
    d.ellipse([cx - 0.09 * s, cy - 0.07 * s, cx - 0.01 * s, cy + 0.01 * s], fill=body)
    d.ellipse([cx - 0.07 * s, cy - 0.05 * s, cx - 0.035 * s, cy - 0.015 * s], fill=c2)
    d.line([cx - 0.08 * s, cy - 0.01 * s, cx - 0.2 * s, cy + 0.07 * s], fill=body, width=max(3, int(s * 0.008)))
    # "no mosquitoes" ring
    ring = b.circle(0.5, 0.5, 0.38)
    d.ellipse(ring, outline=c2, width=int(s * 0.035))
    d.line([b.p(0.5 - 0.27 * s / b.w, 0.5 - 0.27 * s / b.h), b.p(0.5 + 0.27 * s / b.w, 0.5 + 0.27 * s / b.h)],
           fill=c2, width=int(s * 0.035))
    # a flower pot with standing water, the thing to tip out
    d.polygon([b.p(0.02, 0.78), b.p(0.14, 0.78), b.p(0.12, 0.96), b.p(0.04, 0.96)], fill=(196, 120, 72))
    d.ellipse(b.r(0.03, 0.76, 0.13, 0.8), fill=(120, 180, 220))


def _phone_scan(d, b, pal, rnd):
    c0, c1, c2 = pal
    d.rounded_rectangle(b.r(0.22, 0.08, 0.48, 0.94), radius=0.05 * b.s, fill=INK)
    d.rounded_rectangle(b.r(0.235, 0.14, 0.465, 0.86), radius=0.02 * b.s, fill=WHITE)
    x0, y0 = b.p(0.255, 0.3)
    size = min(0.19 * b.w, 0.4 * b.h)
    _qr(d, x0, y0, size, rnd, ink=_dark(c1, 0.2))
    d.rectangle([x0 - 0.01 * b.w, y0 + size * 0.5, x0 + size + 0.01 * b.w, y0 + size * 0.5 + 0.012 * b.h], fill=(76, 175, 80))
    d.rounded_rectangle(b.r(0.28, 0.76, 0.42, 0.82), radius=0.02 * b.s, fill=(76, 175, 80))
    # the place code on a stand
    d.rectangle(b.r(0.74, 0.55, 0.76, 0.96), fill=_dark(c0, 0.4))
    d.rounded_rectangle(b.r(0.6, 0.12, 0.9, 0.6), radius=0.03 * b.s, fill=c1)
    qx, qy = b.p(0.64, 0.2)
    _qr(d, qx, qy, min(0.22 * b.w, 0.36 * b.h), rnd, ink=INK)
    for i in range(3):
        x, y = b.p(0.53 + i * 0.02, 0.36)
        d.arc([x - 0.04 * b.s, y - 0.06 * b.s, x + 0.04 * b.s, y + 0.06 * b.s], 300, 60, fill=c2, width=6)


def _hospital(d, b, pal, rnd):
    c0, c1, c2 = pal
    d.rectangle(b.r(0, 0.9, 1, 1), fill=_dark(c0, 0.12))
    d.rectangle(b.r(0.2, 0.3, 0.8, 0.9), fill=_light(c1, 0.75))
    d.rectangle(b.r(0.35, 0.16, 0.65, 0.3), fill=_light(c1, 0.6))
    d.rounded_rectangle(b.r(0.44, 0.02, 0.56, 0.15), radius=0.02 * b.s, fill=WHITE)
    x, y = b.p(0.5, 0.085)
    a, t = 0.045 * b.s, 0.015 * b.s
    d.rectangle([x - t, y - a, x + t, y + a], fill=c2)
    d.rectangle([x - a, y - t, x + a, y + t], fill=c2)
    for row in range(3):
        for col in range(5):
            fx = 0.24 + col * 0.11
            d.rectangle(b.r(fx, 0.36 + row * 0.14, fx + 0.07, 0.45 + row * 0.14), fill=c1)
    d.rectangle(b.r(0.44, 0.74, 0.56, 0.9), fill=_dark(c1, 0.2))
    d.rectangle(b.r(0.2, 0.64, 0.8, 0.66), fill=c2)
    _tree(d, b, 0.1, 0.72, 0.08, (72, 149, 90))
    _tree(d, b, 0.9, 0.74, 0.07, (72, 149, 90))


def _rain(d, b, pal, rnd):
    c0, c1, c2 = pal
    _cloud(d, b, 0.3, 0.2, 0.11, _mix(c1, (200, 205, 210), 0.5))
    _cloud(d, b, 0.68, 0.16, 0.13, _mix(c1, (170, 178, 186), 0.4))
    drop = _dark(c1, 0.1)
    for i in range(34):
        fx, fy = rnd.random(), 0.32 + rnd.random() * 0.5
        x, y = b.p(fx, fy)
        d.line([x, y, x - 0.012 * b.s, y + 0.05 * b.s], fill=drop, width=max(3, int(b.s * 0.007)))
    d.pieslice(b.r(0.36, 0.46, 0.64, 0.8), 180, 360, fill=c2)
    for k in range(4):
        fx = 0.36 + k * 0.07
        d.pieslice(b.r(fx, 0.6, fx + 0.07, 0.66), 0, 180, fill=_light(c0, 0.0))
    x0, y0 = b.p(0.5, 0.63)
    d.line([x0, y0, x0, y0 + 0.22 * b.h], fill=INK, width=max(4, int(b.s * 0.01)))
    d.arc([x0 - 0.04 * b.s, y0 + 0.2 * b.h, x0, y0 + 0.2 * b.h + 0.06 * b.s], 0, 180, fill=INK,
          width=max(4, int(b.s * 0.01)))
    for fx in (0.15, 0.8):
        d.ellipse(b.r(fx, 0.9, fx + 0.14, 0.96), fill=_light(c1, 0.45))


def _sun(d, b, pal, rnd):
    c0, c1, c2 = pal
    cx, cy = b.p(0.35, 0.45)
    r = 0.2 * b.s
    for i in range(12):
        a = i * math.pi / 6
        d.polygon([(cx + math.cos(a - 0.12) * r * 1.2, cy + math.sin(a - 0.12) * r * 1.2),
                   (cx + math.cos(a) * r * 1.65, cy + math.sin(a) * r * 1.65),
                   (cx + math.cos(a + 0.12) * r * 1.2, cy + math.sin(a + 0.12) * r * 1.2)], fill=c1)
    d.ellipse([cx - r, cy - r, cx + r, cy + r], fill=c2)
    d.ellipse([cx - r * 0.75, cy - r * 0.75, cx + r * 0.75, cy + r * 0.75], fill=_light(c2, 0.25))
    # thermometer
    d.rounded_rectangle(b.r(0.72, 0.12, 0.8, 0.78), radius=0.04 * b.s, fill=WHITE, outline=INK, width=5)
    d.rectangle(b.r(0.745, 0.3, 0.775, 0.8), fill=(214, 40, 40))
    d.ellipse(b.circle(0.76, 0.82, 0.07), fill=(214, 40, 40))
    for k in range(5):
        d.line([b.p(0.8, 0.2 + k * 0.1), b.p(0.83, 0.2 + k * 0.1)], fill=INK, width=5)
    for k in range(3):
        y = 0.84 + k * 0.05
        pts = [b.p(0.05 + i * 0.05, y + (0.012 if i % 2 else -0.012)) for i in range(11)]
        d.line(pts, fill=_dark(c1, 0.15), width=5, joint="curve")


def _bus(d, b, pal, rnd):
    c0, c1, c2 = pal
    d.rectangle(b.r(0, 0.86, 1, 1), fill=(120, 124, 130))
    for i in range(6):
        d.rectangle(b.r(i / 6 + 0.02, 0.92, i / 6 + 0.1, 0.935), fill=WHITE)
    d.rounded_rectangle(b.r(0.08, 0.3, 0.76, 0.82), radius=0.05 * b.s, fill=c1)
    d.rectangle(b.r(0.08, 0.66, 0.76, 0.7), fill=c2)
    d.rounded_rectangle(b.r(0.12, 0.33, 0.5, 0.38), radius=0.01 * b.s, fill=INK)
    d.rectangle(b.r(0.14, 0.345, 0.3, 0.365), fill=(255, 183, 3))
    for i in range(4):
        x = 0.11 + i * 0.125
        d.rounded_rectangle(b.r(x, 0.42, x + 0.1, 0.6), radius=0.015 * b.s, fill=_light(c0, 0.3))
    d.rounded_rectangle(b.r(0.62, 0.42, 0.72, 0.8), radius=0.015 * b.s, fill=_light(c0, 0.2))
    for fx in (0.22, 0.6):
        d.ellipse(b.circle(fx, 0.82, 0.07), fill=INK)
        d.ellipse(b.circle(fx, 0.82, 0.03), fill=(200, 200, 200))
    d.rectangle(b.r(0.87, 0.2, 0.885, 0.86), fill=INK)
    d.rounded_rectangle(b.r(0.82, 0.12, 0.94, 0.42), radius=0.02 * b.s, fill=c2)
    for k in range(3):
        d.rectangle(b.r(0.84, 0.18 + k * 0.07, 0.92, 0.21 + k * 0.07), fill=WHITE)


def _factory(d, b, pal, rnd):
    c0, c1, c2 = pal
    d.rectangle(b.r(0, 0.88, 1, 1), fill=_dark(c0, 0.2))
    for fx, top in ((0.14, 0.12), (0.24, 0.2)):
        d.rectangle(b.r(fx, top, fx + 0.05, 0.5), fill=_dark(c1, 0.2))
        for k in range(3):
            d.ellipse(b.circle(fx + 0.03 + k * 0.04, top - 0.06 - k * 0.05, 0.03 + k * 0.01), fill=_light(c0, 0.4))
    pts = [b.p(0.08, 0.88), b.p(0.08, 0.5)]
    for k in range(4):
        x = 0.08 + k * 0.15
        pts += [b.p(x + 0.15, 0.34), b.p(x + 0.15, 0.5)]
    pts += [b.p(0.68, 0.88)]
    d.polygon(pts, fill=c1)
    for k in range(4):
        d.rectangle(b.r(0.12 + k * 0.14, 0.6, 0.2 + k * 0.14, 0.72), fill=_light(c0, 0.2))
    d.rectangle(b.r(0.32, 0.76, 0.42, 0.88), fill=_dark(c1, 0.35))
    # gear
    cx, cy = b.p(0.83, 0.55)
    r = 0.16 * b.s
    teeth = []
    for i in range(24):
        a = i * math.pi / 12
        rr = r if i % 2 == 0 else r * 0.78
        teeth.append((cx + math.cos(a) * rr, cy + math.sin(a) * rr))
    d.polygon(teeth, fill=c2)
    d.ellipse([cx - r * 0.35, cy - r * 0.35, cx + r * 0.35, cy + r * 0.35], fill=_light(c0, 0.3))


def _park(d, b, pal, rnd):
    c0, c1, c2 = pal
    green = c1
    d.ellipse(b.r(-0.3, 0.6, 0.7, 1.5), fill=_light(green, 0.25))
    d.ellipse(b.r(0.3, 0.55, 1.4, 1.5), fill=_light(green, 0.1))
    d.polygon([b.p(0.42, 1.0), b.p(0.5, 0.62), b.p(0.56, 0.62), b.p(0.72, 1.0)], fill=(232, 214, 178))
    for fx, fy, fr in ((0.12, 0.58, 0.1), (0.28, 0.5, 0.08), (0.8, 0.5, 0.11), (0.93, 0.6, 0.07)):
        _tree(d, b, fx, fy, fr, _dark(green, 0.1))
    d.rectangle(b.r(0.6, 0.74, 0.76, 0.77), fill=(140, 94, 60))
    d.rectangle(b.r(0.6, 0.7, 0.76, 0.72), fill=(140, 94, 60))
    for fx in (0.61, 0.74):
        d.rectangle(b.r(fx, 0.77, fx + 0.01, 0.82), fill=(90, 60, 40))
    for i in range(18):
        x, y = rnd.random(), 0.8 + rnd.random() * 0.18
        d.ellipse(b.circle(x, y, 0.012), fill=c2 if i % 2 else (255, 214, 102))
    d.ellipse(b.circle(0.88, 0.12, 0.07), fill=(255, 214, 102))


def _vaccine(d, b, pal, rnd):
    c0, c1, c2 = pal
    # shield with a tick
    cx, cy = b.p(0.3, 0.5)
    s = b.s
    shield = [(cx - 0.22 * s, cy - 0.3 * s), (cx + 0.22 * s, cy - 0.3 * s), (cx + 0.22 * s, cy),
              (cx, cy + 0.34 * s), (cx - 0.22 * s, cy)]
    d.polygon(shield, fill=c1)
    d.line([(cx - 0.1 * s, cy - 0.02 * s), (cx - 0.02 * s, cy + 0.08 * s), (cx + 0.12 * s, cy - 0.12 * s)],
           fill=WHITE, width=int(s * 0.04), joint="curve")
    # syringe, tilted
    ang = -0.7
    sx, sy = b.p(0.68, 0.5)
    d.polygon(_rotated(sx, sy, 0.42 * s, 0.11 * s, ang), fill=_light(c0, 0.6), outline=INK, width=5)
    d.polygon(_rotated(sx - 0.05 * s * math.cos(ang), sy - 0.05 * s * math.sin(ang), 0.24 * s, 0.08 * s, ang),
                 fill=c2)
    tip = (sx + 0.21 * s * math.cos(ang), sy + 0.21 * s * math.sin(ang))
    d.line([tip, (tip[0] + 0.12 * s * math.cos(ang), tip[1] + 0.12 * s * math.sin(ang))], fill=INK, width=5)
    back = (sx - 0.21 * s * math.cos(ang), sy - 0.21 * s * math.sin(ang))
    plunger = (back[0] - 0.1 * s * math.cos(ang), back[1] - 0.1 * s * math.sin(ang))
    d.line([back, plunger], fill=INK, width=10)
    d.polygon(_rotated(*plunger, 0.02 * s, 0.14 * s, ang), fill=INK)
    # a vial
    d.rounded_rectangle(b.r(0.84, 0.66, 0.92, 0.92), radius=0.015 * b.s, fill=_light(c1, 0.5))
    d.rectangle(b.r(0.85, 0.62, 0.91, 0.67), fill=c2)


_BIN_COLOURS = [(30, 95, 168), (214, 40, 40), (123, 74, 42), (43, 43, 43)]


def _garbage(d, b, pal, rnd):
    c0, c1, c2 = pal
    d.rectangle(b.r(0, 0.9, 1, 1), fill=_dark(c0, 0.12))
    for i, colour in enumerate(_BIN_COLOURS):
        x = 0.08 + i * 0.225
        d.polygon([b.p(x, 0.36), b.p(x + 0.17, 0.36), b.p(x + 0.155, 0.9), b.p(x + 0.015, 0.9)], fill=colour)
        d.rounded_rectangle(b.r(x - 0.015, 0.28, x + 0.185, 0.36), radius=0.01 * b.s, fill=_dark(colour, 0.25))
        cx, cy = b.p(x + 0.085, 0.6)
        r = 0.07 * b.s
        if i == 0:  # recyclable: circular arrows
            d.arc([cx - r, cy - r, cx + r, cy + r], 20, 320, fill=WHITE, width=int(r * 0.3))
        elif i == 1:  # hazardous: warning triangle
            d.polygon([(cx, cy - r), (cx + r, cy + r * 0.8), (cx - r, cy + r * 0.8)], outline=WHITE, width=int(r * 0.2))
        elif i == 2:  # wet: a leaf
            d.polygon(_ellipse_poly(cx, cy, r, r * 0.5, -0.6), fill=WHITE)
        else:  # dry: a square
            d.rectangle([cx - r * 0.7, cy - r * 0.7, cx + r * 0.7, cy + r * 0.7], outline=WHITE, width=int(r * 0.25))


def _city(d, b, pal, rnd):
    c0, c1, c2 = pal
    d.rectangle(b.r(0, 0.82, 1, 1), fill=_light(c1, 0.35))
    for k in range(3):
        y = 0.87 + k * 0.04
        d.line([b.p(0.05 + k * 0.1, y), b.p(0.3 + k * 0.1, y)], fill=WHITE, width=4)
    x = 0.0
    while x < 1.0:
        w = 0.05 + rnd.random() * 0.07
        h = 0.25 + rnd.random() * 0.4
        if 0.44 < x < 0.56:
            x += 0.08
            continue
        shade = _mix(c1, c0, rnd.random() * 0.4)
        d.rectangle(b.r(x, 0.82 - h, x + w, 0.82), fill=shade)
        for wy in range(int(h / 0.06)):
            for wx in range(int(w / 0.025)):
                if rnd.random() < 0.5:
                    px = x + 0.008 + wx * 0.025
                    py = 0.82 - h + 0.02 + wy * 0.06
                    d.rectangle(b.r(px, py, px + 0.01, py + 0.025), fill=_light(c0, 0.4))
        x += w + 0.01
    # a TV tower with two spheres
    d.rectangle(b.r(0.495, 0.06, 0.505, 0.82), fill=_dark(c1, 0.3))
    d.polygon([b.p(0.46, 0.82), b.p(0.5, 0.5), b.p(0.54, 0.82)], fill=_dark(c1, 0.3))
    d.ellipse(b.circle(0.5, 0.56, 0.07), fill=c2)
    d.ellipse(b.circle(0.5, 0.28, 0.045), fill=c2)


def _elderly(d, b, pal, rnd):
    c0, c1, c2 = pal
    d.rectangle(b.r(0, 0.9, 1, 1), fill=_dark(c0, 0.12))
    _person(d, b, 0.35, 0.9, 0.72, c1, hair=(225, 225, 225), cane=True)
    hx, hy = _person(d, b, 0.62, 0.9, 0.82, c2)
    d.rounded_rectangle([hx + 0.05 * b.s, hy - 0.06 * b.s, hx + 0.11 * b.s, hy + 0.05 * b.s],
                        radius=0.01 * b.s, fill=INK)
    d.line([b.p(0.42, 0.55), b.p(0.55, 0.55)], fill=_dark(c2, 0.3), width=int(b.s * 0.02))
    _heart(d, *b.p(0.5, 0.14), 0.05 * b.s)
    _tree(d, b, 0.88, 0.7, 0.08, (72, 149, 90))


def _document(d, b, pal, rnd):
    c0, c1, c2 = pal
    for k, shade in enumerate((_light(c1, 0.7), _light(c1, 0.85), WHITE)):
        off = (2 - k) * 0.025
        d.rounded_rectangle(b.r(0.28 + off, 0.08 + off, 0.72 + off, 0.92 + off * 0.2), radius=0.02 * b.s,
                            fill=shade, outline=_light(INK, 0.6), width=3)
    d.rectangle(b.r(0.34, 0.16, 0.66, 0.21), fill=c2)
    for k in range(8):
        width = 0.3 if k % 3 else 0.22
        d.rounded_rectangle(b.r(0.34, 0.28 + k * 0.065, 0.34 + width, 0.3 + k * 0.065),
                            radius=0.005 * b.s, fill=_light(INK, 0.55))
    cx, cy = b.p(0.6, 0.76)
    r = 0.09 * b.s
    d.ellipse([cx - r, cy - r, cx + r, cy + r], outline=c2, width=int(r * 0.12))
    star = []
    for i in range(10):
        a = -math.pi / 2 + i * math.pi / 5
        rr = r * (0.5 if i % 2 == 0 else 0.2)
        star.append((cx + math.cos(a) * rr, cy + math.sin(a) * rr))
    d.polygon(star, fill=c2)
    d.polygon(_rotated(*b.p(0.82, 0.55), 0.04 * b.s, 0.4 * b.s, 0.5), fill=c1)


def _family(d, b, pal, rnd):
    c0, c1, c2 = pal
    d.rectangle(b.r(0, 0.9, 1, 1), fill=_dark(c0, 0.12))
    d.rectangle(b.r(0.12, 0.35, 0.88, 0.9), fill=_light(c1, 0.75))
    d.polygon([b.p(0.06, 0.38), b.p(0.5, 0.05), b.p(0.94, 0.38)], fill=_light(c1, 0.3))
    for fx, fh, colour in ((0.28, 0.62, c1), (0.44, 0.36, c2), (0.58, 0.3, _mix(c1, c2, 0.5)), (0.74, 0.66, c2)):
        _person(d, b, fx, 0.9, fh, colour)
    d.line([b.p(0.3, 0.66), b.p(0.72, 0.66)], fill=_dark(c1, 0.2), width=int(b.s * 0.012))


MOTIFS = {
    "metro": _metro,
    "school": _school,
    "mosquito": _mosquito,
    "phone-scan": _phone_scan,
    "hospital": _hospital,
    "rain": _rain,
    "sun": _sun,
    "bus": _bus,
    "factory": _factory,
    "park": _park,
    "vaccine": _vaccine,
    "garbage": _garbage,
    "city": _city,
    "elderly": _elderly,
    "document": _document,
    "family": _family,
}
