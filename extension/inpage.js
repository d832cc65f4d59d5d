// Runs in the page: window.ethereum (EIP-1193) and an EIP-6963 announcement. It holds no
// secret and decides nothing; every request goes to Warden through the extension.
(() => {
  "use strict";
  const TARGET_CONTENT = "warden-content";
  const TARGET_PAGE = "warden-inpage";
  const pending = new Map();
  const listeners = new Map();
  let nextId = 1;
  let chainId = null;
  let accounts = [];

  function emit(event, value) {
    for (const fn of listeners.get(event) || []) {
      try { fn(value); } catch (e) { /* a page's listener must not break the provider */ }
    }
  }

  function rpcError(code, message) {
    const err = new Error(message);
    err.code = code;
    return err;
  }

  window.addEventListener("message", (ev) => {
    if (ev.source !== window || !ev.data || ev.data.target !== TARGET_PAGE) return;
    if (ev.data.event === "accountsChanged") return noteAccounts(ev.data.data);
    if (ev.data.event === "chainChanged") return noteChain(ev.data.data);
    const waiter = pending.get(ev.data.id);
    if (!waiter) return;
    pending.delete(ev.data.id);
    const answer = ev.data.answer || {};
    if (answer.error) {
      waiter.reject(rpcError(answer.error.code, answer.error.message));
    } else {
      waiter.resolve(answer.result);
    }
  });

  function send(method, params) {
    return new Promise((resolve, reject) => {
      const id = nextId++;
      pending.set(id, { resolve, reject });
      window.postMessage({ target: TARGET_CONTENT, id, method, params }, window.location.origin);
    });
  }

  function noteAccounts(result) {
    const next = Array.isArray(result) ? result.map(String) : [];
    if (next.join() !== accounts.join()) {
      accounts = next;
      emit("accountsChanged", accounts.slice());
    }
  }

  function noteChain(result) {
    if (typeof result === "string" && result !== chainId) {
      const first = chainId === null;
      chainId = result;
      if (first) emit("connect", { chainId });
      else emit("chainChanged", chainId);
    }
  }

  const provider = {
    isWarden: true,
    async request(args) {
      if (!args || typeof args.method !== "string") {
        throw rpcError(-32600, "request() takes {method, params}.");
      }
      const params = args.params === undefined ? [] : args.params;
      const result = await send(args.method, params);
      if (args.method === "eth_requestAccounts" || args.method === "eth_accounts") noteAccounts(result);
      if (args.method === "eth_chainId") noteChain(result);
      if (args.method === "wallet_switchEthereumChain" || args.method === "wallet_addEthereumChain") {
        noteChain(await send("eth_chainId", []));
      }
      if (args.method === "wallet_revokePermissions") noteAccounts([]);
      return result;
    },
    on(event, fn) {
      if (!listeners.has(event)) listeners.set(event, new Set());
      listeners.get(event).add(fn);
      return provider;
    },
    removeListener(event, fn) {
      const set = listeners.get(event);
      if (set) set.delete(fn);
      return provider;
    },
  };
  Object.freeze(provider);

  if (!window.ethereum) {
    Object.defineProperty(window, "ethereum", { value: provider, configurable: true });
  }

  const icon =
    "data:image/svg+xml;base64," +
    btoa('<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 32 32"><rect width="32" height="32" rx="6" fill="#1f6feb"/><path d="M8 9l4 14 4-10 4 10 4-14" stroke="#fff" stroke-width="2.5" fill="none"/></svg>');
  const info = Object.freeze({
    uuid: crypto.randomUUID(),
    name: "Warden",
    icon,
    rdns: "org.warden.wallet",
  });
  function announce() {
    window.dispatchEvent(
      new CustomEvent("eip6963:announceProvider", { detail: Object.freeze({ info, provider }) })
    );
  }
  window.addEventListener("eip6963:requestProvider", announce);
  announce();
})();
