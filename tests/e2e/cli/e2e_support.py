"""What the CLI end-to-end suites share: the emulator process they talk to and the clean
environment each CLI run gets (no real ~/.aws, IMDS disabled, one fixed key pair)."""
import json
import os
import subprocess
import urllib.request

AK, SK = "AKIDE2ETEST", "e2e/secret+KEY0123456789abcdefghijkl"


class Emulator:
    """bedrock-emulator on a free port, signing checked with AK/SK; `admin` opens its admin API."""

    def __init__(self, binary, *extra, admin=False):
        args = [binary, "--port", "0", "--credentials", f"{AK}:{SK}", "--seed", "3",
                "--threads", "2"]
        if admin:
            args += ["--admin-port", "0"]
        self.proc = subprocess.Popen([*args, *extra], stdout=subprocess.PIPE,
                                     stderr=subprocess.PIPE, text=True)
        line = self.proc.stdout.readline()
        if "listening on http://" not in line:
            self.proc.kill()
            raise RuntimeError(f"emulator did not start: {line!r}")
        parts = line.split("http://")
        self.url = "http://" + parts[1].split()[0]
        self.admin = "http://" + parts[2].rstrip(")\n") if admin else None

    def counters(self):
        with urllib.request.urlopen(self.admin + "/admin/counters", timeout=10) as r:
            return json.loads(r.read())

    def stop(self):
        self.proc.terminate()
        try:
            self.proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            self.proc.kill()
            self.proc.wait()


def clean_env(home):
    env = {k: v for k, v in os.environ.items() if not k.startswith("AWS_")}
    env.update({"HOME": home, "AWS_ACCESS_KEY_ID": AK, "AWS_SECRET_ACCESS_KEY": SK,
                "AWS_REGION": "us-east-1", "AWS_EC2_METADATA_DISABLED": "true"})
    env.pop("BEDROCK_CONTENT_CONFIG", None)
    env.pop("XDG_CONFIG_HOME", None)
    return env
