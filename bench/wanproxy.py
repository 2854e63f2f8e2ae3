#!/usr/bin/env python3
"""A TCP proxy on loopback that behaves like a long link: every byte is delayed by DELAY_MS
and each direction is capped at RATE_MBIT (shared by all connections), as a WAN would.

usage: wanproxy.py LISTEN_PORT TARGET_PORT [DELAY_MS=20] [RATE_MBIT=200]

Used by bench/copy.sh; no kernel traffic shaping is needed."""

import asyncio
import sys
import time

CHUNK = 64 * 1024


class Link:
    """One direction of the link: bytes are serialised at `rate` bytes/s, then delayed."""

    def __init__(self, rate, delay):
        self.rate = rate
        self.delay = delay
        self.free_at = 0.0

    def schedule(self, size):
        now = time.monotonic()
        start = max(now, self.free_at)
        self.free_at = start + size / self.rate
        return self.free_at + self.delay


async def pump(reader, writer, link):
    queue = asyncio.Queue(maxsize=256)

    async def deliver():
        while True:
            item = await queue.get()
            if item is None:
                break
            at, data = item
            wait = at - time.monotonic()
            if wait > 0:
                await asyncio.sleep(wait)
            writer.write(data)
            await writer.drain()
        try:
            writer.write_eof()
        except (OSError, RuntimeError):
            pass

    task = asyncio.create_task(deliver())
    try:
        while True:
            data = await reader.read(CHUNK)
            if not data:
                break
            await queue.put((link.schedule(len(data)), data))
    except (ConnectionError, OSError):
        pass
    await queue.put(None)
    try:
        await task
    except (ConnectionError, OSError):
        pass


async def main():
    listen, target = int(sys.argv[1]), int(sys.argv[2])
    delay = (int(sys.argv[3]) if len(sys.argv) > 3 else 20) / 1000
    rate = (int(sys.argv[4]) if len(sys.argv) > 4 else 200) * 1_000_000 / 8
    up, down = Link(rate, delay), Link(rate, delay)

    async def handle(client_reader, client_writer):
        try:
            server_reader, server_writer = await asyncio.open_connection("127.0.0.1", target)
        except OSError:
            client_writer.close()
            return
        await asyncio.gather(
            pump(client_reader, server_writer, up),
            pump(server_reader, client_writer, down),
        )
        client_writer.close()
        server_writer.close()

    server = await asyncio.start_server(handle, "127.0.0.1", listen)
    async with server:
        await server.serve_forever()


if __name__ == "__main__":
    asyncio.run(main())
