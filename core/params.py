"""Reading numbers that come from outside: query strings, form fields, URL parts, cookies.

``str.isdigit()`` says yes to "²" and "①", which ``int()`` then refuses, and ``int()`` takes
"٣", " 3", "+3" and "3_0". Anything a request carries is read here instead, so a number in
a URL means exactly one thing and anything else is simply not a number.
"""

# The largest id a database row can have (a signed 64-bit integer, as BigAutoField).
MAX_ID = 2**63 - 1


def positive_int(raw: object, *, maximum: int = MAX_ID) -> int | None:
    """``raw`` as an int when it is written in ASCII digits only and lies in 1..``maximum``;
    None for anything else (missing, empty, signs, spaces, other scripts' digits, too big)."""
    if not isinstance(raw, str) or not raw.isascii() or not raw.isdigit():
        return None
    if len(raw) > len(str(maximum)):
        return None  # never hand int() a string of thousands of digits
    value = int(raw)
    return value if 1 <= value <= maximum else None
