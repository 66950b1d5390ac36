using GaussQuant.Checkpoints;
using static TorchSharp.torch;

namespace GaussQuant.Tests.Checkpoints;

public class SafetensorsFileTests
{
    private static string Small => TestPaths.Fixture("safetensors", "small.safetensors");

    [Fact]
    public void ReadsTensorsAndMetadataWrittenByAnIndependentWriter()
    {
        var tensors = SafetensorsFile.Read(Small, out var metadata);
        try
        {
            Assert.Equal("pt", metadata["format"]);
            var weight = tensors["encoder.conv_in.weight"];
            Assert.Equal(new long[] { 2, 3 }, weight.shape);
            Assert.Equal(new[] { -0.5f, -0.25f, 0f, 0.25f, 0.5f, 0.75f }, weight.data<float>().ToArray());
            Assert.Equal(new long[] { 7, -3, 1L << 40, 0 }, tensors["steps"].data<long>().ToArray());
            var flag = tensors["loss.discriminator.main.3.initialized"];
            Assert.Empty(flag.shape);
            Assert.Equal(ScalarType.Byte, flag.dtype);
        }
        finally { foreach (var tensor in tensors.Values) tensor.Dispose(); }
    }

    [Fact]
    public void WriteThenReadGivesTheSameTensors()
    {
        string path = Path.Combine(Path.GetTempPath(), $"gq-st-{Guid.NewGuid():N}.safetensors");
        var original = SafetensorsFile.Read(Small);
        try
        {
            SafetensorsFile.Write(path, original, new Dictionary<string, string> { ["source"] = "test" });
            var again = SafetensorsFile.Read(path, out var metadata);
            Assert.Equal("test", metadata["source"]);
            Assert.Equal(original.Keys.Order(), again.Keys.Order());
            foreach (var (key, tensor) in original)
                { Assert.Equal(tensor.shape, again[key].shape); Assert.True(tensor.equal(again[key]).all().item<bool>(), key); }
            foreach (var tensor in again.Values) tensor.Dispose();
        }
        finally
        {
            foreach (var tensor in original.Values) tensor.Dispose();
            File.Delete(path);
        }
    }

    [Fact]
    public void TruncatedFileGivesAnErrorNamingTheFile()
    {
        string path = Path.Combine(Path.GetTempPath(), $"gq-st-{Guid.NewGuid():N}.safetensors");
        try
        {
            byte[] bytes = File.ReadAllBytes(Small);
            File.WriteAllBytes(path, bytes[..^5]);
            var error = Assert.Throws<InvalidDataException>(() => SafetensorsFile.Read(path));
            Assert.Contains(path, error.Message);
        }
        finally { File.Delete(path); }
    }

    [Fact]
    public void FileThatIsNotSafetensorsIsRejected()
    {
        string path = Path.Combine(Path.GetTempPath(), $"gq-st-{Guid.NewGuid():N}.safetensors");
        try
        {
            File.WriteAllText(path, "this is a text file, not tensors");
            var error = Assert.Throws<InvalidDataException>(() => SafetensorsFile.Read(path));
            Assert.Contains("not a .safetensors file", error.Message);
        }
        finally { File.Delete(path); }
    }
}
