"""The decision letter (决定书) of a decided case, as PDF, with a QR code
that opens its verification page on the site.

Chinese needs a CJK font, which pip cannot bring: the letter uses the first
font found among ``<var>/fonts/*.ttf|otf|ttc`` (an operator can drop one
there) and the usual system places (Debian's ``fonts-noto-cjk``,
``fonts-wqy-zenhei``...). Without one the letter is still issued, in
English, and says that the Chinese font is missing.

The verification address carries a signed token (``django.core.signing``),
so a letter cannot be forged by guessing case numbers.
"""

from __future__ import annotations

import io
from pathlib import Path

import segno
from django.conf import settings
from django.core import signing
from fpdf import FPDF

SALT = "civichall.applications.letter"
SYSTEM_FONTS = (
    "/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc",
    "/usr/share/fonts/opentype/noto/NotoSerifCJK-Regular.ttc",
    "/usr/share/fonts/truetype/wqy/wqy-zenhei.ttc",
    "/usr/share/fonts/truetype/wqy/wqy-microhei.ttc",
    "/usr/share/fonts/truetype/arphic/uming.ttc",
    "/System/Library/Fonts/PingFang.ttc",
)


def cjk_font() -> str | None:
    """The path of a font that has Chinese, or None."""
    own = Path(settings.VAR_DIR) / "fonts"
    candidates = sorted(p for ext in ("ttf", "otf", "ttc") for p in own.glob(f"*.{ext}")) if own.is_dir() else []
    for path in [*map(str, candidates), *SYSTEM_FONTS]:
        if Path(path).is_file():
            return path
    return None


def verify_token(case) -> str:
    """The signed token of ``case``'s letter."""
    return signing.dumps({"n": case.number, "t": case.letter_token}, salt=SALT)


def read_token(token):
    """(number, letter token) of a genuine token, else None."""
    try:
        value = signing.loads(token, salt=SALT)
        return value["n"], value["t"]
    except (signing.BadSignature, KeyError, TypeError):
        return None


def _decision(case, chinese):
    if case.state == "completed" and case.appeal:
        return ("不予批准。理由：" + case.reason + "\n救济途径：" + case.appeal) if chinese else \
            "Not granted. Reason and how to appeal are stated on the site."
    return "经审查，您的申请符合规定条件，予以批准。" if chinese else "Your application has been approved."


def render_pdf(case, verify_url: str) -> bytes:
    """The letter of ``case`` as PDF bytes."""
    pdf = FPDF(format="A4")
    pdf.set_title(case.number)
    pdf.add_page()
    font = cjk_font()
    chinese = font is not None
    if chinese:
        pdf.add_font("cjk", fname=font)
        pdf.set_font("cjk", size=18)
    else:
        pdf.set_font("Helvetica", size=18)
    organisation = case.organisation.name_zh if chinese else (case.organisation.name_en or case.organisation.slug)
    title = f"{organisation}\n决定书" if chinese else f"{organisation}\nDecision letter"
    pdf.multi_cell(0, 11, title, align="C", new_x="LMARGIN", new_y="NEXT")
    pdf.ln(6)
    pdf.set_font(pdf.font_family, size=12)
    decided = case.closed_at or case.submitted_at
    if chinese:
        lines = [f"办件编号：{case.number}", f"申请事项：{case.definition.title}",
                 f"申请日期：{case.submitted_at:%Y年%m月%d日}", "", _decision(case, True), "",
                 f"决定日期：{decided:%Y年%m月%d日}", "", "扫描二维码或访问下列地址核验本决定书真伪："]
    else:
        lines = [f"Case number: {case.number}", f"Application: {case.definition.title_en or case.definition.code}",
                 f"Filed: {case.submitted_at:%Y-%m-%d}", "", _decision(case, False), "",
                 f"Decided: {decided:%Y-%m-%d}", "", "(The Chinese font is not installed on this server; "
                 "this letter is issued in English.)", "Verify this letter by its QR code or at:"]
    for line in lines:
        pdf.multi_cell(0, 8, line, new_x="LMARGIN", new_y="NEXT")
    pdf.set_font(pdf.font_family, size=9)
    pdf.multi_cell(0, 6, verify_url, new_x="LMARGIN", new_y="NEXT")
    qr = io.BytesIO()
    segno.make(verify_url, error="m").save(qr, kind="png", scale=4, border=2)
    qr.seek(0)
    pdf.image(qr, w=40)
    return bytes(pdf.output())
