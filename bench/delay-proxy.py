#!/usr/bin/python3
"""A TCP proxy on 127.0.0.1 that makes every round trip DELAY_MS longer.

delay-proxy.py LISTEN_PORT TARGET_PORT DELAY_MS

Bytes from the server to the client are held back DELAY_MS before they
are passed on, in order; the client's bytes go through at once. A client
that waits for each reply therefore pays DELAY_MS more per round trip, as
it would to a server across a network. Prints "ready" when listening.
"""
import asyncio
import sys

listen_port, target_port, delay = int(sys.argv[1]), int(sys.argv[2]), int(sys.argv[3]) / 1000


async def pump(reader, writer, hold):
    loop = asyncio.get_running_loop()
    queue = asyncio.Queue()

    async def later():
        while True:
            due, data = await queue.get()
            if data is None:
                break
            wait = due - loop.time()
            if wait > 0:
                await asyncio.sleep(wait)
            writer.write(data)
            await writer.drain()
        writer.close()

    sender = asyncio.ensure_future(later())
    while True:
        data = await reader.read(65536)
        await queue.put((loop.time() + hold, data or None))
        if not data:
            break
    await sender


async def handle(client_reader, client_writer):
    server_reader, server_writer = await asyncio.open_connection("127.0.0.1", target_port)
    await asyncio.gather(pump(client_reader, server_writer, 0),
                         pump(server_reader, client_writer, delay),
                         return_exceptions=True)


async def main():
    server = await asyncio.start_server(handle, "127.0.0.1", listen_port)
    print("ready", flush=True)
    async with server:
        await server.serve_forever()

asyncio.run(main())
