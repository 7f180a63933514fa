"""PyTorch peer of bench/Viml.Bench/TrainStepBench.cs: the same ViML model (video/text/music
encoders, 2-layer Transformer fusion, symmetric InfoNCE, text dropout) and the same AdamW train
step, on the same shapes and thread count. Prints `ms_per_step <median>`.
Run with Debian's /usr/bin/python3 (python3-torch)."""
import argparse, math, statistics, sys, time
import torch
from torch import nn
import torch.nn.functional as F

p = argparse.ArgumentParser()
for name, default in [("batch", 64), ("segments", 10), ("video", 512), ("music", 600), ("text", 384), ("d", 256),
                      ("heads", 8), ("ff", 2048), ("layers", 2), ("threads", 2), ("steps", 20), ("warmup", 3)]:
    p.add_argument("--" + name, type=int, default=default)
p.add_argument("--serve", action="store_true")
a = p.parse_args()
torch.set_num_threads(a.threads)
torch.manual_seed(0)

def positions(s, d):
    pos = torch.arange(s, dtype=torch.float32).unsqueeze(1)
    freq = torch.exp(torch.arange(0, d, 2, dtype=torch.float32) * (-math.log(10000.0) / d))
    return torch.stack([torch.sin(pos * freq), torch.cos(pos * freq)], 2).reshape(s, -1)[:, :d]

class ModalityEncoder(nn.Module):
    def __init__(self, din):
        super().__init__()
        self.proj = nn.Linear(din, a.d)
        self.encoder = nn.TransformerEncoder(nn.TransformerEncoderLayer(a.d, a.heads, a.ff, 0.1), a.layers, enable_nested_tensor=False)
    def forward(self, x, pad):
        h = self.proj(x) + positions(x.shape[1], a.d)
        y = self.encoder(h.transpose(0, 1), src_key_padding_mask=pad).transpose(0, 1)
        if pad is None: return y.mean(1)
        real = (~pad).unsqueeze(-1).to(y.dtype)
        return (y * real).sum(1) / real.sum(1).clamp_min(1)

class Fusion(nn.Module):
    def __init__(self):
        super().__init__()
        self.transformer = nn.TransformerEncoder(nn.TransformerEncoderLayer(a.d, a.heads, a.ff, 0.1), 2, enable_nested_tensor=False)
        self.token_type = nn.Parameter(torch.randn(2, a.d) * 0.02)
    def forward(self, yv, yt):
        return self.transformer(torch.stack([yv, yt], 0) + self.token_type.unsqueeze(1)).mean(0)

class Viml(nn.Module):
    def __init__(self):
        super().__init__()
        self.video, self.text, self.music = ModalityEncoder(a.video), ModalityEncoder(a.text), ModalityEncoder(a.music)
        self.fusion = Fusion()
        self.register_buffer("text_null", torch.zeros(a.text))
    def forward(self, v, m, pad, t):
        drop = (torch.rand(t.shape[0]) < 0.8).unsqueeze(1)
        t = torch.where(drop, self.text_null.expand_as(t), t)
        q = self.fusion(self.video(v, pad), self.text(t.unsqueeze(1), None))
        k = self.music(m, pad)
        logits = F.normalize(q, dim=-1) @ F.normalize(k, dim=-1).t() / 0.03
        y = torch.arange(logits.shape[0])
        return F.cross_entropy(logits, y) + F.cross_entropy(logits.t(), y)

model = Viml()
model.train()
opt = torch.optim.AdamW(model.parameters(), lr=1e-4, weight_decay=0.01)
B, S = a.batch, a.segments
video, music, text = torch.randn(B, S, a.video), torch.randn(B, S, a.music), torch.randn(B, a.text)
lengths = [S - (i % 3) for i in range(B)]
pad = torch.tensor([[j >= lengths[i] for j in range(S)] for i in range(B)])
def one_step():
    t0, c0 = time.perf_counter(), time.process_time()
    loss = model(video, music, pad, text)
    t1 = time.perf_counter()
    opt.zero_grad()
    loss.backward()
    t2 = time.perf_counter()
    opt.step()
    t3 = time.perf_counter()
    return (t3 - t0) * 1000, (time.process_time() - c0) * 1000, (t1 - t0) * 1000, (t2 - t1) * 1000, (t3 - t2) * 1000

if a.serve:
    print(f"ready torch {torch.__version__} threads {torch.get_num_threads()}", flush=True)
    for line in sys.stdin:
        if not line.strip() or line.strip() == "quit":
            break
        for _ in range(int(line)):
            print("step " + " ".join(f"{x:.3f}" for x in one_step()), flush=True)
        print("done", flush=True)
    sys.exit(0)

times, parts = [], []
for i in range(a.warmup + a.steps):
    total, _, forward, backward, update = one_step()
    if i >= a.warmup:
        times.append(total)
        parts.append((forward, backward, update))
print(f"torch {torch.__version__} threads {torch.get_num_threads()}")
print(f"ms_per_step {statistics.median(times):.3f}")
print("forward / backward / optimizer ms: " + " / ".join(f"{statistics.median(p[k] for p in parts):.1f}" for k in range(3)))
