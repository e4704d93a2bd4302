"""Words a reader knows: the record's internal keys and bookkeeping turned into plain English on public pages.

The curated data's notes speak to editors ("filed_on is the date of the letter", "seed 002"); the
pages say the same thing in the reader's words. The models' choices are not touched.
"""

import re

from django import template
from django.utils.safestring import SafeString

register = template.Library()

# The data's field names, as a reader would say them.
FIELD_WORDS = {
    "instituted_on": "the date of institution",
    "filed_on": "the filing date",
    "due_on": "the time-limit",
    "made_on": "the date of the claim",
    "decided_on": "the date of the decision",
    "published_on": "the date of publication",
    "starts_on": "the first day",
    "ends_on": "the last day",
    "from_date": "the start date",
    "to_date": "the end date",
    "requested_measures": "the measures requested",
    "not_indicated": "what the Court did not order",
    "responds_to": "the requests it decides",
    "document_number": "the ICJ document number",
    "general_list_number": "the General List number",
    "short_title": "the short title",
    "short_name": "the short name",
    "related_cases": "the related cases",
    "record_numbers": "the verbatim record numbers",
    "votes_for": "the votes in favour",
    "votes_against": "the votes against",
    "judges_for": "the judges in favour",
    "judges_against": "the judges against",
    "filed_by": "the filing party",
    "issued_by": "who issued it",
    "single_source": "single source",
    "icj_document": "ICJ document",
    "press_release": "press release",
    "news_article": "news article",
    "government_statement": "government statement",
    "judge_ad_hoc": "judge ad hoc",
    "not_complied": "did not comply",
    "partly_complied": "partly complied",
    "vice_president": "Vice-President",
    "provisional_measures": "provisional measures",
    "time_limit": "time-limit",
    "time_limits": "time-limits",
}

SOURCE_KINDS = {
    "icj_document": "ICJ document",
    "press_release": "Press release",
    "news_article": "News article",
    "government_statement": "Government statement",
    "other": "Other source",
}

SEED_IN_BRACKETS = re.compile(r"\s*\((?:the )?seeds? \d{3}(?:(?:,| and) \d{3})*\)")
SEED = re.compile(r"\bseeds? \d{3}(?:(?:,| and) \d{3})*\b")
SNAKE = re.compile(r"\b[a-z]+(?:_[a-z]+)+\b")


@register.filter
def reader(text):
    """Text from the record with field names, snake_case keys and seed numbers said in plain words."""
    if not text:
        return text
    safe = isinstance(text, SafeString)
    text = SEED_IN_BRACKETS.sub("", str(text))
    text = SEED.sub("a press report", text)
    text = SNAKE.sub(lambda m: FIELD_WORDS.get(m.group(0), m.group(0).replace("_", " ")), text)
    return SafeString(text) if safe else text


@register.filter
def source_kind(kind):
    """A source's kind as a reader names it: "ICJ document", "Press release"."""
    return SOURCE_KINDS.get(kind, str(kind).replace("_", " ").capitalize())


@register.filter
def paragraph_label(provision, case="upper"):
    """ "Paragraph (1)(a)" for a numbered item of the operative clause; a named item ("Memorial") as it is.

    `case` "lower" gives "paragraph (1)(a)" for use inside a sentence.
    """
    paragraph = provision.paragraph
    if re.match(r"^[\d(]", paragraph) or re.fullmatch(r"[A-Za-z]\.?|[ivxIVX]+\.?", paragraph):
        return f"{'paragraph' if case == 'lower' else 'Paragraph'} {paragraph}"
    return f"the provision on the {paragraph}" if case == "lower" else paragraph
