"""Innovation-readiness assessment: question bank, scoring, rules engine, report and storage.

Nothing in this package imports Streamlit except the `ui` subpackage.
"""

__version__ = "0.2.0"  # the one place the version is written: pyproject.toml reads it, so do the app and the PDF

from .answers import AnswerSet, Context, ItemAnswer, load_answers, parse_answers
from .bank import QuestionBank, default_bank, load_bank
from .engine import Profile, assess, assess_profile, parse_profile
from .errors import AnswersError, AssessmentError, BankError
from .results import Result

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
