namespace Viml.Encoders.Musicnn;

/// <summary>Reads a tagger's <c>labels.tsv</c> (header <c>index, category, tag</c>; rows in output order).</summary>
public static class TagLabels
{
    public static IReadOnlyList<TagInfo> Read(string path, string model)
    {
        var lines = File.ReadAllLines(path).Where(l => l.Length > 0).ToList();
        if (lines.Count < 2 || !lines[0].StartsWith("index\tcategory\ttag"))
            throw new InvalidInputException($"{path}: not a labels file (expected a header 'index<TAB>category<TAB>tag')");
        var tags = new List<TagInfo>();
        for (int i = 1; i < lines.Count; i++)
        {
            var f = lines[i].Split('\t');
            if (f.Length != 3 || !int.TryParse(f[0], out int index) || index != i - 1)
                throw new InvalidInputException($"{path}: line {i + 1} is not '<index {i - 1}><TAB><category><TAB><tag>'");
            tags.Add(new TagInfo(model, f[1], f[2]));
        }
        return tags;
    }
}
