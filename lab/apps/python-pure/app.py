"""A JSON API on the standard library's http.server."""
import json
import platform
from http.server import BaseHTTPRequestHandler, HTTPServer


class Handler(BaseHTTPRequestHandler):
    def do_GET(self):
        body = json.dumps({"app": "python-pure", "python": platform.python_version()[:4]}).encode()
        self.send_response(200)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)


if __name__ == "__main__":
    print("listening on :8000", flush=True)
    HTTPServer(("0.0.0.0", 8000), Handler).serve_forever()
