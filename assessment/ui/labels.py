"""Labels for the context questions, shared by the start page and the workshop set-up page."""

from __future__ import annotations

from ..disclosure.policy import merge_rule, promise
from ..settings import get_settings
from ..vocabulary import STAGE_LABELS, STAGES
from ..workshop import LOWEST_MIN_GROUP

RADICALNESS_LABELS = {
    "incremental": "Incremental: improves how an existing service works",
    "radical": "Radical: redesigns the service or how professions work together",
}
STAGE_HELP = {
    "ideation": "developing the idea",
    "adoption": "deciding to take it up",
    "diffusion": "spreading it across teams",
    "implementation": "putting it into routine practice",
    "sustainability": "keeping it going",
}
STAGE_CHOICES = {s: f"{STAGE_LABELS[s]} ({STAGE_HELP[s]})" for s in STAGES}
MODE_LABELS = {"quick": "Quick scan", "full": "Full assessment"}

# research use of a workshop's answers (the validation-study export, assessment.instrument.export)
RESEARCH_USE_HELP = (
    "Off unless you switch it on. When on, the participants' ratings may be included in a pooled file used to "
    "check and improve the questions: without names, comments, department names, the workshop's title or the "
    "innovation; roles are kept. Participants see this setting when they join. It cannot be changed later."
)
RESEARCH_USE_ON = (
    ":material/science: The facilitator allowed this workshop's answers to be used to improve the questions: "
    "your ratings and role may go into a pooled research file, without your name, comments or department."
)
RESEARCH_USE_OFF = ":material/lock: This workshop's answers are not used for research on the questions."
RESEARCH_USE_BEFORE_JOINING = (
    "Once you join, this page tells you whether the facilitator allowed the anonymised answers to be used to "
    "improve the questions (off unless they chose it)."
)
# the same setting as the facilitator's dashboard states it
RESEARCH_USE_DASHBOARD_ON = (
    ":material/science: Research use allowed: the participants' ratings and roles may go into the pooled, "
    "anonymised file used to check and improve the questions. Participants are told when they join."
)
RESEARCH_USE_DASHBOARD_OFF = (
    ":material/lock: Research use not allowed: this workshop's answers stay out of the pooled file used to check and "
    "improve the questions."
)


def anonymity_rule(k: int | None) -> str:
    """The promise the join page makes, with the workshop's own k once it is known."""
    default = get_settings().anonymity_threshold  # what a workshop gets unless its facilitator chose otherwise
    size = (
        f"{k} people"
        if k is not None
        else f"the workshop's minimum group size ({default} people unless your facilitator chose "
        f"otherwise, never fewer than {LOWEST_MIN_GROUP})"
    )
    if k is not None:
        return f"{promise(k)} {merge_rule(k)} Only submitted answers are counted."
    return (
        f"{promise(default, size=size)} Smaller roles and departments are merged. Only submitted answers are counted."
    )
