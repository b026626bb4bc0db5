"""The command line: score, recommend, validate, and one-line errors with a non-zero exit."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from assessment.cli import main

ROOT = Path(__file__).resolve().parent.parent
EXAMPLES = ROOT / "examples"


def test_score_prints_result_json(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["score", str(EXAMPLES / "riverside_two_step.json")]) == 0
    out = json.loads(capsys.readouterr().out)
    assert out["recommendation"]["strategy"] == "two_step"
    assert set(out["scores"]) >= {"system_leadership", "professional_resistance"}
    assert "not a validated prediction" in out["recommendation"]["disclaimer"]


@pytest.mark.parametrize(
    "name,strategy",
    [
        ("riverside_two_step.json", "two_step"),
        ("northmoor_hold_back.json", "hold_back"),
        ("eastvale_centralized.json", "centralized_project"),
    ],
)
def test_each_example_leads_to_its_strategy(name: str, strategy: str, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["score", str(EXAMPLES / name)]) == 0
    assert json.loads(capsys.readouterr().out)["recommendation"]["strategy"] == strategy


def test_text_format_is_readable(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["score", str(EXAMPLES / "eastvale_centralized.json"), "--format", "text"]) == 0
    out = capsys.readouterr().out
    assert out.startswith("Recommendation: Centralized project")
    assert "WARNING: Rules and incentives before clinicians have shaped the change" in out


def test_recommend_takes_scores_directly(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    p = tmp_path / "profile.json"
    p.write_text(
        json.dumps(
            {
                "scores": {"professional_resistance": 4.2, "multiplicity": 1.5, "heterogeneity": 2.0, "ambiguity": 1.0},
                "context": {
                    "radicalness": "radical",
                    "stage": "ideation",
                    "political_work_first": True,
                    "step_one_evidence": False,
                },
            }
        )
    )
    assert main(["recommend", str(p)]) == 0
    rec = json.loads(capsys.readouterr().out)["recommendation"]
    assert rec["strategy"] == "hold_back"
    assert [w["id"] for w in rec["warnings"]] == ["political_work_first"]
    assert any("professional resistance fell from 4.2" in s["description"] for s in rec["sensitivity"])


@pytest.mark.parametrize(
    "profile,message",
    [
        ({"scores": {"charisma": 3}}, "unknown dimension id(s): charisma"),
        ({"scores": {"multiplicity": 7}}, "between 1 and 5"),
        ({"scores": {}, "context": {"stage": "launch"}}, "context.stage"),
        ([1, 2], "must be a JSON object"),
    ],
)
def test_recommend_rejects_bad_profiles(
    profile: object, message: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    p = tmp_path / "bad.json"
    p.write_text(json.dumps(profile))
    assert main(["recommend", str(p)]) == 2
    err = capsys.readouterr().err
    assert message in err and err.count("\n") == 1


def test_validate_passes_on_the_bank_and_fails_on_a_broken_one(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["validate"]) == 0
    assert "ok:" in capsys.readouterr().out
    bad = tmp_path / "q.yaml"
    bad.write_text((ROOT / "questions.yaml").read_text().replace("dimension: partnerships", "dimension: charm", 1))
    assert main(["validate", str(bad)]) == 2
    assert "unknown dimension 'charm'" in capsys.readouterr().err


def test_missing_and_corrupt_files_exit_non_zero(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["score", str(tmp_path / "missing.json")]) == 2
    corrupt = tmp_path / "c.json"
    corrupt.write_text("{oops")
    assert main(["score", str(corrupt)]) == 2
    assert "not valid JSON" in capsys.readouterr().err


def test_module_entry_point_runs() -> None:
    proc = subprocess.run([sys.executable, "-m", "assessment", "validate"], cwd=ROOT, capture_output=True, text=True)
    assert proc.returncode == 0 and "ok:" in proc.stdout


def test_fired_rules_name_the_answers_behind_each_score(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["score", str(EXAMPLES / "northmoor_hold_back.json")]) == 0
    rule = json.loads(capsys.readouterr().out)["recommendation"]["fired_rules"][0]
    resistance = next(i for i in rule["inputs"] if i["key"] == "professional_resistance")
    assert resistance["met"] and resistance["value"] >= 3.5
    assert resistance["items"] and all(i.startswith("pr_") for i in resistance["items"])
    assert rule["citation"]["source"] == "Two-step institutional work"
