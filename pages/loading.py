"""Reference and demo data, contributed by each app.

An app that owns reference data has a ``reference_data.py`` (and, for local trials, a
``demo_data.py``) with a ``load() -> list[str]`` function that is idempotent and returns
lines for the report. Loaders run in INSTALLED_APPS order, which is dependency order, so
governance's organisations exist before projects or budget refer to them.
"""

from importlib import import_module
from importlib.util import find_spec

from django.apps import apps


def run_loaders(module_name: str) -> list[str]:
    report: list[str] = []
    for app_config in apps.get_app_configs():
        dotted = f"{app_config.name}.{module_name}"
        if find_spec(dotted) is None:
            continue
        report.extend(import_module(dotted).load())
    return report
