"""Sentences kept in the database, said in the reader's language.

A sentence written into a row when something happens (a timeline entry, the reason a message
was set aside, why a reply could not be sent) is read later, maybe by an agent who speaks
another language than the process that wrote it. So such a row keeps two things: the English
text (what an old reader, an export or a log shows) and the sentence itself, as its English
*msgid* and its named arguments (JSON). It is translated when it is read, with
:func:`helpdesk_desktop.domain.i18n._`, in the language of the process that reads it::

    said = sentence("Priority: {old} → {new}", old=word("Medium"), new=word("High"))
    row.summary, row.data["sentence"] = said.english(), said.to_json()
    ...
    shown(row.data.get("sentence"), row.summary)   # "Priorité : Moyenne → Haute" in French

An argument is a name or a number (kept as it is: a person's, a status's or an inbox's name is
the workspace's own word) or itself a :class:`Sentence` — :func:`word` — when it is a word of
the program (a priority, a category, "Unassigned"), so that it is translated too.

A row written before sentences were kept has only its English text: it is shown translated
when that text is itself a sentence of the catalogue (one without arguments, "Ticket marked as
spam"), else as it was written.

``packaging/update_messages.py`` extracts :func:`sentence`, :func:`word` and the two first
arguments of :func:`sentence_n` like ``_``/``ngettext``.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any, Union

from helpdesk_desktop.domain.i18n import _, ngettext

Arg = Union[str, int, "Sentence"]


@dataclass(frozen=True)
class Sentence:
    """An English msgid (and its plural form with the count that chooses) with its named
    arguments; translated by :meth:`text`, written in English by :meth:`english`."""

    msgid: str
    args: Mapping[str, Arg] = field(default_factory=dict)
    plural: str | None = None
    count: int | None = None

    def text(self) -> str:
        """The sentence in the current language (English when a translation is broken)."""
        return self.text_or(None)

    def text_or(self, fallback: str | None) -> str:
        """The sentence in the current language; ``fallback`` (or the English sentence)
        when it cannot be said: a translation or stored arguments that lack a placeholder."""
        if self.plural is not None and self.count is not None:
            template = ngettext(self.msgid, self.plural, self.count)
        else:
            template = _(self.msgid)
        values = {name: value.text() if isinstance(value, Sentence) else value
                  for name, value in self.args.items()}
        try:
            return template.format(**values)
        except (KeyError, IndexError, ValueError):
            return self.english() if fallback is None else fallback

    def english(self) -> str:
        """The sentence in English, as stored next to it for readers that do not translate."""
        template = self.msgid
        if self.plural is not None and self.count is not None and self.count != 1:
            template = self.plural
        values = {name: value.english() if isinstance(value, Sentence) else value
                  for name, value in self.args.items()}
        try:
            return template.format(**values)
        except (KeyError, IndexError, ValueError):
            return template

    def __str__(self) -> str:
        return self.text()

    def to_json(self) -> dict[str, Any]:
        data: dict[str, Any] = {"id": self.msgid}
        if self.args:
            data["args"] = {name: value.to_json() if isinstance(value, Sentence) else value
                            for name, value in self.args.items()}
        if self.plural is not None:
            data["plural"], data["n"] = self.plural, self.count
        return data

    @staticmethod
    def from_json(data: Any) -> Sentence | None:
        """The sentence of a stored JSON value, or None when it is not one (an old row)."""
        if not isinstance(data, Mapping) or not isinstance(data.get("id"), str):
            return None
        args: dict[str, Arg] = {}
        stored = data.get("args")
        if isinstance(stored, Mapping):
            for name, value in stored.items():
                if isinstance(value, Mapping):
                    inner = Sentence.from_json(value)
                    if inner is None:
                        return None
                    args[str(name)] = inner
                elif isinstance(value, (str, int)):
                    args[str(name)] = value
                else:
                    args[str(name)] = str(value)
        plural, count = data.get("plural"), data.get("n")
        if isinstance(plural, str) and isinstance(count, int):
            return Sentence(data["id"], args, plural, count)
        return Sentence(data["id"], args)


def sentence(msgid: str, /, **args: Arg) -> Sentence:
    """A sentence to keep (``msgid`` in English with named placeholders)."""
    return Sentence(msgid, args)


def sentence_n(singular: str, plural: str, count: int, /, **args: Arg) -> Sentence:
    """A sentence with a singular and a plural form, chosen by ``count`` in each language
    (``{count}`` is one of its arguments)."""
    return Sentence(singular, {"count": count, **args}, plural, count)


def word(msgid: str) -> Sentence:
    """A word of the program used as an argument (a priority, "Unassigned"): translated too."""
    return Sentence(msgid)


def shown(stored: Any, english: str) -> str:
    """What a row's sentence says in the current language: its kept sentence (``stored``, the
    JSON of :meth:`Sentence.to_json`) when there is one, else its English text — translated
    when that text is itself a sentence of the catalogue."""
    kept = Sentence.from_json(stored)
    if kept is not None:
        return kept.text_or(english)
    return _(english) if english else english


def joined(parts: Sequence[Sentence]) -> Sentence:
    """Several sentences said one after the other ("Priority: Low → High; Owner: …")."""
    if not parts:
        raise ValueError("joined() needs at least one sentence")
    if len(parts) == 1:
        return parts[0]
    # Translators: two parts of one timeline entry, e.g. "Priority: Low → High; Owner: Léa".
    return sentence("{first}; {then}", first=parts[0], then=joined(parts[1:]))
