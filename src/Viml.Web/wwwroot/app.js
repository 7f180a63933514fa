// Viml page: send a video and/or a sentence to POST /api/recommend, list the tracks, play each from its best segment.
const $ = (id) => document.getElementById(id);
const fmt = (s) => `${Math.floor(s / 60)}:${String(Math.floor(s % 60)).padStart(2, "0")}`;
let chosen = null;

fetch("/api/catalog").then((r) => r.json()).then((c) => {
  $("catalog").textContent = `${c.tracks} tracks, ${c.segments} segments, ${c.index} search, model ${c.model.slice(0, 12)}`;
  if (c.model.startsWith("none:")) {   // no trained model: words and "more like this" only
    $("catalog").textContent = `${c.tracks} tracks, ${c.segments} segments; no model: search by words or "More like this"`;
    $("weight-row").hidden = true;
  }
}).catch(() => {});

function choose(file) {
  chosen = file || null;
  $("drop-text").textContent = chosen ? `${chosen.name} (${(chosen.size / 1048576).toFixed(1)} MiB)` : "Drop a video here, or click to choose one";
}
$("video").addEventListener("change", (e) => choose(e.target.files[0]));
const drop = $("drop");
["dragenter", "dragover"].forEach((t) => drop.addEventListener(t, (e) => { e.preventDefault(); drop.classList.add("over"); }));
["dragleave", "drop"].forEach((t) => drop.addEventListener(t, (e) => { e.preventDefault(); drop.classList.remove("over"); }));
drop.addEventListener("drop", (e) => choose(e.dataTransfer.files[0]));

// Segments left out of the query because no frame was decoded in them (a long gap in the video).
function skipped(spans) {
  if (!spans || spans.length === 0) return "";
  const shown = spans.slice(0, 3).map(g => `${g.start.toFixed(0)}-${g.end.toFixed(0)} s`).join(", ");
  return `, ${spans.length} segment(s) without frames left out: ${shown}${spans.length > 3 ? ", ..." : ""}`;
}
function status(text, error = false) { $("status").textContent = text; $("status").className = error ? "error" : ""; }

function render(list) {
  const ol = $("results");
  ol.replaceChildren();
  for (const r of list) {
    const li = document.createElement("li");
    li.className = "result";
    li.dataset.track = r.trackId;
    li.dataset.start = r.start;
    const rank = document.createElement("span"); rank.className = "rank"; rank.textContent = r.rank;
    const body = document.createElement("div");
    const title = document.createElement("div"); title.className = "title"; title.textContent = r.title;
    const meta = document.createElement("div"); meta.className = "meta";
    meta.textContent = [r.artist, r.album, fmt(r.duration)].filter(Boolean).join(" · ") + ` — best part ${fmt(r.start)}–${fmt(r.end)}, score ${r.score.toFixed(3)}`;
    const tags = document.createElement("div"); tags.className = "tags";
    for (const t of r.tags.slice(0, 8)) { const s = document.createElement("span"); s.textContent = t.name.split(":").pop(); tags.append(s); }
    body.append(title, meta, tags);
    const play = document.createElement("button"); play.type = "button"; play.className = "play"; play.textContent = "▶ Play best part";
    const audio = document.createElement("audio");
    audio.controls = true; audio.preload = "none";
    audio.src = `${r.audioUrl}#t=${r.start},${r.end}`;   // media fragment: the browser seeks to the best segment
    audio.addEventListener("loadedmetadata", () => { if (audio.currentTime < r.start) audio.currentTime = r.start; });
    audio.addEventListener("playing", () => { li.dataset.state = "playing"; });
    audio.addEventListener("pause", () => { if (li.dataset.state === "playing") li.dataset.state = "paused"; });
    play.addEventListener("click", () => {
      document.querySelectorAll("audio").forEach((a) => { if (a !== audio) a.pause(); });
      audio.play().catch((e) => status(`cannot play: ${e.message}`, true));
    });
    const like = document.createElement("button"); like.type = "button"; like.className = "like"; like.textContent = "More like this";
    like.addEventListener("click", () => search({ like: r.trackId }));
    li.append(rank, body, play, like, audio);
    ol.append(li);
  }
}

$("text-weight").addEventListener("input", () => { $("text-weight-value").textContent = $("text-weight").value; });

$("query").addEventListener("submit", (e) => { e.preventDefault(); search({}); });

// A query from the form; { like: id } asks for music like that track instead (alone: the video and words stay out).
async function search({ like }) {
  const text = like ? "" : $("text").value.trim();
  const video = like ? null : chosen;
  if (!video && !text && !like) { status("Choose a video, type a sentence, or both.", true); return; }
  const form = new FormData();
  if (video) form.append("video", video, "video");
  if (text) form.append("text", text);
  if (like) form.append("like", String(like));
  if (!$("weight-row").hidden) form.append("textWeight", $("text-weight").value);
  form.append("top", $("top").value || "10");
  if ($("tag").value.trim()) form.append("tag", $("tag").value.trim());
  $("search").disabled = true;
  status(video ? "Uploading and analysing the video…" : "Searching…");
  try {
    const res = await fetch("/api/recommend", { method: "POST", body: form });
    const body = await res.json();
    if (!res.ok) { status(body.detail || body.title || `error ${res.status}`, true); return; }
    render(body.results);
    if (window.vimlRhythm) window.vimlRhythm(body, chosen, status);
    const t = body.timingsMs;
    const ms = t.decode + t.frameEncoding + t.textEncoding + t.model + t.search;
    status(`${body.results.length} tracks (${like ? `like track ${like}` : body.mode}${body.sampledFrom > body.videoSegments ? `, ${body.videoSegments} of ${body.sampledFrom} segments sampled` : ""}${skipped(body.skippedSegments)}) in ${(ms / 1000).toFixed(2)} s`);
  } catch (err) {
    status(`request failed: ${err.message}`, true);
  } finally {
    $("search").disabled = false;
  }
}
