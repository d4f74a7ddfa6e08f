"""Prompt size per turn in each grounding mode, for a ten-turn Korean conversation.

Why: whole-document grounding sends the whole lesson on every turn; this
shows what that costs next to passages grounding, and how much of each
prompt is the fixed (cacheable) prefix. The requests are the ones the
service builds (tutor/fitting.py), with the offline tutor's answers as the
conversation; sizes are counted with the hosted-model counter (about one
token per Hangul syllable), or the rates of a small local model for the
2,048-token row.

    .venv/bin/python bench/prompt_sizes.py
"""

from __future__ import annotations

import asyncio
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from tutor.config import Settings  # noqa: E402
from tutor.fitting import PromptFitter  # noqa: E402
from tutor.knowledge.pack import load_pack  # noqa: E402
from tutor.knowledge.planner import plan_turn  # noqa: E402
from tutor.knowledge.retrieval import Retriever  # noqa: E402
from tutor.prompting import load_document_guide, load_system_prompt  # noqa: E402
from tutor.providers.base import ChatMessage  # noqa: E402
from tutor.providers.framing import fixed_prefix  # noqa: E402
from tutor.providers.offline import compose_answer  # noqa: E402
from tutor.tokens import Rates, TokenCounter  # noqa: E402

QUESTIONS = [
    "생성형 AI가 뭐예요?", "그럼 LLM은 생성형 AI랑 뭐가 달라요?", "트랜스포머는 왜 그렇게 중요해요?",
    "어텐션을 쉽게 설명해 줄 수 있어요?", "GPT는 무슨 뜻이에요?", "ChatGPT가 나오고 나서 뭐가 달라졌어요?",
    "LLM을 만드는 데 돈이 많이 들어요?", "멀티모달 AI는 뭐예요?", "AGI는 언제쯤 올까요?", "요즘 LLM이 왜 이렇게 난리예요?",
]
# SmolLM2's tokenizer on our prompts, as the real-model test's server counted them.
SMOLLM2 = Rates(other=2.1, ascii=0.3)


class Hosted:
    name, judges_scope, local = "openai", True, False

    def __init__(self, window: int):
        self.window = window

    async def context_window(self) -> int:
        return self.window


async def sizes(label: str, window: int, grounding: str, rates: Rates | None = None) -> None:
    settings = Settings(_env_file=None, provider="offline", grounding=grounding, context_tokens=window,
                        max_answer_tokens=1024 if window > 4096 else 512)
    pack = load_pack(ROOT / "prompts" / "lessons")
    retriever = Retriever(pack)
    fitter = PromptFitter(settings, Hosted(window), pack, load_system_prompt(ROOT / "prompts"),
                          load_document_guide(ROOT / "prompts"))
    if rates is not None:
        fitter.counter = TokenCounter(rates)
    history: list[ChatMessage] = []
    covered: list[str] = []
    rows = []
    for question in QUESTIONS:
        plan = plan_turn(retriever, question, history, covered)
        fitted = await fitter.fit(plan, history, question, "")
        request = fitted.request
        prefix = fitter.counter.count("\n\n".join(fixed_prefix(request)))
        rows.append((fitter.count(request), prefix, len(request.messages) - 1))
        answer = compose_answer(pack, request)
        history += [ChatMessage("user", question), ChatMessage("assistant", answer)]
        covered += [p.id for p in request.passages]
    print(f"\n{label} (window {window}, grounding {fitted.grounding})")
    print("turn  prompt  prefix  share  history messages")
    for number, (total, prefix, kept) in enumerate(rows, 1):
        print(f"{number:4d}  {total:6d}  {prefix:6d}  {prefix / total:5.0%}  {kept:3d}")


async def main() -> None:
    await sizes("Hosted model, whole document", 128_000, "auto")
    await sizes("Hosted model, passages", 128_000, "passages")
    await sizes("Small local model (SmolLM2 tokenizer rates), passages", 2048, "auto", SMOLLM2)


if __name__ == "__main__":
    asyncio.run(main())
