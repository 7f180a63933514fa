using System.Collections.Concurrent;
using System.Diagnostics;
using System.Text.RegularExpressions;
using Viml.Tests.Cli;

namespace Viml.Tests.Hostile;

/// <summary>
/// Runs every case of <see cref="HostileCorpus"/> through the real CLI (a process each, several at a time,
/// started once for the whole theory) and checks: the exit code, an error that names the input and the
/// problem, no stack trace, and nothing half-written (no temp files, named outputs absent, watched
/// folders unchanged).
/// </summary>
public partial class CliHostileInputTests(Xunit.Abstractions.ITestOutputHelper log)
{
    public sealed record Outcome(int Exit, string Out, string Err, bool Hung, string Dir, Prepared Prepared, IReadOnlyDictionary<string, string>? Before);

    static readonly ConcurrentDictionary<string, Lazy<Task<Outcome>>> Runs = new();
    static readonly SemaphoreSlim Slots = new(Math.Max(2, Environment.ProcessorCount * 2));
    static readonly Lazy<bool> StartAll = new(() =>
    {
        foreach (var row in HostileCorpus.Names()) Start((string)row[0]);
        return true;
    });

    static Task<Outcome> Start(string name) =>
        Runs.GetOrAdd(name, n => new Lazy<Task<Outcome>>(() => Task.Run(() => RunCase(HostileCorpus.Cases.Single(c => c.Name == n))))).Value;

    static async Task<Outcome> RunCase(HostileCase c)
    {
        string dir = Path.Combine(HostileWorld.Root, "cases", c.Name);
        Directory.CreateDirectory(dir);
        var prepared = c.Arrange(dir);
        var before = prepared.Unchanged is { } u ? Snapshot(u) : null;
        await Slots.WaitAsync();
        try
        {
            using var p = CliProcess.Start(prepared.Args);
            var stdout = p.StandardOutput.ReadToEndAsync();
            var stderr = p.StandardError.ReadToEndAsync();
            bool hung = !p.WaitForExit(90_000);
            if (hung) p.Kill(true);
            p.WaitForExit();
            return new Outcome(hung ? -1 : p.ExitCode, await stdout, await stderr, hung, dir, prepared, before);
        }
        finally { Slots.Release(); }
    }

    static Dictionary<string, string> Snapshot(string dir) =>
        Directory.Exists(dir)
            ? Directory.EnumerateFileSystemEntries(dir, "*", new EnumerationOptions { RecurseSubdirectories = true, AttributesToSkip = FileAttributes.ReparsePoint })
                .ToDictionary(f => f, f => File.Exists(f) ? $"{new FileInfo(f).Length}:{File.GetLastWriteTimeUtc(f).Ticks}" : "dir")
            : new();

    [GeneratedRegex(@"^\s+at \S.*\)|Unhandled exception|   --- End of", RegexOptions.Multiline)]
    private static partial Regex StackTrace();

    public static IEnumerable<object[]> Cases() => HostileCorpus.Names();

    [Theory]
    [MemberData(nameof(Cases))]
    public async Task Each_hostile_input_gives_a_clear_error_its_exit_code_and_no_partial_output(string name)
    {
        _ = StartAll.Value;
        var c = HostileCorpus.Cases.Single(x => x.Name == name);
        var r = await Start(name);
        string all = r.Out + r.Err;
        string shown = $"viml {string.Join(' ', r.Prepared.Args.Select(a => a.Length > 120 ? a[..60] + "..." + a[^40..] : a))}\nexit {r.Exit}\nstdout: {r.Out}\nstderr: {r.Err}";

        log.WriteLine(shown);
        Assert.False(r.Hung, $"{name}: the CLI did not finish in 90 s\n{shown}");
        Assert.False(StackTrace().IsMatch(all), $"{name}: a stack trace was printed\n{shown}");
        Assert.True(r.Exit == c.Exit, $"{name}: expected exit {c.Exit} ({c.Problem})\n{shown}");
        foreach (var m in r.Prepared.Mentions)
            Assert.True(all.Contains(m, StringComparison.Ordinal), $"{name}: the error should mention '{m}'\n{shown}");

        var temps = Directory.EnumerateFiles(r.Dir, "*", new EnumerationOptions { RecurseSubdirectories = true, AttributesToSkip = FileAttributes.ReparsePoint, IgnoreInaccessible = true })
            .Where(f => f.EndsWith(".tmp", StringComparison.Ordinal) || f.Contains(".last.new") || f.EndsWith("-journal", StringComparison.Ordinal)).ToList();
        Assert.True(temps.Count == 0, $"{name}: temp files left behind: {string.Join(", ", temps)}");
        foreach (var a in r.Prepared.Absent ?? [])
            Assert.False(all.Contains(a, StringComparison.Ordinal), $"{name}: the output should not hold '{a}'\n{shown}");
        if (r.Prepared.After?.Invoke() is { } wrong) Assert.Fail($"{name}: {wrong}\n{shown}");
        foreach (var p in r.Prepared.MustNotExist ?? [])
            Assert.False(File.Exists(p) || Directory.Exists(p), $"{name}: {p} was written although the run failed");
        if (r.Before is { } before)
        {
            var after = Snapshot(r.Prepared.Unchanged!);
            Assert.True(before.Count == after.Count && before.All(kv => after.TryGetValue(kv.Key, out var v) && v == kv.Value),
                $"{name}: {r.Prepared.Unchanged} changed: before [{string.Join(", ", before.Keys)}], after [{string.Join(", ", after.Keys)}]");
        }
    }

    /// <summary>The corpus the issue asks for: at least 30 inputs, over every area.</summary>
    [Fact]
    public void The_corpus_has_at_least_30_inputs_over_every_area()
    {
        Assert.True(HostileCorpus.Cases.Length >= 30, $"{HostileCorpus.Cases.Length} cases");
        Assert.Equal(HostileCorpus.Cases.Length, HostileCorpus.Cases.Select(c => c.Name).Distinct().Count());
        foreach (var area in new[] { "media", "manifest", "config", "checkpoint", "catalog", "recommend" })
            Assert.Contains(HostileCorpus.Cases, c => c.Area == area);
    }
}

/// <summary>What a kill can leave behind, resumed through the library.</summary>
public class InterruptedStateTests
{
    /// <summary>A kill while <c>catalog add</c> creates the database leaves a catalog.db with no tables (SQLite rolls
    /// the creation back): the next add creates it again instead of refusing it as "not a catalog".</summary>
    [Fact]
    public void A_catalog_db_left_blank_by_a_kill_during_creation_is_created_again()
    {
        string dir = Path.Combine(HostileWorld.Root, "blank-catalog");
        Directory.CreateDirectory(dir);
        File.WriteAllBytes(Path.Combine(dir, Viml.Catalog.MusicCatalog.DatabaseFile), []);
        var parts = Viml.Tests.Catalog.TestParts.Create();
        var info = Viml.Catalog.CatalogIngest.InfoFor(parts);
        Assert.Throws<InvalidInputException>(() => Viml.Catalog.MusicCatalog.Open(dir));   // not a catalog yet
        var cat = Viml.Catalog.MusicCatalog.OpenOrCreate(dir, info);
        new Viml.Catalog.CatalogIngest(cat, parts).Add([HostileWorld.Tone]);
        Assert.Equal(1, Viml.Catalog.MusicCatalog.Open(dir).CountTracks());
    }
}
