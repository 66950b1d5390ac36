using GaussQuant.Tokens;

namespace GaussQuant.Tests.Tokens;

public class NpyFileTests
{
    [Fact]
    public void ReadsInt64ArrayWrittenByNumPy()
    {
        var array = NpyFile.Read(TestPaths.Fixture("npy", "int64_2x3x1x2.npy"));
        Assert.Equal("<i8", array.DType);
        Assert.Equal(new long[] { 2, 3, 1, 2 }, array.Shape);
        Assert.Equal(Enumerable.Range(0, 12).Select(i => i * 1000L - 5), array.ToArray<long>());
    }

    [Fact]
    public void ReadsFloat32ArrayWrittenByNumPy()
    {
        var array = NpyFile.Read(TestPaths.Fixture("npy", "float32_3x2.npy"));
        Assert.Equal(new long[] { 3, 2 }, array.Shape);
        Assert.Equal(new[] { 0.5f, -1.25f, 3.0e-8f, 7.0f, -0.0f, 65504.0f }, array.ToArray<float>());
    }

    [Fact]
    public void WritesTheSameBytesAsNumPy()
    {
        string path = Path.Combine(Path.GetTempPath(), $"gq-npy-{Guid.NewGuid():N}.npy");
        try
        {
            long[] values = Enumerable.Range(0, 12).Select(i => i * 1000L - 5).ToArray();
            NpyFile.Write<long>(path, values, 2, 3, 1, 2);
            Assert.Equal(File.ReadAllBytes(TestPaths.Fixture("npy", "int64_2x3x1x2.npy")), File.ReadAllBytes(path));
            Assert.Empty(GaussQuant.Tests.IO.SpecialFiles.TemporariesBeside(path));
        }
        finally { File.Delete(path); }
    }

    [Fact]
    public void RejectsTruncatedData()
    {
        byte[] bytes = File.ReadAllBytes(TestPaths.Fixture("npy", "int64_2x3x1x2.npy"));
        var error = Assert.Throws<InvalidDataException>(() => NpyFile.Parse(bytes[..^3], "tokens.npy"));
        Assert.Contains("tokens.npy", error.Message);
        Assert.Contains("truncated", error.Message);
    }

    [Fact]
    public void RejectsFilesThatAreNotNpy()
    {
        var error = Assert.Throws<InvalidDataException>(() => NpyFile.Parse("PNG not npy"u8.ToArray(), "image.png"));
        Assert.Contains("image.png", error.Message);
    }

    [Fact]
    public void RejectsWrongElementType()
    {
        var array = NpyFile.Read(TestPaths.Fixture("npy", "float32_3x2.npy"));
        Assert.Throws<InvalidDataException>(() => array.ToArray<long>());
    }

    [Fact]
    public void RejectsShapeThatDoesNotMatchTheValues()
    {
        Assert.Throws<ArgumentException>(() => NpyFile.Write<long>("unused.npy", new long[5], 2, 3));
    }
}
