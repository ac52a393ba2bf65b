"""Currencies: the ISO 4217 codes a case may be written in, and the signs they print with.

An appraisal names one currency for all its amounts. Any current ISO 4217 alphabetic code
is accepted (:data:`ISO_4217_CODES`: the 178 codes of the maintenance agency's list one as
it stands in 2026, after the Bulgarian lev was withdrawn when Bulgaria adopted the euro);
:data:`COMMON_CURRENCIES` is the shorter list the template offers in its drop-down.
:data:`CURRENCY_SIGNS` gives the sign a report prints beside an amount where one is in
common use (``¥`` for both CNY and JPY, so the code stays beside the figures wherever both
could be meant).

Source: ISO 4217:2015 *Codes for the representation of currencies*, list one (current
currency and funds code list), https://www.six-group.com/en/products-services/
financial-information/data-standards.html.

Example:

>>> currency_code(" cny ")
'CNY'
>>> currency_code("RMB") is None
True
>>> CURRENCY_SIGNS["CNY"], CURRENCY_SIGNS["EUR"]
(('¥', 'before'), ('€', 'before'))
"""

from __future__ import annotations

from typing import Any

__all__ = [
    "COMMON_CURRENCIES",
    "CURRENCY_HINT",
    "CURRENCY_SIGNS",
    "ISO_4217_CODES",
    "currency_code",
]

#: Every current ISO 4217 alphabetic code (currencies, funds, precious metals and the
#: testing and "no currency" codes), in alphabetical order.
ISO_4217_CODES: frozenset[str] = frozenset(
    """
    AED AFN ALL AMD AOA ARS AUD AWG AZN BAM BBD BDT BHD BIF BMD BND BOB BOV BRL BSD BTN BWP
    BYN BZD CAD CDF CHE CHF CHW CLF CLP CNY COP COU CRC CUP CVE CZK DJF DKK DOP DZD EGP ERN
    ETB EUR FJD FKP GBP GEL GHS GIP GMD GNF GTQ GYD HKD HNL HTG HUF IDR ILS INR IQD IRR ISK
    JMD JOD JPY KES KGS KHR KMF KPW KRW KWD KYD KZT LAK LBP LKR LRD LSL LYD MAD MDL MGA MKD
    MMK MNT MOP MRU MUR MVR MWK MXN MXV MYR MZN NAD NGN NIO NOK NPR NZD OMR PAB PEN PGK PHP
    PKR PLN PYG QAR RON RSD RUB RWF SAR SBD SCR SDG SEK SGD SHP SLE SOS SRD SSP STN SVC SYP
    SZL THB TJS TMT TND TOP TRY TTD TWD TZS UAH UGX USD USN UYI UYU UYW UZS VED VES VND VUV
    WST XAD XAF XAG XAU XBA XBB XBC XBD XCD XCG XDR XOF XPD XPF XPT XSU XTS XUA XXX YER ZAR
    ZMW ZWG
    """.split()  # noqa: SIM905 (a block of codes reads better than 178 quoted strings)
)

#: The template's drop-down: the currencies of most appraisals, in the order shown. Any
#: other ISO 4217 code may still be typed in.
COMMON_CURRENCIES: tuple[str, ...] = (
    "EUR",
    "USD",
    "GBP",
    "CNY",
    "JPY",
    "CHF",
    "SEK",
    "NOK",
    "DKK",
    "PLN",
    "CZK",
    "HUF",
    "CAD",
    "AUD",
    "NZD",
    "HKD",
    "SGD",
    "TWD",
    "KRW",
    "INR",
    "BRL",
    "MXN",
    "ZAR",
    "TRY",
    "AED",
    "SAR",
)

#: The sign printed with an amount, and on which side of the number it goes, for the
#: currencies that have one in common use (the signs of the Unicode CLDR for English,
#: narrowed to the plain sign where the code stays beside the figures). A currency
#: without an entry prints its code.
CURRENCY_SIGNS: dict[str, tuple[str, str]] = {
    "EUR": ("€", "before"),
    "USD": ("$", "before"),
    "GBP": ("£", "before"),
    "CNY": ("¥", "before"),
    "JPY": ("¥", "before"),
    "SEK": ("kr", "after"),
    "NOK": ("kr", "after"),
    "DKK": ("kr.", "after"),
    "PLN": ("zł", "after"),
    "CZK": ("Kč", "after"),
    "HUF": ("Ft", "after"),
    "CAD": ("CA$", "before"),
    "AUD": ("A$", "before"),
    "NZD": ("NZ$", "before"),
    "HKD": ("HK$", "before"),
    "SGD": ("S$", "before"),
    "TWD": ("NT$", "before"),
    "MXN": ("MX$", "before"),
    "BRL": ("R$", "before"),
    "ZAR": ("R", "before"),
    "KRW": ("₩", "before"),
    "INR": ("₹", "before"),
    "ILS": ("₪", "before"),
    "TRY": ("₺", "before"),
    "UAH": ("₴", "before"),
    "RUB": ("₽", "after"),
    "VND": ("₫", "after"),
    "PHP": ("₱", "before"),
    "NGN": ("₦", "before"),
}


#: What to do about a value that names no currency, in the words of every message.
CURRENCY_HINT = (
    "enter a current ISO 4217 currency code such as EUR, USD, GBP or CNY (the list of the "
    "cell has the common ones; any other ISO 4217 code may be typed in)"
)


def currency_code(value: Any) -> str | None:
    """The ISO 4217 code ``value`` names (trimmed, upper case), or None if it names none.

    Example: ``currency_code("usd")`` is ``"USD"``; ``currency_code("US$")`` is None.
    """
    if not isinstance(value, str):
        return None
    code = value.strip().upper()
    return code if code in ISO_4217_CODES else None
