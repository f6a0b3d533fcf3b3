"""A facilitator's meeting app in its own process, driven by keys from stdin.

Used by tests that need a second process (one to kill, then one that
resumes): ``python tests/meeting_driver.py DATA_DIR GROUP_ID`` opens the app
headless exactly as ``peersession start`` would (the one app factory) and,
for each line read, presses its keys (space-separated) and answers ``ok``
once the app has settled. The app's screen names are printed as ``screen
NAME`` on demand (a line ``screen``).
"""

from __future__ import annotations

import asyncio
import sys
from pathlib import Path

from peersession.settings import Settings
from peersession.tui.app import create_app


async def main(data_dir: Path, group_id: str) -> None:
    app = create_app(data_dir=data_dir, settings=Settings(), start_group=group_id)
    loop = asyncio.get_running_loop()
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.pause()
        print("ready", flush=True)
        while True:
            line = await loop.run_in_executor(None, sys.stdin.readline)
            if not line or line.strip() == "quit":
                break
            if line.strip() == "screen":
                print(f"screen {type(app.screen).__name__}", flush=True)
                continue
            for key in line.split():
                await pilot.press(key)
            await pilot.pause()
            print("ok", flush=True)


if __name__ == "__main__":
    asyncio.run(main(Path(sys.argv[1]), sys.argv[2]))
