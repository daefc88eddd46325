"""Nationality adjectives ("Chilean", "Ghanaian", "Vietnamese") by ISO 3166 alpha-2 code.

No maintained package publishes demonyms, so this table is kept here: the common English
adjective (and accepted variants) for every UN member state and the two observer states.
``tests/participants/test_demonyms.py`` checks that it covers all 193 members and that no
adjective names two countries. Adjectives shared by two countries ("Congolese",
"Dominican", "Korean") are in ``AMBIGUOUS`` and must be given as a name or code instead.
"""

DEMONYMS: dict[str, tuple[str, ...]] = {
    "AF": ("Afghan",),
    "AL": ("Albanian",),
    "DZ": ("Algerian",),
    "AD": ("Andorran",),
    "AO": ("Angolan",),
    "AG": (
        "Antiguan",
        "Barbudan",
        "Antiguan and Barbudan",
    ),
    "AR": (
        "Argentine",
        "Argentinian",
        "Argentinean",
    ),
    "AM": ("Armenian",),
    "AU": ("Australian",),
    "AT": ("Austrian",),
    "AZ": (
        "Azerbaijani",
        "Azeri",
    ),
    "BS": ("Bahamian",),
    "BH": ("Bahraini",),
    "BD": ("Bangladeshi",),
    "BB": (
        "Barbadian",
        "Bajan",
    ),
    "BY": ("Belarusian",),
    "BE": ("Belgian",),
    "BZ": ("Belizean",),
    "BJ": (
        "Beninese",
        "Beninois",
    ),
    "BT": ("Bhutanese",),
    "BO": ("Bolivian",),
    "BA": (
        "Bosnian",
        "Herzegovinian",
        "Bosnian and Herzegovinian",
    ),
    "BW": (
        "Botswanan",
        "Motswana",
        "Batswana",
    ),
    "BR": ("Brazilian",),
    "BN": ("Bruneian",),
    "BG": ("Bulgarian",),
    "BF": (
        "Burkinabe",
        "Burkinabè",
    ),
    "BI": ("Burundian",),
    "CV": (
        "Cabo Verdean",
        "Cape Verdean",
    ),
    "KH": ("Cambodian",),
    "CM": ("Cameroonian",),
    "CA": ("Canadian",),
    "CF": ("Central African",),
    "TD": ("Chadian",),
    "CL": ("Chilean",),
    "CN": ("Chinese",),
    "CO": ("Colombian",),
    "KM": (
        "Comoran",
        "Comorian",
    ),
    "CG": ("Congolese (Republic of the Congo)",),
    "CD": ("Congolese (DR Congo)",),
    "CR": ("Costa Rican",),
    "CI": ("Ivorian",),
    "HR": (
        "Croatian",
        "Croat",
    ),
    "CU": ("Cuban",),
    "CY": ("Cypriot",),
    "CZ": ("Czech",),
    "DK": (
        "Danish",
        "Dane",
    ),
    "DJ": ("Djiboutian",),
    "DM": ("Dominican (Dominica)",),
    "DO": ("Dominican (Dominican Republic)",),
    "EC": (
        "Ecuadorian",
        "Ecuadoran",
    ),
    "EG": ("Egyptian",),
    "SV": (
        "Salvadoran",
        "Salvadorean",
    ),
    "GQ": (
        "Equatorial Guinean",
        "Equatoguinean",
    ),
    "ER": ("Eritrean",),
    "EE": ("Estonian",),
    "SZ": (
        "Swazi",
        "Eswatini",
        "Liswati",
    ),
    "ET": ("Ethiopian",),
    "FJ": ("Fijian",),
    "FI": (
        "Finnish",
        "Finn",
    ),
    "FR": ("French",),
    "GA": ("Gabonese",),
    "GM": ("Gambian",),
    "GE": ("Georgian",),
    "DE": ("German",),
    "GH": ("Ghanaian",),
    "GR": ("Greek",),
    "GD": ("Grenadian",),
    "GT": ("Guatemalan",),
    "GN": ("Guinean",),
    "GW": ("Bissau-Guinean",),
    "GY": ("Guyanese",),
    "HT": ("Haitian",),
    "HN": ("Honduran",),
    "HU": ("Hungarian",),
    "IS": (
        "Icelandic",
        "Icelander",
    ),
    "IN": ("Indian",),
    "ID": ("Indonesian",),
    "IR": ("Iranian",),
    "IQ": ("Iraqi",),
    "IE": ("Irish",),
    "IL": ("Israeli",),
    "IT": ("Italian",),
    "JM": ("Jamaican",),
    "JP": ("Japanese",),
    "JO": ("Jordanian",),
    "KZ": (
        "Kazakhstani",
        "Kazakh",
    ),
    "KE": ("Kenyan",),
    "KI": (
        "I-Kiribati",
        "Kiribati",
    ),
    "KP": ("North Korean",),
    "KR": ("South Korean",),
    "KW": ("Kuwaiti",),
    "KG": (
        "Kyrgyzstani",
        "Kyrgyz",
    ),
    "LA": (
        "Lao",
        "Laotian",
    ),
    "LV": ("Latvian",),
    "LB": ("Lebanese",),
    "LS": (
        "Basotho",
        "Mosotho",
        "Lesotho",
    ),
    "LR": ("Liberian",),
    "LY": ("Libyan",),
    "LI": ("Liechtensteiner",),
    "LT": ("Lithuanian",),
    "LU": (
        "Luxembourgish",
        "Luxembourger",
    ),
    "MG": ("Malagasy",),
    "MW": ("Malawian",),
    "MY": ("Malaysian",),
    "MV": ("Maldivian",),
    "ML": ("Malian",),
    "MT": ("Maltese",),
    "MH": ("Marshallese",),
    "MR": ("Mauritanian",),
    "MU": ("Mauritian",),
    "MX": ("Mexican",),
    "FM": ("Micronesian",),
    "MD": ("Moldovan",),
    "MC": (
        "Monégasque",
        "Monegasque",
        "Monacan",
    ),
    "MN": ("Mongolian",),
    "ME": ("Montenegrin",),
    "MA": ("Moroccan",),
    "MZ": ("Mozambican",),
    "MM": (
        "Myanmar",
        "Burmese",
    ),
    "NA": ("Namibian",),
    "NR": ("Nauruan",),
    "NP": (
        "Nepali",
        "Nepalese",
    ),
    "NL": (
        "Dutch",
        "Netherlander",
    ),
    "NZ": (
        "New Zealander",
        "New Zealand",
    ),
    "NI": ("Nicaraguan",),
    "NE": ("Nigerien",),
    "NG": ("Nigerian",),
    "MK": (
        "North Macedonian",
        "Macedonian",
    ),
    "NO": ("Norwegian",),
    "OM": ("Omani",),
    "PK": ("Pakistani",),
    "PW": ("Palauan",),
    "PA": ("Panamanian",),
    "PG": ("Papua New Guinean",),
    "PY": ("Paraguayan",),
    "PE": ("Peruvian",),
    "PH": (
        "Filipino",
        "Philippine",
        "Filipina",
    ),
    "PL": (
        "Polish",
        "Pole",
    ),
    "PT": ("Portuguese",),
    "QA": ("Qatari",),
    "RO": ("Romanian",),
    "RU": ("Russian",),
    "RW": (
        "Rwandan",
        "Rwandese",
    ),
    "KN": (
        "Kittitian",
        "Nevisian",
        "Kittitian and Nevisian",
    ),
    "LC": ("Saint Lucian",),
    "VC": ("Vincentian",),
    "WS": ("Samoan",),
    "SM": ("Sammarinese",),
    "ST": (
        "Santomean",
        "São Toméan",
        "Sao Tomean",
    ),
    "SA": (
        "Saudi",
        "Saudi Arabian",
    ),
    "SN": ("Senegalese",),
    "RS": (
        "Serbian",
        "Serb",
    ),
    "SC": ("Seychellois",),
    "SL": ("Sierra Leonean",),
    "SG": ("Singaporean",),
    "SK": ("Slovak",),
    "SI": (
        "Slovenian",
        "Slovene",
    ),
    "SB": ("Solomon Islander",),
    "SO": ("Somali",),
    "ZA": ("South African",),
    "SS": ("South Sudanese",),
    "ES": (
        "Spanish",
        "Spaniard",
    ),
    "LK": ("Sri Lankan",),
    "SD": ("Sudanese",),
    "SR": ("Surinamese",),
    "SE": (
        "Swedish",
        "Swede",
    ),
    "CH": ("Swiss",),
    "SY": ("Syrian",),
    "TJ": (
        "Tajikistani",
        "Tajik",
    ),
    "TZ": ("Tanzanian",),
    "TH": ("Thai",),
    "TL": (
        "Timorese",
        "East Timorese",
    ),
    "TG": ("Togolese",),
    "TO": ("Tongan",),
    "TT": (
        "Trinidadian",
        "Tobagonian",
        "Trinidadian and Tobagonian",
    ),
    "TN": ("Tunisian",),
    "TR": (
        "Turkish",
        "Turk",
    ),
    "TM": ("Turkmen",),
    "TV": ("Tuvaluan",),
    "UG": ("Ugandan",),
    "UA": ("Ukrainian",),
    "AE": ("Emirati",),
    "GB": ("British",),
    "US": ("American",),
    "UY": ("Uruguayan",),
    "UZ": (
        "Uzbekistani",
        "Uzbek",
    ),
    "VU": (
        "Ni-Vanuatu",
        "Vanuatuan",
    ),
    "VE": ("Venezuelan",),
    "VN": ("Vietnamese",),
    "YE": ("Yemeni",),
    "ZM": ("Zambian",),
    "ZW": ("Zimbabwean",),
    "PS": ("Palestinian",),
    "VA": ("Vatican",),
}

# Adjectives two countries share: the import asks for the country's name or code instead.
AMBIGUOUS: dict[str, tuple[str, ...]] = {
    "congolese": ("CG", "CD"),
    "dominican": ("DM", "DO"),
    "korean": ("KR", "KP"),
}


def _fold(text: str) -> str:
    return " ".join(text.replace("-", " ").split()).casefold()


_BY_ADJECTIVE = {
    _fold(adjective): code for code, adjectives in DEMONYMS.items() for adjective in adjectives
}


def country_for_adjective(text: str) -> str:
    """The alpha-2 code a nationality adjective names; '' if it names none."""
    return _BY_ADJECTIVE.get(_fold(text), "")


def ambiguous_countries(text: str) -> tuple[str, ...]:
    """The codes an adjective could mean when it is shared ("Congolese"); () otherwise."""
    return AMBIGUOUS.get(_fold(text), ())
