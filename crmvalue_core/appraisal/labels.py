"""The words every output uses for the appraisal's scenarios and benefit drivers.

The template's Scenarios sheet, the Results sheet, the text report, the command line and
the Excel functions all show the same labels, so they live here once.
"""

from __future__ import annotations

from dataclasses import dataclass

__all__ = ["DRIVER_LABELS", "SCENARIOS", "SCENARIO_LABELS", "ScenarioLabel"]

#: The standard scenarios, in the order they are shown (the scenario table, the template's
#: Scenarios sheet, the report).
SCENARIOS: tuple[str, ...] = ("pessimistic", "all_low", "base", "all_high", "optimistic")


@dataclass(frozen=True)
class ScenarioLabel:
    """How a scenario is shown: a short ``label`` and what it means in a sentence."""

    label: str
    meaning: str


#: The five scenarios, in the order of :data:`SCENARIOS`.
SCENARIO_LABELS: dict[str, ScenarioLabel] = {
    "pessimistic": ScenarioLabel(
        "Pessimistic",
        "every input on its worse side: benefit drivers low, baseline churn and costs high",
    ),
    "all_low": ScenarioLabel("All low", "every input at its low value as entered (costs too)"),
    "base": ScenarioLabel("Base", "every input at its base value: the case of the Results sheet"),
    "all_high": ScenarioLabel("All high", "every input at its high value as entered (costs too)"),
    "optimistic": ScenarioLabel(
        "Optimistic",
        "every input on its better side: benefit drivers high, baseline churn and costs low",
    ),
}

#: The benefit drivers, in the order of :data:`crmvalue_core.appraisal.BENEFIT_DRIVERS`.
DRIVER_LABELS: dict[str, str] = {
    "retention": "Retention",
    "cross_sell": "Cross-sell and up-sell",
    "acquisition": "Acquisition",
    "productivity": "Sales productivity",
    "service": "Service",
    "other": "Other benefits",
}
