using System.Reflection;
using System.Text.RegularExpressions;
using NetArchTest.Rules;

namespace Viml.Tests.Architecture;

/// <summary>
/// Dependencies point down (docs/architecture.md): a namespace of the engine uses only namespaces in layers
/// below its own, and peers in one layer do not use each other. A sub-namespace (Viml.Encoders.Onnx) is part
/// of its parent's layer. The check reads the compiled code (signatures and method bodies), so a use that the
/// compiler inlines, such as a constant, is not seen.
/// </summary>
public class LayerTests
{
    /// <summary>The engine's layers, lowest first; the table in docs/architecture.md says what each owns.</summary>
    public static readonly string[][] Layers =
    [
        ["Viml"],
        ["Viml.IO"],
        ["Viml.Torch", "Viml.Media", "Viml.Rhythm", "Viml.Sound", "Viml.Synthetic", "Viml.Metrics"],
        ["Viml.Model", "Viml.Encoders"],
        ["Viml.Features"],
        ["Viml.Text"],
        ["Viml.Training", "Viml.Catalog"],
        ["Viml.Evaluation", "Viml.Jobs"],
        ["Viml.Demo", "Viml.Diagnostics"],
    ];

    static readonly Assembly Engine = typeof(VimlException).Assembly;
    static readonly Types EngineTypes = Types.InAssembly(Engine);

    public static TheoryData<string> Namespaces() => new(Layers.SelectMany(layer => layer));

    [Theory]
    [MemberData(nameof(Namespaces))]
    public void A_namespace_uses_only_the_layers_below_its_own(string ns)
    {
        var uses = UpwardUses(Layers, ns);
        Assert.True(uses.Count == 0, $"{ns} uses its own layer or one above it:\n  " + string.Join("\n  ", uses));
    }

    [Fact]
    public void Every_namespace_of_the_engine_has_a_layer()
    {
        var placed = Layers.SelectMany(layer => layer).ToHashSet();
        var unplaced = Engine.GetTypes()
            .Select(t => t.Namespace)
            .OfType<string>()
            .Where(ns => ns == "Viml" || ns.StartsWith("Viml.", StringComparison.Ordinal))
            .Select(ns => placed.Contains(ns) ? ns : LayerOf(placed, ns) ?? ns)
            .Where(ns => !placed.Contains(ns))
            .Distinct()
            .ToList();
        Assert.True(unplaced.Count == 0, "put these namespaces in a layer: " + string.Join(", ", unplaced));
    }

    [Fact]
    public void The_check_names_a_use_of_a_higher_layer()
    {
        // The trainer scores validation with the retrieval metrics; with Metrics put above Training that is
        // a use of a higher layer, and the check must name it.
        string[][] metricsAboveTraining = [["Viml"], ["Viml.IO"], ["Viml.Training"], ["Viml.Metrics"]];
        var uses = UpwardUses(metricsAboveTraining, "Viml.Training");
        Assert.Contains("Viml.Training.Trainer uses Viml.Metrics", uses);
    }

    [Fact]
    public void The_engine_knows_neither_front_end_and_the_web_app_does_not_know_the_cli()
    {
        static string[] Refs(Assembly a) => a.GetReferencedAssemblies().Select(r => r.Name ?? "").ToArray();
        Assert.DoesNotContain("Viml.Cli", Refs(Engine));
        Assert.DoesNotContain("Viml.Web", Refs(Engine));
        Assert.DoesNotContain("Viml.Cli", Refs(typeof(Viml.Web.VimlWeb).Assembly));
    }

    /// <summary>The placed namespace that <paramref name="ns"/> is a sub-namespace of, if any.</summary>
    static string? LayerOf(HashSet<string> placed, string ns) =>
        placed.FirstOrDefault(p => p != "Viml" && ns.StartsWith(p + ".", StringComparison.Ordinal));

    /// <summary>"Type uses Namespace" for each use by <paramref name="ns"/> of its own layer's peers or a layer
    /// above.</summary>
    static List<string> UpwardUses(string[][] layers, string ns)
    {
        int level = Array.FindIndex(layers, layer => layer.Contains(ns));
        Assert.True(level >= 0, $"{ns} has no layer");
        var forbidden = layers.Skip(level).SelectMany(layer => layer).Where(other => other != ns);
        string inNamespace = ns == "Viml" ? "^Viml$" : $"^{Regex.Escape(ns)}(\\..+)?$";
        var uses = new List<string>();
        foreach (var other in forbidden)
        {
            var result = EngineTypes.That().ResideInNamespaceMatching(inNamespace)
                .ShouldNot().HaveDependencyOn(other).GetResult();
            if (!result.IsSuccessful)
                uses.AddRange(result.FailingTypeNames.Select(t => $"{OuterType(t)} uses {other}"));
        }
        return uses.Distinct().Order(StringComparer.Ordinal).ToList();
    }

    /// <summary>The declaring type of a nested or compiler-generated type (Trainer/&lt;&gt;c to Trainer).</summary>
    static string OuterType(string name) => name.Split('/', '+')[0];
}
