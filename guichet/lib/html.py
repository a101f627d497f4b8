"""Escaping for markup written in Python on hot paths.

`esc` does what Django's conditional_escape does (markup marked safe passes, anything else
is escaped, lazy translations are evaluated) without the checks for lazy arguments that
Django wraps around every call: the ticket page and the queue call it thousands of times.
"""

from html import escape


def esc(value) -> str:
    html = getattr(value, "__html__", None)
    if html is not None:
        return html()
    return escape(str(value))
