"""Windows as famcov's own code sees it, simulated on Linux (tests/test_windows.py).

Put this folder on PYTHONPATH and set FAMCOV_WINSIM=1: Python imports this module at
start-up (`site` imports `sitecustomize`), before any of famcov. Without the variable
it does nothing.

famcov's modules (`famcov` and `famcov.*`) are executed with builtins of their own,
whose `__import__` hands them a view of a few modules instead of the real ones, in
every `import` they make, at the top or inside a function. Every other module —
prompt_toolkit, rich, click, typer, filelock, platformdirs, msgspec, the standard
library — imports and uses the real Linux ones, so the libraries keep working as they
do on Linux (they branch on `sys.platform` too, and would otherwise load modules that
exist only on Windows). What famcov's modules see:

- `sys`: the real one, but `sys.platform == "win32"`.
- `os`: the real one as CPython 3.11 on Windows has it:
  - without fork, forkpty, O_NONBLOCK, O_NOFOLLOW, O_CLOEXEC (and the other
    POSIX-only O_ flags), pread/pwrite, fchmod/lchmod, chown, getuid/geteuid/
    getgid/getegid, mkfifo, setsid, killpg, statvfs, get_blocking/set_blocking ...
    (see `_OS_ABSENT`): code that reaches for one gets AttributeError, as there;
  - with O_BINARY and O_TEXT; `os.open` without O_BINARY opens in text mode, as the
    C runtime does: `os.read` on such a descriptor turns CRLF into LF and `os.write`
    LF into CRLF;
  - `os.open` of a folder fails with PermissionError (errno 13), as it does there;
  - `os.chmod` keeps only the owner's write bit (Windows' read-only attribute), and
    does nothing to a folder;
  - `os.replace` refuses with PermissionError (errno 13, "Access is denied") while
    the target is read-only, and while another program "holds" it:
    FAMCOV_WINSIM_HOLD=SECONDS holds every file famcov replaces for that many seconds
    from the first time it tries (0.3: a scan that ends; 30: an editor left open);
  - `os.name == "nt"`.
- `signal`, `_signal`: without the POSIX-only signals and calls (SIGKILL, SIGHUP,
  SIGPIPE, SIGCHLD, SIGALRM, alarm, setitimer ...), with SIGBREAK.
- fcntl, termios, tty, pty, pwd, grp, resource, posix, syslog, readline, curses:
  not there (ModuleNotFoundError), as on Windows.

For famcov's calls only (the nearest caller outside os, pathlib, genericpath,
posixpath and shutil is a famcov module), `os.stat`, `os.lstat` and `os.fstat` answer
as CPython on Windows does: every folder 0o40777, every file 0o100666 (0o100444 when
read-only), no sticky bit, st_uid and st_gid 0. So `Path.stat()`, `Path.exists()` and
the like, called by famcov, see the same.

For everyone (no code needs one otherwise): no time-zone database. zoneinfo's search
path is emptied and the tzdata package cannot be imported, so ZoneInfo("Asia/Shanghai")
raises ZoneInfoNotFoundError, as on a Windows without the tzdata package.

Not simulated: paths (os.path stays posixpath: "/" separators, no drive letters, no
case-insensitive names, no reserved names such as CON or NUL), the console (code
pages, the Windows console API, msvcrt, winreg, ctypes.windll: famcov code importing
one fails here), file locking (filelock takes its Unix, fcntl way), files that cannot
be removed or renamed while open other than the replaced target above, Ctrl-C as a
console event, the encodings of stdout and stderr, and how the `famcov` launcher
starts. The Python version is the one running (the venv's), while `os` lacks what
3.11 on Windows lacks (os.fchmod came to Windows in 3.13).
"""

from __future__ import annotations

import os as _real_os

if _real_os.environ.get("FAMCOV_WINSIM") == "1":
    import builtins
    import errno
    import importlib.abc
    import importlib.machinery
    import signal as _real_signal
    import stat
    import sys
    import time
    import types
    import zoneinfo
    from typing import Any

    _OS_ABSENT = frozenset(
        """
        fork forkpty register_at_fork openpty login_tty O_NONBLOCK O_NDELAY
        O_NOFOLLOW O_CLOEXEC O_DIRECTORY O_NOCTTY O_SYNC O_DSYNC O_RSYNC O_ASYNC
        O_DIRECT O_LARGEFILE O_PATH O_TMPFILE O_NOATIME O_FSYNC pread pwrite preadv
        pwritev sendfile splice copy_file_range fchmod lchmod fchown chown lchown
        lchflags chflags chroot fchdir getuid geteuid getgid getegid getgroups
        setgroups initgroups getgrouplist setuid seteuid setgid setegid setreuid
        setregid getresuid getresgid getpgrp setpgrp getpgid setpgid setsid getsid
        killpg tcgetpgrp tcsetpgrp mkfifo mknod major minor makedev sync fdatasync
        statvfs fstatvfs get_blocking set_blocking pipe2 uname getloadavg ctermid
        ttyname nice getpriority setpriority wait3 wait4 WNOHANG posix_spawn
        posix_spawnp sched_yield sched_getaffinity sched_setaffinity memfd_create
        eventfd pidfd_open posix_fadvise posix_fallocate lockf F_LOCK F_TLOCK
        F_ULOCK getxattr setxattr listxattr removexattr
        """.split()  # noqa: SIM905 - a list to read, not to edit
    )
    _SIGNAL_ABSENT = frozenset(
        """
        SIGHUP SIGQUIT SIGKILL SIGPIPE SIGALRM SIGCHLD SIGCLD SIGUSR1 SIGUSR2
        SIGWINCH SIGCONT SIGSTOP SIGTSTP SIGTTIN SIGTTOU SIGBUS SIGTRAP SIGXCPU
        SIGXFSZ SIGVTALRM SIGPROF SIGIO SIGPOLL SIGPWR SIGSYS SIGURG SIGIOT
        SIGSTKFLT SIGRTMIN SIGRTMAX alarm pause setitimer getitimer siginterrupt
        pthread_kill pthread_sigmask sigpending sigwait sigwaitinfo sigtimedwait
        ITIMER_REAL ITIMER_VIRTUAL ITIMER_PROF ItimerError SIG_BLOCK SIG_UNBLOCK
        SIG_SETMASK pidfd_send_signal
        """.split()  # noqa: SIM905 - a list to read, not to edit
    )
    _MODULES_ABSENT = frozenset(
        """
        fcntl termios tty pty pwd grp resource posix syslog readline curses
        """.split()  # noqa: SIM905 - a list to read, not to edit
    )
    O_BINARY, O_TEXT, O_NOINHERIT = 0x8000, 0x4000, 0x80

    class _View(types.ModuleType):
        """A module that is `real` but for `absent` names and its own attributes."""

        def __init__(self, real: types.ModuleType, absent: frozenset[str]) -> None:
            super().__init__(real.__name__, real.__doc__)
            object.__setattr__(self, "_real", real)
            object.__setattr__(self, "_absent", absent)

        def __getattr__(self, name: str) -> Any:
            if name in self._absent:
                raise AttributeError(f"module {self.__name__!r} has no attribute {name!r}")
            return getattr(self._real, name)

        def __setattr__(self, name: str, value: Any) -> None:
            if name in self.__dict__:
                object.__setattr__(self, name, value)
            else:
                setattr(self._real, name, value)

        def __dir__(self) -> list[str]:
            return sorted((set(dir(self._real)) | set(self.__dict__)) - self._absent)

    # -- stat as CPython on Windows reports it, for famcov's calls --------------------

    _PASS_THROUGH = ("os", "pathlib", "genericpath", "posixpath", "shutil")

    def _called_by_famcov() -> bool:
        frame: types.FrameType | None = sys._getframe(2)
        while frame is not None:
            name = frame.f_globals.get("__name__", "")
            if name in _PASS_THROUGH or name.startswith("pathlib."):
                frame = frame.f_back
                continue
            return name == "famcov" or name.startswith("famcov.")
        return False

    def _windows_stat(real: _real_os.stat_result) -> _real_os.stat_result:
        mode = real.st_mode
        if stat.S_ISDIR(mode):
            mode = stat.S_IFDIR | 0o777
        else:
            writable = bool(mode & stat.S_IWUSR)
            mode = stat.S_IFMT(mode) | (0o666 if writable else 0o444)
        reduced: Any = real.__reduce__()  # (stat_result, (the 10 fields, the others))
        cls, (fields, extra) = reduced[:2]
        fields = list(fields)
        fields[0], fields[4], fields[5] = mode, 0, 0
        return cls(fields, extra)  # type: ignore[no-any-return]

    def _stat_wrapper(real: Any) -> Any:
        def wrapper(*args: Any, **kwargs: Any) -> Any:
            result = real(*args, **kwargs)
            return _windows_stat(result) if _called_by_famcov() else result

        wrapper.__name__ = real.__name__
        wrapper.__doc__ = real.__doc__
        return wrapper

    for _name in ("stat", "lstat", "fstat"):
        setattr(_real_os, _name, _stat_wrapper(getattr(_real_os, _name)))

    # -- famcov's os -------------------------------------------------------------------

    _text_fds: set[int] = set()
    _held_since: list[float] = []

    def _open(path: Any, flags: int, mode: int = 0o777, *, dir_fd: Any = None) -> int:
        binary = bool(flags & O_BINARY)
        fd = _real_os.open(path, flags & ~(O_BINARY | O_TEXT | O_NOINHERIT), mode)
        if stat.S_ISDIR(_real_os.fstat(fd).st_mode):
            _real_os.close(fd)
            raise PermissionError(errno.EACCES, "Permission denied", str(path))
        if not binary:
            _text_fds.add(fd)
        return fd

    def _read(fd: int, n: int) -> bytes:
        data = _real_os.read(fd, n)
        return data.replace(b"\r\n", b"\n") if fd in _text_fds else data

    def _write(fd: int, data: Any) -> int:
        data = bytes(data)
        if fd not in _text_fds:
            return _real_os.write(fd, data)
        out = memoryview(data.replace(b"\n", b"\r\n"))
        while out:
            out = out[_real_os.write(fd, out) :]
        return len(data)

    def _close(fd: int) -> None:
        _text_fds.discard(fd)
        _real_os.close(fd)

    def _replace(src: Any, dst: Any, **kwargs: Any) -> None:
        try:
            read_only = not _real_os.stat(dst).st_mode & stat.S_IWUSR
        except OSError:
            read_only = False
        hold = float(_real_os.environ.get("FAMCOV_WINSIM_HOLD") or 0)
        if hold and not _held_since:
            _held_since.append(time.monotonic())
        if read_only or (hold and time.monotonic() - _held_since[0] < hold):
            raise PermissionError(errno.EACCES, "Access is denied", str(src), None, str(dst))
        _real_os.replace(src, dst, **kwargs)

    def _chmod(path: Any, mode: int, **kwargs: Any) -> None:
        real = _real_os.stat(path, **kwargs)
        if stat.S_ISDIR(real.st_mode):
            return  # the read-only attribute means nothing to a folder
        keep = 0o600 if mode & stat.S_IWRITE else 0o400
        _real_os.chmod(path, keep, **kwargs)

    win_os = _View(_real_os, _OS_ABSENT)
    for _name, _value in {
        "name": "nt",
        "O_BINARY": O_BINARY,
        "O_TEXT": O_TEXT,
        "O_NOINHERIT": O_NOINHERIT,
        "open": _open,
        "read": _read,
        "write": _write,
        "close": _close,
        "replace": _replace,
        "chmod": _chmod,
    }.items():
        win_os.__dict__[_name] = _value

    win_sys = _View(sys, frozenset())
    win_sys.__dict__["platform"] = "win32"

    win_signal = _View(_real_signal, _SIGNAL_ABSENT)
    win_signal.__dict__.update(SIGBREAK=21, CTRL_C_EVENT=0, CTRL_BREAK_EVENT=1)
    import _signal as _real_c_signal  # type: ignore[import-not-found]

    win_c_signal = _View(_real_c_signal, _SIGNAL_ABSENT)
    win_c_signal.__dict__.update(SIGBREAK=21, CTRL_C_EVENT=0, CTRL_BREAK_EVENT=1)

    _VIEWS: dict[str, types.ModuleType] = {
        "os": win_os,
        "sys": win_sys,
        "signal": win_signal,
        "_signal": win_c_signal,
    }
    _real_import = builtins.__import__

    def _famcov_import(
        name: str,
        globals: Any = None,
        locals: Any = None,
        fromlist: Any = (),
        level: int = 0,
    ) -> Any:
        if level == 0:
            top = name.partition(".")[0]
            if top in _MODULES_ABSENT:
                raise ModuleNotFoundError(f"No module named {name!r}", name=name)
            if name in _VIEWS or (top == "os" and not fromlist):
                _real_import(name, globals, locals, fromlist, level)
                return _VIEWS[top]
        return _real_import(name, globals, locals, fromlist, level)

    famcov_builtins = dict(vars(builtins))
    famcov_builtins["__import__"] = _famcov_import

    class _Loader(importlib.abc.Loader):
        """The real loader, but the module runs with famcov's builtins."""

        def __init__(self, real: Any) -> None:
            self._real = real

        def create_module(self, spec: Any) -> Any:
            return self._real.create_module(spec)

        def exec_module(self, module: types.ModuleType) -> None:
            module.__dict__["__builtins__"] = famcov_builtins
            self._real.exec_module(module)

        def __getattr__(self, name: str) -> Any:
            return getattr(self._real, name)

    class _Finder(importlib.abc.MetaPathFinder):
        def find_spec(self, fullname: str, path: Any, target: Any = None) -> Any:
            if fullname != "famcov" and not fullname.startswith("famcov."):
                return None
            for finder in sys.meta_path:
                if finder is self or not hasattr(finder, "find_spec"):
                    continue
                spec = finder.find_spec(fullname, path, target)
                if spec is not None:
                    if spec.loader is not None:
                        spec.loader = _Loader(spec.loader)
                    return spec
            return None

    sys.meta_path.insert(0, _Finder())

    # -- no time-zone database ----------------------------------------------------------
    zoneinfo.reset_tzpath(to=[])
    sys.modules["tzdata"] = None  # type: ignore[assignment]
