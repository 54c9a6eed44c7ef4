"""Links in evidence: URLs and hosts parsed as browsers parse them (``whatwg``) and found in free text
(``text``). Neutral: artifacts, the indicator matcher and the report all use it; it imports none of them."""
