"""Run by /usr/bin/python3 (Debian's python3-uno; the project's venv cannot import uno), not by
pytest: opens a DOCX in headless LibreOffice, counts its tracked changes, then saves its text
twice: with every change accepted and with every change rejected.

    python3 tests/uno_tracked_changes.py SOFFICE DOCX OUTDIR

writes OUTDIR/accepted.txt and OUTDIR/rejected.txt and prints {"changes": N} as JSON.
"""

from __future__ import annotations

import contextlib
import json
import os
import subprocess
import sys
import time
from pathlib import Path

import uno  # type: ignore[import-not-found]
from com.sun.star.beans import PropertyValue  # type: ignore[import-not-found]

CONNECT_SECONDS = 60


def prop(name: str, value: object) -> PropertyValue:
    found = PropertyValue()
    found.Name = name
    found.Value = value
    return found


def connect(pipe: str):  # type: ignore[no-untyped-def]
    local = uno.getComponentContext()
    resolver = local.ServiceManager.createInstanceWithContext(
        "com.sun.star.bridge.UnoUrlResolver", local
    )
    deadline = time.monotonic() + CONNECT_SECONDS
    while True:
        try:
            return resolver.resolve(f"uno:pipe,name={pipe};urp;StarOffice.ComponentContext")
        except Exception:
            if time.monotonic() > deadline:
                raise
            time.sleep(0.2)


def main() -> None:
    soffice, document, outdir = sys.argv[1], Path(sys.argv[2]), Path(sys.argv[3])
    pipe = f"brief_uno_{os.getpid()}"
    profile = outdir / "profile"  # a private profile: no clash with another LibreOffice
    office = subprocess.Popen(
        [
            soffice,
            f"-env:UserInstallation={profile.as_uri()}",
            "--headless",
            "--invisible",
            "--norestore",
            f"--accept=pipe,name={pipe};urp;",
        ]
    )
    try:
        context = connect(pipe)
        manager = context.ServiceManager
        desktop = manager.createInstanceWithContext("com.sun.star.frame.Desktop", context)
        dispatcher = manager.createInstanceWithContext("com.sun.star.frame.DispatchHelper", context)
        changes = 0
        for command, name in (
            ("AcceptAllTrackedChanges", "accepted"),
            ("RejectAllTrackedChanges", "rejected"),
        ):
            doc = desktop.loadComponentFromURL(
                document.as_uri(), "_blank", 0, (prop("Hidden", True),)
            )
            changes = doc.getRedlines().getCount()
            frame = doc.getCurrentController().getFrame()
            dispatcher.executeDispatch(frame, f".uno:{command}", "", 0, ())
            target = (outdir / f"{name}.txt").as_uri()
            doc.storeToURL(
                target, (prop("FilterName", "Text (encoded)"), prop("FilterOptions", "UTF8,LF"))
            )
            doc.close(True)
        print(json.dumps({"changes": changes}))
        with contextlib.suppress(Exception):  # the bridge goes away as the office ends
            desktop.terminate()
    finally:
        try:
            office.wait(timeout=30)
        except subprocess.TimeoutExpired:
            office.kill()


if __name__ == "__main__":
    main()
