using GaussQuant.Quantization;
using static TorchSharp.torch;

namespace GaussQuant.Models;

/// <summary>
/// Shape of the authors' ViT encoder and decoder (<c>pit.modules.vit.TransformerEncoder/Decoder</c> params, spec §1.7;
/// copied by them from BSQ-ViT). The decoder reuses the encoder's options. Defaults are the bsqvit configs'.
/// </summary>
public sealed record ViTOptions : BackboneOptions
{
    /// <summary>Side of the square images (<c>image_size</c>); the positional embedding is fixed to its patches.</summary>
    public int ImageSize { get; init; } = 256;

    /// <summary>Side of one patch, one token (<c>patch_size</c>): the downsampling factor.</summary>
    public int PatchSize { get; init; } = 8;

    /// <summary>Token width (<c>width</c>).</summary>
    public int Width { get; init; } = 768;

    /// <summary>Residual attention blocks (<c>layers</c>).</summary>
    public int Layers { get; init; } = 12;

    /// <summary>Attention heads (<c>heads</c>); they divide <see cref="Width"/>.</summary>
    public int Heads { get; init; } = 12;

    /// <summary>Hidden width of the blocks' MLP and the decoder's output FFN, in widths (<c>mlp_ratio</c>).</summary>
    public int MlpRatio { get; init; } = 4;

    /// <summary>Tokens per image: (image side / patch side)².</summary>
    public int Tokens => GridSide * GridSide;

    /// <summary>Patches per image side.</summary>
    public int GridSide => ImageSize / PatchSize;

    /// <summary>Values of one patch: 3 · patch².</summary>
    public int PatchValues => 3 * PatchSize * PatchSize;

    public override string Architecture => "ViT";

    /// <summary>One token per patch: the patch side.</summary>
    public override int DownsamplingFactor => PatchSize;

    public override int NominalImageSize => ImageSize;

    /// <summary>The authors' <c>format: blc</c>: [B, L, c] with token hh·(S/p) + ww.</summary>
    public override LatentLayout Layout => LatentLayout.Blc;

    public override string Summary =>
        $"image {ImageSize}, patch {PatchSize} ({GridSide}x{GridSide} tokens), width {Width}, {Layers} layers, {Heads} heads, mlp_ratio {MlpRatio}, " +
        $"downsampling ×{DownsamplingFactor}";

    /// <summary>The positional embedding holds one vector per patch of an S × S image, so no other size fits.</summary>
    public override int? FixedImageSize => ImageSize;

    /// <summary>
    /// One residual block's forward holds, per token: its input, two LayerNorms, the q/k/v projection (3), the attended
    /// values, the output projection and two sums (about 10 widths), the MLP's hidden layer and its GELU (2 · mlp_ratio
    /// widths), and the attention scores and their softmax per head (2 · heads · L). The decoder's tanh FFN (2 · mlp_ratio
    /// widths) stays within that.
    /// </summary>
    public override double ActivationBytesPerImage(double height, double width) =>
        sizeof(float) * (double)Tokens * (10.0 * Width + 2.0 * MlpRatio * Width + 2.0 * Heads * Tokens);

    public override double EncoderParameters() =>
        (double)Tokens * Width + (double)PatchValues * Width + 2 * LayerNorm() + Blocks()
        + Linear(Width, DoubleLatent ? 2.0 * LatentChannels : LatentChannels);

    public override double DecoderParameters() =>
        (double)Tokens * Width + Linear(LatentChannels, Width) + 2 * LayerNorm() + Blocks()
        + Linear(Width, (double)MlpRatio * Width) + Linear((double)MlpRatio * Width, PatchValues);

    public override EncoderBackbone CreateEncoder(Device? device = null) => new ViTEncoder(this, device);

    public override DecoderBackbone CreateDecoder(Device? device = null) => new ViTDecoder(this, device);

    /// <summary>[B, L, n] → [B, n, S/p, S/p], tokens row-major over the patch grid.</summary>
    public override Tensor IndicesToTokenGrid(Tensor indices) =>
        indices.reshape(indices.shape[0], GridSide, GridSide, indices.shape[2]).permute(0, 3, 1, 2).contiguous();

    /// <exception cref="ArgumentException">when the grid is not [B, n, S/p, S/p].</exception>
    public override Tensor TokenGridToIndices(Tensor grid)
    {
        if (grid.dim() != 4 || grid.shape[2] != GridSide || grid.shape[3] != GridSide)
            throw new ArgumentException(
                $"tokens of this ViT must be shaped [B, n, {GridSide}, {GridSide}], got [{string.Join(", ", grid.shape)}]");
        return grid.permute(0, 2, 3, 1).reshape(grid.shape[0], Tokens, grid.shape[1]);
    }

    /// <summary>ln_1, the attention's in/out projections, ln_2, c_fc and c_proj of every block.</summary>
    private double Blocks()
    {
        double hidden = (double)MlpRatio * Width;
        return Layers * (2 * LayerNorm() + Linear(Width, 3.0 * Width) + Linear(Width, Width) + Linear(Width, hidden) + Linear(hidden, Width));
    }

    private double LayerNorm() => 2.0 * Width;

    private static double Linear(double inputs, double outputs) => inputs * outputs + outputs;

    /// <exception cref="ArgumentException">when the options cannot build a network.</exception>
    public override void Validate()
    {
        if (PatchSize < 1 || ImageSize < PatchSize || ImageSize % PatchSize != 0)
            throw new ArgumentException($"the image size ({ImageSize}) must be a positive multiple of the patch size ({PatchSize})");
        if (Width < 1 || Heads < 1 || Width % Heads != 0)
            throw new ArgumentException($"the width ({Width}) must be a positive multiple of the number of heads ({Heads})");
        if (Layers < 0 || MlpRatio < 1 || LatentChannels < 1)
            throw new ArgumentException($"layers ({Layers}) must be ≥ 0, mlp_ratio ({MlpRatio}) and z_channels ({LatentChannels}) positive");
    }
}
