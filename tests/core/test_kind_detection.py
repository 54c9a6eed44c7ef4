"""Input kinds are decided by the evidence: a planted run.json never turns evidence into "results", and
an input of another kind (or of none) is refused, also with --kind, before anything is written."""

from __future__ import annotations

from pathlib import Path

import pytest

from spyscan.engine import IndicatorOptions, RunOptions, check
from spyscan.errors import UsageError
from spyscan.kinds import RESULTS_KIND, all_kinds, check_kind, detect_kind
from tests.builders.ios_fs import FsDumpBuilder
from tests.builders.sysdiagnose import SysdiagnoseBuilder


def _photo_folder(root: Path) -> Path:
    root.mkdir(parents=True)
    (root / "IMG_0001.JPG").write_bytes(b"\xff\xd8\xff\xe0" + b"\x00" * 64)
    return root


def test_a_dump_with_a_planted_results_file_is_refused_naming_both_readings(tmp_path: Path) -> None:
    dump = FsDumpBuilder().system_volume().build_folder(tmp_path / "dump")
    (dump / "run.json").write_text("{}", encoding="utf-8")
    (dump / "records").mkdir()
    with pytest.raises(UsageError) as info:
        detect_kind(dump)
    message = str(info.value)
    assert "ios-fs" in message and "results" in message and "recheck" in message
    assert check_kind(dump, "ios-fs") == "ios-fs"  # saying which reading is meant works


def test_a_results_folder_alone_is_results(tmp_path: Path) -> None:
    folder = tmp_path / "out"
    (folder / "records").mkdir(parents=True)
    (folder / "run.json").write_text("{}", encoding="utf-8")
    assert detect_kind(folder) == RESULTS_KIND


@pytest.mark.parametrize("kind", sorted(all_kinds()))
def test_a_photo_folder_is_refused_with_every_kind(tmp_path: Path, kind: str) -> None:
    photos = _photo_folder(tmp_path / "photos")
    options = RunOptions(output=tmp_path / "out", indicators=IndicatorOptions(bundled=False), jobs=1)
    with pytest.raises(UsageError) as info:
        check(photos, kind, options)
    assert "is not" in str(info.value) and "Nothing was checked" in str(info.value)
    assert not (tmp_path / "out").exists()


def test_detection_without_kind_does_not_suggest_forcing_one(tmp_path: Path) -> None:
    with pytest.raises(UsageError) as info:
        detect_kind(_photo_folder(tmp_path / "photos"))
    assert "give --kind" not in str(info.value) and "does not recognise" in str(info.value)


def test_a_sysdiagnose_given_as_a_filesystem_dump_is_refused_naming_its_kind(tmp_path: Path) -> None:
    archive = SysdiagnoseBuilder().logarchive_noise().add_text("ps.txt", "x\n").build(tmp_path)
    with pytest.raises(UsageError) as info:
        check_kind(archive, "ios-fs")
    assert "--kind sysdiagnose" in str(info.value)


def test_sysdiagnose_name_gives_acquisition_time_in_utc_and_the_offset(tmp_path: Path) -> None:
    from spyscan.kinds.sysdiagnose import SysdiagnoseEvidence

    builder = SysdiagnoseBuilder(top="sysdiagnose_2025.04.07_08-06-18-0700_iPhone-OS_iPhone_20A362")
    archive = builder.logarchive_noise().add_text("ps.txt", "x\n").build(tmp_path)
    work = tmp_path / "work"
    work.mkdir()
    evidence = SysdiagnoseEvidence(archive, work)
    evidence.open()
    facts = evidence.device_info()
    assert facts.platform == "ios" and facts.build == "20A362"
    assert facts.acquired == "2025-04-07T15:06:18Z" and facts.utc_offset == "-07:00"


def test_a_folder_named_like_a_sysdiagnose_is_not_one_by_its_name(tmp_path: Path) -> None:
    photos = _photo_folder(tmp_path / "sysdiagnose_2025.04.07_08-06-18-0700_iPhone-OS_iPhone_20A362")
    with pytest.raises(UsageError):
        check_kind(photos, "sysdiagnose")
    fake = tmp_path / "sysdiagnose_2025.04.07_08-06-18-0700_iPhone-OS_iPhone_20A362.tar.gz"
    fake.write_bytes(b"\xff\xd8\xff\xe0 not an archive")
    with pytest.raises(UsageError):
        check_kind(fake, "sysdiagnose")


def test_every_kind_declares_its_platform_and_key_files() -> None:
    for kind, cls in all_kinds().items():
        assert cls.platform in ("ios", "android"), kind
        assert cls.key_files, kind


# a kind's label is a title ("androidqf acquisition (folder, ...)", "iPhone crash reports ..."), singular or plural,
# masculine or feminine: the refusal names the kind after a noun of its own, so each language keeps its article
REFUSAL_WORDS = {"en": ("is not an input of the kind", "It looks like an input of the kind"),
                 "es": ("no es una entrada del tipo", "Parece una entrada del tipo"),
                 "fr": ("n'est pas une entrée du type", "Cela ressemble à une entrée du type"),
                 "pt": ("não é uma entrada do tipo", "Parece uma entrada do tipo")}


@pytest.mark.parametrize("lang", sorted(REFUSAL_WORDS))
def test_a_refusal_reads_with_its_article_in_each_language(tmp_path: Path, lang: str) -> None:
    from spyscan.report.i18n import gettext_for, translate
    from spyscan.texts import message_of_error, tr

    archive = SysdiagnoseBuilder().logarchive_noise().add_text("ps.txt", "x\n").build(tmp_path)
    with pytest.raises(UsageError) as info:
        check_kind(archive, "androidqf")
    t = gettext_for(lang)
    said = translate(t, message_of_error(info.value))
    is_not, looks_like = REFUSAL_WORDS[lang]
    assert f"{is_not} {translate(t, tr(all_kinds()['androidqf'].label))} (androidqf)" in said, said
    assert looks_like in said and "--kind sysdiagnose" in said, said
