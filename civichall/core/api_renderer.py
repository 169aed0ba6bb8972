"""How the API writes JSON."""

from ninja.renderers import JSONRenderer


class ChineseJSONRenderer(JSONRenderer):
    """JSON with Chinese text as is, not as \\u escapes."""

    json_dumps_params = {"ensure_ascii": False}
