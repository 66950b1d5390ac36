using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;
using GaussQuant.Quantization.Search;
using TorchSharp;
using static TorchSharp.torch;

namespace GaussQuant.Quantization;

/// <summary>
/// Finds, for each posterior row (μ, σ of one latent group), the codebook entry p maximising
/// Σ_g log N(p_g; μ_g, σ_g) − β·log N(p_g; 0, 1): the prior sample with the largest importance weight q(z|x)/p(z)^β.
/// Returns the first maximum on ties, like the reference's argmax. Memory does not grow with the number of rows
/// beyond the output.
/// </summary>
public sealed class CodebookSearch : IDisposable
{
    private readonly PackedCodebook packed;
    private readonly ISearchKernel? cpuKernel;
    private readonly TensorSearch tensorSearch;
    private readonly CodebookSearchOptions options;

    public CodebookSearch(Codebook codebook, double beta = 1.0, CodebookSearchOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(codebook);
        if (!double.IsFinite(beta) || beta < 0)
            throw new ArgumentException($"beta must be a finite number ≥ 0, got {beta}", nameof(beta));
        this.options = options ?? new CodebookSearchOptions();
        if (this.options.MaxThreads < 1)
            throw new ArgumentException($"MaxThreads must be at least 1, got {this.options.MaxThreads}", nameof(options));
        if (this.options.MemoryBudgetBytes < sizeof(float))
            throw new ArgumentException($"MemoryBudgetBytes must be at least {sizeof(float)}, got {this.options.MemoryBudgetBytes}", nameof(options));
        Codebook = codebook;
        Beta = beta;
        packed = new PackedCodebook(codebook);
        cpuKernel = CreateCpuKernel(this.options.Kernel, packed);
        tensorSearch = new TensorSearch(packed, this.options.MemoryBudgetBytes);
    }

    public Codebook Codebook { get; }

    public double Beta { get; }

    /// <summary>The implementation used for CPU data (e.g. "simd256", "tensor").</summary>
    public string KernelName => cpuKernel?.Name ?? "tensor";

    /// <summary>Searches rows given as flat arrays: <paramref name="means"/> and <paramref name="stds"/> are rows × dimension.</summary>
    public void Search(ReadOnlySpan<float> means, ReadOnlySpan<float> stds, Span<long> indices)
    {
        int dimension = Codebook.Dimension;
        if (means.Length != stds.Length || means.Length != (long)indices.Length * dimension)
            throw new ArgumentException(
                $"expected {indices.Length} rows of {dimension} means and stds, got {means.Length} means and {stds.Length} stds");
        float[] weights = new float[(long)indices.Length * 2 * dimension];
        SearchWeights.Compute(means, stds, dimension, Beta, weights);
        if (cpuKernel is not null)
        {
            cpuKernel.Search(weights, indices, options.MaxThreads);
            return;
        }
        using var scope = NewDisposeScope();
        var result = tensorSearch.Search(tensor(weights, new long[] { indices.Length, 2 * dimension }));
        result.data<long>().CopyTo(indices);
    }

    /// <summary>Searches rows given as tensors [rows, dimension]; returns int64 [rows] on the same device.</summary>
    public Tensor Search(Tensor means, Tensor stds)
    {
        int dimension = Codebook.Dimension;
        if (means.dim() != 2 || means.shape[1] != dimension || !means.shape.SequenceEqual(stds.shape))
            throw new ArgumentException(
                $"expected means and stds of shape [rows, {dimension}], got [{string.Join(", ", means.shape)}] and [{string.Join(", ", stds.shape)}]");
        long rows = means.shape[0];
        if (cpuKernel is not null && means.device_type == DeviceType.CPU)
        {
            using var meansCpu = means.detach().to(ScalarType.Float32).contiguous();
            using var stdsCpu = stds.detach().to(ScalarType.Float32).contiguous();
            var indices = new long[rows];
            Search(MemoryMarshal.Cast<byte, float>(meansCpu.bytes), MemoryMarshal.Cast<byte, float>(stdsCpu.bytes), indices);
            return tensor(indices, new long[] { rows });
        }
        using var scope = NewDisposeScope();
        var weights = TensorWeights(means.detach(), stds.detach());
        return tensorSearch.Search(weights).MoveToOuterDisposeScope();
    }

    /// <summary>The same weights as <see cref="SearchWeights"/>, computed with tensor operations on the tensors' device.</summary>
    private Tensor TensorWeights(Tensor means, Tensor stds)
    {
        var mean = means.to(ScalarType.Float64);
        var std = stds.to(ScalarType.Float64);
        if (!mean.isfinite().all().item<bool>() || !std.isfinite().all().item<bool>() || !std.gt(0).all().item<bool>())
            throw new ArgumentException("latent means and stds must be finite with std > 0 (NaN or infinite latents reached the quantizer)");
        var precision = std.mul(std).reciprocal();
        var quadratic = precision.neg().add(Beta).mul(0.5);
        var linear = mean.mul(precision);
        return cat([quadratic, linear], 1).to(ScalarType.Float32);
    }

    // One line per vector width: the register tile follows the registers the width has (32 with AVX-512, 16 below).
    // Auto takes the widest width the hardware runs natively.
    private static ISearchKernel? CreateCpuKernel(SearchKernel kernel, PackedCodebook packed) => kernel switch
    {
        SearchKernel.Auto when Vector512Ops.IsAccelerated => CreateCpuKernel(SearchKernel.Vector512, packed),
        SearchKernel.Auto when Vector256Ops.IsAccelerated => CreateCpuKernel(SearchKernel.Vector256, packed),
        SearchKernel.Auto when Vector128Ops.IsAccelerated => CreateCpuKernel(SearchKernel.Vector128, packed),
        SearchKernel.Auto or SearchKernel.Portable => Simd<System.Numerics.Vector<float>, PortableVectorOps, ScoreTile6x2>(packed),
        SearchKernel.Vector512 => Simd<Vector512<float>, Vector512Ops, ScoreTile4x6>(packed),
        SearchKernel.Vector256 => Simd<Vector256<float>, Vector256Ops, ScoreTile6x2>(packed),
        SearchKernel.Vector128 => Simd<Vector128<float>, Vector128Ops, ScoreTile6x2>(packed),
        SearchKernel.Tensor => null,
        _ => throw new ArgumentException($"unknown search kernel {kernel}"),
    };

    private static SimdSearchKernel<TVector, TOps, TTile> Simd<TVector, TOps, TTile>(PackedCodebook packed)
        where TVector : struct
        where TOps : struct, IVectorOps<TVector>
        where TTile : struct, IScoreTile => new(packed);

    public void Dispose() => tensorSearch.Dispose();
}
