"""Words a reader knows: every page of the shipped dataset speaks English, never the data's internal keys.

Renders every public page of the dataset (cases, decisions, provisions, parties, people and the
indexes) and fails on field names, snake_case keys, "seed 00…" bookkeeping and Python-style labels
in the visible text.
"""

import re
from html.parser import HTMLParser

import pytest
from django.urls import reverse

from cases.models import Case
from decisions.models import Decision, Provision
from pages.templatetags.reader_words import paragraph_label, reader, source_kind
from parties.models import Party, Person

pytestmark = pytest.mark.django_db

# What a reader must never see: a snake_case key, the dataset's seed numbers, Python's None/True/False
# standing alone as a value, and the labels the issue names.
JARGON = re.compile(
    r"\b[a-z]+_[a-z_]+\b|seed 0\d|\(seed|Paragraph Memorial|Public hearings on other|Icj document"
    r"|:\s*(?:None|True|False)\b|\[\]|\{\}"
)
HIDDEN = {"script", "style", "code", "pre"}


class VisibleText(HTMLParser):
    def __init__(self):
        super().__init__()
        self.parts, self.hidden = [], 0

    def handle_starttag(self, tag, attrs):
        if tag in HIDDEN:
            self.hidden += 1

    def handle_endtag(self, tag):
        if tag in HIDDEN:
            self.hidden -= 1

    def handle_data(self, data):
        if not self.hidden:
            self.parts.append(data)


def visible_text(content: bytes) -> str:
    parser = VisibleText()
    parser.feed(content.decode())
    return re.sub(r"\s+", " ", " ".join(parser.parts))


def dataset_pages():
    urls = [
        reverse("home"),
        reverse("case-list"),
        reverse("judge-list"),
        reverse("person-list"),
        reverse("compliance"),
        reverse("api-home"),
        reverse("feed-about", args=["all"]),
        reverse("judge-compare") + "?a=yusuf&b=keith",
        reverse("case-mirror", args=[180, 181]),
    ]
    urls += [case.get_absolute_url() for case in Case.objects.all()]
    urls += [decision.get_absolute_url() for decision in Decision.objects.select_related("case")]
    urls += [provision.get_absolute_url() for provision in Provision.objects.select_related("decision__case")]
    urls += [reverse("party-detail", args=[party.code]) for party in Party.objects.all()]
    urls += [reverse("person-detail", args=[person.slug]) for person in Person.objects.all()]
    return urls


def test_every_page_of_the_dataset_speaks_plain_english(cerd_dataset, client):
    urls = dataset_pages()
    assert len(urls) > 300
    problems = []
    for url in urls:
        response = client.get(url)
        assert response.status_code == 200, url
        text = visible_text(response.content)
        for match in JARGON.finditer(text):
            problems.append(f"{url}: {match.group(0)!r} in …{text[max(0, match.start() - 60) : match.end() + 30]}…")
    assert not problems, "\n".join(problems[:40])


def test_the_issues_examples_read_well(cerd_dataset, client):
    page = visible_text(client.get(reverse("case-detail", args=[180])).content)
    assert "ICJ document:" in page and "News article:" in page
    assert "seed 0" not in page and "Asbarez" in page
    assert "Paragraph Memorial" not in page and "Memorial" in page


def test_reader_words():
    assert reader("filed_on is the date of the letter (seed 001).") == "the filing date is the date of the letter."
    assert reader("seed 002 and Azerbaijan's MFA date it") == "a press report and Azerbaijan's MFA date it"
    assert reader("some_new_key") == "some new key"
    assert source_kind("icj_document") == "ICJ document" and source_kind("press_release") == "Press release"


@pytest.mark.parametrize(
    ("paragraph", "label"),
    [("(1)(a)", "Paragraph (1)(a)"), ("67", "Paragraph 67"), ("A", "Paragraph A"), ("Memorial", "Memorial")],
)
def test_paragraph_labels(paragraph, label):
    assert paragraph_label(Provision(paragraph=paragraph)) == label
