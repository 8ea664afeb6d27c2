"""A finding read back from its JSON object (as the web app stores it) is the finding."""

from __future__ import annotations

from nofault.core.lint.engine import Finding, lint

TEXT = "# Postmortem: cache\n\n## Summary\n\nThe engineer failed to check the cache.\n"


def test_a_finding_read_back_from_its_object_is_the_same() -> None:
    findings = lint(TEXT).findings
    assert findings
    for finding in findings:
        assert Finding.from_dict(finding.as_dict()) == finding


def test_an_object_stored_before_a_field_existed_still_reads() -> None:
    data = lint(TEXT).findings[0].as_dict()
    data.pop("excerpt")
    data["unknown"] = 1  # written by a later version
    finding = Finding.from_dict(data, file="pm.md")
    assert finding.excerpt == "" and finding.file == "pm.md" and finding.code == data["code"]
