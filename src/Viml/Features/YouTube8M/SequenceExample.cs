using System.Runtime.InteropServices;
using Google.Protobuf;

namespace Viml.Features.YouTube8M;

/// <summary>A <c>tf.train.Feature</c>: a list of byte strings, floats or int64s.</summary>
public sealed class TfFeature
{
    public List<byte[]> Bytes { get; } = new();
    public List<float> Floats { get; } = new();
    public List<long> Int64s { get; } = new();
}

/// <summary>
/// A <c>tf.train.SequenceExample</c> read straight from the protobuf wire format (no generated classes):
/// <c>context</c> (field 1, <c>Features</c>: map name → Feature) and <c>feature_lists</c>
/// (field 2, <c>FeatureLists</c>: map name → repeated Feature).
/// </summary>
public sealed record SequenceExample(
    IReadOnlyDictionary<string, TfFeature> Context,
    IReadOnlyDictionary<string, IReadOnlyList<TfFeature>> FeatureLists)
{
    /// <summary>Parses one serialized SequenceExample; throws <see cref="InvalidProtocolBufferException"/> on malformed bytes.</summary>
    public static SequenceExample Parse(byte[] data)
    {
        var context = new Dictionary<string, TfFeature>(StringComparer.Ordinal);
        var lists = new Dictionary<string, IReadOnlyList<TfFeature>>(StringComparer.Ordinal);
        var input = new CodedInputStream(data);
        uint tag;
        while ((tag = input.ReadTag()) != 0)
        {
            switch (WireFormat.GetTagFieldNumber(tag), WireFormat.GetTagWireType(tag))
            {
                case (1, WireFormat.WireType.LengthDelimited):
                    ReadMap(Sub(input), (key, value) => context[key] = ReadFeature(value));
                    break;
                case (2, WireFormat.WireType.LengthDelimited):
                    ReadMap(Sub(input), (key, value) => lists[key] = ReadFeatureList(value));
                    break;
                default: input.SkipLastField(); break;
            }
        }
        return new SequenceExample(context, lists);
    }

    /// <summary>The nested message at the current length-delimited field, without copying its bytes.</summary>
    static CodedInputStream Sub(CodedInputStream input)
    {
        var bytes = input.ReadBytes();
        return MemoryMarshal.TryGetArray(bytes.Memory, out var seg)
            ? new CodedInputStream(seg.Array!, seg.Offset, seg.Count)
            : new CodedInputStream(bytes.ToByteArray());
    }

    /// <summary><c>Features</c> / <c>FeatureLists</c>: repeated map entries (field 1) of {key = 1: string, value = 2: message}.</summary>
    static void ReadMap(CodedInputStream input, Action<string, CodedInputStream> onEntry)
    {
        uint tag;
        while ((tag = input.ReadTag()) != 0)
        {
            if (tag != WireFormat.MakeTag(1, WireFormat.WireType.LengthDelimited)) { input.SkipLastField(); continue; }
            var entry = Sub(input);
            string key = "";
            CodedInputStream value = new(Array.Empty<byte>());
            uint t;
            while ((t = entry.ReadTag()) != 0)
            {
                if (t == WireFormat.MakeTag(1, WireFormat.WireType.LengthDelimited)) key = entry.ReadString();
                else if (t == WireFormat.MakeTag(2, WireFormat.WireType.LengthDelimited)) value = Sub(entry);
                else entry.SkipLastField();
            }
            onEntry(key, value);
        }
    }

    static List<TfFeature> ReadFeatureList(CodedInputStream input)
    {
        var list = new List<TfFeature>();
        uint tag;
        while ((tag = input.ReadTag()) != 0)
        {
            if (tag == WireFormat.MakeTag(1, WireFormat.WireType.LengthDelimited)) list.Add(ReadFeature(Sub(input)));
            else input.SkipLastField();
        }
        return list;
    }

    /// <summary><c>Feature</c>: oneof bytes_list = 1, float_list = 2, int64_list = 3; each a repeated field 1 (packed or not).</summary>
    static TfFeature ReadFeature(CodedInputStream input)
    {
        var f = new TfFeature();
        uint tag;
        while ((tag = input.ReadTag()) != 0)
        {
            if (WireFormat.GetTagWireType(tag) != WireFormat.WireType.LengthDelimited) { input.SkipLastField(); continue; }
            int kind = WireFormat.GetTagFieldNumber(tag);
            var list = Sub(input);
            uint t;
            while ((t = list.ReadTag()) != 0)
            {
                int field = WireFormat.GetTagFieldNumber(t);
                var wire = WireFormat.GetTagWireType(t);
                if (field != 1) { list.SkipLastField(); continue; }
                switch (kind, wire)
                {
                    case (1, WireFormat.WireType.LengthDelimited): f.Bytes.Add(list.ReadBytes().ToByteArray()); break;
                    case (2, WireFormat.WireType.Fixed32): f.Floats.Add(list.ReadFloat()); break;
                    case (2, WireFormat.WireType.LengthDelimited):
                        for (var packed = Sub(list); !packed.IsAtEnd;) f.Floats.Add(packed.ReadFloat());
                        break;
                    case (3, WireFormat.WireType.Varint): f.Int64s.Add(list.ReadInt64()); break;
                    case (3, WireFormat.WireType.LengthDelimited):
                        for (var packed = Sub(list); !packed.IsAtEnd;) f.Int64s.Add(packed.ReadInt64());
                        break;
                    default: list.SkipLastField(); break;
                }
            }
        }
        return f;
    }
}
