namespace GaussQuant.Quantization.Search;

/// <summary>
/// The register tile of the search kernel: <see cref="Rows"/> rows scored against panels of <see cref="Vectors"/>
/// vectors of codebook entries, every accumulator held in a register. Its shape sets how many loads and broadcasts
/// feed each multiply-add, so it is chosen per vector width (see CodebookSearch's kernel registry); every shape sums
/// a score's features in the same order, so all of them give bit-identical scores.
/// </summary>
internal interface IScoreTile
{
    static abstract int Rows { get; }

    /// <summary>Vectors of entries per panel: a panel holds Vectors × width entries.</summary>
    static abstract int Vectors { get; }

    /// <summary>
    /// Scores <see cref="Rows"/> rows of weights (<paramref name="features"/> apart) against <paramref name="panelCount"/>
    /// panels: row r's scores go to scores[r·scoreStride ..], and its lane-wise maximum is folded into
    /// runningMax[r·width ..] while the scores are still in registers.
    /// </summary>
    static abstract void Score<TVector, TOps>(ref float tileWeights, int features, ref float firstPanel, int panelCount,
        ref float scores, int scoreStride, ref float runningMax)
        where TVector : struct
        where TOps : struct, IVectorOps<TVector>;
}
