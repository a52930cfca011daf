#!/usr/bin/env python3
"""Serve the site as it would run in production, on one machine: nginx in front, app servers, a worker.

    python3 scripts/serve.py --port 8080 [--host 127.0.0.1] [--app-servers 2]
    python3 scripts/serve.py --manage createsuperuser     # manage.py with the same settings

Production settings (DEBUG off) on an SQLite file under var/serve/ by default, or the database
of DATABASE_URL. It migrates, collects the static files, loads the demo year when the database
has no reporting period, and keeps a secret key of its own beside the database unless
SECRET_KEY is set. Then it starts nginx with the shipped configuration (deploy/nginx.conf; on
Debian the nginx package is installed when missing), the gunicorn instances nginx balances
over (each on a port of its own), and the background worker (manage.py worker), and stops
them all on Ctrl+C or SIGTERM. On a loopback address it serves plain HTTP, with secure cookies
and the HTTPS redirect off (as "try production settings at home" in the README).
"""

from __future__ import annotations

import argparse
import os
import secrets
import shutil
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path

from _venv import ROOT, VENV, ensure_venv

LOOPBACK = {"127.0.0.1", "localhost", "::1"}


def parse() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--port", type=int, default=8080, help="nginx's port (default 8080)")
    parser.add_argument("--host", default="127.0.0.1", help="nginx's address (default 127.0.0.1)")
    parser.add_argument(
        "--app-servers", type=int, default=2, help="gunicorn instances behind nginx (default 2)"
    )
    parser.add_argument(
        "--app-ports",
        default="",
        help="their ports, comma-separated (default: free ports chosen at start)",
    )
    parser.add_argument(
        "--workers", type=int, default=2, help="gunicorn worker processes per instance (default 2)"
    )
    parser.add_argument(
        "--var",
        type=Path,
        default=Path(os.environ.get("SERVE_VAR", ROOT / "var" / "serve")),
        help="folder for the database, secret key, media, static files and nginx's files",
    )
    parser.add_argument(
        "--manage",
        nargs=argparse.REMAINDER,
        help="run manage.py with these arguments and the same settings, then exit",
    )
    return parser.parse_args()


def secret_key(var: Path) -> str:
    """This installation's own key, made once and kept beside the database (var/ is not in git)."""
    path = var / "secret-key"
    if not path.exists():
        path.write_text(secrets.token_urlsafe(50))
        path.chmod(0o600)
    return path.read_text().strip()


def environment(args: argparse.Namespace) -> dict:
    var = args.var
    env = dict(os.environ)
    env["DEBUG"] = "false"
    env.setdefault("DATABASE_URL", f"sqlite:///{var / 'db.sqlite3'}")
    if not env.get("SECRET_KEY"):
        env["SECRET_KEY"] = secret_key(var)
    env.setdefault("STATIC_ROOT", str(var / "static"))
    env.setdefault("MEDIA_ROOT", str(var / "media"))
    env.setdefault("PRIVATE_MEDIA_ROOT", str(var / "private"))
    hosts = ["127.0.0.1", "localhost"] if args.host in LOOPBACK else [args.host]
    env.setdefault("ALLOWED_HOSTS", ",".join(hosts))
    env.setdefault("SITE_URL", f"http://{hosts[0]}:{args.port}")
    # nginx in front adds the reader's address to X-Forwarded-For: lock-outs count it.
    env.setdefault("AXES_PROXY_COUNT", "1")
    if args.host in LOOPBACK:
        # Plain HTTP at home: no HTTPS to redirect to, and cookies must come back over HTTP.
        env.setdefault("SECURE_SSL_REDIRECT", "false")
        env.setdefault("SECURE_COOKIES", "false")
    return env


def manage(python: Path, env: dict, *args: str, capture: bool = False) -> str:
    done = subprocess.run(
        [str(python), "manage.py", *args],
        cwd=ROOT,
        env=env,
        text=True,
        stdout=subprocess.PIPE if capture else None,
        check=True,
    )
    return done.stdout or ""


def nginx_binary() -> str:
    found = shutil.which("nginx") or (
        "/usr/sbin/nginx" if Path("/usr/sbin/nginx").exists() else None
    )
    if found:
        return found
    if shutil.which("apt-get") and os.geteuid() == 0:
        print("nginx is missing: installing Debian's nginx package ...", flush=True)
        subprocess.run(["apt-get", "update", "-qq"], check=True)
        subprocess.run(
            ["apt-get", "install", "-y", "-qq", "nginx"],
            check=True,
            env={**os.environ, "DEBIAN_FRONTEND": "noninteractive"},
        )
        return shutil.which("nginx") or "/usr/sbin/nginx"
    sys.exit("nginx is not installed. On Debian or Ubuntu: sudo apt-get install -y nginx")


def free_port(host: str) -> int:
    with socket.socket() as s:
        s.bind((host, 0))
        return s.getsockname()[1]


def nginx_config(args, env: dict, app_ports: list[int], prefix: Path) -> Path:
    editions = Path(env["MEDIA_ROOT"]) / "editions" / "disk"
    editions.mkdir(parents=True, exist_ok=True)
    listen = f"[{args.host}]:{args.port}" if ":" in args.host else f"{args.host}:{args.port}"
    values = {
        "PREFIX": str(prefix),
        "LISTEN": listen,
        "SERVER_NAMES": " ".join(env["ALLOWED_HOSTS"].split(",")),
        "APP_SERVERS": "\n        ".join(f"server 127.0.0.1:{port};" for port in app_ports),
        "STATIC_ROOT": env["STATIC_ROOT"].rstrip("/"),
        "EDITIONS_ROOT": str(editions),
        "SESSION_COOKIE": "sessionid",
        "PUBLIC_CACHE_SECONDS": env.get("PUBLIC_CACHE_SECONDS", "60"),
    }
    text = (ROOT / "deploy" / "nginx.conf").read_text()
    for name, value in values.items():
        text = text.replace("{{" + name + "}}", value)
    if os.geteuid() == 0:
        # Started as root, nginx would hand its workers to "nobody", who may not read var/.
        text = "user root;\n" + text
    conf = prefix / "nginx.conf"
    conf.write_text(text)
    return conf


def gunicorn_command(
    python: Path | str,
    port: int,
    *,
    workers: int,
    control_socket: Path | None = None,
    json_logs: bool = True,
    options: tuple[str, ...] = (),
) -> list[str]:
    """The command line of one gunicorn instance serving the project on 127.0.0.1:port.

    The bench and the tests start theirs with it too, so all of them run what this script runs.
    json_logs: gunicorn's own lines as JSON with the shipped log configuration (which leaves
    its access log out). options: any more of gunicorn's options, as they are written.
    """
    command = [
        str(python),
        "-m",
        "gunicorn",
        "bscb.wsgi",
        "--bind",
        f"127.0.0.1:{port}",
        "--workers",
        str(workers),
        *options,
    ]
    if control_socket is not None:
        command += ["--control-socket", str(control_socket)]
    if json_logs:
        command += ["--log-config-json", str(ROOT / "deploy" / "gunicorn-logging.json")]
    return command


def wait_for(url: str, process: subprocess.Popen, seconds: float = 60) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"{url}: the process stopped (exit {process.returncode})")
        try:
            with urllib.request.urlopen(url, timeout=2) as response:
                response.read()
                return
        except urllib.error.HTTPError:
            return  # it answers
        except OSError:
            time.sleep(0.2)
    raise RuntimeError(f"{url} did not answer within {seconds:.0f} s")


def main() -> None:
    args = parse()
    args.var = args.var.resolve()
    args.var.mkdir(parents=True, exist_ok=True)
    # Run by the project's own environment (a test, the bench): it is installed already, and
    # two runs side by side must not both reinstall it.
    inside = Path(sys.prefix).resolve() == VENV.resolve()
    python = Path(sys.executable) if inside else ensure_venv()
    env = environment(args)
    if args.manage is not None:
        os.chdir(ROOT)
        os.execve(python, [str(python), "manage.py", *args.manage], env)
    nginx = nginx_binary()

    manage(python, env, "migrate", "--no-input", "-v", "0")
    manage(python, env, "collectstatic", "--no-input", "-v", "0")
    periods = manage(
        python,
        env,
        "shell",
        "-c",
        "from bscb.core.models import ReportingPeriod; print(ReportingPeriod.objects.count())",
        capture=True,
    )
    if periods.strip().splitlines()[-1] == "0":
        print("The database is empty: loading the demo year ...", flush=True)
        manage(python, env, "load_demo")
    else:
        # Publishing may have happened with other files (another MEDIA_ROOT, an older version):
        # write the current editions' files for nginx now.
        manage(
            python,
            env,
            "shell",
            "-c",
            "from bscb.reports.editions import write_pages_to_disk; write_pages_to_disk()",
        )

    if args.app_ports:
        app_ports = [int(p) for p in args.app_ports.split(",")]
    else:
        app_ports = [free_port("127.0.0.1") for _ in range(args.app_servers)]
    prefix = args.var / "nginx"
    prefix.mkdir(exist_ok=True)
    conf = nginx_config(args, env, app_ports, prefix)

    children: list[tuple[str, subprocess.Popen]] = []

    def stop(*_signal, code: int = 0) -> None:
        for _name, process in reversed(children):
            if process.poll() is None:
                process.send_signal(signal.SIGTERM)
        for _name, process in children:
            try:
                process.wait(timeout=15)
            except subprocess.TimeoutExpired:
                process.kill()
        sys.exit(code)

    signal.signal(signal.SIGTERM, stop)
    signal.signal(signal.SIGINT, stop)
    try:
        for port in app_ports:
            gunicorn = gunicorn_command(
                python,
                port,
                workers=args.workers,
                # Each instance its own control socket (gunicorn's default is one per user).
                control_socket=args.var / f"gunicorn-{port}.ctl",
                # gunicorn's own lines as JSON too, its access log left out (README, "Operations").
                json_logs=(env.get("LOG_FORMAT") or "json") == "json",
                options=("--timeout", "120"),
            )
            children.append((f"gunicorn :{port}", subprocess.Popen(gunicorn, cwd=ROOT, env=env)))
        worker = [str(python), "manage.py", "worker", "--queue-name", "*", "--no-reload"]
        children.append(("worker", subprocess.Popen(worker, cwd=ROOT, env=env)))
        for (_name, process), port in zip(children, app_ports, strict=False):
            wait_for(f"http://127.0.0.1:{port}/healthz", process)
        subprocess.run([nginx, "-t", "-q", "-c", str(conf), "-p", str(prefix)], check=True)
        front = subprocess.Popen(
            [nginx, "-c", str(conf), "-p", str(prefix), "-g", "daemon off;"], cwd=ROOT
        )
        children.append(("nginx", front))
        host = f"[{args.host}]" if ":" in args.host else args.host
        wait_for(f"http://{host}:{args.port}/healthz", front)
    except BaseException as error:
        print(f"Could not start: {error}", file=sys.stderr, flush=True)
        stop(code=1)
    print(
        f"\nServing at http://{host}:{args.port}/ : nginx ({conf}) in front of gunicorn on "
        f"{', '.join(f'127.0.0.1:{p}' for p in app_ports)}, and the worker. Ctrl+C stops them.\n"
        f"To sign in, make an account: python3 scripts/serve.py --var {args.var} --manage "
        "createsuperuser\n",
        flush=True,
    )
    # Any of them stopping stops the rest: a half-running site is worse than none.
    while True:
        for name, process in children:
            if process.poll() is not None:
                print(f"{name} stopped (exit {process.returncode}): stopping the rest", flush=True)
                stop(code=1)
        time.sleep(0.5)


if __name__ == "__main__":
    main()
