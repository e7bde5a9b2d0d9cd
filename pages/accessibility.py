"""The latest accessibility audit, as the accessibility statement (WAS) reports it.

Update these figures when the audit is repeated: the date, and what
tests/browser/test_accessibility.py reported (var/a11y/axe-report.json: "pages", "page_states").
"""

import datetime

AUDIT = {
    "date": datetime.date(2026, 11, 26),
    "tool": "axe-core 4.14.1",
    "pages": 152,
    "page_states": 734,
    "violations_before": 567,
    "violations": 0,
}
