import hashlib
import logging
import pickle
import threading
from collections import OrderedDict
from decimal import Decimal

from django import template
from django.utils import timezone
from django.utils.formats import date_format, number_format
from django.utils.html import conditional_escape, format_html
from django.utils.translation import get_language, ngettext
from django.utils.translation import gettext as _

register = template.Library()
logger = logging.getLogger(__name__)


@register.filter
def million(amount):
    """An axis label in millions of kroner: "DKK 2.5m" / "2,5 mio. kr."."""
    if amount is None:
        return ""
    value = Decimal(amount) / Decimal(1_000_000)
    decimals = 0 if value == value.to_integral_value() else 1
    return _("DKK %(amount)sm") % {"amount": number_format(value, decimals)}


@register.filter
def days(value):
    """A median in working days: "3", "2.5" (en) / "2,5" (da), or "–" when there is none."""
    if value is None:
        return "–"
    decimals = 0 if float(value).is_integer() else 1
    return number_format(value, decimals)


# The tags below keep the dashboard's table cells and tiles to one readable template line each.


@register.simple_tag
def linked(text, url, when=True):
    """``text`` as a link to ``url`` when there is one and ``when`` holds, else as plain text.

    A figure links to the list behind it only for a viewer who may open that list, and (``when``)
    only when there is something behind it: a count of 0 vacant seats leads nowhere.
    """
    if url and when:
        return format_html('<a href="{}">{}</a>', url, text)
    return conditional_escape(text)


@register.simple_tag
def meeting_date(starts_at, url, date_format_name):
    """A meeting's day as ``<time>``, linked to the meeting's page when the viewer may open it."""
    local = timezone.localtime(starts_at)
    day = format_html(
        '<time datetime="{}">{}</time>', date_format(local, "c"), date_format(local, date_format_name)
    )
    return linked(day, url)


@register.simple_tag
def behind_schedule(line):
    """What puts a project behind schedule: overdue milestones, a planned end that has passed; or "No"."""
    if not line.is_late:
        return _("No")
    reasons = []
    if line.overdue:
        counter = len(line.overdue)
        reasons.append(
            ngettext("%(counter)s milestone overdue", "%(counter)s milestones overdue", counter)
            % {"counter": counter}
        )
    if line.past_planned_end:
        planned_end = date_format(line.project.planned_end, "SHORT_DATE_FORMAT")
        reasons.append(_("planned to end %(date)s") % {"date": planned_end})
    return format_html('<span class="dash-alert">{}</span>', "; ".join(reasons))


# --- Rendered once per set of figures ------------------------------------------------------------

MEMO_SIZE = 256
_memo: OrderedDict[str, str] = OrderedDict()
_memo_lock = threading.Lock()


def _key(where: str, values: list) -> str | None:
    """What the block shows, as bytes: the values pickled (lossless: equal bytes, equal values, so
    model instances and lazy labels are keyed by what they hold), with the language and the block.
    None when a value cannot be pickled."""
    try:
        source = pickle.dumps([where, get_language(), values], protocol=pickle.HIGHEST_PROTOCOL)
    except (pickle.PicklingError, TypeError, AttributeError) as error:
        logger.warning("memo: %s not kept, a value cannot be pickled (%s)", where, error)
        return None
    return hashlib.blake2b(source, digest_size=16).hexdigest()


class MemoNode(template.Node):
    def __init__(self, nodelist, values):
        self.nodelist = nodelist
        self.values = values

    def render(self, context):
        # Everything the block shows must come from the values named in the tag: the key is those
        # values, the language and the block's place in its template. Same key, same HTML.
        where = f"{self.origin.name}:{self.token.position if self.token else id(self)}"
        key = _key(where, [value.resolve(context) for value in self.values])
        if key is None:
            return self.nodelist.render(context)
        with _memo_lock:
            html = _memo.get(key)
            if html is not None:
                _memo.move_to_end(key)
                return html
        html = self.nodelist.render(context)
        with _memo_lock:
            _memo[key] = html
            while len(_memo) > MEMO_SIZE:
                _memo.popitem(last=False)
        return html


@register.tag
def memo(parser, token):
    """``{% memo a b c %}…{% endmemo %}``: the block rendered once for each set of values of a, b, c
    (and language) and kept in this process, the newest ``MEMO_SIZE`` blocks (issue 21).

    The dashboard's breakdowns draw a chart and a table from a few dozen numbers; the same numbers
    give the same HTML, so a page whose figures have not changed reuses it. The figures are still
    read on every view, so nothing shown is older than the data: any changed count, label or link
    is a new key. Kept per process, so a deploy (new templates) starts empty.
    """
    values = [parser.compile_filter(bit) for bit in token.split_contents()[1:]]
    if not values:
        raise template.TemplateSyntaxError("memo needs the values its block shows")
    nodelist = parser.parse(("endmemo",))
    parser.delete_first_token()
    return MemoNode(nodelist, values)
