"""Labels for the context questions, shared by the start page and the workshop set-up page."""

from __future__ import annotations

from ..vocabulary import STAGE_LABELS, STAGES

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
