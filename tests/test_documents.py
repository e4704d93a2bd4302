import datetime

import pytest
from django.core.exceptions import ValidationError

from core.documents import normalize_document_number, parse_document_number, validate_document_number


def test_parses_an_order_number():
    number = parse_document_number("180-20211207-ORD-01-00-EN")
    assert number.general_list_number == 180
    assert number.date == datetime.date(2021, 12, 7)
    assert number.document_type == "ORD"
    assert (number.sequence, number.part, number.language) == (1, 0, "EN")
    assert not number.is_opinion


def test_an_appended_opinion_is_recognised():
    assert parse_document_number("180-20211207-ORD-01-01-EN").is_opinion


@pytest.mark.parametrize(
    ("variant", "canonical"),
    [
        ("180-20211207-ord-01-00-en", "180-20211207-ORD-01-00-EN"),
        ("  181-20230103-WRI-01-00-EN ", "181-20230103-WRI-01-00-EN"),
        ("3-19490409-JUD-01-00-EN", "003-19490409-JUD-01-00-EN"),
        ("180-20231117-ORD-01-00-BI.pdf", "180-20231117-ORD-01-00-BI"),
        ("181-20230222-PRE-01-00-FR", "181-20230222-PRE-01-00-FR"),
        ("", ""),
    ],
)
def test_variants_are_normalised_to_the_courts_form(variant, canonical):
    assert normalize_document_number(variant) == canonical


@pytest.mark.parametrize(
    ("bad", "says"),
    [
        ("180-2021127-ORD-01-00-EN", "not an ICJ document number"),
        ("180-20210231-ORD-01-00-EN", "impossible date"),
        ("180-20211207-XYZ-01-00-EN", "unknown document type XYZ"),
        ("180-20211207-ORD-01-00-DE", "unknown language DE"),
        ("000-20211207-ORD-01-00-EN", "general list number 0"),
        ("Order of 7 December 2021", "not an ICJ document number"),
        ("1800-20211207-ORD-01-00-EN", "not an ICJ document number"),
    ],
)
def test_bad_numbers_are_refused_with_the_reason(bad, says):
    with pytest.raises(ValidationError) as error:
        validate_document_number(bad)
    assert says in error.value.messages[0]


def test_empty_is_allowed_by_the_field_validator():
    validate_document_number("")
