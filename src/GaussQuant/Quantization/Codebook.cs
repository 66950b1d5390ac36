using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Security.Cryptography;
using TorchSharp;

namespace GaussQuant.Quantization;

/// <summary>
/// The fixed codebook of Gaussian Quant: <see cref="Size"/> vectors of <see cref="Dimension"/> float32 values that
/// sample N(0, I) quasi-randomly, stored row-major [Size, Dimension]. <see cref="Create"/> rebuilds the authors'
/// <c>prior_samples</c> bit for bit: PyTorch's scrambled Sobol points (<see cref="ScrambledSobolSequence"/>), each
/// float32 coordinate widened to double, mapped by SciPy's inverse normal CDF (<see cref="InverseNormalCdf"/>) and
/// rounded back to float32.
/// </summary>
public sealed class Codebook
{
    /// <summary>The largest vector dimension <see cref="Create"/> supports (the direction numbers embedded here).</summary>
    public const int MaxDimension = JoeKuoDirectionNumbers.MaxDimension;

    /// <summary>The largest size <see cref="Create"/> accepts: 2^24 entries.</summary>
    public const int MaxSize = 1 << 24;

    // Work is split into chunks of about this many values; a chunk of the Sobol sequence starts anywhere in O(30).
    private const int ValuesPerChunk = 1 << 16;

    private readonly float[] entries;

    private Codebook(int dimension, int? seed, float[] entries)
    {
        Dimension = dimension;
        Size = entries.Length / dimension;
        Seed = seed;
        this.entries = entries;
    }

    public int Dimension { get; }

    public int Size { get; }

    /// <summary>The Sobol scramble seed, or null for a codebook built from explicit entries.</summary>
    public int? Seed { get; }

    /// <summary>The vectors, row-major [Size, Dimension].</summary>
    public ReadOnlyMemory<float> Entries => entries;

    /// <summary>
    /// The codebook of <c>SobolEngine(dimension, scramble=True, seed).draw(size)</c> through <c>scipy.stats.norm.ppf</c>,
    /// as float32. Fails when a coordinate of the sequence rounds to exactly 0 or 1 in float32, where the inverse
    /// CDF is infinite (the reference would silently hold ±inf); another seed avoids it.
    /// </summary>
    public static Codebook Create(int dimension, int size, int seed = 42)
    {
        if (dimension is < 1 or > MaxDimension)
            throw new ArgumentOutOfRangeException(nameof(dimension),
                $"the codebook dimension must be between 1 and {MaxDimension}, not {dimension}");
        if (size is < 1 or > MaxSize || !BitOperations.IsPow2(size))
            throw new ArgumentOutOfRangeException(nameof(size),
                $"the codebook size must be a power of two between 1 and 2^24 = {MaxSize}, not {size}");

        var sequence = new ScrambledSobolSequence(dimension, seed);
        var values = new float[size * dimension];
        int rowsPerChunk = Math.Max(1, ValuesPerChunk / dimension);
        int chunkCount = (size + rowsPerChunk - 1) / rowsPerChunk;
        long firstInfiniteValue = long.MaxValue;
        Parallel.For(0, chunkCount, chunk =>
        {
            int firstRow = chunk * rowsPerChunk;
            int rowCount = Math.Min(rowsPerChunk, size - firstRow);
            var chunkValues = values.AsSpan(firstRow * dimension, rowCount * dimension);
            sequence.Fill(firstRow, rowCount, chunkValues);
            int infinite = ToNormal(chunkValues);
            if (infinite >= 0)
                InterlockedMin(ref firstInfiniteValue, (long)firstRow * dimension + infinite);
        });
        if (firstInfiniteValue != long.MaxValue)
            throw new ArgumentException(
                $"the codebook with dimension {dimension}, size {size} and seed {seed} would hold an infinite entry: " +
                $"coordinate {firstInfiniteValue % dimension} of row {firstInfiniteValue / dimension} is a Sobol value of exactly " +
                $"{(values[firstInfiniteValue] > 0 ? 1 : 0)} after rounding to float32; choose another seed");
        return new Codebook(dimension, seed, values);
    }

    /// <summary>A codebook with the given vectors (copied), row-major; every value must be finite.</summary>
    public static Codebook FromEntries(int dimension, float[] entries)
    {
        ArgumentNullException.ThrowIfNull(entries);
        if (dimension < 1)
            throw new ArgumentOutOfRangeException(nameof(dimension), $"the codebook dimension must be at least 1, not {dimension}");
        if (entries.Length == 0 || entries.Length % dimension != 0)
            throw new ArgumentException(
                $"{entries.Length} values do not form codebook vectors of dimension {dimension} (need a positive multiple of {dimension})",
                nameof(entries));
        int nonFinite = Array.FindIndex(entries, value => !float.IsFinite(value));
        if (nonFinite >= 0)
            throw new ArgumentException(
                $"codebook entry [{nonFinite / dimension}, {nonFinite % dimension}] is {entries[nonFinite]}; every value must be finite",
                nameof(entries));
        return new Codebook(dimension, seed: null, (float[])entries.Clone());
    }

    /// <summary>A new float32 tensor [Size, Dimension] holding a copy of the vectors.</summary>
    public torch.Tensor ToTensor(torch.Device? device = null) =>
        torch.tensor(entries, [Size, Dimension], torch.float32, device); // torch.tensor copies the array

    /// <summary>Lower-case hex SHA-256 of the vectors' float32 bytes, row-major, in the machine's (little-endian) order.</summary>
    public string Sha256() => Convert.ToHexStringLower(SHA256.HashData(MemoryMarshal.AsBytes(entries.AsSpan())));

    /// <summary>Maps float32 uniforms in place to float32 normal quantiles; returns the first index whose quantile is infinite, or -1.</summary>
    // Runs once per model load, too few calls for tiered JIT to promote it before most of the work is done.
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static int ToNormal(Span<float> values)
    {
        int firstInfinite = -1;
        for (int i = 0; i < values.Length; i++)
        {
            float uniform = values[i];
            if (uniform is 0f or 1f && firstInfinite < 0)
                firstInfinite = i;
            values[i] = (float)InverseNormalCdf.Evaluate(uniform);
        }
        return firstInfinite;
    }

    private static void InterlockedMin(ref long target, long candidate)
    {
        long current = Volatile.Read(ref target);
        while (candidate < current)
        {
            long seen = Interlocked.CompareExchange(ref target, candidate, current);
            if (seen == current)
                return;
            current = seen;
        }
    }
}
