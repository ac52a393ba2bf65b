"""The built-in demo case of the CRM appraisal (``crmvalue demo``) and its ranges."""

from __future__ import annotations

from .inputs import DEFAULT_ADOPTION_RAMP, AppraisalInputs, BenefitDrivers, Costs, General
from .ranges import UncertainInputs

# -------------------------------------------------------------------- the demo case


def demo_case() -> AppraisalInputs:
    """The built-in demo: a mid-sized B2B distributor replacing spreadsheets with a CRM.

    The story
    ---------
    Nordwerk Industrial Supply sells maintenance and repair parts to about 20,000
    business customers with 40 field and inside sales reps. It plans a cloud CRM
    (sales, service and marketing modules) in 2027 and appraises it over 5 years at its
    10% cost of capital, with the usual 10% haircut on benefits and a 10% cost contingency.

    Costs (EUR):

    * licences: 90 named users (40 reps, 30 service agents, 20 managers, marketing and
      back office) at about EUR 1,300 a user a year, EUR 117,000 from year 1, half of it
      in year 0 while the system is built;
    * implementation partner: EUR 180,000 in year 0, EUR 40,000 of follow-up work in
      year 1;
    * data migration and integration with the ERP and web shop: EUR 70,000 in year 0,
      EUR 15,000 in year 1;
    * training and change management: EUR 45,000 in year 0, EUR 25,000 in year 1, then
      EUR 8,000 a year for new joiners;
    * internal project staff (a project lead and key users, part time): EUR 90,000 in
      year 0, EUR 30,000 in year 1;
    * support and administration (about half a CRM administrator plus the partner's
      support contract): EUR 55,000 a year from year 1;
    * other (sandbox, add-ons): EUR 10,000 in year 0, EUR 5,000 a year after.

    Benefits (the adoption ramp is the template's default, 50%, 80%, then 100%):

    * retention: 20,000 customers churn 12% a year; a better view of accounts at risk
      cuts that by 1 point (0.01); a customer earns EUR 450 gross margin a year;
    * cross-sell: systematic next-best-offer lifts the margin per customer by 2%;
    * acquisition: 3,000 new customers a year at EUR 300 each; lead scoring and
      campaign tracking cut that cost by 10%;
    * sales productivity: each rep saves 2 hours a week of admin and reporting over
      46 weeks, at a loaded cost of EUR 60 an hour; half the time saved counts;
    * service: 36,000 cases a year at EUR 14; routing and a knowledge base cut the cost
      per case by 15%;
    * other: retiring the legacy contact database saves EUR 20,000 a year from year 2.

    The result (years 0..5, see ``crmvalue demo``): an NPV of about EUR 561,000 on
    EUR 1.37 million of discounted costs (ROI 41%, PI 1.41), an IRR of about 34% (MIRR
    26%), payback after about 2.8 years and discounted payback after about 3.2 years.
    Retention and cross-sell bring more than half of the benefits; without them the NPV
    would be negative, so those two assumptions are the ones a finance reviewer should
    probe.

    Examples
    --------
    >>> case = demo_case()
    >>> case.general.horizon_years, case.benefits.customers_active, case.benefits.sales_reps
    (5, 20000.0, 40.0)
    """
    return AppraisalInputs(
        general=General(
            case_name="Nordwerk Industrial Supply: cloud CRM",
            currency="EUR",
            first_year=2027,
            horizon_years=5,
            discount_rate=0.10,
            benefit_risk_adjustment=0.10,
            cost_contingency=0.10,
        ),
        costs=Costs(
            licences=(58_500,) + (117_000,) * 10,
            implementation=(180_000, 40_000),
            data_migration=(70_000, 15_000),
            training=(45_000, 25_000) + (8_000,) * 9,
            internal_staff=(90_000, 30_000),
            support=(0,) + (55_000,) * 10,
            other=(10_000,) + (5_000,) * 10,
        ),
        benefits=BenefitDrivers(
            adoption_ramp=DEFAULT_ADOPTION_RAMP,
            customers_active=20_000,
            churn_baseline=0.12,
            churn_reduction=0.01,
            margin_per_customer=450,
            cross_sell_uplift=0.02,
            new_customers_per_year=3_000,
            acquisition_cost=300,
            acquisition_cost_reduction=0.10,
            sales_reps=40,
            hours_saved_per_week=2,
            working_weeks=46,
            hourly_cost=60,
            productivity_share=0.5,
            service_cases=36_000,
            cost_per_case=14,
            service_cost_reduction=0.15,
            other_benefits=(0,) + (20_000,) * 9,
        ),
    )


def demo_uncertainty() -> UncertainInputs:
    """The demo case with the ranges its finance reviewer agreed: low and high values.

    The story
    ---------
    Nordwerk's controller asked each owner for a low and a high estimate beside the base
    (:func:`demo_case`):

    * retention: the churn reduction could be half a point to 1.5 points (0.005..0.015);
      baseline churn itself is 10..14%; the margin per customer EUR 400..480;
    * cross-sell: anywhere from nothing to 3% (0..0.03);
    * acquisition: the CAC reduction 5..15%;
    * productivity: 1..3 hours saved a week, of which 30..60% counts;
    * service: the cost per case falls by 8..20%;
    * adoption: slower (30%, 60%, 85%, then 90%) or faster (60%, 90%, then 100%);
    * costs: implementation EUR 170,000..250,000 in year 0 and 30,000..80,000 in year 1
      (overruns are likelier than savings); data migration 60,000..110,000 and
      10,000..30,000; internal staff 80,000..130,000 and 25,000..50,000; support
      EUR 50,000..65,000 a year. Licences are contracted: certain.

    Examples
    --------
    >>> u = demo_uncertainty()
    >>> len(u.names), u.ranges["CrossSellUplift"].low
    (13, 0.0)
    """
    case = demo_case()
    return UncertainInputs(
        case,
        {
            "CostImplementation": ((170_000, 30_000), (250_000, 80_000)),
            "CostDataMigration": ((60_000, 10_000), (110_000, 30_000)),
            "CostInternalStaff": ((80_000, 25_000), (130_000, 50_000)),
            "CostSupport": ((0,) + (50_000,) * 10, (0,) + (65_000,) * 10),
            "AdoptionRamp": ((0.3, 0.6, 0.85) + (0.9,) * 7, (0.6, 0.9) + (1.0,) * 8),
            "ChurnBaseline": (0.10, 0.14),
            "ChurnReduction": (0.005, 0.015),
            "MarginPerCustomer": (400, 480),
            "CrossSellUplift": (0.0, 0.03),
            "AcquisitionCostReduction": (0.05, 0.15),
            "HoursSavedPerWeek": (1, 3),
            "ProductivityShare": (0.3, 0.6),
            "ServiceCostReduction": (0.08, 0.20),
        },
    )
