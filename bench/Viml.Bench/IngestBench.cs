using System.Diagnostics;
using System.Globalization;
using TorchSharp;
using Viml.Catalog;
using Viml.Encoders;
using Viml.Encoders.Musicnn;
using Viml.IO;
using Viml.Media;
using Viml.Model;
using Viml.Torch;
using static TorchSharp.torch;

using static Viml.Bench.BenchTools;

namespace Viml.Bench;

/// <summary>
/// Catalog ingest per core on a real-length track (a generated 44.1 kHz stereo MP3, 3.5 min by default):
/// (1) the three musicnn networks with the front end as written against the pooled inference front end, on the
/// same patches, interleaved A B A B; (2) the whole analysis of <c>viml catalog add</c> (decode, three taggers,
/// model vectors, rhythm) against decoding the same file alone (the peer). Figures are CPU seconds of this process
/// and its children (user + system, system also alone), so that the machine's other work does not count.
/// Usage: ingest [--seconds 210] [--threads 1] [--rounds 2] [--model CHECKPOINT]
/// </summary>
static class IngestBench
{
    public static int Run(string[] args)
    {
        double seconds = double.Parse(Opt(args, "--seconds", "210")!, CultureInfo.InvariantCulture);
        int threads = int.Parse(Opt(args, "--threads", "1")!), rounds = int.Parse(Opt(args, "--rounds", "2")!);
        string? model = Opt(args, "--model", null);
        TorchRuntime.Initialise(threads);
        var root = Directory.CreateTempSubdirectory("viml-bench-ingest-").FullName;
        try
        {
            string track = Path.Combine(root, "track.mp3");
            Ffmpeg("-f", "lavfi", "-i", $"sine=frequency=220:duration={seconds.ToString(CultureInfo.InvariantCulture)}",
                   "-f", "lavfi", "-i", $"anoisesrc=color=pink:amplitude=0.2:duration={seconds.ToString(CultureInfo.InvariantCulture)}",
                   "-filter_complex", "[0][1]amix=inputs=2,aformat=channel_layouts=stereo", "-ar", "44100", "-b:a", "192k", track);
            Console.WriteLine($"ingest bench: {seconds:0} s 44.1 kHz stereo MP3, {threads} libtorch thread(s), {rounds} round(s); " +
                              $"load {File.ReadAllText("/proc/loadavg").Split(' ')[0]}");

            // (1) networks: layered vs pooled front end on the track's patches
            float[] pcm = AudioDecoder.DecodeMono(track, 16000);
            string Dir(string rel) => ProjectPaths.Vendored(Path.Combine("models/music", rel));
            using var mel = MelSpectrogram.Librosa(new MelConfig());
            using var wave = tensor(pcm);
            Tensor patches, chunks;
            using (var power = mel.Power(wave.unsqueeze(0)))
            using (var logMel = MusicnnInput.LogCompress(power[0]))
                patches = MusicnnInput.Patches(logMel, mel.Config.PatchFrames).contiguous();
            long c = pcm.Length / MusicnnEncoder.PatchSamples;
            chunks = wave.narrow(0, 0, c * MusicnnEncoder.PatchSamples).reshape(c, MusicnnEncoder.PatchSamples);
            Func<bool, Action> Nets = pooled =>
            {
                var msd = MusicnnWeights.LoadPons(Dir("msd-musicnn/jordipons_msd_musicnn_torchlayout.safetensors"), pooled);
                var mtt = MusicnnWeights.LoadPons(Dir("mtt-musicnn/jordipons_mtt_musicnn_torchlayout.safetensors"), pooled);
                var jam = MusicnnWeights.LoadJamendo(Dir("mtg-jamendo-musicnn/minzwon_jamendo_musicnn.safetensors"), pooled);
                return () =>
                {
                    using var _ = no_grad();
                    for (long s = 0; s < patches.shape[0]; s += 16)
                    {
                        long n = Math.Min(16, patches.shape[0] - s);
                        using var a = msd.forward(patches.narrow(0, s, n));
                        using var b = mtt.forward(patches.narrow(0, s, n));
                        using var j = jam.forward(chunks.narrow(0, s, Math.Min(n, c - s)));
                    }
                };
            };
            var layered = Nets(false);
            var pooledNets = Nets(true);
            layered();
            pooledNets();
            var (la, pa) = (new List<Cpu>(), new List<Cpu>());
            for (int r = 0; r < rounds; r++)
            {
                la.Add(Cpu.Of(layered));
                pa.Add(Cpu.Of(pooledNets));
            }
            Cpu lb = Cpu.Best(la), pb = Cpu.Best(pa);
            Console.WriteLine($"three taggers, front end as written: {lb}; {seconds / lb.Total:0.0}x real time per CPU second");
            Console.WriteLine($"three taggers, pooled front end:     {pb}; {seconds / pb.Total:0.0}x real time per CPU second; " +
                              $"speed-up x{lb.Total / pb.Total:0.00}");

            // (2) the whole analysis vs decoding alone
            if (model is null)
            {
                manual_seed(1);
                using var m = new VimlModel(new ModelConfig());
                model = Path.Combine(root, "checkpoint");
                Checkpoint.Save(model, m);
            }
            using var cm = new TrainedCatalogModel(model);
            using var music = new MusicnnEncoder(new MusicnnOptions(threads));
            var parts = CatalogParts.Ingest(cm, music);
            CatalogIngest.AnalyseFile(parts, track);
            var (da, ia) = (new List<Cpu>(), new List<Cpu>());
            for (int r = 0; r < rounds; r++)
            {
                da.Add(Cpu.Of(() => AudioDecoder.DecodeMono(track, music.SampleRate)));
                ia.Add(Cpu.Of(() => CatalogIngest.AnalyseFile(parts, track)));
            }
            Cpu db = Cpu.Best(da), ib = Cpu.Best(ia);
            Console.WriteLine($"decoding alone (peer): {db}; {seconds / db.Total:0}x real time per CPU second");
            Console.WriteLine($"catalog add analysis:  {ib}; {seconds / ib.Total:0.0}x real time per CPU second " +
                              $"(target 50x); ingest/decode CPU = {ib.Total / db.Total:0.0}");
            return 0;
        }
        finally { Directory.Delete(root, true); }
    }

    /// <summary>CPU seconds of this process and its finished children over one call, user and system.</summary>
    readonly record struct Cpu(double User, double System, double Wall)
    {
        public double Total => User + System;

        public static Cpu Of(Action run)
        {
            var p = Process.GetCurrentProcess();
            double u0 = p.UserProcessorTime.TotalSeconds, s0 = p.PrivilegedProcessorTime.TotalSeconds, c0 = CpuTime.OfChildren();
            var sw = Stopwatch.StartNew();
            run();
            double wall = sw.Elapsed.TotalSeconds;
            p.Refresh();
            double children = CpuTime.OfChildren() - c0;
            return new Cpu(p.UserProcessorTime.TotalSeconds - u0 + children, p.PrivilegedProcessorTime.TotalSeconds - s0, wall);
        }

        public static Cpu Best(IEnumerable<Cpu> runs) => runs.MinBy(r => r.Total);

        public override string ToString() => $"CPU {Total:0.00} s (system {System:0.00} s), wall {Wall:0.00} s";
    }
}
