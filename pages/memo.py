"""``{% memo a b c %}…{% endmemo %}``: a block drawn once per set of the values it shows (issue 21).

Registered by the template libraries that use it (``dashboard``, ``admin_sidebar``); one store per
process, the newest ``MEMO_SIZE`` blocks.
"""

import hashlib
import logging
import pickle
import threading
from collections import OrderedDict

from django import template
from django.utils.translation import get_language

logger = logging.getLogger(__name__)

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
