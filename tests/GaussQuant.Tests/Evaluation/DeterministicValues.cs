using System.Text;
using static TorchSharp.torch;

namespace GaussQuant.Tests.Evaluation;

/// <summary>
/// The C# twin of tools/fixtures/evaluation_common.py's uniform() and network_weight(): values determined by a
/// key alone, bit for bit equal to the fixture script's, so test networks and feature sets need not be committed.
/// </summary>
internal static class DeterministicValues
{
    /// <summary>count values in [0, 1): SplitMix64 of FNV-1a-64(key) + i · golden, i = 1…count, top 53 bits / 2^53.</summary>
    public static double[] Uniform(string key, long count)
    {
        ulong seed = Fnv1a64(key);
        var values = new double[count];
        for (long i = 0; i < count; i++)
        {
            ulong z = unchecked(seed + (ulong)(i + 1) * 0x9E3779B97F4A7C15UL);
            z = unchecked((z ^ (z >> 30)) * 0xBF58476D1CE4E5B9UL);
            z = unchecked((z ^ (z >> 27)) * 0x94D049BB133111EBUL);
            z ^= z >> 31;
            values[i] = (z >> 11) * (1.0 / (1UL << 53));
        }
        return values;
    }

    /// <summary>The value rule of a deterministic test-network tensor, chosen by the key's suffix (see the Python twin).</summary>
    public static Tensor NetworkWeight(string key, long[] shape)
    {
        long count = shape.Aggregate(1L, (product, side) => product * side);
        double[] u = Uniform(key, count);
        Func<double, double> rule =
            key.EndsWith("running_var", StringComparison.Ordinal) ? value => 0.5 + value
            : key.EndsWith("running_mean", StringComparison.Ordinal) ? value => 0.2 * (2 * value - 1)
            : key.EndsWith("bn.weight", StringComparison.Ordinal) ? value => 0.8 + 0.4 * value
            : key.EndsWith("bias", StringComparison.Ordinal) ? value => 0.1 * (2 * value - 1)
            : key.StartsWith("lin", StringComparison.Ordinal) ? value => value
            : HeUniform(count / shape[0]);
        return tensor(u.Select(value => (float)rule(value)).ToArray(), shape);
    }

    /// <summary>A state dictionary for the given names and shapes; <paramref name="keyOf"/> maps a name to the file's key (seed and dictionary key).</summary>
    public static Dictionary<string, Tensor> StateDict(IReadOnlyDictionary<string, long[]> shapes, Func<string, string> keyOf) =>
        shapes.ToDictionary(entry => keyOf(entry.Key), entry => NetworkWeight(keyOf(entry.Key), entry.Value));

    private static Func<double, double> HeUniform(long fanIn)
    {
        double bound = Math.Sqrt(6.0 / fanIn);
        return value => bound * (2 * value - 1);
    }

    private static ulong Fnv1a64(string text)
    {
        ulong hash = 0xCBF29CE484222325UL;
        foreach (byte b in Encoding.UTF8.GetBytes(text))
            hash = unchecked((hash ^ b) * 0x100000001B3UL);
        return hash;
    }
}
