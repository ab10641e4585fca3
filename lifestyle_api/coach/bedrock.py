"""The Bedrock provider: one Converse call whose answer must come through our tool.

The client is the container's one (`lifestyle_api.aws`), built on first use, with short
timeouts and no SDK retries: a slow or throttled model is answered by the rules at once
instead of keeping the caller waiting. The tool's input is loaded through the same
marshmallow schema as every other answer and checked for medical content; anything that fails raises
`ModelAnswerRejected` with a short reason, and the caller falls back to the rules.
"""

from __future__ import annotations

import json
from typing import Any

import marshmallow as ma
from botocore.exceptions import BotoCoreError, ClientError, ConnectTimeoutError, ReadTimeoutError

from .. import aws
from .context import CoachContext
from .prompt import TOOL_NAMES, converse_request
from .safety import is_unsafe
from .schemas import content_schema

THROTTLING_CODES = frozenset(
    {"ThrottlingException", "ServiceQuotaExceededException", "TooManyRequestsException"}
)
TIMEOUT_CODES = frozenset({"ModelTimeoutException"})


class ModelAnswerRejected(Exception):
    """The model gave no usable answer. `reason` is one of: timeout, throttled, unavailable,
    error, malformed, invalid, unsafe (logged; never user data)."""

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


def bedrock_client(region: str):
    """The `bedrock-runtime` client of this container (`lifestyle_api.aws`, built on first
    use)."""
    return aws.client("bedrock-runtime", region)


def generate(kind: str, context: CoachContext, *, model_id: str, region: str) -> dict[str, Any]:
    """The model's answer of `kind` as validated wire content (`{"insights": [...]}` or
    `{"suggestions": [...]}`); `ModelAnswerRejected` when there is none to use."""
    request = converse_request(kind, context, model_id)
    try:
        response = bedrock_client(region).converse(**request)
    except (ReadTimeoutError, ConnectTimeoutError) as exc:
        raise ModelAnswerRejected("timeout") from exc
    except ClientError as exc:
        code = exc.response.get("Error", {}).get("Code")
        if code in THROTTLING_CODES:
            raise ModelAnswerRejected("throttled") from exc
        raise ModelAnswerRejected("timeout" if code in TIMEOUT_CODES else "error") from exc
    except BotoCoreError as exc:
        raise ModelAnswerRejected("unavailable") from exc

    answer = tool_input(response, TOOL_NAMES[kind])
    schema = content_schema(kind)
    try:
        content = schema.dump(schema.load(answer))
    except ma.ValidationError as exc:
        raise ModelAnswerRejected("invalid") from exc
    if is_unsafe(content):
        raise ModelAnswerRejected("unsafe")
    return content


def tool_input(response: dict[str, Any], tool_name: str) -> dict[str, Any]:
    """The input the model gave our tool: a JSON object, complete (not cut off)."""
    if response.get("stopReason") == "max_tokens":
        raise ModelAnswerRejected("malformed")
    content = ((response.get("output") or {}).get("message") or {}).get("content") or []
    uses = [
        block["toolUse"]
        for block in content
        if isinstance(block, dict) and (block.get("toolUse") or {}).get("name") == tool_name
    ]
    if len(uses) != 1:
        raise ModelAnswerRejected("malformed")
    answer = uses[0].get("input")
    if isinstance(answer, str):
        # Some models hand back the arguments as a JSON string rather than an object.
        try:
            answer = json.loads(answer)
        except ValueError as exc:
            raise ModelAnswerRejected("malformed") from exc
    if not isinstance(answer, dict):
        raise ModelAnswerRejected("malformed")
    return answer
