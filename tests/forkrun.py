"""Run famcov commands one after another, each in a process of its own forked from this
one: `python tests/forkrun.py` with the environment and working folder the commands are
to have, a JSON list of argument lists on stdin; on stdout, a JSON list of
{"code", "stdout", "stderr"} (the streams base64).

Each command is what `python -m famcov ARGS` would be in that environment: Python is
started, and famcov's command line loaded, once, in the same environment (the same
encodings, locale, FAMCOV_ASCII), then each command runs famcov's entry in a child
with fresh pipes for stdout and stderr and /dev/null for stdin. What it saves is the
start of Python and the import of typer and rich, about 0.1 s of CPU a command; the
suite's tests of the start itself (Ctrl-C during it, a killed start, the first screen)
use real `famcov` processes. POSIX only (fork).
"""

from __future__ import annotations

import base64
import contextlib
import json
import os
import selectors
import sys

import famcov.entry  # holds Ctrl-C from here on, as at every start of famcov
from famcov import cli  # noqa: F401 - the command line, loaded once for every command

MAIN = os.path.join(os.path.dirname(famcov.entry.__file__), "__main__.py")


def run(args: list[str]) -> dict[str, object]:
    out_r, out_w = os.pipe()
    err_r, err_w = os.pipe()
    sys.stdout.flush()
    sys.stderr.flush()
    pid = os.fork()
    if pid == 0:  # the command's process
        code = 1
        try:
            os.close(out_r)
            os.close(err_r)
            null = os.open(os.devnull, os.O_RDONLY)
            os.dup2(null, 0)
            os.dup2(out_w, 1)
            os.dup2(err_w, 2)
            # as Python reads a command line: the bytes the caller passed (UTF-8),
            # decoded in this locale (ASCII under LC_ALL=C without UTF-8 mode)
            sys.argv = [MAIN, *(os.fsdecode(a.encode("utf-8", "surrogateescape")) for a in args)]
            famcov.entry.main()  # ends the process itself
            code = 0
        except SystemExit as exc:
            code = exc.code if isinstance(exc.code, int) else 1
        finally:
            for stream in (sys.stdout, sys.stderr):
                with contextlib.suppress(Exception):  # the process ends either way
                    stream.flush()
            os._exit(code)
    os.close(out_w)
    os.close(err_w)
    got = {out_r: bytearray(), err_r: bytearray()}
    with selectors.DefaultSelector() as selector:
        for fd in got:
            selector.register(fd, selectors.EVENT_READ)
        while selector.get_map():
            for key, _ in selector.select():
                chunk = os.read(key.fd, 65536)
                if chunk:
                    got[key.fd] += chunk
                else:
                    selector.unregister(key.fd)
                    os.close(key.fd)
    _, status = os.waitpid(pid, 0)
    return {
        "code": os.waitstatus_to_exitcode(status),
        "stdout": base64.b64encode(got[out_r]).decode(),
        "stderr": base64.b64encode(got[err_r]).decode(),
    }


def main() -> None:
    commands = json.loads(sys.stdin.buffer.read())
    results = [run(args) for args in commands]
    sys.stdout.buffer.write(json.dumps(results).encode())
    sys.stdout.buffer.flush()


if __name__ == "__main__":
    main()
