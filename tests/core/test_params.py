"""Numbers read from requests: ASCII digits in range, or nothing."""

import pytest

from core.params import MAX_ID, positive_int


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("1", 1),
        ("42", 42),
        ("007", 7),
        (str(MAX_ID), MAX_ID),
        (str(MAX_ID + 1), None),
        ("0", None),
        ("", None),
        (None, None),
        ("-1", None),
        ("+1", None),
        (" 1", None),
        ("1 ", None),
        ("1_000", None),
        ("1.0", None),
        ("²", None),  # passes str.isdigit(), int() refuses it
        ("①", None),
        ("٣", None),  # int() reads it as 3; in a URL it is not ours
        ("\uff11", None),  # fullwidth digit one
        ("1\x00", None),
        ("9" * 5000, None),  # past int()'s own limit on digits
        ("0" * 30 + "1", None),
        (7, None),  # only strings come from requests
    ],
)
def test_positive_int_takes_ascii_digits_in_range_only(raw, expected):
    assert positive_int(raw) == expected


def test_positive_int_respects_the_maximum():
    assert positive_int("999", maximum=999) == 999
    assert positive_int("1000", maximum=999) is None
