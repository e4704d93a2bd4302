"""A small dataset in the data/ format, written by tests that exercise the loader itself."""

import copy
import json
from pathlib import Path

SOURCE = {
    "key": "icj-order-2023-02-22",
    "kind": "icj_document",
    "title": "Order of 22 February 2023",
    "publisher": "International Court of Justice",
    "url": "https://icj-cij.org/case/900/orders",
    "published_on": "2023-02-22",
    "document_number": "900-20230222-ORD-01-00-EN",
    "excerpt": "",
}
FACT = {"sources": ["icj-order-2023-02-22"], "confidence": "verified", "note": ""}
JUDGES = ["alpha", "bravo", "charlie", "delta"]

FILES = {
    "sources.json": {"sources": [SOURCE]},
    "actors.json": {
        "parties": [
            {
                "code": "ICJ",
                "name": "International Court of Justice",
                "short_name": "the Court",
                "aliases": "",
                "kind": "court",
                **FACT,
            },
            {
                "code": "XAA",
                "name": "Republic of Applicantia",
                "short_name": "Applicantia",
                "aliases": "",
                "kind": "state",
                **FACT,
            },
            {
                "code": "XBB",
                "name": "Republic of Respondentia",
                "short_name": "Respondentia",
                "aliases": "",
                "kind": "state",
                **FACT,
            },
        ],
        "people": [
            {
                "slug": slug,
                "name": f"Judge {slug.title()}",
                "aliases": "",
                "nationality": None,
                "description": "",
                **FACT,
            }
            for slug in JUDGES
        ],
    },
    "events.json": {
        "events": [
            {
                "slug": "blockade",
                "title": "Road closed",
                "starts_on": "2022-12-12",
                "ends_on": None,
                "description": "",
                "cases": [900],
                **FACT,
            }
        ]
    },
    "cases/900.json": {
        "case": {
            "general_list_number": 900,
            "title": "Application of the Convention (Applicantia v. Respondentia)",
            "short_title": "Applicantia v. Respondentia",
            "slug": "applicantia-v-respondentia",
            "court": "ICJ",
            "instituted_on": "2021-09-16",
            "status": "pending",
            "basis": "Article 22",
            "summary": "",
            "related_cases": [],
            **FACT,
        },
        "parties": [{"party": "XAA", "role": "applicant"}, {"party": "XBB", "role": "respondent"}],
        "representations": [],
        "hearings": [
            {
                "slug": "2023-01-pm",
                "subject": "provisional_measures",
                "starts_on": "2023-01-30",
                "ends_on": "2023-01-30",
                "record_numbers": "CR 2023/2",
                "summary": "",
                **FACT,
            }
        ],
        "filings": [
            {
                "slug": "2022-12-28-request",
                "kind": "provisional_measures_request",
                "filed_by": "XAA",
                "title": "Request for the indication of provisional measures",
                "filed_on": "2022-12-28",
                "due_on": None,
                "document_number": "",
                "url": "",
                "summary": "Asks for the road to be reopened.",
                "requested_measures": "",
                **FACT,
            }
        ],
        "decisions": [
            {
                "slug": "2023-02-22-order",
                "kind": "order",
                "subject": "provisional_measures",
                "issued_by": "court",
                "decided_on": "2023-02-22",
                "title": "Order of 22 February 2023",
                "document_number": "900-20230222-ORD-01-00-EN",
                "url": "",
                "responds_to": ["2022-12-28-request"],
                "summary": "",
                "not_indicated": "",
                "bench": [
                    {"judge": "alpha", "office": "president"},
                    {"judge": "bravo", "office": "judge"},
                    {"judge": "charlie", "office": "judge"},
                    {"judge": "delta", "office": "judge_ad_hoc"},
                ],
                "provisions": [
                    {
                        "paragraph": "(1)",
                        "kind": "measure",
                        "addressees": ["XBB"],
                        "text": "shall take all measures at its disposal to ensure unimpeded movement",
                        "votes_for": 3,
                        "votes_against": 1,
                        "unanimous": False,
                        "judges_for": ["alpha", "bravo", "charlie"],
                        "judges_against": ["delta"],
                        "amends": None,
                        "amendment": "",
                        **FACT,
                    }
                ],
                "opinions": [
                    {
                        "kind": "dissenting_opinion",
                        "judges": ["delta"],
                        "document_number": "900-20230222-ORD-01-01-EN",
                        "url": "",
                        "summary": "Explains the vote against the measure.",
                        **FACT,
                    }
                ],
                **FACT,
            }
        ],
        "claims": [
            {
                "slug": "2023-06-08-applicantia",
                "decision": "2023-02-22-order",
                "provision": "(1)",
                "claimant": "XAA",
                "spokesperson": None,
                "made_on": "2023-06-08",
                "assessment": "not_complied",
                "summary": "Says the order is ignored.",
                "quote": "",
                **FACT,
            }
        ],
    },
}


def write_sample(directory: Path, files: dict | None = None) -> Path:
    """Write the sample (or a modified copy of it) in canonical form under directory."""
    for relative, data in (files or FILES).items():
        path = directory / relative
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(json.dumps(data, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
    return directory


def sample_copy() -> dict:
    return copy.deepcopy(FILES)
