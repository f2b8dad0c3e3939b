"""What the jobs end-to-end suites share: a bedrock-content-server with its own state directory
(so its job store is a SQLite file the test owns), killed with SIGKILL or stopped, and a tiny
JSON client over urllib."""
import json
import os
import re
import signal
import subprocess
import sys
import urllib.error
import urllib.request

sys.path.insert(0, os.path.join(os.path.dirname(__file__), "..", "cli"))
from e2e_support import Emulator, clean_env  # noqa: E402,F401


class Server:
    """bedrock-content-server on a free loopback port, reaching `emulator_url`."""

    def __init__(self, binary, emulator_url, home, *extra, config=None, env_extra=None):
        env = clean_env(home)
        env["AWS_ENDPOINT_URL_BEDROCK_RUNTIME"] = emulator_url
        env.update(env_extra or {})
        args = [binary, "--port", "0", "--no-access-log", "--state-dir",
                os.path.join(home, "state")]
        if config:
            path = os.path.join(home, "server.toml")
            with open(path, "w") as f:
                f.write(config)
            args += ["--config", path]
        self.proc = subprocess.Popen([*args, *extra], stdout=subprocess.PIPE,
                                     stderr=subprocess.PIPE, text=True, env=env)
        line = self.proc.stdout.readline()
        found = re.search(r"http://([0-9.]+):(\d+)", line)
        if not found:
            self.proc.kill()
            err = self.proc.stderr.read()
            raise RuntimeError(f"server did not start: {line!r} {err!r}")
        self.url = f"http://{found.group(1)}:{found.group(2)}"

    def kill9(self):
        self.proc.send_signal(signal.SIGKILL)
        self.proc.wait(timeout=30)
        self._close()

    def stop(self):
        if self.proc.poll() is None:
            self.proc.terminate()
            try:
                self.proc.wait(timeout=60)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait()
        self._close()

    def _close(self):
        self.proc.stdout.close()
        self.proc.stderr.close()


def call(base, method, path, body=None, timeout=30):
    """(status, parsed JSON body) of one request."""
    data = None if body is None else json.dumps(body).encode()
    req = urllib.request.Request(base + path, data=data, method=method)
    if data is not None:
        req.add_header("Content-Type", "application/json")
    try:
        with urllib.request.urlopen(req, timeout=timeout) as r:
            return r.status, json.loads(r.read())
    except urllib.error.HTTPError as e:
        return e.code, json.loads(e.read() or b"{}")
