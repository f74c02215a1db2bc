"""argparse's own words ("usage:", "options", "show this help message and exit", its error
messages) in the language of the program's sentences.

argparse translates them with the standard library's *global* gettext (``from gettext import
gettext as _, ngettext`` in argparse.py), i.e. the default text domain "messages" looked up in
the system's locale folders, which the program does not use. Rather than changing that
process-wide domain (every library would then read our catalogue, and the language would come
from the environment, not from :func:`helpdesk_desktop.domain.i18n.set_language`), :func:`install`
points argparse's two module-level names at :mod:`helpdesk_desktop.domain.i18n`. argparse looks
those names up when it builds a parser or a message, so they follow the current language.

The sentences themselves are marked below and so live in the program's one catalogue
(``resources/translations/messages_fr.po``), checked by the same tests as every other sentence:
the union of argparse's ``_()``/``ngettext()`` calls in Python 3.11 to 3.13.
``tests/test_messages_i18n.py`` compares this list with the running Python's argparse source.

Python before 3.13 appends the colon of a section heading ("options:") outside gettext;
:class:`HelpFormatter` gives it the language's spacing there too ("options :" in French).
"""

from __future__ import annotations

import argparse
import re
import textwrap
from typing import Any

from helpdesk_desktop.domain import i18n
from helpdesk_desktop.domain.i18n import N_, N_plural, _

#: argparse's ``_()`` sentences (Python 3.11–3.13). %-placeholders are argparse's own.
WORDS: tuple[str, ...] = (
    # help
    N_("usage: "),
    N_("positional arguments"),
    N_("options"),
    N_("%(heading)s:"),
    N_("subcommands"),
    N_(" (default: %(default)s)"),
    N_("show this help message and exit"),
    N_("show program's version number and exit"),
    # usage errors
    N_("%(prog)s: error: %(message)s\n"),
    N_("%(prog)s: warning: %(message)s\n"),
    N_("argument %(argument_name)s: %(message)s"),
    N_("the following arguments are required: %s"),
    N_("one of the arguments %s is required"),
    N_("unrecognized arguments: %s"),
    N_("invalid choice: %(value)r (choose from %(choices)s)"),
    N_("invalid %(type)s value: %(value)r"),
    N_("not allowed with argument %s"),
    N_("ambiguous option: %(option)s could match %(matches)s"),
    N_("expected one argument"),
    N_("expected at most one argument"),
    N_("expected at least one argument"),
    N_("ignored explicit argument %r"),
    N_("unexpected option string: %s"),
    N_("unknown parser %(parser_name)r (choices: %(choices)s)"),
    N_("can't open '%(filename)s': %(error)s"),
    N_('argument "-" with mode %r'),
    N_("command '%(parser_name)s' is deprecated"),
    N_("option '%(option)s' is deprecated"),
    N_("argument '%(argument_name)s' is deprecated"),
    # mistakes of the program's own parser definitions (never shown to a user of a correct one)
    N_(".__call__() not defined"),
    N_("%r is not callable"),
    N_("conflicting subparser: %s"),
    N_("conflicting subparser alias: %s"),
    N_("cannot merge actions - two groups are named %r"),
    N_("'required' is an invalid argument for positionals"),
    N_("invalid option string %(option)r: must start with a character %(prefix_chars)r"),
    N_("dest= is required for options like %r"),
    N_("invalid conflict_resolution value: %r"),
    N_("mutually exclusive arguments must be optional"),
    N_("cannot have multiple subparser arguments"),
)
#: argparse's ``ngettext()`` sentences.
PLURALS: tuple[tuple[str, str], ...] = (
    N_plural("expected %s argument", "expected %s arguments"),
    N_plural("conflicting option string: %s", "conflicting option strings: %s"),
)


def install() -> None:
    """Make argparse speak the current language of :mod:`helpdesk_desktop.domain.i18n` (call
    it before building a parser: the group titles are translated when a parser is made)."""
    argparse._ = i18n._  # type: ignore[attr-defined]
    argparse.ngettext = i18n.ngettext  # type: ignore[attr-defined]


#: The spaces argparse folds (ASCII only: a no-break space, as before a French colon, holds).
_SPACES = re.compile(r"[ \t\n\r\f\v]+")


class HelpFormatter(argparse.HelpFormatter):
    """argparse's formatter, with the heading's colon translated on every Python version, and
    lines broken at spaces only: an option or a value such as ``last-activity:desc`` or
    ``assigned-to-me`` is never cut at its hyphen."""

    def _split_lines(self, text: str, width: int) -> list[str]:
        return textwrap.wrap(_SPACES.sub(" ", text).strip(), width, break_on_hyphens=False)

    def _fill_text(self, text: str, width: int, indent: str) -> str:
        return textwrap.fill(_SPACES.sub(" ", text).strip(), width, initial_indent=indent,
                             subsequent_indent=indent, break_on_hyphens=False)

    class _Section(argparse.HelpFormatter._Section):
        heading: Any

        def format_help(self) -> str:
            text: str = super().format_help()
            if isinstance(self.heading, str) and self.heading != argparse.SUPPRESS:
                # Python < 3.13 writes "<heading>:" itself; 3.13+ already asked gettext.
                plain = f"{self.heading}:\n"
                spoken = _("%(heading)s:") % {"heading": self.heading} + "\n"
                if spoken != plain:
                    text = text.replace(plain, spoken, 1)
            return text
