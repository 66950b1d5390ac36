using GaussQuant.Checkpoints;
using static TorchSharp.torch;

namespace GaussQuant.Tests.Training;

/// <summary>Access to tests/fixtures/losses (written by tools/fixtures/make_loss_fixtures.py) and tensor comparisons.</summary>
internal static class LossFixtures
{
    public static string Path(string name) => TestPaths.Fixture("losses", name);

    /// <summary>The tensors of a fixture file whose names start with <paramref name="prefix"/>, with the prefix removed.</summary>
    public static Dictionary<string, Tensor> ReadWithPrefix(string file, string prefix)
    {
        var all = SafetensorsFile.Read(Path(file));
        var selected = new Dictionary<string, Tensor>();
        foreach (var (key, value) in all)
        {
            if (key.StartsWith(prefix, StringComparison.Ordinal))
                selected[key[prefix.Length..]] = value;
            else
                value.Dispose();
        }
        return selected;
    }

    public static void LoadStrict(nn.Module module, Dictionary<string, Tensor> state) =>
        GaussQuant.Checkpoints.ModuleWeights.LoadInto(module, state, "loss fixture");

    /// <summary>Largest |actual − expected| relative to max(|expected|, floor), over all elements.</summary>
    public static double MaxRelativeError(Tensor actual, Tensor expected, double floor)
    {
        Assert.Equal(expected.shape, actual.shape);
        using var scope = NewDisposeScope();
        var difference = (actual.to(float64) - expected.to(float64)).abs();
        var scale = expected.to(float64).abs().clamp_min(floor);
        return (difference / scale).max().item<double>();
    }

    /// <summary>
    /// |actual − expected| / max(|expected|, 1): relative for values of magnitude ≥ 1, absolute below, where values
    /// such as a mean of logits near 0 come from cancelling sums and a relative error says little.
    /// </summary>
    public static double ScaledError(double expected, double actual) => Math.Abs(actual - expected) / Math.Max(Math.Abs(expected), 1.0);

    public static void AssertClose(double expected, double actual, double tolerance, string what)
    {
        double error = ScaledError(expected, actual);
        Assert.True(error <= tolerance, $"{what}: expected {expected:R}, got {actual:R} (scaled error {error:E2} > {tolerance:E0})");
    }
}
