// One source for both halves of the GLIBCXX_3.4.32 fix: MSBuild compiles this file as an inline task
// (build/GaussQuant.targets), and the GaussQuant library compiles it with GAUSSQUANT_LIBRARY defined, without
// the task, for the runtime fallback (src/GaussQuant/Native/TorchSharpNativeLibrary.cs).
using System;
using System.IO;
using System.Text;
#if !GAUSSQUANT_LIBRARY
using Microsoft.Build.Framework;
using Microsoft.Build.Utilities;

/// <summary>
/// Marks one version requirement (e.g. GLIBCXX_3.4.32) weak in ELF files, so the dynamic loader accepts a
/// libstdc++ that lacks that version. Idempotent: a file that is already weak (or never asked for the
/// version) is left untouched. The patched bytes are written to a new file that replaces the old one, so a
/// hard link into the NuGet cache is broken rather than modified.
/// </summary>
public class WeakenGlibcxxRequirement : Task
{
    [Required] public ITaskItem[] Files { get; set; } = Array.Empty<ITaskItem>();
    [Required] public string VersionName { get; set; } = "";

    public override bool Execute()
    {
        foreach (var item in Files)
        {
            string path = item.GetMetadata("FullPath");
            try
            {
                byte[] bytes = File.ReadAllBytes(path);
                int patched = ElfVersionNeeds.MarkWeak(bytes, VersionName);
                if (patched == 0) continue;
                string temporary = path + ".weakening";
                File.WriteAllBytes(temporary, bytes);
                File.Replace(temporary, path, null);
                Log.LogMessage(MessageImportance.Normal, $"Marked {VersionName} weak in {path}");
            }
            catch (Exception error) when (error is IOException || error is InvalidDataException)
            {
                Log.LogError($"Could not patch {path}: {error.Message}");
            }
        }
        return !Log.HasLoggedErrors;
    }
}
#endif

/// <summary>
/// Sets VER_FLG_WEAK on one version requirement in the .gnu.version_r section of a 64-bit little-endian ELF file.
/// </summary>
internal static class ElfVersionNeeds
{
    private const uint SectionTypeVersionNeeds = 0x6ffffffe; // SHT_GNU_verneed
    private const ushort WeakFlag = 0x2;                     // VER_FLG_WEAK

    /// <returns>How many requirements were changed from strong to weak.</returns>
    /// <exception cref="InvalidDataException">when <paramref name="elf"/> is not a 64-bit little-endian ELF file.</exception>
    public static int MarkWeak(byte[] elf, string versionName)
    {
        if (elf.Length < 64 || elf[0] != 0x7f || elf[1] != (byte)'E' || elf[2] != (byte)'L' || elf[3] != (byte)'F')
            throw new InvalidDataException("not an ELF file");
        if (elf[4] != 2 || elf[5] != 1)
            throw new InvalidDataException("only 64-bit little-endian ELF is supported");

        long sectionTable = (long)BitConverter.ToUInt64(elf, 0x28);
        int sectionSize = BitConverter.ToUInt16(elf, 0x3a);
        int sectionCount = BitConverter.ToUInt16(elf, 0x3c);
        int changed = 0;
        for (int s = 0; s < sectionCount; s++)
        {
            long header = sectionTable + (long)s * sectionSize;
            if (BitConverter.ToUInt32(elf, (int)header + 4) != SectionTypeVersionNeeds) continue;
            long offset = (long)BitConverter.ToUInt64(elf, (int)header + 0x18);
            uint linkedStrings = BitConverter.ToUInt32(elf, (int)header + 0x28);
            long stringsHeader = sectionTable + (long)linkedStrings * sectionSize;
            long strings = (long)BitConverter.ToUInt64(elf, (int)stringsHeader + 0x18);
            changed += MarkWeakInVersionNeeds(elf, offset, strings, versionName);
        }
        return changed;
    }

    private static int MarkWeakInVersionNeeds(byte[] elf, long need, long strings, string versionName)
    {
        int changed = 0;
        while (true)
        {
            int auxCount = BitConverter.ToUInt16(elf, (int)need + 2);
            long aux = need + BitConverter.ToUInt32(elf, (int)need + 8);
            for (int a = 0; a < auxCount; a++)
            {
                uint nameOffset = BitConverter.ToUInt32(elf, (int)aux + 8);
                if (ReadString(elf, strings + nameOffset) == versionName)
                {
                    ushort flags = BitConverter.ToUInt16(elf, (int)aux + 4);
                    if ((flags & WeakFlag) == 0)
                    {
                        BitConverter.GetBytes((ushort)(flags | WeakFlag)).CopyTo(elf, (int)aux + 4);
                        changed++;
                    }
                }
                aux += BitConverter.ToUInt32(elf, (int)aux + 12);
            }
            uint next = BitConverter.ToUInt32(elf, (int)need + 12);
            if (next == 0) return changed;
            need += next;
        }
    }

    private static string ReadString(byte[] elf, long start)
    {
        long end = start;
        while (elf[end] != 0) end++;
        return Encoding.ASCII.GetString(elf, (int)start, (int)(end - start));
    }
}
