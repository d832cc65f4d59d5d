// Forwards a page's request to Warden's local provider with the pairing token and the
// page's origin as the browser reports it (sender.origin: a page cannot forge it).
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
    if (answer && (answer.result !== undefined || answer.error)) return answer;
    return { error: { code: 4900, message: "Warden answered something unexpected." } };
  } catch (e) {
    return { error: { code: 4900, message: "Warden is not running on this computer." } };
  }
}

chrome.runtime.onMessage.addListener((message, sender, sendResponse) => {
  if (!message || typeof message.method !== "string" || !sender.tab) return false;
  forward(message, sender).then(sendResponse);
  return true; // answered later
});
