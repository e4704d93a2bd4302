"""Researcher pages about judges and counsel: the indexes, a person's record of votes, two judges compared."""

from django.shortcuts import get_object_or_404, render

from cases.models import Representation
from compliance.models import ComplianceClaim
from decisions.models import BenchMember, Opinion
from pages.forms import JudgeCompareForm, JudgeVotesForm, bound_form, valid_value
from parties.models import Person
from proceedings.judges import WITH_PARTY_DEFINITION, compare_judges, counsel_index, judge_index, judge_record, judges


def judge_list(request):
    return render(request, "pages/judge_list.html", {"judges": judge_index()})


def person_list(request):
    return render(request, "pages/person_list.html", {"people": counsel_index()})


def person_detail(request, slug):
    person = get_object_or_404(Person.objects.with_sources(), slug=slug)
    record = judge_record(person)
    form = bound_form(JudgeVotesForm, request, cases=record.cases)
    filters = {name: valid_value(form, name) for name in ("case", "vote", "kind")}
    record.narrow(**filters)
    seats = list(BenchMember.objects.for_judge(person))
    context = {
        "person": person,
        "record": record,
        "form": form,
        "filtered": any(filters.values()),
        "with_party_definition": WITH_PARTY_DEFINITION,
        "seats": sorted(seats, key=lambda s: (s.decision.decided_on, s.decision.case.general_list_number)),
        "representations": Representation.objects.for_person(person),
        "opinions": Opinion.objects.for_judge(person),
        "claims": ComplianceClaim.objects.filter(spokesperson=person).for_page().order_by("made_on", "slug"),
    }
    return render(request, "pages/person_detail.html", context)


def judge_compare(request):
    form = bound_form(JudgeCompareForm, request, judges=judges())
    comparison = None
    if form.is_bound and form.is_valid():
        comparison = compare_judges(form.cleaned_data["a"], form.cleaned_data["b"])
    return render(request, "pages/judge_compare.html", {"form": form, "comparison": comparison})
