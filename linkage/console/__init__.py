"""The stewards' web console (server-rendered, Vietnamese first): `create_console`, then serve it."""

from linkage.console.app import console_for_app, create_console
from linkage.console.server import RunningConsole, run_console, start_console

__all__ = ["RunningConsole", "console_for_app", "create_console", "run_console", "start_console"]
