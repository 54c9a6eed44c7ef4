from __future__ import annotations

import pytest

from spyscan.indicators.patterns import PatternUnsupported, normalise_type, parse_pattern


@pytest.mark.parametrize(
    ("pattern", "expected"),
    [
        ("[domain-name:value='evil.com']", [("domain-name:value", "evil.com")]),
        ("[file:hashes.'SHA-256'='AB12']", [("file:hashes.sha256", "AB12")]),
        ("[file:hashes.SHA256='ab']", [("file:hashes.sha256", "ab")]),
        ("[file:hashes.sha256='ab']", [("file:hashes.sha256", "ab")]),
        ("[file:hashes.'SHA-1'='ab']", [("file:hashes.sha1", "ab")]),
        ("[file:hashes.MD5='ab']", [("file:hashes.md5", "ab")]),
        ("[app:cert.SHA1='ab']", [("app:cert.sha1", "ab")]),
        ("[url:value='https://x.org/a?b=c&d=\\'e\\'']", [("url:value", "https://x.org/a?b=c&d='e'")]),
        ("[url:value='http://x/p\\\\q']", [("url:value", "http://x/p\\q")]),
        (
            "[domain-name:value='a.com' OR domain-name:value='b.com']",
            [("domain-name:value", "a.com"), ("domain-name:value", "b.com")],
        ),
        (
            "[domain-name:value='a.com'] OR [ipv4-addr:value='198.51.100.1']",
            [("domain-name:value", "a.com"), ("ipv4-addr:value", "198.51.100.1")],
        ),
        ("[app:id='com.x.y']", [("app:id", "com.x.y")]),
        ("[android-property:name='sys.x']", [("android-property:name", "sys.x")]),
        ("[configuration-profile:id='UUID']", [("configuration-profile:id", "UUID")]),
    ],
)
def test_supported(pattern: str, expected: list[tuple[str, str]]) -> None:
    assert parse_pattern(pattern) == expected


@pytest.mark.parametrize(
    ("pattern", "reason"),
    [
        ("[domain-name:value='a' AND domain-name:value='b']", "AND between comparisons"),
        ("[domain-name:value='a'] AND [domain-name:value='b']", "AND between observations"),
        ("[domain-name:value='a'] FOLLOWEDBY [domain-name:value='b']", "FOLLOWEDBY"),
        ("[domain-name:value='a'] WITHIN 5 SECONDS", "WITHIN"),
        ("[domain-name:value='a'] REPEATS 2 TIMES", "REPEATS"),
        ("[domain-name:value LIKE 'a%']", "operator LIKE"),
        ("[domain-name:value MATCHES '^a']", "operator MATCHES"),
        ("[domain-name:value != 'a']", "operator !="),
        ("[file:name NOT = 'a']", "operator NOT ="),
        ("[file:size > 4]", "operator >"),
        ("[x-custom:value='a']", "unsupported observable type x-custom:value"),
        ("[network-traffic:dst_ref.value='1.2.3.4']", "unsupported observable type network-traffic:dst_ref.value"),
        ("[domain-name:value='a'", "pattern syntax error"),
        ("not a pattern", "pattern syntax error"),
        ("", "pattern syntax error"),
    ],
)
def test_unsupported(pattern: str, reason: str) -> None:
    with pytest.raises(PatternUnsupported, match=reason):
        parse_pattern(pattern)


def test_normalise_type_keeps_other_types() -> None:
    assert normalise_type("file", ["hashes", "SHA-256"]) == "file:hashes.sha256"
    assert normalise_type("file", ["hashes", "SHA-512"]) == "file:hashes.SHA-512"
    assert normalise_type("domain-name", ["value"]) == "domain-name:value"
