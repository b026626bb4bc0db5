"""The rules engine: a table of rules (data/rules.yaml) and a small evaluator that explains itself.

- `grammar`: the condition language and its three-valued evaluator;
- `table`: the table's typed models and the checks made when it is loaded;
- `outcome`: choosing cautiously when answers are missing (never bolder than any completion of them);
- `recommend`: the explained recommendation (reasons, warnings, confidence, what would change it);
- `proofs`: each rule's own examples, and the table's totality, run by `validate` and the tests;
- `inputs`: what the rules see, built from answers or a profile.
"""

from ..sources import DATA_DIR
from .grammar import (
    FACT_LABELS,
    FACTS,
    AllCond,
    AnyCond,
    Condition,
    FactCond,
    Inputs,
    ItemCond,
    MaxOfCond,
    MinOfCond,
    ScoreCond,
    compile_condition,
    describe,
)
from .inputs import answer_pattern, facts_from, inputs_from
from .outcome import Decided, TableGap, decide, possible_strategies
from .recommend import explain, recommend, sensitivity
from .table import Rule, RuleBook, StrategyRule, WarningRule, load_rulebook, parse_rulebook

__all__ = [
    "DATA_DIR",
    "FACTS",
    "FACT_LABELS",
    "AllCond",
    "AnyCond",
    "Condition",
    "Decided",
    "FactCond",
    "Inputs",
    "ItemCond",
    "MaxOfCond",
    "MinOfCond",
    "Rule",
    "RuleBook",
    "ScoreCond",
    "StrategyRule",
    "TableGap",
    "WarningRule",
    "answer_pattern",
    "compile_condition",
    "decide",
    "describe",
    "explain",
    "facts_from",
    "inputs_from",
    "load_rulebook",
    "parse_rulebook",
    "possible_strategies",
    "recommend",
    "sensitivity",
]
