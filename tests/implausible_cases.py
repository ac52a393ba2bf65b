"""Implausible values for the tests of the plausibility warnings (core and command line).

Each entry of :data:`FIRES` is one value that a rule of
:data:`crmvalue_core.appraisal.plausibility.RULES` must question: the rule's key, the
inputs to set on the demo case (defined name -> value), the cell the warning names
(defined name, model year or None), the value it reports and words its message holds.
"""

from __future__ import annotations

FIRES: list[tuple[str, dict[str, object], tuple[str, int | None], float, str]] = [
    ("percent-is-one", {"DiscountRate": 1}, ("DiscountRate", None), 1.0, r"100%.*did you mean 1%"),
    ("percent-is-one", {"FinanceRate": 1}, ("FinanceRate", None), 1.0, r"did you mean 1%"),
    ("percent-is-one", {"ReinvestRate": 1}, ("ReinvestRate", None), 1.0, r"did you mean 1%"),
    (
        "percent-is-one",
        {"BenefitRiskAdjustment": 1},
        ("BenefitRiskAdjustment", None),
        1.0,
        r"every benefit would be taken off; did you mean 1%",
    ),
    (
        "percent-is-one",
        {"CostContingency": 1},
        ("CostContingency", None),
        1.0,
        r"every cost would be doubled",
    ),
    (
        "percent-is-one",
        {"ChurnBaseline": 1},
        ("ChurnBaseline", None),
        1.0,
        r"every customer would leave",
    ),
    (
        "percent-is-one",
        {"ChurnBaseline": 1, "ChurnReduction": 1},
        ("ChurnReduction", None),
        1.0,
        r"stop all churn",
    ),
    (
        "percent-is-one",
        {"CrossSellUplift": 1},
        ("CrossSellUplift", None),
        1.0,
        r"margin per customer would double",
    ),
    (
        "percent-is-one",
        {"AcquisitionCostReduction": 1},
        ("AcquisitionCostReduction", None),
        1.0,
        r"cost nothing",
    ),
    (
        "percent-is-one",
        {"ServiceCostReduction": 1},
        ("ServiceCostReduction", None),
        1.0,
        r"cost nothing",
    ),
    ("rate-above-30", {"DiscountRate": 0.45}, ("DiscountRate", None), 0.45, r"is 45%, far above"),
    ("rate-above-30", {"ReinvestRate": 0.31}, ("ReinvestRate", None), 0.31, r"is 31%"),
    (
        "negative-discount-rate",
        {"DiscountRate": -0.05},
        ("DiscountRate", None),
        -0.05,
        r"is -5%.*did you mean 5%\?",
    ),
    (
        "churn-reduction-over-half",
        {"ChurnBaseline": 0.05, "ChurnReduction": 0.03},
        ("ChurnReduction", None),
        0.03,
        r"more than half the baseline churn of 5%.*from 5% to 2% a year",
    ),
    (
        "amount-above-1e12",
        {"CostTraining": [0, 2e12]},
        ("CostTraining", 1),
        2e12,
        r"is 2,000,000,000,000 EUR, more than 10\^12",
    ),
    (
        "amount-above-1e12",
        {"MarginPerCustomer": 5e12},
        ("MarginPerCustomer", None),
        5e12,
        r"5,000,000,000,000 EUR",
    ),
    (
        "amount-above-1e12",
        {"OtherBenefits": [0, 0, -3e12]},
        ("OtherBenefits", 3),
        -3e12,
        r"-3,000,000,000,000 EUR",
    ),
    (
        "amount-above-1e12",
        {"CustomersActive": 2e12},
        ("CustomersActive", None),
        2e12,
        r"2,000,000,000,000 customers",
    ),
    (
        "hours-above-20",
        {"HoursSavedPerWeek": 30},
        ("HoursSavedPerWeek", None),
        30.0,
        r"30 hours a week per rep.*per month",
    ),
    (
        "driver-incomplete",
        {"MarginPerCustomer": 0},
        ("MarginPerCustomer", None),
        0.0,
        r"retention benefit is 0 although CustomersActive and ChurnReduction are entered",
    ),
    (
        "driver-incomplete",
        {"SalesReps": 0, "HourlyCost": None},
        ("SalesReps", None),
        0.0,
        r"productivity benefit is 0 although HoursSavedPerWeek, WorkingWeeks and "
        r"ProductivityShare are entered \(HourlyCost is 0 too\); did you mean to fill them in\?",
    ),
    (
        "driver-incomplete",
        {"WorkingWeeks": 0},
        ("WorkingWeeks", None),
        0.0,
        r"productivity benefit is 0",
    ),
    (
        "driver-incomplete",
        {"CostPerCase": None},
        ("CostPerCase", None),
        0.0,
        r"service benefit is 0 although ServiceCases and ServiceCostReduction are entered",
    ),
    (
        "ramp-zero",
        {"AdoptionRamp": [0] * 10},
        ("AdoptionRamp", 1),
        0.0,
        r"0% in every year of the horizon",
    ),
]
