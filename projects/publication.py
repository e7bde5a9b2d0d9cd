"""The seam through which a published deliverable reaches the apps that show it elsewhere.

Dependencies point knowledge → projects, so projects cannot call the library. The library
registers a listener in its ``AppConfig.ready()`` instead (as budget registers its finance
provider); ``deliverable_transition`` calls every listener inside its transaction, so the
library item and the published deliverable are committed together or not at all.
"""

from collections.abc import Callable

PublicationListener = Callable[..., object]  # whatever it returns is ignored
_listeners: list[PublicationListener] = []


def register_publication_listener(listener: PublicationListener) -> None:
    """``listener(*, deliverable)``; registering twice is harmless."""
    if listener not in _listeners:
        _listeners.append(listener)


def unregister_publication_listener(listener: PublicationListener) -> None:
    if listener in _listeners:
        _listeners.remove(listener)


def deliverable_published(*, deliverable) -> None:
    for listener in list(_listeners):
        listener(deliverable=deliverable)
