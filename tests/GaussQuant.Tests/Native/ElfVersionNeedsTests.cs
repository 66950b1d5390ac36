namespace GaussQuant.Tests.Native;

/// <summary>The patch behind the GLIBCXX_3.4.32 fix, on a minimal ELF file holding one version requirement.</summary>
public class ElfVersionNeedsTests
{
    private const int FlagsOffset = 0x100 + 16 + 4; // .gnu.version_r at 0x100: a 16-byte Verneed, then vna_hash

    [Fact]
    public void MarksTheNamedRequirementWeakOnceAndLeavesTheRestOfTheFileAlone()
    {
        byte[] elf = MinimalElf("GLIBCXX_3.4.32");
        byte[] original = (byte[])elf.Clone();

        Assert.Equal(1, ElfVersionNeeds.MarkWeak(elf, "GLIBCXX_3.4.32"));
        Assert.Equal(2, BitConverter.ToUInt16(elf, FlagsOffset)); // VER_FLG_WEAK
        Assert.Equal(1, original.Zip(elf).Count(pair => pair.First != pair.Second));
        Assert.Equal(0, ElfVersionNeeds.MarkWeak(elf, "GLIBCXX_3.4.32"));
    }

    [Fact]
    public void AFileWithoutTheRequirementIsLeftUnchanged()
    {
        byte[] elf = MinimalElf("GLIBCXX_3.4.30");
        byte[] original = (byte[])elf.Clone();
        Assert.Equal(0, ElfVersionNeeds.MarkWeak(elf, "GLIBCXX_3.4.32"));
        Assert.Equal(original, elf);
    }

    [Fact]
    public void RefusesWhatIsNotA64BitLittleEndianElfFile()
    {
        Assert.Throws<InvalidDataException>(() => ElfVersionNeeds.MarkWeak(new byte[100], "GLIBCXX_3.4.32"));
        byte[] bigEndian = MinimalElf("GLIBCXX_3.4.32");
        bigEndian[5] = 2;
        Assert.Throws<InvalidDataException>(() => ElfVersionNeeds.MarkWeak(bigEndian, "GLIBCXX_3.4.32"));
    }

    /// <summary>
    /// An ELF header, three section headers at 0x40 (null, SHT_GNU_verneed at 0x100 linked to a string table at 0x200),
    /// one Verneed for libstdc++.so.6 with one Vernaux naming <paramref name="version"/>, flags 0.
    /// </summary>
    private static byte[] MinimalElf(string version)
    {
        var elf = new byte[0x300];
        "\u007fELF"u8.ToArray().CopyTo(elf, 0);
        elf[4] = 2; // ELFCLASS64
        elf[5] = 1; // ELFDATA2LSB
        Write(elf, 0x28, 0x40UL);       // e_shoff
        Write(elf, 0x3a, (ushort)64);   // e_shentsize
        Write(elf, 0x3c, (ushort)3);    // e_shnum
        int verneedHeader = 0x40 + 64, stringsHeader = 0x40 + 128;
        Write(elf, verneedHeader + 4, 0x6ffffffeU); // sh_type SHT_GNU_verneed
        Write(elf, verneedHeader + 0x18, 0x100UL);  // sh_offset
        Write(elf, verneedHeader + 0x28, 2U);       // sh_link: the string table
        Write(elf, stringsHeader + 4, 3U);          // SHT_STRTAB
        Write(elf, stringsHeader + 0x18, 0x200UL);

        byte[] strings = System.Text.Encoding.ASCII.GetBytes($"\0libstdc++.so.6\0{version}\0");
        strings.CopyTo(elf, 0x200);
        Write(elf, 0x100, (ushort)1);       // vn_version
        Write(elf, 0x102, (ushort)1);       // vn_cnt
        Write(elf, 0x104, 1U);              // vn_file
        Write(elf, 0x108, 16U);             // vn_aux
        Write(elf, 0x10c, 0U);              // vn_next: the last
        Write(elf, 0x110 + 8, (uint)"\0libstdc++.so.6\0".Length); // vna_name
        Write(elf, 0x110 + 12, 0U);         // vna_next: the last
        return elf;
    }

    private static void Write(byte[] elf, int offset, ulong value) => BitConverter.GetBytes(value).CopyTo(elf, offset);
    private static void Write(byte[] elf, int offset, uint value) => BitConverter.GetBytes(value).CopyTo(elf, offset);
    private static void Write(byte[] elf, int offset, ushort value) => BitConverter.GetBytes(value).CopyTo(elf, offset);
}
