"""Hostile files at every command-line entry point and in the upload: one line, exit 2, bounded memory.

The slow or huge cases run the real command in a child process and read its peak memory from the kernel
(os.wait4), so a parser that reads /dev/zero to the end or recurses 100,000 deep fails here. No test waits on
wall-clock time; the time each case takes is measured by bench/bench_hostile.py.
"""

from __future__ import annotations

import json
import subprocess
import sys
import tempfile
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from assessment.answers import AnswerSet, parse_answers
from assessment.bank import default_bank
from assessment.cli import main
from assessment.engine import Profile, parse_profile
from assessment.errors import AnswersError, AssessmentError
from assessment.safeio import MAX_DEPTH, loads_json, nesting_depth

ROOT = Path(__file__).resolve().parent.parent
EXAMPLE = ROOT / "examples" / "riverside_two_step.json"
MAX_RSS_BYTES = 200 * 1024 * 1024
DEPTH = 100_000


# The child reports its own peak resident memory (VmHWM of its process image) at exit. The kernel's rusage
# maxrss would not do: it keeps the peak from before exec, i.e. this pytest process's size at the fork.
PEAK_WRAPPER = """
import atexit, runpy, sys
out = sys.argv.pop(1)
def peak():
    with open('/proc/self/status') as f, open(out, 'w') as o:
        o.write(next(line.split()[1] for line in f if line.startswith('VmHWM')))
atexit.register(peak)
sys.argv[0] = 'assessment'
runpy.run_module('assessment', run_name='__main__', alter_sys=True)
"""


def run_cli(*args: str, timeout: float = 60) -> tuple[int, str, str, int]:
    """Run `python -m assessment ARGS` in a child; return exit code, stdout, stderr and its peak RSS in bytes."""
    with tempfile.TemporaryDirectory() as tmp:
        peak = Path(tmp) / "peak"
        try:
            proc = subprocess.run([sys.executable, "-c", PEAK_WRAPPER, str(peak), *args], cwd=ROOT,
                                  capture_output=True, text=True, timeout=timeout)  # fmt: skip
        except subprocess.TimeoutExpired:  # a safety net for a runaway parser, not a timing test
            pytest.fail(f"assessment {' '.join(args)} ran for more than {timeout} s")
        return proc.returncode, proc.stdout, proc.stderr, int(peak.read_text()) * 1024  # kB


def assert_one_line_error(code: int, err: str, needle: str) -> None:
    assert code == 2, err
    assert "Traceback" not in err
    assert err.count("\n") == 1 and err.startswith("error: "), err
    assert needle in err, err


# ----- the cases the issue lists, as the real command ----------------------------------------------------------


@pytest.fixture(scope="module")
def hostile(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    d = tmp_path_factory.mktemp("hostile")
    files = {
        "deep_array.json": "[" * DEPTH + "]" * DEPTH,
        "deep_object.json": '{"a":' * DEPTH + "1" + "}" * DEPTH,
        "deep_unclosed.json": "[" * DEPTH,
        "deep_flow.yaml": "a: " + "[" * DEPTH + "]" * DEPTH + "\n",
        "deep_mapping.yaml": "a: " + "{a: " * DEPTH + "1" + "}" * DEPTH + "\n",
    }
    out = {}
    for name, text in files.items():
        (d / name).write_text(text)
        out[name] = d / name
    return out


@pytest.mark.parametrize("command", ["score", "recommend", "report"])
@pytest.mark.parametrize("name", ["deep_array.json", "deep_object.json", "deep_unclosed.json"])
def test_deeply_nested_json_is_one_line(command: str, name: str, hostile: dict[str, Path]) -> None:
    code, _, err, rss = run_cli(command, str(hostile[name]))
    assert_one_line_error(code, err, "nests arrays and objects too deeply" if "unclosed" not in name else "")
    assert rss < MAX_RSS_BYTES


@pytest.mark.parametrize("name", ["deep_flow.yaml", "deep_mapping.yaml"])
def test_deeply_nested_yaml_bank_is_one_line(name: str, hostile: dict[str, Path]) -> None:
    code, _, err, rss = run_cli("validate", str(hostile[name]))
    assert_one_line_error(code, err, f"more than {MAX_DEPTH} deep")
    assert rss < MAX_RSS_BYTES


@pytest.mark.parametrize("command", ["score", "recommend", "report", "validate"])
def test_an_endless_file_is_refused_after_the_limit(command: str) -> None:
    code, _, err, rss = run_cli(command, "/dev/zero")
    assert_one_line_error(code, err, "is too large")
    assert rss < MAX_RSS_BYTES


def test_report_to_a_missing_folder_is_one_line(tmp_path: Path) -> None:
    code, _, err, _ = run_cli("report", str(EXAMPLE), "-o", str(tmp_path / "no" / "such" / "r.pdf"))
    assert_one_line_error(code, err, "does not exist")


# ----- the rest in process (fast) --------------------------------------------------------------------------------


def _answers(**changes: object) -> dict[str, object]:
    raw = json.loads(EXAMPLE.read_text())
    raw.update(changes)
    return raw


def _run(argv: list[str], capsys: pytest.CaptureFixture[str]) -> tuple[int, str]:
    code = main(argv)
    return code, capsys.readouterr().err


@pytest.mark.parametrize("value", [True, False, "3", 3.0, 3.5, [3], {"v": 3}, 0, 6, -1, "dont know"])
def test_score_refuses_a_rating_that_is_not_an_integer_from_1_to_5(
    value: object, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    raw = _answers()
    first = next(iter(raw["answers"]))  # type: ignore[call-overload]
    raw["answers"][first]["value"] = value  # type: ignore[index]
    p = tmp_path / "a.json"
    p.write_text(json.dumps(raw))
    code, err = _run(["score", str(p)], capsys)
    assert_one_line_error(code, err, f"answers.{first}.value")


@pytest.mark.parametrize("value", [True, "3", None, [3]])
def test_recommend_refuses_a_score_that_is_not_a_number(
    value: object, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    p = tmp_path / "p.json"
    p.write_text(json.dumps({"scores": {"multiplicity": value}}))
    code, err = _run(["recommend", str(p)], capsys)
    assert_one_line_error(code, err, "scores.multiplicity")


@pytest.mark.parametrize("value", ["true", 1, 0, "Yes", "maybe"])
def test_plan_answers_must_be_yes_no_not_sure_or_null(
    value: object, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    raw = _answers()
    raw["context"]["political_work_first"] = value  # type: ignore[index]
    p = tmp_path / "a.json"
    p.write_text(json.dumps(raw))
    code, err = _run(["score", str(p)], capsys)
    assert_one_line_error(code, err, "context.political_work_first")


@pytest.mark.parametrize("command", ["score", "recommend"])
def test_duplicate_json_keys_are_refused(command: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    p = tmp_path / "dup.json"
    if command == "score":
        text = EXAMPLE.read_text().replace('"mode":', '"mode": "quick", "mode":', 1)
    else:
        text = '{"scores": {"multiplicity": 1, "multiplicity": 5}}'
    p.write_text(text)
    code, err = _run([command, str(p)], capsys)
    assert_one_line_error(code, err, "twice in one object")


def test_duplicate_yaml_keys_and_aliases_are_refused(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    bank = (ROOT / "questions.yaml").read_text()
    dup = tmp_path / "dup.yaml"
    dup.write_text(bank.replace("bank_version:", "bank_version: x\nbank_version:", 1))
    code, err = _run(["validate", str(dup)], capsys)
    assert_one_line_error(code, err, "appears twice in one mapping")
    bomb = tmp_path / "bomb.yaml"
    bomb.write_text('a: &a ["x","x"]\nb: &b [*a,*a]\nc: &c [*b,*b]\n')
    code, err = _run(["validate", str(bomb)], capsys)
    assert_one_line_error(code, err, "anchor or alias")


@pytest.mark.parametrize(
    "content,needle",
    [
        (b"\xff\xfe{}", "not a UTF-8 text file"),
        (b'{"schema_version": NaN}', "not a number JSON allows"),
        (b"", "not valid JSON"),
        (b"[1, 2]", "must hold a JSON object"),
    ],
)
def test_foreign_files_are_one_line(content: bytes, needle: str, tmp_path: Path,
                                    capsys: pytest.CaptureFixture[str]) -> None:  # fmt: skip
    p = tmp_path / "x.json"
    p.write_bytes(content)
    code, err = _run(["score", str(p)], capsys)
    assert_one_line_error(code, err, needle)


def test_a_folder_or_a_missing_file_is_one_line(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    for argv, needle in (
        (["score", str(tmp_path)], "is a directory"),
        (["recommend", str(tmp_path / "nope.json")], "not found"),
        (["validate", str(tmp_path)], "is a directory"),
    ):
        code, err = _run(argv, capsys)
        assert_one_line_error(code, err, needle)


@pytest.mark.parametrize("target", ["dir", "full"])
def test_report_to_an_unwritable_path_is_one_line(target: str, tmp_path: Path,
                                                  capsys: pytest.CaptureFixture[str]) -> None:  # fmt: skip
    if target == "full" and not Path("/dev/full").exists():
        pytest.skip("no /dev/full on this system")
    out = str(tmp_path) if target == "dir" else "/dev/full"
    code, err = _run(["report", str(EXAMPLE), "-o", out], capsys)
    assert_one_line_error(code, err, "is a directory" if target == "dir" else "cannot write /dev/full")


# ----- the upload uses the same strict parser --------------------------------------------------------------------


def test_the_upload_refuses_what_the_command_refuses() -> None:
    bank = default_bank()
    good = EXAMPLE.read_bytes()
    assert isinstance(parse_answers(good, bank), AnswerSet)
    raw = _answers()
    first = next(iter(raw["answers"]))  # type: ignore[call-overload]
    raw["answers"][first]["value"] = True  # type: ignore[index]
    with pytest.raises(AnswersError, match=f"answers.{first}.value"):
        parse_answers(json.dumps(raw).encode(), bank)
    with pytest.raises(AnswersError, match="twice"):
        parse_answers(good.replace(b'"mode":', b'"mode": "quick", "mode":', 1), bank)
    with pytest.raises(AnswersError, match="too deeply"):
        parse_answers(b"[" * DEPTH, bank)
    with pytest.raises(AnswersError, match="too large"):
        parse_answers(b" " * 2_000_001, bank)


@pytest.mark.parametrize("depth", [MAX_DEPTH + 1, 500])
@pytest.mark.parametrize("where", ["value", "format", "schema_version", "extra"])
def test_an_answers_file_nested_too_deeply_anywhere_is_refused_as_such(depth: int, where: str) -> None:
    """The answers reader checks nesting only for a file that fails validation (a valid one is shallow by its
    model); every way of being deep must still get the nesting message, never a recursion error."""
    deep = "[" * depth + "]" * depth
    raw = _answers()
    first = next(iter(raw["answers"]))  # type: ignore[call-overload]
    if where == "value":
        text = json.dumps({**raw, "answers": {first: {"value": "PLACEHOLDER"}}})
    elif where == "extra":
        text = json.dumps({**raw, "extra": "PLACEHOLDER"})
    else:
        text = json.dumps({**raw, where: "PLACEHOLDER"})
    with pytest.raises(AnswersError, match="too deeply"):
        parse_answers(text.replace('"PLACEHOLDER"', deep).encode(), default_bank())


def test_nesting_just_within_the_limit_is_read_and_one_more_is_refused() -> None:
    ok = "[" * MAX_DEPTH + "]" * MAX_DEPTH
    assert nesting_depth(loads_json(ok, "x")) == MAX_DEPTH
    with pytest.raises(AssessmentError, match="too deeply"):
        loads_json("[" + ok + "]", "x")


# ----- fuzz: whatever the bytes, the loaders answer with a value or one AnswersError ----------------------------

JSON_VALUES = st.recursive(
    st.none() | st.booleans() | st.integers(-10, 10) | st.floats(allow_nan=False) | st.text(max_size=20),
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=12), inner, max_size=4),
    max_leaves=20,
)
ITEM_IDS = [i.id for i in default_bank().items[:6]]


@st.composite
def answers_like(draw: st.DrawFn) -> dict[str, object]:
    """Mostly-valid answers files with hostile values in the places people edit."""
    raw = _answers()
    raw["answers"] = draw(
        st.dictionaries(
            st.sampled_from(ITEM_IDS) | st.text(max_size=10),
            st.fixed_dictionaries({"value": JSON_VALUES}, optional={"comment": JSON_VALUES}) | JSON_VALUES,
            max_size=4,
        )
    )
    raw["context"] = draw(st.dictionaries(st.sampled_from(["stage", "political_work_first", "plan_unsure",
                                                           "department", "x"]), JSON_VALUES, max_size=3))  # fmt: skip
    if draw(st.booleans()):
        raw[draw(st.sampled_from(["mode", "schema_version", "format", "section", "saved_at"]))] = draw(JSON_VALUES)
    return raw


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.one_of(answers_like().map(lambda r: json.dumps(r).encode()), st.binary(max_size=200),
                 JSON_VALUES.map(lambda v: json.dumps(v).encode())))  # fmt: skip
def test_fuzz_answers_loader(data: bytes) -> None:
    try:
        answer_set = parse_answers(data, default_bank())
    except AnswersError as exc:
        assert "\n" not in exc.one_line()
        return
    for a in answer_set.answers.values():  # what is accepted is exactly what the store accepts
        assert a.value is None or a.value == "dont_know" or (type(a.value) is int and 1 <= a.value <= 5)


@settings(max_examples=150, deadline=None)
@given(st.one_of(st.fixed_dictionaries({"scores": st.dictionaries(st.sampled_from(["multiplicity", "ambiguity", "x"]),
                                                                  JSON_VALUES, max_size=3)},
                                       optional={"context": JSON_VALUES}).map(json.dumps),
                 st.text(max_size=100)))  # fmt: skip
def test_fuzz_profile_loader(text: str) -> None:
    try:
        profile = parse_profile(loads_json(text, "profile", AnswersError))
    except AnswersError as exc:
        assert "\n" not in exc.one_line()
        return
    assert isinstance(profile, Profile)
    assert all(type(v) is float and 1 <= v <= 5 for v in profile.scores.values())


def test_a_hostile_key_cannot_break_the_one_line_error(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    p = tmp_path / "p.json"
    p.write_text(json.dumps({"scores": {}, "context": {"x\nerror: forged line\r": 1}}))
    code, err = _run(["recommend", str(p)], capsys)
    assert_one_line_error(code, err, "unknown key")
    assert "\\n" in err and "\r" not in err
