"""A scripted OpenAI-compatible chat-completions server, for tests and benchmarks of generated answers."""

from __future__ import annotations


class ScriptedChatServer:
    """An OpenAI-compatible chat-completions server on 127.0.0.1 that answers as scripted, for
    tests and benchmarks of generated answers (`llm.py`): plain or streamed (server-sent events)
    replies, HTTP errors, slow replies, malformed JSON.

        with ScriptedChatServer() as server:
            server.reply = "Bà Nguyễn Thị Bé Ngoan [1]."
            ...  # Settings(llm_url=server.url, llm_model="scripted")
    """

    def __init__(self):
        self.reply = "Không có thông tin trong các đoạn trích."
        self.status = 200
        self.delay = 0.0  # seconds before the reply starts
        self.malformed = False
        self.requests: list[dict] = []
        self._server = None

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self._server.server_address[1]}/v1"

    def __enter__(self) -> "ScriptedChatServer":
        import threading
        from http.server import ThreadingHTTPServer

        self._server = ThreadingHTTPServer(("127.0.0.1", 0), self._handler())
        self._server.daemon_threads = True
        threading.Thread(target=self._server.serve_forever, daemon=True).start()
        return self

    def __exit__(self, *_exc) -> None:
        self._server.shutdown()
        self._server.server_close()

    def _handler(self):
        import json
        import time
        from http.server import BaseHTTPRequestHandler

        script = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.0"  # one request per connection, closed after the reply

            def log_message(self, *_args):
                pass

            def do_POST(self):  # noqa: N802 (the http.server API)
                request = json.loads(self.rfile.read(int(self.headers.get("Content-Length", 0))) or b"{}")
                script.requests.append({"path": self.path, **request})
                time.sleep(script.delay)
                if script.status != 200 or self.path != "/v1/chat/completions":
                    self._send(script.status if script.status != 200 else 404, b'{"error": "scripted"}')
                elif script.malformed:
                    self._send(200, b'{"choices": [{"message": ')
                elif request.get("stream"):
                    self.send_response(200)
                    self.send_header("Content-Type", "text/event-stream")
                    self.end_headers()
                    for start in range(0, len(script.reply), 8):
                        chunk = {"choices": [{"delta": {"content": script.reply[start:start + 8]}}]}
                        self.wfile.write(f"data: {json.dumps(chunk, ensure_ascii=False)}\n\n".encode())
                        self.wfile.flush()
                    self.wfile.write(b"data: [DONE]\n\n")
                else:
                    body = {"choices": [{"message": {"role": "assistant", "content": script.reply}}]}
                    self._send(200, json.dumps(body, ensure_ascii=False).encode())

            def _send(self, status: int, body: bytes):
                self.send_response(status)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)

        return Handler
