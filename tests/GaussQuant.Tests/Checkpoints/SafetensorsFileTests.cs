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

    [Theory]
    [InlineData("""{"__metadata__": null}""", "'__metadata__' must be an object of strings, not null")]
    [InlineData("""{"__metadata__": [1, 2]}""", "'__metadata__' must be an object of strings, not a list")]
    [InlineData("""{"__metadata__": {"step": 5}}""", "metadata value 'step' must be a string, not the number 5")]
    [InlineData("""{"w": {"dtype": "F32", "shape": [1], "data_offsets": [0, 4]}, "w": {"dtype": "F32", "shape": [1], "data_offsets": [0, 4]}}""",
        "names 'w' twice")]
    [InlineData("""{"w": {"dtype": "F32", "shape": [1], "data_offsets": [4]}}""", "'data_offsets' must be [begin, end], not 1 numbers")]
    [InlineData("""{"w": {"dtype": "F32", "shape": [1.5], "data_offsets": [0, 4]}}""", "'shape' must be a list of 64-bit integers")]
    [InlineData("""{"w": {"dtype": 7, "shape": [1], "data_offsets": [0, 4]}}""", "'dtype' must be a string")]
    [InlineData("""[1, 2]""", "the .safetensors header must be a JSON object")]
    [InlineData("""{"__metadata__": {"format": "\ud800"}}""", "holds a string that is not valid Unicode")] // found by tools/fuzz
    [InlineData("""{"w\udc00": {"dtype": "F32", "shape": [1], "data_offsets": [0, 4]}}""", "holds a string that is not valid Unicode")]
    public void MalformedHeadersAreRefusedNamingTheFileAndTheEntry(string header, string message)
    {
        var error = Assert.Throws<InvalidDataException>(() => ReadWithHeader(System.Text.Encoding.UTF8.GetBytes(header)));
        Assert.Contains("hostile.safetensors", error.Message);
        Assert.Contains(message, error.Message);
    }

    [Fact]
    public void AHeaderThatIsNotUtf8IsRefusedNamingTheFile()
    {
        byte[] header = [.. "{\"w\u00e9\": 1"u8, 0xff, 0xfe, .. "}"u8];
        var error = Assert.Throws<InvalidDataException>(() => ReadWithHeader(header));
        Assert.Contains("hostile.safetensors: the .safetensors header is not valid UTF-8", error.Message);
    }

    /// <summary>Reads a file made of <paramref name="header"/> and four data bytes, from memory.</summary>
    private static Dictionary<string, Tensor> ReadWithHeader(byte[] header)
    {
        using var stream = new MemoryStream();
        stream.Write(BitConverter.GetBytes((long)header.Length));
        stream.Write(header);
        stream.Write(new byte[4]);
        stream.Position = 0;
        return SafetensorsFile.Read(stream, "hostile.safetensors", out _);
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
