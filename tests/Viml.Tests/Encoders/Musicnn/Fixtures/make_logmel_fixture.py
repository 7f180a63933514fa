"""Writes logmel_in.f32 (1 s of 16 kHz audio) and logmel_ref.f32 ([63, 96] musicnn log-mel) with numpy
alone, an implementation independent of Viml's (numpy rfft, explicit framing, librosa's formulas for the
Slaney mel scale and area normalisation). Run: /usr/bin/python3 make_logmel_fixture.py"""
import numpy as np

sr, n_fft, hop, n_mels = 16000, 512, 256, 96

def hz_to_mel(f):
    f = np.asarray(f, dtype=np.float64)
    lin = f / (200.0 / 3)
    log = 15.0 + np.log(np.maximum(f, 1e-10) / 1000.0) / (np.log(6.4) / 27.0)
    return np.where(f >= 1000.0, log, lin)

def mel_to_hz(m):
    m = np.asarray(m, dtype=np.float64)
    return np.where(m >= 15.0, 1000.0 * np.exp(np.log(6.4) / 27.0 * (m - 15.0)), m * 200.0 / 3)

def slaney_mel_filters():
    fft_freqs = np.linspace(0, sr / 2, n_fft // 2 + 1)
    edges = mel_to_hz(np.linspace(hz_to_mel(0.0), hz_to_mel(sr / 2), n_mels + 2))
    widths = np.diff(edges)
    ramps = edges[:, None] - fft_freqs[None, :]
    lower = -ramps[:-2] / widths[:-1, None]
    upper = ramps[2:] / widths[1:, None]
    weights = np.maximum(0, np.minimum(lower, upper))
    return weights * (2.0 / (edges[2:] - edges[:-2]))[:, None]          # [mels, bins]

def log_mel(y):
    window = 0.5 - 0.5 * np.cos(2 * np.pi * np.arange(n_fft) / n_fft)   # periodic Hann
    padded = np.pad(y, n_fft // 2, mode="reflect")
    frames = 1 + (len(padded) - n_fft) // hop
    stack = np.stack([padded[i * hop: i * hop + n_fft] * window for i in range(frames)])
    power = np.abs(np.fft.rfft(stack, axis=1)) ** 2                      # [frames, bins]
    mel = power @ slaney_mel_filters().T                                 # [frames, mels]
    return np.log10(10000 * mel + 1)

t = np.arange(sr) / sr
rng = np.random.default_rng(7)
y = (0.5 * np.sin(2 * np.pi * 440 * t) + 0.3 * np.sin(2 * np.pi * 3000 * t)
     + 0.2 * np.sin(2 * np.pi * (200 + 3000 * t) * t) + 0.05 * rng.standard_normal(sr)).astype(np.float32)
y.tofile("logmel_in.f32")
log_mel(y.astype(np.float64)).astype(np.float32).tofile("logmel_ref.f32")
print(log_mel(y.astype(np.float64)).shape)
