"""Serve a built site on 127.0.0.1, optionally below a sub-path, as GitHub Pages would.

    python -m tools.serve_static site/ [--prefix /pytorch-model-formats/] [--port 8000]

The browser tests and the Lighthouse check use `serve()` on a free port. Like GitHub Pages: text is gzip-compressed,
a folder URL serves its index.html, a folder URL without its slash is redirected, anything else that does not exist
gets 404.html (the language's own when there is one, so a missing Chinese page gets the Chinese 404 page).
Nothing outside the prefix is served.
"""
from __future__ import annotations

import argparse
import contextlib
import gzip
import mimetypes
import posixpath
import sys
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import unquote, urlsplit

mimetypes.add_type("application/x-ipynb+json", ".ipynb")
mimetypes.add_type("application/javascript", ".js")
mimetypes.add_type("application/json", ".json")
mimetypes.add_type("image/svg+xml", ".svg")


def _handler(root: Path, prefix: str):
    class Handler(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"

        def log_message(self, *args):  # quiet: the tests report what matters
            pass

        def _send(self, status: int, body: bytes, ctype: str, extra: dict | None = None, head=False):
            self.send_response(status)
            self.send_header("Content-Type", ctype)
            self.send_header("Content-Length", str(len(body)))
            self.send_header("Cache-Control", "max-age=600")  # as GitHub Pages does
            for key, value in (extra or {}).items():
                self.send_header(key, value)
            self.end_headers()
            if not head:
                self.wfile.write(body)

        def _not_found(self, rel: str, head: bool):
            first = rel.split("/", 1)[0]
            for candidate in ([root / first / "404.html"] if first else []) + [root / "404.html"]:
                if candidate.is_file():
                    return self._send(404, candidate.read_bytes(), "text/html; charset=utf-8", head=head)
            return self._send(404, b"not found", "text/plain", head=head)

        def do_GET(self, head=False):
            path = unquote(urlsplit(self.path).path)
            if path + "/" == prefix:
                return self._send(301, b"", "text/plain", {"Location": prefix}, head)
            if not path.startswith(prefix):
                return self._send(404, b"not below " + prefix.encode(), "text/plain", head=head)
            rel = posixpath.normpath(path[len(prefix):]).lstrip("/")
            rel = "" if rel == "." else rel
            if rel.startswith(".."):
                return self._send(403, b"", "text/plain", head=head)
            target = root / rel
            if target.is_dir():
                if not path.endswith("/"):
                    return self._send(301, b"", "text/plain", {"Location": path + "/"}, head)
                target = target / "index.html"
            if not target.is_file():
                return self._not_found(rel, head)
            ctype = mimetypes.guess_type(target.name)[0] or "application/octet-stream"
            body, extra = target.read_bytes(), {}
            if ctype.startswith("text/") or ctype.endswith(("javascript", "json", "xml")):
                ctype += "; charset=utf-8"
                # GitHub Pages compresses text; measure (Lighthouse) what readers really download
                if "gzip" in self.headers.get("Accept-Encoding", ""):
                    body, extra = gzip.compress(body, compresslevel=6), {"Content-Encoding": "gzip",
                                                                           "Vary": "Accept-Encoding"}
            self._send(200, body, ctype, extra, head=head)

        def do_HEAD(self):
            self.do_GET(head=True)

    return Handler


class _Server(ThreadingHTTPServer):
    daemon_threads = True

    def handle_error(self, request, client_address):
        if not isinstance(sys.exc_info()[1], (ConnectionResetError, BrokenPipeError)):  # a browser that hung up
            super().handle_error(request, client_address)


@contextlib.contextmanager
def serve(root: Path, prefix: str = "/", port: int = 0):
    """Serve `root` at http://127.0.0.1:<port><prefix> in a background thread; yields the base URL."""
    prefix = "/" + prefix.strip("/") + "/" if prefix.strip("/") else "/"
    server = _Server(("127.0.0.1", port), _handler(Path(root).resolve(), prefix))
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}{prefix}"
    finally:
        server.shutdown()
        server.server_close()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("root", nargs="?", default="site")
    parser.add_argument("--prefix", default="/")
    parser.add_argument("--port", type=int, default=8000)
    args = parser.parse_args()
    with serve(Path(args.root), args.prefix, args.port) as url:
        print(f"Serving {args.root} at {url} (Ctrl-C stops)")
        with contextlib.suppress(KeyboardInterrupt):
            threading.Event().wait()


if __name__ == "__main__":
    main()
