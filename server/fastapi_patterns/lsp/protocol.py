"""Answers to messages the server cannot use, as JSON-RPC 2.0 asks for them.

pygls reads each message and hands it to its handler; three kinds of bad input got no answer: a body that is
not JSON at all (the spec's Parse error, -32700), JSON that is not a message object, such as an array (Invalid
Request, -32600), both answered with a null id since no id can be read; and a request whose parameters do not
have the shape its method needs (Invalid params, -32602), a response a client would otherwise wait for
for ever. All three are answered here, and none is logged as an error of the server's own.
A notification or a response that cannot be read needs no answer, and a change to a document that was never
opened is ignored instead of failing inside pygls.
"""

from __future__ import annotations

import json
from typing import Any
from urllib.parse import unquote

from pygls.exceptions import JsonRpcException, JsonRpcInvalidRequest, JsonRpcParseError
from lsprotocol import types
from pygls.protocol import LanguageServerProtocol, lsp_method

UNREADABLE_BODY = (json.JSONDecodeError, UnicodeDecodeError)


class _Answered:
    """Stands for a message already answered with an error; the dispatcher ignores it (its `jsonrpc` is not
    the protocol's version)."""

    jsonrpc = "answered"


class AnsweringProtocol(LanguageServerProtocol):
    def structure_message(self, data: dict[str, Any]) -> Any:
        try:
            return super().structure_message(data)
        except JsonRpcException as error:
            if "method" in data and isinstance(data.get("id"), (int, str)):
                self._send_response(data["id"], error=error.to_response_error())
                return _Answered()
            raise

    @lsp_method(types.TEXT_DOCUMENT_DID_CHANGE)
    def lsp_text_document__did_change(self, params: types.DidChangeTextDocumentParams) -> Any:
        """pygls updates its copy of the document first and fails on one that was never opened: such a change
        is ignored (the spec says changes come only for open documents)."""
        if unquote(params.text_document.uri) in self.workspace.text_documents:
            yield from super().lsp_text_document__did_change(params)

    def handle_message(self, message: Any) -> None:
        if not hasattr(message, "jsonrpc"):  # JSON, but not an object: a batch, a number, a string...
            answer_without_id(self, JsonRpcInvalidRequest())
            return
        super().handle_message(message)


def answer_without_id(protocol: LanguageServerProtocol, error: JsonRpcException) -> None:
    """An error response with a null id (written as a plain object: the protocol's converter drops nulls)."""
    protocol._send_data({"jsonrpc": "2.0", "id": None, "error": {"code": error.code, "message": error.message}})


def answer_unreadable_body(protocol: LanguageServerProtocol) -> None:
    answer_without_id(protocol, JsonRpcParseError())
