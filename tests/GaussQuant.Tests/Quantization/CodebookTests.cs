using System.Security.Cryptography;
using GaussQuant.Quantization;
using GaussQuant.Tokens;
using TorchSharp;

namespace GaussQuant.Tests.Quantization;

public class CodebookTests
{
    [Theory]
    [InlineData(0)]
    [InlineData(-3)]
    [InlineData(Codebook.MaxDimension + 1)]
    public void RejectsUnsupportedDimensions(int dimension)
    {
        var error = Assert.ThrowsAny<ArgumentException>(() => Codebook.Create(dimension, 16));
        Assert.Contains($"dimension must be between 1 and {Codebook.MaxDimension}, not {dimension}", error.Message);
    }

    [Theory]
    [InlineData(0)]
    [InlineData(-4)]
    [InlineData(3)]
    [InlineData(65535)]
    [InlineData(Codebook.MaxSize * 2)]
    public void RejectsSizesThatAreNotSupportedPowersOfTwo(int size)
    {
        var error = Assert.ThrowsAny<ArgumentException>(() => Codebook.Create(4, size));
        Assert.Contains($"power of two between 1 and 2^24 = {Codebook.MaxSize}, not {size}", error.Message);
    }

    [Fact]
    public void ChunksOfTheSequenceStartAnywhere()
    {
        var sequence = new ScrambledSobolSequence(5, 11);
        var all = new float[5000 * 5];
        sequence.Fill(0, 5000, all);
        foreach (var (firstRow, rowCount) in new[] { (1, 1), (7, 100), (1023, 2), (1024, 3000), (4999, 1) })
        {
            var part = new float[rowCount * 5];
            sequence.Fill(firstRow, rowCount, part);
            Assert.Equal(all.AsSpan(firstRow * 5, rowCount * 5).ToArray(), part);
        }
    }

    [Fact]
    public void FromEntriesCopiesAndValidates()
    {
        float[] values = [0.5f, -1f, 2f, 0f, 1f, 3f];
        var codebook = Codebook.FromEntries(3, values);
        values[0] = 99f;
        Assert.Equal((3, 2, (int?)null), (codebook.Dimension, codebook.Size, codebook.Seed));
        Assert.Equal(new[] { 0.5f, -1f, 2f, 0f, 1f, 3f }, codebook.Entries.ToArray());

        Assert.Contains("need a positive multiple of 4", Assert.Throws<ArgumentException>(() => Codebook.FromEntries(4, values)).Message);
        Assert.Contains("need a positive multiple of 2", Assert.Throws<ArgumentException>(() => Codebook.FromEntries(2, [])).Message);
        Assert.ThrowsAny<ArgumentException>(() => Codebook.FromEntries(0, values));
        var error = Assert.Throws<ArgumentException>(() => Codebook.FromEntries(2, [1f, 2f, 3f, float.NegativeInfinity]));
        Assert.Contains("entry [1, 1]", error.Message);
        Assert.Contains("finite", Assert.Throws<ArgumentException>(() => Codebook.FromEntries(1, [float.NaN])).Message);
    }

    [Fact]
    public void Sha256HashesTheLittleEndianFloat32Bytes()
    {
        var codebook = Codebook.FromEntries(2, [1f, -2f]);
        byte[] bytes = [0x00, 0x00, 0x80, 0x3F, 0x00, 0x00, 0x00, 0xC0];
        Assert.Equal(Convert.ToHexStringLower(SHA256.HashData(bytes)), codebook.Sha256());
    }

    [Fact]
    public void ToTensorReturnsAnIndependentFloat32Copy()
    {
        var codebook = Codebook.Create(4, 256);
        using var tensor = codebook.ToTensor();
        Assert.Equal(torch.float32, tensor.dtype);
        Assert.Equal(new long[] { 256, 4 }, tensor.shape);
        Assert.Equal(DeviceType.CPU, tensor.device_type);
        Assert.Equal(codebook.Entries.ToArray(), tensor.data<float>().ToArray());

        tensor[0, 0] = torch.tensor(123f);
        using var again = codebook.ToTensor(torch.CPU);
        Assert.NotEqual(123f, codebook.Entries.Span[0]);
        Assert.Equal(codebook.Entries.Span[0], again[0, 0].item<float>());
    }

    [Fact]
    public void SurvivesANpyRoundTrip()
    {
        var codebook = Codebook.Create(8, 1024, seed: 3);
        string path = Path.Combine(Path.GetTempPath(), $"gq-codebook-{Guid.NewGuid():N}.npy");
        try
        {
            NpyFile.Write(path, codebook.Entries.Span, codebook.Size, codebook.Dimension);
            var array = NpyFile.Read(path);
            Assert.Equal(new long[] { 1024, 8 }, array.Shape);
            Assert.Equal(codebook.Sha256(), Codebook.FromEntries(8, array.ToArray<float>()).Sha256());
        }
        finally { File.Delete(path); }
    }
}
