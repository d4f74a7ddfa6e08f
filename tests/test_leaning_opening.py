"""A sentence that holds what was asked but says it of the sentence before
("그 덕분에 …", "이것이 …") opens the answer together with that sentence:
the learner never meets a "그 덕분에" whose 그 is nowhere, nor loses the
sentence that answers because it leans back.

Played through the real service (offline tutor), as a learner would see it.
"""

from __future__ import annotations

from fastapi.testclient import TestClient

from tests.test_teaching import conversation, opening
from tutor.providers import offline


def test_the_sentence_that_answers_opens_with_the_one_it_leans_on(client: TestClient) -> None:
    (reply,) = conversation(client, "트랜스포머가 나오고 AI가 사람 말 알아듣는 능력은 어떻게 변했어요?")
    first = opening(reply)
    assert "뛰어올랐" in first, first  # the answer itself, which says "그 덕분에 …"
    assert first.index("긴 문맥") < first.index("그 덕분에"), first  # what 그 points to comes first


def test_a_sentence_standing_alone_is_still_preferred_when_it_holds_as_much() -> None:
    sentences = ["트랜스포머는 2017년에 나왔어요.", "그 덕분에 큰 변화가 생겼어요."]
    assert offline._leaning_answer(sentences, 0, "트랜스포머는 언제 나왔어요?", "when") is None
    assert offline._leaning_answer(sentences, 0, "어떤 큰 변화가 생겼어요?", "detail") == 1


def test_a_pointing_subject_with_its_particle_leans_back_too() -> None:
    sentences = ["트랜스포머는 2017년에 나왔어요.", "이것이 큰 변화를 가져왔어요."]
    assert offline._leaning_answer(sentences, 0, "어떤 큰 변화를 가져왔어요?", "detail") == 1
    assert offline._LEANING.match("그게 바로 어텐션이에요.")
    assert not offline._LEANING.match("이것저것 다 배워요.")
