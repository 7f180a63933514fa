// Rhythm on the results: tempo, beats and bar starts on each track's time line, the suggested start,
// "Preview with my video" (the chosen video muted, the track from its start, kept in sync) and
// "Download with this music" (the video rendered with the track by POST /api/render).
(() => {
  const clock = (s) => `${Math.floor(s / 60)}:${(s % 60).toFixed(2).padStart(5, "0")}`;
  let preview = null;

  function timeline(r, duration) {
    const line = document.createElement("div");
    line.className = "beats";
    line.title = "beats (light), bar starts (dark) and the suggested start (orange)";
    const tick = (t, cls) => {
      const s = document.createElement("span");
      s.className = cls;
      s.style.left = `${Math.min(100, (100 * t) / duration)}%`;
      line.append(s);
    };
    if (r.beats.length <= 600) r.beats.forEach((t) => tick(t, "beat"));
    r.downbeats.forEach((t) => tick(t, "bar"));
    tick(r.startAt, "start");
    return line;
  }

  function stopPreview() {
    if (!preview) return;
    preview.video.pause(); preview.audio.pause();
    URL.revokeObjectURL(preview.video.src);
    preview.panel.remove();
    preview = null;
  }

  function startPreview(li, result, r, file) {
    stopPreview();
    document.querySelectorAll("audio").forEach((a) => a.pause());
    const panel = document.createElement("div"); panel.className = "preview";
    const video = document.createElement("video"); video.muted = true; video.controls = true; video.playsInline = true;
    video.src = URL.createObjectURL(file);
    const audio = document.createElement("audio"); audio.preload = "auto"; audio.src = result.audioUrl;
    const sync = () => {
      const want = r.startAt + video.currentTime;
      if (Math.abs(audio.currentTime - want) > 0.12) audio.currentTime = want;
    };
    video.addEventListener("play", () => { sync(); audio.play().catch(() => {}); });
    video.addEventListener("pause", () => audio.pause());
    video.addEventListener("seeked", sync);
    video.addEventListener("timeupdate", sync);
    video.addEventListener("ended", () => audio.pause());
    panel.append(video, audio);
    li.querySelector("div").append(panel);
    preview = { panel, video, audio };
    audio.addEventListener("loadedmetadata", () => { audio.currentTime = r.startAt; video.play().catch(() => {}); }, { once: true });
  }

  async function download(button, result, r, file, status) {
    const form = new FormData();
    form.append("video", file, "video");
    form.append("trackId", String(result.trackId));
    form.append("start", String(r.startAt));
    button.disabled = true;
    status(`Rendering your video with ${result.title}…`);
    try {
      const res = await fetch("/api/render", { method: "POST", body: form });
      if (!res.ok) { const b = await res.json().catch(() => ({})); status(b.detail || `render failed (${res.status})`, true); return; }
      const url = URL.createObjectURL(await res.blob());
      const a = document.createElement("a");
      a.href = url; a.download = `${file.name.replace(/\.[^.]+$/, "")}-with-${result.title}.mp4`;
      document.body.append(a); a.click(); a.remove();
      setTimeout(() => URL.revokeObjectURL(url), 60000);
      status(`Rendered: ${a.download}`);
    } catch (e) {
      status(`render failed: ${e.message}`, true);
    } finally {
      button.disabled = false;
    }
  }

  window.vimlRhythm = (body, file, status) => {
    stopPreview();
    document.querySelectorAll("#results li.result").forEach((li) => {
      const result = body.results.find((x) => String(x.trackId) === li.dataset.track);
      const r = result && result.rhythm;
      if (!r) return;
      li.dataset.rhythmStart = r.startAt;
      const info = document.createElement("div"); info.className = "rhythm";
      info.textContent = `${r.bpm.toFixed(0)} BPM · start at ${clock(r.startAt)}` + (body.pace ? ` · pace fit ${r.paceFit.toFixed(2)}` : "");
      const parts = [info, timeline(r, result.duration)];
      if (file) {
        const row = document.createElement("div"); row.className = "rhythm-actions";
        const play = document.createElement("button"); play.type = "button"; play.className = "preview-button";
        play.textContent = "Preview with my video";
        play.addEventListener("click", () => startPreview(li, result, r, file));
        const get = document.createElement("button"); get.type = "button"; get.className = "download-button";
        get.textContent = "Download with this music";
        get.addEventListener("click", () => download(get, result, r, file, status));
        row.append(play, get);
        parts.push(row);
      }
      li.querySelector("div").append(...parts);
    });
  };
})();
