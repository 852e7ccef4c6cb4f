"""aiohttp contender of the gather benchmark.

Usage: python3 aio.py URLS_FILE [CONCURRENCY]

Fetches every URL of URLS_FILE over one aiohttp session (at most
CONCURRENCY connections, an asyncio.Semaphore of the same size),
json.loads each body, and prints one JSON array of the documents in input
order, as gather does.  Exits 1 if any response is not 200.
"""
import asyncio
import json
import sys

import aiohttp


async def fetch(session, sem, url):
    async with sem:
        async with session.get(url) as resp:
            if resp.status != 200:
                raise RuntimeError(f"{url}: HTTP {resp.status}")
            return json.loads(await resp.read())


async def fetch_all(urls, concurrency):
    sem = asyncio.Semaphore(concurrency)
    connector = aiohttp.TCPConnector(limit=concurrency)
    async with aiohttp.ClientSession(connector=connector) as session:
        return await asyncio.gather(*(fetch(session, sem, u) for u in urls))


def main():
    path = sys.argv[1]
    concurrency = int(sys.argv[2]) if len(sys.argv) > 2 else 64
    with open(path) as f:
        urls = [line.strip() for line in f if line.strip()]
    try:
        docs = asyncio.run(fetch_all(urls, concurrency))
    except Exception as e:  # noqa: BLE001 - report any failure as exit 1
        print(f"aio.py: {e}", file=sys.stderr)
        return 1
    json.dump(docs, sys.stdout)
    sys.stdout.write("\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
