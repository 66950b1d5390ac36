namespace GaussQuant.Quantization;

/// <summary>Which implementation scores the codebook.</summary>
public enum SearchKernel
{
    /// <summary>The widest SIMD kernel the CPU runs natively; the tensor path for tensors that are not on the CPU.</summary>
    Auto,
    Vector512,
    Vector256,
    Vector128,

    /// <summary><see cref="System.Numerics.Vector{T}"/>, for CPUs without the fixed-width instruction sets.</summary>
    Portable,

    /// <summary>Tiled matrix products with TorchSharp, on the tensors' device.</summary>
    Tensor,
}

/// <summary>Tuning of the codebook search; none of it changes the result.</summary>
public sealed record CodebookSearchOptions
{
    public SearchKernel Kernel { get; init; } = SearchKernel.Auto;

    /// <summary>
    /// Threads used by the CPU kernels. Default: LibTorch's thread count when the options are made, so one setting
    /// (<c>torch.set_num_threads</c>, gq's <c>--threads</c>) governs the whole model.
    /// </summary>
    public int MaxThreads { get; init; } = TorchSharp.torch.get_num_threads();

    /// <summary>Upper bound on the score tiles of the tensor path, in bytes (the CPU kernels need only a few KB per thread).</summary>
    public long MemoryBudgetBytes { get; init; } = 64L * 1024 * 1024;
}
