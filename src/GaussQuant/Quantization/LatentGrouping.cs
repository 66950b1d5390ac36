using static TorchSharp.torch;

namespace GaussQuant.Quantization;

/// <summary>
/// Moves latents between the encoder's layout and the quantizer's rows of d values, one row per codebook group.
/// Tokens are ordered y·w + x. Strided grouping gives codebook k the channels k, k + n, k + 2n, …; contiguous grouping
/// gives it channels [k·d, (k + 1)·d). Rows are ordered ((b·L + l)·n + k) in both cases.
/// </summary>
internal sealed class LatentGrouping(GroupingVariant variant, LatentLayout layout, int dimension)
{
    /// <summary>Splits encoder moments (2c channels: mean then log-variance) into two [B, L, c] tensors.</summary>
    public (Tensor Mean, Tensor LogVariance, LatentShape Shape) SplitMoments(Tensor moments)
    {
        string expected = layout == LatentLayout.Bchw ? "[B, 2c, h, w]" : "[B, L, 2c]";
        int expectedRank = layout == LatentLayout.Bchw ? 4 : 3;
        if (moments.dim() != expectedRank)
            throw new ArgumentException($"the quantizer expects moments shaped {expected}, got [{string.Join(", ", moments.shape)}]");
        long channelAxis = layout == LatentLayout.Bchw ? 1 : 2;
        long doubled = moments.shape[channelAxis];
        if (doubled % (2 * dimension) != 0 || doubled == 0)
            throw new ArgumentException(
                $"the moments have {doubled} channels; they must be 2·c with c a multiple of the codebook dimension {dimension}");
        int channels = (int)(doubled / 2);
        var shape = layout == LatentLayout.Bchw
            ? new LatentShape(moments.shape[0], moments.shape[2], moments.shape[3], channels, channels / dimension)
            : new LatentShape(moments.shape[0], 1, moments.shape[1], channels, channels / dimension);

        using var scope = NewDisposeScope();
        var tokens = layout == LatentLayout.Bchw
            ? moments.to(ScalarType.Float32).permute(0, 2, 3, 1).reshape(shape.Batch, shape.Tokens, doubled)
            : moments.to(ScalarType.Float32);
        var halves = tokens.chunk(2, -1);
        return (halves[0].MoveToOuterDisposeScope(), halves[1].MoveToOuterDisposeScope(), shape);
    }

    /// <summary>[B, L, c] → [B·L·n, d].</summary>
    public Tensor ToRows(Tensor tokens, LatentShape shape) => variant == GroupingVariant.Strided
        ? tokens.reshape(shape.Batch, shape.Tokens, dimension, shape.Codebooks).permute(0, 1, 3, 2).reshape(shape.Rows, dimension)
        : tokens.reshape(shape.Rows, dimension);

    /// <summary>[B·L·n, d] → [B, L, c] (inverse of <see cref="ToRows"/>).</summary>
    public Tensor FromRows(Tensor rows, LatentShape shape) => variant == GroupingVariant.Strided
        ? rows.reshape(shape.Batch, shape.Tokens, shape.Codebooks, dimension).permute(0, 1, 3, 2).reshape(shape.Batch, shape.Tokens, shape.Channels)
        : rows.reshape(shape.Batch, shape.Tokens, shape.Channels);

    /// <summary>Sums per-channel values over each codebook group: [B, L, c] → [B, L, n].</summary>
    public Tensor SumGroups(Tensor tokens, LatentShape shape) => variant == GroupingVariant.Strided
        ? tokens.reshape(shape.Batch, shape.Tokens, dimension, shape.Codebooks).sum(2)
        : tokens.reshape(shape.Batch, shape.Tokens, shape.Codebooks, dimension).sum(3);

    /// <summary>[B, L, c] → the encoder's layout ([B, c, h, w] or [B, L, c]).</summary>
    public Tensor ToLayout(Tensor tokens, LatentShape shape) => layout == LatentLayout.Bchw
        ? tokens.reshape(shape.Batch, shape.Height, shape.Width, shape.Channels).permute(0, 3, 1, 2).contiguous()
        : tokens.contiguous();

    /// <summary>Row indices [B·L·n] → [B, n, h, w] (or [B, L, n]).</summary>
    public Tensor IndicesToLayout(Tensor rowIndices, LatentShape shape) => layout == LatentLayout.Bchw
        ? rowIndices.reshape(shape.Batch, shape.Height, shape.Width, shape.Codebooks).permute(0, 3, 1, 2).contiguous()
        : rowIndices.reshape(shape.Batch, shape.Tokens, shape.Codebooks);

    /// <summary>Indices in the layout of <see cref="IndicesToLayout"/> → flat row order, with the latent shape they describe.</summary>
    public (Tensor RowIndices, LatentShape Shape) IndicesToRows(Tensor indices, int channels)
    {
        int codebooks = channels / dimension;
        if (layout == LatentLayout.Bchw)
        {
            if (indices.dim() != 4 || indices.shape[1] != codebooks)
                throw new ArgumentException(
                    $"token indices must be shaped [B, {codebooks}, h, w] for this model, got [{string.Join(", ", indices.shape)}]");
            var shape = new LatentShape(indices.shape[0], indices.shape[2], indices.shape[3], channels, codebooks);
            return (indices.permute(0, 2, 3, 1).reshape(shape.Rows), shape);
        }
        if (indices.dim() != 3 || indices.shape[2] != codebooks)
            throw new ArgumentException(
                $"token indices must be shaped [B, L, {codebooks}] for this model, got [{string.Join(", ", indices.shape)}]");
        var tokenShape = new LatentShape(indices.shape[0], 1, indices.shape[1], channels, codebooks);
        return (indices.reshape(tokenShape.Rows), tokenShape);
    }
}
