namespace GaussQuant.Quantization.Search;

/// <summary>
/// The codebook in the form the search scores against: entry j becomes the feature vector q_j = [p_j², p_j]
/// (squares first), so that a row's score is a dot product with its weights [a, b]. Computed once per codebook.
/// </summary>
internal sealed class PackedCodebook
{
    public PackedCodebook(Codebook codebook)
    {
        Dimension = codebook.Dimension;
        Size = codebook.Size;
        Features = 2 * Dimension;
        RowMajor = new float[(long)Size * Features];
        var entries = codebook.Entries.Span;
        for (int j = 0; j < Size; j++)
        {
            for (int g = 0; g < Dimension; g++)
            {
                float p = entries[j * Dimension + g];
                RowMajor[(long)j * Features + g] = p * p;
                RowMajor[(long)j * Features + Dimension + g] = p;
            }
        }
    }

    public int Dimension { get; }

    public int Size { get; }

    public int Features { get; }

    /// <summary>[Size, Features] row-major.</summary>
    public float[] RowMajor { get; }

    /// <summary>
    /// Regroups entries into panels of <paramref name="panelEntries"/> entries stored feature-major
    /// (panel, feature, entry), zero-padded at the end, so a SIMD kernel loads consecutive entries of one feature from
    /// whole cache lines.
    /// </summary>
    public CacheAlignedFloats ToPanels(int panelEntries)
    {
        int panelCount = (Size + panelEntries - 1) / panelEntries;
        var panels = new CacheAlignedFloats(checked(panelCount * Features * panelEntries));
        for (int j = 0; j < Size; j++)
        {
            long panelBase = (long)(j / panelEntries) * Features * panelEntries + j % panelEntries;
            for (int f = 0; f < Features; f++)
                panels[panelBase + (long)f * panelEntries] = RowMajor[(long)j * Features + f];
        }
        return panels;
    }
}
