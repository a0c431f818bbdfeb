"""aiohttp's server log without tracebacks for requests that are not HTTP.

aiohttp answers an unparseable request (a request line over 8190 bytes, a bad header, binary junk)
with 400 and logs it through ``logger.exception``: a full traceback at ERROR for every such
request, which a fuzzer or a scanner turns into a log flood and which reads as a server bug. This
logger writes those as one WARNING line; every other exception keeps its traceback.
"""

from __future__ import annotations

import logging
from typing import Any

from aiohttp.http_exceptions import HttpProcessingError


class ProtocolErrorLogger(logging.Logger):
    """Give it to ``web.AppRunner(logger=...)``; it logs through ``aiohttp.server``'s handlers."""

    def exception(self, msg: object, *args: object, exc_info: Any = True, **kwargs: Any) -> None:
        if isinstance(exc_info, HttpProcessingError):
            self.warning("%s: %s %s", str(msg) % args if args else msg, exc_info.code, str(exc_info.message)[:200],
                         **kwargs)
            return
        super().exception(msg, *args, exc_info=exc_info, **kwargs)


def server_logger() -> logging.Logger:
    logger = ProtocolErrorLogger("aiohttp.server")
    logger.parent = logging.getLogger("aiohttp")  # the handlers and level of the real aiohttp.server's parent
    return logger
