// Keeps a call's transcript and its recording in step: a click on an utterance seeks the
// player there; while it plays, the utterance being spoken is highlighted.
"use strict";
document.addEventListener("DOMContentLoaded", () => {
  const player = document.querySelector("audio#player");
  const lines = Array.from(document.querySelectorAll("ol.transcript li[data-start]"));
  if (!lines.length) return;
  const starts = lines.map((li) => Number(li.dataset.start));
  const ends = lines.map((li) => Number(li.dataset.end));
  let current = null;
  const highlight = (time) => {
    let found = null;
    for (let i = 0; i < lines.length; i++) {
      if (starts[i] <= time && time < Math.max(ends[i], starts[i] + 0.25)) found = lines[i];
    }
    if (found === current) return;
    if (current) current.classList.remove("current");
    current = found;
    if (current) {
      current.classList.add("current");
      if (!player.paused) current.scrollIntoView({ block: "nearest" });
    }
  };
  lines.forEach((li, i) => {
    li.addEventListener("click", () => {
      if (!player) return;
      player.currentTime = starts[i];
      highlight(starts[i]);
      const playing = player.play();
      if (playing) playing.catch(() => {});
    });
  });
  if (player) {
    player.addEventListener("timeupdate", () => highlight(player.currentTime));
    player.addEventListener("seeked", () => highlight(player.currentTime));
  }
  // `?t=SECONDS` (a quote's link) opens the call at that moment.
  const at = new URLSearchParams(window.location.search).get("t");
  if (at !== null && at !== "" && Number.isFinite(Number(at))) {
    const time = Number(at);
    if (player) player.currentTime = time;
    highlight(time);
    if (current) current.scrollIntoView({ block: "center" });
  }
});
