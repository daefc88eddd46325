"""Nationality adjectives: every UN member state's, each naming one country."""

import pytest
from django_countries import countries

from participants.demonyms import AMBIGUOUS, DEMONYMS, country_for_adjective
from participants.importing import ImportRejected, import_participants, parse_nationality
from participants.models import Participant
from tests.factories import MeetingFactory

# The 193 member states of the United Nations (ISO 3166-1 alpha-2).
_MEMBERS = """
    AF AL DZ AD AO AG AR AM AU AT AZ BS BH BD BB BY BE BZ BJ BT BO BA BW BR BN BG BF BI CV KH
    CM CA CF TD CL CN CO KM CG CD CR CI HR CU CY CZ DK DJ DM DO EC EG SV GQ ER EE SZ ET FJ FI
    FR GA GM GE DE GH GR GD GT GN GW GY HT HN HU IS IN ID IR IQ IE IL IT JM JP JO KZ KE KI KP
    KR KW KG LA LV LB LS LR LY LI LT LU MG MW MY MV ML MT MH MR MU MX FM MD MC MN ME MA MZ MM
    NA NR NP NL NZ NI NE NG MK NO OM PK PW PA PG PY PE PH PL PT QA RO RU RW KN LC VC WS SM ST
    SA SN RS SC SL SG SK SI SB SO ZA SS ES LK SD SR SE CH SY TJ TZ TH TL TG TO TT TN TR TM TV
    UG UA AE GB US UY UZ VU VE VN YE ZM ZW
"""
UN_MEMBER_STATES = frozenset(_MEMBERS.split())


def test_un_member_list_is_complete():
    assert len(UN_MEMBER_STATES) == 193
    assert all(countries.name(code) for code in UN_MEMBER_STATES)


def test_table_covers_every_un_member_state_and_the_observer_states():
    assert set(DEMONYMS) == UN_MEMBER_STATES | {"PS", "VA"}


def test_every_adjective_names_its_own_country_and_no_other():
    for code, adjectives in DEMONYMS.items():
        for adjective in adjectives:
            assert country_for_adjective(adjective) == code, adjective


@pytest.mark.parametrize(
    ("value", "code"),
    [
        ("Chilean", "CL"),
        ("Ghanaian", "GH"),
        ("Vietnamese", "VN"),
        ("  côte  d'ivoire ", "CI"),
        ("ivorian", "CI"),
        ("BURKINABÈ", "BF"),
        ("Bissau Guinean", "GW"),
        ("New Zealander", "NZ"),
        ("GH", "GH"),
        ("GHA", "GH"),
        ("Ghana", "GH"),
        ("", ""),
    ],
)
def test_nationality_accepts_adjectives_codes_and_names(value, code):
    assert parse_nationality(value) == code


@pytest.mark.parametrize("adjective", sorted(AMBIGUOUS))
def test_shared_adjective_asks_for_the_country(adjective):
    with pytest.raises(ValueError) as error:
        parse_nationality(adjective.capitalize())
    first, second = AMBIGUOUS[adjective]
    assert str(error.value) == (
        f"'{adjective.capitalize()}' could mean {countries.name(first)} ({first}) or "
        f"{countries.name(second)} ({second}): give the country's name or code."
    )


def test_unknown_nationality_is_refused_with_the_forms_it_accepts():
    with pytest.raises(ValueError) as error:
        parse_nationality("Atlantean")
    assert str(error.value) == (
        "'Atlantean' is not a known nationality (use an adjective such as Ghanaian, an ISO "
        "code such as GH or GHA, or the country's English name such as Ghana)."
    )


@pytest.mark.django_db
def test_import_stores_adjective_nationalities_as_codes():
    meeting = MeetingFactory()
    data = (
        "given name,family name,email,role,nationality\n"
        "Ana,Álvarez,ana@example.org,expert,Chilean\n"
        "Kofi,Mensah,kofi@example.org,expert,Ghanaian\n"
        "Lan,Nguyen,lan@example.org,expert,Vietnamese\n"
    ).encode()

    import_participants(meeting=meeting, data=data, filename="list.csv")

    stored = {p.email: p.nationality.code for p in Participant.objects.filter(meeting=meeting)}
    assert stored == {"ana@example.org": "CL", "kofi@example.org": "GH", "lan@example.org": "VN"}


@pytest.mark.django_db
def test_import_refuses_a_shared_adjective_and_writes_nothing():
    meeting = MeetingFactory()
    data = (
        "given name,family name,email,role,nationality\n"
        "Ana,Álvarez,ana@example.org,expert,Chilean\n"
        "Jean,Ilunga,jean@example.org,expert,Congolese\n"
    ).encode()

    with pytest.raises(ImportRejected) as rejected:
        import_participants(meeting=meeting, data=data, filename="list.csv")

    assert [str(error) for error in rejected.value.errors] == [
        "Row 3, column nationality: 'Congolese' could mean Congo (CG) or Democratic Republic "
        "of the Congo (CD): give the country's name or code."
    ]
    assert Participant.objects.count() == 0
