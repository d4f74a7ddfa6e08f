"""The lesson pack's table of contents."""

from __future__ import annotations

from fastapi import APIRouter

from .deps import ServicesDep
from .schemas import LessonOut, LessonPassageRef, LessonsOut

router = APIRouter(prefix="/v1", tags=["lessons"])


@router.get("/lessons", response_model=LessonsOut)
async def lessons(services: ServicesDep) -> LessonsOut:
    """Every lesson in teaching order, with its passages."""
    return LessonsOut(lessons=[
        LessonOut(
            id=lesson.id, order=lesson.order, title=lesson.title.model_dump(),
            summary=lesson.summary.model_dump(),
            passages=[LessonPassageRef(id=p.id, title=p.title.model_dump()) for p in lesson.passages],
        )
        for lesson in services.pack.lessons
    ])
