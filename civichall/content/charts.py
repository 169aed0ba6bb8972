"""Charts drawn on the server as SVG from a table of numbers.

Pure functions, no Django: the chart block stores the table an editor typed;
this module checks it and computes the geometry of a bar, line or pie chart,
so that the page shows a chart without JavaScript and the table stays beside
it as the accessible fallback.
"""

import math

PALETTE = ["#c8102e", "#1f5fa8", "#e39b0f", "#2c8a4b", "#7a4fa3", "#0f8c8c", "#8a5a2b"]
WIDTH, HEIGHT = 480, 300  # drawn small so that labels stay legible on a phone
PAD_LEFT, PAD_RIGHT, PAD_TOP, PAD_BOTTOM = 72, 12, 16, 44


def table_rows(table):
    """The rows of a table block value (dict with "data", or a list of rows)."""
    if isinstance(table, dict):
        table = table.get("data") or []
    return [["" if c is None else str(c).strip() for c in row] for row in (table or [])]


def parse_number(text):
    """A cell as a float; accepts thousands separators, % and full-width digits and points."""
    cleaned = (
        str(text)
        .translate({ord(c): ord("0") + i for i, c in enumerate("０１２３４５６７８９")})
        .replace(",", "")
        .replace("，", "")
        .replace("%", "")
        .replace("％", "")
        .replace("．", ".")
        .strip()
    )
    value = float(cleaned)
    if not math.isfinite(value):  # "nan", "inf", "1e999": no chart can be drawn from these
        raise ValueError(text)
    return value


def _trimmed(rows):
    """Drop empty trailing rows and columns left by the table editor."""
    rows = [r for r in rows if any(c for c in r)]
    if not rows:
        return rows
    width = max(len(r) for r in rows)
    rows = [r + [""] * (width - len(r)) for r in rows]
    while width > 1 and all(not r[width - 1] for r in rows):
        width -= 1
    return [r[:width] for r in rows]


def table_problem(table):
    """A person-readable problem with the table, or None if it can be charted."""
    from django.utils.translation import gettext as _  # only for the message

    rows = _trimmed(table_rows(table))
    if len(rows) < 2 or len(rows[0]) < 2:
        return _("Enter a header row and at least one row of data with a label and a number.")
    for r, row in enumerate(rows[1:], start=2):
        if not row[0]:
            return _("Row %(row)s needs a label in the first column.") % {"row": r}
        for c, cell in enumerate(row[1:], start=2):
            try:
                parse_number(cell)
            except ValueError:
                return _("Row %(row)s, column %(col)s is not a number: “%(cell)s”.") % {
                    "row": r,
                    "col": c,
                    "cell": cell,
                }
    return None


def build_chart(table, chart_type="bar"):
    """Geometry for the chart template: series, labels, shapes and axis ticks.

    Returns None when the table cannot be charted (the table still shows).
    """
    rows = _trimmed(table_rows(table))
    try:
        series_names = rows[0][1:]
        labels = [r[0] for r in rows[1:]]
        values = [[parse_number(c) for c in r[1:]] for r in rows[1:]]
    except (IndexError, ValueError):
        return None
    if not labels or not series_names:
        return None
    if chart_type == "pie":
        return _pie(labels, [v[0] for v in values], series_names[0])
    return _axes_chart(labels, values, series_names, chart_type)


def _nice_max(value):
    if value <= 0:
        return 1.0
    exponent = math.floor(math.log10(value))
    for step in (1, 2, 2.5, 5, 10):
        top = step * 10**exponent
        if top >= value:
            return float(top)
    return float(10 ** (exponent + 1))


def _axes_chart(labels, values, series_names, chart_type):
    top = _nice_max(max(max(v) for v in values))
    plot_w = WIDTH - PAD_LEFT - PAD_RIGHT
    plot_h = HEIGHT - PAD_TOP - PAD_BOTTOM
    n_labels, n_series = len(labels), len(series_names)
    slot = plot_w / n_labels

    def y_of(v):
        return PAD_TOP + plot_h - (max(v, 0) / top) * plot_h

    ticks = [
        {"y": round(y_of(top * i / 4), 1), "label": _fmt(top * i / 4)} for i in range(5)
    ]
    label_marks = [
        {"x": round(PAD_LEFT + slot * (i + 0.5), 1), "text": label}
        for i, label in enumerate(labels)
    ]
    series = []
    for s, name in enumerate(series_names):
        colour = PALETTE[s % len(PALETTE)]
        if chart_type == "line":
            points = [
                (round(PAD_LEFT + slot * (i + 0.5), 1), round(y_of(values[i][s]), 1))
                for i in range(n_labels)
            ]
            series.append(
                {
                    "name": name,
                    "colour": colour,
                    "points": " ".join(f"{x},{y}" for x, y in points),
                    "dots": [
                        {"x": x, "y": y, "value": _fmt(values[i][s])}
                        for i, (x, y) in enumerate(points)
                    ],
                }
            )
        else:
            bar_w = slot * 0.7 / n_series
            bars = []
            for i in range(n_labels):
                y = y_of(values[i][s])
                bars.append(
                    {
                        "x": round(PAD_LEFT + slot * i + slot * 0.15 + bar_w * s, 1),
                        "y": round(y, 1),
                        "width": round(bar_w, 1),
                        "height": round(PAD_TOP + plot_h - y, 1),
                        "value": _fmt(values[i][s]),
                        "label": labels[i],
                    }
                )
            series.append({"name": name, "colour": colour, "bars": bars})
    return {
        "type": chart_type,
        "width": WIDTH,
        "height": HEIGHT,
        "plot": {
            "left": PAD_LEFT,
            "right": WIDTH - PAD_RIGHT,
            "top": PAD_TOP,
            "bottom": PAD_TOP + plot_h,
        },
        "ticks": ticks,
        "labels": label_marks,
        "series": series,
    }


def _pie(labels, values, series_name):
    total = sum(v for v in values if v > 0)
    if total <= 0:
        return None
    cx, cy, r = WIDTH / 4, HEIGHT / 2, HEIGHT / 2 - 16
    angle = -math.pi / 2
    slices = []
    for i, (label, value) in enumerate(zip(labels, values)):
        share = max(value, 0) / total
        end = angle + share * 2 * math.pi
        large = 1 if share > 0.5 else 0
        x1, y1 = cx + r * math.cos(angle), cy + r * math.sin(angle)
        x2, y2 = cx + r * math.cos(end), cy + r * math.sin(end)
        if share >= 0.9999:
            path = f"M {cx - r},{cy} a {r},{r} 0 1,0 {2 * r},0 a {r},{r} 0 1,0 {-2 * r},0"
        else:
            path = (
                f"M {cx:.1f},{cy:.1f} L {x1:.1f},{y1:.1f} "
                f"A {r:.1f},{r:.1f} 0 {large},1 {x2:.1f},{y2:.1f} Z"
            )
        slices.append(
            {
                "path": path,
                "colour": PALETTE[i % len(PALETTE)],
                "label": label,
                "value": _fmt(value),
                "percent": f"{share * 100:.1f}%",
                "legend_y": 32 + i * 28,
            }
        )
        angle = end
    return {
        "type": "pie",
        "width": WIDTH,
        "height": HEIGHT,
        "legend_x": WIDTH / 2 + 24,
        "series_name": series_name,
        "slices": slices,
    }


def _fmt(value):
    if float(value).is_integer():
        return f"{int(value):,}"
    return f"{value:,.2f}".rstrip("0").rstrip(".")
