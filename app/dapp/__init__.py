"""The dapp provider: an EIP-1193 JSON-RPC endpoint on 127.0.0.1 that turns a site's request
into the same review-then-confirm path as a send (Frame's model: a local provider and a thin
browser extension). ``provider`` answers the methods; ``server`` is the aiohttp transport;
``approval`` is the port the UI (a dialog) or the daemon (a policy) implements."""
