"""The end of a login session: log-out signals close the window as the user would."""

from __future__ import annotations

import os
import signal
import socket

from PySide6.QtCore import QSocketNotifier
from PySide6.QtWidgets import QApplication, QWidget


def close_on_signals(app: QApplication, window: QWidget) -> None:
    """Logging out (SIGTERM, SIGHUP) and Ctrl+C end the app as closing its window does: the note
    being typed is saved, a last backup taken, a guest session wiped. Python runs its signal
    handlers only between bytecodes, so the signal also wakes Qt's event loop through a socket."""
    if os.name != "posix":  # Windows ends a session through Qt's own session messages (aboutToQuit)
        return
    receiver, sender = socket.socketpair()
    receiver.setblocking(False)
    sender.setblocking(False)
    try:
        signal.set_wakeup_fd(sender.fileno())
    except ValueError:  # not the main thread (tests drive the window from elsewhere): leave signals as they are
        receiver.close()
        sender.close()
        return
    notifier = QSocketNotifier(receiver.fileno(), QSocketNotifier.Type.Read, app)

    def drain(*_args: object) -> None:  # the Python handler below has run by the time Qt wakes up here
        try:
            receiver.recv(64)
        except OSError:
            pass  # closed at quit, with a wake-up still queued

    notifier.activated.connect(drain)

    def end_session(*_args: object) -> None:
        window.close()
        app.quit()  # even when the window could not close (a question on screen): the session is ending

    previous = {}
    for name in ("SIGTERM", "SIGHUP", "SIGINT"):
        number = getattr(signal, name, None)
        if number is not None and signal.getsignal(number) is not signal.SIG_IGN:  # nohup asked to keep running
            previous[number] = signal.signal(number, end_session)

    def stop_listening() -> None:
        notifier.setEnabled(False)
        for number, handler in previous.items():
            signal.signal(number, handler)
        signal.set_wakeup_fd(-1)
        receiver.close()
        sender.close()

    app.aboutToQuit.connect(stop_listening)
