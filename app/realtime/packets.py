"""Socket.IO packets as the server reads them: a packet it cannot read is still answered.

python-socketio decodes a packet before any handler runs. JSON it cannot parse (a syntax
error, a number of more than 4,300 digits) or nested so deep that the decoder runs out of
stack is dropped there with a traceback in the log, so the client never gets its ack and
keeps waiting. ``ClientPacket`` reads the JSON itself, with a depth limit, and turns an
event it cannot read into the event ``""`` with a ``Malformed`` payload, which
``GuardedNamespace`` answers with ``bad_request`` under the packet's own ack id.

A packet is read before any request context exists, so its reasons are lazy translations,
rendered when the answer is sent, in the connection's language.
"""
from __future__ import annotations

import itertools
import json
import re
from typing import Any

from flask_babel import lazy_gettext as _l
from socketio import packet

#: No payload of ours is nested more than five levels (``[event, {answers: {id: [..]}}]``).
MAX_DEPTH = 32

#: Event names a client may not send: the server triggers them itself.
RESERVED_EVENTS = frozenset({"connect", "disconnect", "connect_error"})

# A string, or an unterminated one up to the end; possessive, so it runs in linear time on any input.
_STRING = re.compile(r'"(?:[^"\\]++|\\.?)*+(?:"|\Z)', re.DOTALL)
_NOT_BRACKET = re.compile(r"[^\[\]{}]+")
_STEP = {"[": 1, "{": 1, "]": -1, "}": -1}


class Malformed:
    """Stands in for an event payload that could not be read; ``message`` (lazy) says why."""

    __slots__ = ("message",)

    def __init__(self, message: Any) -> None:
        self.message = message

    def __repr__(self) -> str:
        return f"Malformed({self.message!r})"


class Unreadable(ValueError):
    """The JSON of a packet could not be read (``reason``, lazy, is the reason, for the client)."""

    def __init__(self, reason: Any) -> None:
        super().__init__(reason)
        self.reason = reason


def nesting_depth(text: str) -> int:
    """How deeply arrays and objects nest in the JSON ``text`` (brackets inside strings ignored)."""
    brackets = _NOT_BRACKET.sub("", _STRING.sub("", text))
    return max(itertools.accumulate(_STEP[c] for c in brackets), default=0)


class ClientJSON:
    """``json`` with a depth limit; every failure is an ``Unreadable`` with a reason."""

    @staticmethod
    def dumps(*args, **kwargs) -> str:
        return json.dumps(*args, **kwargs)

    @staticmethod
    def loads(text: str | bytes):
        if isinstance(text, (bytes, bytearray)):
            try:
                text = text.decode(json.detect_encoding(text))
            except UnicodeDecodeError as exc:
                raise Unreadable(_l("The message is not valid text (%(reason)s).", reason=str(exc))) from None
        # Counting brackets is cheap and almost every packet has a handful.
        if text.count("[") + text.count("{") > MAX_DEPTH and nesting_depth(text) > MAX_DEPTH:
            raise Unreadable(_l("The message is nested more than %(max)s levels deep.", max=MAX_DEPTH))
        try:
            return json.loads(text)
        except RecursionError:
            raise Unreadable(_l("The message is nested more than %(max)s levels deep.", max=MAX_DEPTH)) from None
        except ValueError as exc:
            raise Unreadable(_l("The message is not valid JSON (%(reason)s).", reason=str(exc))) from None


class ClientPacket(packet.Packet):
    """A Socket.IO packet whose unreadable or misshapen event still reaches a handler."""

    def decode(self, encoded_packet):
        # Only packets read from clients get the depth limit: the class keeps the library's
        # JSON module, which python-socketio also uses for the message queue between processes.
        self.json = ClientJSON
        try:
            attachments = super().decode(encoded_packet)
        except Unreadable as exc:
            if self.packet_type == packet.EVENT:
                self.data = ["", Malformed(exc.reason)]
                return 0
            if self.packet_type == packet.CONNECT:
                self.data = None  # connect without credentials: refused with the usual reason
                return 0
            raise
        if self.packet_type == packet.EVENT:
            self.data = self._checked_event(self.data)
        return attachments

    @staticmethod
    def _checked_event(data):
        """``[name, *args]`` as sent, or ``["", Malformed]`` if that is not what was sent."""
        if not isinstance(data, list) or not data or not isinstance(data[0], str):
            return ["", Malformed(_l("The message must be a list starting with the event's name."))]
        if data[0] in RESERVED_EVENTS:
            return ["", Malformed(_l("“%(event)s” is not an event a client can send.", event=data[0]))]
        return data
