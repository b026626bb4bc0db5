"""Innovation-readiness assessment: question bank, scoring, rules engine, report and storage.

Nothing in this package imports Streamlit except the `ui` subpackage. The names below are imported on first
use (PEP 562), so that `assessment --version` and the command line's refusal of a hostile file do not pay for
building the domain's models first.
"""

from __future__ import annotations

from importlib import import_module
from typing import TYPE_CHECKING, Any

__version__ = "0.2.0"  # the one place the version is written: pyproject.toml reads it, so do the app and the PDF

_EXPORTS = {
    "AnswerSet": "answers",
    "Context": "answers",
    "ItemAnswer": "answers",
    "load_answers": "answers",
    "parse_answers": "answers",
    "QuestionBank": "bank",
    "default_bank": "bank",
    "load_bank": "bank",
    "Profile": "engine",
    "assess": "engine",
    "assess_profile": "engine",
    "parse_profile": "engine",
    "AnswersError": "errors",
    "AssessmentError": "errors",
    "BankError": "errors",
    "Result": "results",
}

if TYPE_CHECKING:
    from .answers import AnswerSet, Context, ItemAnswer, load_answers, parse_answers
    from .bank import QuestionBank, default_bank, load_bank
    from .engine import Profile, assess, assess_profile, parse_profile
    from .errors import AnswersError, AssessmentError, BankError
    from .results import Result


def __getattr__(name: str) -> Any:
    module = _EXPORTS.get(name)
    if module is None:
        raise AttributeError(f"module 'assessment' has no attribute {name!r}")
    value = getattr(import_module(f".{module}", __name__), name)
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    return sorted([*globals(), *_EXPORTS])


__all__ = [
    "__version__",
    "AnswerSet",
    "AnswersError",
    "AssessmentError",
    "BankError",
    "Context",
    "ItemAnswer",
    "Profile",
    "QuestionBank",
    "Result",
    "assess",
    "assess_profile",
    "default_bank",
    "load_answers",
    "load_bank",
    "parse_answers",
    "parse_profile",
]
