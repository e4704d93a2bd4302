"""The fragments a page repeats for every item (sources, claims, vote lines, the timeline), built in Python.

Each tag writes the same HTML as the include of the same name under templates/includes/, which the
other pages still use. A case page repeats these fragments hundreds of times, and the template engine
spends most of a page's time resolving variables and entering includes there: building the fragment
as one string costs a small fraction of that. Escaping follows the template engine's autoescape.
"""

import html
from functools import lru_cache

from django import template
from django.template.defaultfilters import capfirst, linebreaksbr, truncatewords
from django.urls import get_script_prefix, reverse
from django.utils.formats import localize
from django.utils.safestring import mark_safe
from django.utils.translation import get_language

from core.templatetags.tracker_tags import admin_change_url
from core.templatetags.tracker_tags import court_day as day
from pages.templatetags.reader_words import paragraph_label, reader, source_kind

register = template.Library()


def esc(value) -> str:
    """conditional_escape without its lazy-string wrapper (a page escapes thousands of values): the same output."""
    if hasattr(value, "__html__"):
        return value.__html__()
    return html.escape(str(value))


def page_url(obj) -> str:
    """obj.get_absolute_url(), once per object: a claim's measure and a decision are linked from several places."""
    try:
        return obj.__dict__["_page_url"]
    except KeyError:
        obj.__dict__["_page_url"] = address = obj.get_absolute_url()
        return address


@lru_cache(maxsize=8192)
def _url(name, arg, prefix):
    return reverse(name, args=[arg])


def url(name, arg) -> str:
    """reverse() of a one-argument page, remembered per script prefix (the URLconf does not change at run time)."""
    return _url(name, arg, get_script_prefix())


def _admin_link(user, obj):
    link = admin_change_url(user, obj)
    if link is None:
        return ""
    return (
        f'<a class="admin-link" href="{esc(link)}">Edit in the admin '
        f'<span class="visually-hidden">({esc(obj)})</span></a>'
    )


@lru_cache(maxsize=4096)
def _source_html(kind, address, title, publisher, published_on, document_number, excerpt, language):
    # Keyed by every value it shows, so an edited source is never drawn from an older entry; the same
    # source is cited by many items of a case and by every case page that cites it.
    parts = [f'\n        <li>\n          <span class="source-kind">{esc(source_kind(kind))}:</span> ']
    if address:
        parts.append(f'<a href="{esc(address)}" rel="external noopener">{esc(title)}</a>')
    else:
        parts.append(esc(title))
    if publisher:
        parts.append(f", {esc(publisher)}")
    if published_on:
        parts.append(f", {esc(day(published_on))}")
    if document_number:
        parts.append(f' <span class="docnum">({esc(document_number)})</span>')
    parts.append("\n          ")
    if excerpt:
        parts.append(f"<blockquote>{esc(excerpt)}</blockquote>")
    parts.append("\n        </li>\n      ")
    return "".join(parts)


def sources_html(item) -> str:
    """templates/includes/sources.html for `item` (its prefetched sources, confidence and note)."""
    # A case page reads every item's sources at once (proceedings.items.cite_sources); elsewhere the
    # prefetched list is read directly, as item.sources.all() builds a manager and a queryset per item.
    sources = getattr(item, "cited_sources", None)
    if sources is None:
        sources = getattr(item, "_prefetched_objects_cache", {}).get("sources")
    if sources is None:
        sources = item.sources.all()
    if not sources:
        return ""
    confidence = getattr(item, "confidence", "")
    parts = [f'\n  <details class="sources">\n    <summary>Sources ({len(sources)})']
    if confidence and confidence != "verified":
        parts.append(f' · <span class="confidence">{esc(item.get_confidence_display())}</span>')
    parts.append("</summary>\n    <ul>\n      ")
    for source in sources:
        parts.append(
            _source_html(
                source.kind,
                source.url,
                source.title,
                source.publisher,
                source.published_on,
                source.document_number,
                source.excerpt,
                get_language(),
            )
        )
    parts.append("\n    </ul>\n    ")
    note = getattr(item, "note", "")
    if note:
        parts.append(f'<p class="note">Note: {esc(reader(note))}</p>')
    parts.append("\n  </details>\n")
    return "".join(parts)


def claim_cell_html(claim) -> str:
    """templates/includes/claim_cell.html: a claim's assessment, date and headline in a table cell."""
    return (
        f'<span class="assessment assessment--{esc(claim.assessment)}">'
        f"{esc(capfirst(claim.get_assessment_display()))}</span> "
        f'<time datetime="{claim.made_on.isoformat()}">{esc(day(claim.made_on))}</time><br>'
        f'<a href="{esc(page_url(claim))}">{esc(claim.headline)}</a>'
    )


def claim_html(claim, *, user=None, show_subject=False, show_case=False) -> str:
    """templates/includes/claim.html: one compliance claim in full, with its sources."""
    assessment = esc(claim.assessment)
    parts = [
        f'<article class="claim claim--{assessment}" id="claim-{esc(claim.slug)}">\n  <p class="claim-head">\n'
        f'    <time datetime="{claim.made_on.isoformat()}">{esc(day(claim.made_on))}</time> ·\n'
        f'    <span class="assessment assessment--{assessment}">{esc(claim.get_assessment_display())}</span>\n  </p>\n'
        f'  <p class="claim-headline"><strong>{esc(claim.headline)}</strong></p>\n'
        f'  <p class="muted">Claimant: <a href="{esc(url("party-detail", claim.claimant.code))}">'
        f"{esc(claim.claimant.name)}</a>"
    ]
    if claim.spokesperson:
        parts.append(
            f', through <a href="{esc(url("person-detail", claim.spokesperson.slug))}">'
            f"{esc(claim.spokesperson.name)}</a>"
        )
    if show_subject:
        about = page_url(claim.provision) if claim.provision_id else page_url(claim.decision)
        parts.append(f' · about <a href="{esc(about)}">{esc(claim.subject)}</a>')
        if show_case:
            parts.append(f" (No. {claim.decision.case.general_list_number})")
    parts.append(f"</p>\n  <p>{esc(reader(claim.summary))}</p>\n  ")
    if claim.quote:
        parts.append(f"<blockquote>“{esc(claim.quote)}”</blockquote>")
    parts.append(f"\n  {sources_html(claim)}\n  {_admin_link(user, claim)}\n</article>")
    return "".join(parts)


def voters_html(voters) -> str:
    """templates/includes/voters.html: judges named as in a vote line, each linked to the judge's page."""
    if not voters:
        return "none"
    return "; ".join(f'<a href="{esc(url("person-detail", judge.slug))}">{esc(judge.title)}</a>' for judge in voters)


LEGEND_SHAPES = {
    "circle": '<circle r="6"></circle>',
    "square": '<rect x="-6" y="-6" width="12" height="12"></rect>',
    "diamond": '<polygon points="0,-7 7,0 0,7 -7,0"></polygon>',
    "triangle": '<polygon points="0,-6 6,6 -6,6"></polygon>',
}
LEGEND_BAR = '<rect x="-8" y="-4" width="16" height="8"></rect>'


def _num(value) -> str:
    """A coordinate as the template engine prints it: str() is the same for the numbers a layout gives."""
    text = str(value)
    # Only exponent notation (1e-07) reads differently once localized.
    return esc(localize(value)) if "e" in text else text


def _mark_html(mark) -> str:
    item, kind = mark.item, mark.kind
    dates, label = esc(item.dates), esc(item.label)
    colour = esc(kind.colour)
    if mark.x2:
        shape = (
            f'<rect x="{_num(mark.x)}" y="{_num(mark.top)}" width="{_num(mark.width)}" height="12" '
            'fill-opacity=".55"></rect>'
        )
    elif kind.shape == "circle":
        shape = f'<circle cx="{_num(mark.x)}" cy="{_num(mark.y)}" r="6" fill-opacity=".85"></circle>'
    elif kind.shape == "square":
        shape = f'<rect x="{_num(mark.left)}" y="{_num(mark.top)}" width="12" height="12" fill-opacity=".85"></rect>'
    else:
        shape = f'<polygon points="{esc(mark.points)}" fill-opacity=".85"></polygon>'
    return (
        f'\n              <a href="{esc(item.url)}" class="mark-link" '
        f'aria-label="{esc(item.kind_label)}, {dates}: {label}">'
        f'\n                <g class="mark mark--{esc(kind.key)}" fill="{colour}" stroke="{colour}">'
        f"\n                  <title>{dates}: {label}</title>\n                  {shape}\n                </g>"
        "\n              </a>\n            "
    )


def timeline_html(timeline, id, title) -> str:
    """templates/includes/timeline.html: the timeline's SVG, one mark per dated item, and its legend."""
    if not timeline.items:
        return ""
    id, title, height = esc(id), esc(title), _num(timeline.height)
    parts = [
        '\n  <figure class="timeline">\n    <div class="timeline-scroll" tabindex="0" role="region" '
        f'aria-label="{title} (scrolls sideways on a narrow screen)">\n'
        f'      <svg viewBox="0 0 {_num(timeline.width)} {height}" class="timeline-svg" role="group" '
        f'aria-label="{title}: each mark links to its item" preserveAspectRatio="xMinYMin meet">\n'
        f'        <svg role="img" aria-labelledby="{id}-title {id}-desc" width="{_num(timeline.width)}" '
        f'height="{height}">\n          <title id="{id}-title">{title}</title>\n'
        f'          <desc id="{id}-desc">{len(timeline.items)} dated items from {esc(day(timeline.items[0].start))}. '
        'The same items follow as a list.</desc>\n          <g class="axis">\n            '
    ]
    for tick in timeline.ticks:
        x = _num(tick.x)
        parts.append(
            f'\n              <line x1="{x}" x2="{x}" y1="20" y2="{height}"></line>'
            f'\n              <text x="{x}" y="15" text-anchor="middle">{esc(tick.label)}</text>\n            '
        )
    parts.append("\n          </g>\n          ")
    for group in timeline.groups:
        parts.append(
            f'\n            <text class="group-heading" x="4" y="{_num(group.y)}">'
            f"{esc(group.heading)}</text>\n          "
        )
    parts.append("\n          ")
    left, right, label_x = _num(timeline.label_width), _num(timeline.plot_right), _num(timeline.label_text_x)
    for lane in timeline.lanes:
        y = _num(lane.y)
        parts.append(
            f'\n            <g class="lane">\n              <line class="lane-line" x1="{left}" x2="{right}" '
            f'y1="{y}" y2="{y}"></line>\n              <text class="lane-label" x="{label_x}" y="{y}" dy="4" '
            f'text-anchor="end">{esc(lane.label)}</text>\n            </g>\n          '
        )
    parts.append('\n        </svg>\n        <g class="marks">\n          ')
    for lane in timeline.lanes:
        parts.append("\n            ")
        parts.extend(_mark_html(mark) for mark in lane.marks)
        parts.append("\n          ")
    parts.append(
        '\n        </g>\n      </svg>\n    </div>\n    <figcaption>\n      <span class="visually-hidden">Legend:</span>'
        '\n      <ul class="legend">\n        '
    )
    for kind in timeline.legend:
        parts.append(
            f'\n          <li><svg width="16" height="16" viewBox="-8 -8 16 16" aria-hidden="true" focusable="false" '
            f'fill="{esc(kind.colour)}">{LEGEND_SHAPES.get(kind.shape, LEGEND_BAR)}</svg> '
            f"{esc(kind.label)}</li>\n        "
        )
    parts.append(
        '\n      </ul>\n      <p class="timeline-hint">Each mark opens its item.</p>\n    </figcaption>\n  </figure>\n'
    )
    return "".join(parts)


def timeline_list_html(items) -> str:
    """A case page's timeline as a list: one entry per dated item, with its sources."""
    if not items:
        return "\n          <li>Nothing dated yet.</li>\n        "
    parts = []
    for item in items:
        parts.append(
            f'\n          <li id="{esc(item.anchor)}" class="tl-{esc(item.kind)}">'
            f'\n            <time datetime="{item.start.isoformat()}">{esc(item.dates)}</time>'
            f'\n            <span class="tl-kind">{esc(item.kind_label)}</span>\n            '
        )
        if item.kind == "event":
            parts.append(esc(item.label))
            if item.obj.description:
                parts.append(f': <span class="muted">{esc(reader(item.obj.description))}</span>')
        else:
            parts.append(f'<a href="{esc(item.url)}">{esc(item.label)}</a>')
        parts.append(f"\n            {sources_html(item.obj)}\n          </li>\n        ")
    return "".join(parts)


def filing_rows_html(filings, user=None) -> str:
    """A case page's table of filings: date and time-limit, filing party, document, sources."""
    if not filings:
        return '\n              <tr><td colspan="4">No filings recorded.</td></tr>\n            '
    parts = []
    for filing in filings:
        dates = esc(day(filing.filed_on)) if filing.filed_on else f"Time-limit: {esc(day(filing.due_on))}"
        if filing.filed_on and filing.due_on:
            dates += f'<br><span class="muted">time-limit {esc(day(filing.due_on))}</span>'
        party = filing.filed_by
        title = esc(filing.title)
        document = f'<a href="{esc(filing.url)}" rel="external noopener">{title}</a>' if filing.url else title
        number = f" · {esc(filing.document_number)}" if filing.document_number else ""
        summary = f"<p>{esc(reader(filing.summary))}</p>" if filing.summary else ""
        requested = (
            "<details><summary>Measures requested</summary>"
            f"<p>{linebreaksbr(reader(filing.requested_measures), autoescape=True)}</p></details>"
            if filing.requested_measures
            else ""
        )
        parts.append(
            f'\n              <tr id="filing-{esc(filing.slug)}">\n                <td>{dates}</td>'
            f'\n                <td><a href="{esc(url("party-detail", party.code))}">{esc(party.short_name)}</a></td>'
            f"\n                <td>\n                  {document}"
            f'\n                  <br><span class="muted">{esc(filing.get_kind_display())}{number}</span>'
            f"\n                  {summary}\n                  {requested}"
            f"\n                  {_admin_link(user, filing)}\n                </td>"
            f"\n                <td>{sources_html(filing)}</td>\n              </tr>\n            "
        )
    return "".join(parts)


def provisions_html(provisions) -> str:
    """A decision's operative clause as a case page lists it: label, kind, tally, text, the judges against."""
    parts = []
    for provision in provisions:
        tally = esc(capfirst(provision.tally)) if provision.tally else "Vote not known"
        against = (
            f'<p class="against">Against: {voters_html(provision.judges_against)}</p>'
            if provision.judges_against
            else ""
        )
        parts.append(
            f'\n                <li class="provision provision--{esc(provision.kind)}">'
            f'\n                  <a href="{esc(page_url(provision))}">{esc(paragraph_label(provision))}</a>'
            f'\n                  <span class="tag">{esc(provision.get_kind_display())}</span>'
            f'\n                  <span class="tally">{tally}</span>'
            f"\n                  <p>{esc(truncatewords(provision.text, 45))}</p>"
            f"\n                  {against}\n                </li>\n              "
        )
    return "".join(parts)


@register.simple_tag
def timeline_list(items):
    return mark_safe(timeline_list_html(items))  # noqa: S308 (every value inside is escaped)


@register.simple_tag(takes_context=True)
def filing_rows(context, filings):
    return mark_safe(filing_rows_html(filings, context.get("user")))  # noqa: S308 (every value inside is escaped)


@register.simple_tag
def provision_items(provisions):
    return mark_safe(provisions_html(provisions))  # noqa: S308 (every value inside is escaped)


@register.simple_tag
def timeline(timeline, id, title):
    return mark_safe(timeline_html(timeline, id, title))  # noqa: S308 (every value inside is escaped)


@register.simple_tag
def sources(item):
    return mark_safe(sources_html(item))  # noqa: S308 (every value inside is escaped)


@register.simple_tag(takes_context=True)
def claim(context, claim, show_subject=False, show_case=False):
    return mark_safe(  # noqa: S308 (every value inside is escaped)
        claim_html(claim, user=context.get("user"), show_subject=show_subject, show_case=show_case)
    )


@register.simple_tag(takes_context=True)
def claims(context, claims, show_subject=False, show_case=False):
    """Several claims in a row, as a loop over the claim include writes them."""
    user = context.get("user")
    return mark_safe(  # noqa: S308 (every value inside is escaped)
        "".join(claim_html(c, user=user, show_subject=show_subject, show_case=show_case) for c in claims)
    )


@register.simple_tag
def claim_cell(claim):
    return mark_safe(claim_cell_html(claim))  # noqa: S308 (every value inside is escaped)


@register.simple_tag
def voters(voters):
    return mark_safe(voters_html(voters))  # noqa: S308 (every value inside is escaped)
