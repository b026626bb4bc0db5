"""Command line: `assessment score|recommend|validate|report|instrument|purge|serve` (also `python -m assessment`)."""

from __future__ import annotations

import argparse
import os
import sys
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import TYPE_CHECKING

from . import __version__
from .errors import AnswersError, AssessmentError, BankError
from .plain import score_cell
from .safeio import (
    MAX_BANK_BYTES,
    MAX_UPLOAD_BYTES,
    check_writable,
    decode_utf8,
    load_yaml,
    loads_json,
    read_limited,
)

if TYPE_CHECKING:
    from .results import Result
    from .settings import Settings

# The domain (pydantic models, rules, report) is imported only once the input has been read and parsed: a
# hostile file is refused after importing this module, safeio and the YAML parser (tenths of a second less).


def result_json(result: Result) -> str:
    return result.model_dump_json(indent=2)


def result_text(result: Result) -> str:
    from .vocabulary import GROUP_LABELS, GROUPS

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
            score = f"{score_cell(s.mean, '--'):>4}"
            flag = "" if s.sufficient else "  (insufficient evidence)"
            lines.append(f"  {s.label:<45} {score}  coverage {s.coverage:>4.0%}{flag}")
    lines.append(rec.disclaimer)
    return "\n".join(lines)


def _read_json(path: str) -> object:
    p = Path(path)
    return loads_json(read_limited(p, MAX_UPLOAD_BYTES, "profile file", AnswersError), p.name, AnswersError)


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="assessment", description="Innovation-readiness assessment")
    parser.add_argument("--version", action="version", version=f"%(prog)s {__version__}")
    sub = parser.add_subparsers(dest="command", required=True)
    p_score = sub.add_parser("score", help="score a saved answers file and recommend a strategy")
    p_score.add_argument("answers")
    p_score.add_argument("--format", choices=("json", "text"), default="json")
    p_score.add_argument("--bank", help="question bank file (default: the packaged questions.yaml)")
    p_rec = sub.add_parser("recommend", help="recommend a strategy from dimension scores given directly")
    p_rec.add_argument("profile")
    p_rec.add_argument("--format", choices=("json", "text"), default="json")
    p_val = sub.add_parser("validate", help="check a question bank file")
    p_val.add_argument("bank", nargs="?", help="question bank file (default: the packaged questions.yaml)")
    p_rep = sub.add_parser("report", help="build the PDF report for a saved answers file")
    p_rep.add_argument("answers")
    p_rep.add_argument("-o", "--output", default="report.pdf")
    p_rep.add_argument(
        "--database",
        help="SQLAlchemy URL of the store whose answers give the method section's reliability figures "
        "(default: ASSESSMENT_DATABASE_URL; without a database the report says none are available yet)",
    )
    p_ins = sub.add_parser("instrument", help="how well the items hang together, from every submitted answer")
    p_ins.add_argument("--database", help="SQLAlchemy URL of the store (default: ASSESSMENT_DATABASE_URL)")
    p_ins.add_argument("--format", choices=("json", "text"), default="json")
    p_ins.add_argument("--export", metavar="CSV", help="also write the validation-study export to this file")
    sub.add_parser("purge", help="delete expired workshops and everything in them (run daily from cron)")
    sub.add_parser("serve", help="run the web app; options after it go to `streamlit run` (e.g. --server.port 8501)")
    args, extra = parser.parse_known_args(argv)
    if extra and args.command != "serve":
        parser.error(f"unrecognized arguments: {' '.join(extra)}")
    args.streamlit_args = extra
    try:
        return _run(args)
    except AssessmentError as exc:
        if args.command == "validate":  # a bank author wants every problem, one per line
            print(f"error: {exc}", file=sys.stderr)
            for problem in exc.problems if exc.problems != [str(exc)] else ():
                print(f"  - {problem}", file=sys.stderr)
        else:
            print(f"error: {exc.one_line()}", file=sys.stderr)
        return 2
    except BrokenPipeError:  # the reader went away (`| head`): nothing more to say, and no traceback at exit
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return 0
    except MemoryError:  # pragma: no cover - the size limits make this unlikely
        print("error: not enough memory for this input", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        print("error: interrupted", file=sys.stderr)
        return 2
    except Exception as exc:  # every failure is one line (a database, a file), never a traceback
        print(f"error: {_failure_line(exc, getattr(args, 'database', None))}", file=sys.stderr)
        return 2


def database_url_setting() -> str | None:
    """The configured database URL, or None when the settings themselves are the failure."""
    from .store import database_url

    try:
        return database_url()
    except AssessmentError:
        return None


def _failure_line(exc: Exception, database: str | None = None) -> str:
    """One line for a failure no command turned into an AssessmentError, without any database password."""
    from .errors import printable
    from .settings import database_secrets
    from .store.database import connection_error, scrub

    secrets = database_secrets(*([database] if database else []))
    url = database or (database_url_setting() or "")
    if isinstance(exc, OSError):
        where = f" {exc.filename}" if exc.filename else ""
        line = f"cannot use{where}: {exc.strerror or exc}"
    elif type(exc).__module__.startswith(("sqlalchemy", "psycopg", "sqlite3")) and url:
        line = connection_error(url, exc)
    else:
        line = f"unexpected {type(exc).__name__}: {' '.join(str(exc).split())[:300]} (please report this)"
    return printable(scrub(line, *secrets))


def _run(args: argparse.Namespace) -> int:
    if args.command in ("score", "report"):
        _precheck(args.answers)
    elif args.command == "recommend":
        _precheck(args.profile)
    if args.command == "validate" and args.bank:
        bank_file = Path(args.bank)
        data = read_limited(bank_file, MAX_BANK_BYTES, "question bank", BankError)
        load_yaml(decode_utf8(data, bank_file.name, BankError), bank_file.name, BankError)
    from .answers import load_answers
    from .bank import DEFAULT_BANK_PATH, load_bank
    from .engine import assess, assess_profile, parse_profile
    from .rules import load_rulebook
    from .rules.proofs import proof_failures

    if args.command == "validate":
        bank = load_bank(args.bank)
        args.bank = args.bank or str(DEFAULT_BANK_PATH)
        book = load_rulebook()
        problems = [f"the rules name an item the bank lacks: {i}" for i in book.check_items(bank)]
        problems += book.check_quick_scan(bank)
        problems += proof_failures(book)
        if problems:
            print(f"error: the rules table fails {len(problems)} check(s)", file=sys.stderr)
            for problem in problems:
                print(f"  - {problem}", file=sys.stderr)
            return 2
        core = sum(1 for i in bank.items if i.core)
        examples = sum(len(r.examples) for r in book.rules)
        print(
            f"ok: {args.bank}: {len(bank.items)} items ({core} core) in {len(bank.dimensions)} dimensions; "
            f"{len(book.rules)} rules, {examples} rule examples pass, every answer gets an outcome"
        )
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
        return _report(args.answers, Path(args.output), args.database)
    elif args.command == "purge":
        return _purge()
    elif args.command == "serve":
        return _serve(args.streamlit_args)
    else:  # pragma: no cover - argparse restricts the choices
        return 2
    print(result_text(result) if args.format == "text" else result_json(result))
    return 0


def _precheck(path: str) -> None:
    """Read and parse the input file before the domain is imported (the loaders check it again, fully)."""
    p = Path(path)
    loads_json(read_limited(p, MAX_UPLOAD_BYTES, "input file", AnswersError), p.name, AnswersError)


def _report(answers: str, output: Path, database: str | None = None) -> int:
    from .answers import load_answers
    from .bank import load_bank

    if _same_file(Path(answers), output):
        raise AssessmentError(f"refusing to write the report over its own input {answers}: choose another -o file")
    bank = load_bank()
    answer_set = load_answers(answers, bank)
    check_writable(output)
    from .instrument.cli import check_database
    from .instrument.source import method_lines_from_store
    from .report import build_report  # imported lazily, once the input is known to be good: it is slow to load

    if database:  # a database named on the command line must exist; the configured default need not
        check_database(database)
    from .report.fonts import describe, unprintable

    pdf = build_report(answer_set, bank, reliability=method_lines_from_store(database))
    try:
        output.write_bytes(pdf)
    except OSError as exc:
        raise AssessmentError(f"cannot write {output}: {exc.strerror or exc}") from None
    missing = unprintable(answer_set.model_dump(mode="json"))
    if missing:
        print(f"warning: no font here has {describe(missing)}; the report prints \ufffd for them", file=sys.stderr)
    print(f"wrote {output}")
    return 0


def _same_file(a: Path, b: Path) -> bool:
    """Whether two paths name one file (the same resolved path, or a link or another name for it)."""
    if a.resolve() == b.resolve():
        return True
    try:
        return os.path.samefile(a, b)
    except OSError:  # one of them does not exist (yet)
        return False


def purge_database(settings: Settings) -> int:
    """Delete every expired workshop in the configured database now (migrating it first if needed); returns
    how many. A database that cannot be reached or used raises AssessmentError with one line."""
    from sqlalchemy.engine import make_url
    from sqlalchemy.exc import SQLAlchemyError

    from .retention import purge_expired
    from .store import Store

    try:
        store = Store(settings.effective_database_url)
        try:
            return purge_expired(store)
        finally:
            store.close()
    except (SQLAlchemyError, OSError) as exc:
        detail = exc.strerror if isinstance(exc, OSError) and exc.strerror else getattr(exc, "orig", None) or exc
        reason = " ".join(str(detail).split())[:300]
        url = make_url(settings.effective_database_url).render_as_string(hide_password=True)
        raise AssessmentError(f"cannot use the database ({url}): {reason}") from None


def _purge() -> int:
    from .logs import configure_logging
    from .settings import get_settings

    settings = get_settings()
    configure_logging(settings.log_level)
    n = purge_database(settings)
    print(f"purged {n} expired workshop{'s' if n != 1 else ''}")
    return 0


def _env_name(option: str) -> str:
    """Streamlit's environment variable for an option: `server.maxUploadSize` -> `STREAMLIT_SERVER_MAX_UPLOAD_SIZE`."""
    import re

    name = option.replace(".", "_")
    name = re.sub(r"(.)([A-Z][a-z]+)", r"\1_\2", name)
    return "STREAMLIT_" + re.sub(r"([a-z0-9])([A-Z])", r"\1_\2", name).upper()


def _flatten(table: dict[str, object], prefix: str = "") -> dict[str, object]:
    out: dict[str, object] = {}
    for key, value in table.items():
        if isinstance(value, dict):
            out.update(_flatten(value, f"{prefix}{key}."))
        else:
            out[f"{prefix}{key}"] = value
    return out


def operator_config_files(cwd: Path | None = None, home: Path | None = None) -> list[Path]:
    """The config.toml files Streamlit reads besides its flags: `~/.streamlit/` and the working directory's."""
    return [(home or Path.home()) / ".streamlit" / "config.toml", (cwd or Path.cwd()) / ".streamlit" / "config.toml"]


def _options_in(files: Sequence[Path]) -> set[str]:
    import tomllib

    found: set[str] = set()
    for file in files:
        try:
            found |= set(_flatten(tomllib.loads(file.read_text(encoding="utf-8"))))
        except (OSError, UnicodeDecodeError, tomllib.TOMLDecodeError):
            continue  # Streamlit reports a broken file itself
    return found


def streamlit_options(
    given: Sequence[str],
    env: Mapping[str, str] | None = None,
    config_files: Sequence[Path] | None = None,
) -> list[str]:
    """The app's Streamlit configuration (theme, upload limit, headless, no usage statistics) as `streamlit run`
    options, for the options the operator has not set: a flag they gave, a `STREAMLIT_<SECTION>_<KEY>` variable
    or a key in a config.toml Streamlit reads (`operator_config_files`) wins over the package's default, since a
    flag would beat the other two."""
    import tomllib

    from .ui import STREAMLIT_CONFIG

    if env is None:
        from .settings import server_environment

        env = server_environment()
    config = _flatten(tomllib.loads(STREAMLIT_CONFIG.read_text(encoding="utf-8")))
    named = {g.split("=", 1)[0] for g in given if g.startswith("--")}
    in_files = _options_in(operator_config_files() if config_files is None else config_files)
    out: list[str] = []
    for option, value in config.items():
        flag = f"--{option}"
        if flag in named or _env_name(option) in env or option in in_files:
            continue
        out += [flag, str(value).lower() if isinstance(value, bool) else str(value)]
    return out


def serve_argv(
    extra: Sequence[str], env: Mapping[str, str] | None = None, config_files: Sequence[Path] | None = None
) -> list[str]:
    """The command `assessment serve` replaces itself with: `streamlit run` on the packaged app."""
    from .ui import APP_PATH

    options = streamlit_options(extra, env, config_files)
    # `streamlit run`, with Streamlit's and the web server's messages in the app's JSON log format
    return [sys.executable, "-m", "assessment.ui.server", "run", str(APP_PATH), *options, *extra]


def organiser_gate(settings: Settings) -> str:
    """The organiser gate in force ("key", "identity_provider" or "closed"; see `assessment.organisers`), with
    the identity provider read from the same `.streamlit/secrets.toml` the server will read."""
    from .organisers import gate_in_force
    from .ui.organiser_gate import identity_provider_configured

    return gate_in_force(identity_provider_configured(), settings)


def _serve(extra: list[str]) -> int:
    """Replace this process with `streamlit run` on the packaged app (so signals reach the server)."""
    from .logs import configure_logging
    from .settings import get_settings, server_environment

    settings = get_settings()  # a bad setting stops here with one line, not inside the server
    configure_logging(settings.log_level)
    purge_database(settings)  # start-up purge (and migrations) before the server takes requests
    from .logs import audit

    audit("server_starting", actor="system", version=__version__, retention_days=settings.retention_days,
          organiser_gate=organiser_gate(settings))  # fmt: skip

    argv = serve_argv(extra)
    sys.stdout.flush()
    # Streamlit's server (uvicorn) would take the client's address from X-Forwarded-For on any loopback
    # connection; the app alone decides whom to believe (ASSESSMENT_TRUSTED_PROXIES; see netaddr.py)
    os.execve(sys.executable, argv, server_environment())
    return 0  # pragma: no cover - execv does not return
