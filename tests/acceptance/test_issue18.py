"""Acceptance of issue 18 (a verdict the defender can rely on and understand), bullet by bullet.

Each bullet of the issue is proved by a test here, or by an existing test named in the comment above its
section (each one checked to assert the bullet, and to fail without the behaviour). The inputs are generated:
real SQLite databases, plists, tar and zip archives written by ``tests/builders``; the checks run through the
command line as an analyst runs them (``spyscan.cli.main`` in-process, with the exit status it gives).
"""

from __future__ import annotations

import html as htmllib
import json
import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from spyscan.cli import main
from spyscan.commands import language
from spyscan.kinds import all_kinds
from tests.builders.ios_backup import BackupBuilder
from tests.builders.sqlite import EMPTY_SMS_DB
from tests.builders.sysdiagnose import SysdiagnoseBuilder, ps_text
from tests.core.stix_helpers import write_bundle
from tests.report.english import english_in, visible_text

REPO = Path(__file__).resolve().parents[2]
LANGS = ("en", "es", "fr", "pt")
TRANSLATED = ("es", "fr", "pt")
EVIL = "evil-exploit.example"


@pytest.fixture(autouse=True)
def _terminal_language_reset() -> Iterator[None]:
    """``--lang`` sets the terminal's language for the process; each test starts from the locale's."""
    saved = list(language._LANG)
    yield
    language._LANG[:] = saved


def spyscan(*argv: str | Path, capsys: pytest.CaptureFixture[str]) -> tuple[int, str, str]:
    """Run the command line in-process: (exit status, stdout, stderr)."""
    code = 0
    try:
        main([str(a) for a in argv])
    except SystemExit as exc:
        code = int(exc.code or 0)
    captured = capsys.readouterr()
    return code, captured.out, captured.err


def one_line(text: str) -> str:
    return " ".join(text.split())


def run_json(out: Path) -> dict[str, Any]:
    return json.loads((out / "run.json").read_text(encoding="utf-8"))  # type: ignore[no-any-return]


def section(page: str, start: str, end: str) -> str:
    return page[page.index(start):page.index(end, page.index(start))]


# ------------------------------------------------------------------------------------------------------------
# generated inputs


def photo_folder(root: Path) -> Path:
    root.mkdir(parents=True)
    (root / "IMG_0001.JPG").write_bytes(b"\xff\xd8\xff\xe0\x00\x10JFIF\x00" + b"\x00" * 256)
    return root


def sms_with_link(url: str) -> list[str]:
    return [*EMPTY_SMS_DB,
            "INSERT INTO handle (ROWID, id, service) VALUES (1, '+15550100', 'SMS')",
            f"INSERT INTO message (ROWID, guid, text, service, date, is_from_me, handle_id) VALUES "
            f"(1, 'g1', 'Your parcel: https://{url}/track/x1', 'SMS', 737000000000000000, 0, 1)"]


def iphone_backup(root: Path, *, link: str | None = None, odd_installer: bool = False, sms: bool = True,
                  encrypted: bool = False) -> Path:
    """A normal iPhone backup (iOS 16.7.2, not up to date; Lockdown Mode off), with what is asked planted."""
    b = BackupBuilder(root, product_version="16.7.2", build_version="20H115")
    b.add_plist("HomeDomain", "Library/Preferences/.GlobalPreferences.plist", {"AppleLocale": "es_MX"})
    if sms:
        b.add_sqlite("HomeDomain", "Library/SMS/sms.db", sms_with_link(link) if link else EMPTY_SMS_DB)
    if odd_installer:
        b.add_app("com.odd.tracker", itunes_metadata={"sourceApp": "com.unknown.installer", "itemName": "Tracker"})
    return b.build(password="backup-pw" if encrypted else None)


def infected_sysdiagnose(folder: Path) -> Path:
    rows = [("root", 1, 0, "/sbin/launchd"), ("mobile", 240, 1, "/usr/libexec/evilagentd")]
    b = SysdiagnoseBuilder().logarchive_noise().add_text("ps.txt", ps_text(rows))
    b.add_text("system_logs.logarchive/Extra/shutdown.log", "")
    folder.mkdir(parents=True, exist_ok=True)
    return b.build(folder)


def bundle(folder: Path, name: str = "evil.stix2", family: str = "Pegasus") -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    return write_bundle(folder / name, family, [f"[domain-name:value = '{EVIL}']",
                                                "[process:name = 'evilagentd']"])


# ============================================================================================================
# A green verdict only when something was really checked
#
# Bullet: "a folder holding one photo, checked with --kind androidqf (or ios-fs, bugreport, sysdiagnose) ...
# an infected sysdiagnose checked with --kind ios-fs" must not end green.
# Bullet: "each kind checks that the input has its key files before it runs, also when --kind is given; a
# mismatch is refused with a message that names the kind the input looks like".
# Also: tests/core/test_kind_detection.py::test_a_photo_folder_is_refused_with_every_kind (the engine, every
# kind), ::test_a_sysdiagnose_given_as_a_filesystem_dump_is_refused_naming_its_kind,
# ::test_detection_without_kind_does_not_suggest_forcing_one, ::test_every_kind_declares_its_platform_and_key_files.


@pytest.mark.parametrize("kind", sorted(all_kinds()))
def test_a_photo_folder_checked_with_each_kind_is_refused_never_green(tmp_path: Path, kind: str,
                                                                      capsys: pytest.CaptureFixture[str]) -> None:
    photos = photo_folder(tmp_path / "photos")
    out = tmp_path / "out"
    code, stdout, stderr = spyscan("check", photos, "--kind", kind, "-o", out, "--no-bundled-iocs", "-j", "1",
                                   "--lang", "es", capsys=capsys)
    assert code == 2, stdout + stderr
    message = one_line(stderr)
    # what the input looks like is said (here: like no acquisition at all), and that nothing was checked
    assert "No parece ningún tipo de adquisición que spyscan sepa leer" in message
    assert "No se revisó nada" in message and "Traceback" not in message
    assert "No se encontraron rastros" not in stdout + stderr
    assert english_in(message.replace(str(photos), "")) == [], message
    assert not out.exists()  # the same command can be run again once the right folder is given


def test_an_infected_sysdiagnose_checked_as_a_filesystem_dump_is_refused_naming_its_kind(
        tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    archive = infected_sysdiagnose(tmp_path / "in")
    iocs = bundle(tmp_path / "iocs")
    code, stdout, stderr = spyscan("check", archive, "--kind", "ios-fs", "-o", tmp_path / "wrong", "--iocs", iocs,
                                   "--no-bundled-iocs", "-j", "1", "--lang", "en", capsys=capsys)
    assert code == 2 and "--kind sysdiagnose" in one_line(stderr) and "Nothing was checked" in one_line(stderr)
    assert not (tmp_path / "wrong").exists()
    # the right kind finds the planted process: the refusal above hid a real infection, not an empty input
    code, stdout, stderr = spyscan("check", archive, "-o", tmp_path / "right", "--iocs", iocs, "--no-bundled-iocs",
                                   "-j", "1", "-q", capsys=capsys)
    assert code == 3, stdout + stderr
    assert run_json(tmp_path / "right")["verdict"]["state"] == "traces"


def test_the_other_kinds_refuse_an_input_of_another_kind_naming_it(tmp_path: Path,
                                                                   capsys: pytest.CaptureFixture[str]) -> None:
    backup = iphone_backup(tmp_path / "backup")
    for kind in sorted(set(all_kinds()) - {"ios-backup"}):
        code, _out, stderr = spyscan("check", backup, "--kind", kind, "-o", tmp_path / kind, "-j", "1",
                                     "--no-bundled-iocs", capsys=capsys)
        assert code == 2, kind
        assert "--kind ios-backup" in one_line(stderr), (kind, stderr)
        assert not (tmp_path / kind).exists()


# ------------------------------------------------------------------------------------------------------------
# Bullet: "the verdict has four states, each with its colour, wording and exit status, decided in one place,
# written to run.json ... used by the terminal, the report, the case store and the web app"; docs/verdict.md
# defines the artifacts that matter per kind.
# Also: tests/report/test_verdict_wording.py (wording of each state), tests/web/test_web_flows.py (the web app
# words the run's verdict as the report does), tests/core/test_engine_budgets.py (timeout, record ceiling and
# signals make the check incomplete), tests/androidqf/test_aqf_partial_inputs.py (a partial androidqf).

STATES = {
    # state: (exit status, headline in the report, the report's colour class)
    "traces": (3, "Traces of Pegasus found", "traces"),  # a file of its own: no threat class is claimed
    "review": (0, "No known traces found, but some findings need a closer look", "review"),
    "clean": (0, "No known traces found", "clean"),
    "incomplete": (4, "The check is incomplete", "incomplete"),
}


def _state_input(state: str, root: Path) -> Path:
    if state == "traces":
        return iphone_backup(root, link=EVIL)
    if state == "review":
        return iphone_backup(root, odd_installer=True)
    if state == "clean":
        return iphone_backup(root)
    return iphone_backup(root, sms=False)  # sms.db, one of the parts that matter for a backup, is missing


@pytest.mark.parametrize("state", sorted(STATES))
def test_each_verdict_state_on_a_generated_backup(tmp_path: Path, state: str,
                                                  capsys: pytest.CaptureFixture[str]) -> None:
    exit_status, headline, colour = STATES[state]
    backup = _state_input(state, tmp_path / "backup")
    out = tmp_path / "out"
    store = tmp_path / "cases.sqlite"
    code, stdout, stderr = spyscan("check", backup, "-o", out, "--iocs", bundle(tmp_path / "iocs"),
                                   "--no-bundled-iocs", "-j", "1", "--lang", "en", capsys=capsys)
    assert code == exit_status, stdout + stderr
    verdict = run_json(out)["verdict"]
    assert verdict["state"] == state and verdict["reasons"]
    assert verdict["complete"] is (state != "incomplete")
    page = (out / "report.html").read_text(encoding="utf-8")
    box = section(page, 'id="verdict"', "</div>")
    assert f'class="verdict {colour}"' in box and headline in htmllib.unescape(box)
    assert headline.split(" (")[0] in one_line(stdout)  # the terminal says the same verdict
    steps = htmllib.unescape(section(page, 'id="steps"', "</ol>"))
    assert "Do not open or send this report from the phone that was checked" in steps  # in every state
    if state == "incomplete":
        # what is missing is said first, with what to ask for
        missing = htmllib.unescape(section(page, 'id="unchecked-summary"', "</ul>"))
        assert "SMS" in missing and "Ask the person" in missing
    if state == "clean":
        # a normal iPhone (not the newest iOS, Lockdown Mode off) is green; the advice is apart
        protect = htmllib.unescape(section(page, 'id="protect"', "</ul>"))
        assert "Lockdown Mode" in protect and "Update" in protect
        assert page.index('id="verdict"') < page.index('id="protect"')
    # the case store keeps the same verdict
    assert spyscan("case", "new", "--store", store, "case-x", capsys=capsys)[0] == 0
    code, stdout, stderr = spyscan("case", "add", "--store", store, "case-x", out, capsys=capsys)
    assert code == 0, stdout + stderr
    code, stdout, _ = spyscan("case", "show", "--store", store, "case-x", "--json", capsys=capsys)
    runs = json.loads(stdout)["runs"]
    assert [r["verdict"] for r in runs] == [state]


def test_protection_advice_never_changes_the_colour() -> None:
    """Bullet: "protection advice (iOS not up to date, Lockdown Mode off, old Android patch level) goes into a
    'Protect this phone' block that never changes the verdict's colour", whatever its severity."""
    from spyscan.detection.model import Severity
    from spyscan.verdict import decide
    from tests.report import folders as f

    run = f.make_run(Path("/tmp/unused"))
    del run.artifacts["ios.whatsapp"]
    advice = [replace_severity(d, severity) for d in protection_detections()
              for severity in (Severity.CRITICAL, Severity.HIGH, Severity.MEDIUM)]
    assert decide(run, advice).state == "clean"
    assert decide(run, [*advice, *f.make_detections()[2:]]).state == "review"  # a medium compromise finding


def replace_severity(d: Any, severity: Any) -> Any:
    import msgspec

    return msgspec.structs.replace(d, severity=severity, id=f"{d.id}-{severity.value}")


@pytest.mark.parametrize("lang", LANGS)
def test_what_could_not_be_checked_separates_not_applicable_missing_and_failed(tmp_path: Path, lang: str) -> None:
    """Bullet: "'What could not be checked' separates not applicable (one short line, folded), expected but missing
    (says what to ask for) and failed (counts toward incomplete)"."""
    from spyscan.report import html
    from spyscan.report.i18n import gettext_for

    built = _every_status_run(tmp_path / "case-001")
    html.write_reports(built.out, lang=lang)
    page = htmllib.unescape((built.out / "report.html").read_text(encoding="utf-8"))
    t = gettext_for(lang)
    summary = section(page, 'id="unchecked-summary"', "</ul>")
    lines = re.findall(r"<li>(.*?)</li>", summary, flags=re.S)
    failed = t.ngettext("%(num)d part failed and was not fully checked: %(names)s.",
                        "%(num)d parts failed and were not fully checked: %(names)s.", 5).split("%(num)d")[1][:12]
    missing = t.ngettext("%(num)d part was expected but is not in the acquisition: %(names)s.",
                         "%(num)d parts were expected but are not in the acquisition: %(names)s.", 1)
    assert any(failed in line for line in lines), (failed, lines)
    assert any(missing.split("%(names)s")[0] % {"num": 1} in line for line in lines), lines
    # not applicable: one short line, counted, no names
    na_line = [line for line in lines if t.gettext("WhatsApp messages") not in line and "1 " in line and len(line) < 90]
    assert na_line, lines
    # what to ask the person, in the summary and above the annex's missing list
    assert "<strong>" in summary
    annex = page[page.index('id="not-checked"'):]
    assert '<details id="not-applicable">' in annex and 'id="failed"' in annex and 'id="missing"' in annex
    assert annex.index('id="failed"') < annex.index('id="missing"') < annex.index('id="not-applicable"')
    # the failed parts make the check incomplete, said first in the box
    assert 'class="verdict incomplete"' in page


def test_the_terminal_addresses_the_analyst_and_the_report_the_person(tmp_path: Path,
                                                                      capsys: pytest.CaptureFixture[str]) -> None:
    """Bullet: "the terminal addresses the analyst, the report addresses the person"."""
    backup = iphone_backup(tmp_path / "backup", link=EVIL)
    code, stdout, _ = spyscan("check", backup, "-o", tmp_path / "out", "--iocs", bundle(tmp_path / "iocs"),
                              "--no-bundled-iocs", "-j", "1", capsys=capsys)
    assert code == 3
    terminal = one_line(stdout)
    assert "report.html with the person" in terminal and "report-redacted.html" in terminal
    assert "helpline" not in terminal.split("Traces of")[1]
    summary = htmllib.unescape((tmp_path / "out" / "report.html").read_text(encoding="utf-8"))
    steps = section(summary, 'id="steps"', "</ol>")
    assert "helpline" in steps and "Do not reset" in steps and "report.html" not in steps


def test_the_artifacts_that_matter_are_defined_per_kind_in_the_docs() -> None:
    doc = (REPO / "docs" / "verdict.md").read_text(encoding="utf-8")
    table = doc[doc.index("## The artifacts that matter, per kind"):]
    for kind, cls in all_kinds().items():
        if cls.key_artifacts:
            assert f"`{kind}`" in table, kind
            for artifact in cls.key_artifacts:
                assert f"`{artifact}`" in table, (kind, artifact)


# ============================================================================================================
# Counts and names people can read
#
# Bullet: "the headline names spyware families, grouped as mercenary spyware and stalkerware; never a feed's
# internal label (e.g. a campaign tag) and never a list of fifty names".
# Also: tests/report/test_report_html.py::test_verdict_names_the_families_of_severe_detections_only.

MERCENARY_NAMES = ("Pegasus", "Predator", "NoviSpy", "Wintego Helios")
STALKERWARE_NAMES = tuple(f"StalkerApp{n:02d}" for n in range(1, 13))


def indicator_detection(number: int, family: str, threat: str, file: str) -> Any:
    from spyscan.detection.model import Detection, IndicatorRef, ObservableRef, Severity

    value = f"c2-{number}.example"
    return Detection(
        id=f"{number:020d}", severity=Severity.HIGH, kind="indicator", artifact="ios.sms",
        message=f"text matches {family} indicator domain-name:value = {value!r}", timestamp="2024-05-20T08:00:00Z",
        observable=ObservableRef(type="domain", value=value),
        indicator=IndicatorRef(value=value, type="domain-name:value", malware=family, threat=threat,
                               stix_id=f"indicator--{number:08d}-0000-4000-8000-000000000000", file=file),
        record={"record_type": "ios.sms", "source": {"file": "HomeDomain/Library/SMS/sms.db", "table": "message",
                                                     "rowid": number},
                "timestamp_raw": 737000000.0 + number, "text": f"https://{value}/x"},
        match="exact",
    )


def protection_detections() -> list[Any]:
    from spyscan.detection.heuristics.ios_lockdown_mode_off import IOSLockdownModeOff
    from spyscan.detection.heuristics.ios_outdated import IOSOutdated
    from spyscan.detection.model import Detection, ObservableRef, Severity

    return [Detection(id=f"p{rule.id}", severity=Severity.INFO, kind="heuristic", artifact="ios.global_preferences",
                      message=str(rule.title), timestamp=None, observable=ObservableRef("setting", rule.id),
                      indicator=None, record={"record_type": "x", "source": {"file": "x.plist"}}, rule=rule.id,
                      why=rule.why, title=rule.title, advice=rule.advice, category="protection")
            for rule in (IOSOutdated, IOSLockdownModeOff)]


def crowded_folder(out: Path) -> Any:
    """The longest summary a real case gives: four mercenary families and a campaign tag, twelve stalkerware
    apps, protection advice, a failed part, a missing part, the device's time zone."""
    from spyscan.records.device import DeviceFacts
    from spyscan.report.runfile import ArtifactStatus, write_json
    from tests.report import folders as f

    detections = list(f.make_detections())
    number = 100
    for family in (*MERCENARY_NAMES, "MercenarySpywareCampaign"):
        number += 1
        detections.append(indicator_detection(number, family, "mercenary", f.PEGASUS_FILE))
    for family in STALKERWARE_NAMES:
        number += 1
        detections.append(indicator_detection(number, family, "stalkerware", f.STALKER_FILE))
    detections += protection_detections()
    built = f.write_folder(out, detections=detections)
    run = built.run
    run.device = DeviceFacts(platform="ios", name=f.DEVICE_NAME, model="iPhone14,2", marketing_name="iPhone 13 Pro",
                             os_version="16.7.2", build="20H115", encrypted=False, timezone="America/Mexico_City",
                             acquired="2024-06-01T09:58:00Z", details={"SerialNumber": f.SERIAL, "IMEI": f.IMEI})
    run.artifacts["ios.datausage"] = ArtifactStatus(status="not_found", records=0, warnings=[], seconds=0.0,
                                                    error="DataUsage.sqlite is not in the backup", absence="missing",
                                                    title="Network data usage per process (DataUsage.sqlite)")
    run.artifacts["ios.firefox_history"] = ArtifactStatus(status="not_found", records=0, warnings=[], seconds=0.0,
                                                          error="Firefox is not installed", absence="not_applicable",
                                                          title="Firefox history")
    write_json(out / "run.json", run)
    return built


@pytest.mark.parametrize("lang", LANGS)
def test_the_headline_groups_families_and_never_shows_a_tag_or_a_wall_of_names(tmp_path: Path, lang: str) -> None:
    from spyscan.report import html

    built = crowded_folder(tmp_path / "case-001")
    html.write_reports(built.out, lang=lang)
    page = htmllib.unescape((built.out / "report.html").read_text(encoding="utf-8"))
    box = visible_text(section(page, 'id="verdict"', "</div>"))
    assert "MercenarySpywareCampaign" not in box  # a feed's campaign tag is never shown as a family
    shown = [name for name in (*MERCENARY_NAMES, *STALKERWARE_NAMES, "TheTruthSpy") if name in box]
    assert 2 <= len(shown) <= 6, shown  # at most three names per group; the others are counted
    if lang == "en":
        assert "mercenary spyware" in box and "stalkerware" in box
        assert re.search(r"\b13 stalkerware apps\b", box), box  # TheTruthSpy and the twelve
        assert re.search(r"\b6 mercenary spyware families\b", box) or re.search(r"\b5 mercenary", box), box
    assert "MercenarySpywareCampaign" not in visible_text(page[:page.index('id="annex"')])


# ------------------------------------------------------------------------------------------------------------
# Bullet: "the same finding counted once: a value listed by two feeds is one detection naming both sources; the
# same dumpsys data reached through dumpsys.txt and through the bugreport inside an androidqf acquisition is read
# once".
# Also: tests/core/test_detection_grouping.py::test_a_value_listed_by_two_feeds_is_one_detection_naming_both (the
# grouping alone) and tests/androidqf/test_aqf_run_rules.py::test_the_same_dumpsys_data_is_read_once (a rule's
# finding; the nested bugreport's dumpsys parts are not_applicable), ::test_a_service_missing_from_dumpsys_txt_is_
# read_from_the_bugreport (a part only the bugreport has is still read).


def test_a_value_listed_by_two_feeds_is_one_detection_naming_both_through_a_check(
        tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    backup = iphone_backup(tmp_path / "backup", link=EVIL)
    first = bundle(tmp_path / "iocs", "amnesty.stix2", "Pegasus")
    second = bundle(tmp_path / "iocs", "citizenlab.stix2", "Pegasus")
    code, stdout, stderr = spyscan("check", backup, "-o", tmp_path / "out", "--iocs", first, "--iocs", second,
                                   "--no-bundled-iocs", "-j", "1", "-q", capsys=capsys)
    assert code == 3, stdout + stderr
    detections = json.loads((tmp_path / "out" / "detections.json").read_text())["detections"]
    matched = [d for d in detections if d["kind"] == "indicator" and d["indicator"]["value"] == EVIL]
    assert len(matched) == 1
    assert sorted(Path(s["file"]).name for s in matched[0]["sources"]) == ["amnesty.stix2", "citizenlab.stix2"]
    page = (tmp_path / "out" / "report.html").read_text(encoding="utf-8")
    assert "amnesty.stix2" in page and "citizenlab.stix2" in page
    assert run_json(tmp_path / "out")["verdict"]["reasons"][0]["count"] == 1  # one trace counted, not two


def test_the_same_dumpsys_data_in_dumpsys_txt_and_in_the_nested_bugreport_gives_one_detection(
        tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    from tests.androidqf.test_aqf_run_rules import _nested_bugreport
    from tests.builders.androidqf import build_androidqf

    appops = ("Current AppOps Service state:\n  Uid u0a150:\n    Package com.stalker.twice:\n"
              "      CAMERA (allow):\n          Access: [fg-s] 2024-03-01 10:00:00.000 (-1d2h)\n")
    acq = build_androidqf(tmp_path / "acq", dumpsys_appops=appops,
                          extra_files={"bugreport.zip": _nested_bugreport("", appops)})
    (acq / "hashes.csv").unlink()
    iocs = write_bundle(tmp_path / "stalker.stix2", "TwiceSpy", ["[app:id = 'com.stalker.twice']"])
    code, stdout, stderr = spyscan("check", acq, "-o", tmp_path / "out", "--iocs", iocs, "--no-bundled-iocs",
                                   "-j", "1", "-q", capsys=capsys)
    assert code == 3, stdout + stderr
    run = run_json(tmp_path / "out")
    nested = run["artifacts"]["android.dumpsys.appops@bugreport:bugreport.zip"]
    assert nested["status"] == "not_found" and nested["absence"] == "not_applicable"
    detections = json.loads((tmp_path / "out" / "detections.json").read_text())["detections"]
    twice = [d for d in detections if d.get("indicator") and d["indicator"]["value"] == "com.stalker.twice"
             and d["artifact"].startswith("android.dumpsys.appops")]
    assert [d["artifact"] for d in twice] == ["android.dumpsys.appops"]


# ------------------------------------------------------------------------------------------------------------
# Bullet: "a one-page summary for the person ... comes first and prints on one page; everything technical follows
# as an annex for experts. Raw fields (*_raw, internal ids) stay in the annex. Advice specific to stalkerware
# appears when stalkerware is found, first. Advise not to open or send the report from the phone that was checked."
# Also: tests/report/test_report_html.py::test_verdict_names_the_families_of_severe_detections_only (stalkerware
# safety steps before "Do not reset"; "Do not confront"; "Do not open or send this report from the phone").


def _pdf_pages(html_text: str) -> list[str]:
    pytest.importorskip("weasyprint", reason="WeasyPrint (and its pango libraries) not installed")
    from weasyprint.formatting_structure import boxes

    from spyscan.report.pdf import render_document

    document = render_document(html_text)
    return [" ".join(item.text for item in page._page_box.descendants() if isinstance(item, boxes.TextBox))
            for page in document.pages]


ANNEX_TITLE = {"en": "Technical annex, for experts", "es": "Anexo técnico", "fr": "Annexe technique",
               "pt": "Anexo técnico"}


@pytest.mark.parametrize("lang", LANGS)
@pytest.mark.parametrize("redacted", [False, True])
def test_the_summary_prints_on_one_page_and_the_annex_follows(tmp_path: Path, lang: str, redacted: bool) -> None:
    from spyscan.report import html

    built = crowded_folder(tmp_path / "case-001")
    html.write_reports(built.out, lang=lang, redact=redacted)
    name = "report-redacted.html" if redacted else "report.html"
    pages = _pdf_pages((built.out / name).read_text(encoding="utf-8"))
    # the annex starts on a new page: when it starts on the second, the whole summary was on the first
    starts = [number for number, text in enumerate(pages) if ANNEX_TITLE[lang] in " ".join(text.split())]
    assert starts and starts[0] == 1, [p[:200] for p in pages[:3]]
    first = " ".join(pages[0].split())
    assert ANNEX_TITLE[lang] not in first and len(pages) > 2


def test_raw_fields_and_internal_ids_stay_in_the_annex(tmp_path: Path) -> None:
    from spyscan.report import html

    built = crowded_folder(tmp_path / "case-001")
    html.write_reports(built.out, lang="es")
    page = (built.out / "report.html").read_text(encoding="utf-8")
    summary, annex = page[:page.index('id="annex"')], page[page.index('id="annex"'):]
    for raw in ("timestamp_raw", "indicator--", "record_type", "ios.sms", "ios.datausage", "rowid", "stix2"):
        assert raw not in visible_text(summary), raw
    assert "timestamp_raw" in annex and "indicator--" in annex
    steps = htmllib.unescape(section(summary, 'id="steps"', "</ol>"))
    # stalkerware was found: its safety advice comes first; never open or send the report from the phone
    assert steps.index("plan de seguridad") < steps.index("No restablezca")
    assert "No abra ni envíe este informe desde el teléfono revisado" in steps


# ------------------------------------------------------------------------------------------------------------
# Bullet: "the page works on a phone screen (no sideways scrolling)".
# Also: tests/report/test_report_browser.py (no console error, no request, the filter works at desktop width).

@pytest.fixture(scope="module")
def browser() -> Iterator[Any]:
    from tests.browser import launched_chromium

    yield from launched_chromium()


@pytest.mark.parametrize("width", [375, 320])
def test_the_report_has_no_sideways_scrolling_at_phone_width(browser: Any, tmp_path: Path, width: int) -> None:
    from spyscan.report import html
    from tests.report import folders as f

    built = crowded_folder(tmp_path / "case-001")
    html.write_reports(built.out, lang="es", redact=True)
    for name in ("report.html", "report-redacted.html"):
        page = browser.new_page(viewport={"width": width, "height": 800}, device_scale_factor=1)
        target = (built.out / name).resolve().as_uri()
        page.route("**/*", lambda route, request, target=target: route.continue_() if request.url == target
                   else route.abort())
        page.goto(target)
        page.wait_for_load_state("load")
        # every folded part opened: the cards' raw fields and long values are the widest content
        page.evaluate("document.querySelectorAll('details').forEach(d => d.open = true)")
        scroll, inner = page.evaluate("[document.documentElement.scrollWidth, window.innerWidth]")
        wide = page.evaluate("Array.from(document.querySelectorAll('body *')).filter(e => "
                             "e.getBoundingClientRect().right > window.innerWidth + 1).slice(0, 5)"
                             ".map(e => e.tagName + '.' + e.className)")
        assert scroll <= inner, (name, scroll, inner, wide)
        if name == "report.html" and width == 375:
            shot = f.artifacts_dir() / "report-phone-375.png"
            page.screenshot(path=str(shot), full_page=False)
            assert shot.stat().st_size > 5_000
        page.close()


# ============================================================================================================
# All of it in the chosen language
#
# Bullet: "every string a person reads goes through the catalogs; a test renders every heuristic, every artifact
# status and every error in each language and fails on any untranslated string (allow only proper nouns and
# indicator values)".
# Also: tests/report/test_untranslated.py::test_every_heuristic_is_shown_in_the_language (every rule's title, why,
# advice and every finding message rendered in a report in es/fr/pt), ::test_warnings_errors_and_not_found_reasons_
# are_built_with_tr, ::test_the_terminal_says_everything_through_the_catalogs (static: no sentence bypasses tr),
# ::test_the_detector_sees_english (the detector can fail); tests/report/test_report_i18n.py::test_every_message_is_
# translated (every extracted message has a translation in es/fr/pt).

# technical names that stay as they are in every language (a dumpstate section title, a command)
TECHNICAL = frozenset({"AND", "PROCESSES AND THREADS", "spyscan report"})


ARTIFACT_ID = re.compile(r"\b(?:ios|android)\.[\w.@:-]+")  # ids in the terminal's table (technical names)


def english(text: str) -> list[str]:
    return [e for e in english_in(text) if e not in TECHNICAL]


def declared_messages() -> list[str | tuple[str, str]]:
    """Every message the sources and templates declare (plural messages as (singular, plural))."""
    from babel.messages.extract import extract_from_dir
    from babel.messages.frontend import parse_mapping_cfg

    from spyscan.report.i18n import LOCALE_DIR
    from tests.report.english import KEYWORDS

    with (LOCALE_DIR / "babel.cfg").open() as fh:
        method_map, options_map = parse_mapping_cfg(fh)
    found = {message for _f, _l, message, _c, _x in extract_from_dir(str(REPO), method_map, options_map,
                                                                       keywords=KEYWORDS)}
    return sorted(found, key=str)


def _params(msgid: str) -> dict[str, object]:
    return {name: (3 if kind in "di" else "x") for name, kind in re.findall(r"%\((\w+)\)([sdif])", msgid)}


def english_left(t: Any) -> list[tuple[str, list[str]]]:
    """The declared messages that, shown through ``t`` (every plural form, parameters filled), hold English."""
    left = []
    for message in declared_messages():
        shown = ([(t.ngettext(message[0], message[1], n), message[0] + message[1]) for n in (1, 3, 1_000_000)]
                 if isinstance(message, tuple) else [(t.gettext(message), message)])
        for text, source in shown:
            text = text % _params(source) if "%(" in text else text
            english = [e for e in english_in(text) if e not in TECHNICAL]
            if english:
                left.append((str(message)[:100], english[:3]))
    return left


@pytest.mark.parametrize("lang", TRANSLATED)
def test_every_declared_message_is_shown_without_english(lang: str) -> None:
    """Every heuristic's title, why, advice and finding text, every artifact warning, not-found reason and status,
    every error, prompt and the demo banner: each shown through the catalogs, in every plural form."""
    from spyscan.report.i18n import gettext_for

    assert english_left(gettext_for(lang)) == []


def test_the_message_check_fails_on_a_language_without_its_catalog() -> None:
    from babel.support import Translations

    assert len(english_left(Translations())) > 500  # the English itself: every sentence is caught


@pytest.mark.parametrize("lang", LANGS)
def test_every_translation_keeps_its_parameters(lang: str) -> None:
    from spyscan.report.i18n import gettext_for

    t = gettext_for(lang)
    for message in declared_messages():
        if isinstance(message, tuple):
            for n in (1, 3):
                text = t.ngettext(message[0], message[1], n)
                assert "%(" not in text % _params(message[0] + message[1]), message
        else:
            text = t.gettext(message)
            if "%(" in message:
                assert "%(" not in text % _params(message), message


@pytest.mark.parametrize("lang", TRANSLATED)
def test_each_kinds_refusal_is_in_the_language(tmp_path: Path, lang: str) -> None:
    """The refusal of every kind (its label and the files it needs) and of detection, rendered."""
    from spyscan.errors import UsageError
    from spyscan.kinds import check_kind, detect_kind
    from spyscan.report.i18n import gettext_for, translate
    from spyscan.texts import message_of_error

    t = gettext_for(lang)
    photos = photo_folder(tmp_path / "photos")
    backup = iphone_backup(tmp_path / "backup")
    refusals = []
    for kind in sorted(all_kinds()):
        for path in (photos, backup):
            if kind == "ios-backup" and path == backup:
                continue
            with pytest.raises(UsageError) as info:
                check_kind(path, kind)
            refusals.append(translate(t, message_of_error(info.value)))
    with pytest.raises(UsageError) as info:
        detect_kind(photos)
    refusals.append(translate(t, message_of_error(info.value)))
    for text in refusals:
        shown = text.replace(str(photos), "").replace(str(backup), "")
        assert english_in(shown) == [], text


def _every_status_run(out: Path) -> Any:
    """An output folder with one part in each status, each with the message spyscan gives it."""
    from spyscan.report.runfile import ArtifactStatus, write_json
    from spyscan.texts import tr
    from tests.report import folders as f

    built = f.write_folder(out, detections=[], with_failure=False)
    run = built.run
    run.artifacts = {}
    messages = {  # the messages spyscan gives each status (engine/jobs.py, engine/pool.py, artifacts, evidence)
        "error": tr("not fully read: %(reason)s", reason=tr("its schema cannot be read")),
        "timeout": tr("the artifact ran past its time budget and was stopped; the records read before are kept (see "
                      "--artifact-timeout)"),
        "truncated": tr("stopped after %(count)s records, the ceiling per artifact (see --max-records)", count=1000),
        "interrupted": tr("the check was interrupted while this artifact was being read; the records read before "
                          "are kept"),
        "not_run": tr("the check was interrupted before this ran"),
        "not_found": tr("%(what)s not found", what="Calendar.sqlitedb"),
        "warning": tr("%(file)s is a plist but not a dictionary", file="HomeDomain/Library/Preferences/x.plist"),
        "recovered": tr("%(label)s is damaged; %(total)s row(s) of %(tables)s table(s) salvaged; records are "
                        "recovered", label="sms.db", total=12, tables=3),
    }
    parts = {"error": ("ios.sms", "SMS and iMessage messages"), "timeout": ("ios.calls", "Call history"),
             "truncated": ("ios.safari_history", "Safari history"),
             "interrupted": ("ios.chrome_history", "Chrome history"),
             "not_run": ("ios.firefox_history", "Firefox history"), "not_found": ("ios.calendar", "Calendar events"),
             "warning": ("ios.contacts", "Contacts (address book)"),
             "recovered": ("ios.whatsapp_contacts", "WhatsApp contacts")}
    for status, message in messages.items():
        warnings = [message] if status in ("warning", "recovered") else []
        error = None if status in ("warning", "recovered") else message
        artifact_id, title = parts[status]
        run.artifacts[artifact_id] = ArtifactStatus(
            status=status, records=0 if error else 3, warnings=[str.__str__(w) for w in warnings],
            error=str.__str__(error) if error else None, seconds=0.1, title=title, key=status == "error",
            absence="missing" if status == "not_found" else None,
            messages={str.__str__(message): message.message})
    absent = tr("%(what)s not found", what="ChatStorage.sqlite")
    run.artifacts["ios.whatsapp_messages"] = ArtifactStatus(
        status="not_found", records=0, warnings=[], seconds=0.0, error=str.__str__(absent), title="WhatsApp messages",
        absence="not_applicable", messages={str.__str__(absent): absent.message})
    run.verdict = None  # decided from the statuses, as for a folder of an older version
    write_json(out / "run.json", run)
    return built


@pytest.mark.parametrize("lang", TRANSLATED)
def test_every_artifact_status_is_shown_in_the_language(tmp_path: Path, lang: str) -> None:
    from spyscan.report import html
    from spyscan.report.i18n import gettext_for
    from spyscan.report.runfile import STATUSES
    from spyscan.report.terminal_text import status_label
    from tests.report.english import source_messages

    built = _every_status_run(tmp_path / "case-001")
    run = json.loads((built.out / "run.json").read_text())
    for artifact in run["artifacts"].values():  # the messages above are the ones spyscan declares
        for msgid in (m["id"] for m in artifact.get("messages", {}).values()):
            assert msgid in source_messages(), msgid
    html.write_reports(built.out, lang=lang)
    text = visible_text((built.out / "report.html").read_text(encoding="utf-8"))
    assert english_in(text) == []
    t = gettext_for(lang)
    for status in STATUSES:
        label = status_label(t, status)
        assert label != status_label(gettext_for("en"), status) or (status == "ok" and lang == "pt"), status
        assert label in text or status in ("skipped",), (status, label)


def _language_inputs(root: Path) -> dict[str, Path]:
    """Real acquisitions of three kinds, with something of each kind of message: a trace, a finding to review,
    protection advice, a salvaged damaged database, parts not found and not applicable."""
    from tests.builders.androidqf import build_androidqf, package
    from tests.robustness.test_ios_salvage import history_db

    b = BackupBuilder(root / "backup", product_version="16.7.2", build_version="20H115")
    b.add_plist("HomeDomain", "Library/Preferences/.GlobalPreferences.plist", {"AppleLocale": "es_MX"})
    b.add_sqlite("HomeDomain", "Library/SMS/sms.db", sms_with_link(EVIL))
    b.add_file("HomeDomain", "Library/Safari/History.db", history_db())
    b.add_app("com.odd.tracker", itunes_metadata={"sourceApp": "com.unknown.installer", "itemName": "Tracker"})
    return {
        "ios-backup": b.build(),
        "sysdiagnose": infected_sysdiagnose(root / "sysdiagnose"),
        "androidqf": build_androidqf(root / "androidqf", packages=[package("com.sideloaded.tool", installer=None)],
                                     getprop={"ro.build.version.security_patch": "2021-01-05"}),
    }


@pytest.mark.parametrize("lang", TRANSLATED)
def test_real_checks_say_everything_in_the_language(tmp_path: Path, lang: str, capsys: pytest.CaptureFixture[str],
                                                    monkeypatch: pytest.MonkeyPatch) -> None:
    """The terminal and the report of real checks: card titles, details, why it matters, not-found reasons,
    warnings, statuses, the timeline's events, the methodology."""
    monkeypatch.setenv("COLUMNS", "250")  # one table row per line: artifact ids are not cut
    iocs = bundle(tmp_path / "iocs")
    for kind, path in _language_inputs(tmp_path / "in").items():
        out = tmp_path / f"out-{kind}"
        code, stdout, stderr = spyscan("check", path, "-o", out, "--iocs", iocs, "--no-bundled-iocs", "-j", "1",
                                       "--lang", lang, capsys=capsys)
        assert code in (0, 3, 4), stdout + stderr
        terminal = ARTIFACT_ID.sub("", (stdout + stderr).replace(str(out), "").replace(str(path), ""))
        assert english(terminal) == [], (kind, terminal)
        page = (out / "report.html").read_text(encoding="utf-8")
        assert f'<html lang="{lang}"' in page
        assert english(visible_text(page)) == [], kind
        statuses = {a["status"] for a in run_json(out)["artifacts"].values()}
        if kind == "ios-backup":
            assert {"ok", "not_found", "recovered"} <= statuses, statuses


class _Terminal:
    """A standard input that is a terminal (the password is asked interactively)."""

    @staticmethod
    def isatty() -> bool:
        return True


WRONG_PASSWORD_WORDS = {
    # (the backup's password, not the phone's unlock code), per language
    "en": ("wrong iOS backup password", "not the iPhone's passcode"),  # the prompt: "... not the iPhone's passcode"
    "es": ("contraseña", "no el código"),
    "fr": ("mot de passe", "pas le code"),
    "pt": ("senha", "não o código"),
}


@pytest.mark.parametrize("lang", LANGS)
def test_the_password_prompt_and_a_wrong_password_in_the_language_leave_no_folder(
        tmp_path: Path, lang: str, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch) -> None:
    """Bullet: "a run that fails before doing anything (wrong password, wrong kind) leaves no output folder ...
    The wrong-password message says it is the backup password, not the phone's unlock code"."""
    import getpass

    from spyscan.evidence import secrets

    backup = iphone_backup(tmp_path / "backup", encrypted=True)
    prompts: list[str] = []

    def typed(prompt: str = "") -> str:
        prompts.append(prompt)
        return "the-unlock-code-1234"

    monkeypatch.setattr(secrets.sys, "stdin", _Terminal())
    monkeypatch.setattr(getpass, "getpass", typed)
    out = tmp_path / "out"
    code, stdout, stderr = spyscan("check", backup, "-o", out, "--no-bundled-iocs", "-j", "1", "--lang", lang,
                                   capsys=capsys)
    assert code == 1, stdout + stderr
    assert len(prompts) == 1
    message = one_line(stderr)
    backup_password, not_the_code = WRONG_PASSWORD_WORDS[lang]
    assert backup_password in message and not_the_code in message, message
    assert not_the_code.replace("iPhone's ", "").split()[-1] in prompts[0].replace("iPhone's ", ""), prompts[0]
    assert "the-unlock-code-1234" not in stdout + stderr
    assert not out.exists()  # the same command can be run again with the right password
    if lang != "en":
        assert english(message.replace(str(backup), "")) == [], message
        assert english(prompts[0]) == [], prompts[0]
    # the right password, same command, same output folder: it runs
    monkeypatch.setattr(getpass, "getpass", lambda prompt="": "backup-pw")
    code, stdout, stderr = spyscan("check", backup, "-o", out, "--no-bundled-iocs", "-j", "1", "--lang", lang, "-q",
                                   capsys=capsys)
    assert code == 0, stdout + stderr
    assert run_json(out)["verdict"]["state"] == "clean"


@pytest.mark.parametrize("lang", TRANSLATED)
def test_command_line_mistakes_are_said_in_the_language(tmp_path: Path, lang: str,
                                                        capsys: pytest.CaptureFixture[str]) -> None:
    """spyscan's own errors and click's (a missing argument, a mistyped option, a value out of range, an unknown
    command), with --lang and from the locale."""
    backup = iphone_backup(tmp_path / "backup")
    busy = tmp_path / "busy"
    busy.mkdir()
    (busy / "x").write_text("x")
    mistakes = [
        ("check", tmp_path / "nada", "-o", tmp_path / "o1"),
        ("check", backup, "-o", tmp_path / "o2", "--kind", "iphone"),
        ("check", backup, "-o", busy),
        ("check", backup, "-o", backup / "results"),
        ("check", backup, "-o", tmp_path / "o3", "--bogus"),
        ("check", backup, "-o", tmp_path / "o4", "--jobs", "-3"),
        ("check", backup, "-o", tmp_path / "o5", "--tz", "Mars/Olympus"),
        ("check",),
        ("report", tmp_path / "nada"),
    ]
    for argv in mistakes:
        code, stdout, stderr = spyscan(*argv, "--lang", lang, capsys=capsys)
        assert code == 2, (argv, stdout, stderr)
        said = one_line(stderr)
        for path in (backup, busy, tmp_path):
            said = said.replace(str(path), "")
        assert english(said) == [], (argv, said)
        assert "Traceback" not in said
        assert not (tmp_path / "o1").exists() and not (backup / "results").exists()


@pytest.mark.parametrize("lang", TRANSLATED)
def test_the_demo_says_everything_in_the_language(tmp_path: Path, lang: str, capsys: pytest.CaptureFixture[str],
                                                  monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("COLUMNS", "250")
    code, stdout, stderr = spyscan("demo", "-o", tmp_path / "demo", "-j", "1", "--lang", lang, capsys=capsys)
    assert code == 3, stdout + stderr
    said = ARTIFACT_ID.sub("", (stdout + stderr).replace(str(tmp_path), ""))
    assert "SYNTHETIC" not in said or lang == "en"
    assert english(said) == [], said
    # the summary table names each part by its translated title, its id beside it for the analyst
    from spyscan.report.i18n import gettext_for

    t = gettext_for(lang)
    rows = [line for line in stdout.splitlines() if "│" in line]
    parts = run_json(tmp_path / "demo" / "results")["artifacts"]
    for artifact_id, part in parts.items():
        title = t.gettext(part["title"])
        assert any(title in row and artifact_id in row for row in rows), (artifact_id, title)
    assert sum(t.gettext(part["title"]) != part["title"] for part in parts.values()) > len(parts) / 2
    page = (tmp_path / "demo" / "results" / "report.html").read_text(encoding="utf-8")
    assert english(visible_text(page)) == []


# ------------------------------------------------------------------------------------------------------------
# Bullet: "spyscan report DIR --redact without --lang keeps the language of the run, never switches silently".
# Also: tests/report/test_report_command.py::test_redact_without_lang_keeps_the_language_of_the_run (run.json's
# lang set by hand, an English locale: report.html and report-redacted.html stay Spanish).


def test_a_spanish_check_stays_spanish_when_redacted_under_an_english_locale(
        tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch) -> None:
    backup = iphone_backup(tmp_path / "backup")
    out = tmp_path / "out"
    code, stdout, stderr = spyscan("check", backup, "-o", out, "--no-bundled-iocs", "-j", "1", "-q", "--lang", "es",
                                   capsys=capsys)
    assert code == 0 and run_json(out)["lang"] == "es", stdout + stderr
    for var in ("LANGUAGE", "LC_ALL", "LC_MESSAGES"):
        monkeypatch.delenv(var, raising=False)
    monkeypatch.setenv("LANG", "en_US.UTF-8")
    language._LANG.clear()
    code, stdout, stderr = spyscan("report", out, "--redact", capsys=capsys)
    assert code == 0 and "Escrito:" in stdout, stdout + stderr
    for name in ("report.html", "report-redacted.html"):
        assert '<html lang="es"' in (out / name).read_text(encoding="utf-8"), name


#
# Bullet: "use each platform's own terms (Apple's Spanish name for Lockdown Mode is 'Modo de Aislamiento')".


def test_each_platform_s_own_terms() -> None:
    from spyscan.detection.heuristics.ios_lockdown_mode_off import IOSLockdownModeOff
    from spyscan.report.i18n import gettext_for

    spanish = gettext_for("es")
    for text in (IOSLockdownModeOff.title, IOSLockdownModeOff.advice, IOSLockdownModeOff.why):
        assert "Modo de Aislamiento" in spanish.gettext(text), text
    assert "Modo de Isolamento" in gettext_for("pt").gettext(IOSLockdownModeOff.advice)  # Apple (Brazil)
    assert "mode Isolement" in gettext_for("fr").gettext(IOSLockdownModeOff.advice)  # Apple (France)


# ============================================================================================================
# Times and the analyst's flow
#
# Bullet: "show times in the device's local time when the evidence gives its offset (sysdiagnose names, backup
# metadata), with UTC beside it; --tz to choose. Times that are local in the source (e.g. mobile_installation.log)
# are converted with the known offset, never labelled UTC unconverted".
# Also: tests/sysdiagnose/test_sysdiagnose.py::test_install_log_local_times_are_converted_with_the_archive_offset,
# tests/androidqf/test_aqf_times.py (logcat and dumpsys local times converted with persist.sys.timezone),
# tests/core/test_kind_detection.py::test_sysdiagnose_name_gives_acquisition_time_in_utc_and_the_offset.


INSTALL_LOG = ("Tue Nov 14 22:00:01 2023 [123] <notice> (0x16b0) -[MIInstaller performInstallationWithError:]: "
               "Installing <MIInstallableBundle ID=com.evil.spy; Version=2.1, ShortVersion=2.1>\n")


def test_times_are_local_with_utc_beside_and_tz_chooses(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    rows = [("root", 1, 0, "/sbin/launchd"), ("mobile", 240, 1, "/usr/libexec/evilagentd")]
    b = SysdiagnoseBuilder(top="sysdiagnose_2023.11.15_09-00-00-0600_iPhone-OS_iPhone_21B80").logarchive_noise()
    b.add_text("ps.txt", ps_text(rows))
    b.add_text("logs/MobileInstallation/mobile_installation.log.0", INSTALL_LOG)
    (tmp_path / "in").mkdir()
    archive = b.build(tmp_path / "in")
    out = tmp_path / "out"
    iocs = write_bundle(tmp_path / "spy.stix2", "Pegasus", ["[app:id = 'com.evil.spy']"])
    code, stdout, stderr = spyscan("check", archive, "-o", out, "--iocs", iocs, "--no-bundled-iocs", "-j", "1", "-q",
                                   capsys=capsys)
    assert code == 3, stdout + stderr
    page = htmllib.unescape((out / "report.html").read_text(encoding="utf-8"))
    # the acquisition time, in the phone's local time with UTC beside it
    assert "2023-11-15 09:00:00 UTC−06:00 · 15:00:00 UTC" in page
    timeline = (out / "timeline.csv").read_text(encoding="utf-8")
    # the install log's local time (22:00:01 at UTC-6), converted with the name's offset, shown local again
    assert "2023-11-15T04:00:01" in timeline and "2023-11-14T22:00:01" not in timeline
    assert "2023-11-14 22:00:01 UTC−06:00 · 2023-11-15 04:00:01 UTC" in page
    # --tz chooses another zone, for the report written by check and by report
    code, stdout, stderr = spyscan("report", out, "--tz", "Europe/Madrid", capsys=capsys)
    assert code == 0, stdout + stderr
    page = htmllib.unescape((out / "report.html").read_text(encoding="utf-8"))
    assert "2023-11-15 16:00:00 UTC+01:00 · 15:00:00 UTC" in page
    code, stdout, stderr = spyscan("report", out, "--tz", "UTC", capsys=capsys)
    page = htmllib.unescape((out / "report.html").read_text(encoding="utf-8"))
    assert "2023-11-15 15:00:00 UTC" in page and "UTC−06:00" not in page
    code, stdout, stderr = spyscan("report", out, "--tz", "Nowhere/Else", capsys=capsys)
    assert code == 2 and "Nowhere/Else" in stderr


# ------------------------------------------------------------------------------------------------------------
# Bullet: "the redacted copy: user file names (/sdcard/Documents/…) redacted; an e-mail shown in clear in one card
# and as a token in another is a leak (test every card type with the personal-value list); non-personal facts
# (message direction, backup date, encryption) stay readable".
# Also: tests/report/test_report_redact.py (a fixed list of personal values in the fixture's cards),
# tests/report/test_report_redact_links.py (every link keeps its host and loses the rest).

PERSON_EMAIL = "ana.garcia.defensora@example.org"
PERSON_PHONE = "+52 55 8765 4321"
PERSON_NAME = "Ana García Defensora"
PERSON_TEXT = "Ana, la reunión con la fiscalía es el martes en la casa de Rosa"
USER_FILE = "/sdcard/Documents/Denuncia_Fiscalia_AnaGarcia.pdf"
USER_FILE_IOS = "/private/var/mobile/Media/DCIM/100APPLE/Rosa_en_la_marcha.jpg"
USER_LINK = "https://docs.example.net/share/Denuncia-AnaGarcia?user=ana.garcia"
PERSONAL_VALUES = (PERSON_EMAIL, PERSON_PHONE, "8765 4321", "5587654321", PERSON_NAME, PERSON_TEXT,
                   "Denuncia_Fiscalia_AnaGarcia", "Rosa_en_la_marcha", "Denuncia-AnaGarcia", "ana.garcia")
# an indicator lists this address: it stays in clear everywhere (the issue: never in clear here, a token there)
LISTED_EMAIL = "operator.inbox@spy-mail.example"
PERSONAL_OBSERVABLES = (("email", PERSON_EMAIL), ("phone", PERSON_PHONE), ("url", USER_LINK),
                        ("file_path", USER_FILE), ("file_path", USER_FILE_IOS), ("text", PERSON_TEXT))


def record_types() -> list[str]:
    """Every record type spyscan writes (one card type each)."""
    import importlib
    import pkgutil

    import spyscan.records as package
    from spyscan.records.base import Record

    for info in pkgutil.iter_modules(package.__path__, package.__name__ + "."):
        importlib.import_module(info.name)
    found: set[str] = set()
    pending = list(Record.__subclasses__())
    while pending:
        cls = pending.pop()
        pending.extend(cls.__subclasses__())
        tag = cls.__struct_config__.tag
        if isinstance(tag, str):
            found.add(tag)
    return sorted(found)


def personal_cards() -> list[Any]:
    """For every record type and every kind of personal value: a card that shows the value where cards show
    values (what was found, the details line, the record's fields, an occurrence's note), and a card where the
    listed address is both the indicator's value and a field of the record."""
    from spyscan.detection.model import Detection, IndicatorRef, ObservableRef, Occurrence, Severity
    from spyscan.texts import tr

    cards = []
    for number, record_type in enumerate(record_types()):
        obs_type, value = PERSONAL_OBSERVABLES[number % len(PERSONAL_OBSERVABLES)]
        record = {"record_type": record_type, "source": {"file": "HomeDomain/Library/SMS/sms.db", "table": "message",
                                                         "rowid": number},
                  "text": f"{PERSON_TEXT} {USER_LINK}", "handle": PERSON_PHONE, "email": PERSON_EMAIL,
                  "contact_name": PERSON_NAME, "path": USER_FILE, "direction": "received", "is_from_me": False,
                  "other_address": LISTED_EMAIL}
        message = tr("%(kind)s %(value)s seen with %(other)s", kind=obs_type, value=value, other=PERSON_EMAIL)
        cards.append(Detection(
            id=f"h{number:019d}", severity=Severity.MEDIUM, kind="heuristic", artifact=f"part.{record_type}",
            message=str(message), text=message.message, timestamp="2024-05-20T08:00:00Z",
            observable=ObservableRef(obs_type, value), indicator=None, record=record, rule="ios.process_after_sms",
            title="App installed by an unknown installer", why="Stalkerware and some spyware are installed",
            occurrences=[Occurrence(source=f"{USER_FILE}, line 3", timestamp="2024-05-20T08:00:00Z",
                                    note=f"{PERSON_NAME} <{PERSON_EMAIL}>")], count=1))
        listed = IndicatorRef(value=LISTED_EMAIL, type="email-addr:value", malware="Pegasus", threat="mercenary",
                              stix_id=f"indicator--{number:08d}-1111-4111-8111-111111111111", file="ioc.stix2")
        cards.append(Detection(
            id=f"i{number:019d}", severity=Severity.HIGH, kind="indicator", artifact=f"part.{record_type}",
            message=f"email {LISTED_EMAIL!r} matches Pegasus indicator", timestamp="2024-05-20T08:00:00Z",
            observable=ObservableRef("email", LISTED_EMAIL), indicator=listed, sources=[listed], record=record,
            match="exact"))
    return cards


def _tokens(text: str) -> set[str]:
    return set(re.findall(r"\[[a-z]+ #[0-9a-f]{10}\]", text))


def test_every_card_type_in_the_redacted_copy_hides_each_personal_value_and_keeps_the_facts(tmp_path: Path) -> None:
    from spyscan.records.device import DeviceFacts
    from spyscan.report import html
    from spyscan.report.redact import Redactor
    from spyscan.report.runfile import write_json
    from tests.report import folders as f

    cards = personal_cards()
    assert len(record_types()) > 50 and len(cards) == 2 * len(record_types())
    for batch_number, start in enumerate(range(0, len(cards), 150)):  # cards past 200 are not shown in detail
        out = tmp_path / f"case-{batch_number}"
        built = f.write_folder(out, detections=cards[start:start + 150], with_failure=False)
        built.run.device = DeviceFacts(platform="ios", name=PERSON_NAME, model="iPhone14,2", os_version="17.4.1",
                                       encrypted=True, acquired="2024-06-01T09:58:00Z",
                                       details={"backup_date": "2024-06-01T09:58:00Z", "SerialNumber": f.SERIAL})
        write_json(out / "run.json", built.run)
        html.write_reports(out, lang="en", redact=True, salt=b"acceptance")
        clear = htmllib.unescape((out / "report.html").read_text(encoding="utf-8"))
        redacted = htmllib.unescape((out / "report-redacted.html").read_text(encoding="utf-8"))
        redactor = Redactor(b"acceptance")
        for value in PERSONAL_VALUES:
            assert value in clear or value == "5587654321", value  # the premise: shown unredacted
            assert value not in redacted, value
        # the same value never appears in clear in one card and as a token in another
        assert LISTED_EMAIL in redacted and redactor.token(LISTED_EMAIL, "email") not in redacted
        assert redacted.count(LISTED_EMAIL) >= len(cards[start:start + 150]) // 2
        assert redactor.token(PERSON_EMAIL, "email") in redacted
        # one value, one token: never a second token for it in the details line or a note
        assert redactor.token(PERSON_EMAIL, "value") not in redacted
        assert redactor.token(PERSON_PHONE, "tel") in redacted and redactor.token(PERSON_PHONE, "phone") not in redacted
        assert redactor.token(PERSON_TEXT, "text") in redacted
        # user file names become tokens, their folders stay; non-personal facts stay readable
        assert "/sdcard/Documents/" in redacted and "/private/var/mobile/Media/DCIM/100APPLE/" in redacted
        fields = section(redacted, 'id="det-0"', "</article>") if 'id="det-0"' in redacted else redacted
        assert "received" in fields  # the message's direction
        device = section(redacted, 'id="device-facts"', "</dl>")
        assert "2024-06-01" in device and "yes" in device  # the backup's date, the encryption
        assert "iPhone14,2" in redacted and "Pegasus" in redacted


# ============================================================================================================
# Acquisition guide
#
# Bullet: "docs/ (en/es/fr/pt) gains 'what to ask the person': how to make an encrypted iPhone backup and where it
# is stored on Windows and macOS, how to trigger and send a sysdiagnose, how to run androidqf, what each kind
# covers and misses; and the report states, under the verdict, what this acquisition could and could not cover
# (an unencrypted backup lacks, among others, Safari history and call history)".

GUIDES = {"en": "acquisition-guide.md", "es": "acquisition-guide.es.md", "fr": "acquisition-guide.fr.md",
          "pt": "acquisition-guide.pt.md"}
GUIDE_WORDS = {
    # (encrypted backup, sysdiagnose's place, androidqf's USB debugging, Safari history, call history)
    "en": ("Encrypt local backup", "Analytics Data", "USB debugging", "Safari history", "call history"),
    "es": ("Encriptar respaldo local", "Datos de análisis", "Depuración por USB", "historial de Safari",
           "historial de llamadas"),
    "fr": ("Chiffrer la sauvegarde locale", "Données d'analyse", "Débogage USB", "historique de Safari",
           "historique des appels"),
    "pt": ("Criptografar backup local", "Dados de Análise", "Depuração USB", "histórico do Safari",
           "histórico de chamadas"),
}


@pytest.mark.parametrize("lang", LANGS)
def test_the_acquisition_guide_says_what_to_ask_in_each_language(lang: str) -> None:
    guide = one_line((REPO / "docs" / GUIDES[lang]).read_text(encoding="utf-8"))
    for words in GUIDE_WORDS[lang]:
        assert words in guide, (lang, words)
    # where the backup is stored, on each system; the sysdiagnose's file; androidqf; every kind's coverage
    for where in ("~/Library/Application Support/MobileSync/Backup/", r"%APPDATA%\Apple Computer\MobileSync\Backup",
                  r"%USERPROFILE%\Apple\MobileSync\Backup", "sysdiagnose_", "androidqf", "key.txt",
                  "support.apple.com/108353", "support.apple.com/108809", "spyscan check"):
        assert where in guide, (lang, where)
    for other in GUIDES.values():  # each version links the others
        assert other == GUIDES[lang] or other in guide
    assert "docs/acquisition-guide.md" in (REPO / "README.md").read_text(encoding="utf-8")


SCOPE_WORDS = {
    # an unencrypted backup: what it cannot show, under the verdict
    "en": ("An unencrypted iPhone backup", "Safari history", "call history", "encrypted backup"),
    "es": ("respaldo del iPhone sin encriptar", "historial de Safari", "historial de llamadas", "encriptado"),
    "fr": ("sauvegarde non chiffrée", "historique de Safari", "historique des appels", "chiffrée"),
    "pt": ("backup do iPhone sem criptografia", "histórico do Safari", "histórico de chamadas", "criptografado"),
}


@pytest.mark.parametrize("lang", LANGS)
def test_the_report_says_under_the_verdict_what_this_acquisition_covers(tmp_path: Path, lang: str,
                                                                        capsys: pytest.CaptureFixture[str]) -> None:
    backup = iphone_backup(tmp_path / "backup")
    out = tmp_path / "out"
    code, stdout, stderr = spyscan("check", backup, "-o", out, "--no-bundled-iocs", "-j", "1", "-q", "--lang", lang,
                                   capsys=capsys)
    assert code == 0, stdout + stderr
    assert run_json(out)["device"]["encrypted"] is False
    page = htmllib.unescape((out / "report.html").read_text(encoding="utf-8"))
    scope = page[page.index('id="scope"'):page.index("</p>", page.index('id="scope"'))]
    assert page.index('id="verdict"') < page.index('id="scope"') < page.index('id="annex"')
    for words in SCOPE_WORDS[lang]:
        assert words.casefold() in scope.casefold(), (lang, words, scope)


def test_an_encrypted_backup_and_a_sysdiagnose_say_their_own_scope(tmp_path: Path, capsys: pytest.CaptureFixture[str],
                                                                   monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("ACCEPTANCE_BACKUP_PW", "backup-pw")
    encrypted = iphone_backup(tmp_path / "encrypted", encrypted=True)
    code, stdout, stderr = spyscan("check", encrypted, "-o", tmp_path / "out-backup", "--no-bundled-iocs", "-j", "1",
                                   "-q", "--password-env", "ACCEPTANCE_BACKUP_PW", capsys=capsys)
    assert code == 0, stdout + stderr
    page = htmllib.unescape((tmp_path / "out-backup" / "report.html").read_text(encoding="utf-8"))
    scope = section(page, 'id="scope"', "</p>")
    assert "An encrypted iPhone backup" in scope and "Safari" in scope.split("It cannot show")[0]
    archive = infected_sysdiagnose(tmp_path / "sysdiagnose")
    code, stdout, stderr = spyscan("check", archive, "-o", tmp_path / "out-sd", "--no-bundled-iocs", "-j", "1", "-q",
                                   capsys=capsys)
    page = htmllib.unescape((tmp_path / "out-sd" / "report.html").read_text(encoding="utf-8"))
    scope = section(page, 'id="scope"', "</p>")
    assert "sysdiagnose" in scope and "messages" in scope.split("It cannot show")[1]


# ============================================================================================================
# Proof (the last section), where each item is:
#
# - "tests for each state of the verdict on generated inputs (including a photo folder with each --kind)":
#   test_each_verdict_state_on_a_generated_backup (traces, review, clean, incomplete: exit status, run.json,
#   report colour, terminal, case store), test_a_photo_folder_checked_with_each_kind_is_refused_never_green,
#   test_an_infected_sysdiagnose_checked_as_a_filesystem_dump_is_refused_naming_its_kind;
# - "the untranslated-string test in all four languages": test_every_declared_message_is_shown_without_english
#   (es/fr/pt, every plural form) with test_the_message_check_fails_on_a_language_without_its_catalog (it can
#   fail), test_every_translation_keeps_its_parameters (en/es/fr/pt), test_each_kinds_refusal_is_in_the_language,
#   test_every_artifact_status_is_shown_in_the_language, test_real_checks_say_everything_in_the_language,
#   test_command_line_mistakes_are_said_in_the_language, test_the_demo_says_everything_in_the_language,
#   test_the_password_prompt_and_a_wrong_password_in_the_language_leave_no_folder (en/es/fr/pt);
# - "a one-page print of the summary (PDF page count)": test_the_summary_prints_on_one_page_and_the_annex_follows
#   (en/es/fr/pt, plain and redacted, the longest summary);
# - "a phone-width screenshot without horizontal scroll in the browser test":
#   test_the_report_has_no_sideways_scrolling_at_phone_width (375 and 320 px, every folded part open; the
#   screenshot is test-output/report-phone-375.png);
# - "the redaction test over every card type":
#   test_every_card_type_in_the_redacted_copy_hides_each_personal_value_and_keeps_the_facts.
