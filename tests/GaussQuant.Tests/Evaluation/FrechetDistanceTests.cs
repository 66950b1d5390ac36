using System.Text.Json;
using GaussQuant.Evaluation;
using static TorchSharp.torch;

namespace GaussQuant.Tests.Evaluation;

/// <summary>
/// Fréchet distance and streaming feature statistics against pytorch-fid's procedure (np.cov + scipy sqrtm),
/// tools/fixtures/make_frechet_fixture.py, on feature sets both sides regenerate.
/// </summary>
public class FrechetDistanceTests
{
    public static TheoryData<string> CaseNames()
    {
        var names = new TheoryData<string>();
        foreach (var entry in EvaluationFixture.Cases("frechet.json"))
            names.Add(entry.GetProperty("name").GetString()!);
        return names;
    }

    [Theory]
    [MemberData(nameof(CaseNames))]
    public void DistanceMatchesScipySqrtm(string name)
    {
        var entry = EvaluationFixture.Cases("frechet.json").Single(candidate => candidate.GetProperty("name").GetString() == name);
        int dimension = entry.GetProperty("dimension").GetInt32();
        using var first = Accumulate(entry.GetProperty("first"), dimension, entry.GetProperty("checksum_first").GetDouble(), batchSize: 700);
        using var second = Accumulate(entry.GetProperty("second"), dimension, entry.GetProperty("checksum_second").GetDouble(), batchSize: 1024);

        double distance = FrechetDistance.Compute(first, second);
        double expected = entry.GetProperty("distance").GetDouble();
        // Relative 1e-6, but at least 1e-9 absolute for the near-zero same-distribution case.
        Assert.True(Math.Abs(distance - expected) <= Math.Max(1e-6 * Math.Abs(expected), 1e-9),
            $"{name}: expected {expected:R}, got {distance:R}");
    }

    [Fact]
    public void StreamingStatisticsEqualTheTwoPassFormulasFarFromTheOrigin()
    {
        // Features around 1e4 with unit spread: a naive Σx² − n·mean² would lose about eight digits here.
        using var features = randn(1000, 8, ScalarType.Float64, generator: new Generator(7)) + 1e4;
        using var statistics = new FeatureStatistics(8);
        foreach (var batch in features.split(137))
            using (batch) statistics.Add(batch);
        using var mean = statistics.Mean();
        using var covariance = statistics.Covariance();
        using var centred = features - features.mean([0]);
        using var expectedCovariance = centred.t().matmul(centred) / 999;
        Assert.Equal(1000, statistics.Count);
        // Streaming and direct float64 statistics of 1,000 rows of order-one features: ≤ 1,000·2⁻⁵³ ≈ 1e-13 apart.
        Assert.True(mean.allclose(features.mean([0]), rtol: 0, atol: 1e-9));
        Assert.True(covariance.allclose(expectedCovariance, rtol: 0, atol: 1e-9));
    }

    [Fact]
    public void IdenticalSetsHaveZeroDistanceAndOrderDoesNotMatter()
    {
        using var features = rand(300, 16, generator: new Generator(3)).relu();
        using var once = new FeatureStatistics(16);
        once.Add(features);
        using var inPieces = new FeatureStatistics(16);
        using var reversed = features.flip(0);
        foreach (var batch in reversed.split(41))
            using (batch) inPieces.Add(batch);
        Assert.Equal(0, FrechetDistance.Compute(once, inPieces), 9);
    }

    [Fact]
    public void BadInputsGiveClearErrors()
    {
        using var statistics = new FeatureStatistics(4);
        using var one = ones(1, 4);
        statistics.Add(one);
        Assert.Throws<InvalidOperationException>(() => statistics.Covariance());
        using var wrongWidth = ones(2, 5);
        Assert.Contains("(count, 4)", Assert.Throws<ArgumentException>(() => statistics.Add(wrongWidth)).Message);
        using var withNaN = full(2, 4, float.NaN);
        Assert.Contains("NaN", Assert.Throws<ArgumentException>(() => statistics.Add(withNaN)).Message);
        Assert.Equal(1, statistics.Count);
        using var other = new FeatureStatistics(3);
        Assert.Throws<ArgumentException>(() => FrechetDistance.Compute(statistics, other));
    }

    private static FeatureStatistics Accumulate(JsonElement set, int dimension, double checksum, int batchSize)
    {
        using var features = FeatureSet(set.GetProperty("set").GetString()!, set.GetProperty("count").GetInt32(), dimension,
            set.GetProperty("offset").GetDouble(), set.GetProperty("noise").GetDouble());
        double sum = features.to_type(ScalarType.Float64).sum().item<double>();
        // The generator is float64 both sides; the sum of its values only differs by summation order (~1e-13).
        Assert.True(Math.Abs(sum - checksum) <= 1e-9 * Math.Abs(checksum), $"feature set regenerated differently: sum {sum:R}, fixture {checksum:R}");
        var statistics = new FeatureStatistics(dimension);
        foreach (var batch in features.split(batchSize))
            using (batch) statistics.Add(batch);
        return statistics;
    }

    /// <summary>The fixture script's feature_set: max(Σₖ latentₖ·loadingₖ + noise·u + offset, 0) in float64, then float32.</summary>
    private static Tensor FeatureSet(string key, int count, int dimension, double offset, double noise)
    {
        double[] latent = DeterministicValues.Uniform(key + "/latent", count * 4L).Select(u => 2 * u - 1).ToArray();
        double[] loading = DeterministicValues.Uniform(key + "/loading", 4L * dimension).Select(u => 2 * u - 1).ToArray();
        double[] independent = DeterministicValues.Uniform(key + "/noise", (long)count * dimension);
        var features = new float[(long)count * dimension];
        for (int i = 0; i < count; i++)
            for (int j = 0; j < dimension; j++)
            {
                double value = latent[i * 4] * loading[j] + latent[i * 4 + 1] * loading[dimension + j]
                    + latent[i * 4 + 2] * loading[2 * dimension + j] + latent[i * 4 + 3] * loading[3 * dimension + j]
                    + noise * independent[(long)i * dimension + j] + offset;
                features[(long)i * dimension + j] = (float)Math.Max(value, 0);
            }
        return tensor(features, [count, dimension]);
    }
}
