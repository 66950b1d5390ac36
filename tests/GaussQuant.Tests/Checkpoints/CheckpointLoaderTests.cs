using System.IO.Compression;
using System.Text.Json.Nodes;
using GaussQuant.Checkpoints;
using static TorchSharp.torch;

namespace GaussQuant.Tests.Checkpoints;

public class CheckpointLoaderTests
{
    private static string Fixture(string name) => TestPaths.Fixture("checkpoints", name);

    private static JsonObject Expected => JsonNode.Parse(File.ReadAllText(Fixture("expected.json")))!.AsObject();

    [Theory]
    [InlineData("lightning.ckpt", CheckpointFormat.TrainingCheckpoint)]
    [InlineData("state_dict.pth", CheckpointFormat.StateDict)]
    [InlineData("state_dict_protocol4.pt", CheckpointFormat.StateDict)]
    [InlineData("legacy.pth", CheckpointFormat.StateDict)]
    public void EveryStateDictTensorMatchesWhatTorchSaved(string file, CheckpointFormat format)
    {
        using var checkpoint = CheckpointLoader.Load(Fixture(file));
        Assert.Equal(format, checkpoint.Metadata.Format);
        ExpectedTensors.AssertMatch(Expected, checkpoint);
    }

    [Fact]
    public void LightningMetadataIsReadAndOpaqueEntriesDoNotStopLoading()
    {
        using var checkpoint = CheckpointLoader.Load(Fixture("lightning.ckpt"));
        var metadata = checkpoint.Metadata;
        Assert.Equal(3, metadata.Epoch);
        Assert.Equal(1234, metadata.GlobalStep);
        Assert.Equal("2.2.2", metadata.LightningVersion);
        Assert.Equal(
            ["epoch", "global_step", "pytorch-lightning_version", "state_dict", "loops", "callbacks", "optimizer_states", "lr_schedulers", "hyper_parameters"],
            metadata.TopLevelEntries);
        Assert.Empty(metadata.SkippedEntries);
    }

    [Fact]
    public void AFilterReadsOnlyTheInferenceTensors()
    {
        using var checkpoint = CheckpointLoader.Load(Fixture("lightning.ckpt"), CheckpointLoader.IsInferenceKey);
        Assert.All(checkpoint.Tensors.Keys, key => Assert.True(key.StartsWith("encoder.") || key.StartsWith("decoder."), key));
        Assert.Equal(8, checkpoint.Tensors.Count);
        Assert.Equal(17, checkpoint.Metadata.TensorCount);
    }

    [Fact]
    public void SafetensorsFilesAreRecognisedByContent()
    {
        using var file = new TemporaryFile(".bin");
        File.Copy(TestPaths.Fixture("safetensors", "small.safetensors"), file.Path);
        using var checkpoint = CheckpointLoader.Load(file.Path, CheckpointLoader.IsInferenceKey);
        Assert.Equal(CheckpointFormat.Safetensors, checkpoint.Metadata.Format);
        Assert.Equal(["encoder.conv_in.weight"], checkpoint.Tensors.Keys);
        Assert.Equal("pt", checkpoint.Metadata.Properties["format"]);
    }

    [Theory]
    [InlineData("list_of_ints.pt", typeof(InvalidDataException), "not a model checkpoint: it holds a list of 3")]
    [InlineData("list_of_ints.pkl", typeof(InvalidDataException), "a plain Python pickle, not a PyTorch checkpoint")]
    [InlineData("truncated.ckpt", typeof(InvalidDataException), "truncated or corrupt zip archive")]
    [InlineData("storage_larger_than_record.ckpt", typeof(InvalidDataException), "holds 40 bytes, but the pickle expects 1000000000000 elements of 4 bytes")]
    [InlineData("view_outside_storage.ckpt", typeof(InvalidDataException), "reaches element 20 of storage 0, which holds 10")]
    [InlineData("expected.json", typeof(InvalidDataException), "not a checkpoint")]
    [InlineData("legacy_truncated.pth", typeof(InvalidDataException), "truncated: storage")]
    [InlineData("legacy_count_mismatch.pth", typeof(InvalidDataException), "storage 0 holds 11 elements, but the pickle says 12")]
    [InlineData("legacy_storage_larger_than_file.pth", typeof(InvalidDataException), "truncated: storage 0 needs 1000000000000 × 4 bytes")]
    [InlineData("legacy_view_outside_storage.pth", typeof(InvalidDataException), "storage view 1 of 6 elements at offset 8 lies outside storage 0, which holds 12")]
    [InlineData("legacy_big_endian.pth", typeof(NotSupportedException), "written on a big-endian machine")]
    [InlineData("legacy_whole_module.pth", typeof(InvalidDataException), "not a model checkpoint: it holds a __main__.TinyModule object")]
    public void BadFilesGiveAClearErrorNamingTheFile(string file, Type errorType, string message)
    {
        var error = Assert.Throws(errorType, () => CheckpointLoader.Load(Fixture(file)));
        Assert.Contains(message, error.Message);
        Assert.Contains(Fixture(file), error.Message);
    }

    [Fact]
    public void AMissingFileIsReportedAsSuch()
    {
        var error = Assert.Throws<FileNotFoundException>(() => CheckpointLoader.Load(Fixture("no-such.ckpt")));
        Assert.Contains("no such file", error.Message);
    }

    [Fact]
    public void AZipBombIsRefusedWithoutInflatingIt()
    {
        using var file = new TemporaryFile();
        using (var zip = ZipFile.Open(file.Path, ZipArchiveMode.Create))
        using (var stream = zip.CreateEntry("archive/data.pkl", CompressionLevel.SmallestSize).Open())
            stream.Write(new byte[32 * 1024 * 1024]);
        var error = Assert.Throws<InvalidDataException>(() => CheckpointLoader.Load(file.Path));
        Assert.Contains("zip bomb", error.Message);
    }

    [Fact]
    public void CorruptedPicklesFailCleanly()
    {
        byte[] pickle = ReadZipEntry(Fixture("lightning.ckpt"), "lightning/data.pkl");
        var random = new Random(1234);
        using var file = new TemporaryFile();
        for (int trial = 0; trial < 400; trial++)
        {
            byte[] damaged = RandomDamage.Apply(pickle, random, truncate: trial % 4 == 0);
            WriteCheckpoint(file.Path, damaged, Fixture("lightning.ckpt"), "lightning/");
            try { CheckpointLoader.Load(file.Path).Dispose(); }
            catch (Exception error) when (error is InvalidDataException or NotSupportedException)
            {
                Assert.Contains(file.Path, error.Message);
            }
        }
    }

    [Theory]
    [InlineData(new byte[] { 0x80, 0x02, 0x8b, 0xff, 0xff, 0xff, 0x7f, 0x00, 0x2e }, "runs past the end")] // LONG4 of 2 GiB
    [InlineData(new byte[] { 0x80, 0x02, 0x58, 0xff, 0xff, 0xff, 0xff, 0x2e }, "runs past the end")] // BINUNICODE of 4 GiB
    [InlineData(new byte[] { 0x80, 0x02, 0x68, 0x05, 0x2e }, "memo entry 5 is not defined")]
    [InlineData(new byte[] { 0x80, 0x02, 0x52, 0x2e }, "stack underflow")]
    [InlineData(new byte[] { 0x80, 0x02, 0x5d, 0x71, 0x00, 0x5d, 0x68, 0x00, 0x61, 0x7d, 0x68, 0x00, 0x4b, 0x01, 0x73, 0x2e }, "unhashable")] // {[[...]]: 1}
    [InlineData(new byte[] { 0x80, 0x02, 0x7d }, "ends before its STOP")]
    public void HostilePicklesAreRejected(byte[] pickle, string message)
    {
        using var file = new TemporaryFile();
        WriteCheckpoint(file.Path, pickle, null, "archive/");
        var error = Assert.Throws<InvalidDataException>(() => CheckpointLoader.Load(file.Path));
        Assert.Contains(message, error.Message);
    }

    [Fact]
    public void RepeatedLongKeysDoNotMakeDictionaryBuildingSlow()
    {
        // {s: 0} where s is a 4 MB string, then one million more SETITEMs of an equal but distinct copy of s.
        var text = new byte[4 << 20];
        Array.Fill(text, (byte)'a');
        var pickle = new List<byte> { 0x80, 0x02, (byte)'}' };
        foreach (byte memo in new byte[] { 0, 1 })
        {
            pickle.Add((byte)'X');
            pickle.AddRange(BitConverter.GetBytes(text.Length));
            pickle.AddRange(text);
            pickle.AddRange([(byte)'q', memo, (byte)'0']);
        }
        for (int i = 0; i < 1_000_000; i++) pickle.AddRange([(byte)'h', (byte)(i % 2), (byte)'K', 0, (byte)'s']);
        pickle.Add((byte)'.');
        using var file = new TemporaryFile();
        WriteCheckpoint(file.Path, [.. pickle], null, "archive/");
        var error = Assert.Throws<InvalidDataException>(() => CheckpointLoader.Load(file.Path));
        Assert.Contains("no 'state_dict' entry and no tensors", error.Message);
    }

    [Fact]
    public void LongKeysAreComparedByIdentityNotContent()
    {
        // What keeps the file above fast, checked without a clock: a key past 1,024 characters is never read, so
        // equal copies are distinct keys and hash by identity.
        string key = new('a', 4 << 20), copy = new('a', 4 << 20);
        var comparer = GaussQuant.Checkpoints.Pickle.PythonKeyComparer.Instance;
        Assert.False(comparer.Equals(key, copy));
        Assert.True(comparer.Equals(key, key));
        Assert.Equal(System.Runtime.CompilerServices.RuntimeHelpers.GetHashCode(key), comparer.GetHashCode(key));
        Assert.True(comparer.Equals(new string('a', 1024), new string('a', 1024)));
    }

    [Fact]
    public void EndlessMarksHitTheStackCeiling()
    {
        byte[] pickle = [0x80, 0x02, .. Enumerable.Repeat((byte)'(', 2_000_000), (byte)'.'];
        using var file = new TemporaryFile();
        WriteCheckpoint(file.Path, pickle, null, "archive/");
        var error = Assert.Throws<InvalidDataException>(() => CheckpointLoader.Load(file.Path));
        Assert.Contains("too many nested marks", error.Message);
    }

    [Fact]
    public void AStorageCountThatOverflowsIsRefusedNamingTheFile()
    {
        // The fixture's pickle says 10^12 elements (LONG1 of 6 bytes); 2^61 float32 elements overflowed the byte count.
        const string prefix = "storage_larger_than_record/";
        byte[] pickle = ReadZipEntry(Fixture("storage_larger_than_record.ckpt"), prefix + "data.pkl");
        byte[] trillion = [0x8a, 0x06, 0x00, 0x10, 0xa5, 0xd4, 0xe8, 0x00];
        byte[] twoToThe61 = [0x8a, 0x08, 0, 0, 0, 0, 0, 0, 0, 0x20];
        int at = pickle.AsSpan().IndexOf(trillion);
        Assert.True(at > 0, "the fixture's element count was not found");
        byte[] patched = [.. pickle[..at], .. twoToThe61, .. pickle[(at + trillion.Length)..]];
        using var file = new TemporaryFile();
        WriteCheckpoint(file.Path, patched, Fixture("storage_larger_than_record.ckpt"), prefix);
        var error = Assert.Throws<InvalidDataException>(() => CheckpointLoader.Load(file.Path));
        Assert.Contains(file.Path, error.Message);
        Assert.Contains("2305843009213693952 elements", error.Message);
    }

    [Fact]
    public void ACorruptZipDirectoryIsAnErrorNamingTheFile()
    {
        byte[] original = File.ReadAllBytes(Fixture("lightning.ckpt"));
        int directory = original.AsSpan().LastIndexOf("PK\u0001\u0002"u8);
        var random = new Random(5);
        using var file = new TemporaryFile();
        for (int trial = 0; trial < 200; trial++)
        {
            byte[] damaged = (byte[])original.Clone();
            // Overwrite a few bytes inside the central directory and its end record.
            for (int flips = random.Next(1, 4); flips > 0; flips--)
                damaged[random.Next(directory - 200, damaged.Length)] = (byte)random.Next(256);
            File.WriteAllBytes(file.Path, damaged);
            try { CheckpointLoader.Load(file.Path).Dispose(); }
            catch (Exception error) when (error is InvalidDataException or NotSupportedException)
            {
                Assert.Contains(file.Path, error.Message);
            }
        }
    }

    private static byte[] ReadZipEntry(string path, string name)
    {
        using var zip = ZipFile.OpenRead(path);
        using var stream = zip.GetEntry(name)!.Open();
        using var memory = new MemoryStream();
        stream.CopyTo(memory);
        return memory.ToArray();
    }

    /// <summary>A torch-style zip with the given pickle, plus the storage records of <paramref name="storagesFrom"/> if any.</summary>
    private static void WriteCheckpoint(string path, byte[] pickle, string? storagesFrom, string prefix)
    {
        File.Delete(path);
        using var zip = ZipFile.Open(path, ZipArchiveMode.Create);
        using (var stream = zip.CreateEntry(prefix + "data.pkl", CompressionLevel.NoCompression).Open()) stream.Write(pickle);
        if (storagesFrom is null) return;
        using var source = ZipFile.OpenRead(storagesFrom);
        foreach (var entry in source.Entries.Where(entry => entry.FullName.StartsWith(prefix + "data/")))
        {
            using var from = entry.Open();
            using var to = zip.CreateEntry(entry.FullName, CompressionLevel.NoCompression).Open();
            from.CopyTo(to);
        }
    }
}
