"""Block builders of the demo articles: they only build dicts in the shapes
of ``content.blocks`` (``{"type": ..., "value": ...}``)."""


def rich(html):
    return {"type": "rich_text", "value": html}


def heading(text, level="h2"):
    return {"type": "heading", "value": {"text": text, "level": level}}


def image(key, alt, caption=""):
    return {"type": "image", "value": {"image": key, "alt": alt, "caption": caption}}


def sequence(title, frames):
    """frames: (image key, alt, caption) triples, read in order."""
    return {
        "type": "image_sequence",
        "value": {
            "title": title,
            "frames": [{"image": k, "alt": a, "caption": c} for k, a, c in frames],
        },
    }


def video(url, caption, transcript):
    return {"type": "video", "value": {"url": url, "caption": caption, "transcript": transcript}}


def chart(title, chart_type, unit, source, table):
    return {
        "type": "chart",
        "value": {"title": title, "chart_type": chart_type, "unit": unit, "source": source, "table": table},
    }


def poster(key, title, description):
    return {"type": "poster", "value": {"image": key, "title": title, "description": description}}


def qa(title, items):
    """items: (question, answer HTML) pairs."""
    return {
        "type": "qa_list",
        "value": {"title": title, "items": [{"question": q, "answer": a} for q, a in items]},
    }


def key_points(points, title="敲黑板"):
    return {"type": "key_points", "value": {"title": title, "points": list(points)}}


def steps(title, items):
    """items: (step title, what to do, image key or None) triples."""
    return {
        "type": "step_guide",
        "value": {"title": title, "steps": [{"title": t, "body": b, "image": i} for t, b, i in items]},
    }


def reading(items, title="课外补充阅读"):
    """items: (title, text) pairs."""
    return {"type": "extra_reading", "value": {"title": title, "items": [{"title": t, "body": b} for t, b in items]}}


def service(code, description=""):
    """A card leading to the service ``code`` under its own name; the loader
    turns the code into the chosen service."""
    return {"type": "service_card", "value": {"service": code, "title": "", "description": description}}


VIDEO_HOST = "https://www.example.gov.cn/video/"
DEMO_SOURCE_NOTE = "（示例数据，仅用于演示）"
