"""The `tutor` command: serve the API, migrate the database, or chat in the terminal."""

from __future__ import annotations

import argparse
import logging
import sys
from typing import NoReturn

from pydantic import ValidationError

from tutor.config import Settings, describe_errors

log = logging.getLogger("tutor")


def load_settings(**overrides: object) -> Settings:
    """Settings from the environment, or a readable message and exit code 2."""
    try:
        return Settings(**{k: v for k, v in overrides.items() if v is not None})
    except ValidationError as exc:
        lines = [f"  {line}" for line in describe_errors(exc)]
        print("tutor: the configuration is not valid:\n" + "\n".join(lines), file=sys.stderr)
        raise SystemExit(2) from None


def configure_logging(settings: Settings, level: str | None = None) -> None:
    """The service's logging as configured (TUTOR_LOG_LEVEL, TUTOR_LOG_FORMAT), secrets masked."""
    from tutor.logs import configure_logging as configure, settings_secrets

    configure(level or settings.log_level, settings.log_format, settings_secrets(settings))


def _warn_ignored(settings: Settings) -> None:
    for note in settings.ignored():
        log.warning(note)


def _cannot_start(exc: Exception) -> NoReturn:
    print(f"tutor: cannot start: {exc}", file=sys.stderr)
    raise SystemExit(2) from None


def serve(args: argparse.Namespace) -> None:
    from tutor.api.app import create_app
    from tutor.knowledge.pack import PackError
    from tutor.prompting import PromptTooLarge
    from tutor.store import DatabaseUnusable, check_database

    settings = load_settings(host=args.host, port=args.port, workers=args.workers)
    configure_logging(settings)
    _warn_ignored(settings)
    try:
        app = create_app(settings)  # validates everything once, before any worker starts
        check_database(app.state.services.store.engine)
    except (PackError, PromptTooLarge, FileNotFoundError, DatabaseUnusable) as exc:
        _cannot_start(exc)
    from tutor.server import run, run_workers

    if settings.workers == 1:
        run(app, settings)
        return
    from tutor.store import migrate

    # Once, here: workers starting together must not race to migrate.
    engine = app.state.services.store.engine
    migrate(engine)
    engine.dispose()
    del app
    run_workers(settings)


def migrate_command(_: argparse.Namespace) -> None:
    from tutor.store import DatabaseUnusable, check_database, make_engine, migrate

    settings = load_settings()
    configure_logging(settings, "warning")
    try:
        engine = make_engine(settings.database_url)
        check_database(engine)
    except DatabaseUnusable as exc:
        _cannot_start(exc)
    migrate(engine)
    engine.dispose()
    print("tutor: the database schema is up to date")


def chat(args: argparse.Namespace) -> None:
    from tutor.terminal import ChatUnavailable, run_chat

    settings = load_settings()
    try:
        code = run_chat(settings, language=args.language)
    except ChatUnavailable as exc:
        _cannot_start(exc)
    raise SystemExit(code)


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(prog="tutor", description="A patient tutor for generative AI and LLMs.")
    commands = parser.add_subparsers(dest="command", required=True)
    serve_parser = commands.add_parser("serve", help="run the HTTP service (default 127.0.0.1:8000)")
    serve_parser.add_argument("--host", help="address to listen on (TUTOR_HOST)")
    serve_parser.add_argument("--port", type=int, help="port to listen on (TUTOR_PORT)")
    serve_parser.add_argument("--workers", type=int, help="worker processes on that port (TUTOR_WORKERS; "
                                                          "more than 1 needs TUTOR_REDIS_URL)")
    serve_parser.set_defaults(handler=serve)
    commands.add_parser("migrate", help="bring the database schema up to date").set_defaults(
        handler=migrate_command)
    chat_parser = commands.add_parser("chat", help="talk with the tutor in this terminal")
    chat_parser.add_argument("--language", choices=["ko", "en"], default="ko")
    chat_parser.set_defaults(handler=chat)
    args = parser.parse_args(argv)
    args.handler(args)


if __name__ == "__main__":
    main()
