using System.Text.Json;
using GaussQuant.Quantization;
using TorchSharp;

namespace GaussQuant.Tests.Quantization;

/// <summary>More (dimension, size, seed) cases, the generator's bits and the direction numbers, against PyTorch 1.13 + SciPy 1.10.</summary>
public class CodebookFixtureCasesTests
{
    public static IEnumerable<object[]> FiniteCases => CodebookTestData.CaseIndexes(nonFinite: false);

    public static IEnumerable<object[]> NonFiniteCases => CodebookTestData.CaseIndexes(nonFinite: true);

    [Theory]
    [MemberData(nameof(FiniteCases))]
    public void MatchesPyTorchAndSciPy(int index)
    {
        var expected = CodebookTestData.Case(index);
        var (dimension, size, seed) = Parameters(expected);

        var codebook = Codebook.Create(dimension, size, seed);
        Assert.Equal(expected.GetProperty("sha256").GetString(), codebook.Sha256());
        Assert.Equal(Floats(expected.GetProperty("row0")), codebook.Entries[..dimension].ToArray());
        Assert.Equal(Floats(expected.GetProperty("row_last")), codebook.Entries[^dimension..].ToArray());
        Assert.Equal(expected.GetProperty("uniform_sha256").GetString(), UniformSha256(dimension, size, seed));
    }

    [Theory]
    [MemberData(nameof(NonFiniteCases))]
    public void RefusesCodebooksWithAnInfiniteEntry(int index)
    {
        var expected = CodebookTestData.Case(index);
        var (dimension, size, seed) = Parameters(expected);
        Assert.Equal(expected.GetProperty("uniform_sha256").GetString(), UniformSha256(dimension, size, seed));

        var error = Assert.Throws<ArgumentException>(() => Codebook.Create(dimension, size, seed));
        Assert.Contains($"dimension {dimension}, size {size} and seed {seed}", error.Message);
        Assert.Contains($"coordinate {expected.GetProperty("first_nonfinite_column").GetInt32()} " +
                        $"of row {expected.GetProperty("first_nonfinite_row").GetInt32()}", error.Message);
        Assert.Contains($"exactly {expected.GetProperty("uniform").GetDouble()} after rounding", error.Message);
    }

    [Theory]
    [InlineData(0)]
    [InlineData(42)]
    [InlineData(-1)]
    [InlineData(int.MaxValue)]
    [InlineData(int.MinValue)]
    public void SeededTorchSharpGeneratorDrawsPyTorchsBits(int seed)
    {
        string expected = CodebookTestData.Root.GetProperty("generator_bits").GetProperty(seed.ToString()).GetString()!;
        using var generator = new torch.Generator(unchecked((ulong)(long)seed));
        using var bits = torch.randint(2, [expected.Length], generator: generator);
        Assert.Equal(expected, string.Concat(bits.data<long>().ToArray()));
    }

    [Fact]
    public void DirectionNumbersRebuildATensState()
    {
        long[] state = ScrambledSobolSequence.InitialDirectionNumbers(JoeKuoDirectionNumbers.MaxDimension).Select(number => (long)number).ToArray();
        Assert.Equal(CodebookTestData.Root.GetProperty("initial_state_dim64_sha256").GetString(), CodebookTestData.Sha256(state));
    }

    private static (int Dimension, int Size, int Seed) Parameters(JsonElement item) =>
        (item.GetProperty("dim").GetInt32(), item.GetProperty("size").GetInt32(), item.GetProperty("seed").GetInt32());

    private static float[] Floats(JsonElement array) => array.EnumerateArray().Select(value => (float)value.GetDouble()).ToArray();

    private static string UniformSha256(int dimension, int size, int seed)
    {
        var uniforms = new float[size * dimension];
        new ScrambledSobolSequence(dimension, seed).Fill(0, size, uniforms);
        return CodebookTestData.Sha256(uniforms);
    }
}
