"""report.html: verdict, detections, hostile strings, what could not be checked, methodology."""

from __future__ import annotations

import base64
import hashlib
import re
from html.parser import HTMLParser
from pathlib import Path

import pytest

from spyscan.detection.model import Detection, IndicatorRef, ObservableRef, Severity
from spyscan.errors import UsageError
from spyscan.indicators.model import IndicatorFile
from spyscan.report import html
from spyscan.report.runfile import write_json
from tests.report import folders as f


class Elements(HTMLParser):
    """Every start tag with its attributes, and the text of <script> and <style> elements."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.tags: list[tuple[str, dict[str, str]]] = []
        self.raw: dict[str, list[str]] = {"script": [], "style": []}
        self._in: str | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append((tag, {k: v or "" for k, v in attrs}))
        if tag in self.raw:
            self._in = tag

    def handle_endtag(self, tag: str) -> None:
        self._in = None

    def handle_data(self, data: str) -> None:
        if self._in:
            self.raw[self._in].append(data)


def parse(text: str) -> Elements:
    parser = Elements()
    parser.feed(text)
    return parser


def report_text(out: Path, **kwargs: object) -> str:
    written = html.write_reports(out, lang="en", **kwargs)  # type: ignore[arg-type]
    assert written[0] == out / "report.html"
    return (out / "report.html").read_text(encoding="utf-8")


def test_verdict_names_the_families_of_severe_detections_only(built: f.Built) -> None:
    extra = Detection(
        id="d" * 20, severity=Severity.MEDIUM, kind="indicator", artifact="ios.sms", message="weak",
        timestamp=None, observable=ObservableRef(type="process", value="bhd"),
        indicator=IndicatorRef(value="bhd", type="process:name", malware="LowFamily", stix_id="indicator--z",
                               file=f.PEGASUS_FILE), record={"record_type": "x", "source": {"file": "ps.txt"}},
        match="truncated",
    )
    f.write_folder(built.out, [*f.make_detections(), extra])
    text = report_text(built.out)
    verdict = text[text.index('id="verdict"'):text.index('id="counts"')]
    assert "Traces of Pegasus (mercenary spyware) and TheTruthSpy (stalkerware) found" in verdict
    assert "LowFamily" not in verdict
    assert "contact a digital-security helpline" in verdict.lower()
    assert "Do not reset" in verdict
    # TheTruthSpy comes from the stalkerware feed: safety first, before the general advice
    steps = verdict[verdict.index('id="steps"'):]
    assert steps.index("Stalkerware is usually installed by someone close") < steps.index("Do not reset")
    assert "Do not confront" in steps and "Do not open or send this report from the phone" in steps


def test_clean_verdict_keeps_the_honest_caveat(tmp_path: Path) -> None:
    built = f.write_folder(tmp_path / "clean", detections=[], with_failure=False)
    text = report_text(built.out)
    verdict = text[text.index('id="verdict"'):text.index('id="counts"')]
    assert "No known traces found" in verdict
    assert "This does not prove the phone is clean." in verdict
    assert "class=\"verdict clean\"" in text
    assert "Traces of" not in verdict


def test_each_detection_says_what_where_when_source_and_why(built: f.Built) -> None:
    text = report_text(built.out)
    card = text[text.index('id="det-0"'):text.index('id="det-1"')]
    assert "free247downloads.com" in card  # what matched
    assert "HomeDomain/Library/SMS/sms.db, table message, row 41" in card  # where
    assert "2024-05-20 08:00:00 UTC" in card  # when
    assert "Amnesty International Security Lab, 2021-07-18" in card  # which public investigation
    assert "NSO Group Pegasus Indicators of Compromise" in card
    assert "sev-critical" in card  # severity
    assert "Researchers published this value as a trace of Pegasus" in card
    heuristic = text[text.index('id="det-2"'):]
    assert "Spyware often runs right after an exploit message" in heuristic  # a heuristic's why


def test_hostile_strings_are_inert(built: f.Built) -> None:
    text = report_text(built.out)
    doc = parse(text)
    scripts = [attrs for tag, attrs in doc.tags if tag == "script"]
    assert len(scripts) == 1 and "alert" not in "".join(doc.raw["script"])
    assert not [tag for tag, _ in doc.tags if tag in ("img", "iframe", "object", "embed", "form", "base")]
    for tag, attrs in doc.tags:
        for name, value in attrs.items():
            assert not name.startswith("on"), (tag, name)
            assert not value.strip().lower().startswith("javascript:"), (tag, name, value)
    assert "&lt;script&gt;alert(&#39;pwned&#39;)&lt;/script&gt;" in text
    assert "javascript:alert(document.cookie)" in text  # shown as text only
    assert "\u202e" not in text and "[U+202E]" in text


def test_bidi_and_control_characters_become_visible_markers() -> None:
    value = html.inert("a\u202eb\u2066c\u200bd\x00e\x1bf\ud800g", 100)
    assert value.plain == "a[U+202E]b[U+2066]c[U+200B]d[U+0000]e[U+001B]f[U+D800]g"
    assert html.inert("line\nnext\ttab", 100).plain == "line\nnext\ttab"


def test_long_values_are_cut_with_a_visible_ellipsis(built: f.Built) -> None:
    text = report_text(built.out)
    assert "x" * 2000 not in text
    assert "x" * 250 in text
    assert '<span class="cut" title="+' in text


def test_report_is_self_contained_and_pinned_by_its_csp(built: f.Built) -> None:
    text = report_text(built.out)
    doc = parse(text)
    for tag, attrs in doc.tags:
        for name in ("src", "href", "action", "data", "poster", "srcset", "xlink:href"):
            value = attrs.get(name, "")
            assert not value or value.startswith("#"), (tag, name, value)
        if tag == "link":
            pytest.fail(f"external link element {attrs}")
    assert "@import" not in text and "url(" not in "".join(doc.raw["style"])
    csp = next(a["content"] for t, a in doc.tags if t == "meta" and a.get("http-equiv") == "Content-Security-Policy")
    assert "default-src 'none'" in csp
    for kind in ("script", "style"):
        body = "".join(doc.raw[kind])
        digest = base64.b64encode(hashlib.sha256(body.encode()).digest()).decode()
        assert f"{kind}-src 'sha256-{digest}'" in csp


def test_what_could_not_be_checked_is_never_silent(built: f.Built) -> None:
    text = report_text(built.out)
    section = text[text.index('id="not-checked"'):text.index('id="methodology"')]
    for artifact in ("ios.safari_history", "ios.whatsapp", "ios.location"):
        assert artifact in section
    assert "ios.sms<" not in section  # checked fine: not listed there
    assert "History.db not in the backup" in section
    assert "file is not a database &lt;script&gt;" in section
    assert "rows 3-9 recovered" in section
    assert "comparison operator &gt; is not supported" in section  # unsupported indicators


def test_methodology_lists_versions_indicator_files_and_hashes(built: f.Built) -> None:
    text = report_text(built.out)
    section = text[text.index('id="methodology"'):]
    assert "spyscan 0.1.0" in section
    assert "2026.11.29" in section  # indicator set version
    assert f.PEGASUS_SHA in section and "e" * 64 in section
    assert "1" * 64 in section and "2" * 64 in section  # input hashes
    assert "2024-06-01 10:00:00 UTC" in section and "2024-06-01 10:03:12 UTC" in section
    assert "0:03:12" in section
    run_sha = hashlib.sha256((built.out / "run.json").read_bytes()).hexdigest()
    assert run_sha in section


def test_timeline_chart_marks_each_timestamped_detection(built: f.Built) -> None:
    text = report_text(built.out)
    chart = text[text.index('id="timeline-chart"'):text.index("</svg>")]
    assert chart.count('class="det"') == 2  # the third detection has no timestamp
    assert 'class="ev"' in chart
    nearby = text[text.index('id="timeline"'):text.index('id="all-detections"')]
    assert "=HYPERLINK(&#34;x&#34;)" in nearby or '=HYPERLINK("x")' in nearby  # CSV guard undone, still text


def test_filterable_table_has_one_row_per_detection(built: f.Built) -> None:
    text = report_text(built.out)
    table = text[text.index('id="det-table"'):text.index("</table>", text.index('id="det-table"'))]
    assert table.count("<tr data-severity=") == 3
    assert 'data-severity="critical" data-kind="indicator"' in table
    assert 'id="f-text"' in text and 'id="f-sev"' in text


def test_missing_detections_file_gives_an_incomplete_report(built: f.Built) -> None:
    (built.out / "detections.json").unlink()
    (built.out / "timeline.csv").unlink()
    text = report_text(built.out)
    assert "The check is incomplete" in text
    assert "Output file missing or unreadable:" in text and "detections.json" in text


def test_unfinished_run_errors_are_shown(tmp_path: Path) -> None:
    built = f.write_folder(tmp_path / "broken", detections=[], finished=False)
    run = built.run
    run.errors = ["backup password is wrong"]
    write_json(built.out / "run.json", run)
    text = report_text(built.out)
    assert "The check is incomplete" in text and "backup password is wrong" in text


def test_not_an_output_folder_is_a_clear_error(tmp_path: Path) -> None:
    with pytest.raises(UsageError, match="not a spyscan output folder"):
        html.write_reports(tmp_path)
    (tmp_path / "run.json").write_text("{broken", encoding="utf-8")
    with pytest.raises(UsageError, match=r"not a readable spyscan run\.json"):
        html.write_reports(tmp_path)


def test_provenance_comes_from_the_manifest_and_degrades_without_it(tmp_path: Path) -> None:
    files = [IndicatorFile(file="x/renamed.stix2", sha256=f.PEGASUS_SHA, count=1, source="user")]
    found = html.provenances_for(files)
    assert found["x/renamed.stix2"].organisation == "Amnesty International Security Lab"
    assert found["x/renamed.stix2"].date == "2021-07-18"
    assert html.provenances_for(files, manifest=tmp_path / "missing.json") == {}


def test_many_detections_stay_bounded(tmp_path: Path) -> None:
    base = f.make_detections()[0]
    many = [Detection(**{**{k: getattr(base, k) for k in base.__struct_fields__}, "id": f"{i:020d}"})
            for i in range(html.MAX_CARDS + 5)]
    out = f.write_folder(tmp_path / "many", detections=many).out
    text = report_text(out)
    assert len(re.findall(r'<article class="card', text)) == html.MAX_CARDS
    assert text.count("<tr data-severity=") == html.MAX_CARDS + 5
