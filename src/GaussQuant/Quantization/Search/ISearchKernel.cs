namespace GaussQuant.Quantization.Search;

/// <summary>A CPU implementation of the fused score-and-argmax over a packed codebook.</summary>
internal interface ISearchKernel
{
    /// <summary>Short name for reports and benchmarks.</summary>
    string Name { get; }

    /// <summary>
    /// For every row of <paramref name="weights"/> (rows × features, see <see cref="SearchWeights"/>) writes the index of
    /// the codebook entry with the highest score, the first one on ties.
    /// </summary>
    void Search(ReadOnlySpan<float> weights, Span<long> indices, int maxThreads);
}
