"use strict";
document.getElementById("save").addEventListener("click", async () => {
  const token = document.getElementById("token").value.trim();
  const port = Number(document.getElementById("port").value) || 1248;
  await chrome.storage.local.set({ token, port });
  document.getElementById("saved").textContent = "Saved.";
});
