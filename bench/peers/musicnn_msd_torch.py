"""Peer for `viml bench music`: the MSD musicnn (Pons & Serra) in PyTorch, same weights, same patch
shapes and thread count as the TorchSharp model. Prints one JSON line with patches per second.
Usage: /usr/bin/python3 musicnn_msd_torch.py WEIGHTS.safetensors --threads 2 --patches 48 --batch 16 --repeats 3"""
import argparse, json, struct, time
import numpy as np
import torch
import torch.nn as nn
import torch.nn.functional as F


def load_safetensors(path):
    raw = open(path, "rb").read()
    n = struct.unpack("<Q", raw[:8])[0]
    header = json.loads(raw[8:8 + n])
    out = {}
    for k, v in header.items():
        if k == "__metadata__" or v["dtype"] != "F32":
            continue
        a, b = v["data_offsets"]
        out[k] = torch.from_numpy(np.frombuffer(raw[8 + n + a:8 + n + b], dtype="<f4").reshape(v["shape"]).copy())
    return out


class Musicnn(nn.Module):
    def __init__(self):
        super().__init__()
        eps = 1e-3
        self.bn_in = nn.BatchNorm2d(1, eps=eps)
        self.f74, self.f77 = nn.Conv2d(1, 204, (7, 38)), nn.Conv2d(1, 204, (7, 67))
        self.s1, self.s2, self.s3 = nn.Conv2d(1, 51, (128, 1)), nn.Conv2d(1, 51, (64, 1)), nn.Conv2d(1, 51, (32, 1))
        self.bns = nn.ModuleList([nn.BatchNorm2d(c, eps=eps) for c in (204, 204, 51, 51, 51)])
        self.m1, self.m2, self.m3 = nn.Conv2d(1, 64, (7, 561)), nn.Conv2d(1, 64, (7, 64)), nn.Conv2d(1, 64, (7, 64))
        self.bm = nn.ModuleList([nn.BatchNorm2d(64, eps=eps) for _ in range(3)])
        self.bn_flat = nn.BatchNorm1d(1506, eps=eps)
        self.dense = nn.Linear(1506, 200)
        self.bn_dense = nn.BatchNorm1d(200, eps=eps)
        self.out = nn.Linear(200, 50)

    def forward(self, x):                                   # [B, T, 96]
        x = self.bn_in(x.unsqueeze(1))
        xp = F.pad(x, (0, 0, 3, 3))
        front = [bn(F.relu(conv(inp))).amax(3) for conv, bn, inp in (
            (self.f74, self.bns[0], xp), (self.f77, self.bns[1], xp),
            (self.s1, self.bns[2], F.pad(x, (0, 0, 63, 64))),
            (self.s2, self.bns[3], F.pad(x, (0, 0, 31, 32))),
            (self.s3, self.bns[4], F.pad(x, (0, 0, 15, 16))))]
        front = torch.cat(front, 1)

        def mid(conv, bn, h):
            return bn(F.relu(conv(F.pad(h.transpose(1, 2).unsqueeze(1), (0, 0, 3, 3))))).squeeze(3)
        c1 = mid(self.m1, self.bm[0], front)
        c2 = mid(self.m2, self.bm[1], c1) + c1
        c3 = mid(self.m3, self.bm[2], c2) + c2
        feats = torch.cat([front, c1, c2, c3], 1)
        pooled = torch.stack([feats.amax(2), feats.mean(2)], 2).flatten(1)
        emb = self.dense(self.bn_flat(pooled))
        return emb, torch.sigmoid(self.out(self.bn_dense(F.relu(emb))))


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("weights")
    ap.add_argument("--threads", type=int, default=2)
    ap.add_argument("--patches", type=int, default=48)
    ap.add_argument("--batch", type=int, default=16)
    ap.add_argument("--repeats", type=int, default=3)
    ap.add_argument("--check", default=None, help="ref_in.f32 to print the tags of (correctness of the peer)")
    a = ap.parse_args()
    torch.set_num_threads(a.threads)
    model = Musicnn()
    model.load_state_dict(load_safetensors(a.weights), strict=False)
    model.eval()
    with torch.inference_mode():
        if a.check:
            x = torch.from_numpy(np.fromfile(a.check, dtype="<f4").reshape(2, 187, 96))
            print(json.dumps({"check_tags": model(x)[1][0, :5].tolist()}))
        g = torch.Generator().manual_seed(0)
        patches = torch.rand(a.patches, 187, 96, generator=g) * 3
        model(patches[:a.batch])                             # warm-up
        best = float("inf")
        for _ in range(a.repeats):
            t0 = time.perf_counter()
            for s in range(0, a.patches, a.batch):
                model(patches[s:s + a.batch])
            best = min(best, time.perf_counter() - t0)
    print(json.dumps({"patches_per_second": a.patches / best, "threads": a.threads, "torch": torch.__version__}))


if __name__ == "__main__":
    main()
