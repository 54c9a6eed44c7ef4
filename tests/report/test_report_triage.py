"""The report shows the current triage of each detection (handed over by the case store's face)."""

from __future__ import annotations

from spyscan.report import html
from spyscan.report.redact import Redactor
from spyscan.report.triage_marks import TriageMark
from tests.report import folders as f


def test_triage_is_shown_with_each_detection(built: f.Built) -> None:
    first, second = built.detections[0], built.detections[1]
    marks = {
        first.id: TriageMark(state="confirmed", analyst="Ana <b>", at="2026-01-02T03:04:05Z",
                             note="Seen with the owner: <script>x</script>"),
        second.id: TriageMark(state="benign", analyst="Luis", at="2026-01-03T00:00:00Z", note="helpline test phone",
                              changed=True),
    }
    folder = html.load_output(built.out)
    text = html.render(folder, "en", triage=marks)
    assert text.count('class="triage triage-') == 2
    assert "Triage:</strong> confirmed · <span class=\"ev\">by Ana &lt;b&gt;, 2026-01-02 03:04:05 UTC" in text
    assert "Seen with the owner: &lt;script&gt;" in text and "<script>x" not in text
    assert "benign (false alarm)" in text and "the evidence changed since this triage" in text
    assert 'triage-badge triage-confirmed">confirmed</span>' in text
    spanish = html.render(folder, "es", triage=marks)
    assert "confirmado" in spanish and "benigno (falsa alarma)" in spanish
    plain = html.render(folder, "en")
    assert 'class="triage triage-' not in plain


def test_the_redacted_copy_keeps_the_state_only(built: f.Built) -> None:
    first = built.detections[0]
    marks = {first.id: TriageMark(state="confirmed", analyst="Ana Pérez", at="2026-01-02T03:04:05Z",
                                  note="Maria confirmed she never installed it")}
    text = html.render(html.load_output(built.out), "en", Redactor(b"salt" * 8), triage=marks)
    assert "Triage:</strong> confirmed" in text
    assert "Ana Pérez" not in text and "Maria confirmed" not in text
