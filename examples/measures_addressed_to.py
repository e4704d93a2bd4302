"""Print every provisional measure addressed to a party, with its vote and the compliance claims about it.

python examples/measures_addressed_to.py                      # http://127.0.0.1:8000, AZE
python examples/measures_addressed_to.py https://tracker.example.org ARM
"""

import argparse
import json
import sys
import urllib.parse
import urllib.request

# The standard library only: the example runs in the tracker's own virtualenv, or in any Python 3.


def fetch_all(url, params):
    """Every row of a list, following the cursor links (no deep page offsets, no row seen twice)."""
    url = f"{url}?{urllib.parse.urlencode({**params, 'pagination': 'cursor', 'page_size': 100})}"
    while url:
        request = urllib.request.Request(url, headers={"Accept": "application/json"})  # noqa: S310 (http/https)
        with urllib.request.urlopen(request, timeout=30) as response:  # noqa: S310 (raises on 4xx and 5xx)
            body = json.load(response)
        yield from body["results"]
        url = body["next"]  # the next link carries every parameter


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("base_url", nargs="?", default="http://127.0.0.1:8000", help="the tracker's address")
    parser.add_argument("party", nargs="?", default="AZE", help="party code, e.g. AZE or ARM")
    args = parser.parse_args(argv)

    # A list leaves out each measure's judges and claims unless asked: expand brings the two printed here.
    measures = fetch_all(
        f"{args.base_url.rstrip('/')}/api/v1/provisions/",
        {
            "addressee": args.party,
            "provisional_measure": "true",
            "ordering": "id",
            "expand": "judges_against,compliance_claims",
        },
    )
    count = 0
    for measure in measures:
        count += 1
        decision = measure["decision"]
        case = decision["case"]
        vote = measure["tally"] or "vote not recorded"
        where = f"No. {case['general_list_number']} {case['short_title']}"
        print(f"{where} — {decision['title']}, para. {measure['paragraph']}")
        print(f"  {measure['text']}")
        print(f"  Vote: {vote}")
        against = ", ".join(judge["name"] for judge in measure["judges_against"])
        if against:
            print(f"  Against: {against}")
        claims = measure["compliance_claims"]
        if not claims:
            print("  No compliance claims recorded.")
        for claim in claims:
            who = claim["claimant"]["short_name"]
            print(f"  - {claim['made_on']} {who}: {claim['assessment']}. {claim['summary']}")
        print()
    if count == 0:
        print(f"No provisional measures addressed to {args.party}.", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
