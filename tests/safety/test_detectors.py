"""Personal-data detectors and masking."""

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from civichall.safety.detectors import find_personal_data, is_valid_resident_id, luhn_ok, mask

SAMPLE_ID = "11010519491231002X"  # the worked example of the national standard


def id_check(first17: str) -> str:
    weights = [2 ** (17 - i) % 11 for i in range(17)]
    return "10X98765432"[sum(int(d) * w for d, w in zip(first17, weights)) % 11]


def luhn_complete(prefix: str) -> str:
    for d in "0123456789":
        digits = prefix + d
        total = 0
        for i, ch in enumerate(reversed(digits)):
            v = int(ch) * (2 if i % 2 else 1)
            total += v - 9 if v > 9 else v
        if total % 10 == 0:
            return digits
    raise AssertionError


VALID_ID = "31010119900307" + "123" + id_check("31010119900307123")
CARD16 = luhn_complete("622202123456789")
CARD19 = luhn_complete("621700123456789012")


def kinds(text):
    return [(d.kind, d.matched) for d in find_personal_data(text)]


def test_resident_id_check_digit():
    assert is_valid_resident_id(SAMPLE_ID)
    assert is_valid_resident_id(SAMPLE_ID.lower())
    assert is_valid_resident_id(VALID_ID)
    wrong = VALID_ID[:17] + ("0" if VALID_ID[17] != "0" else "1")
    assert not is_valid_resident_id(wrong)


def test_resident_id_date_and_region():
    bad_date = "31010119901332" + "123"
    assert not is_valid_resident_id(bad_date + id_check(bad_date))
    future = "31010130990101" + "123"
    assert not is_valid_resident_id(future + id_check(future))
    bad_region = "99010119900307" + "123"
    assert not is_valid_resident_id(bad_region + id_check(bad_region))


def test_finds_resident_id_in_text():
    text = f"我的身份证号是{VALID_ID}，请帮忙查询"
    assert kinds(text) == [("resident_id", VALID_ID)]
    d = find_personal_data(text)[0]
    assert text[d.start:d.end] == VALID_ID


def test_resident_id_not_part_of_longer_number():
    assert kinds("编号9" + VALID_ID) == []
    assert kinds(VALID_ID + "5") == []


def test_mobile_numbers():
    for text, num in [
        ("电话13812345678", "13812345678"),
        ("电话138-1234-5678。", "138-1234-5678"),
        ("电话 138 1234 5678 谢谢", "138 1234 5678"),
        ("+86 13912345678", "13912345678"),
        ("电话１３８１２３４５６７８", "１３８１２３４５６７８"),
    ]:
        assert kinds(text) == [("mobile", num)], text


def test_not_mobile():
    assert kinds("订单号213812345678") == []  # longer digit run
    assert kinds("订单号13812345678901") == []
    assert kinds("12812345678") == []  # 12x is not a mobile prefix
    assert kinds("拨打12345热线") == []


def test_mixed_separators_are_one_number():
    # People mix separators; a number written that way is still a number.
    assert kinds("138-1234 5678") == [("mobile", "138-1234 5678")]


def test_bank_cards():
    assert kinds(f"卡号{CARD16}") == [("bank_card", CARD16)]
    assert kinds(f"卡号{CARD19}。") == [("bank_card", CARD19)]
    grouped = " ".join(CARD16[i:i + 4] for i in range(0, 16, 4))
    assert kinds(f"卡号 {grouped} 收款") == [("bank_card", grouped)]


def test_not_bank_card():
    bad = CARD16[:-1] + str((int(CARD16[-1]) + 1) % 10)
    assert not luhn_ok(bad)
    assert kinds(f"卡号{bad}") == []
    assert kinds(f"卡号{CARD16}7777") == []  # part of a longer run (20 digits)
    grouped = " ".join(CARD16[i:i + 4] for i in range(0, 16, 4))
    assert kinds(f"{grouped} 1234 5678") == []


def test_id_wins_over_card_when_both_validate():
    # Search for an ID number that also passes Luhn; it must be reported once, as an ID.
    for seq in range(100, 1000):
        first17 = f"31010119900307{seq}"
        number = first17 + id_check(first17)
        if number[-1] != "X" and luhn_ok(number):
            break
    assert kinds(number) == [("resident_id", number)]


def test_mask():
    assert mask("电话13812345678") == "电话138****5678"
    assert mask("电话138-1234-5678") == "电话138-****-5678"
    assert mask(f"身份证{VALID_ID}") == "身份证310***********" + VALID_ID[-4:]
    masked = mask(f"卡号{CARD16}")
    assert masked == "卡号" + CARD16[:6] + "*" * 6 + CARD16[-4:]
    assert mask("没有个人信息") == "没有个人信息"


def test_mask_keeps_length():
    text = f"张三 {VALID_ID} 电话 13812345678 卡 {CARD19}"
    assert len(mask(text)) == len(text)
    assert "13812345678" not in mask(text)


@settings(max_examples=100, deadline=None)
@given(st.text(alphabet="0123456789", min_size=15, max_size=18))
def test_generated_luhn_cards_are_found(prefix):
    card = luhn_complete("6" + prefix)
    if not 16 <= len(card) <= 19 or (len(card) == 18 and is_valid_resident_id(card)):
        return
    assert ("bank_card", card) in kinds(f"卡号：{card}。")


def test_superscript_digits_are_not_an_id_number():
    """``"²".isdigit()`` is true but ``int("²")`` fails: such a number is
    simply not a resident id (it used to end the check with an error)."""
    from civichall.safety.detectors import is_valid_resident_id

    assert is_valid_resident_id("1101051949123100²X") is False
    assert is_valid_resident_id("110105194912310²²X") is False
