"""Every error's message, in Korean and English: one table, keyed by error code.

A message follows the session's language; before a session is known (a
missing token, an unknown session, a body too large) it follows the request's
``Accept-Language``, and Korean when that names neither language, since most
learners write Korean. Codes never change with the language: clients decide
by ``code`` and show ``message``.

A key is an error code, or ``code.variant`` where one code needs words for
different situations (the variant falls back to its code's message).
"""

from __future__ import annotations

import string
from collections.abc import Mapping

LANGUAGES = ("ko", "en")
DEFAULT_LANGUAGE = "ko"

MESSAGES: dict[str, dict[str, str]] = {
    # The request itself.
    "bad_request": {"ko": "요청을 처리할 수 없어요. 보낸 내용을 확인해 주세요.",
                    "en": "The request could not be handled; please check what was sent."},
    "invalid_json": {"ko": "요청 본문이 올바른 JSON 형식이 아니에요.",
                     "en": "The request body is not valid JSON."},
    "invalid_input": {"ko": "보낸 내용이 올바르지 않아요. 다음 항목을 확인해 주세요: {fields}",
                      "en": "The request is not valid: {details}"},
    "message_too_long": {"ko": "메시지가 {length}자예요. 최대 {limit}자까지 보낼 수 있으니 줄이거나 둘로 나눠 보내 주세요.",
                         "en": "The message is {length} characters long; the limit is {limit}. "
                               "Please shorten it or split it in two."},
    "too_large": {"ko": "요청 본문이 {max_bytes}바이트를 넘어요. 더 짧게 보내 주세요.",
                  "en": "The request body is larger than {max_bytes} bytes; please send a shorter message."},
    "unsupported_media_type": {"ko": "본문은 JSON으로 보내 주세요 (Content-Type: application/json).",
                               "en": "Please send the body as JSON (Content-Type: application/json)."},
    "not_acceptable": {"ko": "요청한 형식으로는 답할 수 없어요.",
                       "en": "This cannot be answered in the requested format."},
    "method_not_allowed": {"ko": "이 주소는 그 방식(메서드)의 요청을 받지 않아요.",
                           "en": "This address does not accept that method."},
    "bad_last_event_id": {"ko": "Last-Event-ID 헤더에는 이 답변의 스트림이 보낸 id를 넣어 주세요.",
                          "en": "Last-Event-ID must be an id this answer's stream sent."},
    # Who is asking.
    "unauthorized": {"ko": "이 대화의 토큰을 `Authorization: Bearer <토큰>` 헤더로 보내 주세요.",
                     "en": "Send the session's token as `Authorization: Bearer <token>`."},
    "api_key_required": {"ko": "비공개로 운영되는 서비스예요. 올바른 `X-API-Key` 헤더를 보내 주세요.",
                         "en": "This service is private: send a valid `X-API-Key` header."},
    "forbidden": {"ko": "이 요청은 허용되지 않아요.", "en": "This request is not allowed."},
    "not_found": {"ko": "그런 대화가 없어요. 지워졌거나 끝났을 수 있어요.",
                  "en": "No such session; it may have been deleted."},
    "not_found.answer": {"ko": "이 대화에 그런 답변이 없어요.", "en": "No such answer in this session."},
    "not_found.path": {"ko": "이 주소에는 아무것도 없어요.", "en": "There is nothing at this address."},
    # The conversation's state and the service's limits.
    "conflict": {"ko": "지금 상태에서는 이 요청을 처리할 수 없어요.",
                 "en": "The request conflicts with the current state."},
    "turn_in_progress": {"ko": "아직 이전 답변을 쓰고 있어요. 끝날 때까지 기다리거나 먼저 멈춰 주세요.",
                         "en": "The previous answer is still being written; wait for it or stop it first."},
    "session_full": {"ko": "이 대화가 길이 한도에 닿았어요. 새 대화를 시작해 주세요.",
                     "en": "This conversation has reached its length limit; please start a new one."},
    "resume_expired": {"ko": "이 답변은 더 이상 이어서 받을 수 없어요. 저장된 답변은 대화 기록에서 읽을 수 있어요.",
                       "en": "This stream can no longer be resumed; read the stored answer with "
                             "GET /v1/sessions/{{id}}."},
    "rate_limited": {"ko": "요청이 너무 많아요. 잠시 기다렸다가 다시 해 주세요.",
                     "en": "Too many requests; please wait a moment and try again."},
    "budget_exhausted": {"ko": "이 대화에 정해진 사용량을 모두 썼어요. 새 대화를 시작해 주세요.",
                         "en": "This conversation has used up its budget; please start a new one."},
    "budget_exhausted.daily": {"ko": "오늘 서비스에 정해진 사용량을 모두 썼어요. 세계 표준시(UTC) 자정이 지나면 다시 이용해 주세요.",
                               "en": "The service has used up today's budget; please come back after midnight UTC."},
    "too_many_followers": {"ko": "이 답변을 이미 너무 많은 곳에서 받고 있어요. 잠시 후에 다시 해 주세요.",
                           "en": "This answer is already being read by too many connections; please try again later."},
    "headers_too_large": {"ko": "요청 헤더가 너무 많아요.", "en": "The request has too many headers."},
    "request_timeout": {"ko": "요청 본문이 너무 늦게 도착했어요. 다시 보내 주세요.",
                        "en": "The request body arrived too slowly; please send it again."},
    "answer_too_long": {"ko": "답변이 길이 한도에 닿아 여기서 끊었어요.",
                        "en": "The answer reached its length limit and was cut here."},
    "internal_error": {"ko": "저희 쪽에서 문제가 생겼어요. 잠시 후에 다시 해 주세요.",
                       "en": "Something went wrong on our side."},
    "error": {"ko": "요청을 처리하지 못했어요.", "en": "The request could not be handled."},
    # An answer that did not finish (error events, stored answers).
    "stopped": {"ko": "요청하신 대로 답변을 멈췄어요.", "en": "The answer was stopped at your request."},
    "cancelled": {"ko": "답변이 중간에 멈췄어요.", "en": "The answer was stopped."},
    "client_disconnected": {"ko": "답변이 끝나기 전에 연결이 끊겼어요.",
                            "en": "The connection closed before the answer was finished."},
    "session_deleted": {"ko": "대화가 삭제되어 답변을 멈췄어요.",
                        "en": "The conversation was deleted, so the answer was stopped."},
    "server_shutdown": {"ko": "서비스가 다시 시작하는 중이에요. 잠시 후에 다시 물어봐 주세요.",
                        "en": "The service is restarting; please ask again in a moment."},
    "server_restarted": {"ko": "답변을 쓰는 도중에 서비스가 다시 시작되어 답변이 끊겼어요.",
                         "en": "The service restarted while this answer was being written."},
    "turn_timeout": {"ko": "답변이 너무 오래 걸려서 멈췄어요. 다시 물어봐 주세요.",
                     "en": "The answer took too long and was stopped."},
    "storage_error": {"ko": "답변을 저장하지 못했어요. 다시 물어봐 주세요.",
                      "en": "The answer could not be saved."},
    "interrupted": {"ko": "이 답변은 중간에 끊겼어요.", "en": "This answer was interrupted."},
    "failed": {"ko": "이 답변은 완성되지 못했어요.", "en": "This answer failed."},
    # The model behind the tutor.
    "provider_auth": {"ko": "AI 서비스가 인증 정보를 받아들이지 않았어요. 운영자에게 알려 주세요.",
                      "en": "The AI service refused our credentials. Please tell the operator."},
    "provider_rate_limited": {"ko": "AI 서비스가 지금 붐벼요. 잠시 후에 다시 해 주세요.",
                              "en": "The AI service is busy right now. Please try again in a moment."},
    "provider_unavailable": {"ko": "AI 서비스가 지금 응답하지 않아요. 조금 뒤에 다시 해 주세요.",
                             "en": "The AI service is not answering right now. Please try again shortly."},
    "provider_bad_request": {"ko": "AI 서비스가 이 메시지를 처리하지 못했어요.",
                             "en": "The AI service could not handle this message."},
    "provider_empty": {"ko": "AI 서비스가 빈 답변을 보냈어요. 다시 물어봐 주세요.",
                       "en": "The AI service sent an empty answer. Please ask again."},
    "provider_context_overflow": {"ko": "대화가 AI 모델이 한 번에 읽을 수 있는 양을 넘었어요. 조금 짧게 다시 물어봐 주세요.",
                                  "en": "The conversation is more than the AI model can read at once; "
                                        "please ask again more briefly."},
    "provider_error": {"ko": "AI 서비스에 문제가 생겼어요. 잠시 후에 다시 해 주세요.",
                       "en": "The AI service failed."},
}

# A code nobody has written words for yet still gets a sentence in the right language.
_BY_STATUS = {4: "error", 5: "internal_error"}


def error_message(key: str, language: str | None, fallback: str | None = None, *,
                  status: int | None = None, **params: object) -> str:
    """The message for ``key`` in ``language`` (Korean when unknown), with ``params`` filled in.

    ``fallback`` (English) is used for an English reader when the key has no
    entry; a Korean reader then gets the generic message for its status.
    """
    language = language if language in LANGUAGES else DEFAULT_LANGUAGE
    entry = MESSAGES.get(key) or MESSAGES.get(key.partition(".")[0])
    if entry is None:
        if language == "en" and fallback:
            return fallback
        entry = MESSAGES[_BY_STATUS.get((status or 500) // 100, "error")]
    return string.Formatter().vformat(entry[language], (), _Blank(params))


class _Blank(dict):
    """Missing parameters read as an empty string rather than failing the error itself."""

    def __missing__(self, key: str) -> str:
        return ""


def language_from_accept(header: str | None) -> str:
    """The learner's language from ``Accept-Language``: the preferred of Korean and English, else Korean."""
    best, best_q = DEFAULT_LANGUAGE, 0.0
    for part in (header or "").split(","):
        tag, _, options = part.strip().partition(";")
        primary = tag.strip().lower().partition("-")[0]
        if primary not in LANGUAGES:
            continue
        q = 1.0
        for option in options.split(";"):
            name, _, value = option.strip().partition("=")
            if name == "q":
                try:
                    q = float(value)
                except ValueError:
                    q = 0.0
        if q > best_q:
            best, best_q = primary, q
    return best


def describe_fields(errors: list[Mapping]) -> tuple[str, str]:
    """Request validation errors as (the fields, for any reader; pydantic's details, in English)."""
    fields, details = [], []
    for error in errors[:3]:
        where = ".".join(str(p) for p in error.get("loc", ()) if p != "body") or "body"
        fields.append(where)
        details.append(f"{where}: {error.get('msg', 'invalid')}")
    return ", ".join(fields) or "body", "; ".join(details) or "The request is not valid."
