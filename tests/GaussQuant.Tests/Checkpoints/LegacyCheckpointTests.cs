using System.Runtime.InteropServices;
using System.Text.Json.Nodes;
using GaussQuant.Checkpoints;

namespace GaussQuant.Tests.Checkpoints;

/// <summary>PyTorch's legacy (pre-1.6, non-zip) torch.save format: the fixtures of tools/fixtures/make_checkpoint_fixtures.py and hand-written hostile layouts.</summary>
public class LegacyCheckpointTests
{
    private static string Fixture(string name) => TestPaths.Fixture("checkpoints", name);

    private static JsonObject ExpectedFor(string file) =>
        JsonNode.Parse(File.ReadAllText(Fixture("expected_legacy.json")))![file]!.AsObject();

    [Theory]
    [InlineData("legacy_storage_views.pth")] // torch 0.x: windows of a storage in persistent ids, _rebuild_tensor
    [InlineData("legacy_vgg_like.pth")]
    [InlineData("legacy_lpips_alex_heads.pth")]
    [InlineData("legacy_inception_stem.pth")]
    public void EveryTensorMatchesWhatTorchSaved(string file)
    {
        using var checkpoint = CheckpointLoader.Load(Fixture(file));
        Assert.Equal(CheckpointFormat.StateDict, checkpoint.Metadata.Format);
        ExpectedTensors.AssertMatch(ExpectedFor(file), checkpoint);
    }

    [Fact]
    public void AFilterReadsOnlyTheWantedTensors()
    {
        using var checkpoint = CheckpointLoader.Load(Fixture("legacy_vgg_like.pth"), key => key.StartsWith("features.", StringComparison.Ordinal));
        Assert.Equal(6, checkpoint.Tensors.Count);
        Assert.Equal(8, checkpoint.Metadata.TensorCount);
    }

    [Theory]
    [InlineData(1000, "(object): invalid pickle at byte")] // inside the pickled state dict
    [InlineData(-52, "the file ends at byte")] // inside the element count of the only storage (12 floats)
    public void TruncatedLegacyFilesAreReportedAsSuch(int cut, string message)
    {
        string source = Fixture(cut > 0 ? "legacy.pth" : "legacy_storage_views.pth");
        byte[] bytes = File.ReadAllBytes(source);
        using var file = new TemporaryFile(".pth");
        File.WriteAllBytes(file.Path, bytes[..(cut > 0 ? cut : bytes.Length + cut)]);
        var error = Assert.Throws<InvalidDataException>(() => CheckpointLoader.Load(file.Path));
        Assert.Contains(message, error.Message);
        Assert.Contains("truncated", error.Message);
        Assert.Contains(file.Path, error.Message);
    }

    [Fact]
    public void CorruptedLegacyFilesFailCleanly()
    {
        byte[] original = File.ReadAllBytes(Fixture("legacy.pth"));
        var random = new Random(4321);
        using var file = new TemporaryFile(".pth");
        for (int trial = 0; trial < 400; trial++)
        {
            File.WriteAllBytes(file.Path, RandomDamage.Apply(original, random, truncate: trial % 4 == 0));
            try { CheckpointLoader.Load(file.Path).Dispose(); }
            catch (Exception error) when (error is InvalidDataException or NotSupportedException)
            {
                Assert.Contains(file.Path, error.Message);
            }
        }
    }

    [Fact]
    public void PicklesLargerThanTheFirstReadAreFound()
    {
        using var file = new TemporaryFile(".pth");
        new LegacyFileWriter().Text("notes", 3 << 20).Tensor("weight", "0", 3).Storage("0", 3, 12).Write(file.Path);
        using var checkpoint = CheckpointLoader.Load(file.Path);
        float[] expected = MemoryMarshal.Cast<byte, float>(Enumerable.Range(0, 12).Select(index => (byte)index).ToArray()).ToArray();
        Assert.Equal(expected, checkpoint.Tensors["weight"].data<float>().ToArray());
        Assert.Equal(["notes (str of 3145728 characters)"], checkpoint.Metadata.SkippedEntries);
    }

    [Fact]
    public void AStorageListedTwiceIsRefused()
    {
        using var file = new TemporaryFile(".pth");
        new LegacyFileWriter().Tensor("weight", "0", 1).Storage("0", 1, 4).Storage("0", 1, 4).Write(file.Path);
        Assert.Contains("storage 0 is listed twice", Assert.Throws<InvalidDataException>(() => CheckpointLoader.Load(file.Path)).Message);
    }

    [Fact]
    public void AStorageMissingFromTheListIsNamed()
    {
        using var file = new TemporaryFile(".pth");
        new LegacyFileWriter().Tensor("weight", "0", 1).Tensor("bias", "1", 1).Storage("0", 1, 4).Write(file.Path);
        using (var checkpoint = CheckpointLoader.Load(file.Path, key => key == "weight"))
            Assert.Equal(["weight"], checkpoint.Tensors.Keys);
        var error = Assert.Throws<InvalidDataException>(() => CheckpointLoader.Load(file.Path));
        Assert.Contains("storage 1 is not in the file's list of storages", error.Message);
    }

    [Fact]
    public void StoragesPastOneOfAnUnknownTypeCannotBeLocated()
    {
        using var file = new TemporaryFile(".pth");
        new LegacyFileWriter().Tensor("complex", "0", 1, "ComplexFloatStorage").Tensor("weight", "1", 1)
            .Storage("0", 1, 8).Storage("1", 1, 4).Write(file.Path);
        var error = Assert.Throws<InvalidDataException>(() => CheckpointLoader.Load(file.Path));
        Assert.Contains("storage 1 cannot be located", error.Message);
        Assert.Contains("past storage 0, whose type this reader does not know", error.Message);
    }
}
