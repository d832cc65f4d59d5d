// Forwards a page's request to Warden's local provider with the pairing token and the
// page's origin as the browser reports it (sender.origin: a page cannot forge it), and
// forwards Warden's accountsChanged / chainChanged for the origins it has seen to their tabs.
"use strict";
const DEFAULT_PORT = 1248;

async function settings() {
  const stored = await chrome.storage.local.get(["port", "token"]);
  if (stored.token) return { port: stored.port || DEFAULT_PORT, token: stored.token };
  try {
    const bundled = await (await fetch(chrome.runtime.getURL("config.json"))).json();
    return { port: bundled.port || DEFAULT_PORT, token: bundled.token || "" };
  } catch (e) {
    return { port: DEFAULT_PORT, token: "" };
  }
}

async function forward(message, sender) {
  const origin = sender.origin || (sender.url ? new URL(sender.url).origin : "");
  const { port, token } = await settings();
  const body = JSON.stringify({
    jsonrpc: "2.0",
    id: 1,
    method: message.method,
    params: message.params,
    origin,
  });
  try {
    const response = await fetch(`http://127.0.0.1:${port}/`, {
      method: "POST",
      headers: { "Content-Type": "application/json", "X-Warden-Token": token },
      body,
    });
    const answer = await response.json();
    watch(origin).catch(() => {}); // events are a courtesy: a request never waits on them
    if (answer && (answer.result !== undefined || answer.error)) return answer;
    return { error: { code: 4900, message: "Warden answered something unexpected." } };
  } catch (e) {
    return { error: { code: 4900, message: "Warden is not running on this computer." } };
  }
}

// -- events: one WebSocket to Warden, watching each origin that sent a request -------------
const watched = new Set();
let socket = null;
let opening = null;

function watchMessage(origin) {
  return JSON.stringify({ jsonrpc: "2.0", id: 0, method: "warden_watch", origin });
}

function relay(raw) {
  let msg;
  try { msg = JSON.parse(raw); } catch (e) { return; }
  if (!msg || msg.method !== "warden_event" || !msg.params) return;
  const { origin, event, data } = msg.params;
  if (event !== "accountsChanged" && event !== "chainChanged") return;
  chrome.tabs.query({}, (tabs) => {
    for (const tab of tabs || []) {
      // the content script passes it on only in a page of that origin
      chrome.tabs.sendMessage(tab.id, { wardenEvent: event, origin, data }, () => {
        void chrome.runtime.lastError; // a tab without the content script: nothing to tell
      });
    }
  });
}

async function eventSocket() {
  if (socket && socket.readyState === WebSocket.OPEN) return socket;
  if (opening) return opening;
  const { port, token } = await settings();
  if (!token) return null;
  opening = new Promise((resolve) => {
    const ws = new WebSocket(`ws://127.0.0.1:${port}/ws?token=${encodeURIComponent(token)}`);
    ws.onopen = () => {
      socket = ws;
      opening = null;
      for (const origin of watched) ws.send(watchMessage(origin));
      resolve(ws);
    };
    ws.onmessage = (ev) => relay(ev.data);
    ws.onclose = () => {
      if (socket === ws) socket = null;
      opening = null;
      resolve(null);
    };
  });
  return opening;
}

async function watch(origin) {
  if (!origin || watched.has(origin)) return;
  watched.add(origin);
  const ws = await eventSocket();
  if (ws && ws.readyState === WebSocket.OPEN) ws.send(watchMessage(origin));
}

chrome.runtime.onMessage.addListener((message, sender, sendResponse) => {
  if (!message || typeof message.method !== "string" || !sender.tab) return false;
  forward(message, sender).then(sendResponse);
  return true; // answered later
});
