// Marks one symbol-version requirement (a Vernaux entry of .gnu.version_r) weak in an ELF64
// little-endian shared library, so the dynamic loader tolerates its absence.
// Compiled by MSBuild's RoslynCodeTaskFactory (see Directory.Build.targets) and, with
// VIML_TESTS defined, linked into the test project.
using System;
using System.IO;
using System.Text;

public static class ElfVersionPatcher
{
    const uint ShtGnuVerneed = 0x6ffffffe;
    const ushort VerFlgWeak = 0x2;

    /// <summary>Returns how many entries were changed (0 when already weak or absent).</summary>
    public static int MarkWeak(string path, string version)
    {
        byte[] elf = File.ReadAllBytes(path);
        int changed = MarkWeak(elf, version, path);
        if (changed > 0)
        {
            string tmp = path + ".elfweak.tmp";
            File.WriteAllBytes(tmp, elf);
            File.Replace(tmp, path, null); // rename over the original
        }
        return changed;
    }

    public static int MarkWeak(byte[] elf, string version, string name = "ELF image")
    {
        if (elf.Length < 64 || elf[0] != 0x7f || elf[1] != (byte)'E' || elf[2] != (byte)'L' || elf[3] != (byte)'F')
            throw new InvalidDataException(name + ": not an ELF file");
        if (elf[4] != 2 || elf[5] != 1)
            throw new InvalidDataException(name + ": only 64-bit little-endian ELF is supported");

        ulong shoff = BitConverter.ToUInt64(elf, 0x28);
        int shentsize = BitConverter.ToUInt16(elf, 0x3A);
        int shnum = BitConverter.ToUInt16(elf, 0x3C);
        int changed = 0;
        for (int i = 0; i < shnum; i++)
        {
            int sh = checked((int)shoff + i * shentsize);
            if (BitConverter.ToUInt32(elf, sh + 4) != ShtGnuVerneed) continue;
            int offset = checked((int)BitConverter.ToUInt64(elf, sh + 0x18));
            uint link = BitConverter.ToUInt32(elf, sh + 0x28);
            int strtab = checked((int)BitConverter.ToUInt64(elf, (int)shoff + (int)link * shentsize + 0x18));

            int vn = offset;
            while (true)
            {
                int cnt = BitConverter.ToUInt16(elf, vn + 2);
                int aux = vn + (int)BitConverter.ToUInt32(elf, vn + 8);
                for (int a = 0; a < cnt; a++)
                {
                    int nameOff = strtab + (int)BitConverter.ToUInt32(elf, aux + 8);
                    int end = Array.IndexOf(elf, (byte)0, nameOff);
                    string vname = Encoding.ASCII.GetString(elf, nameOff, end - nameOff);
                    ushort flags = BitConverter.ToUInt16(elf, aux + 4);
                    if (vname == version && (flags & VerFlgWeak) == 0)
                    {
                        BitConverter.GetBytes((ushort)(flags | VerFlgWeak)).CopyTo(elf, aux + 4);
                        changed++;
                    }
                    uint nextAux = BitConverter.ToUInt32(elf, aux + 12);
                    if (nextAux == 0) break;
                    aux += (int)nextAux;
                }
                uint next = BitConverter.ToUInt32(elf, vn + 12);
                if (next == 0) break;
                vn += (int)next;
            }
        }
        return changed;
    }
}

#if !VIML_TESTS
public class ElfWeakVersion : Microsoft.Build.Utilities.Task
{
    [Microsoft.Build.Framework.Required] public Microsoft.Build.Framework.ITaskItem[] Files { get; set; } = Array.Empty<Microsoft.Build.Framework.ITaskItem>();
    [Microsoft.Build.Framework.Required] public string Version { get; set; } = "";

    public override bool Execute()
    {
        foreach (var item in Files)
        {
            int n = ElfVersionPatcher.MarkWeak(item.ItemSpec, Version);
            if (n > 0) Log.LogMessage(Microsoft.Build.Framework.MessageImportance.Normal, "marked {0} weak in {1}", Version, item.ItemSpec);
        }
        return !Log.HasLoggedErrors;
    }
}
#endif
