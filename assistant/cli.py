"""Command line: `assistant index`, `assistant ask`, `assistant documents`, `assistant chat`, `assistant users`."""

from __future__ import annotations

import argparse
import json
import logging
import os
import re
import signal
import sys
from pathlib import Path

from .config import MODES, default_documents_dir, default_index_dir
from .errors import AssistantError
from .results import relevance
from .text.normalize import INVISIBLE, visible
from .version import __version__

log = logging.getLogger("assistant")

BROKEN_PIPE_STATUS = 128 + signal.SIGPIPE  # 141, as a shell reports a process SIGPIPE ended

# Characters that act on a terminal instead of showing (escape sequences): printed as escapes.
# Titles, paths and passages come from documents, which may hold anything.
_UNPRINTABLE = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f]")
_UNPRINTABLE_IN_LINE = re.compile(_UNPRINTABLE.pattern[:-1] + "\\t\\n]")
_ESCAPED_IN_JSON = re.compile(f"{_UNPRINTABLE.pattern}|{INVISIBLE.pattern}")


def shown(text: object, one_line: bool = True) -> str:
    """`text` safe to print: zero-width and bidi characters removed (`text.normalize.visible`),
    control characters escaped (`\\x1b`), and on one line unless `one_line` is False (then line
    breaks and tabs stay)."""
    pattern = _UNPRINTABLE_IN_LINE if one_line else _UNPRINTABLE
    return pattern.sub(lambda match: match.group().encode("unicode_escape").decode("ascii"), visible(str(text)))


def json_line(data) -> str:
    """One JSON object on one line, with no character a terminal would act on: control, zero-width
    and bidi characters escaped (`\\u202e`), the text itself kept exact, as its offsets count it."""
    return _ESCAPED_IN_JSON.sub(lambda match: f"\\u{ord(match.group()):04x}", json.dumps(data, ensure_ascii=False))


def _common(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--index-dir", type=Path, default=None,
                        help=f"index directory (default: {default_index_dir()}; env ASSISTANT_INDEX_DIR)")
    parser.add_argument("--model", help="sentence-transformers model id or local folder "
                        "(default: the bundled multilingual-e5-small; env ASSISTANT_MODEL)")
    parser.add_argument("-q", "--quiet", action="store_true", help="only print results and errors")


def _llm_options(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--llm-url", help="an OpenAI-compatible server (e.g. http://127.0.0.1:11434/v1) to phrase "
                        "answers, shown only when their citations hold (env ASSISTANT_LLM_URL)")
    parser.add_argument("--llm-model", help="the model that server should use (env ASSISTANT_LLM_MODEL)")


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="assistant",
        description="Ask questions about Vietnamese news articles; answers quote the articles with citations.",
    )
    parser.add_argument("--version", action="version", version=f"%(prog)s {__version__}")
    commands = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")

    index = commands.add_parser("index", help="build or update the index",
                                description="Build or update the index. With no PATH, index documents/ "
                                "(or re-check the folders indexed before); only changed passages are re-embedded.")
    index.add_argument("paths", nargs="*", type=Path, metavar="PATH", help=".txt/.md files or folders to add")
    index.add_argument("--remove", nargs="+", default=[], metavar="ID",
                       help="document ids to remove, or watched folders to stop watching (their documents go too)")
    index.add_argument("--rebuild", action="store_true", help="recompute every vector")
    index.add_argument("--follow-symlinks", action="store_true",
                       help="also index files reached through links that lead out of their folder")
    index.add_argument("--ray", nargs="?", const="local", metavar="ADDRESS",
                       help="embed on Ray actors: a local Ray on every core, or a running cluster's ADDRESS "
                       "(auto, ray://host:10001); needs the scale extra")
    index.add_argument("--restore", metavar="GENERATION",
                       help="make an earlier generation of the index live again (its files are checked first)")
    _common(index)

    ask = commands.add_parser("ask", help="answer a question with cited passages",
                              description="Answer a question. With no QUESTION, read one question per line "
                              "from standard input (plain text, or JSON {\"question\": ..., \"history\": [...]}) "
                              "and write one JSON object per line.")
    ask.add_argument("question", nargs="?", help="the question, in Vietnamese")
    ask.add_argument("-k", type=int, default=5, help="number of passages to cite (default: %(default)s)")
    ask.add_argument("--mode", choices=MODES, help="retrieval mode (default: hybrid)")
    ask.add_argument("--json", action="store_true", help="print one JSON object")
    _llm_options(ask)
    _common(ask)

    documents = commands.add_parser("documents", help="list the indexed documents")
    documents.add_argument("--json", action="store_true", help="print JSON lines")
    _common(documents)

    chat = commands.add_parser("chat", help="start the chat web app and its JSON API",
                               description="Serve the chat page and the JSON API (/api/v1, described at "
                               "/api/v1/openapi.json). With a users file, the page and the API need a login; "
                               "bound to an address other than loopback, a users file or --read-only is required.")
    chat.add_argument("--host", default="127.0.0.1", help="address to bind (default: %(default)s)")
    chat.add_argument("--port", type=int, default=7860, help="port (default: %(default)s)")
    _users_option(chat)
    chat.add_argument("--read-only", action="store_true",
                      help="everyone may only ask and read; nobody uploads or removes documents")
    _llm_options(chat)
    chat.add_argument("--uploads-dir", type=Path, help="where articles uploaded in the chat are saved "
                      "(default: uploads/ beside the index directory; env ASSISTANT_UPLOADS_DIR)")
    _common(chat)

    users = commands.add_parser("users", help="manage the chat's users (readers and editors)",
                                description="Manage who may log in to the chat and its API. A reader asks and "
                                "reads documents; an editor also uploads and removes them.")
    actions = users.add_subparsers(dest="action", required=True, metavar="ACTION")
    add = actions.add_parser("add", help="add a user, or change an existing user's role and password",
                             description="Add a user; the password is read from standard input (asked twice on "
                             "a terminal) and stored as a salted scrypt hash.")
    add.add_argument("name", help="user name: letters, digits or . _ - @")
    add.add_argument("--role", required=True, choices=("reader", "editor"), help="reader: ask and read; "
                     "editor: also upload and remove")
    listing = actions.add_parser("list", help="list the users and their roles")
    listing.add_argument("--json", action="store_true", help="print JSON lines")
    remove = actions.add_parser("remove", help="remove a user")
    remove.add_argument("name")
    for action in (add, listing, remove):
        _users_option(action)
        action.add_argument("--index-dir", type=Path, default=None,
                            help="the index whose users file is meant (default users file: users.json beside it)")
    return parser


def _users_option(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--users", type=Path, metavar="FILE", help="the users file (default: users.json beside the "
                        "index directory; env ASSISTANT_USERS_FILE)")


def format_answer(answer, color: bool = False) -> str:
    """A human-readable answer: the short answer, the quotation (or the caveat, or "not found"),
    then numbered citations with highlighted spans."""
    lines = []
    if answer.rewritten_question:
        lines.append(f"(Hiểu câu hỏi là: {shown(answer.rewritten_question)})")
    if answer.short_answer:  # the words that answer first, then the sentence they are quoted from
        short = shown(answer.short_answer)
        lines.append(f"\033[1m{short}\033[0m" if color else short)
    lines.append(shown(answer.text, one_line=False))
    if answer.generated:
        lines.append(f"(Viết bởi mô hình {shown(answer.model)}; mọi dẫn nguồn [n] đã được đối chiếu với các đoạn dưới đây.)")
    lines.extend(shown(note) for note in answer.notes)
    best = max((p.score for p in answer.passages), default=0.0)
    for p in answer.passages:
        date = f", {shown(p.date)}" if p.date else ""
        lines.append("")
        lines.append(f"[{p.rank}] {shown(p.title)}{date} — đoạn {p.paragraph}, ký tự {p.start}–{p.end} "
                     f"({relevance(p.score, best)[0]})")
        lines.append("    " + _mark(p, color))
    return "\n".join(lines)


def _mark(passage, color: bool) -> str:
    opening, closing = ("\033[1;33m", "\033[0m") if color else ("«", "»")
    text, position, pieces = passage.text, 0, []
    for start, end in passage.highlights:
        start, end = start - passage.start, end - passage.start
        pieces += [shown(text[position:start], False), opening, shown(text[start:end], False), closing]
        position = end
    pieces.append(shown(text[position:], False))
    return "".join(pieces)


def _open(args):
    """The assistant of a reading command. Reading never writes, except to the default index: its
    first `ask` builds it, and an `ask` brings it in line with its folders when no other process
    is writing it (else, and for an index named with --index-dir, the live generation answers)."""
    from .answer.assistant import Assistant
    from .config import Settings

    _require_index(args.index_dir)
    settings = Settings.from_env(model=args.model, mode=getattr(args, "mode", None),
                                 llm_url=getattr(args, "llm_url", None), llm_model=getattr(args, "llm_model", None))
    update = args.command == "ask" and args.index_dir is None
    return Assistant.open(args.index_dir, settings=settings, update=update, progress=not args.quiet)


def _require_index(index_dir: Path) -> None:
    """Only the default index builds itself from the bundled documents: another directory without an
    index is most likely a mistyped path, and building one there would hide the mistake."""
    from .errors import IndexStateError
    from .stores.generations import Generations

    if index_dir is not None and Generations(index_dir).current() is None:
        raise IndexStateError(f"no index in {index_dir}; build one with "
                              f"`assistant index PATH --index-dir {index_dir}` or check the path")


def _run_index(args) -> int:
    from .answer.assistant import Assistant
    from .config import Settings

    assistant = Assistant(args.index_dir, Settings.from_env(model=args.model, ray_address=args.ray))
    if args.restore:
        generation = assistant.restore(args.restore)
        print(f"Restored {shown(generation.name)}: {len(assistant.documents())} documents")
        return 0
    sources = None
    if not args.paths and not args.remove and assistant.index_directory.current() is None:
        sources = [str(default_documents_dir())]
    report = assistant.index(args.paths, remove=args.remove, sources=sources, rebuild=args.rebuild,
                             follow_symlinks=args.follow_symlinks, progress=not args.quiet)
    for line in report.skipped:
        log.warning("skipped %s", shown(line))
    for line in report.warnings:
        log.warning("warning: %s", shown(line))
    print(report.summary())
    return 0


def _run_ask(args) -> int:
    if args.question is not None:
        from .answer.assistant import clean_question

        clean_question(args.question, max_chars=10**9)  # refuse an empty question before loading anything
    assistant = _open(args)
    if args.question is not None:
        answer = assistant.ask(args.question, k=args.k, mode=args.mode)
        if args.json:
            print(json_line(answer.to_dict()))
        else:
            print(format_answer(answer, color=sys.stdout.isatty()))
        return 0
    from .answer.turns import read_history

    failures = 0
    for number, raw in enumerate(sys.stdin.buffer, start=1):
        try:
            line = raw.decode("utf-8")
        except UnicodeDecodeError as error:
            failures += 1
            print(json_line({"line": number, "error": f"line {number} is not valid UTF-8 (byte {error.start}); "
                                                     "send questions in UTF-8"}), flush=True)
            continue
        if not line.strip():
            continue
        question = None
        try:
            question, history = _request(line.strip())
            read_history(history)  # a history that is not a list of questions or turns: this line's error
            result = assistant.ask(question, history=history, k=args.k, mode=args.mode).to_dict()
        except AssistantError as error:
            failures += 1
            result = {"question": question, "error": str(error)}
        print(json_line(result), flush=True)
    return 1 if failures else 0


def _request(line: str) -> tuple[str, list | None]:
    """The question and history of one line of standard input: plain text, or a JSON object
    `{"question": "...", "history": [...]}` (its history checked by the caller).

    Raises:
        QuestionError: the line is JSON without a question string.
    """
    from .errors import QuestionError

    if not line.startswith("{"):
        return line, None
    try:
        request = json.loads(line)
    except ValueError:
        request = None
    if not isinstance(request, dict) or not isinstance(request.get("question"), str):
        raise QuestionError("each JSON line needs a \"question\" string")
    return request["question"], request.get("history")


def _run_documents(args) -> int:
    assistant = _open(args)
    for document in assistant.documents():
        if args.json:
            print(json_line({"id": document.id, "title": document.title, "date": document.date,
                             "path": document.path, "characters": len(document.text),
                             "encoding": document.encoding}))
        else:  # one line per document, tab-separated, whatever the names hold
            print("\t".join(shown(field) for field in (document.id, document.date or "-", document.title,
                                                       document.path)))
    return 0


def _users_file(args, optional: bool = False):
    """The users file named by --users or ASSISTANT_USERS_FILE, else users.json beside the index;
    with `optional`, None when none was named and that default does not exist."""
    from ui.users import UsersFile

    from .config import default_users_file, users_file_configured

    path = args.users or default_users_file(args.index_dir or default_index_dir())
    if optional and not path.exists() and args.users is None and not users_file_configured():
        return None
    return UsersFile(path)


def _run_chat(args) -> int:
    from ui.auth import Access
    from ui.server import is_loopback, launch

    users = _users_file(args, optional=True)
    if users is not None and not users.users():
        raise AssistantError(f"no users in {users.path}; add one with `assistant users add NAME --role editor "
                             f"--users {users.path}`")
    if users is None and not args.read_only and not is_loopback(args.host):
        raise AssistantError(f"refusing to serve on {args.host} without logins: add users with `assistant users add "
                             "NAME --role editor` and pass --users FILE, or pass --read-only")
    _require_index(args.index_dir)
    from .config import Settings

    settings = Settings.from_env(model=args.model, llm_url=args.llm_url, llm_model=args.llm_model)
    if users is not None:
        log.info("Cần đăng nhập: %d tài khoản trong %s", len(users.users()), users.path)
    try:
        launch(index_dir=args.index_dir, settings=settings, host=args.host, port=args.port,
               uploads_dir=args.uploads_dir, access=Access(users, read_only=args.read_only))
    except OSError as error:
        raise AssistantError(str(error)) from error
    return 0


def _read_password() -> str:
    """The new password: asked twice on a terminal, else the first line of standard input."""
    import getpass

    if sys.stdin.isatty():
        password = getpass.getpass("Password: ")
        if getpass.getpass("Password again: ") != password:
            raise AssistantError("the two passwords differ; run the command again")
        return password
    line = sys.stdin.readline()
    if not line:
        raise AssistantError("no password on standard input; pipe it in, e.g. `printf '%s\\n' \"$PASSWORD\" | "
                             "assistant users add NAME --role editor`")
    return line.rstrip("\r\n")


def _run_users(args) -> int:
    users = _users_file(args)
    if args.action == "add":
        new = users.add(args.name, args.role, _read_password())
        print(f"{'Added' if new else 'Updated'} {shown(args.name)} ({args.role}) in {shown(users.path)}")
    elif args.action == "remove":
        users.remove(args.name)
        print(f"Removed {shown(args.name)} from {shown(users.path)}")
    else:
        for user in users.users():
            print(json_line({"name": user.name, "role": user.role}) if args.json
                  else f"{shown(user.name)}\t{user.role}")
    return 0


def main(argv: list[str] | None = None) -> int:
    """Entry point of the `assistant` command; returns the exit code."""
    args = build_parser().parse_args(argv)
    logging.basicConfig(format="%(message)s", level=logging.WARNING, stream=sys.stderr)
    # Our own progress notes, and other libraries' warnings only (bm25s logs "Building index from
    # tokens" at DEBUG on a logger it sets to DEBUG itself).
    for handler in logging.getLogger().handlers:
        handler.addFilter(lambda record: record.levelno >= logging.WARNING or record.name.startswith("assistant"))
    log.setLevel(logging.WARNING if getattr(args, "quiet", False) else logging.INFO)
    runners = {"index": _run_index, "ask": _run_ask, "documents": _run_documents, "chat": _run_chat,
               "users": _run_users}
    try:
        code = runners[args.command](args)
        sys.stdout.flush()  # here, where a closed pipe is caught, not at the interpreter's exit
        return code
    except BrokenPipeError:
        # Whoever read the output stopped (`| head`): end quietly, as other Unix tools do, with
        # the status of a process ended by SIGPIPE; what is still buffered goes nowhere.
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return BROKEN_PIPE_STATUS
    except AssistantError as error:
        print(f"error: {shown(error)}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        resume = "; the index is as it was, and the passages embedded so far are kept: run the same command " \
                 "again to continue" if args.command == "index" else ""
        print(f"interrupted{resume}", file=sys.stderr)
        return 130


if __name__ == "__main__":
    sys.exit(main())
