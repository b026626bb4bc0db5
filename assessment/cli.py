"""Command line: `python -m assessment score|recommend|validate|report|instrument ...`."""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Sequence
from pathlib import Path

from .answers import load_answers
from .bank import DEFAULT_BANK_PATH, load_bank
from .engine import assess, assess_profile, parse_profile
from .errors import AnswersError, AssessmentError
from .results import Result
from .rules import load_rulebook
from .rules.proofs import proof_failures
from .vocabulary import GROUP_LABELS, GROUPS


def result_json(result: Result) -> str:
    return result.model_dump_json(indent=2)


def result_text(result: Result) -> str:
    rec = result.recommendation
    lines = [
        f"Recommendation: {rec.strategy_label}",
        f"  {rec.reason}",
        f"  {rec.confidence.statement}",
    ]
    if rec.decisive_unknown_details:
        lines.append("Answering these would decide it:")
        lines.extend(f"  - {d.description}" for d in rec.answer_first)
        if rec.also_open:
            lines.append("  Also still open: " + ", ".join(d.label.lower() for d in rec.also_open) + ".")
    if rec.current_step:
        lines.append(f"  You are in step {rec.current_step}.")
    for w in rec.warnings:
        lines.append(f"WARNING: {w.title}. {w.message}")
    for c in rec.caveats:
        lines.append(f"Caveat: {' '.join(c.text.split())}")
    if rec.sensitivity:
        lines.append("What would change it:")
        lines.extend(f"  - {s.description}" for s in rec.sensitivity[:4])
    ri = result.readiness
    lines.append(
        f"Readiness index ({ri.stage} weights): " + (f"{ri.value:.2f} / 5 ({ri.percent:.0f} %)" if ri.value else "n/a")
    )
    for group, dims in GROUPS.items():
        lines.append(GROUP_LABELS[group] + ":")
        for d in dims:
            s = result.scores[d]
            score = f"{s.mean:.2f}" if s.mean is not None else " -- "
            flag = "" if s.sufficient else "  (insufficient evidence)"
            lines.append(f"  {s.label:<45} {score}  coverage {s.coverage:>4.0%}{flag}")
    lines.append(rec.disclaimer)
    return "\n".join(lines)


def _read_json(path: str) -> object:
    p = Path(path)
    try:
        return json.loads(p.read_text(encoding="utf-8"))
    except OSError as exc:
        raise AnswersError(f"cannot read {p}: {exc.strerror or exc}") from None
    except (json.JSONDecodeError, UnicodeDecodeError) as exc:
        raise AnswersError(f"{p.name} is not valid JSON: {exc}") from None


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m assessment", description="Innovation-readiness assessment")
    sub = parser.add_subparsers(dest="command", required=True)
    p_score = sub.add_parser("score", help="score a saved answers file and recommend a strategy")
    p_score.add_argument("answers")
    p_score.add_argument("--format", choices=("json", "text"), default="json")
    p_score.add_argument("--bank", default=str(DEFAULT_BANK_PATH))
    p_rec = sub.add_parser("recommend", help="recommend a strategy from dimension scores given directly")
    p_rec.add_argument("profile")
    p_rec.add_argument("--format", choices=("json", "text"), default="json")
    p_val = sub.add_parser("validate", help="check a question bank file")
    p_val.add_argument("bank", nargs="?", default=str(DEFAULT_BANK_PATH))
    p_rep = sub.add_parser("report", help="build the PDF report for a saved answers file")
    p_rep.add_argument("answers")
    p_rep.add_argument("-o", "--output", default="report.pdf")
    p_ins = sub.add_parser("instrument", help="how well the items hang together, from every submitted answer")
    p_ins.add_argument("--database", help="SQLAlchemy URL of the store (default: ASSESSMENT_DATABASE_URL)")
    p_ins.add_argument("--format", choices=("json", "text"), default="json")
    p_ins.add_argument("--export", metavar="CSV", help="also write the validation-study export to this file")
    args = parser.parse_args(argv)
    try:
        return _run(args)
    except AssessmentError as exc:
        if args.command == "validate":  # a bank author wants every problem, one per line
            print(f"error: {exc}", file=sys.stderr)
            for problem in exc.problems:
                print(f"  - {problem}", file=sys.stderr)
        else:
            print(f"error: {exc.one_line()}", file=sys.stderr)
        return 2


def _run(args: argparse.Namespace) -> int:
    if args.command == "validate":
        bank = load_bank(args.bank)
        book = load_rulebook()
        problems = [f"the rules name an item the bank lacks: {i}" for i in book.check_items(bank)]
        problems += proof_failures(book)
        if problems:
            print(f"error: the rules table fails {len(problems)} check(s)", file=sys.stderr)
            for problem in problems:
                print(f"  - {problem}", file=sys.stderr)
            return 2
        core = sum(1 for i in bank.items if i.core)
        examples = sum(len(r.examples) for r in book.rules)
        print(f"ok: {args.bank}: {len(bank.items)} items ({core} core) in {len(bank.dimensions)} dimensions; "
              f"{len(book.rules)} rules, {examples} rule examples pass, every answer gets an outcome")
        return 0
    if args.command == "score":
        bank = load_bank(args.bank)
        result = assess(load_answers(args.answers, bank), bank)
    elif args.command == "recommend":
        result = assess_profile(parse_profile(_read_json(args.profile)))
    elif args.command == "instrument":
        from .instrument.cli import run_instrument  # imported lazily: the statistics libraries are heavy

        return run_instrument(args.database, args.format, args.export)
    elif args.command == "report":
        from .report import build_report  # imported lazily: the PDF engine is only needed here

        bank = load_bank()
        answer_set = load_answers(args.answers, bank)
        Path(args.output).write_bytes(build_report(answer_set, bank))
        print(f"wrote {args.output}")
        return 0
    else:  # pragma: no cover - argparse restricts the choices
        return 2
    print(result_text(result) if args.format == "text" else result_json(result))
    return 0
