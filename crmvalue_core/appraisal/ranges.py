"""Low and high values beside the base: the uncertain inputs of the appraisal.

A CRM business case is a forecast. Beside the base value of every benefit driver and cost
line (the value the case is appraised with), users may enter a low and a high value: the
range they believe the input falls in. :class:`UncertainInputs` holds a case with those
ranges, checked; :mod:`.scenarios` and :mod:`.simulation` use it.

Conventions
-----------
* Low and high are the values *as entered*: low is the smaller value of the input, high
  the larger, whatever that does to the NPV. A low cost is good news, a low benefit driver
  bad news. Low <= base <= high must hold, cell by cell.
* Which side is worse for the NPV is known for every input (:data:`NPV_DIRECTION`): the
  NPV rises with every benefit driver except the baseline churn (more churn means fewer
  extra customers kept), and falls with every cost line. Because the model is monotone in
  each input, the "pessimistic" scenario (every input on its worse side) is the lowest NPV
  any mix of low, base and high values can give, and "optimistic" the highest.
* A row input (a cost line, the adoption ramp, other benefits) has a low and a high row,
  one value per year. Years left out of a shorter low or high row are certain: they take
  the base value of that year.
* An input left out of the ranges, or with blank (None) low and high, is certain.

Only benefit drivers and cost lines can be uncertain (:data:`UNCERTAIN_NAMES`); the general
settings (rates, horizon, risk adjustment, contingency) are choices, not forecasts.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field, replace
from typing import Any

import numpy as np

from .._inputs import fail
from ..cells import describe, is_blank
from .inputs import (
    DEFINED_NAMES,
    FUNC,
    INPUTS,
    AppraisalInputs,
    InputSpec,
    check_number,
    check_row,
    name_in_words,
)

__all__ = [
    "NPV_DIRECTION",
    "UNCERTAIN_NAMES",
    "InputRange",
    "UncertainInputs",
]

#: The inputs that can have a low and a high value: every benefit driver and cost line,
#: in the order of the Inputs sheet.
UNCERTAIN_NAMES: tuple[str, ...] = tuple(
    spec.name for spec in INPUTS if spec.path.split(".")[0] in ("benefits", "costs")
)

#: +1 where a higher value of the input raises the NPV, -1 where it lowers it (the cost
#: lines and the baseline churn). Exact for the appraisal model: every benefit term is
#: a product of non-negative drivers, and E_t falls as the churn c rises.
NPV_DIRECTION: dict[str, int] = {
    name: -1 if (DEFINED_NAMES[name].startswith("costs.") or name == "ChurnBaseline") else 1
    for name in UNCERTAIN_NAMES
}

_SPEC_BY_NAME: dict[str, InputSpec] = {spec.name: spec for spec in INPUTS}

Value = float | tuple[float, ...]


@dataclass(frozen=True)
class InputRange:
    """The low, base and high value of one input (floats, or one value per year for a row).

    Attributes:
        name: the defined name, e.g. ``"ChurnReduction"``.
        low, base, high: the values, low <= base <= high (cell by cell for a row).

    Examples
    --------
    >>> r = InputRange("ChurnReduction", 0.005, 0.01, 0.015)
    >>> r.value("high"), r.uncertain
    (0.015, True)
    """

    name: str
    low: Value
    base: Value
    high: Value

    @property
    def spec(self) -> InputSpec:
        """The input's entry of :data:`~crmvalue_core.appraisal.INPUTS`."""
        return _SPEC_BY_NAME[self.name]

    @property
    def uncertain(self) -> bool:
        """True when low and high differ (in some year, for a row)."""
        return bool(np.any(np.asarray(self.low) != np.asarray(self.high)))

    def value(self, side: str) -> Value:
        """The value on ``side``: ``"low"``, ``"base"`` or ``"high"``."""
        if side not in ("low", "base", "high"):
            raise fail(FUNC, f"side is {describe(side)}; enter 'low', 'base' or 'high'")
        return getattr(self, side)


def _row_items(value: Any) -> list[Any] | None:
    """The cells of a row given as a list, tuple, array or one-row/one-column range."""
    if hasattr(value, "to_numpy"):
        value = value.to_numpy()
    if isinstance(value, np.ndarray):
        if value.ndim == 0:
            return None
        if value.ndim > 1 and sum(n > 1 for n in value.shape) > 1:
            return None  # a table: check_row names the problem
        return value.reshape(-1).tolist()
    if isinstance(value, (str, bytes)) or not isinstance(value, Iterable):
        return None
    items = list(value)
    if items and all(isinstance(item, (list, tuple)) for item in items):
        if len(items) == 1:
            return list(items[0])
        if all(len(item) == 1 for item in items):
            return [item[0] for item in items]
    return items


def _bound(spec: InputSpec, side: str, value: Any, base: Value) -> Value:
    """A checked low or high value; blank (None) means the base (certain)."""
    named = replace(spec, name=f"{spec.name} {side}")
    if is_blank(value):
        return base
    if spec.cells == 1:
        return check_number(named, name_in_words(named), value)
    items = _row_items(value)
    if items is not None and len(items) < spec.cells:
        assert isinstance(base, tuple)
        items = items + list(base[len(items) :])
    return check_row(named, name_in_words(named), value if items is None else items)


def _check_name(name: Any) -> None:
    """Refuse a name that is not a benefit driver or cost line."""
    if name not in UNCERTAIN_NAMES:
        what = (
            "a general setting, not a forecast"
            if name in DEFINED_NAMES
            else "not an input of the template"
        )
        raise fail(
            FUNC,
            f"{name!r} is {what}; low and high values can be given for the benefit "
            f"drivers and cost lines: {', '.join(UNCERTAIN_NAMES)}",
        )


def _order(spec: InputSpec, low: Value, base: Value, high: Value) -> None:
    """Refuse low above base or high below base, naming the input (and the year)."""
    lows, bases, highs = (np.atleast_1d(np.asarray(v, dtype=float)) for v in (low, base, high))
    for side, values, bad_if, word, fix in (
        ("low", lows, lows > bases, "above", "at most the base"),
        ("high", highs, highs < bases, "below", "at least the base"),
    ):
        if bad_if.any():
            i = int(np.argmax(bad_if))
            year = f" year {spec.first_year + i}" if spec.cells > 1 else ""
            raise fail(
                FUNC,
                f"{spec.name} {side}{year} {values[i]:g} is {word} its base {bases[i]:g}; "
                f"enter a {side} value {fix} (or leave it blank: no uncertainty)",
            )


@dataclass(frozen=True)
class UncertainInputs:
    """A case with a low and a high value beside the base of some inputs, checked.

    Parameters
    ----------
    case : AppraisalInputs
        The case; its values are the base values.
    ranges : mapping of str to (low, high)
        Defined name of a benefit driver or cost line (:data:`UNCERTAIN_NAMES`) ->
        ``(low, high)``: two numbers, or two rows (one value per year) for a row input;
        an :class:`InputRange` is accepted too. A blank (None) low or high means the base.
        Stored normalised as ``{name: InputRange}`` in the order of the Inputs sheet.

    Raises
    ------
    CrmValueError
        ``APPRAISAL: ...`` for a name that is not a benefit driver or cost line, a value
        the input itself does not accept (a share above 1, a negative count...), low above
        base, high below base, or a churn reduction whose high value is above the baseline
        churn's low value (some mix of them would cut churn below 0).

    Notes
    -----
    Low and high are the values as entered (see the module notes): "all low" is not the
    pessimistic case, since low costs are good news. The pessimistic and optimistic
    scenarios of :func:`~crmvalue_core.appraisal.scenarios` take each input on its worse or
    better side for the NPV (:data:`NPV_DIRECTION`). Entering a range for a forecast,
    rather than one haircut on all benefits, is the risk adjustment of Forrester's Total
    Economic Impact methodology (Forrester, "The Total Economic Impact Methodology"),
    which quantifies each benefit's and cost's uncertainty with a low, most likely and
    high estimate.

    Examples
    --------
    >>> from crmvalue_core.appraisal import demo_case
    >>> u = UncertainInputs(demo_case(), {"ChurnReduction": (0.005, 0.015),
    ...                                   "CostImplementation": ((170_000, 30_000),
    ...                                                          (230_000, 70_000))})
    >>> u.ranges["ChurnReduction"]
    InputRange(name='ChurnReduction', low=0.005, base=0.01, high=0.015)
    >>> u.ranges["CostImplementation"].high[:3]
    (230000.0, 70000.0, 0.0)
    >>> from crmvalue_core import CrmValueError
    >>> try:
    ...     UncertainInputs(demo_case(), {"ChurnReduction": (0.03, 0.04)})
    ... except CrmValueError as error:
    ...     print(error)
    APPRAISAL: ChurnReduction low 0.03 is above its base 0.01; enter a low value at most the
    base (or leave it blank: no uncertainty)
    """

    case: AppraisalInputs
    ranges: Mapping[str, Any] = field(default_factory=dict)

    def __post_init__(self) -> None:
        if not isinstance(self.case, AppraisalInputs):
            raise fail(FUNC, f"case is {describe(self.case)}; give an AppraisalInputs case")
        if not isinstance(self.ranges, Mapping):
            raise fail(
                FUNC,
                f"ranges is {describe(self.ranges)}; give a mapping of defined name to (low, high)",
            )
        checked: dict[str, InputRange] = {}
        for name, pair in self.ranges.items():
            _check_name(name)
            checked[name] = self._range(name, pair)
        ordered = {name: checked[name] for name in UNCERTAIN_NAMES if name in checked}
        object.__setattr__(self, "ranges", ordered)
        self._check_churn()

    def _range(self, name: str, pair: Any) -> InputRange:
        spec = _SPEC_BY_NAME[name]
        base = self.case.get(name)
        if isinstance(pair, InputRange):
            if pair.name != name:
                raise fail(FUNC, f"the range given for {name} is named {pair.name}")
            if pair.base != base:
                raise fail(
                    FUNC,
                    f"the range given for {name} has base {pair.base}, but the case has "
                    f"{base}; give (low, high) or a range with the case's base",
                )
            pair = (pair.low, pair.high)
        if hasattr(pair, "to_numpy"):
            pair = pair.to_numpy()
        items = (
            None if isinstance(pair, (str, bytes)) or not isinstance(pair, Iterable) else list(pair)
        )
        if items is None or len(items) != 2:
            got = describe(pair) if items is None else f"{len(items)} values"
            raise fail(
                FUNC,
                f"the range of {name} is {got}; give (low, high)"
                + (", two rows of one value per year" if spec.cells > 1 else ""),
            )
        low_in, high_in = items
        low = _bound(spec, "low", low_in, base)
        high = _bound(spec, "high", high_in, base)
        _order(spec, low, base, high)
        return InputRange(name, low, base, high)

    def _check_churn(self) -> None:
        """Every mix must be a valid case: the highest churn reduction <= the lowest churn."""
        reduction = self.ranges.get("ChurnReduction")
        churn = self.ranges.get("ChurnBaseline")
        top = reduction.high if reduction else self.case.benefits.churn_reduction
        bottom = churn.low if churn else self.case.benefits.churn_baseline
        assert isinstance(top, float) and isinstance(bottom, float)
        if top > bottom:
            top_name = "ChurnReduction high" if reduction else "ChurnReduction"
            bottom_name = "ChurnBaseline low" if churn else "ChurnBaseline"
            raise fail(
                FUNC,
                f"{top_name} {top:g} is above {bottom_name} {bottom:g}; a scenario or draw "
                "that combines them would cut churn below 0: keep the churn reduction's "
                "high value at most the baseline churn's low value",
            )

    @classmethod
    def from_spreads(
        cls, case: AppraisalInputs, spreads: Mapping[str, tuple[float, float]]
    ) -> UncertainInputs:
        """Ranges as shares of the base: low = base (1 - down), high = base (1 + up).

        Parameters
        ----------
        case : AppraisalInputs
            The case.
        spreads : mapping of str to (down, up)
            Defined name -> two shares >= 0, e.g. ``{"CostImplementation": (0.1, 0.3)}``
            for 10% below and 30% above the base (every year of a row alike).

        Returns
        -------
        UncertainInputs
            Checked as any other ranges (a share input pushed above 1 is an error).

        Examples
        --------
        >>> from crmvalue_core.appraisal import demo_case
        >>> u = UncertainInputs.from_spreads(demo_case(), {"HourlyCost": (0.25, 0.25)})
        >>> u.ranges["HourlyCost"].low, u.ranges["HourlyCost"].high
        (45.0, 75.0)
        """
        if not isinstance(spreads, Mapping):
            raise fail(
                FUNC, f"spreads is {describe(spreads)}; give a mapping of name to (down, up)"
            )
        if not isinstance(case, AppraisalInputs):
            raise fail(FUNC, f"case is {describe(case)}; give an AppraisalInputs case")
        ranges: dict[str, Any] = {}
        for name, pair in spreads.items():
            _check_name(name)
            if isinstance(pair, (str, bytes)) or not isinstance(pair, Iterable):
                raise fail(FUNC, f"the spread of {name} is {describe(pair)}; give (down, up)")
            items = list(pair)
            if len(items) != 2:
                raise fail(FUNC, f"the spread of {name} has {len(items)} values; give (down, up)")
            down, up = (
                check_number(
                    replace(
                        _SPEC_BY_NAME[name],
                        name=f"{name} {word}",
                        minimum=0.0,
                        maximum=None,
                        whole=False,
                        blank="zero",
                        hint="a share >= 0 of the base (20% = 0.2)",
                    ),
                    f"{name} {word} spread",
                    value,
                )
                for word, value in zip(("down", "up"), items, strict=True)
            )
            base = np.asarray(case.get(name), dtype=float)
            low, high = base * (1.0 - down), base * (1.0 + up)
            ranges[name] = (
                (tuple(low.tolist()), tuple(high.tolist()))
                if base.ndim
                else (float(low), float(high))
            )
        return cls(case, ranges)

    @property
    def names(self) -> tuple[str, ...]:
        """The defined names with a range, in the order of the Inputs sheet.

        Examples
        --------
        >>> from crmvalue_core.appraisal import demo_case
        >>> UncertainInputs(demo_case(), {"HourlyCost": (50, 70),
        ...                               "CostTraining": ((40_000,), None)}).names
        ('CostTraining', 'HourlyCost')
        """
        return tuple(self.ranges)

    def to_defined_names(self) -> dict[str, tuple[Any, Any]]:
        """``{defined name: (low, high)}``, rows as lists: the form a template filler writes.

        ``UncertainInputs(case, u.to_defined_names())`` gives ``u`` back.

        Examples
        --------
        >>> from crmvalue_core.appraisal import demo_case
        >>> u = UncertainInputs(demo_case(), {"HourlyCost": (50, 70)})
        >>> u.to_defined_names()
        {'HourlyCost': (50.0, 70.0)}
        """
        result: dict[str, tuple[Any, Any]] = {}
        for name, item in self.ranges.items():
            low, high = item.low, item.high
            if isinstance(low, tuple) and isinstance(high, tuple):
                result[name] = (list(low), list(high))
            else:
                result[name] = (low, high)
        return result
