"""UN M49 regions by ISO 3166-1 alpha-2 code, for the geographical balance of a meeting.

Source: UN Statistics Division, "Standard country or area codes for statistical use (M49)".
Taiwan and Kosovo, absent from M49's list, follow their geography. Antarctica has no region.
"""

from .models import Region

_CODES_BY_REGION = {
    Region.AFRICA: (
        "DZ EG LY MA SD TN EH "  # Northern Africa
        "BI KM DJ ER ET KE MG MW MU YT MZ RE RW SC SO SS TZ UG ZM ZW IO TF "  # Eastern
        "AO CM CF TD CG CD GQ GA ST "  # Middle
        "BW SZ LS NA ZA "  # Southern
        "BJ BF CV CI GM GH GN GW LR ML MR NE NG SH SN SL TG"  # Western
    ),
    Region.AMERICAS: (
        "AI AG AW BS BB BQ KY CU CW DM DO GD GP HT JM MQ MS PR BL KN LC MF VC SX TT TC VG VI "
        "BZ CR SV GT HN MX NI PA "  # Central America
        "AR BO BV BR CL CO EC FK GF GY PY PE GS SR UY VE "  # South America
        "BM CA GL PM US"  # Northern America
    ),
    Region.ASIA: (
        "KZ KG TJ TM UZ "  # Central
        "CN HK MO KP JP MN KR TW "  # Eastern
        "BN KH ID LA MY MM PH SG TH TL VN "  # South-eastern
        "AF BD BT IN IR MV NP PK LK "  # Southern
        "AM AZ BH CY GE IQ IL JO KW LB OM QA SA PS SY TR AE YE"  # Western
    ),
    Region.EUROPE: (
        "BY BG CZ HU PL MD RO RU SK UA "  # Eastern
        "AX DK EE FO FI GG IS IE IM JE LV LT NO SJ SE GB "  # Northern
        "AL AD BA HR GI GR VA IT MT ME MK PT SM RS SI ES XK "  # Southern
        "AT BE FR DE LI LU MC NL CH"  # Western
    ),
    Region.OCEANIA: (
        "AU NZ CX CC HM NF "  # Australia and New Zealand
        "FJ NC PG SB VU "  # Melanesia
        "GU KI MH FM NR MP PW UM "  # Micronesia
        "AS CK PF NU PN WS TK TO TV WF"  # Polynesia
    ),
}

REGION_BY_COUNTRY: dict[str, str] = {
    code: region for region, codes in _CODES_BY_REGION.items() for code in codes.split()
}


def region_for(country_code: str) -> str:
    """The M49 region of a country (alpha-2 code); empty when unknown or not given."""
    return REGION_BY_COUNTRY.get((country_code or "").upper(), Region.UNKNOWN)
